//! Tests of the offline provider: determinism, use of the prompt's terms, budgets and usage.

use super::*;
use crate::intelligence::llm::types::ChatMessage;

fn request(prompt: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        system: Some("You are a careful market researcher.".into()),
        messages: vec![ChatMessage::user(prompt)],
        max_tokens,
        temperature: None,
        stream: false,
    }
}

#[test]
fn the_same_request_gives_the_same_text_and_another_prompt_another() {
    let offline = OfflineProvider::new("local");
    let first = offline.complete(&request(
        "Write about espresso machines for home baristas",
        400,
    ));
    let again = offline.complete(&request(
        "Write about espresso machines for home baristas",
        400,
    ));
    let other = offline.complete(&request(
        "Write about trail running shoes for beginners",
        400,
    ));
    assert_eq!(first, again);
    assert_ne!(first.text, other.text);
}

#[test]
fn the_answer_reuses_the_prompts_key_terms_in_sections() {
    let completion = OfflineProvider::new("local").complete(&request(
        "Compare espresso machines: espresso grinders, milk frothers and espresso beans",
        600,
    ));
    let text = completion.text.to_lowercase();
    assert!(text.starts_with("# espresso"), "{text}");
    assert!(text.contains("## overview"), "{text}");
    assert!(text.contains("grinders"), "{text}");
    assert!(
        !text.contains("{a}") && !text.contains("{b}"),
        "placeholders left: {text}"
    );
    assert!(completion.text.split("\n\n").count() >= 4, "{text}");
}

#[test]
fn it_reports_itself_counts_words_as_tokens_and_keeps_to_the_budget() {
    let completion =
        OfflineProvider::new("local").complete(&request("Solar panels for balconies", 200));
    assert_eq!(completion.provider, "local");
    assert_eq!(completion.model, LOCAL_MODEL);
    assert!(!completion.usage_estimated);
    assert_eq!(completion.finish, FinishReason::Stop);
    let words = completion.text.split_whitespace().count() as u64;
    assert_eq!(completion.usage.output_tokens, words);
    assert!(words <= 200 && words > 50, "{words} words");
    // system (6 words) + prompt (4 words)
    assert_eq!(completion.usage.input_tokens, 10);
}

#[test]
fn a_tiny_budget_is_cut_and_says_so() {
    let completion = OfflineProvider::new("local").complete(&request("Balcony solar panels", 6));
    assert_eq!(completion.finish, FinishReason::Length);
    assert!(completion.usage.output_tokens <= 6, "{}", completion.text);
}

#[test]
fn a_prompt_without_usable_words_still_gets_an_answer() {
    let mut request = request("?? 42 !!", 100);
    request.system = None;
    let completion = OfflineProvider::new("local").complete(&request);
    assert!(completion.text.contains("the topic"), "{}", completion.text);
}
