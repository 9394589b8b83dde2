//! Front matter at the top of generated Markdown: `---`, `key: value` lines, `---`.

use std::collections::BTreeMap;

/// The `key: value` pairs of a front-matter block, values trimmed and unquoted.
pub type FrontMatter = BTreeMap<String, String>;

/// Splits Markdown into its front matter (if it starts with a `---` block that is closed)
/// and the body after it. Anything else is all body, so plain Markdown passes unchanged.
pub fn split(markdown: &str) -> (Option<FrontMatter>, &str) {
    let Some(rest) = markdown
        .strip_prefix("---\n")
        .or_else(|| markdown.strip_prefix("---\r\n"))
    else {
        return (None, markdown);
    };
    let mut offset = 0;
    let mut fields = FrontMatter::new();
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if trimmed == "---" || trimmed == "..." {
            return (Some(fields), &rest[offset..]);
        }
        if let Some((key, value)) = trimmed.split_once(':') {
            let key = key.trim();
            if !key.is_empty() && !key.starts_with('#') {
                fields.insert(key.to_owned(), unquote(value.trim()).to_owned());
            }
        }
    }
    // Never closed: not front matter after all.
    (None, markdown)
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let (fm, body) = split("---\ntitle: \"Best: blenders\"\nkind: review\n---\n# Hi\n");
        let fm = fm.unwrap();
        assert_eq!(fm["title"], "Best: blenders");
        assert_eq!(fm["kind"], "review");
        assert_eq!(body, "# Hi\n");
    }

    #[test]
    fn markdown_without_a_closed_block_is_all_body() {
        assert_eq!(split("# Hi\n---\n"), (None, "# Hi\n---\n"));
        assert_eq!(
            split("---\ntitle: x\n# never closed\n"),
            (None, "---\ntitle: x\n# never closed\n")
        );
    }
}
