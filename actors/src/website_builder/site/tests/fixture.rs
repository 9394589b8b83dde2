//! A site spec for tests: a home page, three categories and articles, some monetised, some
//! AI-generated, one with a translation and one whose Markdown tries to run script.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::super::{
    FaqEntry, Language, LegalSettings, PageKind, PageSpec, ProductFact, SiteSpec, Theme,
    Translation,
};

pub const EVIL_ID: &str = "article-evil";

fn at(days: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap() + Duration::days(days)
}

fn page(id: &str, slug: &str, kind: PageKind, title: &str) -> PageSpec {
    PageSpec {
        id: id.into(),
        slug: slug.into(),
        kind,
        title: title.into(),
        meta_description: format!("{title}: what to know, compared and explained."),
        markdown: format!("---\ntitle: {title}\n---\n# {title}\n\nIntro about **{title}**.\n"),
        category: None,
        published_at: at(0),
        updated_at: at(1),
        products: Vec::new(),
        faq: Vec::new(),
        translations: Vec::new(),
        ai_generated: false,
        monetised: false,
    }
}

/// `pages` pages in all (at least 5): home, 3 categories, the rest articles.
pub fn site(language: Language, theme: Theme, pages: usize) -> SiteSpec {
    let mut list = vec![page("home", "", PageKind::Home, "Kitchen Gear Guide")];
    let categories = ["blenders", "coffee", "knives"];
    for slug in categories {
        list.push(page(
            &format!("cat-{slug}"),
            slug,
            PageKind::Category,
            &format!("Best {slug}"),
        ));
    }
    for i in 0..pages.saturating_sub(4) {
        let mut article = page(
            &format!("article-{i}"),
            &format!("review-{i}"),
            PageKind::Article,
            &format!("Review number {i} <tested>"),
        );
        article.category = Some(categories[i % 3].into());
        article.published_at = at(i as i64);
        article.updated_at = at(i as i64 + (i % 2) as i64);
        article.ai_generated = i % 2 == 0;
        article.monetised = i % 3 != 2;
        if article.monetised {
            article
                .markdown
                .push_str("\nBuy it [here](https://shop.example/p?id=1&ref=x).\n");
            article.products.push(ProductFact {
                name: format!("Blender {i}"),
                brand: Some("Acme".into()),
                price_minor: Some(12_999),
                currency: Some("EUR".into()),
                rating_tenths: Some(45),
                features: vec!["1200 W".into(), "Glass jug".into()],
                offer_url: Some("https://shop.example/p/1".into()),
                image_url: None,
                source: "awin feed 2025-01-01".into(),
            });
        }
        if i % 4 == 1 {
            article.faq.push(FaqEntry {
                question: "Is it loud?".into(),
                answer: "About 80 dB </script> at full speed.".into(),
            });
        }
        if i == 0 {
            article.translations.push(Translation {
                language: match language {
                    Language::En => Language::De,
                    Language::De => Language::En,
                },
                url: "https://other.example/review-0/".into(),
            });
        }
        if i == 1 {
            article.id = EVIL_ID.into();
            article.markdown.push_str(
                "\n<script>alert('llm')</script>\n\n<img src=x onerror=\"alert(1)\"> [click](javascript:alert(2))\n",
            );
        }
        list.push(article);
    }
    SiteSpec {
        slug: "kitchen-gear".into(),
        name: "Kitchen Gear".into(),
        base_url: "https://kitchen.example/".into(),
        language,
        theme,
        settings: LegalSettings {
            owner_name: "Erika Muster".into(),
            address_lines: vec!["Hauptstr. 1".into(), "10115 Berlin".into()],
            email: "hello@kitchen.example".into(),
            phone: None,
            vat_id: Some("DE123456789".into()),
            responsible_person: Some("Erika Muster".into()),
        },
        pages: list,
        images: Default::default(),
        analytics_url: None,
    }
}
