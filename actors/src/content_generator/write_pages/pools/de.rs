//! German sentence pools (formal "Sie"). `{k}` is the keyword; `[a|b]` picks one alternative per page.

use super::{Description, Facts, Headings, Lead, Pools};

pub(in super::super) static DE: Pools = Pools {
    intro: &[
        "In diesem [Artikel|Beitrag] geht es um {k}. Wir zeigen, [worauf es ankommt|was wirklich zählt] und wie Sie [gut|sicher] entscheiden.",
        "Sie [interessieren sich für|suchen] {k}? [Hier finden Sie|Hier gibt es] einen klaren Überblick [ohne Fachchinesisch|in einfachen Worten].",
        "Beim Thema {k} [gibt es viele Fragen|ist vieles neu]. Wir [ordnen|klären] die [wichtigsten Punkte|Grundlagen] Schritt für Schritt.",
        "Eine gute Wahl bei {k} beginnt mit den [richtigen Fragen|richtigen Zielen]. [Wir gehen sie|Gehen wir sie] [gemeinsam|der Reihe nach] durch.",
    ],
    with_keyword: &[
        "Bei {k} machen [kleine Details|Kleinigkeiten] im Alltag [viel aus|den Unterschied].",
        "[Viele Leser|Viele Menschen] fragen vor dem Kauf nach {k}. [Die kurze Antwort|Unsere Antwort]: Es kommt auf Ihren Bedarf an.",
        "Überlegen Sie, wie oft Sie {k} nutzen und [welche Funktionen|was] Sie [wirklich|tatsächlich] brauchen.",
        "Die [Preise|Angebote] für {k} ändern sich oft. [Achten Sie|Schauen Sie] deshalb auf das ganze Paket.",
        "{k} passt nicht zu jedem. [Prüfen Sie|Klären Sie] zuerst Ihre [Gewohnheiten|Ansprüche].",
        "Ein guter Start bei {k} ist eine kurze Liste mit [Pflicht und Kür|dem, was Sie brauchen, und dem, was Sie weglassen können].",
        "[Wenn Sie|Sobald Sie] {k} vergleichen, [nutzen|prüfen] Sie für jede Option die gleichen Punkte.",
        "[Lassen Sie sich Zeit|Nehmen Sie sich Zeit] bei {k}. Ein [ruhiger|genauer] Blick [spart Geld|erspart Ärger].",
        "Bei {k} zählen [Garantie und Service|Service und Garantie] so viel wie die [Ausstattung|Technik].",
        "[Berichte von Besitzern|Erfahrungen anderer Käufer] helfen, {k} [fair|richtig] einzuschätzen.",
    ],
    general: &[
        "Nehmen Sie sich [hierfür|dafür] Zeit. [Etwas|Ein wenig] Planung erspart später Ärger.",
        "Behalten Sie Ihre eigenen [Ziele|Wünsche] im Blick. Was anderen wichtig ist, muss es für Sie nicht sein.",
        "Wenn etwas unklar ist, vergleichen Sie zwei oder drei [Optionen|Angebote] direkt.",
        "Lesen Sie auch das Kleingedruckte. Lieferzeit, [Rückgabe|Umtausch] und Ersatzteile [werden leicht übersehen|gehen schnell unter].",
        "Eine gute Wahl [verbindet|vereint] Qualität, Komfort und Preis.",
        "Denken Sie an [Pflege|Wartung] und Reinigung. Das kostet Zeit und Geld.",
        "Vertrauen Sie Ihrem [Urteil|Gefühl]. Die beste Wahl passt zu Ihrem Bedarf und Budget.",
        "[Einfache|Schlichte] Technik hält oft länger als [viele|teure] Extras.",
        "[Schreiben Sie auf|Notieren Sie], was Sie brauchen, bevor Sie Angebote [ansehen|prüfen].",
        "Legen Sie [zuerst|früh] ein Budget fest und [bleiben Sie dabei|halten Sie es ein].",
        "Fragen Sie Freunde, die [so etwas|das] schon [nutzen|besitzen]. Ihr Rat ist [viel wert|wertvoll].",
        "Messen Sie den Platz aus. Die Größe [zählt|spielt] oft mehr [als gedacht|eine Rolle als erwartet].",
        "Ein Blick in die Anleitung [lohnt sich|hilft]. Sie zeigt, wie [leicht|einfach] die Bedienung ist.",
        "Achten Sie auf die [Folgekosten|laufenden Kosten], nicht nur auf den Preis [heute|beim Kauf].",
        "[Leise|Ruhige] und [einfache|klare] Bedienung [zählt|wiegt] oft mehr als ein Knopf mehr.",
        "Eine lange Garantie ist ein [gutes Zeichen|Plus] für die Qualität.",
    ],
    closing: &[
        "Weitere [Artikel|Ratgeber] zum Thema finden Sie auf {link}.",
        "[Mehr dazu|Mehr zum Thema] lesen Sie auf {link}.",
        "[Noch Fragen|Mehr Hilfe]? Besuchen Sie {link}.",
    ],
    lead: Lead {
        review: "[In diesem Test|Hier] sehen wir uns {k} [genau|im Detail] an: Stärken, Schwächen und Preis.",
        comparison: "[Dieser Vergleich|Hier] stellt {k} nebeneinander, damit die Unterschiede [klar werden|sichtbar sind].",
        listicle: "[Diese Liste|Unsere Liste] [sammelt|zeigt] Optionen für {k} und sagt, für wen sie [passen|sich eignen].",
        guide: "[Dieser Ratgeber|Hier] erklärt {k} Schritt für Schritt, von den Grundlagen bis zu den Details.",
        category: "[In diesem Bereich|Hier] finden Sie unsere Artikel zu {k}: Tests, Vergleiche und Ratgeber.",
        home: "[Willkommen|Herzlich willkommen]! [Diese Seite|Hier] dreht sich alles um {k}: [Tests, Vergleiche und Ratgeber|Ratgeber, Listen und Tests].",
    },
    headings: Headings {
        facts_review: "Preis und Produktdaten",
        facts_comparison: "Vergleichstabelle",
        facts_listicle: "Die Produkte dieser Liste",
        category: &[
            "Was dieser Bereich bietet",
            "So nutzen Sie die Artikel",
            "Darauf sollten Sie achten",
            "Vor dem Kauf",
        ],
        home: &[
            "Was Sie hier finden",
            "Unsere Themen",
            "So nutzen Sie diese Seite",
            "Vor dem Kauf",
        ],
        read_next: "Weiterlesen",
        skip: &["Häufige Fragen", "Vergleichstabelle"],
    },
    facts: Facts {
        price: "{name} wird mit {price} angeboten.",
        no_price: "{name} wird ohne Preisangabe geführt.",
        source: "Quelle: {source}.",
        note: "Die Preise stammen aus den genannten Quellen und können sich ändern.",
        table_head: "| Produkt | Preis | Quelle |",
        no_price_cell: "keine Angabe",
    },
    faq: &[
        (
            "Worauf sollte ich bei {k} achten?",
            "Notieren Sie Ihren Bedarf, vergleichen Sie für jede Option die gleichen Punkte und prüfen Sie Garantie und Folgekosten.",
        ),
        (
            "Ist das günstigste Angebot für {k} eine gute Wahl?",
            "Manchmal. Achten Sie auf die Kosten über die ganze Nutzung, mit Pflege, Ersatzteilen und Service.",
        ),
        (
            "Wie finde ich das passende Angebot für {k}?",
            "Beginnen Sie mit Budget und Einsatzzweck und vergleichen Sie dann zwei oder drei Optionen direkt.",
        ),
    ],
    description: Description {
        category: "{K}: Tests, Vergleiche und Ratgeber an einem Ort. Finden Sie, was zu Ihnen passt.",
        home: "{S}: alles zum Thema {k}, mit Tests, Vergleichen, Kaufberatung und Tipps.",
    },
};
