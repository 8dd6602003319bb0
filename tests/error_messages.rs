//! Every bad scenario in `tests/bad/` gets a precise message (pinned as a snapshot of its own,
//! `snapshots/error_messages__message@<file>.toml.snap`), exit code 2 from the command line, and no output folder.
//! Each file is a case of its own through `insta::glob!`: a failure names the file, and a new file in `tests/bad/`
//! is a new case with nothing else to edit. The model is casey/just's `tests/error_messages.rs`.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;
use ceasefire::scenario;

/// Faults of a whole file or of a missing table, which have no line and column to point at.
const PLACELESS: [&str; 6] = [
    "empty-file",
    "only-comments",
    "missing-meta",
    "missing-simulation",
    "missing-schema-version",
    "missing-actors",
];

/// The message for a bad file, with its folder stripped so the snapshot does not depend on where the tree lives.
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
        Ok(_) => panic!("{name} should be invalid, but it loads"),
        Err(e) => e.to_string(),
    }
}

fn has_line_and_column(msg: &str) -> bool {
    msg.lines().any(|l| {
        let mut parts = l.trim().splitn(4, ':');
        parts.next();
        matches!((parts.next(), parts.next()), (Some(a), Some(b)) if a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
    })
}

#[test]
fn every_bad_scenario_has_a_pinned_message_with_a_place() {
    insta::glob!("bad/*.toml", |path| {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let msg = message(path);
        // Every message names the file; faults that have a place name its line and column.
        assert!(
            msg.contains(".toml"),
            "{name}.toml: the message does not name the file:\n{msg}"
        );
        if !PLACELESS.contains(&name.as_str()) {
            assert!(
                has_line_and_column(&msg),
                "{name}.toml: the message has no line:column:\n{msg}"
            );
        }
        insta::assert_snapshot!("message", msg);
    });
}

#[test]
fn every_bad_scenario_exits_2_and_writes_nothing() {
    insta::glob!("bad/*.toml", |path| {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let out = tempfile::tempdir().unwrap();
        let assert = Command::cargo_bin("ceasefire")
            .unwrap()
            .args(["run", "--no-charts", "--out"])
            .arg(out.path().join("o"))
            .arg(path)
            .assert();
        let output = assert.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{file}: expected exit code 2; stderr:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{file} panicked:\n{stderr}");
        assert!(
            !out.path().join("o").exists(),
            "{file} wrote an output folder"
        );
    });
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

/// The checks every table shares report typed kinds, with the values a caller can read, not only words.
#[test]
fn shared_checks_report_typed_kinds() {
    use ceasefire::scenario::{IssueKind, fields};
    let kinds = |sets: &[&str]| -> Vec<IssueKind> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let err = scenario::load_path("astana-2017", &sets).expect_err("invalid");
        err.issues().iter().map(|i| i.kind.clone()).collect()
    };
    assert_eq!(
        kinds(&["actors.GOV.capability=-1"]),
        [IssueKind::OutOfRange {
            range: fields::CAPABILITY.range(),
            found: -1.0,
            finite: true
        }]
    );
    assert!(matches!(
        &kinds(&["actors.IRN.role=\"gaurantor\""])[..],
        [IssueKind::UnknownWord { found, suggestion: Some(s), .. }] if found == "gaurantor" && s == "guarantor"
    ));
    assert!(matches!(
        &kinds(&["simulation.drafter=\"RSU\""])[..],
        [IssueKind::UnknownActor { suggestion: Some(s), .. }] if s == "RUS"
    ));
    assert!(matches!(
        &kinds(&["simulation.rounds=0"])[..],
        [IssueKind::IntegerOutOfRange { found: 0, .. }]
    ));
}
