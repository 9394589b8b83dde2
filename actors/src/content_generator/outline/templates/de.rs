//! German article templates (formal "Sie").

use super::{SlugAffix, Template, Wording};

pub(in super::super) static REVIEW: Template = Template {
    markers: &["test", "erfahrung", "review", "bewertung"],
    plain: Wording {
        titles: &[
            "{K} im Test: Lohnt sich der Kauf wirklich?",
            "{K} im Test: Lohnt sich der Kauf?",
            "{K} im Test",
        ],
        descriptions: &[
            "{K} im Test: Funktionen, Alltagstauglichkeit, Vor- und Nachteile und Preis. So finden Sie heraus, ob sich der Kauf für Sie lohnt.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Lohnt sich der Kauf wirklich?",
            "{K}: Lohnt sich der Kauf?",
            "{K}",
        ],
        descriptions: &[
            "{K}: Funktionen, Alltagstauglichkeit, Vor- und Nachteile und Preis. So finden Sie heraus, ob sich der Kauf für Sie lohnt.",
        ],
    },
    slug_affix: SlugAffix::Suffix("test"),
    outline: &[
        (2, "{K} im Überblick"),
        (2, "Für wen eignet sich das Produkt?"),
        (2, "Funktionen und technische Daten"),
        (3, "Verarbeitung und Design"),
        (3, "Leistung im Alltag"),
        (2, "Vor- und Nachteile"),
        (2, "Preis-Leistungs-Verhältnis"),
        (2, "Alternativen"),
        (2, "Häufige Fragen"),
        (2, "Fazit: Unsere Bewertung"),
    ],
};

pub(in super::super) static COMPARISON: Template = Template {
    markers: &["vergleich", "vs", "versus"],
    plain: Wording {
        titles: &[
            "{K} im Vergleich: Was passt am besten zu Ihnen?",
            "{K} im Vergleich: Was ist am besten?",
            "{K} im Vergleich",
        ],
        descriptions: &[
            "{K} im direkten Vergleich: Funktionen, Preise, Stärken und Schwächen. Finden Sie heraus, welche Option am besten zu Ihnen passt.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Was passt am besten zu Ihnen?",
            "{K}: Was ist am besten?",
            "{K}",
        ],
        descriptions: &[
            "{K}: Funktionen, Preise, Stärken und Schwächen im direkten Vergleich. Finden Sie heraus, welche Option am besten zu Ihnen passt.",
        ],
    },
    slug_affix: SlugAffix::Suffix("vergleich"),
    outline: &[
        (2, "{K}: Die Kandidaten im Überblick"),
        (2, "So haben wir verglichen"),
        (2, "Vergleichstabelle"),
        (2, "Der direkte Vergleich"),
        (3, "Funktionen"),
        (3, "Preis und Leistung"),
        (3, "Bedienung"),
        (3, "Support und Garantie"),
        (2, "Welche Option passt zu Ihnen?"),
        (2, "Häufige Fragen"),
        (2, "Fazit"),
    ],
};

pub(in super::super) static GUIDE: Template = Template {
    markers: &["ratgeber", "anleitung", "leitfaden", "tipps"],
    plain: Wording {
        titles: &[
            "{K}: Der große Ratgeber für Einsteiger",
            "{K}: Der große Ratgeber",
            "{K}: Ratgeber",
        ],
        descriptions: &[
            "Alles, was Sie über {k} wissen müssen: Grundlagen, eine Schritt-für-Schritt-Anleitung, typische Fehler und Tipps aus der Praxis.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Schritt für Schritt erklärt",
            "{K}: Schritt für Schritt",
            "{K}",
        ],
        descriptions: &[
            "{K}: Grundlagen, eine Schritt-für-Schritt-Anleitung, typische Fehler und Tipps aus der Praxis – verständlich erklärt.",
        ],
    },
    slug_affix: SlugAffix::Suffix("ratgeber"),
    outline: &[
        (2, "{K}: Die Grundlagen"),
        (2, "Warum das wichtig ist"),
        (2, "Was Sie brauchen"),
        (2, "Schritt-für-Schritt-Anleitung"),
        (3, "Schritt 1: Vorbereitung"),
        (3, "Schritt 2: Umsetzung"),
        (3, "Schritt 3: Kontrolle und Feinschliff"),
        (2, "Typische Fehler vermeiden"),
        (2, "Tipps aus der Praxis"),
        (2, "Häufige Fragen"),
        (2, "Fazit"),
    ],
};

pub(in super::super) static LISTICLE: Template = Template {
    markers: &["beste", "top"],
    plain: Wording {
        titles: &[
            "{K}: Die besten Modelle im Überblick",
            "{K}: Die besten Modelle",
            "{K}: Top-Auswahl",
        ],
        descriptions: &[
            "Die besten Produkte rund um {k} im Überblick: nach Qualität, Ausstattung und Preis verglichen. Hier sind unsere Favoriten für jedes Budget.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Unsere Favoriten im Überblick",
            "{K}: Unsere Favoriten",
            "{K}",
        ],
        descriptions: &[
            "{K} im Überblick: nach Qualität, Ausstattung und Preis verglichen. Hier sind unsere Favoriten für jeden Bedarf und jedes Budget.",
        ],
    },
    slug_affix: SlugAffix::Prefix("beste"),
    outline: &[
        (2, "Unsere Favoriten auf einen Blick"),
        (2, "So haben wir ausgewählt"),
        (2, "Die Favoriten im Detail"),
        (3, "1. Beste Wahl insgesamt"),
        (3, "2. Preis-Leistungs-Tipp"),
        (3, "3. Für Einsteiger"),
        (3, "4. Premium-Wahl"),
        (2, "Kaufberatung: {K}"),
        (2, "Häufige Fragen"),
        (2, "Fazit"),
    ],
};
