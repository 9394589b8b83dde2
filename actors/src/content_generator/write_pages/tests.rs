use empire_schema::types::{ArticleType, BudgetScope, PageKind};

use super::compose::{Composed, Draft, PageLink, compose, document, from_answer, plain_text};
use super::*;
use crate::content_generator::outline::Language;
use crate::intelligence::llm::{BudgetExceeded, BudgetName};
use crate::intelligence::nlp;

const TYPES: [ArticleType; 4] = [
    ArticleType::Review,
    ArticleType::Comparison,
    ArticleType::Listicle,
    ArticleType::Guide,
];

fn fact(name: &str, cents: Option<i64>) -> ProductFact {
    ProductFact {
        name: name.into(),
        brand: None,
        price_minor: cents,
        currency: cents.map(|_| "EUR".to_owned()),
        rating_tenths: None,
        features: Vec::new(),
        offer_url: None,
        image_url: None,
        source: "offer catalogue (awin)".into(),
    }
}

fn links() -> Vec<PageLink> {
    vec![PageLink {
        title: "Espresso Machines".into(),
        url: "https://brew.example/espresso-machines/".into(),
    }]
}

fn draft<'a>(
    website_id: &'a str,
    language: Language,
    article_type: ArticleType,
    keyword: &'a str,
    facts: &'a [ProductFact],
    links: &'a [PageLink],
) -> Draft<'a> {
    Draft {
        website_id,
        site_name: "Brew Guide",
        language,
        kind: PageKind::Article,
        article_type: Some(article_type),
        slug: "espresso-machine-for-beginners-review",
        keyword,
        title: "Espresso Machine for Beginners Review",
        facts,
        links,
        home: PageLink {
            title: "Brew Guide".into(),
            url: "https://brew.example/".into(),
        },
    }
}

/// The audit's content rules: enough words, keyphrase density 0.5–3 %, readability ≥ 50.
fn assert_reads_well(composed: &Composed, keyword: &str, language: Language) {
    let text = plain_text(&composed.body);
    let words = nlp::words(&text).len();
    assert!(words >= 300, "{words} words: {}", composed.body);
    let density = nlp::density(&text, keyword, language);
    assert!(
        (0.005..=0.03).contains(&density),
        "density {density}: {}",
        composed.body
    );
    let paragraphs: String = composed
        .body
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('|') && !l.trim().is_empty())
        .map(|l| format!("{} ", l.trim_end_matches(['.', ':']).to_owned() + "."))
        .collect();
    let score = nlp::readability(&plain_text(&paragraphs), language)
        .unwrap()
        .score;
    assert!(score >= 50.0, "readability {score}: {}", composed.body);
    assert!(composed.meta_description.chars().count() <= compose::MAX_DESCRIPTION_CHARS);
    assert!(
        composed
            .meta_description
            .to_lowercase()
            .contains(&keyword.to_lowercase()),
        "{}",
        composed.meta_description
    );
    assert!(
        !composed.body.lines().any(|l| l.starts_with("# ")),
        "no H1 in the body"
    );
}

#[test]
fn every_article_type_reads_well_in_both_languages() {
    let facts = [
        fact("Sage Bambino Plus", Some(39_999)),
        fact("De'Longhi Dedica", None),
    ];
    let links = links();
    for (language, keyword) in [
        (Language::En, "espresso machine for beginners"),
        (Language::De, "siebträger für anfänger"),
    ] {
        for article_type in TYPES {
            for named in [&facts[..], &[]] {
                let page = draft("site-a", language, article_type, keyword, named, &links);
                assert_reads_well(&compose(&page), keyword, language);
            }
        }
        for kind in [PageKind::Home, PageKind::Category] {
            let page = Draft {
                kind,
                article_type: (kind == PageKind::Category).then_some(ArticleType::Category),
                ..draft("site-a", language, ArticleType::Guide, keyword, &[], &links)
            };
            let composed = compose(&page);
            assert_reads_well(&composed, keyword, language);
            assert!(
                composed
                    .body
                    .contains("(<https://brew.example/espresso-machines/>)")
            );
            assert!(composed.faq.is_empty());
        }
    }
}

