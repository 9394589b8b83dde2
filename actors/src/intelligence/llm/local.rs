//! The offline provider (kind `local`): deterministic text built from the prompt's key terms, so
//! everything works with no network and no key. Same request, same text; it costs nothing.

use std::collections::HashMap;

use super::types::{ChatRequest, Completion, FinishReason, Role, Usage};

/// The model name every offline answer reports.
pub const LOCAL_MODEL: &str = "local-deterministic-v1";

/// Offline answers never run longer than this many words, whatever `max_tokens` allows.
const MAX_WORDS: usize = 1200;
const MAX_TERMS: usize = 6;

const SECTIONS: [(&str, &[&str]); 4] = [
    (
        "Overview",
        &[
            "{A} shapes how {b} and {c} are planned, compared and measured.",
            "Anyone looking at {a} first needs a clear picture of {b}.",
            "The starting point for {a} is a plain question: what does {b} change for the reader?",
            "{A} is rarely a single decision; it links {b}, {c} and the way results are checked.",
        ],
    ),
    (
        "Key points",
        &[
            "Start with {b}, because it decides how much effort {a} deserves.",
            "Compare options for {c} side by side and keep notes on cost, quality and effort.",
            "{B} works best when it is tied to a measurable goal for {a}.",
            "Small, repeatable steps around {c} beat one large change to {a}.",
            "The strongest signal for {a} usually comes from {b}, not from opinions about it.",
        ],
    ),
    (
        "Considerations",
        &[
            "Watch for trade-offs between {b} and {c}; improving one can weaken the other.",
            "Assumptions about {a} should be checked against real data before money is spent.",
            "{C} changes over time, so a plan for {a} needs a regular review.",
            "Risks around {b} are easier to handle when they are written down early.",
        ],
    ),
    (
        "Next steps",
        &[
            "List the three most important questions about {a} and answer them with evidence.",
            "Run a small test on {b} and measure the effect on {c}.",
            "Review the results for {a} after a fixed period and adjust {b} accordingly.",
            "Document what worked for {c} so the next round on {a} starts faster.",
        ],
    ),
];

const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "into",
    "about",
    "what",
    "which",
    "when",
    "where",
    "who",
    "why",
    "how",
    "are",
    "was",
    "were",
    "been",
    "being",
    "have",
    "has",
    "had",
    "does",
    "did",
    "not",
    "but",
    "can",
    "could",
    "should",
    "would",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "you",
    "your",
    "our",
    "their",
    "they",
    "them",
    "its",
    "his",
    "her",
    "all",
    "any",
    "some",
    "more",
    "most",
    "such",
    "than",
    "then",
    "there",
    "these",
    "those",
    "also",
    "very",
    "just",
    "only",
    "over",
    "under",
    "please",
    "write",
    "give",
    "list",
    "make",
    "explain",
    "describe",
    "tell",
    "compare",
    "create",
    "generate",
    "provide",
    "summarise",
    "summarize",
    "include",
    "using",
    "based",
    "der",
    "die",
    "das",
    "und",
    "oder",
    "mit",
    "für",
    "von",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "ist",
    "sind",
    "wie",
    "was",
    "auf",
    "aus",
    "bei",
    "nicht",
    "auch",
    "sich",
    "zum",
    "zur",
    "über",
    "unter",
    "bitte",
    "schreibe",
];

/// The deterministic offline provider.
#[derive(Debug, Clone)]
pub struct OfflineProvider {
    name: String,
}

impl OfflineProvider {
    pub fn new(name: &str) -> Self {
        OfflineProvider {
            name: name.to_owned(),
        }
    }

    /// Writes the answer; never fails, never touches the network.
    pub fn complete(&self, request: &ChatRequest) -> Completion {
        let (text, finish) = generate(request);
        let input_words: usize = request
            .system
            .iter()
            .chain(request.messages.iter().map(|m| &m.content))
            .map(|text| word_count(text))
            .sum();
        Completion {
            usage: Usage {
                input_tokens: input_words.max(1) as u64,
                output_tokens: word_count(&text).max(1) as u64,
            },
            text,
            provider: self.name.clone(),
            model: LOCAL_MODEL.to_owned(),
            usage_estimated: false,
            finish,
            streamed: false,
        }
    }
}

