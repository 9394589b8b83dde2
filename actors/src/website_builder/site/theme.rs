//! The built-in themes: minijinja templates and a stylesheet per theme, compiled into the
//! binary, rendered with a fuel limit so no template can run away.

use std::fmt;
use std::str::FromStr;

use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};

use super::spec::UnknownName;

/// Template instructions one page may use (also bounds its memory, ~64 bytes per unit).
pub const FUEL_PER_PAGE: u64 = 2_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// One calm column, lists of links.
    Clean,
    /// A wide header, card grids and a product box beside the article.
    Magazine,
}

impl Theme {
    pub const ALL: [Theme; 2] = [Theme::Clean, Theme::Magazine];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Magazine => "magazine",
        }
    }

    pub(super) fn stylesheet(self) -> &'static str {
        match self {
            Self::Clean => include_str!("themes/clean/site.css"),
            Self::Magazine => include_str!("themes/magazine/site.css"),
        }
    }

    fn templates(self) -> [(&'static str, &'static str); 5] {
        match self {
            Self::Clean => [
                ("layout.html", include_str!("themes/clean/layout.html")),
                ("home.html", include_str!("themes/clean/home.html")),
                ("category.html", include_str!("themes/clean/category.html")),
                ("article.html", include_str!("themes/clean/article.html")),
                ("legal.html", include_str!("themes/clean/legal.html")),
            ],
            Self::Magazine => [
                ("layout.html", include_str!("themes/magazine/layout.html")),
                ("home.html", include_str!("themes/magazine/home.html")),
                (
                    "category.html",
                    include_str!("themes/magazine/category.html"),
                ),
                ("article.html", include_str!("themes/magazine/article.html")),
                ("legal.html", include_str!("themes/magazine/legal.html")),
            ],
        }
    }

    /// The theme's templates, ready to render. Shared partials come first so every theme can
    /// include them.
    pub(super) fn environment(self) -> Result<Environment<'static>, Error> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL_PER_PAGE));
        // A misspelt variable is a build error, not a silently empty tag.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(format_value);
        for (name, source) in COMMON.into_iter().chain(self.templates()) {
            env.add_template(name, source)?;
        }
        Ok(env)
    }
}

/// minijinja's HTML escaping also turns `/` into `&#x2f;`, which makes every URL in an
/// attribute unreadable to crawlers' naive parsers; these five characters are enough.
fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match (state.auto_escape(), value.as_str()) {
        (AutoEscape::Html, Some(text)) if !value.is_safe() => out
            .write_str(&super::html::escape(text))
            .map_err(Error::from),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

const COMMON: [(&str, &str); 3] = [
    ("head.html", include_str!("themes/common/head.html")),
    ("notices.html", include_str!("themes/common/notices.html")),
    ("parts.html", include_str!("themes/common/parts.html")),
];

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Theme {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|theme| theme.as_str() == s)
            .ok_or_else(|| UnknownName {
                what: "theme",
                value: s.to_owned(),
            })
    }
}
