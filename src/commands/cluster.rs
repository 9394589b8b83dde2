//! `empire cluster status`: asks a running node for `GET /api/v1/cluster` and prints the
//! nodes as a table. Credentials come from EMPIRE_API_KEY (an API key or a JWT with
//! agents.read), never from the command line.

use std::time::Duration;

use anyhow::{Context, bail};
use empire_actors::cluster::NodeView;
use serde::Deserialize;

use crate::cli::ClusterStatus;
use crate::config::Config;

#[derive(Deserialize)]
struct ClusterView {
    name: String,
    nodes: Vec<NodeView>,
}

pub async fn status(config: &Config, args: ClusterStatus) -> anyhow::Result<()> {
    let base = args
        .url
        .unwrap_or_else(|| format!("http://{}", config.node.http_addr));
    let credential = std::env::var("EMPIRE_API_KEY")
        .context("set EMPIRE_API_KEY to an API key (or token) with agents.read")?;
    let url = format!("{}/api/v1/cluster", base.trim_end_matches('/'));
    let response = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?
        .get(&url)
        .bearer_auth(credential)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        bail!("{url} answered {status}: {body}");
    }
    let view: ClusterView = response.json().await.context("unexpected answer")?;
    print!("{}", table(&view));
    Ok(())
}

fn table(view: &ClusterView) -> String {
    let header = [
        "NODE",
        "STATUS",
        "HTTP",
        "CLUSTER",
        "LAST HEARTBEAT",
        "AGENTS",
        "LOAD",
    ];
    let rows: Vec<[String; 7]> = view
        .nodes
        .iter()
        .map(|node| {
            let agents: Vec<String> = node
                .agents
                .iter()
                .map(|(agent, count)| format!("{agent}={count}"))
                .collect();
            let name = if node.this_node {
                format!("{} *", node.name)
            } else {
                node.name.clone()
            };
            [
                name,
                node.status.as_str().to_owned(),
                node.http_addr.clone(),
                node.cluster_addr.clone(),
                node.last_heartbeat
                    .map(|at| at.format("%H:%M:%S%.3f").to_string())
                    .unwrap_or_else(|| "-".into()),
                if agents.is_empty() {
                    "-".into()
                } else {
                    agents.join(",")
                },
                node.load.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = format!(
        "cluster {} ({} nodes; * = the node asked)\n",
        view.name,
        rows.len()
    );
    out.push_str(&line(header.to_vec()));
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use empire_actors::cluster::NodeStatus;
    use empire_schema::AgentId;

    use super::*;

    #[test]
    fn the_table_has_a_row_per_node_in_aligned_columns() {
        let node = |name: &str, status: NodeStatus, this_node| NodeView {
            name: name.into(),
            http_addr: "127.0.0.1:8081".into(),
            cluster_addr: "127.0.0.1:4701".into(),
            status,
            this_node,
            last_heartbeat: None,
            agents: BTreeMap::from([(AgentId::SeoOptimizer, 2)]),
            load: 3,
        };
        let view = ClusterView {
            name: "empire".into(),
            nodes: vec![
                node("node-1", NodeStatus::Up, true),
                node("node-22", NodeStatus::Unreachable, false),
            ],
        };
        let table = table(&view);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[2].starts_with("node-1 *  up "));
        // Every column starts where its header does.
        for (header, row, cell) in [
            ("STATUS", 2, "up"),
            ("STATUS", 3, "unreachable"),
            ("AGENTS", 3, "seo_optimizer=2"),
            ("LOAD", 3, "3"),
        ] {
            assert_eq!(lines[1].find(header), lines[row].rfind(cell), "{header}");
        }
    }
}
