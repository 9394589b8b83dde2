//! Builds kept on disk: atomic publish, retention, byte-for-byte rollback and directory deploys.

use std::fs;

use super::*;
use crate::website_builder::site::tests::fixture;
use crate::website_builder::site::{Language, Theme};

fn id(n: u32) -> BuildId {
    BuildId::parse(&format!("b{n:06}")).unwrap()
}

#[test]
fn publish_swaps_current_and_keeps_only_the_newest_builds() {
    let root = tempfile::tempdir().unwrap();
    let store = SiteStore::new(root.path(), 2);
    let spec = fixture::site(Language::En, Theme::Clean, 6);
    let mut dropped = Vec::new();
    for n in 1..=3 {
        store.build(&spec, &id(n)).unwrap();
        dropped.extend(store.publish(&spec.slug, &id(n)).unwrap());
        assert_eq!(store.current(&spec.slug).unwrap(), Some(id(n)));
    }
    assert_eq!(dropped, vec![id(1)]);
    assert_eq!(store.builds(&spec.slug).unwrap(), vec![id(2), id(3)]);
    let served = store.current_dir(&spec.slug).unwrap().join("index.html");
    assert!(
        fs::read_to_string(served)
            .unwrap()
            .contains("<h1>Kitchen Gear Guide</h1>")
    );
    assert!(matches!(
        store.rollback(&spec.slug, &id(1)),
        Err(PublishError::UnknownBuild(_))
    ));
}

#[test]
fn rollback_restores_the_old_build_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let store = SiteStore::new(root.path(), 5);
    let old = fixture::site(Language::De, Theme::Magazine, 8);
    let mut new = old.clone();
    new.theme = Theme::Clean;
    new.pages[0].title = "Neu".into();
    let old_manifest = store.build(&old, &id(1)).unwrap();
    store.publish(&old.slug, &id(1)).unwrap();
    let new_manifest = store.build(&new, &id(2)).unwrap();
    store.publish(&new.slug, &id(2)).unwrap();
    let current = store.current_dir(&old.slug).unwrap();
    assert_eq!(BuildManifest::of_dir(&current).unwrap(), new_manifest);
    let restored = store.rollback(&old.slug, &id(1)).unwrap();
    assert_eq!(restored, old_manifest);
    assert_eq!(BuildManifest::of_dir(&current).unwrap(), old_manifest);
    assert_eq!(store.current(&old.slug).unwrap(), Some(id(1)));
}

#[test]
fn a_tampered_build_is_not_rolled_back() {
    let root = tempfile::tempdir().unwrap();
    let store = SiteStore::new(root.path(), 5);
    let spec = fixture::site(Language::En, Theme::Clean, 5);
    store.build(&spec, &id(1)).unwrap();
    fs::write(
        store
            .build_dir(&spec.slug, &id(1))
            .unwrap()
            .join("robots.txt"),
        "x",
    )
    .unwrap();
    let err = store.rollback(&spec.slug, &id(1)).unwrap_err();
    assert!(
        matches!(err, PublishError::Corrupt { ref path, .. } if path == "robots.txt"),
        "{err:?}"
    );
    assert_eq!(store.current(&spec.slug).unwrap(), None);
}

#[test]
fn a_build_id_is_never_reused_and_never_a_path() {
    let root = tempfile::tempdir().unwrap();
    let store = SiteStore::new(root.path(), 5);
    let spec = fixture::site(Language::En, Theme::Clean, 5);
    store.build(&spec, &id(1)).unwrap();
    assert!(matches!(
        store.build(&spec, &id(1)),
        Err(PublishError::BuildExists(_))
    ));
    for bad in ["../x", "", "a/b", "a b"] {
        assert!(BuildId::parse(bad).is_err(), "{bad:?}");
    }
    assert!(matches!(
        store.current("../etc"),
        Err(PublishError::InvalidSlug(_))
    ));
}

#[test]
fn deploy_to_a_directory_replaces_its_contents_whole() {
    let root = tempfile::tempdir().unwrap();
    let store = SiteStore::new(root.path().join("sites"), 5);
    let first = fixture::site(Language::En, Theme::Clean, 6);
    let mut second = first.clone();
    second.pages.truncate(5);
    let m1 = store.build(&first, &id(1)).unwrap();
    let m2 = store.build(&second, &id(2)).unwrap();
    let target = root.path().join("www").join("kitchen");
    deploy_to_dir(&store.build_dir(&first.slug, &id(1)).unwrap(), &target).unwrap();
    assert_eq!(BuildManifest::of_dir(&target).unwrap(), m1);
    deploy_to_dir(&store.build_dir(&first.slug, &id(2)).unwrap(), &target).unwrap();
    assert_eq!(BuildManifest::of_dir(&target).unwrap(), m2);
    let leftovers: Vec<_> = fs::read_dir(root.path().join("www")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary siblings left behind");
}
