//! The fixed wording themes show, in each site language (disclosures, AI note, legal pages).

use serde::Serialize;

use super::spec::Language;

#[derive(Debug, Serialize)]
pub struct Text {
    pub home: &'static str,
    pub imprint: &'static str,
    pub imprint_slug: &'static str,
    pub privacy: &'static str,
    pub privacy_slug: &'static str,
    pub nav_label: &'static str,
    pub breadcrumbs_label: &'static str,
    /// "Anzeige" on German sites: the word German courts expect for paid content.
    pub disclosure_label: &'static str,
    pub disclosure: &'static str,
    /// The EU AI Act Art. 50 notice on generated text.
    pub ai_note: &'static str,
    pub categories: &'static str,
    pub latest: &'static str,
    pub published: &'static str,
    pub updated: &'static str,
    pub products: &'static str,
    pub brand: &'static str,
    pub price: &'static str,
    pub rating: &'static str,
    pub offer: &'static str,
    pub source: &'static str,
    pub faq: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub vat_id: &'static str,
    pub responsible: &'static str,
    pub imprint_intro: &'static str,
    pub controller: &'static str,
    pub privacy_paragraphs: [&'static str; 4],
}

pub fn text(language: Language) -> &'static Text {
    match language {
        Language::En => &EN,
        Language::De => &DE,
    }
}

static EN: Text = Text {
    home: "Home",
    imprint: "Imprint",
    imprint_slug: "imprint",
    privacy: "Privacy policy",
    privacy_slug: "privacy",
    nav_label: "Main navigation",
    breadcrumbs_label: "Breadcrumbs",
    disclosure_label: "Disclosure:",
    disclosure: "This page contains affiliate links. If you buy through them, we may earn a commission at no extra cost to you. This does not affect our verdicts.",
    ai_note: "Note: this text was created with the help of artificial intelligence (AI).",
    categories: "Categories",
    latest: "Latest articles",
    published: "Published",
    updated: "updated",
    products: "Products in this article",
    brand: "Brand",
    price: "Price",
    rating: "Rating",
    offer: "View offer",
    source: "Source",
    faq: "Frequently asked questions",
    email: "Email",
    phone: "Phone",
    vat_id: "VAT ID",
    responsible: "Responsible for content",
    imprint_intro: "Information about the operator of this website:",
    controller: "Controller",
    privacy_paragraphs: [
        "This website sets no cookies and uses no third-party trackers.",
        "To count visits we record the page viewed, the referring page and the time. We do not store IP addresses or build profiles.",
        "When you follow an affiliate link we record the click (page, offer and time, without your IP address) so the partner can attribute a purchase.",
        "You have the right to access, rectify and erase your data and to lodge a complaint with a supervisory authority (GDPR Art. 15-21, 77). Contact us at the address above.",
    ],
};

static DE: Text = Text {
    home: "Startseite",
    imprint: "Impressum",
    imprint_slug: "impressum",
    privacy: "Datenschutzerklärung",
    privacy_slug: "datenschutz",
    nav_label: "Hauptnavigation",
    breadcrumbs_label: "Brotkrumen",
    disclosure_label: "Anzeige:",
    disclosure: "Diese Seite enthält Affiliate-Links (Werbung). Kaufst du über einen dieser Links, erhalten wir eine Provision; für dich ändert sich der Preis nicht.",
    ai_note: "Hinweis: Dieser Text wurde mit Hilfe künstlicher Intelligenz (KI) erstellt.",
    categories: "Kategorien",
    latest: "Neueste Artikel",
    published: "Veröffentlicht am",
    updated: "aktualisiert am",
    products: "Produkte in diesem Artikel",
    brand: "Marke",
    price: "Preis",
    rating: "Bewertung",
    offer: "Zum Angebot",
    source: "Quelle",
    faq: "Häufige Fragen",
    email: "E-Mail",
    phone: "Telefon",
    vat_id: "USt-IdNr.",
    responsible: "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV",
    imprint_intro: "Angaben gemäß § 5 DDG:",
    controller: "Verantwortlicher",
    privacy_paragraphs: [
        "Diese Website setzt keine Cookies und verwendet keine Tracker von Dritten.",
        "Zur Zählung von Besuchen speichern wir die aufgerufene Seite, die verweisende Seite und den Zeitpunkt. IP-Adressen speichern wir nicht, Profile bilden wir nicht.",
        "Wenn du einem Affiliate-Link folgst, speichern wir den Klick (Seite, Angebot und Zeitpunkt, ohne deine IP-Adresse), damit der Partner einen Kauf zuordnen kann.",
        "Du hast das Recht auf Auskunft, Berichtigung und Löschung deiner Daten sowie auf Beschwerde bei einer Aufsichtsbehörde (Art. 15-21, 77 DSGVO). Kontakt: siehe oben.",
    ],
};
