//! Where the AWIN feed columns sit in a header; the six a product cannot do without are required.

/// An optional AWIN column this importer reads into a field of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    StorePrice,
    RrpPrice,
    DeliveryCost,
    MerchantName,
    MerchantProductId,
    MerchantDeepLink,
    Description,
    CategoryName,
    CategoryId,
    MerchantCategory,
    AwImageUrl,
    MerchantImageUrl,
    BrandName,
    Ean,
    InStock,
    Language,
    LastUpdated,
    DataFeedId,
}

impl Column {
    const ALL: [Column; 18] = [
        Column::StorePrice,
        Column::RrpPrice,
        Column::DeliveryCost,
        Column::MerchantName,
        Column::MerchantProductId,
        Column::MerchantDeepLink,
        Column::Description,
        Column::CategoryName,
        Column::CategoryId,
        Column::MerchantCategory,
        Column::AwImageUrl,
        Column::MerchantImageUrl,
        Column::BrandName,
        Column::Ean,
        Column::InStock,
        Column::Language,
        Column::LastUpdated,
        Column::DataFeedId,
    ];

    const fn name(self) -> &'static str {
        match self {
            Column::StorePrice => "store_price",
            Column::RrpPrice => "rrp_price",
            Column::DeliveryCost => "delivery_cost",
            Column::MerchantName => "merchant_name",
            Column::MerchantProductId => "merchant_product_id",
            Column::MerchantDeepLink => "merchant_deep_link",
            Column::Description => "description",
            Column::CategoryName => "category_name",
            Column::CategoryId => "category_id",
            Column::MerchantCategory => "merchant_category",
            Column::AwImageUrl => "aw_image_url",
            Column::MerchantImageUrl => "merchant_image_url",
            Column::BrandName => "brand_name",
            Column::Ean => "ean",
            Column::InStock => "in_stock",
            Column::Language => "language",
            Column::LastUpdated => "last_updated",
            Column::DataFeedId => "data_feed_id",
        }
    }
}

const REQUIRED: [&str; 6] = [
    "aw_product_id",
    "merchant_id",
    "product_name",
    "aw_deep_link",
    "search_price",
    "currency",
];

/// Positions of the columns in one feed's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AwinColumns {
    pub aw_product_id: usize,
    pub merchant_id: usize,
    pub product_name: usize,
    pub aw_deep_link: usize,
    pub search_price: usize,
    pub currency: usize,
    optional: [Option<usize>; Column::ALL.len()],
    /// Every other named column, with its name as written.
    extra: Vec<(usize, String)>,
}

impl AwinColumns {
    /// The layout of `names` (matched case-insensitively), if all required columns are there.
    pub(crate) fn recognise(names: &[String]) -> Option<Self> {
        let find = |wanted: &str| {
            names
                .iter()
                .position(|name| name.eq_ignore_ascii_case(wanted))
        };
        let optional = Column::ALL.map(|column| find(column.name()));
        let known = |name: &String| {
            REQUIRED
                .iter()
                .chain(Column::ALL.map(Column::name).iter())
                .any(|known| name.eq_ignore_ascii_case(known))
        };
        let extra = names
            .iter()
            .enumerate()
            .filter(|(_, name)| !name.is_empty() && !known(name))
            .map(|(index, name)| (index, name.clone()))
            .collect();
        Some(Self {
            aw_product_id: find(REQUIRED[0])?,
            merchant_id: find(REQUIRED[1])?,
            product_name: find(REQUIRED[2])?,
            aw_deep_link: find(REQUIRED[3])?,
            search_price: find(REQUIRED[4])?,
            currency: find(REQUIRED[5])?,
            optional,
            extra,
        })
    }

    pub(crate) fn optional(&self, column: Column) -> Option<usize> {
        Column::ALL
            .iter()
            .position(|candidate| *candidate == column)
            .and_then(|slot| self.optional[slot])
    }

    pub(crate) fn extra_columns(&self) -> &[(usize, String)] {
        &self.extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(header: &str) -> Vec<String> {
        header.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn standard_columns_are_found_by_name_in_any_order() {
        let header = "aw_deep_link,product_name,aw_product_id,merchant_product_id,merchant_image_url,description,\
                      merchant_category,search_price,merchant_name,merchant_id,category_name,category_id,aw_image_url,\
                      currency,store_price,delivery_cost,merchant_deep_link,language,last_updated,display_price,data_feed_id";
        let columns = AwinColumns::recognise(&names(header)).unwrap();
        assert_eq!(
            (
                columns.aw_deep_link,
                columns.aw_product_id,
                columns.currency
            ),
            (0, 2, 13)
        );
        assert_eq!(columns.optional(Column::StorePrice), Some(14));
        assert_eq!(columns.optional(Column::InStock), None);
        assert_eq!(columns.extra_columns(), [(19, "display_price".to_owned())]);
    }

    #[test]
    fn every_required_column_is_needed() {
        let all = "aw_product_id,merchant_id,product_name,aw_deep_link,search_price,currency";
        assert!(AwinColumns::recognise(&names(all)).is_some());
        for missing in REQUIRED {
            let header: Vec<String> = names(all)
                .into_iter()
                .filter(|name| name != missing)
                .collect();
            assert!(AwinColumns::recognise(&header).is_none(), "{missing}");
        }
    }
}
