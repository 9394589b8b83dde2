//! `empire config`: the effective configuration as TOML, secrets redacted, and which
//! environment variables changed it.

use crate::config::{Config, is_unknown, variables};

pub fn run(config: &Config) -> anyhow::Result<()> {
    print!("{}", toml::to_string_pretty(&config.redacted())?);
    let known = variables();
    let set: Vec<String> = known
        .iter()
        .filter(|(name, _)| std::env::var_os(name).is_some())
        .map(|(name, key)| format!("{name} ({key})"))
        .collect();
    if !set.is_empty() {
        println!("\n# overridden by the environment: {}", set.join(", "));
    }
    let mut unknown: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| is_unknown(name, &known))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        println!(
            "# ignored, not a setting: {} (every key section.key is EMPIRE_SECTION_KEY)",
            unknown.join(", ")
        );
    }
    Ok(())
}
