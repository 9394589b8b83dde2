//! Alt text for images that lack it: the figure's caption, else words from the file name.

use std::ops::Range;

use super::{escape, rebuild_owned};
use crate::seo_optimizer::entities;
use crate::seo_optimizer::site_audit::scan::collapse;

/// An image without alt text, waiting to learn whether its figure has a caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pending {
    pub span: Range<usize>,
    pub name: String,
    /// Raw attribute values, as written.
    pub attrs: Vec<(String, String)>,
    pub src: String,
}

impl Pending {
    /// The rewritten tag and a note of what was done; `None` when no alt text can be derived.
    pub fn resolve(&self, caption: Option<&str>) -> Option<(String, String)> {
        let alt = caption
            .map(str::to_owned)
            .or_else(|| from_file_name(&self.src))?;
        let mut attrs: Vec<(String, String)> = self
            .attrs
            .iter()
            .filter(|(k, _)| k != "alt")
            .cloned()
            .collect();
        attrs.push(("alt".to_owned(), escape(&alt)));
        let source = if caption.is_some() {
            "caption"
        } else {
            "file name"
        };
        Some((
            rebuild_owned(&self.name, &attrs),
            format!("added alt=\"{alt}\" (from the {source}) to {}", self.src),
        ))
    }
}

/// A `<figure>` being read: its caption text and its images without alt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Figure {
    pub in_caption: bool,
    caption: String,
    pub images: Vec<Pending>,
}

impl Figure {
    pub fn text(&mut self, raw: &str) {
        if self.in_caption {
            self.caption.push_str(&entities::decode(raw));
            self.caption.push(' ');
        }
    }

    /// The edits for the figure's images: `(range, tag, detail)`.
    pub fn resolve(self) -> Vec<(Range<usize>, String, String)> {
        let caption = collapse(&self.caption);
        let caption = Some(caption.as_str()).filter(|c| !c.is_empty());
        self.images
            .into_iter()
            .filter_map(|image| {
                let (tag, detail) = image.resolve(caption)?;
                Some((image.span, tag, detail))
            })
            .collect()
    }
}

/// "robot-vacuum_on-rug.3f2a9c1b.webp" → "Robot vacuum on rug": the file name's words, without
/// extension, content hashes, sizes and numbers.
pub(super) fn from_file_name(src: &str) -> Option<String> {
    let path = src.split(['?', '#']).next().unwrap_or("");
    let file = percent_decode(path.rsplit('/').next().unwrap_or(""));
    let stem = match file.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.len() <= 5 => stem,
        _ => file.as_str(),
    };
    let words: Vec<&str> = stem
        .split(['-', '_', '.', '+', ' '])
        .filter(|w| !w.is_empty() && !is_noise(w))
        .collect();
    if !words
        .iter()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
    {
        return None;
    }
    let text = words.join(" ").to_lowercase();
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Hashes (`3f2a9c1b`), numbers, sizes (`800x600`, `w800`, `2x`).
fn is_noise(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let hex_hash = lower.len() >= 6
        && lower.bytes().all(|b| b.is_ascii_hexdigit())
        && lower.bytes().any(|b| b.is_ascii_digit());
    let number = lower.bytes().all(|b| b.is_ascii_digit());
    let size = lower
        .split('x')
        .all(|part| part.is_empty() || part.bytes().all(|b| b.is_ascii_digit()))
        && lower.bytes().any(|b| b.is_ascii_digit());
    let width = lower.len() > 1
        && lower.starts_with(['w', 'h'])
        && lower[1..].bytes().all(|b| b.is_ascii_digit());
    hex_hash || number || size || width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_words() {
        assert_eq!(
            from_file_name("/img/robot-vacuum_on-rug.3f2a9c1b.webp").as_deref(),
            Some("Robot vacuum on rug")
        );
        assert_eq!(
            from_file_name("https://cdn.example.com/M%C3%BCsli-Schale-800x600.jpg?v=2").as_deref(),
            Some("Müsli schale")
        );
        assert_eq!(from_file_name("/img/1234.jpg"), None);
        assert_eq!(from_file_name(""), None);
    }
}
