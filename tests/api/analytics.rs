//! Analytics against hand-computed fixtures on both backends: beacon views (bots, foreign
//! origins and unknown sites left out), `/go` clicks, sales in and out of EUR, declined and
//! unattributed ones, and LLM spend with and without a website.

use std::time::Duration;

use empire_schema::clock::{new_id, now};
use empire_schema::models::{Conversion, LlmCall, ReportedSale};
use empire_schema::types::{ConversionStatus, Network};
use reqwest::Method;
use serde_json::{Value, json};

use crate::go::link;
use crate::helpers::client::checked;
use crate::helpers::{TestApp, backends, spawn_app};

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

async fn beacon(app: &TestApp, body: Value, agent: &str, origin: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(app.url("/t/e"))
        .header("content-type", "text/plain;charset=UTF-8")
        .header("user-agent", agent)
        .body(body.to_string());
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let response = checked(&Method::POST, request.send().await.unwrap()).await;
    response.status().as_u16()
}

fn sale(
    id: &str,
    status: ConversionStatus,
    cents: i64,
    currency: &str,
    click: Option<&str>,
) -> ReportedSale {
    ReportedSale {
        network: Network::Awin,
        external_id: id.into(),
        order_id: None,
        status,
        commission_cents: cents,
        sale_cents: None,
        currency: currency.into(),
        click_ref: click.map(str::to_owned),
        occurred_at: now(),
    }
}

