//! Configuration: a `cluster.toml` text, then `EMPIRE_*` variables over it, then validation, the
//! way `Config::load` does it.
//!
//! The input is the file's text, then NUL-separated `NAME=value` variables.
//!
//! Properties: nothing panics; a configuration that validates, written back out as TOML, reads
//! back to the same configuration and validates again; its `Debug` output does not change when
//! its secrets do; a refused variable holding a secret does not appear in the error.
#![no_main]

use std::collections::BTreeMap;

use empire::config::{Config, ConfigError, apply_env};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let file = parts.next().unwrap_or_default();
    let vars: BTreeMap<&str, &str> = parts.filter_map(|line| line.split_once('=')).collect();

    let Ok(mut config) = Config::from_toml(file, "fuzz.toml") else {
        return;
    };
    if let Err(error) = apply_env(&mut config, |name| vars.get(name).map(|v| (*v).to_owned())) {
        // An error names the variable; when it holds a secret, its value is not shown.
        if let ConfigError::Invalid {
            setting,
            value,
            reason,
        } = &error
        {
            let secret = ["SECRET", "PASSWORD", "COOKIE", "TOKEN", "API_KEY"]
                .iter()
                .any(|word| setting.contains(word));
            if let Some(text) = vars
                .get(setting.as_str())
                .filter(|text| secret && text.len() >= 12)
            {
                assert!(
                    !value.contains(text) && !reason.contains(text),
                    "{setting} shown: {error}"
                );
            }
        }
        return;
    }
    if config.validate().is_err() {
        return;
    }
    let _ = config.redacted();

    let written = toml::to_string(&config).unwrap_or_else(|e| panic!("not TOML: {e}"));
    let again = Config::from_toml(&written, "rewritten.toml")
        .unwrap_or_else(|e| panic!("{e}\n--- written:\n{written}"));
    if let Err(e) = again.validate() {
        panic!("{e}\n--- written:\n{written}");
    }
    let rewritten = toml::to_string(&again).unwrap_or_else(|e| panic!("not TOML: {e}"));
    assert_eq!(written, rewritten);

    let mut other = config.clone();
    other.auth.jwt_secret = format!("{}-changed", other.auth.jwt_secret.expose()).into();
    other.auth.admin_password = format!("{}-changed", other.auth.admin_password.expose()).into();
    other.cluster.cookie = format!("{}-changed", other.cluster.cookie.expose()).into();
    assert_eq!(
        format!("{config:?}"),
        format!("{other:?}"),
        "Debug shows a secret"
    );
});
