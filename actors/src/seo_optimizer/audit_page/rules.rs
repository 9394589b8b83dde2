//! The audit's checks, their weights (summing to 100) and their messages.

use super::Check;
use crate::seo_optimizer::page_facts::PageFacts;

const TITLE_CHARS: (usize, usize) = (30, 60);
const DESCRIPTION_CHARS: (usize, usize) = (70, 160);
/// Below this, pages rarely rank for anything competitive.
const MIN_WORDS: usize = 300;

pub(crate) fn evaluate(facts: &PageFacts, keyword: &str) -> Vec<Check> {
    let keyword = normalize(keyword);
    let has = |text: Option<&str>| text.is_some_and(|t| normalize(t).contains(&keyword));
    let title = facts.title.as_deref().filter(|t| !t.is_empty());
    let description = facts.meta_description.as_deref().filter(|d| !d.is_empty());
    let missing_alts = facts
        .image_alts
        .iter()
        .filter(|alt| alt.as_deref().is_none_or(|a| a.trim().is_empty()))
        .count();
    let canonical_ok = facts
        .canonical
        .as_deref()
        .is_some_and(|c| c.starts_with("https://") || c.starts_with("http://"));

    vec![
        check(
            "title_present",
            10,
            title.is_some(),
            "The page has a non-empty <title>",
            "The page has no <title> or it is empty",
        ),
        length_check("title_length", 5, "Title", title, TITLE_CHARS),
        check(
            "meta_description_present",
            10,
            description.is_some(),
            "The page has a meta description",
            "The page has no <meta name=\"description\"> or it is empty",
        ),
        length_check(
            "meta_description_length",
            5,
            "Meta description",
            description,
            DESCRIPTION_CHARS,
        ),
        check(
            "single_h1",
            10,
            facts.h1.len() == 1,
            "The page has exactly one <h1>",
            &format!(
                "The page has {} <h1> elements; it should have exactly one",
                facts.h1.len()
            ),
        ),
        check(
            "keyword_in_title",
            10,
            has(title),
            "The keyword appears in the title",
            "The keyword does not appear in the title",
        ),
        check(
            "keyword_in_h1",
            8,
            facts.h1.iter().any(|h| has(Some(h))),
            "The keyword appears in the <h1>",
            "The keyword does not appear in an <h1>",
        ),
        check(
            "keyword_in_first_paragraph",
            7,
            has(facts.first_paragraph.as_deref()),
            "The keyword appears in the first paragraph",
            "The keyword does not appear in the first paragraph",
        ),
        check(
            "keyword_in_meta_description",
            5,
            has(description),
            "The keyword appears in the meta description",
            "The keyword does not appear in the meta description",
        ),
        check(
            "images_have_alt",
            7,
            missing_alts == 0,
            &format!("All {} images have alt text", facts.image_alts.len()),
            &format!(
                "{missing_alts} of {} images lack alt text",
                facts.image_alts.len()
            ),
        ),
        check(
            "has_links",
            5,
            !facts.links.is_empty(),
            &format!("The page has {} links", facts.links.len()),
            "The page has no links",
        ),
        check(
            "has_subheadings",
            4,
            facts.h2_count > 0,
            &format!("The page has {} <h2> subheadings", facts.h2_count),
            "The page has no <h2> subheadings",
        ),
        check(
            "content_length",
            6,
            facts.word_count >= MIN_WORDS,
            &format!("The page has {} words", facts.word_count),
            &format!(
                "The page has {} words; aim for at least {MIN_WORDS}",
                facts.word_count
            ),
        ),
        check(
            "html_lang",
            3,
            facts.lang.as_deref().is_some_and(|l| !l.is_empty()),
            "The <html> element declares a language",
            "The <html> element has no lang attribute",
        ),
        check(
            "canonical",
            3,
            canonical_ok,
            "The page declares an absolute canonical URL",
            "The page has no absolute <link rel=\"canonical\">",
        ),
        check(
            "viewport",
            2,
            facts.has_viewport,
            "The page has a viewport meta tag",
            "The page has no <meta name=\"viewport\">",
        ),
    ]
}

fn check(id: &str, weight: u32, passed: bool, if_passed: &str, if_failed: &str) -> Check {
    Check {
        id: id.to_owned(),
        passed,
        message: if passed { if_passed } else { if_failed }.to_owned(),
        weight,
    }
}

fn length_check(
    id: &str,
    weight: u32,
    what: &str,
    text: Option<&str>,
    (min, max): (usize, usize),
) -> Check {
    let Some(text) = text else {
        return check(id, weight, false, "", &format!("{what} is missing"));
    };
    let chars = text.chars().count();
    let passed = (min..=max).contains(&chars);
    let message = if passed {
        format!("{what} has {chars} characters ({min}–{max})")
    } else {
        format!("{what} has {chars} characters; aim for {min}–{max}")
    };
    check(id, weight, passed, &message, &message)
}

/// Lower case with whitespace runs collapsed, so matching ignores case and spacing.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
