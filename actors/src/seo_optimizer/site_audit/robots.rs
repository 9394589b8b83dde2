//! robots.txt: parsing (Google's rules: groups per user agent, longest match wins, `allow` wins a
//! tie, `*` and `$` wildcards) and validation like Lighthouse's robots-txt audit.

/// One `user-agent` group's rules: `(allow, pattern)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Group {
    agents: Vec<String>,
    rules: Vec<(bool, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RobotsTxt {
    groups: Vec<Group>,
    /// `(line number from 1, what is wrong)`.
    pub errors: Vec<(usize, String)>,
}

const KNOWN: &[&str] = &[
    "user-agent",
    "allow",
    "disallow",
    "sitemap",
    "crawl-delay",
    "host",
    "clean-param",
    "request-rate",
    "visit-time",
    "noindex",
];

impl RobotsTxt {
    pub(crate) fn parse(text: &str) -> RobotsTxt {
        let mut robots = RobotsTxt::default();
        // Consecutive user-agent lines share one group; a rule after them closes the list.
        let mut open_agents = false;
        for (number, line) in text.lines().enumerate() {
            let number = number + 1;
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                robots.errors.push((number, format!("`{line}` has no `:`")));
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if value.is_empty() {
                        robots.errors.push((number, "user-agent is empty".into()));
                    }
                    if !open_agents {
                        robots.groups.push(Group::default());
                    }
                    open_agents = true;
                    if let Some(group) = robots.groups.last_mut() {
                        group.agents.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    open_agents = false;
                    if !value.is_empty() && !value.starts_with('/') && !value.starts_with('*') {
                        robots.errors.push((
                            number,
                            format!("pattern `{value}` must start with `/` or `*`"),
                        ));
                    }
                    match robots.groups.last_mut() {
                        Some(group) if !value.is_empty() => {
                            group.rules.push((key == "allow", value.to_owned()));
                        }
                        Some(_) => {}
                        None => robots
                            .errors
                            .push((number, format!("`{key}` before any user-agent"))),
                    }
                }
                "sitemap" => {
                    if url::Url::parse(value).is_err() {
                        robots
                            .errors
                            .push((number, format!("sitemap `{value}` is not an absolute URL")));
                    }
                }
                other if KNOWN.contains(&other) => {}
                other => robots
                    .errors
                    .push((number, format!("unknown directive `{other}`"))),
            }
        }
        robots
    }

    /// Whether `agent` may fetch `path` (the URL's path and query). The group naming the agent
    /// applies, else the `*` group; no group means everything is allowed.
    pub(crate) fn allows(&self, agent: &str, path: &str) -> bool {
        let agent = agent.to_ascii_lowercase();
        let named: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| {
                g.agents
                    .iter()
                    .any(|a| a != "*" && agent.contains(a.as_str()))
            })
            .collect();
        let groups = if named.is_empty() {
            self.groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect()
        } else {
            named
        };
        let best = groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .filter(|(_, pattern)| matches(pattern, path))
            .max_by_key(|(allow, pattern)| (pattern.len(), *allow));
        best.is_none_or(|(allow, _)| *allow)
    }
}

/// Google's matching: a prefix match where `*` is any run of characters and a final `$` anchors
/// the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "# test\nUser-agent: *\nDisallow: /private/\nAllow: /private/ok\nDisallow: /*.pdf$\n\nUser-agent: BadBot\nDisallow: /\n\nSitemap: https://example.com/sitemap.xml\n";

    #[test]
    fn longest_match_wins_and_allow_breaks_ties() {
        let robots = RobotsTxt::parse(ROBOTS);
        assert!(robots.errors.is_empty(), "{:?}", robots.errors);
        assert!(robots.allows("Googlebot", "/best-vacuums/"));
        assert!(!robots.allows("Googlebot", "/private/x"));
        assert!(robots.allows("Googlebot", "/private/ok/page"));
        assert!(!robots.allows("Googlebot", "/files/a.pdf"));
        assert!(robots.allows("Googlebot", "/files/a.pdf?x=1"));
        assert!(!robots.allows("BadBot/1.0", "/anything"));
    }

    #[test]
    fn empty_robots_allows_everything() {
        let robots = RobotsTxt::parse("");
        assert!(robots.errors.is_empty());
        assert!(robots.allows("Googlebot", "/"));
        assert!(RobotsTxt::parse("User-agent: *\nDisallow:\n").allows("x", "/a"));
    }

    #[test]
    fn invalid_lines_are_reported_with_their_number() {
        let robots = RobotsTxt::parse(
            "Disallow: /a\nUser-agent: *\nthis is junk\nDisalow: /b\nAllow: c\nSitemap: /sitemap.xml\n",
        );
        let lines: Vec<usize> = robots.errors.iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, [1, 3, 4, 5, 6]);
    }
}