#[test]
fn products_are_named_exactly_with_their_price_and_source_and_never_without_data() {
    let facts = [
        fact("Sage Bambino Plus", Some(39_999)),
        fact("Gaggia Classic", None),
    ];
    let links = links();
    let review = compose(&draft(
        "s",
        Language::En,
        ArticleType::Review,
        "espresso machine",
        &facts[..1],
        &links,
    ));
    assert!(
        review
            .body
            .contains("Sage Bambino Plus is listed at 399.99 EUR. Source: offer catalogue (awin)."),
        "{}",
        review.body
    );
    let table = compose(&draft(
        "s",
        Language::De,
        ArticleType::Comparison,
        "siebträger",
        &facts,
        &links,
    ));
    assert!(
        table
            .body
            .contains("| Sage Bambino Plus | 399,99 EUR | offer catalogue (awin) |"),
        "{}",
        table.body
    );
    assert!(
        table.body.contains("| Gaggia Classic | keine Angabe |"),
        "{}",
        table.body
    );
    let list = compose(&draft(
        "s",
        Language::En,
        ArticleType::Listicle,
        "espresso machine",
        &facts,
        &links,
    ));
    assert!(
        list.body
            .contains("\n2. Gaggia Classic is listed without a price."),
        "{}",
        list.body
    );
    for article_type in TYPES {
        let none = compose(&draft(
            "s",
            Language::En,
            article_type,
            "espresso machine",
            &[],
            &links,
        ));
        for claim in [
            "listed",
            "EUR",
            "Source:",
            "Price and Product Data",
            "Comparison Table",
        ] {
            assert!(!none.body.contains(claim), "{claim}: {}", none.body);
        }
    }
    assert_eq!(facts::for_page(&facts, Some(ArticleType::Guide), 0), []);
    assert_eq!(
        facts::for_page(&facts, Some(ArticleType::Review), 3),
        [facts[1].clone()]
    );
    assert_eq!(
        facts::for_page(&facts, Some(ArticleType::Listicle), 0).len(),
        2
    );
}

#[test]
fn the_same_page_on_two_sites_is_not_a_near_duplicate() {
    let index = DuplicateIndex::new(DuplicateConfig::default()).unwrap();
    let threshold = index.config().threshold;
    let links = links();
    for language in [Language::En, Language::De] {
        for article_type in TYPES {
            let signature = |site: &str| {
                let page = draft(
                    site,
                    language,
                    article_type,
                    "espresso machine",
                    &[],
                    &links,
                );
                index.signature(&plain_text(&compose(&page).body))
            };
            let (a, b) = (signature("0193a4c2-site-a"), signature("0193a4c2-site-b"));
            assert_eq!(a, signature("0193a4c2-site-a"), "deterministic");
            let similarity = a.similarity(&b);
            assert!(
                similarity < threshold,
                "{language:?} {article_type:?}: {similarity}"
            );
            assert!(
                similarity < 0.5,
                "{language:?} {article_type:?}: {similarity}"
            );
        }
    }
}

#[test]
fn the_document_carries_front_matter_and_the_ai_marking() {
    let links = links();
    let page = draft(
        "s",
        Language::De,
        ArticleType::Review,
        "siebträger \"pro\"",
        &[],
        &links,
    );
    let composed = compose(&page);
    let doc = document(&page, &composed);
    let (front, body) = crate::website_builder::site::front_matter::split(&doc);
    let front = front.unwrap();
    assert_eq!(front["type"], "review");
    assert_eq!(front["language"], "de");
    assert_eq!(front["ai_generated"], "true");
    assert_eq!(front["keyword"], "siebträger 'pro'");
    assert_eq!(front["title"], composed.title);
    assert_eq!(body, composed.body);
}

#[test]
fn a_providers_answer_loses_its_own_front_matter_and_h1() {
    assert_eq!(
        from_answer("---\ntitle: x\n---\n# Heading\n\nText *here*.\n").as_deref(),
        Some("Text *here*.\n")
    );
    assert_eq!(from_answer("Plain.").as_deref(), Some("Plain.\n"));
    assert_eq!(from_answer("  # Only a title\n"), None);
    assert_eq!(
        compose::escape("a *b* [c](d) <e> | #"),
        "a \\*b\\* \\[c\\](d) \\<e\\> \\| \\#"
    );
}

#[test]
fn a_spent_budget_stops_the_task_for_good() {
    let exceeded = BudgetExceeded {
        budget: BudgetName {
            scope: BudgetScope::Website,
            subject: "w1".into(),
        },
        limit_micro_eur: 10,
        spent_micro_eur: 10,
        needed_micro_eur: 5,
    };
    let error = llm_failure("p", LlmError::BudgetExceeded(exceeded.clone()));
    assert_eq!(error, KindError::BudgetExceeded(exceeded));
    assert!(!error.retryable());
}
