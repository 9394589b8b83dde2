//! Mailgun Messages API: `POST {base}/v3/{domain}/messages`, HTTP Basic `api:KEY`, a form
//! (`from`, `to`, `subject`, `text`, `h:` headers, `v:` variables); `200 {"id", "message"}`.
//! Errors are `{"message": "..."}`.

use empire_schema::Secret;
use empire_schema::models::EmailMessage;
use serde_json::Value;

use super::{Refusal, classify, display_name, transport};
use crate::config::EmailConfig;

pub struct Mailgun {
    client: reqwest::Client,
    url: String,
    key: Secret,
    from: String,
}

impl Mailgun {
    pub fn new(client: reqwest::Client, config: &EmailConfig) -> Mailgun {
        let name = display_name(&config.from_name);
        let from = if name.is_empty() {
            config.from_address.clone()
        } else {
            format!("{name} <{}>", config.from_address)
        };
        Mailgun {
            client,
            url: format!(
                "{}/v3/{}/messages",
                config.mailgun_base_url.trim_end_matches('/'),
                config.mailgun_domain.trim()
            ),
            key: config.mailgun_api_key.clone(),
            from,
        }
    }

    /// The form fields for one message.
    pub fn form(&self, message: &EmailMessage) -> Vec<(String, String)> {
        let mut form = vec![
            ("from".to_owned(), self.from.clone()),
            ("to".to_owned(), message.to_address.clone()),
            ("subject".to_owned(), message.subject.clone()),
            ("text".to_owned(), message.text_body.clone()),
            ("v:empire_message_id".to_owned(), message.id.clone()),
        ];
        if let Some(url) = &message.unsubscribe_url {
            form.push(("h:List-Unsubscribe".to_owned(), format!("<{url}>")));
            form.push((
                "h:List-Unsubscribe-Post".to_owned(),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
        form
    }

    pub async fn send(&self, message: &EmailMessage) -> Result<Option<String>, Refusal> {
        let response = self
            .client
            .post(&self.url)
            .basic_auth("api", Some(self.key.expose()))
            .form(&self.form(message))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after").cloned();
        let body = response.text().await.unwrap_or_default();
        let parsed = serde_json::from_str::<Value>(&body).ok();
        if status.is_success() {
            return Ok(parsed.and_then(|answer| answer["id"].as_str().map(str::to_owned)));
        }
        let reason = parsed
            .and_then(|answer| answer["message"].as_str().map(str::to_owned))
            .unwrap_or(body);
        Err(classify(status, retry_after.as_ref(), &reason))
    }
}
