//! Behaviour of the search index: stemming, filters, replacement, deletion, the durable
//! high-water mark, the single-writer rule and forgiving query parsing.

use super::*;

fn doc(id: &str, doc_type: DocType, language: Language, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.to_owned(),
        doc_type,
        language,
        title: title.to_owned(),
        body: body.to_owned(),
        website_id: None,
        updated_at_ms: 1_700_000_000_000,
    }
}

fn en(id: &str, title: &str, body: &str) -> SearchDoc {
    doc(id, DocType::Article, Language::En, title, body)
}

fn de(id: &str, title: &str, body: &str) -> SearchDoc {
    doc(id, DocType::Article, Language::De, title, body)
}

fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<String> {
    let mut ids: Vec<String> = index
        .search(query)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

fn q(text: &str) -> SearchQuery {
    SearchQuery::new(text)
}

fn q_in(text: &str, language: Language) -> SearchQuery {
    SearchQuery {
        language: Some(language),
        ..SearchQuery::new(text)
    }
}

fn index_with(docs: Vec<SearchDoc>) -> SearchIndex {
    let mut index = SearchIndex::in_ram().unwrap();
    index.upsert(docs).unwrap();
    index.commit().unwrap();
    index
}

#[test]
fn english_stemming_finds_inflected_forms() {
    let index = index_with(vec![
        en(
            "shoes",
            "Running shoes for beginners",
            "Our runners tested ten shoes.",
        ),
        en("coffee", "Coffee makers", "Brewing at home."),
    ]);
    assert_eq!(ids(&index, &q_in("run shoe", Language::En)), ["shoes"]);
    assert_eq!(ids(&index, &q("runs")), ["shoes"]);
    assert!(ids(&index, &q("walking")).is_empty());
}

#[test]
fn german_stemming_finds_inflected_forms() {
    let index = index_with(vec![
        de(
            "kaffee",
            "Die besten Kaffeemaschinen",
            "Wir haben zwölf Geräte verglichen.",
        ),
        de(
            "laufen",
            "Laufschuhe im Test",
            "Leichte Laufschuhe für den Wettkampf.",
        ),
    ]);
    for text in ["Kaffeemaschine", "kaffeemaschinen", "Kaffeemaschinen"] {
        assert_eq!(ids(&index, &q_in(text, Language::De)), ["kaffee"], "{text}");
    }
    for text in ["Laufschuh", "Laufschuhen", "laufschuhe"] {
        assert_eq!(ids(&index, &q(text)), ["laufen"], "{text}");
    }
}

#[test]
fn type_and_language_filters_narrow_the_hits() {
    let index = index_with(vec![
        doc(
            "en-article",
            DocType::Article,
            Language::En,
            "Garden tools",
            "Garden.",
        ),
        doc(
            "en-product",
            DocType::Product,
            Language::En,
            "Garden hose",
            "Garden.",
        ),
        doc(
            "de-product",
            DocType::Product,
            Language::De,
            "Garden Schlauch",
            "Garden.",
        ),
        doc(
            "de-keyword",
            DocType::Keyword,
            Language::De,
            "garden",
            "garden",
        ),
    ]);
    assert_eq!(ids(&index, &q("garden")).len(), 4);
    let products = SearchQuery {
        doc_type: Some(DocType::Product),
        ..q("garden")
    };
    assert_eq!(ids(&index, &products), ["de-product", "en-product"]);
    assert_eq!(
        ids(&index, &q_in("garden", Language::De)),
        ["de-keyword", "de-product"]
    );
    let german_products = SearchQuery {
        language: Some(Language::De),
        ..products
    };
    assert_eq!(ids(&index, &german_products), ["de-product"]);
    let notes = SearchQuery {
        doc_type: Some(DocType::ResearchNote),
        ..q("garden")
    };
    assert!(ids(&index, &notes).is_empty());
}

#[test]
fn hits_carry_the_stored_fields_and_a_highlighted_snippet() {
    let mut source = en(
        "a1",
        "Trail running",
        "Why <b>trail</b> running & hills build strength.",
    );
    source.website_id = Some("site-7".into());
    source.updated_at_ms = 42;
    let index = index_with(vec![source]);
    let hits = index.search(&q("hills")).unwrap();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.id, "a1");
    assert_eq!(hit.doc_type, DocType::Article);
    assert_eq!(hit.language, Language::En);
    assert_eq!(hit.title, "Trail running");
    assert_eq!(hit.website_id.as_deref(), Some("site-7"));
    assert_eq!(hit.updated_at_ms, 42);
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("<b>hills</b>"), "{}", hit.snippet);
    assert!(
        hit.snippet.contains("&lt;b&gt;trail&lt;/b&gt;"),
        "{}",
        hit.snippet
    );
    assert!(hit.snippet.contains("&amp;"), "{}", hit.snippet);
}

#[test]
fn a_title_only_match_shows_the_start_of_the_body() {
    let index = index_with(vec![en("a1", "Espresso", "A <short> guide to grinders.")]);
    let hits = index.search(&q("espresso")).unwrap();
    assert_eq!(hits[0].snippet, "A &lt;short&gt; guide to grinders.");
}

