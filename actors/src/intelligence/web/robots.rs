//! robots.txt, read the common way: the group for our agent (else `*`), `Allow`/`Disallow` path
//! prefixes, the longest match winning and `Allow` winning ties; no file means everything.

/// `(allow, path prefix)` rules.
type Rules = Vec<(bool, String)>;

/// The rules of one robots.txt that apply to `agent`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// `(allow, path prefix)`; an empty `Disallow:` allows everything and is dropped.
    rules: Rules,
}

impl Robots {
    /// Everything allowed: no robots.txt, or one that could not be read.
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Groups: consecutive User-agent lines, then their rules.
        let mut groups: Vec<(Vec<String>, Rules)> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((field, value)) = line.split_once(':') else {
                continue;
            };
            let (field, value) = (field.trim().to_ascii_lowercase(), value.trim());
            match field.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(group) = groups.last_mut() {
                        group.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(group) = groups.last_mut()
                        && !value.is_empty()
                    {
                        group.1.push((field == "allow", value.to_owned()));
                    }
                }
                _ => {}
            }
        }
        let ours = groups
            .iter()
            .find(|(agents, _)| {
                agents
                    .iter()
                    .any(|a| a != "*" && agent.contains(a.as_str()))
            })
            .or_else(|| {
                groups
                    .iter()
                    .find(|(agents, _)| agents.iter().any(|a| a == "*"))
            });
        Robots {
            rules: ours.map(|(_, rules)| rules.clone()).unwrap_or_default(),
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        self.rules
            .iter()
            .filter(|(_, prefix)| matches(prefix, path))
            .max_by_key(|(allow, prefix)| (prefix.len(), *allow))
            .is_none_or(|(allow, _)| *allow)
    }
}

/// A prefix match with `*` (any run) and a final `$` (end), as the major crawlers read them.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    for part in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    !anchored || rest.is_empty() || pattern.ends_with('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "User-agent: *\nDisallow: /private\nAllow: /private/ok\n\nUser-agent: empire\nDisallow: /no-bots\nDisallow: /*.pdf$\n";

    #[test]
    fn our_group_wins_over_the_star_group() {
        let robots = Robots::parse(TEXT, "empire-research/1.0");
        assert!(!robots.allows("/no-bots/page"));
        assert!(robots.allows("/private"));
        assert!(!robots.allows("/files/a.pdf"));
        assert!(robots.allows("/files/a.pdf?x=1"));
    }

    #[test]
    fn longest_match_wins_and_no_rules_allow_everything() {
        let robots = Robots::parse(TEXT, "otherbot");
        assert!(!robots.allows("/private/x"));
        assert!(robots.allows("/private/ok/x"));
        assert!(robots.allows("/"));
        assert!(Robots::allow_all().allows("/anything"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "x").allows("/"));
    }
}
