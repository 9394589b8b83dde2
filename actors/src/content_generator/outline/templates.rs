//! The wording of each article type, per language. `{K}` is the keyword in title form,
//! `{k}` the keyword as written.

mod de;
mod en;

use super::{ArticleType, Language};

/// Title and description candidates, longest first; the first that fits is used.
pub(super) struct Wording {
    pub titles: &'static [&'static str],
    pub descriptions: &'static [&'static str],
}

/// Where the article-type word goes in the slug.
pub(super) enum SlugAffix {
    Prefix(&'static str),
    Suffix(&'static str),
}

pub(super) struct Template {
    /// Word starts that mean the keyword already names the article type (`test` in
    /// "laufschuhe test"); then `marked` wording avoids saying it twice.
    pub markers: &'static [&'static str],
    pub plain: Wording,
    pub marked: Wording,
    pub slug_affix: SlugAffix,
    /// `(level, heading)` pairs; level is 2 or 3.
    pub outline: &'static [(u8, &'static str)],
}

pub(super) fn template(article_type: ArticleType, language: Language) -> &'static Template {
    match (language, article_type) {
        (Language::En, ArticleType::Review) => &en::REVIEW,
        (Language::En, ArticleType::Comparison) => &en::COMPARISON,
        (Language::En, ArticleType::Guide) => &en::GUIDE,
        (Language::En, ArticleType::Listicle) => &en::LISTICLE,
        (Language::De, ArticleType::Review) => &de::REVIEW,
        (Language::De, ArticleType::Comparison) => &de::COMPARISON,
        (Language::De, ArticleType::Guide) => &de::GUIDE,
        (Language::De, ArticleType::Listicle) => &de::LISTICLE,
    }
}

impl Template {
    /// Whether a word of the (lower-case, space-normalised) keyword starts with a marker.
    pub fn is_marked(&self, keyword_lower: &str) -> bool {
        let padded = format!(" {keyword_lower}");
        self.markers
            .iter()
            .any(|marker| padded.contains(&format!(" {marker}")))
    }
}
