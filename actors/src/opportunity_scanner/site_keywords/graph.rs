//! The site in the knowledge graph: a `website` node that `targets` the imported keywords it
//! was given (and its niche, when a scan put the niche there). Expansions have no stored row,
//! hence no stable node id, and are left out.

use std::collections::HashSet;

use empire_schema::models::{Keyword, Website};
use serde_json::json;

use super::SiteKeyword;
use crate::intelligence::data::DataError;
use crate::intelligence::graph::{EdgeKind, GraphEdge, GraphNode, MAX_WEIGHT, NodeKind};
use crate::services::Services;

pub(super) async fn record(
    services: &Services,
    site: &Website,
    imported: &[Keyword],
    chosen: &[SiteKeyword],
) -> Result<(), DataError> {
    let chosen: HashSet<String> = chosen.iter().map(|k| k.keyword.to_lowercase()).collect();
    let mut nodes = vec![GraphNode {
        id: site.id.clone(),
        kind: NodeKind::Website,
        label: site.name.clone(),
        props: json!({ "slug": site.slug, "niche": site.niche, "language": site.language }),
    }];
    let mut edges = Vec::new();
    let mut linked = HashSet::new();
    for keyword in imported {
        let normalised = keyword
            .keyword
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if !chosen.contains(&normalised) || !linked.insert(keyword.id.clone()) {
            continue;
        }
        nodes.push(GraphNode {
            id: keyword.id.clone(),
            kind: NodeKind::Keyword,
            label: keyword.keyword.clone(),
            props: json!({ "volume": keyword.volume, "difficulty": keyword.difficulty, "language": keyword.language }),
        });
        edges.push(GraphEdge {
            from: site.id.clone(),
            to: keyword.id.clone(),
            kind: EdgeKind::Targets,
            weight: (keyword.volume.max(1) as f64).min(MAX_WEIGHT),
        });
    }
    let niche = services.graph.read(|graph| {
        graph
            .nodes()
            .find(|n| n.kind == NodeKind::Niche && n.label.eq_ignore_ascii_case(&site.niche))
            .map(|n| n.id.clone())
    });
    if let Some(niche) = niche {
        edges.push(GraphEdge {
            from: site.id.clone(),
            to: niche,
            kind: EdgeKind::Targets,
            weight: 1.0,
        });
    }
    services.graph.save(nodes, edges).await
}
