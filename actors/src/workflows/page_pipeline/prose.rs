//! The template paragraphs of a pipeline page, in English and German.

use crate::content_generator::outline::Language;

/// The paragraphs of one language. `{k}` stands for the keyword, `{link}` for a Markdown link to the site's home page; the
/// templates themselves hold no Markdown syntax.
pub(crate) struct Prose {
    /// The first paragraph, right under the H1; it names the keyword, as the audit wants.
    pub intro: &'static str,
    /// The first paragraph under every other heading, cycled; each names the keyword once.
    pub with_keyword: &'static [&'static str],
    /// Every other paragraph, cycled.
    pub general: &'static [&'static str],
    /// The last paragraph.
    pub closing: &'static str,
}

pub(crate) fn prose(language: Language) -> &'static Prose {
    match language {
        Language::En => &EN,
        Language::De => &DE,
    }
}

static EN: Prose = Prose {
    intro: "This article is all about {k}. We explain what really matters, which points deserve a closer look and how to make a decision you will be happy with for years to come.",
    with_keyword: &[
        "When it comes to {k}, the details decide. This section sums up what we found and what it means for you in everyday use.",
        "Many readers ask us about {k} before they buy. The points below answer the most common questions in plain language.",
        "We looked at {k} from a practical angle: how it performs, what it costs over time and where it falls short.",
        "Not every option around {k} suits every need. Think about how often you will use it and which features you would actually miss.",
        "Our notes on {k} come from comparing specifications, reading manuals and checking what owners report after months of use.",
        "Prices around {k} change often, so look at the value rather than the price tag alone: warranty, running costs and support all count.",
    ],
    general: &[
        "Take your time here. A few minutes of planning now saves frustration later and helps you avoid the most common mistakes.",
        "Keep your own priorities in mind. What matters to one person may be irrelevant to another, so weigh each point against how you live and work.",
        "If something is unclear, compare two or three options side by side. Differences that look small on paper often matter in daily use.",
        "Check the small print as well: delivery times, return policies and the availability of spare parts are easy to overlook.",
        "A sensible choice balances quality, convenience and price, and it is one you will still be glad about a year from now.",
        "Independent test reports and long-term reviews are worth a look too, because they show how well a product holds up once the first excitement has faded.",
        "Think about maintenance before you commit. Cleaning, consumables and occasional repairs take time and money, and they are rarely mentioned in advertising.",
        "Trust your own judgement: the best choice is the one that fits your needs and your budget, not the one with the longest list of features.",
    ],
    closing: "You will find more articles like this one on {link}.",
};

static DE: Prose = Prose {
    intro: "In diesem Artikel dreht sich alles um das Thema {k}. Wir zeigen, worauf es wirklich ankommt, welche Punkte Sie genauer prüfen sollten und wie Sie eine Entscheidung treffen, mit der Sie lange zufrieden sind.",
    with_keyword: &[
        "Beim Thema {k} entscheiden die Details. In diesem Abschnitt fassen wir zusammen, was uns aufgefallen ist und was das für Sie im Alltag bedeutet.",
        "Viele Leserinnen und Leser haben vor dem Kauf Fragen rund um {k}. Die folgenden Punkte beantworten die häufigsten davon in verständlicher Sprache.",
        "Wir haben das Thema {k} aus praktischer Sicht betrachtet: wie gut es im Alltag funktioniert, was es auf Dauer kostet und wo die Grenzen liegen.",
        "Nicht jede Lösung rund um {k} passt zu jedem Bedarf. Überlegen Sie, wie oft Sie sie nutzen werden und welche Funktionen Ihnen wirklich wichtig sind.",
        "Unsere Hinweise zum Thema {k} beruhen auf dem Vergleich von Datenblättern, Bedienungsanleitungen und Erfahrungsberichten aus dem Alltag.",
        "Die Preise rund um {k} ändern sich häufig. Achten Sie deshalb auf das Gesamtpaket aus Garantie, Folgekosten und Service statt nur auf den Kaufpreis.",
    ],
    general: &[
        "Nehmen Sie sich hierfür etwas Zeit. Ein wenig Planung erspart Ihnen später Ärger und hilft, die häufigsten Fehler zu vermeiden.",
        "Behalten Sie Ihre eigenen Prioritäten im Blick. Was für andere wichtig ist, muss für Sie keine Rolle spielen, und umgekehrt.",
        "Wenn etwas unklar ist, vergleichen Sie zwei oder drei Optionen direkt miteinander. Kleine Unterschiede auf dem Papier machen im Alltag oft viel aus.",
        "Lesen Sie auch das Kleingedruckte: Lieferzeiten, Rückgaberegeln und die Verfügbarkeit von Ersatzteilen werden leicht übersehen.",
        "Eine gute Wahl verbindet Qualität, Komfort und Preis, und sie überzeugt Sie auch in einem Jahr noch.",
        "Ein Blick in unabhängige Testberichte und Langzeiterfahrungen lohnt sich ebenfalls, denn sie zeigen, wie sich ein Produkt nach der ersten Begeisterung bewährt.",
        "Denken Sie auch an Pflege und Wartung. Reinigung, Verbrauchsmaterial und gelegentliche Reparaturen kosten Zeit und Geld, werden in der Werbung aber selten erwähnt.",
        "Vertrauen Sie Ihrem eigenen Urteil: Die beste Wahl ist die, die zu Ihrem Bedarf und Ihrem Budget passt, nicht die mit den meisten Funktionen.",
    ],
    closing: "Weitere Artikel dieser Art finden Sie auf {link}.",
};