/// The text for `request`: a title and sections of sentences that reuse its key terms, about
/// three quarters of `max_tokens` words long (tokens ≈ words here).
pub fn generate(request: &ChatRequest) -> (String, FinishReason) {
    let terms = key_terms(request);
    let mut rng = SplitMix(seed(request));
    let budget = (request.max_tokens as usize).clamp(1, MAX_WORDS);
    let target = (budget * 3 / 4).max(1);
    let title = format!("# {}", capitalise(&terms[..terms.len().min(3)].join(", ")));
    let mut words = word_count(&title);
    if words > budget {
        return (truncate_words(&title, budget), FinishReason::Length);
    }
    let mut out = title;
    let mut sentences_written = 0;
    for round in 0.. {
        for (heading, templates) in SECTIONS {
            let heading = match round {
                0 => format!("## {heading}"),
                _ => format!("## {heading} ({})", round + 1),
            };
            let mut paragraph: Vec<String> = Vec::new();
            for _ in 0..3 {
                let template = templates[rng.below(templates.len())];
                let mut pick = || terms[rng.below(terms.len())].clone();
                let (a, b, c) = (pick(), pick(), pick());
                let sentence = fill(template, &a, &b, &c);
                let heading_words = if paragraph.is_empty() {
                    word_count(&heading)
                } else {
                    0
                };
                let needed = heading_words + word_count(&sentence);
                if words + needed > target {
                    if sentences_written == 0 {
                        // Not even one sentence fits: cut it at the hard budget.
                        let cut = truncate_words(&sentence, budget - words);
                        if !cut.is_empty() {
                            out = format!("{out}\n\n{cut}");
                        }
                        return (out, FinishReason::Length);
                    }
                    push_paragraph(&mut out, &heading, &paragraph);
                    return (out, FinishReason::Stop);
                }
                words += needed;
                sentences_written += 1;
                paragraph.push(sentence);
            }
            push_paragraph(&mut out, &heading, &paragraph);
        }
    }
    (out, FinishReason::Stop)
}

fn push_paragraph(out: &mut String, heading: &str, sentences: &[String]) {
    if sentences.is_empty() {
        return;
    }
    out.push_str("\n\n");
    out.push_str(heading);
    out.push_str("\n\n");
    out.push_str(&sentences.join(" "));
}

/// Up to six words of the prompt, most frequent first, the last user message counted twice.
fn key_terms(request: &ChatRequest) -> Vec<String> {
    let last_user = request.messages.iter().rev().find(|m| m.role == Role::User);
    let texts = request
        .system
        .iter()
        .chain(request.messages.iter().map(|m| &m.content))
        .chain(last_user.map(|m| &m.content));
    let mut counts: HashMap<String, (usize, usize, String)> = HashMap::new();
    let mut position = 0;
    for word in texts.flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '-'))) {
        let word = word.trim_matches('-');
        let lower = word.to_lowercase();
        if word.chars().count() < 3
            || STOP_WORDS.contains(&lower.as_str())
            || word.chars().all(char::is_numeric)
        {
            continue;
        }
        position += 1;
        counts
            .entry(lower)
            .or_insert((0, position, word.to_owned()))
            .0 += 1;
    }
    let mut ranked: Vec<_> = counts.into_values().collect();
    ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let terms: Vec<String> = ranked
        .into_iter()
        .take(MAX_TERMS)
        .map(|(_, _, word)| word)
        .collect();
    if terms.is_empty() {
        vec!["the topic".to_owned()]
    } else {
        terms
    }
}

fn fill(template: &str, a: &str, b: &str, c: &str) -> String {
    template
        .replace("{A}", &capitalise(a))
        .replace("{B}", &capitalise(b))
        .replace("{C}", &capitalise(c))
        .replace("{a}", a)
        .replace("{b}", b)
        .replace("{c}", c)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn truncate_words(text: &str, words: usize) -> String {
    text.split_whitespace()
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a over everything that shapes the answer: stable across runs, builds and platforms.
fn seed(request: &ChatRequest) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &byte in bytes.iter().chain([0x1f].iter()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(request.system.as_deref().unwrap_or("").as_bytes());
    for message in &request.messages {
        eat(message.role.as_str().as_bytes());
        eat(message.content.as_bytes());
    }
    eat(&request.max_tokens.to_le_bytes());
    hash
}

/// splitmix64: a tiny, well-mixed deterministic generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests;
