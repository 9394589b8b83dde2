//! Walks every registered route with no credential, an API key lacking the route's
//! permission, a key holding it, and the admin: 401 / 403 / allowed exactly as declared.

use empire::auth::Permission;
use empire::middleware::access::Access;
use empire::routes::ROUTES;
use reqwest::Method;

use crate::helpers::{TestApp, TestBackend, spawn_app_with};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Caller {
    Nobody,
    KeyWithout,
    KeyWith,
    Admin,
}

fn expected(access: Access, caller: Caller) -> Option<u16> {
    match (access, caller) {
        (Access::Probe | Access::Public | Access::Hook, _) | (_, Caller::Admin) => None,
        (_, Caller::Nobody) => Some(401),
        // A key, even one holding the permission, is not a login token.
        (Access::Session | Access::SessionWith(_), _) => Some(403),
        (Access::Authenticated, _) => None,
        (Access::Permission(_) | Access::Socket(_), Caller::KeyWithout) => Some(403),
        (Access::Permission(_) | Access::Socket(_), Caller::KeyWith) => None,
    }
}

async fn call(app: &TestApp, method: &Method, path: &str, credential: Option<&str>) -> u16 {
    let path = path.replace("{id}", "01000000-0000-7000-8000-000000000000");
    let mut request = app.client.request(method.clone(), app.url(&path));
    if let Some(credential) = credential {
        request = request.bearer_auth(credential);
    }
    if [Method::POST, Method::PATCH, Method::PUT].contains(method) {
        request = request.json(&serde_json::json!({}));
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_enforces_its_declared_access() {
    // Every route is called without credentials: the per-address limit for anonymous calls
    // (60 by default) is not what this test is about.
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.rate_limit.anonymous = empire::ratelimit::LimitConfig::new(10_000, 600_000.0);
    })
    .await;
    let admin = app.admin_token().await;
    let everything: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
    // Logout revokes the caller's token, so it runs last.
    let mut routes: Vec<_> = ROUTES.iter().collect();
    routes.sort_by_key(|route| route.path.ends_with("/logout"));

    for route in routes {
        let needed = match route.access {
            Access::Permission(permission)
            | Access::Socket(permission)
            | Access::SessionWith(permission) => permission,
            _ => Permission::AgentsRead,
        };
        let other = if needed == Permission::AgentsRead {
            "websites.read"
        } else {
            "agents.read"
        };
        let with_scope = app.api_key(&admin, &[needed.as_str()]).await.0;
        let without_scope = app.api_key(&admin, &[other]).await.0;
        assert!(everything.contains(&needed.as_str()));

        for caller in [
            Caller::Nobody,
            Caller::KeyWithout,
            Caller::KeyWith,
            Caller::Admin,
        ] {
            let credential = match caller {
                Caller::Nobody => None,
                Caller::KeyWithout => Some(without_scope.as_str()),
                Caller::KeyWith => Some(with_scope.as_str()),
                Caller::Admin => Some(admin.as_str()),
            };
            let method = Method::from_bytes(route.method.as_str().as_bytes()).unwrap();
            let status = call(&app, &method, route.path, credential).await;
            match expected(route.access, caller) {
                Some(code) => assert_eq!(
                    status, code,
                    "{} {} as {caller:?}",
                    route.method, route.path
                ),
                None => assert!(
                    ![401, 403, 405].contains(&status),
                    "{} {} as {caller:?} got {status}",
                    route.method,
                    route.path
                ),
            }
        }
    }
}
