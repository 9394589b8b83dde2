//! Where a monetised link leads: the network's tracking link for an offer, carrying our click
//! reference, built by `build_affiliate_link` unless the offer's link is a tracking link already.

use empire_schema::models::Offer;
use empire_schema::types::Network;
use url::Url;

use crate::monetization::build_affiliate_link::{self, Input, Network as LinkNetwork};
use crate::monetization::settings::AffiliateSettings;

/// The tracking URL of `offer` with `click_ref`, or why the offer cannot have one.
pub(crate) fn tracking_url(
    offer: &Offer,
    ids: &AffiliateSettings,
    click_ref: &str,
) -> Result<String, String> {
    let url = Url::parse(&offer.url).map_err(|_| format!("`{}` is not a URL", offer.url))?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let (network, tracked, param) = match offer.network {
        // Feed products' `aw_deep_link` and programme links are AWIN click URLs already.
        Network::Awin => (
            LinkNetwork::Awin,
            host == "awin1.com" || host.ends_with(".awin1.com"),
            "clickref",
        ),
        Network::Digistore24 => (
            LinkNetwork::Digistore24,
            (host == "digistore24.com" || host.ends_with(".digistore24.com"))
                && url.path().starts_with("/redir/"),
            "cid",
        ),
    };
    if tracked {
        return Ok(with_param(url, param, click_ref));
    }
    let own = |id: &str, setting: &str| {
        Some(id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                format!(
                    "set sites.affiliate.{setting} to link {} offers",
                    offer.network
                )
            })
    };
    let input = match network {
        LinkNetwork::Awin => Input {
            network,
            advertiser_id: Some(offer.advertiser_id.clone().ok_or_else(|| {
                "an AWIN offer needs its advertiser id (awinmid) or an AWIN tracking link"
                    .to_owned()
            })?),
            publisher_id: Some(own(&ids.awin_publisher_id, "awin_publisher_id")?),
            target_url: Some(offer.url.clone()),
            product_id: None,
            affiliate_id: None,
            campaign_key: None,
            click_ref: Some(click_ref.to_owned()),
            website_id: None,
        },
        LinkNetwork::Digistore24 => Input {
            network,
            advertiser_id: None,
            publisher_id: None,
            target_url: None,
            product_id: Some(offer.product_id.clone().ok_or_else(|| {
                "a Digistore24 offer needs its product id or a promolink".to_owned()
            })?),
            affiliate_id: Some(own(
                &ids.digistore24_affiliate_id,
                "digistore24_affiliate_id",
            )?),
            campaign_key: None,
            click_ref: Some(click_ref.to_owned()),
            website_id: None,
        },
    };
    build_affiliate_link::run(&input)
        .map(|output| output.url)
        .map_err(|error| match error {
            build_affiliate_link::LinkError::Invalid(errors) => errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })
}

/// `url` with `name` set to `value`, replacing any value it had.
fn with_param(mut url: Url, name: &str, value: &str) -> String {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(name, value);
    url.into()
}

#[cfg(test)]
mod tests {
    use empire_schema::models::NewOffer;

    use super::*;

    fn offer(network: Network, url: &str) -> Offer {
        Offer::row(NewOffer {
            network,
            niche: "coffee".into(),
            name: "Acme Grinder".into(),
            url: url.into(),
            advertiser_id: Some("1001".into()),
            product_id: Some("4242".into()),
            price_cents: None,
            currency: None,
        })
    }

    fn ids() -> AffiliateSettings {
        AffiliateSettings {
            awin_publisher_id: "234567".into(),
            digistore24_affiliate_id: "empire_aff".into(),
        }
    }

    #[test]
    fn a_merchant_page_becomes_an_awin_deep_link_with_the_click_ref() {
        let url = tracking_url(
            &offer(Network::Awin, "https://shop.example/grinder?c=1"),
            &ids(),
            "Ab12Cd34Ef56Gh78",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://www.awin1.com/cread.php?awinmid=1001&awinaffid=234567&clickref=Ab12Cd34Ef56Gh78&ued=https%3A%2F%2Fshop.example%2Fgrinder%3Fc%3D1"
        );
    }

    #[test]
    fn a_feed_tracking_link_keeps_its_ids_and_gets_our_click_ref() {
        let feed = "https://www.awin1.com/pclick.php?p=99&a=234567&m=1001&clickref=old";
        let url = tracking_url(
            &offer(Network::Awin, feed),
            &AffiliateSettings::default(),
            "NEWREF123456",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://www.awin1.com/pclick.php?p=99&a=234567&m=1001&clickref=NEWREF123456"
        );
    }

    #[test]
    fn digistore24_offers_become_promolinks_with_the_click_id() {
        let url = tracking_url(
            &offer(Network::Digistore24, "https://vendor.example/course"),
            &ids(),
            "ref123456789",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://www.digistore24.com/redir/4242/empire_aff?cid=ref123456789"
        );
        let promolink = "https://www.digistore24.com/redir/4242/other_aff/summer";
        let url = tracking_url(
            &offer(Network::Digistore24, promolink),
            &AffiliateSettings::default(),
            "ref123456789",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://www.digistore24.com/redir/4242/other_aff/summer?cid=ref123456789"
        );
    }

    #[test]
    fn without_our_publisher_id_nothing_is_made_up() {
        let error = tracking_url(
            &offer(Network::Awin, "https://shop.example/grinder"),
            &AffiliateSettings::default(),
            "ref123456789",
        )
        .unwrap_err();
        assert!(
            error.contains("sites.affiliate.awin_publisher_id"),
            "{error}"
        );
        let mut missing = offer(Network::Awin, "https://shop.example/grinder");
        missing.advertiser_id = None;
        assert!(
            tracking_url(&missing, &ids(), "ref123456789")
                .unwrap_err()
                .contains("advertiser id")
        );
        assert!(tracking_url(&offer(Network::Awin, "not a url"), &ids(), "ref123456789").is_err());
    }
}
