//! Digistore24 promolinks (external-apis.md §2, affiliate-side note):
//! `https://www.digistore24.com/redir/{PRODUCT_ID}/{AFFILIATE_ID}/{CAMPAIGNKEY}?cid={click id}`.

use url::Url;

const REDIRECT_BASE: &str = "https://www.digistore24.com/redir/";

/// The promolink for a product. UNCONFIRMED: the reference shows only the shape with a
/// campaign key; without one we drop the last path segment, which is our reading of the
/// help page, not a documented statement. `cid` is what S2S postbacks echo back.
pub(super) fn promolink(
    product_id: &str,
    affiliate_id: &str,
    campaign_key: Option<&str>,
    click_ref: &str,
) -> Result<Url, LinkError> {
    let mut url = Url::parse(REDIRECT_BASE)?;
    {
        let mut segments = url.path_segments_mut().map_err(|()| LinkError::NotABase)?;
        segments.pop_if_empty().push(product_id).push(affiliate_id);
        if let Some(key) = campaign_key {
            segments.push(key);
        }
    }
    url.query_pairs_mut().append_pair("cid", click_ref);
    Ok(url)
}

#[derive(Debug, thiserror::Error)]
pub(super) enum LinkError {
    #[error(transparent)]
    Parse(#[from] url::ParseError),
    #[error("the redirect base URL cannot take path segments")]
    NotABase,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_campaign_key_is_an_optional_last_segment() {
        let link = promolink("12345", "myaff", Some("summer_sale"), "abc").unwrap();
        assert_eq!(
            link.as_str(),
            "https://www.digistore24.com/redir/12345/myaff/summer_sale?cid=abc"
        );
        let link = promolink("12345", "myaff", None, "abc").unwrap();
        assert_eq!(
            link.as_str(),
            "https://www.digistore24.com/redir/12345/myaff?cid=abc"
        );
    }
}
