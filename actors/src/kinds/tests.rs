//! Unit tests of the task-kind catalogue.

use serde_json::json;

use super::*;

#[test]
fn every_example_validates_and_executes() {
    for spec in &KINDS {
        let example = (spec.example_input)();
        let (agent, kind) = (spec.agent, spec.kind);
        assert_eq!(validate(agent, kind, &example), Ok(()), "{agent}/{kind}");
        if matches!(spec.work, Work::Service(_)) {
            // Needs the node's services: run as a task in the integration tests.
            assert!(execute(agent, kind, &example).is_err(), "{agent}/{kind}");
            continue;
        }
        let output = execute(agent, kind, &example).unwrap();
        assert!(output.is_object(), "{agent}/{kind}: {output}");
        // Deterministic: the same input gives the same output.
        assert_eq!(
            execute(agent, kind, &example).unwrap(),
            output,
            "{agent}/{kind}"
        );
    }
}

#[test]
fn every_schema_is_a_closed_draft_2020_12_object() {
    for spec in &KINDS {
        let schema = (spec.input_schema)();
        let name = format!("{}/{}", spec.agent, spec.kind);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(schema["type"], "object", "{name}");
        assert_eq!(schema["additionalProperties"], false, "{name}");
        // Every example property is described by the schema.
        let example = (spec.example_input)();
        for key in example.as_object().unwrap().keys() {
            assert!(schema["properties"].get(key).is_some(), "{name}: {key}");
        }
        for required in schema["required"].as_array().unwrap() {
            assert!(
                example.get(required.as_str().unwrap()).is_some(),
                "{name}: {required}"
            );
        }
    }
}

#[test]
fn kinds_are_unique_and_grouped_by_agent() {
    let mut seen = std::collections::HashSet::new();
    for spec in &KINDS {
        assert!(seen.insert((spec.agent, spec.kind)), "{} twice", spec.kind);
        assert!(!spec.description.is_empty());
    }
    let agents: Vec<AgentId> = KINDS.iter().map(|spec| spec.agent).collect();
    let mut sorted = agents.clone();
    sorted.sort();
    assert_eq!(agents, sorted);
}

#[test]
fn an_unknown_kind_lists_the_known_ones() {
    let err = validate(AgentId::OpportunityScanner, "outline", &json!({})).unwrap_err();
    assert_eq!(
        err,
        KindError::UnknownKind {
            agent: AgentId::OpportunityScanner,
            kind: "outline".into(),
            known: vec![
                "score_keywords",
                "market_scan",
                "research",
                "site_keywords",
                "import"
            ],
        }
    );
    assert!(err.to_string().contains("score_keywords"));
}

#[test]
fn shape_errors_carry_a_json_path() {
    let input = json!({ "keywords": [
        { "keyword": "a", "monthly_volume": 1, "cpc_eur": 1.0, "difficulty": 1 },
        { "keyword": "b", "monthly_volume": 1, "cpc_eur": "cheap", "difficulty": 1 }
    ]});
    let Err(KindError::InvalidInput(errors)) =
        validate(AgentId::OpportunityScanner, "score_keywords", &input)
    else {
        panic!("expected invalid input");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "keywords[1].cpc_eur");
}

#[test]
fn rule_errors_are_all_reported() {
    let input = json!({ "keywords": [
        { "keyword": " ", "monthly_volume": 1, "cpc_eur": 1.0, "difficulty": 1 },
        { "keyword": "b", "monthly_volume": 1, "cpc_eur": 1.0, "difficulty": 101 }
    ]});
    let err = execute(AgentId::OpportunityScanner, "score_keywords", &input).unwrap_err();
    let KindError::InvalidInput(errors) = &err else {
        panic!("expected invalid input, got {err:?}");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["keywords[0].keyword", "keywords[1].difficulty"]);
    assert!(
        err.to_string()
            .contains("keywords[1].difficulty: must be between 0 and 100")
    );
}

#[test]
fn kinds_of_lists_an_agents_kinds() {
    let kinds: Vec<&str> = kinds_of(AgentId::ContentGenerator)
        .map(|s| s.kind)
        .collect();
    assert_eq!(kinds, ["outline", "plan_content", "write_pages"]);
}

