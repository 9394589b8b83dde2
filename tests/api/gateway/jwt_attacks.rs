//! Every forged, tampered, expired or malformed token is refused with 401 (RFC 8725 checks).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{JWT_SECRET, TestBackend, spawn_app};

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn signed(header: Header, claims: &Value, secret: &str) -> String {
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_malformed_tokens_are_refused() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let good = app.admin_token().await;
    let payload: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(good.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    let with = |changes: Value| {
        let mut claims = payload.clone();
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                claims.as_object_mut().unwrap().remove(key);
            } else {
                claims[key] = value.clone();
            }
        }
        claims
    };
    let hs256 = || Header::new(Algorithm::HS256);
    let (head, body, signature) = {
        let mut parts = good.split('.');
        (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        )
    };
    let mut kid_header = hs256();
    kid_header.kid = Some("../../etc/passwd' OR 1=1--".into());

    let attacks: Vec<(&str, String)> = vec![
        (
            "alg none, no signature",
            format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), body),
        ),
        (
            "alg none, signature kept",
            format!(
                "{}.{}.{}",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                body,
                signature
            ),
        ),
        (
            "HS512 with the right secret",
            signed(Header::new(Algorithm::HS512), &payload, JWT_SECRET),
        ),
        (
            "RS256 header",
            format!(
                "{}.{}.{}",
                b64(&json!({"alg": "RS256", "typ": "JWT"})),
                body,
                signature
            ),
        ),
        (
            "tampered payload",
            format!(
                "{head}.{}.{signature}",
                b64(&with(json!({"permissions": ["admin.full", "x"]})))
            ),
        ),
        (
            "tampered signature",
            format!(
                "{head}.{body}.{}",
                signature.chars().rev().collect::<String>()
            ),
        ),
        (
            "another secret",
            signed(
                hs256(),
                &payload,
                "another-secret-that-is-also-32-bytes-long",
            ),
        ),
        (
            "exp missing",
            signed(hs256(), &with(json!({"exp": null})), JWT_SECRET),
        ),
        (
            "exp as a string",
            signed(hs256(), &with(json!({"exp": "never"})), JWT_SECRET),
        ),
        (
            "expired beyond leeway",
            signed(hs256(), &with(json!({"exp": now - 61})), JWT_SECRET),
        ),
        (
            "nbf in the future",
            signed(hs256(), &with(json!({"nbf": now + 3600})), JWT_SECRET),
        ),
        (
            "iss missing",
            signed(hs256(), &with(json!({"iss": null})), JWT_SECRET),
        ),
        (
            "iss wrong",
            signed(hs256(), &with(json!({"iss": "someone-else"})), JWT_SECRET),
        ),
        (
            "aud missing",
            signed(hs256(), &with(json!({"aud": null})), JWT_SECRET),
        ),
        (
            "aud wrong",
            signed(hs256(), &with(json!({"aud": "another-api"})), JWT_SECRET),
        ),
        (
            "sub of no user",
            signed(hs256(), &with(json!({"sub": "no-such-user"})), JWT_SECRET),
        ),
        (
            "kid injection",
            signed(kid_header, &with(json!({"iss": "x"})), JWT_SECRET),
        ),
        ("garbage", "not.a.jwt".into()),
        ("empty bearer", String::new()),
    ];

    assert_eq!(
        app.with(Method::GET, "/api/v1/auth/me", &good)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for (name, token) in attacks {
        let response = app
            .client
            .get(app.url("/api/v1/auth/me"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().contains_key("www-authenticate"),
            "{name}"
        );
        let body = problem(response, 401).await;
        assert!(!body.to_string().contains(JWT_SECRET), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_within_the_leeway_is_accepted_and_other_schemes_are_not() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let good = app.admin_token().await;
    let payload: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(good.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let mut claims = payload.clone();
    claims["exp"] = json!(chrono::Utc::now().timestamp() - 2);
    let slightly_expired = signed(Header::new(Algorithm::HS256), &claims, JWT_SECRET);

    let within = app
        .with(Method::GET, "/api/v1/auth/me", &slightly_expired)
        .send()
        .await
        .unwrap();
    let basic = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("authorization", format!("Basic {good}"))
        .send()
        .await
        .unwrap();

    assert_eq!(
        within.status(),
        200,
        "2 s past exp is inside the 5 s leeway"
    );
    problem(basic, 401).await;
}
