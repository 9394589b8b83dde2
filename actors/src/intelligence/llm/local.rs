//! The offline provider (kind `local`): deterministic text built from the prompt's key terms, so
//! everything works with no network and no key. Same request, same text; it costs nothing.

use super::types::{ChatRequest, Completion, FinishReason, Usage};

mod phrases;
mod terms;

use phrases::SECTIONS;
use terms::key_terms;

/// The model name every offline answer reports.
pub const LOCAL_MODEL: &str = "local-deterministic-v1";

/// Offline answers never run longer than this many words, whatever `max_tokens` allows.
const MAX_WORDS: usize = 1200;

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
    let title = match terms.as_slice() {
        [first, second, third, ..] => format!("# {}: {second} and {third}", capitalise(first)),
        [first, second] => format!("# {}: {second}", capitalise(first)),
        [first, ..] => format!("# {}", capitalise(first)),
        [] => "# Overview".to_owned(),
    };
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
            for template in rng.three_distinct(templates.len()).map(|i| templates[i]) {
                let [a, b, c] = rng.three_distinct(terms.len()).map(|i| terms[i].as_str());
                let sentence = fill(template, a, b, c);
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

    /// Three indices below `n`, distinct as far as `n` allows, so a sentence names different terms.
    fn three_distinct(&mut self, n: usize) -> [usize; 3] {
        let n = n.max(1);
        let first = self.below(n);
        let second = (first + 1 + self.below(n.saturating_sub(1))) % n;
        let start = self.below(n);
        let third = (0..n)
            .map(|step| (start + step) % n)
            .find(|i| *i != first && *i != second)
            .unwrap_or(first);
        [first, second, third]
    }
}

#[cfg(test)]
mod tests;
