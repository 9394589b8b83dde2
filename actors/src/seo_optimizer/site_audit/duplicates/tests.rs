//! Unit tests of near-duplicate detection.

use super::*;

const ARTICLE_A: &str = "Robot vacuums have become one of the most popular gadgets in modern homes, and for good reason. \
They clean the floors while you work, sleep or relax, and the better models need very little attention. \
We tested twelve robot vacuums over six weeks in a house with two dogs, a long-haired cat and a mix of hardwood floors and thick rugs. \
Each machine ran the same route every morning, and we weighed the dust bin after every run to measure how much dirt it picked up. \
Suction power matters most on carpets, where cheaper models tend to push hair around instead of lifting it. \
On hard floors the differences were smaller, but navigation made a big difference: models with lidar mapped the rooms in one pass and never got stuck under the sofa. \
Battery life ranged from seventy minutes to more than three hours, which matters if your home is larger than a small apartment. \
Noise is another point many buyers forget. The quietest model measured fifty-five decibels, about as loud as a normal conversation, while the loudest was hard to ignore even from another room. \
The app is where you spend most of your time with a robot vacuum, so we rated how easy it was to set no-go zones, schedule cleanings and check the cleaning history. \
Finally we looked at running costs: replacement brushes, filters and bags add up over the years, and some brands charge twice as much as others for the same parts. \
Our top pick balances strong suction, smart navigation and fair running costs, and it is the one we would buy for our own home.";

const ARTICLE_B: &str = "Choosing a robot vacuum for a small flat is a different task from choosing one for a large family house. \
In a compact space the robot has fewer rooms to map, so a basic model with bump sensors can do a decent job at a much lower price. \
What matters more is height: a slim robot slips under beds and cabinets where dust collects, while a tall one stops at the edge. \
Pet owners should look for rubber rollers rather than bristle brushes, because fur wraps around bristles and has to be cut free with scissors. \
Self-emptying docks are convenient but take up floor space and cost extra, which may not pay off when the dust bin fills only once a week. \
Mopping functions are tempting, yet in our experience they mostly spread a thin film of water and do not replace a proper wet clean. \
If you live with stairs, check that the cliff sensors work on dark carpets, since some robots mistake black rugs for a drop and refuse to cross them. \
Voice assistants and camera-based object recognition sound impressive in adverts, but they rarely change how clean the floor ends up. \
For most people in small flats a mid-range robot with good brushes, a low profile and a simple app is the sensible choice, and it leaves money for spare filters.";

fn key(website: &str, page: &str) -> DocKey {
    DocKey {
        website: WebsiteId(website.into()),
        page: PageId(page.into()),
    }
}

fn index() -> DuplicateIndex {
    DuplicateIndex::new(DuplicateConfig::default()).unwrap()
}

#[test]
fn a_copied_article_with_small_edits_is_flagged_across_sites() {
    let mut index = index();
    index
        .insert(key("site-1", "a"), index.signature(ARTICLE_A))
        .unwrap();
    index
        .insert(key("site-1", "b"), index.signature(ARTICLE_B))
        .unwrap();
    let copy = ARTICLE_A
        .replace("twelve", "eleven")
        .replace("for our own home", "for our own house")
        .replace("Noise is another point", "NOISE, is another point")
        .to_uppercase();
    let matches = index.query(&index.signature(&copy), None).unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    assert_eq!(matches[0].key, key("site-1", "a"));
    assert!(
        matches[0].similarity >= 0.8 && matches[0].similarity < 1.0,
        "{}",
        matches[0].similarity
    );
    index
        .insert(key("site-2", "copy"), index.signature(&copy))
        .unwrap();
    let pairs = index.pairs();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (&pairs[0].0, &pairs[0].1),
        (&key("site-1", "a"), &key("site-2", "copy"))
    );
}

#[test]
fn two_different_articles_on_the_same_niche_are_not_flagged() {
    let index = index();
    let a = index.signature(ARTICLE_A);
    let b = index.signature(ARTICLE_B);
    assert!(a.similarity(&b) < 0.1, "{}", a.similarity(&b));
    let mut index = index;
    index.insert(key("s", "a"), a).unwrap();
    assert!(index.query(&b, None).unwrap().is_empty());
    assert!(index.pairs().is_empty());
}

#[test]
fn signatures_are_deterministic_serialisable_and_replaceable() {
    let index = index();
    let signature = index.signature(ARTICLE_A);
    assert_eq!(
        signature,
        DuplicateIndex::new(DuplicateConfig::default())
            .unwrap()
            .signature(ARTICLE_A)
    );
    assert_eq!(signature.values.len(), 128);
    let json = serde_json::to_string(&signature).unwrap();
    let back: Signature = serde_json::from_str(&json).unwrap();
    assert_eq!(back, signature);

    let mut index = index;
    let k = key("s", "a");
    index.insert(k.clone(), signature.clone()).unwrap();
    assert_eq!(index.query(&signature, Some(&k)).unwrap(), []);
    assert_eq!(index.query(&signature, None).unwrap()[0].similarity, 1.0);
    // Re-inserting under the same key replaces the page.
    index.insert(k.clone(), index.signature(ARTICLE_B)).unwrap();
    assert_eq!(index.len(), 1);
    assert!(index.query(&signature, None).unwrap().is_empty());
    assert!(index.remove(&k).is_some());
    assert!(index.is_empty());
}

#[test]
fn empty_texts_match_nothing_and_bad_input_is_an_error() {
    let mut index = index();
    let empty = index.signature("  ... ");
    assert_eq!(empty.shingles, 0);
    index.insert(key("s", "e1"), empty.clone()).unwrap();
    assert!(index.query(&empty, None).unwrap().is_empty());
    let short = Signature {
        values: vec![1, 2],
        shingles: 1,
    };
    assert!(matches!(
        index.insert(key("s", "x"), short.clone()),
        Err(DuplicateError::SignatureLength { .. })
    ));
    assert!(index.query(&short, None).is_err());
    let bad = DuplicateConfig {
        hashes: 10,
        rows_per_band: 4,
        ..DuplicateConfig::default()
    };
    assert!(DuplicateIndex::new(bad).is_err());
}
