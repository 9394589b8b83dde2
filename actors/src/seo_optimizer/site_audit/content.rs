//! Content checks: heading order, keyphrase density and readability (from the NLP utilities).

use super::model::{CheckId, CheckResult, PageStats};
use super::scan::PageScan;
use super::settings::AuditSettings;
use crate::intelligence::nlp::{self, Language};

pub(crate) fn checks(
    language: Language,
    keyphrase: Option<&str>,
    scan: &PageScan,
    settings: &AuditSettings,
    stats: &mut PageStats,
) -> Vec<CheckResult> {
    stats.words = nlp::words(&scan.main_text).len();
    let mut out = vec![heading_order(&scan.headings)];
    if let Some(phrase) = keyphrase.filter(|p| !p.trim().is_empty()) {
        out.push(keyphrase_density(language, scan, phrase, settings, stats));
    }
    out.push(readability(language, scan, settings, stats));
    out
}

/// Headings start at `<h1>` and never skip a level going down (`h2` → `h4`).
fn heading_order(headings: &[(u8, String)]) -> CheckResult {
    let mut previous = 0u8;
    for (level, text) in headings {
        if *level > previous + 1 {
            let message = if previous == 0 {
                format!("The first heading “{text}” is an <h{level}>; start with <h1>")
            } else {
                format!(
                    "<h{level}> “{text}” follows an <h{previous}>; make it an <h{}>",
                    previous + 1
                )
            };
            return CheckResult::new(CheckId::HeadingOrder, 4, false, message);
        }
        previous = *level;
    }
    CheckResult::new(CheckId::HeadingOrder, 4, true, "Headings are in order")
}

fn keyphrase_density(
    language: Language,
    scan: &PageScan,
    phrase: &str,
    settings: &AuditSettings,
    stats: &mut PageStats,
) -> CheckResult {
    let found = nlp::placement(&scan.main_text, phrase, language);
    stats.keyphrase_density = Some(found.density);
    let range = settings.min_keyphrase_density..=settings.max_keyphrase_density;
    let passed = range.contains(&found.density);
    let mut message = format!(
        "“{phrase}” occurs {} times in {} words ({:.1} %); aim for {:.1}–{:.1} %",
        found.occurrences,
        found.words,
        found.density * 100.0,
        settings.min_keyphrase_density * 100.0,
        settings.max_keyphrase_density * 100.0
    );
    if found.density > settings.max_keyphrase_density {
        message.push_str("; use it less often");
    } else if !passed {
        message.push_str("; use it more often");
    }
    CheckResult::new(CheckId::KeyphraseDensity, 5, passed, message)
}

fn readability(
    language: Language,
    scan: &PageScan,
    settings: &AuditSettings,
    stats: &mut PageStats,
) -> CheckResult {
    // Paragraphs without final punctuation (list items) still end a sentence.
    let text: String = scan
        .paragraphs
        .iter()
        .map(|p| {
            if p.ends_with(['.', '!', '?', '…', ':']) {
                format!("{p} ")
            } else {
                format!("{p}. ")
            }
        })
        .collect();
    let formula = match language {
        Language::En => "Flesch",
        Language::De => "Amstad",
    };
    let Some(score) = nlp::readability(&text, language) else {
        return CheckResult::new(CheckId::Readability, 5, true, "No prose to score");
    };
    stats.readability = Some(score.score);
    let passed = score.score >= settings.min_readability;
    let mut message = format!(
        "{formula} reading ease {:.0} ({}, {:.1} words per sentence); the minimum is {:.0}",
        score.score,
        score.band.as_str(),
        score.words as f64 / score.sentences as f64,
        settings.min_readability
    );
    if !passed {
        message.push_str("; use shorter sentences and simpler words");
    }
    CheckResult::new(CheckId::Readability, 5, passed, message)
}
