//! What `market_scan` reads (keywords by niche, matching products, related niches from the graph)
//! and writes back to the graph: each niche with `targets` edges to its keywords and `monetises`
//! edges from its products.

use std::collections::BTreeMap;

use empire_schema::clock::new_id;
use empire_schema::models::{Keyword, Product};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::score::{Factors, competition, normalise, raw_score};
use super::{Input, Weights};
use crate::intelligence::data::DataError;
use crate::intelligence::graph::{EdgeKind, GraphEdge, GraphNode, MAX_WEIGHT, NodeKind};
use crate::services::Services;

/// Keywords read when every niche is scanned.
const MAX_KEYWORDS: i64 = 50_000;
/// Keywords of one niche linked in the graph and shown as evidence, biggest first.
const KEYWORDS_LINKED: usize = 50;
const EVIDENCE_ITEMS: usize = 5;
/// The shortest niche word used to find products when the whole niche matches none.
const MIN_WORD_CHARS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub formula: String,
    pub weights: Weights,
    /// Best first.
    pub opportunities: Vec<Opportunity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub rank: u32,
    pub niche: String,
    /// The niche's node in the knowledge graph.
    pub node_id: String,
    /// 0–100, relative to the best niche of this scan.
    pub score: f64,
    pub raw_score: f64,
    pub factors: Factors,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub keywords: usize,
    pub top_keywords: Vec<serde_json::Value>,
    pub products: usize,
    pub top_products: Vec<serde_json::Value>,
    /// Niches sharing keywords, products or programmes with this one, by weighted overlap.
    pub related_niches: Vec<serde_json::Value>,
}

pub(super) async fn scan(services: &Services, input: &Input) -> Result<Output, DataError> {
    let niches = keywords_by_niche(services, input).await?;
    let mut scored = Vec::with_capacity(niches.len());
    for (niche, keywords) in niches {
        let products = products_of(services, &niche, input.products_per_niche).await?;
        let factors = factors(input, &keywords, &products);
        let node_id = write_graph(services, &niche, &factors, &keywords, &products).await?;
        scored.push((niche, node_id, factors, keywords, products));
    }
    let raws: Vec<f64> = scored
        .iter()
        .map(|(_, _, factors, _, _)| raw_score(factors, &input.weights))
        .collect();
    let best = raws.iter().copied().fold(0.0, f64::max);
    let mut opportunities: Vec<Opportunity> = scored
        .into_iter()
        .zip(raws)
        .map(
            |((niche, node_id, factors, keywords, products), raw)| Opportunity {
                rank: 0,
                score: normalise(raw, best),
                raw_score: raw,
                evidence: evidence(services, &node_id, &keywords, &products),
                niche,
                node_id,
                factors,
            },
        )
        .collect();
    opportunities.sort_by(|a, b| {
        b.raw_score
            .total_cmp(&a.raw_score)
            .then_with(|| a.niche.cmp(&b.niche))
    });
    opportunities.truncate(input.limit);
    for (at, opportunity) in opportunities.iter_mut().enumerate() {
        opportunity.rank = at as u32 + 1;
    }
    Ok(Output {
        formula: "demand^w_demand × commission^w_commission × epc^w_epc ÷ competition^w_competition, scaled so the best niche is 100".into(),
        weights: input.weights,
        opportunities,
    })
}

async fn keywords_by_niche(
    services: &Services,
    input: &Input,
) -> Result<BTreeMap<String, Vec<Keyword>>, DataError> {
    let mut rows = Vec::new();
    match &input.niches {
        Some(niches) => {
            for niche in niches {
                rows.extend(
                    Keyword::with_niche(&services.db, Some(niche.trim()), MAX_KEYWORDS).await?,
                );
            }
        }
        None => rows = Keyword::with_niche(&services.db, None, MAX_KEYWORDS).await?,
    }
    let mut by_niche: BTreeMap<String, Vec<Keyword>> = BTreeMap::new();
    for row in rows {
        if input
            .language
            .is_some_and(|language| language != row.language)
        {
            continue;
        }
        if let Some(niche) = row.niche.clone() {
            by_niche.entry(niche).or_default().push(row);
        }
    }
    Ok(by_niche)
}

