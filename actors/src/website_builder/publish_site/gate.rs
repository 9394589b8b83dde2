//! Why a build may not go live: the publish gate's verdict and the pages that failed it, read
//! from the audit report stored with the build.

use empire_schema::models::SiteBuild;
use serde_json::Value;

/// Pages named in a refusal before it says "and N more".
const MAX_NAMED_PAGES: usize = 10;

/// `None` when the gate passed the build; otherwise the reason, naming the failing pages.
pub fn refusal(build: &SiteBuild) -> Option<String> {
    match build.gate_passed {
        Some(true) => None,
        None => Some(format!(
            "build {} has not been through the SEO audit, so the publish gate has not passed it",
            build.id
        )),
        Some(false) => {
            let report = &build.report.0;
            let score = report
                .get("score")
                .and_then(Value::as_f64)
                .map(|score| format!(" (score {score})"))
                .unwrap_or_default();
            let pages = failing_pages(report);
            let named = if pages.is_empty() {
                String::new()
            } else {
                let mut list = pages
                    .iter()
                    .take(MAX_NAMED_PAGES)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if pages.len() > MAX_NAMED_PAGES {
                    list.push_str(&format!(" and {} more", pages.len() - MAX_NAMED_PAGES));
                }
                format!("; failing pages: {list}")
            };
            Some(format!(
                "build {} did not pass the publish gate{score}{named}",
                build.id
            ))
        }
    }
}

/// Each failure's page, with its URL and failed checks where the report gives them.
fn failing_pages(report: &Value) -> Vec<String> {
    let Some(failures) = report.get("failures").and_then(Value::as_array) else {
        return Vec::new();
    };
    failures
        .iter()
        .filter_map(|failure| {
            let text = |key: &str| failure.get(key).and_then(Value::as_str).map(str::to_owned);
            let name = text("page").or_else(|| text("url"))?;
            let checks: Vec<String> = failure
                .get("checks")
                .and_then(Value::as_array)
                .map(|checks| {
                    checks
                        .iter()
                        .filter_map(|check| {
                            check
                                .as_str()
                                .or_else(|| check.get("check").and_then(Value::as_str))
                                .or_else(|| check.get("id").and_then(Value::as_str))
                                .map(str::to_owned)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let url = text("page").and(text("url"));
            let mut shown = name;
            if let Some(url) = url {
                shown.push_str(&format!(" <{url}>"));
            }
            if !checks.is_empty() {
                shown.push_str(&format!(" [{}]", checks.join(", ")));
            }
            Some(shown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;
    use empire_schema::Json;
    use empire_schema::types::BuildStatus;
    use serde_json::json;

    use super::*;

    fn build(gate: Option<bool>, report: Value) -> SiteBuild {
        SiteBuild {
            id: "b1".into(),
            website_id: "w1".into(),
            status: BuildStatus::Built,
            pages: 3,
            files: 9,
            bytes: 1000,
            gate_passed: gate,
            report: Json(report),
            created_at: NaiveDateTime::default(),
            published_at: None,
        }
    }

    #[test]
    fn only_a_passed_gate_lets_a_build_through() {
        assert_eq!(refusal(&build(Some(true), json!({}))), None);
        let unaudited = refusal(&build(None, json!({}))).unwrap();
        assert!(
            unaudited.contains("not been through the SEO audit"),
            "{unaudited}"
        );
    }

    #[test]
    fn a_refusal_names_each_failing_page_and_its_checks() {
        let report = json!({
            "passed": false, "score": 62.5,
            "failures": [
                {"page": "best-shears", "url": "https://x.example/shears/best-shears/",
                 "checks": ["title_length", {"check": "one_h1", "detail": "2 found"}]},
                {"url": "https://x.example/"},
            ]
        });
        let reason = refusal(&build(Some(false), report)).unwrap();
        assert_eq!(
            reason,
            "build b1 did not pass the publish gate (score 62.5); failing pages: best-shears \
             <https://x.example/shears/best-shears/> [title_length, one_h1], https://x.example/"
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let failures: Vec<Value> = (0..12).map(|i| json!({"page": format!("p{i}")})).collect();
        let reason = refusal(&build(Some(false), json!({"failures": failures}))).unwrap();
        assert!(reason.ends_with("p9 and 2 more"), "{reason}");
    }
}
