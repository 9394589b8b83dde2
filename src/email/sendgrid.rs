//! SendGrid v3 Mail Send: `POST {base}/v3/mail/send` with `Authorization: Bearer KEY` and a
//! JSON body (`personalizations`, `from`, `subject`, `content` with text/plain); `202 Accepted`
//! with the message id in `X-Message-Id`. Errors are `{"errors": [{"message", "field"}]}`.

use empire_schema::Secret;
use empire_schema::models::EmailMessage;
use serde_json::{Value, json};

use super::{Refusal, classify, display_name, transport};
use crate::config::EmailConfig;

pub struct Sendgrid {
    client: reqwest::Client,
    url: String,
    key: Secret,
    from: Value,
}

impl Sendgrid {
    pub fn new(client: reqwest::Client, config: &EmailConfig) -> Sendgrid {
        let name = display_name(&config.from_name);
        let mut from = json!({ "email": config.from_address });
        if !name.is_empty() {
            from["name"] = Value::String(name);
        }
        Sendgrid {
            client,
            url: format!(
                "{}/v3/mail/send",
                config.sendgrid_base_url.trim_end_matches('/')
            ),
            key: config.sendgrid_api_key.clone(),
            from,
        }
    }

    /// The request body for one message.
    pub fn body(&self, message: &EmailMessage) -> Value {
        let mut body = json!({
            "personalizations": [{ "to": [{ "email": message.to_address }] }],
            "from": self.from,
            "subject": message.subject,
            "content": [{ "type": "text/plain", "value": message.text_body }],
            "custom_args": { "empire_message_id": message.id },
        });
        if let Some(url) = &message.unsubscribe_url {
            body["headers"] = json!({
                "List-Unsubscribe": format!("<{url}>"),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            });
        }
        body
    }

    pub async fn send(&self, message: &EmailMessage) -> Result<Option<String>, Refusal> {
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(self.key.expose())
            .json(&self.body(message))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response
                .headers()
                .get("x-message-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned));
        }
        let retry_after = response.headers().get("retry-after").cloned();
        let body = response.text().await.unwrap_or_default();
        let reason = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|errors| {
                let messages: Vec<String> = errors["errors"]
                    .as_array()?
                    .iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .collect();
                (!messages.is_empty()).then(|| messages.join("; "))
            })
            .unwrap_or(body);
        Err(classify(status, retry_after.as_ref(), &reason))
    }
}
