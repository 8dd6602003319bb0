//! `[[history]]`: real, dated events drawn on the agreement chart. They are drawn (their labels are in the SVG),
//! redrawn from a run's files alone, checked like every field, documented like every table, and they change
//! nothing that is simulated.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use ceasefire::scenario;

fn ceasefire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ceasefire"))
        .args(args)
        .output()
        .unwrap()
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// The tiny valid scenario with `extra` appended.
fn tiny_with(dir: &Path, name: &str, extra: &str) -> String {
    let text = std::fs::read_to_string("tests/valid-tiny.toml").unwrap() + extra;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const HISTORY: &str = r#"
[[history]]
round = 4
label = "real talks: ceasefire announced"

[[history]]
round = 7
label = "real talks: observers deployed"
"#;

#[test]
fn a_history_marker_is_drawn_redrawn_and_changes_nothing_simulated() {
    let tmp = tempfile::tempdir().unwrap();
    let with = tiny_with(tmp.path(), "with.toml", HISTORY);
    let without = tiny_with(tmp.path(), "without.toml", "");
    let (out_with, out_without) = (tmp.path().join("a"), tmp.path().join("b"));
    for (file, out) in [(&with, &out_with), (&without, &out_without)] {
        let o = ceasefire(&["run", file, "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (a, b) = (
        out_with.join("tiny/seed-1"),
        out_without.join("tiny/seed-1"),
    );
    // Nothing simulated changes.
    for file in ["rounds.csv", "actors.csv", "events.csv", "summary.json"] {
        assert!(
            read(&a, file) == read(&b, file),
            "{file} differs with history"
        );
    }
    // drawn.toml carries the history, and the chart draws it, labelled with the round.
    let drawn = String::from_utf8(read(&a, "drawn.toml")).unwrap();
    assert!(drawn.contains("[[history]]") && drawn.contains("real talks: ceasefire announced"));
    let svg = String::from_utf8(read(&a, "charts/agreement.svg")).unwrap();
    assert!(
        svg.contains("real talks: ceasefire announced, round 4"),
        "no history label in the SVG"
    );
    assert!(svg.contains("real talks: observers deployed, round 7"));
    assert!(
        svg.contains("Real event (history"),
        "no legend entry for history"
    );
    let plain = String::from_utf8(read(&b, "charts/agreement.svg")).unwrap();
    assert!(
        !plain.contains("history, not simulated"),
        "a legend entry without history"
    );
    // `chart DIR` redraws the same bytes from the files alone.
    let before: Vec<Vec<u8>> = ["charts/agreement.svg", "charts/agreement.png"]
        .iter()
        .map(|f| read(&a, f))
        .collect();
    let o = ceasefire(&["chart", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (f, bytes) in ["charts/agreement.svg", "charts/agreement.png"]
        .iter()
        .zip(before)
    {
        assert!(read(&a, f) == bytes, "{f} is not redrawn the same");
    }
    // `run drawn.toml` reproduces the run, history included.
    let again = tmp.path().join("c");
    let drawn_path = a.join("drawn.toml");
    let o = ceasefire(&[
        "run",
        drawn_path.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = again.join("tiny/seed-1");
    for file in [
        "rounds.csv",
        "events.csv",
        "drawn.toml",
        "charts/agreement.svg",
    ] {
        assert!(
            read(&a, file) == read(&c, file),
            "{file} differs after run drawn.toml"
        );
    }
}

#[test]
fn the_bundled_history_changes_nothing_simulated() {
    let sc = scenario::load_path("astana-2017", &[]).unwrap();
    assert!(sc.history.len() >= 2, "astana-2017 has its 2017 history");
    let memorandum = sc
        .history
        .iter()
        .find(|h| h.label.contains("memorandum"))
        .unwrap();
    assert_eq!(
        memorandum.round, 18,
        "the memorandum was signed in week 18 of 2017"
    );
    let mut bare = sc.clone();
    bare.history.clear();
    let (with, without) = (
        ceasefire::engine::run(&sc, 20170504),
        ceasefire::engine::run(&bare, 20170504),
    );
    assert_eq!(with, without);
}

#[test]
fn a_bad_history_entry_is_refused_precisely_with_exit_2_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tiny_with(
        tmp.path(),
        "bad.toml",
        "\n[[history]]\nround = 4\nlabel = \"ok\"\n\n[[history]]\nround = 11\nlabel = \"too late\"\n",
    );
    let out = tmp.path().join("out");
    let o = ceasefire(&["run", &bad, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("bad.toml:72:9: history[1].round: expected an integer in 1..=10, found 11: beyond the horizon of 10 rounds (simulation.rounds)"),
        "{stderr}"
    );
    assert!(
        !out.exists(),
        "something was written for an invalid scenario"
    );
}

#[test]
fn overrides_address_history_by_position_and_a_shorter_run_leaves_later_events_out() {
    let sc = scenario::load_path("astana-2017", &["history.0.round=20".into()]).unwrap();
    assert_eq!(sc.history[0].round, 20);
    let e = scenario::load_path("astana-2017", &["history.0.round=0".into()]).unwrap_err();
    assert!(e.to_string().contains("history[0].round: expected an integer in 1..=50, found 0; weeks count from 1 (set by --set history.0.round=0)"), "{e}");
    // `--rounds 15` (an override of simulation.rounds) keeps the entries within 15 weeks and leaves the others out.
    let short = scenario::load_path("astana-2017", &["simulation.rounds=15".into()]).unwrap();
    assert!(short.history.iter().all(|h| h.round <= 15) && !short.history.is_empty());
    // … but an override that puts an entry beyond the horizon is refused.
    let e = scenario::load_path(
        "astana-2017",
        &["simulation.rounds=15".into(), "history.0.round=16".into()],
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("beyond the horizon of 15 weeks"),
        "{e}"
    );
    // A scenario with history round-trips through drawn.toml's writer.
    let text = scenario::write::to_toml(&sc, None);
    assert_eq!(
        scenario::load_source("drawn.toml", &text, &[])
            .unwrap()
            .history,
        sc.history
    );
}

/// The keys the loader's `RawHistory` accepts, read from serde's "unknown field" message.
fn accepted() -> BTreeSet<String> {
    let probe: toml::Table = toml::from_str("zzz_not_a_field = 1").unwrap();
    let err = toml::Value::Table(probe)
        .try_into::<scenario::raw::RawHistory>()
        .unwrap_err()
        .to_string();
    let list = err.split("expected").nth(1).unwrap_or_default();
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn history_is_documented_and_in_the_schema_exactly_as_the_loader_accepts_it() {
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let start = doc
        .find("## `[[history]]`")
        .expect("docs/scenario-format.md has a [[history]] section");
    let rest = &doc[start + 4..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let documented: BTreeSet<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.split('`').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(documented, accepted());
    let schema = scenario::schema::json_schema();
    let props: BTreeSet<String> = schema["properties"]["history"]["items"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(props, accepted());
    assert!(doc.contains("ISO week"), "the week rule is stated");
}
