//! Every bad scenario in `tests/bad/` gets a precise message (pinned here as a snapshot), exit code 2 from the
//! command line, and no output folder. The model is casey/just's `tests/error_messages.rs`.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ceasefire::scenario;

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir("tests/bad")
        .expect("tests/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn message(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let source = match scenario::resolve(&path.to_string_lossy()) {
        Ok(s) => s,
        Err(e) => {
            return e
                .to_string()
                .replace(&path.to_string_lossy().to_string(), &name);
        }
    };
    match scenario::load_source(&name, &source.text, &[]) {
        Ok(_) => panic!("{name} should be invalid"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(corpus().len() >= 40, "{} bad scenarios", corpus().len());
}

#[test]
fn every_bad_scenario_has_a_pinned_message_with_a_place() {
    for path in corpus() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let msg = message(&path);
        // Every message names the file; faults that have a place name its line and column.
        assert!(msg.contains(".toml"), "{name}: {msg}");
        let placeless = [
            "empty-file",
            "only-comments",
            "missing-meta",
            "missing-simulation",
            "missing-schema-version",
            "missing-actors",
        ];
        if !placeless.contains(&name.as_str()) {
            let has_place = msg.lines().any(|l| {
                let mut parts = l.trim().splitn(4, ':');
                parts.next();
                matches!((parts.next(), parts.next()), (Some(a), Some(b)) if a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
            });
            assert!(has_place, "{name} has no line:column: {msg}");
        }
        insta::assert_snapshot!(name, msg);
    }
}

#[test]
fn every_bad_scenario_exits_2_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    for path in corpus() {
        let assert = Command::cargo_bin("ceasefire")
            .unwrap()
            .args(["run", "--no-charts", "--out"])
            .arg(out.path().join("o"))
            .arg(&path)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        assert!(
            !out.path().join("o").exists(),
            "{} wrote output",
            path.display()
        );
    }
}

#[test]
fn bad_overrides_are_precise() {
    let cases = [
        ("actors.NOPE.capability=1", "no actor with id `NOPE`"),
        ("actors.IRN.capability", "expected PATH=VALUE"),
        (
            "actors.IRN.capability=\"high\"",
            "actors.IRN.capability: expected a number in [0, 1000000] or a distribution table",
        ),
        (
            "actors.IRN.capability=-1",
            "(set by --set actors.IRN.capability=-1)",
        ),
        (
            "simulation.rounds=0",
            "simulation.rounds: expected an integer in 1..=100000, found 0",
        ),
        ("actors.IRN.wisdom=1", "unknown key `wisdom`"),
        ("planets.mars=1", "unknown table `planets`"),
        (
            "patronage.RUS.OPP.leverage=1",
            "no `patronage` entry with patron = \"RUS\" and client = \"OPP\"",
        ),
    ];
    for (set, expected) in cases {
        let err = scenario::load_path("astana-2017", &[set.to_string()]).expect_err(set);
        let msg = err.to_string();
        assert!(msg.contains(expected), "--set {set}: {msg}");
    }
}
