//! `empire migrate`: apply pending migrations; a second run reports that nothing was pending.

use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let url = config.database_url()?;
    let applied = empire_schema::migrate::run_pending(&url).await?;
    if applied.is_empty() {
        println!("{}: up to date", url.redacted());
    } else {
        println!("{}: applied {}", url.redacted(), applied.join(", "));
    }
    Ok(())
}
