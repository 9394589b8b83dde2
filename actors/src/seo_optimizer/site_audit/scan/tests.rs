//! Unit tests of the audit's page scan.

use super::*;

#[test]
fn the_scan_collects_headings_anchors_links_and_json_ld() {
    let html = r#"<html><head>
<link rel="canonical" href="https://e.com/a">
<link rel="alternate" hreflang="de" href="https://e.com/de/a">
<link rel="stylesheet" href="/s.css"><script src="/app.js"></script>
<meta name="ROBOTS" content="NoIndex">
<script type="application/ld+json">{"@type":"Thing"}</script>
</head><body><nav><a href="/">Home</a></nav>
<h1>Title &amp; more</h1><h3>Deep</h3>
<p>First <a href="/x" rel="Nofollow" target="_blank">the <b>x</b> guide</a>.</p>
<a href="/y"><img src="/y.png" alt="Y photo"></a><a name="top"></a>
<ul><li>Item</li></ul><footer>Foot</footer></body></html>"#;
    let scan = scan(html);
    assert_eq!(
        scan.headings,
        [(1, "Title & more".to_owned()), (3, "Deep".to_owned())]
    );
    assert_eq!(scan.canonicals, ["https://e.com/a"]);
    assert_eq!(
        scan.alternates,
        [("de".to_owned(), "https://e.com/de/a".to_owned())]
    );
    assert_eq!(scan.robots_meta, ["noindex"]);
    assert_eq!(scan.assets, ["/s.css", "/app.js", "/y.png"]);
    assert_eq!(scan.json_ld, [r#"{"@type":"Thing"}"#]);
    assert_eq!(scan.anchors.len(), 4);
    assert_eq!(scan.anchors[1].text, "the x guide");
    assert_eq!(scan.anchors[1].rel, ["nofollow"]);
    assert!(scan.anchors[1].target_blank);
    assert_eq!(scan.anchors[2].text, "Y photo");
    assert!(scan.anchors[3].href.is_none() && scan.anchors[3].is_target);
    assert_eq!(scan.paragraphs, ["First the x guide.", "Item"]);
    assert!(!scan.main_text.contains("Home") && !scan.main_text.contains("Foot"));
    assert!(scan.main_text.contains("Item"));
}
