//! Unit tests of the HTML tokenizer.

use super::*;

fn start<'a>(name: &str, attrs: &[(&str, &'a str)]) -> Token<'a> {
    Token::Start {
        name: name.into(),
        attrs: attrs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
    }
}

fn end(name: &str) -> Token<'static> {
    Token::End { name: name.into() }
}

#[test]
fn tags_attributes_and_text_are_split() {
    let tokens = tokenize(r#"<P Class="a b" data-x='1' hidden id=main>Hi <b>there</b></p>"#);
    assert_eq!(
        tokens,
        [
            start(
                "p",
                &[
                    ("class", "a b"),
                    ("data-x", "1"),
                    ("hidden", ""),
                    ("id", "main")
                ]
            ),
            Token::Text("Hi "),
            start("b", &[]),
            Token::Text("there"),
            end("b"),
            end("p"),
        ]
    );
}

#[test]
fn self_closing_tags_and_spaced_equals_parse() {
    let tokens = tokenize(r#"<img src = "a.png" alt=""/><br/>"#);
    assert_eq!(
        tokens,
        [
            start("img", &[("src", "a.png"), ("alt", "")]),
            start("br", &[])
        ]
    );
}

#[test]
fn comments_doctype_and_scripts_are_skipped() {
    let tokens =
        tokenize("<!doctype html><!-- <h1>no</h1> --><script>if (a<b) {'</p>'}</SCRIPT><p>x</p>");
    assert_eq!(
        tokens,
        [
            start("script", &[]),
            end("script"),
            start("p", &[]),
            Token::Text("x"),
            end("p")
        ]
    );
}

#[test]
fn title_content_is_text_even_if_it_looks_like_markup() {
    let tokens = tokenize("<title>A <b> title</title>");
    assert_eq!(
        tokens,
        [
            start("title", &[]),
            Token::Text("A <b> title"),
            end("title")
        ]
    );
}

#[test]
fn stray_angle_brackets_are_text() {
    let tokens = tokenize("a < b > c <3");
    let text: String = tokens
        .iter()
        .map(|t| match t {
            Token::Text(s) => *s,
            _ => "",
        })
        .collect();
    assert_eq!(text, "a < b > c <3");
}

#[test]
fn malformed_input_never_panics() {
    let nasty = [
        "<",
        "<a",
        "<a href=",
        "<a href=\"",
        "<a href='x",
        "</",
        "</a",
        "<!--",
        "<!",
        "<?",
        "<title>never closed",
        "<script>never closed",
        "<p =x ==y>",
        "<ä>ö</ä>",
        "<a\u{0}b>",
        "<<<>>>",
        "<a/b/c>",
        "é<é",
        "<img alt=ü",
        "<div\n\tclass\n=\n\"x\"\n>",
    ];
    for html in nasty {
        let _ = tokenize(html);
    }
    let attrs = tokenize("<div\n\tclass\n=\n\"x\"\n>");
    assert_eq!(attrs, [start("div", &[("class", "x")])]);
}

#[test]
fn every_prefix_of_a_page_tokenizes() {
    let page = "<!doctype html><html lang=de><head><title>Über uns</title></head><body><h1 class=\"t\">Grüße</h1><p>Text &amp; mehr</p><img alt='Bild' src=x.png></body></html>";
    for end in 0..=page.len() {
        if let Some(prefix) = page.get(..end) {
            let _ = tokenize(prefix);
        }
    }
}

#[test]
fn the_first_duplicate_attribute_wins() {
    let tokens = tokenize("<a href=one href=two>");
    assert_eq!(tokens[0].attr("href"), Some("one"));
    assert_eq!(tokens[0].attr("title"), None);
}
