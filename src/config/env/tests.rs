//! The environment overrides: generic names, aliases, lists, secrets and errors.

use std::collections::HashMap;

use super::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn variables_override_the_file() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_HTTP_ADDR", "127.0.0.1:9999"),
            ("EMPIRE_DATA_DIR", "/tmp/x"),
            ("EMPIRE_LOG", "debug"),
        ]),
    )
    .unwrap();
    assert_eq!(config.node.http_addr.port(), 9999);
    assert_eq!(config.node.data_dir.to_str(), Some("/tmp/x"));
    assert_eq!(config.log.filter, "debug");
}

#[test]
fn a_bad_value_names_the_variable() {
    let mut config = Config::default();
    let error = apply_env(&mut config, env(&[("EMPIRE_HTTP_ADDR", "not-an-address")])).unwrap_err();
    assert!(error.to_string().contains("EMPIRE_HTTP_ADDR"), "{error}");
}

#[test]
fn agent_counts_parse_from_one_variable() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[("EMPIRE_AGENTS", "content_generator=0, seo_optimizer=3")]),
    )
    .unwrap();
    assert_eq!(config.agents.content_generator, 0);
    assert_eq!(config.agents.seo_optimizer, 3);
    assert_eq!(config.agents.monetization, 2);
    assert!(apply_env(&mut config, env(&[("EMPIRE_AGENTS", "nobody=1")])).is_err());
}

#[test]
fn every_variable_is_applied() {
    for (name, key) in variables() {
        let mut config = Config::default();
        let error = apply_env(&mut config, env(&[(&name, "%%bad%%")]));
        // Compared as TOML, not `Debug`, which hides the secrets.
        let changed = Value::try_from(&config).ok() != Value::try_from(Config::default()).ok();
        assert!(
            error.is_err() || changed,
            "{name} ({key}) is listed but not applied"
        );
    }
}

#[test]
fn every_key_of_the_shipped_file_has_its_variable() {
    let file: Value = toml::from_str(include_str!("../../../cluster.toml")).unwrap();
    let mut keys = Vec::new();
    leaf_keys(&file, "", &mut keys);
    assert!(keys.len() > 50, "{keys:?}");
    let all = variables();
    for key in keys {
        let name = variable_of(&key);
        assert!(
            all.contains(&(name.clone(), key.clone())),
            "{key} has no {name}"
        );
    }
}

#[test]
fn names_are_unique_and_leave_the_other_variables_alone() {
    let all = variables();
    let mut names: Vec<&str> = all.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "two keys share a variable");
    for other in [
        "EMPIRE_CONFIG",
        "EMPIRE_API_KEY",
        "EMPIRE_USER_PASSWORD",
        "EMPIRE_TEST_DATABASE_URL",
        "EMPIRE_TEST_REDIS_URL",
    ] {
        assert!(!names.contains(&other), "{other}");
        assert!(!is_unknown(other, &all), "{other}");
    }
    assert!(is_unknown("EMPIRE_TASKS_LEASE", &all));
    assert!(!is_unknown("EMPIRE_TASKS_LEASE_MS", &all));
    assert!(!is_unknown("PATH", &all));
}

#[test]
fn nested_keys_flatten_with_underscores() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_RATE_LIMIT_API_BURST", "7"),
            ("EMPIRE_RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE", "2.5"),
            ("EMPIRE_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "30"),
            ("EMPIRE_TASKS_LEASE_MS", "60000"),
            ("EMPIRE_WS_MAX_CONNECTIONS", "5"),
        ]),
    )
    .unwrap();
    assert_eq!(config.rate_limit.api.burst, 7);
    assert_eq!(config.rate_limit.api.per_minute, 600.0);
    assert_eq!(config.rate_limit.login_email.per_minute, 2.5);
    assert_eq!(config.rate_limit.anonymous.per_minute, 30.0);
    assert_eq!(config.tasks.lease_ms, 60_000);
    assert_eq!(config.ws.max_connections, 5);
    assert_eq!(
        config.rate_limit.login_ip,
        Config::default().rate_limit.login_ip
    );
}

