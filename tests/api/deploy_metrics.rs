//! Every metric that `deploy/monitoring` names — in the alert rules and in the Grafana
//! dashboard — is one empire exports: the app is started, made to count a little of everything
//! (requests, tasks that succeed and die, an LLM call, a socket, a click, a beacon), and its
//! `/metrics` is read. The `cluster_*` metrics come from two real nodes of a cluster, briefly
//! partitioned, so they are checked when PostgreSQL is available (a cluster refuses SQLite).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, unique_cluster,
};
use crate::helpers::database::admin_url;
use crate::helpers::proxy::TcpProxy;
use crate::helpers::{TestBackend, TestDatabase, spawn_app_with};

const ALERTS: &str = "deploy/monitoring/alerts.yaml";
const DASHBOARD: &str = "deploy/monitoring/grafana-dashboard.json";

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
fn missing(text: &str, wanted: &BTreeSet<String>) -> Vec<String> {
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
fn referenced() -> BTreeSet<String> {
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

/// The exposition at `url`, polled until nothing of `wanted` is missing or `within`
/// has passed; the last text.
async fn metrics_with(
    client: &Client,
    url: &str,
    wanted: &BTreeSet<String>,
    within: Duration,
) -> String {
    let started = Instant::now();
    loop {
        let text = client.get(url).send().await.unwrap().text().await.unwrap();
        if missing(&text, wanted).is_empty() || started.elapsed() > within {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_in_the_alert_rules_and_the_dashboard_is_exported() {
    let names = referenced();
    let (cluster, node): (BTreeSet<String>, BTreeSet<String>) = names
        .iter()
        .cloned()
        .partition(|name| name.starts_with("cluster_"));

    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.fault_injection = true;
        config.tasks.restart_backoff_ms = 20;
    })
    .await;
    let token = app.admin_token().await;
    let plain = Client::new();
    // Requests, an unknown link, a beacon from a bot.
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(
        plain
            .get(app.url("/go/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let beacon = plain
        .post(app.url("/t/e"))
        .header("user-agent", "curl/8.0")
        .header("content-type", "text/plain")
        .body(r#"{"site":"nope","page":"/"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), 204);
    // A dashboard socket stays open while /metrics is read.
    let _socket = app.socket("/ws/dashboard", &token).await;
    // A task that succeeds and one that panics on its only attempt (dead; its instance restarts).
    let done = app
        .submit_task(
            &token,
            "seo_optimizer",
            &json!({"kind": "sleep", "input": {"ms": 5}}),
        )
        .await;
    let dead = app
        .submit_task(
            &token,
            "seo_optimizer",
            &json!({"kind": "panic", "input": {"message": "deploy metrics"}, "max_attempts": 1}),
        )
        .await;
    assert_eq!(app.wait_task(&token, &done).await["status"], "succeeded");
    assert_eq!(app.wait_task(&token, &dead).await["status"], "dead");
    // One LLM call on the offline provider.
    let research = app
        .with(
            Method::POST,
            "/api/v1/intelligence/research?wait_s=60",
            &token,
        )
        .json(&json!({"topic": "deploy metrics", "language": "en", "depth": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(research.status(), 200);

    let text = metrics_with(&plain, &app.url("/metrics"), &node, Duration::from_secs(20)).await;
    let absent = missing(&text, &node);
    assert!(
        absent.is_empty(),
        "{ALERTS} or {DASHBOARD} name metrics that /metrics does not export: {absent:?}\n{text}"
    );

    if admin_url().is_none() {
        eprintln!(
            "every_metric_in_the_alert_rules_and_the_dashboard_is_exported: {cluster:?} not checked, a cluster needs PostgreSQL (set EMPIRE_TEST_DATABASE_URL)"
        );
        return;
    }
    // Two nodes, each reached through a TCP proxy, join; a silent partition (connections open,
    // every byte dropped) makes the first lose its link for silence and redial it; it heals.
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let scope = unique_cluster("deploy-metrics");
    let mut a = NodeConfig::new(&scope, "node-a", &[]);
    let mut b = NodeConfig::new(&scope, "node-b", &[]);
    let to_a = TcpProxy::start(a.cluster_addr().parse().unwrap()).await;
    let to_b = TcpProxy::start(b.cluster_addr().parse().unwrap()).await;
    a.advertise_addr = Some(to_a.addr.to_string());
    a.seeds = vec![to_b.addr.to_string()];
    b.advertise_addr = Some(to_b.addr.to_string());
    b.seeds = vec![to_a.addr.to_string()];
    let one = Node::start(dir.path(), &a, &database.url);
    let _two = Node::start(dir.path(), &b, &database.url);
    let client = Client::new();
    let token = admin_token(&client, &one).await;
    eventually(Duration::from_secs(20), "node-a sees both nodes up", || {
        sees_all_up(&client, &one, &token, &["node-a", "node-b"])
    })
    .await;
    to_a.black_hole();
    to_b.black_hole();
    let lost = BTreeSet::from(["cluster_links_lost_total".to_owned()]);
    metrics_with(
        &client,
        &one.url("/metrics"),
        &lost,
        Duration::from_secs(10),
    )
    .await;
    to_a.heal();
    to_b.heal();
    let text = metrics_with(
        &client,
        &one.url("/metrics"),
        &cluster,
        Duration::from_secs(20),
    )
    .await;
    let absent = missing(&text, &cluster);
    assert!(
        absent.is_empty(),
        "{ALERTS} or {DASHBOARD} name cluster metrics that a cluster node does not export: {absent:?}\n{text}"
    );
}
