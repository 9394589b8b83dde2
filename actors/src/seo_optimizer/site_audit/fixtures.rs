//! Test fixtures: a small site whose every page passes every check, built from specs the tests
//! change one field at a time.

use super::*;
use crate::intelligence::nlp::Language;

pub(super) const HOST: &str = "https://example.com";

const VOCAB: &[&str] = &[
    "cat", "dog", "red", "sun", "box", "cup", "map", "pen", "hat", "car", "bus", "tree", "lamp",
    "door", "bird", "fish", "milk", "rain", "snow", "wind", "road", "ship", "book", "desk", "rug",
    "park", "shop", "bag", "key", "fork", "bed", "wall", "hill", "lake", "farm", "town", "coat",
    "shoe", "sock", "ring", "bell", "fan", "jar", "pot", "pan", "sand", "rock", "leaf", "seed",
    "corn", "bean", "nut", "egg", "cake", "soup", "tea", "bread", "jam", "salt", "ice",
];

/// A deterministic pseudo-random sequence, so fixtures differ per seed and never between runs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// `count` paragraphs of short, easy sentences; every eighth sentence names `keyphrase`.
pub(super) fn prose(seed: u64, count: usize, keyphrase: &str) -> Vec<String> {
    let mut rng = Lcg(seed.wrapping_add(7));
    let mut sentence_index = 0;
    (0..count)
        .map(|_| {
            (0..5)
                .map(|_| {
                    sentence_index += 1;
                    if sentence_index % 8 == 0 {
                        return format!("The {keyphrase} is here.");
                    }
                    let words: Vec<&str> = (0..8).map(|_| VOCAB[rng.next(VOCAB.len())]).collect();
                    let mut s = words.join(" ");
                    s.replace_range(0..1, &s[0..1].to_uppercase());
                    format!("{s}.")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub id: String,
    pub path: String,
    pub kind: PageKind,
    pub keyphrase: Option<String>,
    pub lang: String,
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub viewport: bool,
    pub h1: String,
    pub intro: String,
    pub h2: Option<String>,
    pub images: String,
    pub paragraphs: Vec<String>,
    pub links: Vec<(String, String)>,
    pub head_extra: String,
    pub body_extra: String,
}

impl Spec {
    /// A page that passes every page check, for `keyphrase` (two words), at `path`.
    pub fn article(id: &str, path: &str, keyphrase: &str, seed: u64) -> Spec {
        let title_case: String = keyphrase
            .split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            })
            .collect::<Vec<_>>()
            .join(" ");
        let url = format!("{HOST}{path}");
        Spec {
            id: id.into(),
            path: path.into(),
            kind: PageKind::Article,
            keyphrase: Some(keyphrase.into()),
            lang: "en".into(),
            title: format!("{title_case} Guide: Tested Picks for Every Home"),
            description: format!(
                "Our {keyphrase} guide explains sizes, care and prices so you can pick the right one for your home."
            ),
            canonical: Some(url.clone()),
            viewport: true,
            h1: format!("The Best {title_case}"),
            intro: format!("We tested every {keyphrase} we could find."),
            h2: Some("How we tested".into()),
            images: format!("<img src=\"/img/photo.jpg\" alt=\"A {keyphrase} on a table\">"),
            paragraphs: prose(seed, 10, keyphrase),
            links: vec![("/".into(), "Back to the home page".into())],
            head_extra: format!(
                r#"<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Article","headline":"{title_case}","author":{{"@type":"Person","name":"Ann"}},"datePublished":"2026-01-01"}}</script>"#
            ),
            body_extra: String::new(),
        }
    }

    pub fn url(&self) -> String {
        format!("{HOST}{}", self.path)
    }

    pub fn html(&self) -> String {
        let canonical = self
            .canonical
            .as_ref()
            .map(|c| format!("<link rel=\"canonical\" href=\"{c}\">"))
            .unwrap_or_default();
        let viewport = if self.viewport {
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        } else {
            ""
        };
        let lang = if self.lang.is_empty() {
            String::new()
        } else {
            format!(" lang=\"{}\"", self.lang)
        };
        let h2 = self
            .h2
            .as_ref()
            .map(|h| format!("<h2>{h}</h2>"))
            .unwrap_or_default();
        let links: String = self
            .links
            .iter()
            .map(|(href, text)| format!("<li><a href=\"{href}\">{text}</a></li>"))
            .collect();
        let paragraphs: String = self
            .paragraphs
            .iter()
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        format!(
            r#"<!doctype html><html{lang}><head><meta charset="utf-8">{viewport}
<title>{title}</title>
<meta name="description" content="{description}">
{canonical}<link rel="stylesheet" href="/assets/site.css">
{head_extra}
</head><body>
<nav><ul>{links}</ul></nav>
<main><h1>{h1}</h1><p>{intro}</p>{h2}{images}
{paragraphs}{body_extra}</main>
<footer><p>Made with care.</p></footer>
</body></html>"#,
            title = self.title,
            description = self.description,
            head_extra = self.head_extra,
            h1 = self.h1,
            intro = self.intro,
            body_extra = self.body_extra,
            images = self.images,
        )
    }

    pub fn input(&self) -> PageInput {
        PageInput {
            id: PageId(self.id.clone()),
            url: self.url(),
            kind: self.kind,
            language: Language::En,
            keyphrase: self.keyphrase.clone(),
            html: self.html(),
        }
    }
}

/// Home plus three articles, all linking to each other through the home page.
pub(super) fn good_specs() -> Vec<Spec> {
    let mut home = Spec::article("home", "/", "kitchen tool", 1);
    home.kind = PageKind::Home;
    let articles = [
        ("a", "/a/", "garden hose", 2),
        ("b", "/b/", "robot vacuum", 3),
        ("c", "/c/", "coffee grinder", 4),
    ];
    home.links = articles
        .iter()
        .map(|(_, path, kp, _)| ((*path).to_owned(), format!("Our {kp} guide")))
        .collect();
    let mut specs = vec![home];
    specs.extend(
        articles
            .iter()
            .map(|(id, path, kp, seed)| Spec::article(id, path, kp, *seed)),
    );
    specs
}

pub(super) fn inputs(specs: &[Spec]) -> Vec<PageInput> {
    specs.iter().map(Spec::input).collect()
}

pub(super) fn sitemap(specs: &[Spec]) -> String {
    let urls: String = specs
        .iter()
        .map(|s| format!("<url><loc>{}</loc></url>", s.url()))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#
    )
}

pub(super) const ROBOTS: &str =
    "User-agent: *\nDisallow: /private/\n\nSitemap: https://example.com/sitemap.xml\n";

pub(super) fn assets() -> AssetSizes {
    AssetSizes::from([
        ("/assets/site.css".to_owned(), 20_000),
        ("/img/photo.jpg".to_owned(), 60_000),
    ])
}

pub(super) fn website() -> WebsiteId {
    WebsiteId("site-1".into())
}

pub(super) fn page_reports(specs: &[Spec], robots: &str, assets: &AssetSizes) -> Vec<PageReport> {
    let pages = inputs(specs);
    let site = SiteContext::new(website(), &pages, robots, assets);
    audit_pages(&site, &AuditSettings::default())
}

pub(super) fn site_report(specs: &[Spec], sitemap_xml: &str, robots: &str) -> SiteReport {
    let pages = inputs(specs);
    let assets = assets();
    let site = SiteContext::new(website(), &pages, robots, &assets);
    audit_site(&site, sitemap_xml, None, &AuditSettings::default()).unwrap()
}
