//! The Markdown of a pipeline page: the outline's headings filled with keyword-aware prose.

use super::prose::prose;
use crate::content_generator::outline::{self, Language};

/// Where the closing paragraph links to: the site's home page.
pub(super) struct Home<'a> {
    pub url: &'a str,
    pub label: &'a str,
}

/// The page body, written so the rendered page passes the audit's keyword and content-length
/// checks: `# title`, the intro, then each heading (`##`/`###` by level) with one paragraph, plus a
/// second under each H2, and a closing paragraph linking home. The intro and the first
/// paragraph of every other section name the keyword. Every piece of text that comes
/// from the keyword or the outline is escaped, so it can never turn into Markdown syntax.
pub(super) fn markdown(
    plan: &outline::Output,
    keyword: &str,
    language: Language,
    home: &Home<'_>,
) -> String {
    let prose = prose(language);
    let keyword = escape(&keyword_text(keyword, language));
    let fill = |template: &str| template.replace("{k}", &keyword);

    let mut out = format!("# {}\n\n{}\n\n", escape(&plan.title), fill(prose.intro));
    // The keyword leads every other section: often enough to read as on-topic, seldom
    // enough not to read as stuffed.
    let mut general = prose.general.iter().cycle().copied();
    for (i, heading) in plan.outline.iter().enumerate() {
        let hashes = if heading.level == 3 { "###" } else { "##" };
        let first = if i % 2 == 0 {
            fill(nth(prose.with_keyword, i / 2))
        } else {
            general.next().unwrap_or_default().to_owned()
        };
        out.push_str(&format!(
            "{hashes} {}\n\n{first}\n\n",
            escape(&heading.heading)
        ));
        if heading.level == 2 {
            out.push_str(general.next().unwrap_or_default());
            out.push_str("\n\n");
        }
    }
    // The destination is a serialised URL: no spaces, `<`, `>` or line breaks.
    let link = format!("[{}](<{}>)", escape(home.label), home.url);
    out.push_str(&prose.closing.replace("{link}", &link));
    out.push('\n');
    out
}

/// Template `i`, cycling through the list.
fn nth(templates: &[&'static str], i: usize) -> &'static str {
    templates.iter().cycle().nth(i).copied().unwrap_or("")
}

/// The keyword as it reads in running text: one line, single spaces and, in German, a capital
/// first letter (keywords are mostly nouns), unless capitalising would change how it matches.
fn keyword_text(keyword: &str, language: Language) -> String {
    let plain = one_line(keyword);
    if language == Language::En {
        return plain;
    }
    let mut chars = plain.chars();
    let capitalised: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    // `ß` upper-cases to `SS`, which no longer matches the keyword case-insensitively.
    if capitalised.to_lowercase() == plain.to_lowercase() {
        capitalised
    } else {
        plain
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line of literal text: whitespace collapsed and every ASCII punctuation character
/// backslash-escaped, which CommonMark allows for all of them.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in one_line(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content_generator::outline::Heading;

    fn plan(title: &str, headings: &[(u8, &str)]) -> outline::Output {
        outline::Output {
            title: title.into(),
            meta_description: "d".into(),
            slug: "s".into(),
            outline: headings
                .iter()
                .map(|&(level, heading)| Heading {
                    heading: heading.into(),
                    level,
                })
                .collect(),
        }
    }

    const HOME: Home<'static> = Home {
        url: "https://espresso.example/",
        label: "espresso.example",
    };

    #[test]
    fn headings_keep_their_levels_and_get_prose() {
        let md = markdown(
            &plan("T", &[(2, "A"), (3, "B")]),
            "espresso machine",
            Language::En,
            &HOME,
        );
        assert!(
            md.starts_with("# T\n\nThis article is all about espresso machine."),
            "{md}"
        );
        assert!(md.contains("\n## A\n\n"), "{md}");
        assert!(md.contains("\n### B\n\n"), "{md}");
        assert!(md.ends_with("on [espresso\\.example](<https://espresso.example/>).\n"));
        // Two paragraphs under the H2, one under the H3 (then the closing one).
        let under_a = md
            .split("## A\n\n")
            .nth(1)
            .unwrap()
            .split("###")
            .next()
            .unwrap();
        assert_eq!(under_a.matches("\n\n").count(), 2, "{under_a}");
        let under_b = md.split("### B\n\n").nth(1).unwrap();
        assert_eq!(under_b.matches("\n\n").count(), 1, "{under_b}");
    }

    #[test]
    fn keyword_and_outline_text_cannot_inject_markdown() {
        let md = markdown(
            &plan("*Bold* [x](javascript:y)\n# Two", &[(2, "<b>h</b> ##")]),
            "c++ _under_ `code`",
            Language::En,
            &HOME,
        );
        assert!(
            md.starts_with("# \\*Bold\\* \\[x\\]\\(javascript\\:y\\) \\# Two\n\n"),
            "{md}"
        );
        assert!(md.contains("## \\<b\\>h\\<\\/b\\> \\#\\#\n"), "{md}");
        assert!(md.contains("c\\+\\+ \\_under\\_ \\`code\\`"), "{md}");
    }

    #[test]
    fn german_keywords_read_as_nouns() {
        assert_eq!(
            keyword_text("kaffee  vollautomat", Language::De),
            "Kaffee vollautomat"
        );
        assert_eq!(keyword_text("robot vacuum", Language::En), "robot vacuum");
        assert_eq!(keyword_text("ßtest", Language::De), "ßtest");
        let md = markdown(&plan("T", &[]), "siebträger", Language::De, &HOME);
        assert!(md.contains("um das Thema Siebträger."), "{md}");
        assert!(
            md.contains("Weitere Artikel dieser Art finden Sie auf [espresso"),
            "{md}"
        );
    }
}
