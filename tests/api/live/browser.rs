//! The dashboard page in real headless Chromium, driven over WebDriver (chromedriver): log in,
//! submit a task through the API, and see it appear as succeeded on the page. A screenshot is
//! kept in the test's temp target directory. Skipped when Chromium is not installed, unless
//! `EMPIRE_TEST_BROWSER=required` (set by `.ci/run`, which installs it).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestBackend, spawn_app};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
        };
        let started = Instant::now();
        while driver
            .client
            .get(format!("{}/status", driver.base))
            .send()
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        driver
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status.is_success(), "{path}: {body}");
        body["value"].clone()
    }
}

struct Browser<'a> {
    driver: &'a Driver,
    session: String,
}

impl Browser<'_> {
    async fn open<'d>(driver: &'d Driver, profile: &Path) -> Browser<'d> {
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}});
        let created = driver
            .call(reqwest::Method::POST, "/session", capabilities)
            .await;
        Browser {
            driver,
            session: created["sessionId"].as_str().unwrap().to_owned(),
        }
    }

    async fn go(&self, url: &str) {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/url", self.session),
                json!({"url": url}),
            )
            .await;
    }

    async fn element(&self, css: &str) -> String {
        let found = self
            .driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element", self.session),
                json!({"using": "css selector", "value": css}),
            )
            .await;
        found
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css).await;
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element/{element}/value", self.session),
                json!({"text": text}),
            )
            .await;
    }

    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element/{element}/click", self.session),
                json!({}),
            )
            .await;
    }

    async fn script(&self, script: &str, args: Value) -> Value {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/execute/sync", self.session),
                json!({"script": script, "args": args}),
            )
            .await
    }

    async fn screenshot(&self, path: &Path) {
        let png = self
            .driver
            .call(
                reqwest::Method::GET,
                &format!("/session/{}/screenshot", self.session),
                Value::Null,
            )
            .await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    async fn close(self) {
        let _ = self
            .driver
            .client
            .delete(format!("{}/session/{}", self.driver.base, self.session))
            .send()
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_a_task_submitted_through_the_api_as_succeeded() {
    let installed = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !installed {
        assert_ne!(
            std::env::var("EMPIRE_TEST_BROWSER").as_deref(),
            Ok("required"),
            "Chromium is required but not installed"
        );
        eprintln!(
            "skipped: {CHROMIUM} and {CHROMEDRIVER} are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    }
    let app = spawn_app(TestBackend::Sqlite).await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::open(&driver, profile.path()).await;

    browser.go(&app.url("/")).await;
    browser.type_into("#email", ADMIN_EMAIL).await;
    browser.type_into("#password", ADMIN_PASSWORD).await;
    browser.click("#login-button").await;
    let started = Instant::now();
    while browser
        .script(
            "return document.querySelector('#connection')?.dataset.state",
            json!([]),
        )
        .await
        != "open"
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the page did not connect"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let token = app.admin_token().await;
    let body = json!({"kind": "outline", "input": {"keyword": "espresso", "article_type": "review", "language": "en"}});
    let task: Value = app
        .submit(&token, "content_generator", &body)
        .await
        .json()
        .await
        .unwrap();
    let id = task["id"].as_str().unwrap();
    let find = "const row = document.querySelector(`tr[data-task-id=\"${arguments[0]}\"]`); return row ? row.dataset.status : null;";
    let started = Instant::now();
    let mut status = Value::Null;
    while status != "succeeded" {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the row for {id} shows {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = browser.script(find, json!([id])).await;
    }

    let agents = browser
        .script(
            "return document.querySelectorAll('#agents [data-agent]').length",
            json!([]),
        )
        .await;
    assert_eq!(agents, 5);
    // Revenue against LLM cost: the portfolio's numbers, in EUR.
    let started = Instant::now();
    while browser
        .script(
            "return document.querySelector('#money')?.dataset.loaded ?? null",
            json!([]),
        )
        .await
        != "true"
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the money panel did not load"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let totals = browser
        .script(
            "return document.querySelector('#money-totals').textContent",
            json!([]),
        )
        .await;
    assert!(
        totals
            .as_str()
            .is_some_and(|t| t.starts_with("Revenue ") && t.contains("LLM cost")),
        "{totals}"
    );
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
    browser.screenshot(&shot).await;
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot at {}",
        shot.display()
    );
    eprintln!("screenshot: {}", shot.display());
    browser.close().await;
}
