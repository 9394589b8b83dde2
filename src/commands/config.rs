//! `empire config`: the effective configuration as TOML, secrets redacted, and which
//! environment variables changed it.

use crate::config::{Config, OVERRIDES};

pub fn run(config: &Config) -> anyhow::Result<()> {
    print!("{}", toml::to_string_pretty(&config.redacted())?);
    let set: Vec<String> = OVERRIDES
        .iter()
        .filter(|(name, _)| std::env::var_os(name).is_some())
        .map(|(name, key)| format!("{name} ({key})"))
        .collect();
    if !set.is_empty() {
        println!("\n# overridden by the environment: {}", set.join(", "));
    }
    Ok(())
}
