use std::collections::HashSet;

use empire_schema::types::{ArticleType, PageKind};
use serde_json::json;

use super::*;
use crate::content_generator::outline::Language;

fn site(pages: usize, language: Language) -> PlanSite<'static> {
    PlanSite {
        name: "Kühl & Frisch",
        niche: match language {
            Language::En => "espresso machine",
            Language::De => "kühlschrank",
        },
        language,
        pages,
    }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn slug_ok(slug: &str) -> bool {
    slug.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn a_plan_has_a_home_categories_and_articles_adding_up_to_the_page_count() {
    for (pages, categories) in [(5, 2), (20, 3), (37, 5), (200, 5)] {
        let planned = plan(
            &site(pages, Language::En),
            &words(&["espresso machine", "best espresso machine"]),
        );
        assert_eq!(planned.len(), pages, "{pages}");
        assert_eq!(category_count(pages), categories);
        let kinds = |kind| planned.iter().filter(|p| p.kind == kind).count();
        assert_eq!(kinds(PageKind::Home), 1);
        assert_eq!(kinds(PageKind::Category), categories);
        assert_eq!(kinds(PageKind::Article), pages - 1 - categories);
        assert_eq!(planned[0].slug, "");
        assert_eq!(planned[0].keyword, "espresso machine");
        let slugs: HashSet<&str> = planned.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), pages, "slugs are unique");
        let categories: HashSet<&str> = planned
            .iter()
            .filter(|p| p.kind == PageKind::Category)
            .map(|p| p.slug.as_str())
            .collect();
        for (position, page) in planned.iter().enumerate() {
            assert_eq!(page.position, position as i64);
            assert!(slug_ok(&page.slug), "{}", page.slug);
            assert!(!page.title.is_empty());
            if page.kind == PageKind::Article {
                assert!(
                    categories.contains(page.category.as_deref().unwrap_or("")),
                    "{page:?}"
                );
                assert_ne!(page.article_type, Some(ArticleType::Category));
            } else {
                assert_eq!(page.category, None);
            }
        }
    }
}

#[test]
fn articles_cycle_through_the_types_unless_the_keyword_names_one() {
    let keywords = words(&[
        "espresso grinder",
        "milk frother",
        "descaling",
        "espresso beans",
        "tamper",
        "espresso cups",
        "portafilter",
        "espresso machine vs moka pot",
    ]);
    let planned = plan(&site(10, Language::En), &keywords);
    let articles: Vec<_> = planned
        .iter()
        .filter(|p| p.kind == PageKind::Article)
        .collect();
    let types: Vec<ArticleType> = articles.iter().filter_map(|p| p.article_type).collect();
    assert_eq!(
        &types[..4],
        [
            ArticleType::Review,
            ArticleType::Comparison,
            ArticleType::Listicle,
            ArticleType::Guide
        ]
    );
    let named = planned
        .iter()
        .find(|p| p.keyword == "espresso machine vs moka pot")
        .unwrap();
    assert_eq!(named.article_type, Some(ArticleType::Comparison));
    assert_eq!(named.slug, "espresso-machine-vs-moka-pot");
}

#[test]
fn german_slugs_are_transliterated_and_articles_join_the_closest_category() {
    let keywords = words(&[
        "kühlschrank mit gefrierfach",
        "kühlschrank ohne gefrierfach",
        "gefrierfach abtauen",
        "kühlschrank energieeffizienz",
        "kühlschrank mit gefrierfach test",
    ]);
    let planned = plan(&site(7, Language::De), &keywords);
    assert_eq!(planned.len(), 7);
    assert_eq!(planned[0].title, "Kühl & Frisch");
    let category = planned
        .iter()
        .find(|p| p.kind == PageKind::Category && p.keyword == "gefrierfach abtauen")
        .unwrap();
    assert_eq!(category.slug, "gefrierfach-abtauen");
    let test = planned
        .iter()
        .find(|p| p.keyword == "kühlschrank mit gefrierfach test")
        .unwrap();
    assert_eq!(test.article_type, Some(ArticleType::Review));
    assert!(
        test.slug.starts_with("kuehlschrank-mit-gefrierfach-test"),
        "{}",
        test.slug
    );
    assert!(planned.iter().all(|p| slug_ok(&p.slug)));
}

#[test]
fn the_same_input_plans_the_same_pages() {
    let keywords = words(&["espresso machine for beginners", "best espresso machine"]);
    assert_eq!(
        plan(&site(20, Language::En), &keywords),
        plan(&site(20, Language::En), &keywords)
    );
}

#[test]
fn input_is_validated_field_by_field() {
    use crate::kinds::{KindError, decode_valid as decode};
    assert!(decode::<Input>(&example_input(), validate).is_ok());
    let bad = json!({"website_id": "x y", "keywords": [" ", "ok"]});
    match decode::<Input>(&bad, validate) {
        Err(KindError::InvalidInput(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["website_id", "keywords[0]"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(decode::<Input>(&json!({"website_id": "a"}), validate).is_err());
}
