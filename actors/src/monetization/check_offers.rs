//! `check_offers`: the link-health check. Every offer a link leads to, and every broken one, is
//! fetched through the guarded fetcher (public addresses only, redirects checked hop by hop). An
//! offer whose page fails (an HTTP error, a timeout, a refused address) is marked `broken`, and
//! each of its links moves to the best active offer of the same niche that its page does not link
//! yet: the code stays, so published pages need no rebuild, and the target becomes the new
//! offer's tracking link. The best offer is the same network's first, then the one with the most
//! clicks in the last 30 days. An offer that answers again is marked `active`; links that moved
//! stay moved. Offers of the checked niches that earn clearly less per click than the niche's
//! best get that offer recommended as their replacement ([`epc`]).

pub mod epc;

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;
use empire_schema::StoreError;
use empire_schema::clock::now;
use empire_schema::models::{Click, Link, Offer};
use empire_schema::types::OfferStatus;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;

use crate::kinds::{FieldError, KindError};
use crate::monetization::monetise_site::tracking_url;
use crate::services::Services;

/// Offers checked at once.
const CONCURRENT_CHECKS: usize = 8;
const DEFAULT_LIMIT: i64 = 200;
const MAX_LIMIT: i64 = 1_000;
/// How far back clicks count when ranking fallbacks.
const CLICK_WINDOW_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Only this niche's offers; all niches when absent.
    #[serde(default)]
    pub niche: Option<String>,
    /// Offers checked in this run, least recently checked first.
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub checked: usize,
    /// Offers found failing in this run.
    pub broken: Vec<Broken>,
    /// Offers that answer again (marked active).
    pub recovered: Vec<String>,
    /// Offers earning clearly less per click than their niche's best, with that one to link
    /// instead.
    #[serde(default)]
    pub low_epc: Vec<epc::Recommendation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Broken {
    pub offer_id: String,
    pub name: String,
    pub reason: String,
    /// Links moved to a fallback offer, by code, with the offer each went to.
    pub moved: Vec<Moved>,
    /// Codes left on the broken offer: no active offer of the niche could take them.
    pub stranded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub code: String,
    pub offer_id: String,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input
        .niche
        .as_deref()
        .is_some_and(|niche| niche.trim().is_empty())
    {
        errors.push(FieldError::new("niche", "must not be empty when given"));
    }
    if input
        .limit
        .is_some_and(|limit| !(1..=MAX_LIMIT).contains(&limit))
    {
        errors.push(FieldError::new(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        ));
    }
    errors
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = check(&services, &input).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

fn store(what: &str) -> impl FnOnce(StoreError) -> KindError + '_ {
    move |error| KindError::Failed(format!("{what}: {error}"))
}

async fn check(services: &Services, input: &Input) -> Result<Output, KindError> {
    let db = &services.db;
    let limit = input.limit.unwrap_or(DEFAULT_LIMIT);
    let offers = Offer::to_check(db, input.niche.as_deref(), limit)
        .await
        .map_err(store("reading offers"))?;
    let web = &services.web;
    let results: Vec<(Offer, Result<(), String>)> = futures::stream::iter(offers)
        .map(|offer| async move {
            let answer = match Url::parse(&offer.url) {
                Ok(url) => web.check(&url).await.map_err(|error| error.to_string()),
                Err(_) => Err(format!("`{}` is not a URL", offer.url)),
            };
            (offer, answer)
        })
        .buffer_unordered(CONCURRENT_CHECKS)
        .collect()
        .await;
    let niches: BTreeSet<String> = match &input.niche {
        Some(niche) => BTreeSet::from([niche.clone()]),
        None => results
            .iter()
            .map(|(offer, _)| offer.niche.clone())
            .collect(),
    };
    let mut output = Output {
        checked: results.len(),
        broken: Vec::new(),
        recovered: Vec::new(),
        low_epc: Vec::new(),
    };
    for (offer, answer) in results {
        let status = if answer.is_ok() {
            OfferStatus::Active
        } else {
            OfferStatus::Broken
        };
        Offer::set_status(db, &offer.id, status)
            .await
            .map_err(store("marking an offer"))?;
        match answer {
            Ok(()) if offer.status == OfferStatus::Broken => output.recovered.push(offer.id),
            Ok(()) => {}
            Err(reason) => output.broken.push(relink(services, &offer, reason).await?),
        }
    }
    output.low_epc = epc::recommend(services, &niches).await?;
    Ok(output)
}

/// Moves every link of the broken `offer` to the best fallback its page does not link yet.
async fn relink(services: &Services, offer: &Offer, reason: String) -> Result<Broken, KindError> {
    let db = &services.db;
    let candidates = fallbacks(services, offer).await?;
    let ids = &services.sites.settings.affiliate;
    let mut broken = Broken {
        offer_id: offer.id.clone(),
        name: offer.name.clone(),
        reason,
        moved: Vec::new(),
        stranded: Vec::new(),
    };
    for link in Link::for_offer(db, &offer.id)
        .await
        .map_err(store("reading links"))?
    {
        let linked = Link::offers_of_page(db, &link.page_id)
            .await
            .map_err(store("reading a page's links"))?;
        let mut moved = None;
        for candidate in candidates.iter().filter(|c| !linked.contains(&c.id)) {
            let Ok(target) = tracking_url(candidate, ids, &link.code) else {
                continue;
            };
            if Link::repoint(db, &link.code, &candidate.id, &target)
                .await
                .map_err(store("moving a link"))?
            {
                moved = Some(candidate.id.clone());
                break;
            }
        }
        match moved {
            Some(offer_id) => broken.moved.push(Moved {
                code: link.code,
                offer_id,
            }),
            None => broken.stranded.push(link.code),
        }
    }
    Ok(broken)
}

/// The niche's other active offers, best first: the same network, then the most clicks in the
/// last `CLICK_WINDOW_DAYS` days, then the oldest.
async fn fallbacks(services: &Services, offer: &Offer) -> Result<Vec<Offer>, KindError> {
    let db = &services.db;
    let mut candidates: Vec<Offer> = Offer::active_for_niche(db, &offer.niche)
        .await
        .map_err(store("reading the niche's offers"))?
        .into_iter()
        .filter(|candidate| candidate.id != offer.id)
        .collect();
    let ids: Vec<String> = candidates.iter().map(|c| c.id.clone()).collect();
    let since = now() - Duration::days(CLICK_WINDOW_DAYS);
    let clicks: HashMap<String, i64> = Click::counts_by_offer_since(db, &ids, since)
        .await
        .map_err(store("counting clicks"))?
        .into_iter()
        .collect();
    candidates.sort_by_key(|candidate| {
        (
            candidate.network != offer.network,
            -clicks.get(&candidate.id).copied().unwrap_or(0),
        )
    });
    Ok(candidates)
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "monetization/check_offers input",
        "type": "object",
        "additionalProperties": false,
        "required": [],
        "properties": {
            "niche": {"type": "string", "minLength": 1, "description": "Only this niche's offers; all niches when absent"},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT, "description": "Offers checked, least recently checked first"}
        }
    })
}

pub fn example_input() -> Value {
    json!({ "niche": "coffee", "limit": 100 })
}

#[cfg(test)]
mod tests;