fn llm_call(website_id: Option<&str>, cost_micro_eur: i64) -> LlmCall {
    LlmCall {
        id: new_id(),
        created_at: now(),
        provider: "local".into(),
        model: "offline".into(),
        task_id: None,
        agent: None,
        website_id: website_id.map(str::to_owned),
        input_tokens: 100,
        output_tokens: 50,
        usage_estimated: false,
        latency_ms: 3,
        outcome: "ok".into(),
        cost_micro_eur,
        priced_by_default: false,
        streamed: false,
        error: None,
    }
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app.with(Method::GET, path, token).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sites_numbers_and_the_portfolio_match_the_hand_counted_fixture() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let token = app.admin_token().await;
        let link = link(db).await;
        let site = "coffee-corner";

        // 4 views by people; 2 by bots, 1 from a foreign origin and 1 of an unknown site not.
        for page in [
            "/sites/coffee-corner/grinders/",
            "/sites/coffee-corner/grinders/",
            "/sites/coffee-corner/grinders/",
            "/sites/coffee-corner/",
        ] {
            let view = json!({"site": site, "page": page, "referrer": null});
            assert_eq!(beacon(&app, view, BROWSER, None).await, 204);
        }
        let view = json!({"site": site, "page": "/sites/coffee-corner/"});
        assert_eq!(beacon(&app, view.clone(), "curl/8.5.0", None).await, 204);
        assert_eq!(
            beacon(
                &app,
                view.clone(),
                "Mozilla/5.0 (compatible; Googlebot/2.1)",
                None
            )
            .await,
            204
        );
        assert_eq!(
            beacon(&app, view.clone(), BROWSER, Some("https://evil.example")).await,
            403
        );
        let unknown = json!({"site": "no-such-site", "page": "/"});
        assert_eq!(beacon(&app, unknown, BROWSER, None).await, 204);
        assert_eq!(
            beacon(
                &app,
                json!({"site": "Bad Slug", "page": "/"}),
                BROWSER,
                None
            )
            .await,
            422
        );
        assert_eq!(
            beacon(
                &app,
                json!({"site": site, "page": "no-slash"}),
                BROWSER,
                None
            )
            .await,
            422
        );

        // 4 clicks through /go.
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        for _ in 0..4 {
            let response = no_redirects
                .get(app.url(&format!("/go/{}", link.code)))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 302);
        }

        // Sales: 5.00 + 2.50 EUR earn; a declined one does not; 7.00 USD is listed apart;
        // 1.00 EUR without our click reference counts only in the portfolio's totals.
        let code = Some(link.code.as_str());
        for (n, (status, cents, currency, click)) in [
            (ConversionStatus::Pending, 500, "EUR", code),
            (ConversionStatus::Approved, 250, "EUR", code),
            (ConversionStatus::Declined, 999, "EUR", code),
            (ConversionStatus::Pending, 700, "USD", code),
            (ConversionStatus::Pending, 100, "EUR", None),
        ]
        .into_iter()
        .enumerate()
        {
            let reported = sale(&format!("t{n}"), status, cents, currency, click);
            Conversion::record(db, &format!("push/t{n}"), "transaction", &reported)
                .await
                .unwrap();
        }
        LlmCall::record(
            db,
            &[
                llm_call(Some(&link.website_id), 1_234_567),
                llm_call(None, 1_000),
            ],
            None,
        )
        .await
        .unwrap();

        // The beacon's writer adds views up once a second.
        let path = format!("/api/v1/websites/{}/analytics?period=7d", link.website_id);
        let mut analytics = Value::Null;
        for _ in 0..100 {
            let (status, body) = get_json(&app, &token, &path).await;
            assert_eq!(status, 200, "{body}");
            analytics = body;
            if analytics["views"] == 4 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(analytics["views"], 4, "{analytics:#}");
        assert_eq!(analytics["clicks"], 4);
        assert_eq!(analytics["ctr"], 1.0);
        assert_eq!(analytics["conversions"], 3, "two EUR sales and the USD one");
        assert_eq!(analytics["revenue_micro_eur"], 7_500_000);
        assert_eq!(analytics["epc_micro_eur"], 1_875_000);
        assert_eq!(analytics["llm_cost_micro_eur"], 1_234_567);
        assert_eq!(analytics["profit_micro_eur"], 7_500_000 - 1_234_567);
        assert_eq!(
            analytics["other_currencies"],
            json!([{"currency": "USD", "conversions": 1, "commission_cents": 700}])
        );
        let days = analytics["days"].as_array().unwrap();
        assert_eq!(days.len(), 1, "{analytics:#}");
        assert_eq!(days[0]["key"], now().format("%Y-%m-%d").to_string());
        assert_eq!(days[0]["views"], 4);
        let paths: Vec<(String, i64)> = analytics["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["key"].as_str().unwrap().to_owned(),
                    p["views"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            paths,
            vec![
                ("/sites/coffee-corner/".to_owned(), 1),
                ("/sites/coffee-corner/grinders/".to_owned(), 3)
            ]
        );
        let offers = analytics["offers"].as_array().unwrap();
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0]["key"], link.offer_id.as_str());
        assert_eq!(
            (
                offers[0]["clicks"].as_i64(),
                offers[0]["epc_micro_eur"].as_i64()
            ),
            (Some(4), Some(1_875_000))
        );
        assert_eq!(analytics["pages"][0]["key"], link.page_id.as_str());

        let (status, portfolio) =
            get_json(&app, &token, "/api/v1/analytics/portfolio?period=30d").await;
        assert_eq!(status, 200, "{portfolio}");
        assert_eq!(portfolio["totals"]["conversions"], 4, "{portfolio:#}");
        assert_eq!(portfolio["totals"]["revenue_micro_eur"], 8_500_000);
        assert_eq!(portfolio["totals"]["llm_cost_micro_eur"], 1_235_567);
        assert_eq!(portfolio["unattributed"]["revenue_micro_eur"], 1_000_000);
        assert_eq!(portfolio["unattributed"]["llm_cost_micro_eur"], 1_000);
        let websites = portfolio["websites"].as_array().unwrap();
        assert_eq!(websites.len(), 1);
        assert_eq!(websites[0]["slug"], site);
        assert_eq!(websites[0]["profit_micro_eur"], 7_500_000 - 1_234_567);

        let (status, problem) = get_json(&app, &token, &path.replace("7d", "1y")).await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["field"], "period");
        // The unknown site's view is dropped at the writer's next read of the sites, which can
        // come a second after the flush that wrote the others.
        let outcomes = ["bot", "refused", "written", "unknown_site"]
            .map(|outcome| format!("beacon_events_total{{outcome=\"{outcome}\"}}"));
        let mut metrics = String::new();
        for _ in 0..50 {
            metrics = app.get("/metrics").await.text().await.unwrap();
            if outcomes.iter().all(|line| metrics.contains(line.as_str())) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for line in outcomes {
            assert!(metrics.contains(&line), "{line} is not in /metrics");
        }
    }
}
