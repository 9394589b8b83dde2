//! The closed vocabularies of the knowledge graph: node and edge kinds (stored, so defined in
//! `empire_schema::types`) and traversal directions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A name that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} `{name}`")]
pub struct UnknownName {
    pub vocabulary: &'static str,
    pub name: String,
}

/// Declares a vocabulary enum with its wire strings, `ALL`, `as_str`, `Display` and `FromStr`,
/// so the three vocabularies cannot drift apart in shape.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $word:literal, { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every word of the vocabulary, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|word| word.as_str() == s)
                    .ok_or_else(|| UnknownName { vocabulary: $word, name: s.to_owned() })
            }
        }
    };
}

pub use empire_schema::types::{EdgeKind, NodeKind};

vocabulary!(
    /// Which edges of a node a neighbour query follows.
    Direction, "direction", {
        /// Edges leaving the node.
        Out => "out",
        /// Edges arriving at the node.
        In => "in",
        /// Both; a neighbour joined both ways appears once per edge.
        Both => "both",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips_through_its_string_and_json() {
        for kind in NodeKind::ALL {
            assert_eq!(kind.as_str().parse::<NodeKind>().unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for kind in EdgeKind::ALL {
            assert_eq!(kind.as_str().parse::<EdgeKind>().unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for dir in Direction::ALL {
            assert_eq!(dir.to_string().parse::<Direction>().unwrap(), *dir);
            assert_eq!(serde_json::to_value(dir).unwrap(), dir.as_str());
        }
        assert_eq!(EdgeKind::CompetesWith.as_str(), "competes_with");
    }

    #[test]
    fn unknown_words_are_rejected_with_their_vocabulary() {
        let err = "Niche".parse::<NodeKind>().unwrap_err();
        assert_eq!(err.to_string(), "unknown node kind `Niche`");
        assert!("competes-with".parse::<EdgeKind>().is_err());
        assert!("sideways".parse::<Direction>().is_err());
    }
}
