//! The reference in docs/scenario-format.md matches the loader exactly: a field documented but not accepted, or
//! accepted but not documented, fails this test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use ceasefire::scenario::raw::*;
use serde::de::DeserializeOwned;

/// The keys a raw type accepts, read from serde's "unknown field" message.
fn accepted<T: DeserializeOwned>() -> BTreeSet<String> {
    let probe: toml::Table = toml::from_str("zzz_not_a_field = 1").unwrap();
    let err = match toml::Value::Table(probe).try_into::<T>() {
        Ok(_) => panic!("{} accepted an unknown key", std::any::type_name::<T>()),
        Err(e) => e.to_string(),
    };
    let list = err.split("expected").nth(1).unwrap_or_default();
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The first-column keys of the table under `## `heading``.
fn documented(heading: &str) -> BTreeSet<String> {
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let start = doc
        .find(&format!("## `{heading}`"))
        .or_else(|| doc.find(&format!("## {heading}")))
        .unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &doc[start + 4..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.split('`').nth(1).unwrap().to_string())
        .collect()
}

fn split(keys: &BTreeSet<String>, prefix: Option<&str>) -> BTreeSet<String> {
    keys.iter()
        .filter_map(|k| match (prefix, k.split_once('.')) {
            (None, None) => Some(k.clone()),
            (None, Some((head, _))) => Some(head.to_string()),
            (Some(p), Some((head, tail))) if head == p => Some(tail.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_table_documents_exactly_what_the_loader_accepts() {
    let top = documented("Top level");
    assert_eq!(top, accepted::<RawScenario>(), "top level");
    assert_eq!(documented("[meta]"), accepted::<RawMeta>(), "[meta]");
    assert_eq!(
        documented("[simulation]"),
        accepted::<RawSimulation>(),
        "[simulation]"
    );
    assert_eq!(
        documented("[[dimensions]]"),
        accepted::<RawDimension>(),
        "[[dimensions]]"
    );
    assert_eq!(
        documented("[[modules]]"),
        accepted::<RawModule>(),
        "[[modules]]"
    );
    assert_eq!(
        documented("[[patronage]]"),
        accepted::<RawPatronage>(),
        "[[patronage]]"
    );
    assert_eq!(documented("[[trust]]"), accepted::<RawTrust>(), "[[trust]]");
    assert_eq!(
        documented("[[events]]"),
        accepted::<RawEvent>(),
        "[[events]]"
    );
    let actors = documented("[[actors]]");
    assert_eq!(split(&actors, None), accepted::<RawActor>(), "[[actors]]");
    assert_eq!(
        split(&actors, Some("concession")),
        accepted::<RawConcession>(),
        "concession"
    );
    assert_eq!(split(&actors, Some("hurt")), accepted::<RawHurt>(), "hurt");
    assert_eq!(
        split(&actors, Some("violation")),
        accepted::<RawViolation>(),
        "violation"
    );
    assert_eq!(
        split(&actors, Some("spoiler")),
        accepted::<RawSpoiler>(),
        "spoiler"
    );
}
