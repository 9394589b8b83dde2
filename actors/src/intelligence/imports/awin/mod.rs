//! AWIN product feeds (the CSV of productdata.awin.com, usually gzip) read as typed products.
//! Columns are matched by name, never position; any column not listed here lands in `extra`.

mod columns;

use std::collections::BTreeMap;
use std::io::Read;

use serde::Serialize;
use url::Url;

use columns::{AwinColumns, Column};

use super::error::{ImportError, RowError};
use super::key::ImportKey;
use super::money::{CurrencyCode, parse_amount};
use super::numbers::{is_missing, parse_flag};
use super::records::{Records, Row, Schema};

/// One product of an AWIN feed. Prices are integer cents in `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedProduct {
    pub aw_product_id: String,
    /// The advertiser's AWIN id (digits).
    pub merchant_id: String,
    pub product_name: String,
    /// The tracking link to use as the affiliate link.
    #[serde(serialize_with = "url_as_str")]
    pub aw_deep_link: Url,
    /// `search_price`.
    pub price_cents: u64,
    pub currency: CurrencyCode,
    pub store_price_cents: Option<u64>,
    pub rrp_price_cents: Option<u64>,
    pub delivery_cost_cents: Option<u64>,
    pub merchant_name: Option<String>,
    pub merchant_product_id: Option<String>,
    pub merchant_deep_link: Option<String>,
    pub description: Option<String>,
    pub category_name: Option<String>,
    pub category_id: Option<String>,
    pub merchant_category: Option<String>,
    pub aw_image_url: Option<String>,
    pub merchant_image_url: Option<String>,
    pub brand_name: Option<String>,
    pub ean: Option<String>,
    pub in_stock: Option<bool>,
    pub language: Option<String>,
    pub last_updated: Option<String>,
    pub data_feed_id: Option<String>,
    /// Every other non-empty column by its header name (e.g. `display_price`, `Fashion:size`).
    pub extra: BTreeMap<String, String>,
}

impl FeedProduct {
    /// The key a product is upserted by: the advertiser and AWIN's product id.
    pub fn key(&self) -> ImportKey {
        ImportKey::new(format!("awin:{}:{}", self.merchant_id, self.aw_product_id))
    }
}

fn url_as_str<S: serde::Serializer>(url: &Url, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(url.as_str())
}

/// Reads an AWIN feed one product at a time, in constant memory.
pub struct AwinFeedReader {
    records: Records<AwinColumns>,
}

impl AwinFeedReader {
    /// Opens a feed (CSV, plain or gzip) and reads its header.
    pub fn new<R: Read + Send + 'static>(input: R) -> Result<Self, ImportError> {
        Ok(Self {
            records: Records::open(input, &())?,
        })
    }
}

impl Iterator for AwinFeedReader {
    /// A fatal error (the input broke off) ends the iteration; a bad row does not.
    type Item = Result<Result<FeedProduct, RowError>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.records.next()
    }
}

impl Schema for AwinColumns {
    type Row = FeedProduct;
    type Options = ();
    const EXPECTED: &'static str = "the AWIN columns aw_product_id, merchant_id, product_name, aw_deep_link, search_price and currency";

    fn from_header(names: &[String], _: &()) -> Option<Self> {
        AwinColumns::recognise(names)
    }

    fn parse(&self, row: &Row<'_>) -> Result<FeedProduct, RowError> {
        let required = |column: usize| match row.text(column) {
            "" => Err(row.error(column, "missing")),
            text => Ok(text.to_owned()),
        };
        let aw_product_id = required(self.aw_product_id)?;
        let merchant_id = required(self.merchant_id)?;
        if !merchant_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(row.error(
                self.merchant_id,
                format!("not an advertiser id: `{merchant_id}`"),
            ));
        }
        let product_name = required(self.product_name)?;
        let link = required(self.aw_deep_link)?;
        let aw_deep_link = Url::parse(&link)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                row.error(self.aw_deep_link, format!("not an http(s) link: `{link}`"))
            })?;
        let currency = required(self.currency)?
            .parse::<CurrencyCode>()
            .map_err(|e| row.error(self.currency, e))?;
        let price_cents = self
            .price(row, self.search_price, currency)?
            .ok_or_else(|| row.error(self.search_price, "missing"))?;
        let in_stock = match self.optional(Column::InStock) {
            Some(column) => parse_flag(row.text(column)).map_err(|e| row.error(column, e))?,
            None => None,
        };
        let text = |column| row.optional(self.optional(column)).map(str::to_owned);
        Ok(FeedProduct {
            store_price_cents: self.optional_price(row, Column::StorePrice, currency)?,
            rrp_price_cents: self.optional_price(row, Column::RrpPrice, currency)?,
            delivery_cost_cents: self.optional_price(row, Column::DeliveryCost, currency)?,
            merchant_name: text(Column::MerchantName),
            merchant_product_id: text(Column::MerchantProductId),
            merchant_deep_link: text(Column::MerchantDeepLink),
            description: text(Column::Description),
            category_name: text(Column::CategoryName),
            category_id: text(Column::CategoryId),
            merchant_category: text(Column::MerchantCategory),
            aw_image_url: text(Column::AwImageUrl),
            merchant_image_url: text(Column::MerchantImageUrl),
            brand_name: text(Column::BrandName),
            ean: text(Column::Ean),
            language: text(Column::Language),
            last_updated: text(Column::LastUpdated),
            data_feed_id: text(Column::DataFeedId),
            extra: self
                .extra_columns()
                .iter()
                .filter_map(|(column, name)| {
                    Some((name.clone(), row.optional(Some(*column))?.to_owned()))
                })
                .collect(),
            aw_product_id,
            merchant_id,
            product_name,
            aw_deep_link,
            price_cents,
            currency,
            in_stock,
        })
    }
}

impl AwinColumns {
    fn optional_price(
        &self,
        row: &Row<'_>,
        field: Column,
        currency: CurrencyCode,
    ) -> Result<Option<u64>, RowError> {
        match self.optional(field) {
            Some(column) => self.price(row, column, currency),
            None => Ok(None),
        }
    }

    /// Cents of a price cell; `None` when empty. A symbol or code in the cell must agree with
    /// the row's currency.
    fn price(
        &self,
        row: &Row<'_>,
        column: usize,
        currency: CurrencyCode,
    ) -> Result<Option<u64>, RowError> {
        let cell = row.text(column);
        if is_missing(cell) {
            return Ok(None);
        }
        let amount = parse_amount(cell).map_err(|e| row.error(column, e))?;
        match amount.currency {
            Some(written) if written != currency => Err(row.error(
                column,
                format!("price is in {written} but currency is {currency}"),
            )),
            _ => Ok(Some(amount.cents)),
        }
    }
}

#[cfg(test)]
mod tests;
