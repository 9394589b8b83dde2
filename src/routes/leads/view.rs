//! What an operator sees of a lead.

use chrono::{DateTime, Utc};
use empire_schema::FunnelStage;
use empire_schema::models::Lead;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadView {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    /// The quiz answers as the form sent them.
    pub quiz_answers: Value,
    /// Read from the answers by the `[leads] persona_rules`.
    pub persona: Option<String>,
    pub funnel_stage: FunnelStage,
    #[schema(format = Uuid)]
    pub website_id: Option<String>,
    /// The consent text the visitor agreed to, and when.
    pub consent_text: String,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub consented_at: Option<DateTime<Utc>>,
    /// When the double opt-in link was opened.
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub confirmed_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub unsubscribed_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
}

impl From<Lead> for LeadView {
    fn from(lead: Lead) -> Self {
        LeadView {
            id: lead.id,
            email: lead.email,
            quiz_answers: lead.quiz_answers.0,
            persona: lead.persona,
            funnel_stage: lead.funnel_stage,
            website_id: lead.website_id,
            consent_text: lead.consent_text,
            consented_at: lead.consented_at.map(|at| at.and_utc()),
            confirmed_at: lead.confirmed_at.map(|at| at.and_utc()),
            unsubscribed_at: lead.unsubscribed_at.map(|at| at.and_utc()),
            created_at: lead.created_at.and_utc(),
        }
    }
}
