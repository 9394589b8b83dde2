//! Findings out of free text, and merged across providers with attribution.

use serde::{Deserialize, Serialize};

/// One finding and every provider (and model) that gave it, in chain order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub text: String,
    pub providers: Vec<String>,
    pub models: Vec<String>,
}

/// Findings of one answer: its bullet or numbered lines, else the sentences of its paragraphs
/// (headings skipped); at most `limit`.
pub fn extract(text: &str, limit: usize) -> Vec<String> {
    let bullets: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .or_else(|| numbered(line))?;
            let rest = rest.trim();
            (!rest.is_empty()).then(|| rest.to_owned())
        })
        .take(limit)
        .collect();
    if !bullets.is_empty() {
        return bullets;
    }
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .flat_map(|line| line.split_inclusive(['.', '!', '?']))
        .map(str::trim)
        .filter(|sentence| sentence.split_whitespace().count() >= 3)
        .map(str::to_owned)
        .take(limit)
        .collect()
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    (digits > 0).then_some(())?;
    line[digits..]
        .strip_prefix(". ")
        .or_else(|| line[digits..].strip_prefix(") "))
}

/// Merges `(provider, model, findings)` answers: the same finding (case and spacing aside)
/// from several providers becomes one, attributed to all of them.
pub fn merge(answers: &[(String, String, Vec<String>)]) -> Vec<Finding> {
    let mut merged: Vec<(String, Finding)> = Vec::new();
    for (provider, model, findings) in answers {
        for text in findings {
            let key = normalise(text);
            match merged.iter_mut().find(|(k, _)| *k == key) {
                Some((_, finding)) => {
                    if !finding.providers.contains(provider) {
                        finding.providers.push(provider.clone());
                        finding.models.push(model.clone());
                    }
                }
                None => merged.push((
                    key,
                    Finding {
                        text: text.clone(),
                        providers: vec![provider.clone()],
                        models: vec![model.clone()],
                    },
                )),
            }
        }
    }
    merged.into_iter().map(|(_, finding)| finding).collect()
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_win_over_sentences_and_headings_are_skipped() {
        let text = "# Title\n\n- Demand rises in winter.\n2. Prices  vary widely\n* \nplain line";
        assert_eq!(
            extract(text, 10),
            ["Demand rises in winter.", "Prices  vary widely"]
        );
        let prose = "# Kettles\n\n## Market\n\nDemand is high today. Fine. Prices vary by brand!";
        assert_eq!(
            extract(prose, 10),
            ["Demand is high today.", "Prices vary by brand!"]
        );
        assert_eq!(extract(prose, 1).len(), 1);
    }

    #[test]
    fn the_same_finding_is_attributed_to_every_provider() {
        let answers = vec![
            (
                "openai".to_owned(),
                "gpt".to_owned(),
                vec!["Demand rises.".to_owned(), "A".to_owned()],
            ),
            (
                "local".to_owned(),
                "det".to_owned(),
                vec!["demand  RISES".to_owned()],
            ),
        ];
        let merged = merge(&answers);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].providers, ["openai", "local"]);
        assert_eq!(merged[0].models, ["gpt", "det"]);
        assert_eq!(merged[1].providers, ["openai"]);
    }
}
