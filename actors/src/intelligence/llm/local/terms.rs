//! Key phrases of a prompt for the offline provider: runs of content words between stop words
//! and punctuation (the idea of RAKE), ranked by how often they occur.

use std::collections::HashMap;

use super::phrases::STOP_WORDS;
use crate::intelligence::llm::types::{ChatRequest, Role};

const MAX_TERMS: usize = 6;
const MAX_PHRASE_WORDS: usize = 3;

/// Up to six phrases of the user's messages, most frequent first (ties: first seen first); the
/// last user message counts twice. The system prompt (usually a persona) is used only when the
/// messages have no phrase at all.
pub(super) fn key_terms(request: &ChatRequest) -> Vec<String> {
    let last_user = request.messages.iter().rev().find(|m| m.role == Role::User);
    let messages = request
        .messages
        .iter()
        .chain(last_user)
        .map(|m| m.content.as_str());
    let terms = ranked(messages);
    if !terms.is_empty() {
        return terms;
    }
    let terms = ranked(request.system.as_deref().into_iter());
    if terms.is_empty() {
        vec!["the topic".to_owned()]
    } else {
        terms
    }
}

fn ranked<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    // lower-case phrase -> (count, first position, phrase as first written)
    let mut counts: HashMap<String, (usize, usize, String)> = HashMap::new();
    for phrase in texts.flat_map(phrases) {
        let position = counts.len();
        counts
            .entry(phrase.to_lowercase())
            .or_insert((0, position, phrase))
            .0 += 1;
    }
    let mut ranked: Vec<_> = counts.into_values().collect();
    ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    ranked
        .into_iter()
        .take(MAX_TERMS)
        .map(|(_, _, phrase)| phrase)
        .collect()
}

/// The candidate phrases of one text, in order, each at most three words.
fn phrases(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for segment in text.split(|c: char| ".,;:!?()[]{}\"\n".contains(c)) {
        let mut run: Vec<&str> = Vec::new();
        for raw in segment.split_whitespace() {
            let word = raw.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
            if is_content_word(word) {
                run.push(word);
            } else {
                flush(&mut run, &mut found);
            }
        }
        flush(&mut run, &mut found);
    }
    found
}

fn flush(run: &mut Vec<&str>, found: &mut Vec<String>) {
    for chunk in run.chunks(MAX_PHRASE_WORDS) {
        found.push(chunk.join(" "));
    }
    run.clear();
}

/// Three letters or more (or a two-letter acronym like "AI"), not a number, not a stop word.
fn is_content_word(word: &str) -> bool {
    let letters = word.chars().count();
    let acronym = letters == 2 && word.chars().all(|c| c.is_uppercase());
    (letters >= 3 || acronym)
        && !word.chars().all(|c| c.is_numeric() || c == '-')
        && !STOP_WORDS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intelligence::llm::types::ChatMessage;

    #[test]
    fn phrases_run_between_stop_words_and_punctuation() {
        assert_eq!(
            phrases(
                "Write a buying guide for espresso machines, covering grinders and milk frothers."
            ),
            vec![
                "buying guide",
                "espresso machines",
                "grinders",
                "milk frothers"
            ]
        );
        assert_eq!(
            phrases("best cheap home espresso machine deals 2026"),
            vec!["best cheap home", "espresso machine deals"]
        );
        assert_eq!(phrases("AI tools für SEO"), vec!["AI tools", "SEO"]);
    }

    #[test]
    fn the_question_outweighs_earlier_messages_and_the_persona_is_a_fallback() {
        let mut request = ChatRequest {
            system: Some("You are a market researcher.".into()),
            messages: vec![
                ChatMessage::user("Balconies first"),
                ChatMessage::assistant("Noted."),
                ChatMessage::user("Solar panels; solar panels for balconies"),
            ],
            max_tokens: 10,
            temperature: None,
            stream: false,
        };
        assert_eq!(
            key_terms(&request),
            vec!["Solar panels", "balconies", "Balconies first", "Noted"]
        );
        request.messages = vec![ChatMessage::user("?")];
        assert_eq!(key_terms(&request), vec!["market researcher"]);
    }
}