#[test]
fn a_title_match_outranks_a_body_match() {
    let index = index_with(vec![
        en(
            "body",
            "Kitchen notes",
            "Grinders, kettles, espresso and scales.",
        ),
        en("title", "Espresso", "Grinders, kettles, cups and scales."),
    ]);
    let hits = index.search(&q("espresso")).unwrap();
    assert_eq!(hits[0].id, "title");
    assert_eq!(hits.len(), 2);
}

#[test]
fn upsert_replaces_the_document_with_the_same_id() {
    let mut index = index_with(vec![en("a1", "Old title", "gardening")]);
    index.upsert([en("a1", "New title", "gardening")]).unwrap();
    index
        .upsert([en("a1", "Newest title", "gardening")])
        .unwrap();
    index.commit().unwrap();
    let hits = index.search(&q("gardening")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Newest title");
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn delete_removes_a_document_on_commit() {
    let mut index = index_with(vec![en("a1", "Garden", "x"), en("a2", "Garden", "y")]);
    index.delete("a1");
    index.delete("never-indexed");
    assert_eq!(
        ids(&index, &q("garden")),
        ["a1", "a2"],
        "staged, not yet visible"
    );
    index.commit().unwrap();
    assert_eq!(ids(&index, &q("garden")), ["a2"]);
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn clear_swaps_the_contents_on_the_next_commit() {
    let mut index = SearchIndex::in_ram().unwrap();
    index
        .upsert([en("old1", "Garden", "x"), en("old2", "Garden", "y")])
        .unwrap();
    index.commit_through(10).unwrap();
    index.clear().unwrap();
    index.upsert([en("new", "Garden", "z")]).unwrap();
    assert_eq!(
        index.num_docs(),
        2,
        "readers see the old contents until the commit"
    );
    assert_eq!(index.last_applied(), Some(10));
    index.commit().unwrap();
    assert_eq!(ids(&index, &q("garden")), ["new"]);
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.last_applied(), None);
}

#[test]
fn the_high_water_mark_and_documents_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.last_applied(), None);
        index.upsert([de("k1", "Kaffeemaschinen", "Test")]).unwrap();
        index.commit_through(41).unwrap();
        index.upsert([en("a1", "Running shoes", "Test")]).unwrap();
        index.commit_through(42).unwrap();
        index.upsert([en("a2", "Running socks", "Test")]).unwrap();
        index.commit().unwrap();
        assert_eq!(
            index.last_applied(),
            Some(42),
            "a plain commit keeps the mark"
        );
        index.upsert([en("lost", "Uncommitted", "Test")]).unwrap();
    }
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.last_applied(), Some(42));
    assert_eq!(index.num_docs(), 3);
    assert_eq!(
        ids(&index, &q("Kaffeemaschine")),
        ["k1"],
        "analyzers are registered again"
    );
    assert_eq!(ids(&index, &q("run")), ["a1", "a2"]);
}

#[test]
fn a_second_writer_on_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open_or_create(dir.path()).unwrap();
    let second = SearchIndex::open_or_create(dir.path());
    assert!(
        matches!(&second, Err(SearchError::Locked(path)) if path == dir.path()),
        "{second:?}"
    );
    drop(first);
    SearchIndex::open_or_create(dir.path()).unwrap();
}

#[test]
fn query_syntax_errors_are_forgiven() {
    let index = index_with(vec![en("shoes", "Running shoes", "For trails.")]);
    for text in [
        "\"unbalanced (",
        "running (",
        "AND OR NOT",
        "title_en:",
        "nofield:running",
        "running^",
        "[a TO",
        "))) shoes",
        "*",
        "-",
    ] {
        let result = index.search(&q(text));
        assert!(result.is_ok(), "{text}: {result:?}");
    }
    assert_eq!(
        ids(&index, &q("running (")),
        ["shoes"],
        "the parsable part is searched"
    );
}

#[test]
fn invalid_queries_are_refused_with_the_field_at_fault() {
    let index = SearchIndex::in_ram().unwrap();
    let field_of = |query: SearchQuery| match index.search(&query) {
        Err(SearchError::InvalidQuery { field, .. }) => field,
        other => panic!("expected InvalidQuery, got {other:?}"),
    };
    assert_eq!(field_of(q("   ")), "q");
    assert_eq!(field_of(q(&"x".repeat(501))), "q");
    assert_eq!(field_of(SearchQuery { limit: 0, ..q("x") }), "limit");
    assert_eq!(
        field_of(SearchQuery {
            limit: 101,
            ..q("x")
        }),
        "limit"
    );
    assert!(
        index
            .search(&SearchQuery {
                limit: 100,
                ..q("x")
            })
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_document_without_an_id_is_refused() {
    let mut index = SearchIndex::in_ram().unwrap();
    let result = index.upsert([en(" ", "Title", "Body")]);
    assert!(
        matches!(result, Err(SearchError::InvalidDoc { field: "id", .. })),
        "{result:?}"
    );
}

#[test]
fn limit_caps_the_number_of_hits() {
    let docs = (0..20)
        .map(|i| en(&format!("a{i}"), "Garden", "garden"))
        .collect();
    let index = index_with(docs);
    let limited = SearchQuery {
        limit: 5,
        ..q("garden")
    };
    assert_eq!(index.search(&limited).unwrap().len(), 5);
    assert_eq!(index.num_docs(), 20);
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SearchIndex>();
}
