//! AWIN deep links (external-apis.md §1.4): a `cread.php` click URL carrying the destination.

use url::Url;

const CLICK_URL: &str = "https://www.awin1.com/cread.php";

/// `https://www.awin1.com/cread.php?awinmid=..&awinaffid=..&clickref=..&ued=<encoded target>`.
/// `parse_with_params` form-encodes each value exactly once, as AWIN expects for `ued`.
pub(super) fn deep_link(
    advertiser_id: &str,
    publisher_id: &str,
    click_ref: &str,
    target: &Url,
) -> Result<Url, url::ParseError> {
    Url::parse_with_params(
        CLICK_URL,
        [
            ("awinmid", advertiser_id),
            ("awinaffid", publisher_id),
            ("clickref", click_ref),
            ("ued", target.as_str()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_destination_is_encoded_once() {
        let target = Url::parse("https://shop.example/p?id=1&c=a b").unwrap();
        let link = deep_link("1001", "2002", "ref1", &target).unwrap();
        assert_eq!(
            link.as_str(),
            "https://www.awin1.com/cread.php?awinmid=1001&awinaffid=2002&clickref=ref1&ued=https%3A%2F%2Fshop.example%2Fp%3Fid%3D1%26c%3Da%2520b"
        );
        let ued = link.query_pairs().find(|(k, _)| k == "ued").unwrap().1;
        assert_eq!(ued, target.as_str());
    }
}
