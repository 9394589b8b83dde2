//! Keywords for a site when too few are imported: deterministic expansions of the niche
//! (buyer, comparison and how-to phrasings, then the same with an audience), and the merge of
//! scored imports with them.

use std::collections::HashSet;

use super::SiteKeyword;
use crate::intelligence::nlp::Language;

/// Phrasings of a niche `{n}`, most commercial first.
const EN_PATTERNS: &[&str] = &[
    "best {n}",
    "{n} review",
    "{n} comparison",
    "how to choose {n}",
    "{n} buying guide",
    "{n} test",
    "cheap {n}",
    "{n} for beginners",
    "{n} tips",
    "{n} alternatives",
    "{n} brands",
    "{n} accessories",
    "how to clean {n}",
    "{n} care guide",
    "{n} mistakes to avoid",
    "{n} checklist",
    "{n} features explained",
    "{n} questions and answers",
    "{n} for home",
    "{n} value for money",
];

const DE_PATTERNS: &[&str] = &[
    "{n} test",
    "beste {n}",
    "{n} kaufen",
    "{n} vergleich",
    "{n} ratgeber",
    "{n} kaufberatung",
    "{n} erfahrungen",
    "{n} günstig",
    "{n} für anfänger",
    "{n} tipps",
    "{n} alternativen",
    "{n} marken",
    "{n} zubehör",
    "{n} reinigen",
    "{n} pflege",
    "{n} fehler vermeiden",
    "{n} checkliste",
    "{n} funktionen erklärt",
    "{n} fragen und antworten",
    "{n} preis leistung",
];

/// Who a phrasing can be narrowed to, for sites that need more pages than the patterns give.
const EN_AUDIENCES: &[&str] = &[
    "for families",
    "for small spaces",
    "for professionals",
    "for seniors",
    "for students",
    "for travel",
    "for everyday use",
    "for small budgets",
    "for experts",
    "for couples",
];

const DE_AUDIENCES: &[&str] = &[
    "für familien",
    "für kleine räume",
    "für profis",
    "für senioren",
    "für studenten",
    "für unterwegs",
    "für den alltag",
    "mit kleinem budget",
    "für experten",
    "für paare",
];

/// Up to `count` expansions of `niche`: every pattern, then each pattern's core phrase narrowed
/// to each audience. The same niche and language always give the same list.
pub fn expansions(niche: &str, language: Language, count: usize) -> Vec<String> {
    let niche = niche.split_whitespace().collect::<Vec<_>>().join(" ");
    let niche_ref = niche.as_str();
    let (patterns, audiences) = match language {
        Language::En => (EN_PATTERNS, EN_AUDIENCES),
        Language::De => (DE_PATTERNS, DE_AUDIENCES),
    };
    let plain = patterns.iter().map(|p| p.replace("{n}", niche_ref));
    let narrowed = audiences.iter().flat_map(|audience| {
        patterns
            .iter()
            .map(move |p| format!("{} {audience}", p.replace("{n}", niche_ref)))
    });
    let mut seen = HashSet::new();
    std::iter::once(niche.clone())
        .chain(plain)
        .chain(narrowed)
        .filter(|k| seen.insert(k.to_lowercase()))
        .take(count)
        .collect()
}

/// `scored` (imported, best first) followed by expansions until `count` keywords, without
/// repeating a keyword (case and spacing aside); expansions score 0, as nothing measured them.
pub fn top_up(
    scored: Vec<SiteKeyword>,
    niche: &str,
    language: Language,
    count: usize,
) -> Vec<SiteKeyword> {
    let key = |k: &str| {
        k.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut seen = HashSet::new();
    let mut out: Vec<SiteKeyword> = scored
        .into_iter()
        .filter(|k| seen.insert(key(&k.keyword)))
        .take(count)
        .collect();
    if out.len() < count {
        // Enough candidates that those already imported can be skipped.
        let wanted = count + out.len();
        for keyword in expansions(niche, language, wanted) {
            if out.len() == count {
                break;
            }
            if seen.insert(key(&keyword)) {
                out.push(SiteKeyword {
                    keyword,
                    score: 0.0,
                    source: super::Source::Expansion,
                });
            }
        }
    }
    out
}