#[test]
fn lists_are_comma_separated() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            (
                "EMPIRE_HTTP_CORS_ORIGINS",
                " https://a.example.com,, https://b.example.com ,",
            ),
            ("EMPIRE_CLUSTER_SEEDS", "h1:4700, h2:4700"),
        ]),
    )
    .unwrap();
    assert_eq!(
        config.http.cors_origins,
        ["https://a.example.com", "https://b.example.com"]
    );
    assert_eq!(config.cluster.seeds, ["h1:4700", "h2:4700"]);
    apply_env(&mut config, env(&[("EMPIRE_HTTP_CORS_ORIGINS", "")])).unwrap();
    assert!(config.http.cors_origins.is_empty());
}

#[test]
fn booleans_are_true_or_false() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_CLUSTER_ENABLED", "true"),
            ("EMPIRE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1"),
        ]),
    )
    .unwrap();
    assert!(config.cluster.enabled);
    assert!(config.http.trusted_proxies.contains([10, 1, 2, 3].into()));
    assert!(
        config
            .http
            .trusted_proxies
            .contains([192, 168, 1, 1].into())
    );
    let error = apply_env(
        &mut config,
        env(&[("EMPIRE_HTTP_TRUSTED_PROXIES", "10.0.0.0/99")]),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("EMPIRE_HTTP_TRUSTED_PROXIES"),
        "{error}"
    );
    let error = apply_env(&mut config, env(&[("EMPIRE_CLUSTER_ENABLED", "yes")])).unwrap_err();
    assert!(
        error.to_string().contains("EMPIRE_CLUSTER_ENABLED"),
        "{error}"
    );
}

#[test]
fn a_bad_number_names_the_variable_and_the_value() {
    for (name, value) in [
        ("EMPIRE_TASKS_LEASE_MS", "soon"),
        ("EMPIRE_DATABASE_POOL_SIZE", "-1"),
        ("EMPIRE_RATE_LIMIT_API_BURST", "99999999999"),
        ("EMPIRE_RATE_LIMIT_API_PER_MINUTE", "lots"),
        ("EMPIRE_LOG_FORMAT", "xml"),
    ] {
        let mut config = Config::default();
        let error = apply_env(&mut config, env(&[(name, value)])).unwrap_err();
        let shown = error.to_string();
        assert!(
            shown.starts_with(&format!("invalid setting {name}=`{value}`: ")),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 1, "{shown}");
    }
}

#[test]
fn a_secret_is_never_echoed() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            (
                "EMPIRE_AUTH_JWT_SECRET",
                "generic-secret-generic-secret-123",
            ),
            (
                "EMPIRE_CLUSTER_COOKIE",
                "cookie-cookie-cookie-cookie-cookie",
            ),
        ]),
    )
    .unwrap();
    assert_eq!(
        config.auth.jwt_secret.expose(),
        "generic-secret-generic-secret-123"
    );
    assert_eq!(
        config.cluster.cookie.expose(),
        "cookie-cookie-cookie-cookie-cookie"
    );
    for key in ["auth.jwt_secret", "auth.admin_password", "cluster.cookie"] {
        assert_eq!(shown(key, "hunter2"), "<7 characters>");
    }
    assert_eq!(
        shown("database.url", "postgres://app:hunter2@db/empire"),
        "postgres://app:***@db/empire"
    );
    assert_eq!(shown("tasks.lease_ms", "soon"), "soon");
    // Refused at validation, still without the value.
    let error = Config::load(None, env(&[("EMPIRE_AUTH_JWT_SECRET", "hunter2-short")]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("jwt_secret"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn aliases_still_work_and_win_over_the_generic_name() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_NODE_HTTP_ADDR", "127.0.0.1:1111"),
            ("EMPIRE_HTTP_ADDR", "127.0.0.1:2222"),
            ("EMPIRE_LOG_FILTER", "warn"),
            ("EMPIRE_CACHE_REDIS_URL", "redis://generic:6379"),
            ("EMPIRE_REDIS_URL", "redis://alias:6379"),
            ("EMPIRE_JWT_SECRET", "s".repeat(32).as_str()),
            ("EMPIRE_SLOW_REQUEST_MS", "250"),
            ("EMPIRE_AGENTS_SEO_OPTIMIZER", "5"),
            ("EMPIRE_AGENTS", "seo_optimizer=1"),
            ("EMPIRE_AGENTS_MONETIZATION", "0"),
        ]),
    )
    .unwrap();
    assert_eq!(config.node.http_addr.port(), 2222);
    assert_eq!(config.log.filter, "warn");
    assert_eq!(config.cache.redis_url, "redis://alias:6379");
    assert_eq!(config.auth.jwt_secret.expose().len(), 32);
    assert_eq!(config.http.slow_request_ms, 250);
    assert_eq!(config.agents.seo_optimizer, 1);
    assert_eq!(config.agents.monetization, 0);
}

