//! `empire index rebuild`: rebuilds this node's search index (`<data_dir>/search`) from the store.
//! The index has one writer, so the node's server must be stopped; it catches up on start.

use anyhow::Context;
use empire_actors::intelligence::data::{RebuildProgress, SearchService, rebuild as rebuild_index};

use super::progress::ProgressLine;
use crate::config::Config;

pub async fn rebuild(config: Config) -> anyhow::Result<()> {
    let db = super::open_database(&config).await?;
    let dir = config.node.data_dir.join("search");
    let search = SearchService::open(Some(&dir))
        .with_context(|| format!("cannot open the search index at {}", dir.display()))?;
    let line = ProgressLine::new();
    let indexed = rebuild_index(&db, &search, |RebuildProgress { done, total }| {
        line.update(&format!("indexing: {done}/{total} documents"));
    })
    .await;
    line.finish();
    println!("{}: {} documents indexed", dir.display(), indexed?);
    Ok(())
}
