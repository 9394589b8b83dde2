//! Cost of authenticating one request: JWT verification alone, and the full authenticator
//! path for a JWT and for an API key when the credential cache is warm.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use criterion::{Criterion, criterion_group, criterion_main};
use empire::auth::jwt::JwtKeys;
use empire::auth::{Authenticator, Permission, api_key};
use empire_schema::cache::Cache;
use empire_schema::models::{NewUser, User};
use empire_schema::{DatabaseUrl, Db, DbOptions};
use tokio::runtime::Runtime;

fn bearer(credential: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {credential}")).unwrap(),
    );
    headers
}

fn bench_auth(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (authenticator, token, key) = runtime.block_on(async {
        let url = DatabaseUrl::Sqlite(dir.path().join("bench.db"));
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 2,
            connect_timeout: Duration::from_secs(3),
        })
        .await
        .unwrap();
        let user = User::create(
            &db,
            NewUser {
                email: "bench@example.com".into(),
                name: "bench".into(),
                password_hash: "unused".into(),
                permissions: vec!["admin.full".into()],
            },
        )
        .await
        .unwrap();
        let jwt = JwtKeys::new(
            &[7u8; 32],
            "empire",
            "empire-api",
            Duration::from_secs(3600),
            Duration::from_secs(5),
        );
        let (token, _) = jwt.issue(&user.id, vec!["admin.full".into()], 0).unwrap();
        let (key, _) = api_key::issue(
            &db,
            &user.id,
            "bench".into(),
            &[Permission::AgentsRead],
            None,
        )
        .await
        .unwrap();
        let cache = Cache::memory(1_000);
        let limiter = empire::ratelimit::RateLimiter::new(cache.clone(), &Default::default());
        let authenticator = Authenticator::new(
            Arc::new(jwt),
            empire::auth::seal::Seal::from_secret(&[7u8; 32]),
            db,
            Duration::from_secs(5),
            limiter,
        );
        (authenticator, token, key)
    });
    let (jwt_headers, key_headers) = (bearer(&token), bearer(&key));
    let client = empire::extract::ClientIp(None);

    let mut group = c.benchmark_group("auth");
    group.bench_function("jwt_verify", |b| {
        b.iter(|| authenticator.jwt().verify(&token).unwrap())
    });
    group.bench_function("authenticate_jwt_cached_user", |b| {
        b.to_async(&runtime).iter(|| async {
            authenticator
                .authenticate(&jwt_headers, &client)
                .await
                .unwrap()
                .unwrap()
        })
    });
    group.bench_function("authenticate_api_key_cached", |b| {
        b.to_async(&runtime).iter(|| async {
            authenticator
                .authenticate(&key_headers, &client)
                .await
                .unwrap()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = bench_auth
}
criterion_main!(benches);
