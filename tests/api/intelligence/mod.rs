//! The intelligence core: imports, the search feed, the knowledge graph and the seed's
//! /intelligence routes on each backend; research on the offline and a fake provider, the LLM
//! ledger, budgets, usage, and the SSRF guard of competitor fetches.

mod budgets;
mod graph;
mod imports;
mod ledger;
mod research;
mod routes;
mod search;
mod searched_text;
mod shared_limits;
mod ssrf;
mod support;
mod upload_chunks;
mod uploads;

use std::io::{Cursor, Read};
use std::sync::Arc;

use empire_actors::intelligence::data::import::{
    ImportOptions, ImportReport, Opener, Progress, import_awin_feed, import_keywords,
};
use empire_actors::intelligence::nlp::Language;
use empire_schema::Db;

use crate::helpers::TestApp;

/// A keyword export with three months of history; `running shoes` rises, `trail shoes` falls.
pub const KEYWORDS: &str = "Keyword,Volume,CPC,Keyword Difficulty,Searches: Jan 2025,Searches: Feb 2025,Searches: Mar 2025\n\
running shoes,40500,1.20,78,30000,35000,50000\n\
trail running shoes,8800,0.90,40,9000,8000,4000\n\
marathon training plan,2400,0.50,20,2400,2400,2400\n";

pub const FEED: &str = "aw_product_id,merchant_id,product_name,aw_deep_link,search_price,currency,category_name,in_stock\n\
p-1,1001,Pegasus running shoes,https://www.awin1.com/pclick.php?p=1,119.99,EUR,Running shoes,1\n\
p-2,1001,Trail running shoes GTX,https://www.awin1.com/pclick.php?p=2,149.00,EUR,Running shoes,1\n\
p-3,2002,Espresso machine Deluxe,https://www.awin1.com/pclick.php?p=3,499.00,EUR,Coffee,0\n";

pub fn opener(text: impl Into<String>) -> Opener {
    let bytes: Arc<Vec<u8>> = Arc::new(text.into().into_bytes());
    Arc::new(move || Ok(Box::new(Cursor::new(bytes.as_ref().clone())) as Box<dyn Read + Send>))
}

pub fn quiet() -> Progress {
    Arc::new(|_| {})
}

pub async fn keywords_in(db: &Db, app: Option<&TestApp>, csv: &str, niche: &str) -> ImportReport {
    let search = app.map(|app| &app.runtime.services().search);
    import_keywords(
        db,
        search,
        opener(csv),
        Language::En,
        Some(niche.to_owned()),
        ImportOptions::default(),
        quiet(),
    )
    .await
    .unwrap()
}

pub async fn feed_in(db: &Db, app: Option<&TestApp>, csv: &str) -> ImportReport {
    let search = app.map(|app| &app.runtime.services().search);
    import_awin_feed(db, search, opener(csv), ImportOptions::default(), quiet())
        .await
        .unwrap()
}
