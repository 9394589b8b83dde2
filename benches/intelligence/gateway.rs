//! The gateway's overhead: a fake OpenAI-compatible server (actix-web, one worker, its own
//! thread) answers a fixed chat completion; rounds alternate between `Gateway::complete` to it,
//! `Llm::complete_with` (the node's service: the budget check and the ledger row on SQLite as
//! well) and a raw reqwest POST of the same body with the same headers, reading the bytes.
//! p50/p99 of each; the difference from the raw POST is the overhead (goal ≤ 200 µs).

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use empire_actors::intelligence::llm::{
    ChatMessage, ChatRequest, Gateway, GatewayOptions, Llm, LlmSettings, ProviderKind,
    ProviderSettings, Secret,
};
use empire_schema::{DatabaseUrl, Db, DbOptions};
use serde_json::json;

use super::{Row, Samples, Table, env_or, rounds, us};

const KEY: &str = "sk-bench-key-0123456789";
const MODEL: &str = "gpt-bench";
const PROVIDER: &str = "fake";
const WARM_UP: usize = 200;

/// The fake's answer, as api.openai.com shapes it.
fn completion() -> String {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Espresso machines under 300 EUR: three picks."}, "finish_reason": "stop", "logprobs": null}],
        "usage": {"prompt_tokens": 24, "completion_tokens": 11, "total_tokens": 35},
        "system_fingerprint": "fp"
    })
    .to_string()
}

/// Starts the fake on its own thread; its base URL.
fn start_fake() -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let body = completion();
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                let body = body.clone();
                App::new().route(
                    "/v1/chat/completions",
                    web::post().to(move |_: web::Bytes| {
                        let body = body.clone();
                        async move {
                            HttpResponse::Ok()
                                .content_type("application/json")
                                .body(body)
                        }
                    }),
                )
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
            tx.send(server.addrs()[0].port()).unwrap();
            server.run().await.unwrap();
        });
    });
    let port = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    format!("http://127.0.0.1:{port}/v1")
}

fn request() -> ChatRequest {
    ChatRequest {
        system: Some("You are a market researcher. Be brief.".into()),
        messages: vec![ChatMessage::user(
            "Name three espresso machines under 300 EUR worth reviewing.",
        )],
        max_tokens: 200,
        temperature: Some(0.2),
        stream: false,
    }
}

/// The body the OpenAI client sends for `request()` to a compatible server.
fn wire_body() -> Vec<u8> {
    let request = request();
    serde_json::to_vec(&json!({
        "model": MODEL,
        "messages": [
            {"role": "system", "content": request.system},
            {"role": "user", "content": request.messages[0].content},
        ],
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "stream": false,
    }))
    .unwrap()
}

pub fn run(table: &mut Table) {
    let calls = env_or("BENCH_CALLS", 2_000);
    let base = start_fake();
    let settings = ProviderSettings {
        base_url: base.clone(),
        model: MODEL.into(),
        api_key: Some(Secret::new(KEY)),
        // High enough never to throttle, so the limiter is asked but never waits.
        requests_per_minute: u32::MAX,
        tokens_per_minute: u64::MAX / 2,
        eur_per_million_input_tokens: 0.15,
        eur_per_million_output_tokens: 0.60,
        timeout_ms: 5_000,
        ..ProviderSettings::new(ProviderKind::Openai)
    };
    let chain = vec![PROVIDER.to_owned()];
    let providers = BTreeMap::from([(PROVIDER.to_owned(), settings)]);
    let gateway =
        Gateway::with_options(providers.clone(), chain.clone(), GatewayOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let llm = tokio.block_on(async {
        let url = DatabaseUrl::Sqlite(dir.path().join("ledger.db"));
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 4,
            connect_timeout: Duration::from_secs(10),
        })
        .await
        .unwrap();
        let settings = LlmSettings {
            chain: chain.clone(),
            providers,
            ..LlmSettings::default()
        };
        Llm::start(settings, db, None, GatewayOptions::default()).unwrap()
    });
    let raw = reqwest::Client::new();
    let url = format!("{base}/chat/completions");
    let body = wire_body();
    let auth = format!("Bearer {KEY}");
    let request = request();

    let (mut through_gateway, mut through_llm, mut bare) =
        (Samples::default(), Samples::default(), Samples::default());
    tokio.block_on(async {
        let gateway_call = async || {
            let outcome = gateway.complete(&chain, &request).await.unwrap();
            assert_eq!(outcome.completion.usage.output_tokens, 11);
        };
        let llm_call = async || {
            let outcome = llm.complete_with(None, &chain, &request).await.unwrap();
            assert_eq!(outcome.calls.len(), 1);
        };
        let raw_call = async || {
            let answer = raw
                .post(&url)
                .header("content-type", "application/json")
                .header("authorization", auth.as_str())
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success());
            assert!(!answer.bytes().await.unwrap().is_empty());
        };
        for _ in 0..WARM_UP {
            gateway_call().await;
            llm_call().await;
            raw_call().await;
        }
        for round in 0..rounds() {
            // Rotate which goes first, so none always follows the same one.
            for turn in 0..3 {
                match (round + turn) % 3 {
                    0 => {
                        for _ in 0..calls {
                            let started = std::time::Instant::now();
                            gateway_call().await;
                            through_gateway.push(started.elapsed());
                        }
                    }
                    1 => {
                        for _ in 0..calls {
                            let started = std::time::Instant::now();
                            llm_call().await;
                            through_llm.push(started.elapsed());
                        }
                    }
                    _ => {
                        for _ in 0..calls {
                            let started = std::time::Instant::now();
                            raw_call().await;
                            bare.push(started.elapsed());
                        }
                    }
                }
            }
        }
    });
    let (b50, b99) = (bare.quantile_us(0.5), bare.quantile_us(0.99));
    for (case, samples) in [
        ("gateway `complete` vs raw POST", &mut through_gateway),
        ("node `Llm::complete_with` vs raw POST", &mut through_llm),
    ] {
        let (o50, o99) = (samples.quantile_us(0.5), samples.quantile_us(0.99));
        let overhead = o50 - b50;
        table.push(Row {
            case: case.to_owned(),
            ours: format!("p50 {} / p99 {}", us(o50), us(o99)),
            bare: format!("p50 {} / p99 {}", us(b50), us(b99)),
            ratio: format!("{:.2}× / {:.2}×", o50 / b50, o99 / b99),
            note: format!(
                "overhead p50 {overhead:+.0} µs, p99 {:+.0} µs (goal, at p50: ≤ 200 µs, {}); {calls} calls × {} rounds",
                o99 - b99,
                if overhead <= 200.0 { "met" } else { "missed" },
                rounds()
            ),
        });
    }
}
