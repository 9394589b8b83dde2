//! schema.org JSON-LD for a page, from typed structs, made safe to embed in `<script>`.

use serde::Serialize;

/// IPTC's term for content made by a trained model; marks AI-generated pages for machines
/// (EU AI Act Art. 50), beside the visible note and `<meta name="ai-generated">`.
pub const AI_SOURCE_TYPE: &str =
    "https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

#[derive(Debug, Serialize)]
pub struct Graph {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@graph")]
    pub graph: Vec<Node>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Node {
    WebPage(WebPage),
    Article(Article),
    Product(Product),
    BreadcrumbList(BreadcrumbList),
    FaqPage(FaqPage),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebPage {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url: String,
    pub name: String,
    pub description: String,
    pub in_language: &'static str,
    pub date_published: String,
    pub date_modified: String,
    pub is_part_of: WebSite,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct WebSite {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: String,
    pub description: String,
    pub in_language: &'static str,
    pub date_published: String,
    pub date_modified: String,
    pub main_entity_of_page: String,
    pub author: Organization,
    pub publisher: Organization,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    /// The localised picture's absolute URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offers: Option<Offer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// Where the facts come from.
    pub is_based_on: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// A decimal string (`"129.99"`), built from integer minor units.
    pub price: String,
    pub price_currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub author: Organization,
    pub review_rating: Rating,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rating {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub rating_value: String,
    pub best_rating: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub item_list_element: Vec<ListItem>,
}

#[derive(Debug, Serialize)]
pub struct ListItem {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub position: usize,
    pub name: String,
    pub item: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqPage {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub main_entity: Vec<Question>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub accepted_answer: Answer,
}

#[derive(Debug, Serialize)]
pub struct Answer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub text: String,
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`, so no string in it can close the script element. They only occur
/// inside JSON strings, where the escapes mean the same characters.
pub fn to_script_json(graph: &Graph) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(graph)?;
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breaking_text_is_escaped_and_still_the_same_json() {
        let graph = Graph {
            context: "https://schema.org",
            graph: vec![Node::FaqPage(FaqPage {
                kind: "FAQPage",
                main_entity: vec![Question {
                    kind: "Question",
                    name: "</script><script>alert(1)</script> & more".into(),
                    accepted_answer: Answer {
                        kind: "Answer",
                        text: "a".into(),
                    },
                }],
            })],
        };
        let json = to_script_json(&graph).unwrap();
        assert!(!json.contains('<') && !json.contains('>'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back["@graph"][0]["mainEntity"][0]["name"],
            "</script><script>alert(1)</script> & more"
        );
    }
}
