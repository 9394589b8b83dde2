//! The `[rate_limit]` settings: one bucket size and rate per policy, and the failed-login lockout.

use empire_schema::cache::MAX_FILL_TIME;
use serde::{Deserialize, Serialize};

use super::Policy;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Per authenticated principal.
    pub api: LimitConfig,
    /// Per client address, for requests without credentials.
    pub anonymous: LimitConfig,
    /// Login attempts per client address.
    pub login_ip: LimitConfig,
    /// Login attempts per account by the addresses that have failed for it (an address without
    /// failures is never held back by others' guesses).
    pub login_email: LimitConfig,
    /// API-key lookups in the database per client address (keys not in the credential cache),
    /// spent before the lookup, so forged keys cannot queue on the pool.
    pub key_lookup: LimitConfig,
    /// Failed logins an account may have in an hour (a fixed window from the first) before
    /// further attempts are refused.
    pub failed_login_per_hour: u32,
    /// Keys the in-process fallback holds while Redis does not answer; bounded so an outage
    /// under a flood of distinct keys cannot exhaust memory.
    pub fallback_capacity: usize,
}

/// A token bucket: `burst` requests back to back, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitConfig {
    pub burst: u32,
    pub per_minute: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}=`{value}`: {reason}")]
pub struct InvalidRateLimit {
    pub setting: String,
    pub value: String,
    pub reason: String,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            api: LimitConfig::new(120, 600.0),
            anonymous: LimitConfig::new(60, 60.0),
            login_ip: LimitConfig::new(10, 10.0),
            login_email: LimitConfig::new(5, 5.0),
            key_lookup: LimitConfig::new(20, 60.0),
            failed_login_per_hour: 100,
            fallback_capacity: 10_000,
        }
    }
}

impl LimitConfig {
    pub const fn new(burst: u32, per_minute: f64) -> LimitConfig {
        LimitConfig { burst, per_minute }
    }

    fn policy(&self, name: &'static str) -> Policy {
        Policy {
            name,
            capacity: self.burst,
            refill_per_sec: self.per_minute / 60.0,
        }
    }

    fn validate(&self, name: &str) -> Result<(), InvalidRateLimit> {
        if self.burst == 0 {
            return Err(invalid(name, "burst", "0", "must be at least 1"));
        }
        let per_minute = self.per_minute.to_string();
        if !(self.per_minute.is_finite() && self.per_minute > 0.0) {
            return Err(invalid(name, "per_minute", &per_minute, "must be above 0"));
        }
        let fill_secs = f64::from(self.burst) / (self.per_minute / 60.0);
        if fill_secs > MAX_FILL_TIME.as_secs_f64() {
            let reason = format!(
                "a burst of {} would take longer than {} days to refill",
                self.burst,
                MAX_FILL_TIME.as_secs() / 86_400
            );
            return Err(invalid(name, "per_minute", &per_minute, &reason));
        }
        Ok(())
    }
}

impl RateLimitConfig {
    pub fn api(&self) -> Policy {
        self.api.policy("api")
    }

    pub fn anonymous(&self) -> Policy {
        self.anonymous.policy("anonymous")
    }

    pub fn login_ip(&self) -> Policy {
        self.login_ip.policy("login_ip")
    }

    pub fn login_email(&self) -> Policy {
        self.login_email.policy("login_email")
    }

    pub fn key_lookup(&self) -> Policy {
        self.key_lookup.policy("key_lookup")
    }

    pub fn validate(&self) -> Result<(), InvalidRateLimit> {
        self.key_lookup.validate("key_lookup")?;
        self.api.validate("api")?;
        self.anonymous.validate("anonymous")?;
        self.login_ip.validate("login_ip")?;
        self.login_email.validate("login_email")?;
        if self.failed_login_per_hour == 0 {
            return Err(invalid(
                "",
                "failed_login_per_hour",
                "0",
                "must be at least 1",
            ));
        }
        if self.fallback_capacity == 0 {
            return Err(invalid("", "fallback_capacity", "0", "must be at least 1"));
        }
        Ok(())
    }
}

fn invalid(policy: &str, field: &str, value: &str, reason: &str) -> InvalidRateLimit {
    let setting = if policy.is_empty() {
        format!("rate_limit.{field}")
    } else {
        format!("rate_limit.{policy}.{field}")
    };
    InvalidRateLimit {
        setting,
        value: value.into(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_the_documented_limits() {
        let config = RateLimitConfig::default();
        config.validate().unwrap();
        let api = config.api();
        assert_eq!(
            (api.name, api.capacity, api.refill_per_sec),
            ("api", 120, 10.0)
        );
        assert_eq!(config.anonymous().capacity, 60);
        assert_eq!(config.anonymous().refill_per_sec, 1.0);
        assert_eq!(config.login_ip().window_secs(), 60);
        assert_eq!(config.login_email().capacity, 5);
        assert_eq!(config.failed_login_per_hour, 100);
    }

    #[test]
    fn reads_partial_toml_over_the_defaults() {
        let config: RateLimitConfig =
            toml::from_str("failed_login_per_hour = 20\n[api]\nburst = 50\nper_minute = 300\n")
                .unwrap();
        assert_eq!(config.api, LimitConfig::new(50, 300.0));
        assert_eq!(config.failed_login_per_hour, 20);
        assert_eq!(config.login_ip, RateLimitConfig::default().login_ip);
    }

    #[test]
    fn rejects_limits_that_could_never_refill() {
        let mut config = RateLimitConfig::default();
        config.login_email.per_minute = 0.0;
        let error = config.validate().unwrap_err();
        assert_eq!(error.setting, "rate_limit.login_email.per_minute");

        let mut config = RateLimitConfig::default();
        config.api.burst = 0;
        assert_eq!(
            config.validate().unwrap_err().setting,
            "rate_limit.api.burst"
        );

        let mut config = RateLimitConfig::default();
        config.anonymous.per_minute = 1e-9;
        assert!(config.validate().is_err());

        let config = RateLimitConfig {
            fallback_capacity: 0,
            ..RateLimitConfig::default()
        };
        assert_eq!(
            config.validate().unwrap_err().setting,
            "rate_limit.fallback_capacity"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<RateLimitConfig>("[api]\nburst = 1\nper_min = 1\n").is_err());
    }
}