#[test]
fn every_agent_has_a_kind() {
    for agent in AgentId::ALL {
        assert!(kinds_of(agent).next().is_some(), "{agent}");
    }
}

#[test]
fn a_planned_and_rendered_page_passes_its_own_audit_except_length() {
    let plan = execute(
        AgentId::ContentGenerator,
        "outline",
        &json!({ "keyword": "robot vacuum", "article_type": "review", "language": "en" }),
    )
    .unwrap();
    let mut markdown = format!(
        "# {}\n\nThis robot vacuum review shows [our picks](/best).\n\n",
        plan["title"].as_str().unwrap()
    );
    for heading in plan["outline"].as_array().unwrap() {
        let hashes = "#".repeat(heading["level"].as_u64().unwrap() as usize);
        markdown.push_str(&format!(
            "{hashes} {}\n\nSome text.\n\n",
            heading["heading"].as_str().unwrap()
        ));
    }
    let page = execute(
        AgentId::WebsiteBuilder,
        "render_page",
        &json!({
            "markdown": markdown,
            "title": plan["title"],
            "meta_description": plan["meta_description"],
            "canonical_url": format!("https://example.com/{}", plan["slug"].as_str().unwrap()),
        }),
    )
    .unwrap();
    let audit = execute(
        AgentId::SeoOptimizer,
        "audit_page",
        &json!({ "html": page["html"], "keyword": "robot vacuum" }),
    )
    .unwrap();
    assert_eq!(audit["failed"], json!(["content_length"]), "{audit:#}");
}

#[test]
fn custom_deserializers_and_enums_report_their_field() {
    let field_of = |input: serde_json::Value| match validate(
        AgentId::Monetization,
        "build_affiliate_link",
        &input,
    ) {
        Err(KindError::InvalidInput(errors)) => errors[0].clone(),
        other => panic!("expected invalid input, got {other:?}"),
    };
    let err = field_of(json!({ "network": "digistore24", "product_id": -5, "affiliate_id": "a" }));
    assert_eq!(err.field, "product_id");
    let err = field_of(json!({ "network": "amazon" }));
    assert_eq!(err.field, "network");
    assert!(err.message.contains("awin"), "{err}");
    let err = field_of(json!({ "product_id": "1" }));
    assert_eq!(err, FieldError::new("network", "is required"));
}

/// Kinds that only make sense for a stored website.
const REQUIRE_A_WEBSITE: [&str; 7] = [
    "site_keywords",
    "plan_content",
    "write_pages",
    "build_site",
    "publish_site",
    "audit_site",
    "monetise_site",
];

#[test]
fn the_page_kinds_take_an_optional_website_and_score_keywords_does_not() {
    for spec in &KINDS {
        let (agent, kind) = (spec.agent, spec.kind);
        let mut input = (spec.example_input)();
        input["website_id"] = json!("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        let schema = (spec.input_schema)();
        // Scans and the link check are about the market and the catalogue, not one website.
        if matches!(
            kind,
            "score_keywords" | "market_scan" | "check_offers" | "sync_networks" | "import"
        ) {
            assert!(validate(agent, kind, &input).is_err(), "{agent}/{kind}");
            assert!(schema["properties"].get("website_id").is_none());
            continue;
        }
        assert_eq!(validate(agent, kind, &input), Ok(()), "{agent}/{kind}");
        if matches!(spec.work, Work::Pure(_)) {
            assert_eq!(
                execute(agent, kind, &input).unwrap(),
                execute(agent, kind, &(spec.example_input)()).unwrap(),
                "{agent}/{kind}: the website changes nothing in the output"
            );
        }
        assert_eq!(schema["properties"]["website_id"]["type"], "string");
        // The website factory's steps work on one stored site: for them it is required.
        let required = schema["required"]
            .as_array()
            .is_some_and(|required| required.contains(&json!("website_id")));
        assert_eq!(
            required,
            REQUIRE_A_WEBSITE.contains(&kind),
            "{agent}/{kind}"
        );
        input["website_id"] = json!("../other site");
        match validate(agent, kind, &input) {
            Err(KindError::InvalidInput(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["website_id"], "{agent}/{kind}");
            }
            other => panic!("{agent}/{kind}: {other:?}"),
        }
    }
}
