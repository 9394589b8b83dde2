//! `[leads]`: how a lead's persona is read from its quiz answers, and how long a confirm link
//! lives.
//!
//! A persona rule is one line, `answer=value|value -> persona`: the first rule whose quiz answer
//! (by key) is one of the values names the persona. Values compare without case; a multi-choice
//! answer (a list) matches when any choice does; numbers and true/false compare as their text. No
//! rule matching gives `default_persona`. Being text, the rules are also one environment
//! variable (`EMPIRE_LEADS_PERSONA_RULES="budget=low -> bargain-hunter,…"`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeadsConfig {
    pub persona_rules: Vec<String>,
    pub default_persona: String,
    /// How long a double opt-in link can be used.
    pub confirm_valid_hours: u32,
    /// The least time between two confirm mails to one address (a form can be sent again and
    /// again; the address's owner should not be flooded).
    pub resend_after_minutes: u32,
}

impl Default for LeadsConfig {
    fn default() -> Self {
        LeadsConfig {
            persona_rules: vec![
                "experience=beginner|none -> beginner".to_owned(),
                "budget=low|small -> bargain-hunter".to_owned(),
                "budget=high|premium -> premium-buyer".to_owned(),
                "experience=expert|professional -> enthusiast".to_owned(),
            ],
            default_persona: "general".to_owned(),
            confirm_valid_hours: 72,
            resend_after_minutes: 60,
        }
    }
}

/// One parsed persona rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonaRule {
    pub answer: String,
    pub values: Vec<String>,
    pub persona: String,
}

impl PersonaRule {
    pub fn parse(rule: &str) -> Result<PersonaRule, String> {
        let shape = || format!("`{rule}` is not `answer=value|value -> persona`");
        let (condition, persona) = rule.split_once("->").ok_or_else(shape)?;
        let (answer, values) = condition.split_once('=').ok_or_else(shape)?;
        let values: Vec<String> = values
            .split('|')
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect();
        let (answer, persona) = (answer.trim(), persona.trim());
        if answer.is_empty() || persona.is_empty() || values.is_empty() {
            return Err(shape());
        }
        Ok(PersonaRule {
            answer: answer.to_owned(),
            values,
            persona: persona.to_owned(),
        })
    }

    fn matches(&self, answers: &Value) -> bool {
        let choices = match answers.get(&self.answer) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => Vec::new(),
        };
        choices.into_iter().any(|choice| {
            let text = match choice {
                Value::String(s) => s.trim().to_lowercase(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return false,
            };
            self.values.contains(&text)
        })
    }
}

impl LeadsConfig {
    pub fn rules(&self) -> Result<Vec<PersonaRule>, (String, String)> {
        self.persona_rules
            .iter()
            .map(|rule| PersonaRule::parse(rule))
            .collect::<Result<_, _>>()
            .map_err(|reason| ("leads.persona_rules".to_owned(), reason))
    }

    pub fn validate(&self) -> Result<(), (String, String)> {
        self.rules()?;
        if self.default_persona.trim().is_empty() {
            return Err(("leads.default_persona".into(), "must not be empty".into()));
        }
        if self.confirm_valid_hours == 0 {
            return Err((
                "leads.confirm_valid_hours".into(),
                "must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The persona of these answers: the first matching rule's, or the default.
    pub fn persona(&self, answers: &Value) -> String {
        self.rules()
            .unwrap_or_default()
            .into_iter()
            .find(|rule| rule.matches(answers))
            .map_or_else(|| self.default_persona.clone(), |rule| rule.persona)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_matching_rule_names_the_persona() {
        let config = LeadsConfig::default();
        assert_eq!(
            config.persona(&json!({"experience": "Beginner", "budget": "high"})),
            "beginner"
        );
        assert_eq!(
            config.persona(&json!({"budget": ["medium", "HIGH"]})),
            "premium-buyer"
        );
        assert_eq!(config.persona(&json!({"budget": "medium"})), "general");
        assert_eq!(config.persona(&json!({})), "general");
        let numbers = LeadsConfig {
            persona_rules: vec!["age=18|19 -> student".into(), "pro=true -> pro".into()],
            ..LeadsConfig::default()
        };
        assert_eq!(numbers.persona(&json!({"age": 19})), "student");
        assert_eq!(numbers.persona(&json!({"pro": true})), "pro");
    }

    #[test]
    fn malformed_rules_are_named() {
        for bad in [
            "budget -> x",
            "budget=low",
            "=low -> x",
            "budget= -> x",
            "budget=low ->",
        ] {
            let config = LeadsConfig {
                persona_rules: vec![bad.into()],
                ..LeadsConfig::default()
            };
            let (setting, reason) = config.validate().unwrap_err();
            assert_eq!(setting, "leads.persona_rules");
            assert!(reason.contains(bad), "{reason}");
        }
    }
}
