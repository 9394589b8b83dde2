//! The harness's HTTP client: reqwest, with every response checked against `/openapi.json` before
//! the test sees it, so a test that meets an undocumented status, content type or body fails.

use http::header::{HeaderName, HeaderValue};
use reqwest::{IntoUrl, Method, Response};
use serde::Serialize;

use super::contract::{Observed, contract};

#[derive(Clone, Default)]
pub struct Client {
    inner: reqwest::Client,
}

/// A request being built; `send` checks the answer.
pub struct Call {
    method: Method,
    builder: reqwest::RequestBuilder,
}

impl Client {
    pub fn request(&self, method: Method, url: impl IntoUrl) -> Call {
        Call {
            method: method.clone(),
            builder: self.inner.request(method, url),
        }
    }

    pub fn get(&self, url: impl IntoUrl) -> Call {
        self.request(Method::GET, url)
    }

    pub fn post(&self, url: impl IntoUrl) -> Call {
        self.request(Method::POST, url)
    }
}

impl Call {
    pub fn header<K, V>(self, key: K, value: V) -> Call
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.map(|builder| builder.header(key, value))
    }

    pub fn bearer_auth(self, token: impl std::fmt::Display) -> Call {
        self.map(|builder| builder.bearer_auth(token))
    }

    pub fn json<T: Serialize + ?Sized>(self, json: &T) -> Call {
        self.map(|builder| builder.json(json))
    }

    pub fn body(self, body: impl Into<reqwest::Body>) -> Call {
        self.map(|builder| builder.body(body))
    }

    pub fn multipart(self, form: reqwest::multipart::Form) -> Call {
        self.map(|builder| builder.multipart(form))
    }

    pub fn query<T: Serialize + ?Sized>(self, query: &T) -> Call {
        self.map(|builder| builder.query(query))
    }

    fn map(self, change: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Call {
        Call {
            method: self.method,
            builder: change(self.builder),
        }
    }

    /// Sends, then panics if the response departs from the document (redirects followed: the
    /// final answer is checked against the final path).
    pub async fn send(self) -> reqwest::Result<Response> {
        let response = self.builder.send().await?;
        Ok(checked(&self.method, response).await)
    }
}

/// Reads the body to check it, and hands the test an identical response.
pub async fn checked(method: &Method, response: Response) -> Response {
    let status = response.status();
    let path = response.url().path().to_owned();
    if status == 101 {
        // An upgraded connection has no body to read; its status is still checked.
        assert_conforms(method, &path, status.as_u16(), None, b"");
        return response;
    }
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("reading the response body");
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    assert_conforms(method, &path, status.as_u16(), content_type, &body);
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Response::from(rebuilt)
}

fn assert_conforms(
    method: &Method,
    path: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) {
    let observed = Observed {
        method,
        path,
        status,
        content_type,
        body,
    };
    let violations = contract().violations(&observed);
    assert!(
        violations.is_empty(),
        "{method} {path} answered {status} ({content_type:?}) against /openapi.json:\n  {}\nbody: {}",
        violations.join("\n  "),
        String::from_utf8_lossy(&body[..body.len().min(2000)]),
    );
}