#[test]
fn unrelated_variables_are_ignored() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_CONFIG", "/etc/empire.toml"),
            ("EMPIRE_API_KEY", "mfm_secret"),
            ("EMPIRE_USER_PASSWORD", "a long enough password"),
            ("EMPIRE_TEST_DATABASE_URL", "postgres://x@y/z"),
            ("EMPIRE_NO_SUCH_KEY", "1"),
        ]),
    )
    .unwrap();
    assert_eq!(format!("{config:?}"), format!("{:?}", Config::default()));
}

#[test]
fn a_cluster_without_redis_is_refused_in_one_line() {
    let vars = [
        ("EMPIRE_CLUSTER_ENABLED", "true"),
        (
            "EMPIRE_CLUSTER_COOKIE",
            "a-cookie-of-at-least-thirty-two-chars!",
        ),
        (
            "EMPIRE_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/x",
        ),
        (
            "EMPIRE_JWT_SECRET",
            "a-secret-of-at-least-thirty-two-bytes!!",
        ),
    ];
    let load = |vars: &[(&str, &str)]| {
        let mut config = Config::default();
        apply_env(&mut config, env(vars)).unwrap();
        config.validate()
    };
    let error = load(&vars).unwrap_err().to_string();
    assert!(
        error.starts_with("invalid setting cache.redis_url"),
        "{error}"
    );
    assert!(!error.contains('\n'), "{error}");
    let with_redis = [&vars[..], &[("EMPIRE_REDIS_URL", "redis://127.0.0.1:6379")]].concat();
    load(&with_redis).unwrap();
}

#[test]
fn the_jwt_leeway_is_bounded() {
    let mut config = Config::default();
    apply_env(&mut config, env(&[("EMPIRE_AUTH_LEEWAY_S", "86400")])).unwrap();
    let error = config.validate().unwrap_err();
    assert!(error.to_string().contains("auth.leeway_s"), "{error}");
}

#[test]
fn site_deploy_settings_nest_and_the_token_is_never_echoed() {
    let mut config = Config::default();
    apply_env(
        &mut config,
        env(&[
            ("EMPIRE_SITES_CLOUDFLARE_API_TOKEN", "cf-secret-token"),
            ("EMPIRE_SITES_CLOUDFLARE_ACCOUNT_ID", "acc"),
            ("EMPIRE_SITES_INDEXNOW_ENABLED", "true"),
            ("EMPIRE_SITES_DEPLOY_DIR", "/srv/www"),
        ]),
    )
    .unwrap();
    assert_eq!(config.sites.cloudflare.api_token, "cf-secret-token");
    assert!(config.sites.cloudflare.enabled());
    assert!(config.sites.indexnow.enabled);
    assert_eq!(config.sites.deploy_dir, "/srv/www");
    assert!(!format!("{config:?}").contains("cf-secret-token"));
    let printed = toml::to_string(&config.redacted()).unwrap();
    assert!(!printed.contains("cf-secret-token"), "{printed}");
}
