//! Reading metric names: out of the alert rules' PromQL and the dashboard's queries, and out of
//! a Prometheus exposition.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

pub const ALERTS: &str = "deploy/monitoring/alerts.yaml";
pub const DASHBOARD: &str = "deploy/monitoring/grafana-dashboard.json";

/// PromQL words that are not metric names: operators, modifiers, and the aggregations, which
/// may be followed by `by (…)` rather than `(`.
const KEYWORDS: [&str; 27] = [
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "inf",
    "nan",
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
    "limitk",
    "limit_ratio",
];

/// Words followed by a list of label names in parentheses.
const GROUPING: [&str; 6] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

/// The PromQL of a Prometheus rule file — every `expr:`, on its line or as a `|` / `>` block —
/// and the names its `record:` rules define (those are not exported by the app).
fn rule_file(yaml: &str) -> (Vec<String>, BTreeSet<String>) {
    let lines: Vec<&str> = yaml.lines().collect();
    let (mut exprs, mut recorded) = (Vec::new(), BTreeSet::new());
    let mut i = 0;
    while i < lines.len() {
        let key = lines[i].trim_start();
        let key = key.strip_prefix("- ").unwrap_or(key);
        if let Some(name) = key.strip_prefix("record:") {
            recorded.insert(unquote(name));
        } else if let Some(rest) = key.strip_prefix("expr:") {
            let rest = rest.trim();
            if rest.starts_with('|') || rest.starts_with('>') {
                let own = indent(lines[i]);
                let mut block = String::new();
                while i + 1 < lines.len()
                    && (lines[i + 1].trim().is_empty() || indent(lines[i + 1]) > own)
                {
                    i += 1;
                    block.push_str(lines[i]);
                    block.push('\n');
                }
                exprs.push(block);
            } else {
                exprs.push(unquote(rest));
            }
        }
        i += 1;
    }
    (exprs, recorded)
}

/// Every `"expr"` string anywhere in a Grafana dashboard.
fn dashboard_exprs(value: &Value, exprs: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("expr", Value::String(expr)) => exprs.push(expr.clone()),
                    _ => dashboard_exprs(value, exprs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| dashboard_exprs(item, exprs)),
        _ => {}
    }
}

/// The metric names in a PromQL expression, roughly: identifiers that are not functions (followed
/// by `(`), keywords, label names (inside `{…}` or a grouping list), durations (inside `[…]`),
/// numbers, strings or `$variables`.
fn metric_names(expr: &str) -> BTreeSet<String> {
    // Strings, comments, label matchers and ranges out; the brackets themselves stay.
    let mut cleaned = String::new();
    let (mut quote, mut escaped, mut comment) = (None, false, false);
    let (mut braces, mut brackets) = (0usize, 0usize);
    for c in expr.chars() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '#' => comment = true,
            '{' => braces += 1,
            '}' => braces = braces.saturating_sub(1),
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            _ => {}
        }
        let bracket = matches!(c, '{' | '}' | '[' | ']');
        if bracket || (quote.is_none() && !comment && braces == 0 && brackets == 0) {
            cleaned.push(if c == '\n' { ' ' } else { c });
        }
    }

    let chars: Vec<char> = cleaned.chars().collect();
    let next_non_space = |from: usize| chars[from..].iter().copied().find(|c| !c.is_whitespace());
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            // A number such as 0.95, 1e6 or 0x1F: digits, letters and dots, and a sign after e.
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || (matches!(chars[i], '+' | '-') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            continue;
        }
        if !(c.is_ascii_alphabetic() || c == '_' || c == ':') {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | ':'))
        {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let variable = start > 0 && chars[start - 1] == '$';
        let next = next_non_space(i);
        if GROUPING.contains(&word.as_str()) && next == Some('(') {
            // Skip the label list: `by (le, agent)`.
            while i < chars.len() && chars[i] != ')' {
                i += 1;
            }
            continue;
        }
        if variable || next == Some('(') || KEYWORDS.contains(&word.as_str()) {
            continue;
        }
        names.insert(word);
    }
    names
}

/// The exposition's sample names, and each family's type from its `# TYPE` line.
fn exported(text: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let (mut samples, mut families) = (BTreeSet::new(), BTreeMap::new());
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split_whitespace();
            if let (Some(name), Some(kind)) = (parts.next(), parts.next()) {
                families.insert(name.to_owned(), kind.to_owned());
            }
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            let end = line.find(['{', ' ']).unwrap_or(line.len());
            samples.insert(line[..end].to_owned());
        }
    }
    (samples, families)
}

/// The names of `wanted` that `text` does not export. A histogram's `_bucket`, `_sum` and
/// `_count` count as the histogram.
pub fn missing(text: &str, wanted: &BTreeSet<String>) -> Vec<String> {
    let (samples, families) = exported(text);
    wanted
        .iter()
        .filter(|name| {
            let histogram = ["_bucket", "_sum", "_count"].iter().any(|suffix| {
                name.strip_suffix(suffix)
                    .is_some_and(|base| families.get(base).is_some_and(|kind| kind == "histogram"))
            });
            !samples.contains(*name) && !families.contains_key(*name) && !histogram
        })
        .cloned()
        .collect()
}

/// Every metric name `deploy/monitoring` uses, without the rule file's own recording rules.
pub fn referenced() -> BTreeSet<String> {
    let (mut exprs, recorded) = rule_file(&read(ALERTS));
    assert!(exprs.len() >= 6, "too few rules parsed from {ALERTS}");
    let rules = exprs.len();
    let dashboard: Value = serde_json::from_str(&read(DASHBOARD)).unwrap();
    dashboard_exprs(&dashboard, &mut exprs);
    assert!(
        exprs.len() > rules + 5,
        "too few queries parsed from {DASHBOARD}"
    );
    exprs
        .iter()
        .flat_map(|expr| metric_names(expr))
        .filter(|name| !recorded.contains(name))
        .collect()
}

#[test]
fn promql_names_are_found_and_a_name_not_exported_is_reported() {
    let expr = r#"histogram_quantile(0.95, sum by (le, agent) (rate(task_run_seconds_bucket{route!~"/x|y", a="b"}[$__rate_interval])))
        / on () group_left (agent) scalar(empire:budget) > 1e6 * 2
        and absent(cluster_nodes_up) unless max by (agent) (tasks{status="queued"}) # a comment naming no_metric
        or sum(increase(tasks_dead_total[5m] offset 1h)) without (instance) > bool 0.5"#;
    let names: Vec<String> = metric_names(expr).into_iter().collect();
    assert_eq!(
        names,
        [
            "cluster_nodes_up",
            "empire:budget",
            "task_run_seconds_bucket",
            "tasks",
            "tasks_dead_total"
        ]
    );

    let (exprs, recorded) = rule_file(
        "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: vector(1)\n      - alert: A\n        expr: |\n          x_total\n            > 1\n        for: 1m\n      - alert: B\n        expr: 'up_thing > 0'\n",
    );
    assert_eq!(recorded, BTreeSet::from(["a:b".to_owned()]));
    assert_eq!(exprs.len(), 3, "{exprs:?}");
    assert!(metric_names(&exprs[1]).contains("x_total"));

    let exposition = "# TYPE x_total counter\nx_total{a=\"b\"} 1\n# TYPE h_seconds histogram\nh_seconds_bucket{le=\"1\"} 1\nh_seconds_sum 1\nh_seconds_count 1\n";
    let wanted: BTreeSet<String> = [
        "x_total",
        "h_seconds_bucket",
        "h_seconds_count",
        "made_up_total",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(missing(exposition, &wanted), ["made_up_total"]);
}
