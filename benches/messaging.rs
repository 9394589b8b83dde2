//! Local request/reply between two agents through the runtime, next to a bare ractor `call` to
//! a trivial actor in the same process (the baseline): criterion's medians, then p50/p99 over
//! interleaved rounds of calls to each, and their ratio.
#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first failure")]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{AgentRequest, Runtime, RuntimeConfig, Target};
use empire_actors::website_builder::sites::Sites;
use empire_schema::{DatabaseUrl, Db, DbOptions};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::runtime::Runtime as Tokio;

fn start(tokio: &Tokio, dir: &tempfile::TempDir) -> Runtime {
    tokio.block_on(async {
        let url = DatabaseUrl::Sqlite(dir.path().join("bench.db"));
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 2,
            connect_timeout: Duration::from_secs(3),
        })
        .await
        .unwrap();
        let config = RuntimeConfig {
            node: "bench".into(),
            scope: "bench".into(),
            agents: Default::default(),
            tasks: Default::default(),
            http_addr: String::new(),
            cluster: Default::default(),
            search_dir: None,
            llm: Default::default(),
            web: Default::default(),
            shared_cache: None,
            sites: Sites::new(
                Default::default(),
                std::env::temp_dir().join("empire-bench-sites"),
            ),
            networks: Default::default(),
        };
        let runtime = Runtime::start(config, db).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        runtime
    })
}

fn ping() -> AgentRequest {
    AgentRequest::Ping {
        from: "content_generator".into(),
    }
}

/// The baseline: an actor that answers a counter, called with ractor's `call`.
struct Echo;

#[derive(ractor_cluster::RactorMessage)]
enum EchoMessage {
    Ping(RpcReplyPort<u64>),
}

impl Actor for Echo {
    type Msg = EchoMessage;
    type State = u64;
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<EchoMessage>, _: ()) -> Result<u64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<EchoMessage>,
        EchoMessage::Ping(reply): EchoMessage,
        count: &mut u64,
    ) -> Result<(), ActorProcessingErr> {
        *count += 1;
        let _ = reply.send(*count);
        Ok(())
    }
}

async fn ask_runtime(runtime: &Runtime, target: &Target) {
    runtime
        .messenger()
        .ask(target, ping(), TIMEOUT)
        .await
        .unwrap();
}

async fn ask_bare(echo: &ActorRef<EchoMessage>) {
    echo.call(EchoMessage::Ping, Some(TIMEOUT)).await.unwrap();
}

const TIMEOUT: Duration = Duration::from_secs(1);
const ROUNDS: usize = 8;
const CALLS_PER_ROUND: usize = 2_500;

fn bench_round_trip(c: &mut Criterion) {
    let tokio = Tokio::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let runtime = start(&tokio, &dir);
    let (echo, _) = tokio.block_on(Actor::spawn(None, Echo, ())).unwrap();
    let target = Target::Agent(AgentId::SeoOptimizer);
    c.bench_function("messaging/ask_ping_round_trip", |b| {
        b.to_async(&tokio).iter(|| ask_runtime(&runtime, &target))
    });
    c.bench_function("messaging/bare_ractor_call", |b| {
        b.to_async(&tokio).iter(|| ask_bare(&echo))
    });

    // Percentiles criterion does not report, from rounds that alternate between the two.
    let (mut through_runtime, mut bare) = tokio.block_on(async {
        let mut through_runtime = Vec::with_capacity(ROUNDS * CALLS_PER_ROUND);
        let mut bare = Vec::with_capacity(ROUNDS * CALLS_PER_ROUND);
        for _ in 0..ROUNDS {
            for _ in 0..CALLS_PER_ROUND {
                let started = Instant::now();
                ask_runtime(&runtime, &target).await;
                through_runtime.push(started.elapsed());
            }
            for _ in 0..CALLS_PER_ROUND {
                let started = Instant::now();
                ask_bare(&echo).await;
                bare.push(started.elapsed());
            }
        }
        (through_runtime, bare)
    });
    let runtime_p = percentiles(&mut through_runtime);
    let bare_p = percentiles(&mut bare);
    for (name, (p50, p99, max)) in [("runtime ask", runtime_p), ("bare ractor call", bare_p)] {
        println!("messaging/{name}: p50 {p50:?}, p99 {p99:?}, max {max:?}");
    }
    println!(
        "messaging/ratio runtime ask / bare call: p50 {:.2}x, p99 {:.2}x",
        runtime_p.0.as_secs_f64() / bare_p.0.as_secs_f64(),
        runtime_p.1.as_secs_f64() / bare_p.1.as_secs_f64()
    );
    echo.stop(None);
    tokio.block_on(runtime.shutdown());
}

/// (p50, p99, max) of `samples`.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    (at(0.50), at(0.99), at(1.0))
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = bench_round_trip
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
