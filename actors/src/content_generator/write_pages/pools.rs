//! The sentence pools of offline pages and the seeded choices made from them. Every page draws
//! its own order and wording from a seed of its website and slug, so the same niche written for
//! two sites reads differently (see the variety test).

mod de;
mod en;

use crate::content_generator::outline::Language;

/// One language's pools. Sentences may hold `[a|b|c]`: one alternative is kept per use.
pub(super) struct Pools {
    /// First paragraph; names `{k}`.
    pub intro: &'static [&'static str],
    /// Sentences naming `{k}`, to open every other section.
    pub with_keyword: &'static [&'static str],
    pub general: &'static [&'static str],
    /// Last paragraph; `{link}` is a Markdown link.
    pub closing: &'static [&'static str],
    pub lead: Lead,
    pub headings: Headings,
    pub facts: Facts,
    /// `(question, answer)`, naming `{k}`.
    pub faq: &'static [(&'static str, &'static str)],
    pub description: Description,
}

/// The sentence after the intro that says what kind of page this is; names `{k}`.
pub(super) struct Lead {
    pub review: &'static str,
    pub comparison: &'static str,
    pub listicle: &'static str,
    pub guide: &'static str,
    pub category: &'static str,
    pub home: &'static str,
}

pub(super) struct Headings {
    pub facts_review: &'static str,
    pub facts_comparison: &'static str,
    pub facts_listicle: &'static str,
    pub category: &'static [&'static str],
    pub home: &'static [&'static str],
    pub read_next: &'static str,
    /// Outline headings left out: the theme renders the FAQ, the facts table replaces the
    /// comparison table.
    pub skip: &'static [&'static str],
}

/// How product facts are stated; `{name}`, `{price}`, `{source}`.
pub(super) struct Facts {
    pub price: &'static str,
    pub no_price: &'static str,
    pub source: &'static str,
    pub note: &'static str,
    pub table_head: &'static str,
    pub no_price_cell: &'static str,
}

/// Meta descriptions of pages the outline does not plan; `{K}`/`{k}` keyword, `{S}` site name.
pub(super) struct Description {
    pub category: &'static str,
    pub home: &'static str,
}

pub(super) fn pools(language: Language) -> &'static Pools {
    match language {
        Language::En => &en::EN,
        Language::De => &de::DE,
    }
}

/// A page's seeded choices: splitmix64 over an FNV-1a hash of the website id and page slug.
pub(super) struct Dice(u64);

impl Dice {
    pub fn new(website_id: &str, slug: &str) -> Dice {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in website_id.bytes().chain([0x1f]).chain(slug.bytes()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Dice(hash)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// The indices `0..n` in a seeded order (Fisher–Yates).
    pub fn order(&mut self, n: usize) -> Vec<usize> {
        let mut out: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            out.swap(i, self.below(i + 1));
        }
        out
    }

    /// `text` with each `[a|b|…]` replaced by one of its alternatives.
    pub fn spin(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']').map(|at| open + at) else {
                break;
            };
            out.push_str(&rest[..open]);
            let options: Vec<&str> = rest[open + 1..close].split('|').collect();
            out.push_str(
                options
                    .get(self.below(options.len()))
                    .copied()
                    .unwrap_or_default(),
            );
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Draws sentences from pools in a seeded order without repeats until they run out.
pub(super) struct Deck {
    pool: Vec<&'static str>,
    order: Vec<usize>,
    at: usize,
}

impl Deck {
    pub fn new(pools: &[&'static [&'static str]], dice: &mut Dice) -> Deck {
        let pool: Vec<&'static str> = pools.iter().flat_map(|p| p.iter().copied()).collect();
        Deck {
            order: dice.order(pool.len()),
            pool,
            at: 0,
        }
    }

    pub fn draw(&mut self, dice: &mut Dice) -> String {
        let Some(&index) = self.order.get(self.at % self.order.len().max(1)) else {
            return String::new();
        };
        self.at += 1;
        self.pool
            .get(index)
            .map(|s| dice.spin(s))
            .unwrap_or_default()
    }
}
