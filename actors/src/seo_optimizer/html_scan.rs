//! A small, tolerant HTML tokenizer: enough structure for an SEO audit, never a panic on
//! malformed input. It does not build a tree or apply HTML's implied-end-tag rules.

use std::ops::Range;

/// One piece of the document. Names are lower case; text and attribute values are raw
/// (entities not yet decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Start {
        name: String,
        attrs: Vec<(String, &'a str)>,
    },
    End {
        name: String,
    },
    Text(&'a str),
}

impl Token<'_> {
    /// The value of attribute `name` (lower case) on a start tag; the first one wins, as in
    /// browsers.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        match self {
            Token::Start { attrs, .. } => attrs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| *value),
            _ => None,
        }
    }
}

/// Elements whose content is not markup: skipped entirely (`script`, `style`) or kept as text
/// (`title`, `textarea`).
const SKIPPED: &[&str] = &["script", "style", "template"];
const RAW_TEXT: &[&str] = &["title", "textarea"];

pub(crate) fn tokenize(html: &str) -> Vec<Token<'_>> {
    tokenize_spanned(html)
        .into_iter()
        .map(|(_, token)| token)
        .collect()
}

/// Like [`tokenize`], with each token's byte range in `html`, so a rewriter can replace a tag.
pub(crate) fn tokenize_spanned(html: &str) -> Vec<(Range<usize>, Token<'_>)> {
    let bytes = html.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = find_byte(bytes, i, b'<').unwrap_or(bytes.len());
            tokens.push((i..end, Token::Text(slice(html, i, end))));
            i = end;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        if bytes[i..].starts_with(b"<!--") {
            i = find_str(bytes, i + 4, b"-->").map_or(bytes.len(), |end| end + 3);
        } else if next == b'!' || next == b'?' {
            i = find_byte(bytes, i, b'>').map_or(bytes.len(), |end| end + 1);
        } else if next == b'/' && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after_name) = read_name(html, i + 2);
            let start = i;
            i = find_byte(bytes, after_name, b'>').map_or(bytes.len(), |end| end + 1);
            tokens.push((start..i, Token::End { name }));
        } else if next.is_ascii_alphabetic() {
            let (name, after_name) = read_name(html, i + 1);
            let (attrs, after_tag) = read_attrs(html, after_name);
            let start = i;
            i = after_tag;
            let skipped = SKIPPED.contains(&name.as_str());
            let raw = RAW_TEXT.contains(&name.as_str());
            let closing = format!("</{name}");
            tokens.push((start..i, Token::Start { name, attrs }));
            if skipped || raw {
                let end = find_str_ci(bytes, i, closing.as_bytes()).unwrap_or(bytes.len());
                if raw {
                    tokens.push((i..end, Token::Text(slice(html, i, end))));
                }
                i = end;
            }
        } else {
            // A '<' that starts no tag ("a < b") is text.
            tokens.push((i..i + 1, Token::Text(slice(html, i, i + 1))));
            i += 1;
        }
    }
    tokens
}

/// `html[start..end]`, or `""` if that is not a valid slice (it always is: every boundary
/// this module computes sits next to an ASCII byte).
fn slice(html: &str, start: usize, end: usize) -> &str {
    html.get(start..end).unwrap_or("")
}

fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|pos| from + pos)
}

fn find_str(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|pos| from + pos)
}

fn find_str_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map(|pos| from + pos)
}

/// A tag or attribute name starting at `start`: everything up to whitespace, `/`, `>` or `=`.
fn read_name(html: &str, start: usize) -> (String, usize) {
    let bytes = html.as_bytes();
    let mut end = start;
    while end < bytes.len()
        && !matches!(bytes[end], b'/' | b'>' | b'=')
        && !bytes[end].is_ascii_whitespace()
    {
        end += 1;
    }
    (slice(html, start, end).to_ascii_lowercase(), end)
}

/// Attributes from `start` up to the end of the tag; returns them and the index after `>`.
fn read_attrs(html: &str, start: usize) -> (Vec<(String, &str)>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = start;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return (attrs, bytes.len()),
            Some(b'>') => return (attrs, i + 1),
            Some(_) => {}
        }
        let (name, after_name) = read_name(html, i);
        i = after_name;
        if name.is_empty() {
            // A stray '=' (or similar); skip it so the loop always advances.
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attrs.push((name, ""));
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, after_value) = match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = find_byte(bytes, j + 1, quote).unwrap_or(bytes.len());
                (slice(html, j + 1, end), (end + 1).min(bytes.len()))
            }
            _ => {
                let mut end = j;
                while end < bytes.len() && bytes[end] != b'>' && !bytes[end].is_ascii_whitespace() {
                    end += 1;
                }
                (slice(html, j, end), end)
            }
        };
        attrs.push((name, value));
        i = after_value;
    }
}

#[cfg(test)]
mod tests;
