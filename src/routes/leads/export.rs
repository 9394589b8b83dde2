//! `GET /api/v1/leads/export?website_id=&stage=&email=`: every matching lead as CSV (RFC 4180,
//! a header row, newest first), streamed page by page so a large list never sits in memory.
//! Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) get a leading `'`.

use actix_web::{HttpResponse, web};
use empire_schema::models::{Lead, LeadFilter};
use empire_schema::{Db, PageRequest};

use super::list::LeadQuery;
use crate::error::ApiError;
use crate::state::AppState;

/// Leads read per page of the stream.
const CHUNK: i64 = 200;

const HEADER: &str = "id,email,persona,funnel_stage,website_id,consent_text,consented_at,\
confirmed_at,unsubscribed_at,created_at,quiz_answers\r\n";

#[utoipa::path(
    get,
    path = "/api/v1/leads/export",
    tag = "leads",
    params(LeadQuery),
    responses(
        (status = 200, description = "CSV with a header row, newest first (`limit` and `cursor` are ignored)", content_type = "text/csv"),
        (status = 422, description = "A bad stage", body = crate::error::Problem),
    )
)]
pub async fn export_leads(
    state: web::Data<AppState>,
    query: web::Query<LeadQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let db = state.db.clone();
    let start = (Some(PageRequest::first(CHUNK)), true);
    let chunks = futures::stream::unfold(start, move |(page, first)| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let page = page?;
            match chunk(&db, &filter, &page, first).await {
                Ok((text, next)) => Some((
                    Ok::<_, actix_web::Error>(web::Bytes::from(text)),
                    (
                        next.map(|cursor| PageRequest::new(CHUNK, Some(cursor))),
                        false,
                    ),
                )),
                Err(error) => {
                    tracing::warn!(%error, "lead export cut short");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export failed")),
                        (None, false),
                    ))
                }
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("content-disposition", "attachment; filename=\"leads.csv\""))
        .insert_header(("cache-control", "no-store"))
        .streaming(chunks))
}

/// One page as CSV lines (after the header on the first), and the next page's cursor.
async fn chunk(
    db: &Db,
    filter: &LeadFilter,
    page: &PageRequest,
    first: bool,
) -> empire_schema::StoreResult<(String, Option<String>)> {
    let leads = Lead::list(db, filter, page).await?;
    let mut text = if first {
        HEADER.to_owned()
    } else {
        String::new()
    };
    for lead in &leads.items {
        text.push_str(&row(lead));
    }
    Ok((text, leads.next_cursor))
}

fn row(lead: &Lead) -> String {
    let time = |at: Option<chrono::NaiveDateTime>| {
        at.map(|at| {
            at.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default()
    };
    let cells = [
        lead.id.clone(),
        lead.email.clone(),
        lead.persona.clone().unwrap_or_default(),
        lead.funnel_stage.as_str().to_owned(),
        lead.website_id.clone().unwrap_or_default(),
        lead.consent_text.clone(),
        time(lead.consented_at),
        time(lead.confirmed_at),
        time(lead.unsubscribed_at),
        time(Some(lead.created_at)),
        lead.quiz_answers.0.to_string(),
    ];
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// One CSV cell: formula-looking text defused, quoted when it holds a separator or quote.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("{\"a\":1}"), "\"{\"\"a\"\":1}\"");
    }
}
