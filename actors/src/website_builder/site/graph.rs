//! Assembles a page's schema.org graph: WebPage always; Article, Product (with Offer and
//! Review), BreadcrumbList and FAQPage where the page has them.

use super::context::{decimal, rating_value, timestamp};
use super::jsonld::{
    AI_SOURCE_TYPE, Answer, Article, BreadcrumbList, FaqPage, Graph, ListItem, Node, Offer,
    Organization, Product, Question, Rating, Review, WebPage, WebSite,
};
use super::render::Renderer;
use super::spec::{PageKind, PageSpec};

pub fn page_graph(r: &Renderer<'_>, page: &PageSpec, trail: &[&PageSpec]) -> Graph {
    let spec = r.spec;
    let url = r.url(page);
    let ai = page.ai_generated.then_some(AI_SOURCE_TYPE);
    let publisher = Organization {
        kind: "Organization",
        name: spec.name.clone(),
    };
    let mut graph = vec![Node::WebPage(WebPage {
        kind: match page.kind {
            PageKind::Home | PageKind::Category => "CollectionPage",
            _ => "WebPage",
        },
        url: url.clone(),
        name: page.title.clone(),
        description: page.meta_description.clone(),
        in_language: spec.language.as_str(),
        date_published: timestamp(page.published_at),
        date_modified: timestamp(page.updated_at),
        is_part_of: WebSite {
            kind: "WebSite",
            name: spec.name.clone(),
            url: r.base.clone(),
        },
        digital_source_type: ai,
    })];
    if page.kind == PageKind::Article {
        graph.push(Node::Article(Article {
            kind: "Article",
            headline: page.title.clone(),
            description: page.meta_description.clone(),
            in_language: spec.language.as_str(),
            date_published: timestamp(page.published_at),
            date_modified: timestamp(page.updated_at),
            main_entity_of_page: url,
            author: publisher.clone(),
            publisher: publisher.clone(),
            digital_source_type: ai,
        }));
    }
    for product in &page.products {
        graph.push(Node::Product(Product {
            kind: "Product",
            name: product.name.clone(),
            image: product
                .image_url
                .as_deref()
                .and_then(|source| spec.images.get(source))
                .map(|image| format!("{}{}", r.base, image.path)),
            brand: product.brand.clone().map(|name| Organization {
                kind: "Brand",
                name,
            }),
            description: (!product.features.is_empty()).then(|| product.features.join("; ")),
            offers: product
                .price_minor
                .zip(product.currency.clone())
                .map(|(minor, currency)| Offer {
                    kind: "Offer",
                    price: decimal(minor),
                    price_currency: currency,
                    url: product.offer_url.clone(),
                }),
            review: product.rating_tenths.map(|tenths| Review {
                kind: "Review",
                author: publisher.clone(),
                review_rating: Rating {
                    kind: "Rating",
                    rating_value: rating_value(tenths),
                    best_rating: "5",
                },
            }),
            is_based_on: product.source.clone(),
        }));
    }
    if trail.len() > 1 {
        graph.push(Node::BreadcrumbList(BreadcrumbList {
            kind: "BreadcrumbList",
            item_list_element: trail
                .iter()
                .enumerate()
                .map(|(i, p)| ListItem {
                    kind: "ListItem",
                    position: i + 1,
                    name: if p.kind == PageKind::Home {
                        r.text.home.to_owned()
                    } else {
                        p.title.clone()
                    },
                    item: r.url(p),
                })
                .collect(),
        }));
    }
    if !page.faq.is_empty() {
        graph.push(Node::FaqPage(FaqPage {
            kind: "FAQPage",
            main_entity: page
                .faq
                .iter()
                .map(|entry| Question {
                    kind: "Question",
                    name: entry.question.clone(),
                    accepted_answer: Answer {
                        kind: "Answer",
                        text: entry.answer.clone(),
                    },
                })
                .collect(),
        }));
    }
    Graph {
        context: "https://schema.org",
        graph,
    }
}
