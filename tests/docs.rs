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

fn props(v: &serde_json::Value) -> BTreeSet<String> {
    v["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_json_schema_names_exactly_the_fields_the_loader_accepts() {
    let s = ceasefire::scenario::schema::json_schema();
    let p = &s["properties"];
    assert_eq!(props(&s), accepted::<RawScenario>());
    assert_eq!(props(&p["meta"]), accepted::<RawMeta>());
    assert_eq!(props(&p["simulation"]), accepted::<RawSimulation>());
    assert_eq!(props(&p["dimensions"]["items"]), accepted::<RawDimension>());
    assert_eq!(props(&p["modules"]["items"]), accepted::<RawModule>());
    let actor = &p["actors"]["items"];
    assert_eq!(props(actor), accepted::<RawActor>());
    assert_eq!(
        props(&actor["properties"]["concession"]),
        accepted::<RawConcession>()
    );
    assert_eq!(props(&actor["properties"]["hurt"]), accepted::<RawHurt>());
    assert_eq!(
        props(&actor["properties"]["violation"]),
        accepted::<RawViolation>()
    );
    assert_eq!(
        props(&actor["properties"]["spoiler"]),
        accepted::<RawSpoiler>()
    );
    assert_eq!(props(&p["patronage"]["items"]), accepted::<RawPatronage>());
    assert_eq!(props(&p["trust"]["items"]), accepted::<RawTrust>());
    assert_eq!(props(&p["events"]["items"]), accepted::<RawEvent>());
}

#[test]
fn authoring_commands_work_as_documented() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["new", "class-exercise", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let file = dir.path().join("class-exercise.toml");
    let sc = ceasefire::scenario::load_path(file.to_str().unwrap(), &[]).unwrap();
    assert_eq!(sc.meta.id, "class-exercise");
    // Never overwrites, and refuses ids that cannot name a folder.
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["new", "class-exercise", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["new", "../escape"])
        .assert()
        .code(2);
    let list = Command::cargo_bin("ceasefire")
        .unwrap()
        .arg("scenarios")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&list.get_output().stdout).to_string();
    for name in ceasefire::scenario::bundled::names() {
        assert!(text.contains(name), "{name}");
    }
    let show = Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["scenarios", "--show", "no-iran-guarantor"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&show.get_output().stdout).contains("id = \"no-iran-guarantor\"")
    );
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["scenarios", "--show", "atlantis"])
        .assert()
        .code(2);
    let schema = Command::cargo_bin("ceasefire")
        .unwrap()
        .arg("schema")
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&schema.get_output().stdout).unwrap();
    assert_eq!(v["title"], "ceasefire scenario");
}

/// The field tables of docs/scenario-format.md are generated from the field registry: the table under each heading
/// is exactly `fields::markdown_table`. With `UPDATE_DOCS=1` the test rewrites the tables instead of failing.
#[test]
fn the_field_tables_are_the_registrys() {
    use ceasefire::scenario::fields::{self, Table};
    let path = "docs/scenario-format.md";
    let doc = std::fs::read_to_string(path).unwrap();
    let mut updated = doc.clone();
    let mut stale = Vec::new();
    for table in Table::ALL {
        let heading = format!("\n## {}\n", table.heading());
        let start = updated
            .find(&heading)
            .unwrap_or_else(|| panic!("{path} has no section {}", table.heading()));
        let body = start + heading.len();
        let table_start = body + updated[body..].find("\n| key |").unwrap() + 1;
        let table_end = table_start
            + updated[table_start..]
                .find("\n\n")
                .map_or(updated.len() - table_start, |e| e + 1);
        let expected = fields::markdown_table(table);
        if updated[table_start..table_end] != expected {
            stale.push(table.heading());
            updated.replace_range(table_start..table_end, &expected);
        }
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "{path}: the tables of {stale:?} differ from the field registry (src/scenario/fields/registry.rs); \
         run `UPDATE_DOCS=1 cargo test --test docs` to regenerate them"
    );
}