/// Products named or categorised like the niche; failing that, like its longest word.
pub(crate) async fn products_of(
    services: &Services,
    niche: &str,
    limit: usize,
) -> Result<Vec<Product>, DataError> {
    let limit = limit as i64;
    let found = Product::matching(&services.db, niche, limit).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    let word = niche
        .split_whitespace()
        .filter(|word| word.chars().count() >= MIN_WORD_CHARS)
        .max_by_key(|word| word.chars().count());
    match word {
        Some(word) if word != niche => Ok(Product::matching(&services.db, word, limit).await?),
        _ => Ok(found),
    }
}

fn factors(input: &Input, keywords: &[Keyword], products: &[Product]) -> Factors {
    let demand = keywords.iter().map(|k| k.volume.max(0) as f64).sum();
    let terms = |merchant: &str| {
        input
            .programmes
            .iter()
            .find(|p| p.merchant_id == merchant)
            .map_or(
                (input.default_commission_rate, input.default_epc_cents),
                |p| (p.commission_rate, p.epc_cents),
            )
    };
    let (mut commission, mut epc) = (0.0, 0.0);
    for product in products {
        let (rate, epc_cents) = terms(&product.merchant_id);
        commission += product.price_cents.max(0) as f64 / 100.0 * rate;
        epc += epc_cents as f64 / 100.0;
    }
    let n = products.len().max(1) as f64;
    Factors {
        demand,
        commission_eur: commission / n,
        epc_eur: epc / n,
        competition: competition(keywords.iter().map(|k| k.difficulty)),
    }
}

/// Upserts the niche (reusing its node when one has the same label), its biggest keywords and
/// its products, with their edges; returns the niche's node id.
async fn write_graph(
    services: &Services,
    niche: &str,
    factors: &Factors,
    keywords: &[Keyword],
    products: &[Product],
) -> Result<String, DataError> {
    let existing = services.graph.read(|graph| {
        graph
            .nodes()
            .find(|node| node.kind == NodeKind::Niche && node.label.eq_ignore_ascii_case(niche))
            .map(|node| node.id.clone())
    });
    let niche_id = existing.unwrap_or_else(new_id);
    let mut nodes = vec![GraphNode {
        id: niche_id.clone(),
        kind: NodeKind::Niche,
        label: niche.to_owned(),
        props: json!({ "factors": factors, "scanned_at": empire_schema::clock::now().and_utc().to_rfc3339() }),
    }];
    let mut edges = Vec::new();
    for keyword in keywords.iter().take(KEYWORDS_LINKED) {
        nodes.push(GraphNode {
            id: keyword.id.clone(),
            kind: NodeKind::Keyword,
            label: keyword.keyword.clone(),
            props: json!({ "volume": keyword.volume, "difficulty": keyword.difficulty, "language": keyword.language }),
        });
        edges.push(GraphEdge {
            from: niche_id.clone(),
            to: keyword.id.clone(),
            kind: EdgeKind::Targets,
            weight: (keyword.volume.max(1) as f64).min(MAX_WEIGHT),
        });
    }
    for product in products {
        nodes.push(GraphNode {
            id: product.id.clone(),
            kind: NodeKind::Product,
            label: product.name.clone(),
            props: json!({ "price_cents": product.price_cents, "currency": product.currency, "merchant_id": product.merchant_id }),
        });
        edges.push(GraphEdge {
            from: product.id.clone(),
            to: niche_id.clone(),
            kind: EdgeKind::Monetises,
            weight: 1.0,
        });
    }
    services.graph.save(nodes, edges).await?;
    Ok(niche_id)
}

fn evidence(
    services: &Services,
    node_id: &str,
    keywords: &[Keyword],
    products: &[Product],
) -> Evidence {
    let related_niches = services.graph.read(|graph| {
        graph
            .related_niches(node_id, EVIDENCE_ITEMS)
            .map(|found| {
                found
                    .into_iter()
                    .map(|(node, overlap)| json!({ "niche": node.label, "node_id": node.id, "overlap": overlap }))
                    .collect()
            })
            .unwrap_or_default()
    });
    Evidence {
        keywords: keywords.len(),
        top_keywords: keywords
            .iter()
            .take(EVIDENCE_ITEMS)
            .map(|k| json!({ "keyword": k.keyword, "volume": k.volume, "difficulty": k.difficulty, "cpc_cents": k.cpc_cents, "currency": k.currency }))
            .collect(),
        products: products.len(),
        top_products: products
            .iter()
            .take(EVIDENCE_ITEMS)
            .map(|p| json!({ "name": p.name, "price_cents": p.price_cents, "currency": p.currency, "merchant_id": p.merchant_id, "deep_link": p.deep_link }))
            .collect(),
        related_niches,
    }
}
