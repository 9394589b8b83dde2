//! Logging in, making users and API keys, and sending authenticated requests.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::client::Call;
use super::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};

impl TestApp {
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token_for(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// A request with `Authorization: Bearer <credential>`.
    pub fn with(&self, method: Method, path: &str, credential: &str) -> Call {
        self.client
            .request(method, self.url(path))
            .bearer_auth(credential)
    }

    /// Creates a user with these permissions and returns a login token for it.
    pub async fn user_with(&self, email: &str, permissions: &[&str]) -> String {
        let admin = self.admin_token().await;
        let password = "user password 123";
        let response = self
            .with(Method::POST, "/api/v1/users", &admin)
            .json(&json!({ "email": email, "password": password, "permissions": permissions }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        self.token_for(email, password).await
    }

    /// Creates an API key with `scopes` for the holder of `token`; returns (key, id).
    pub async fn api_key(&self, token: &str, scopes: &[&str]) -> (String, String) {
        let response = self
            .with(Method::POST, "/api/v1/auth/api-keys", token)
            .json(&json!({ "name": "test key", "scopes": scopes }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let body: Value = response.json().await.unwrap();
        (
            body["key"].as_str().unwrap().to_owned(),
            body["id"].as_str().unwrap().to_owned(),
        )
    }
}

/// Asserts a problem+json response with this status and returns its body.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "{:?}", response.headers());
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:empire:problem:"),
        "{body}"
    );
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}
