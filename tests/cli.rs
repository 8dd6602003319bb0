//! The command line as a user meets it: the README's commands, determinism across processes, exit codes.
#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").expect("binary")
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const FILES: [&str; 5] = [
    "rounds.csv",
    "actors.csv",
    "events.csv",
    "drawn.toml",
    "summary.json",
];

#[test]
fn run_writes_the_five_files_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    let assert = ceasefire()
        .args(["run", "--no-charts", "--seed", "3", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("Astana talks, 2017 — seed 3"), "{stdout}");
    assert!(stdout.contains("teaching defaults, not a forecast"));
    assert!(stdout.contains("Final text: scope"));
    let dir = out.path().join("astana-2017/seed-3");
    for f in FILES {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let rounds = String::from_utf8(read(&dir, "rounds.csv")).unwrap();
    assert_eq!(rounds.lines().count(), 51);
    assert!(
        rounds
            .lines()
            .next()
            .unwrap()
            .contains("agreement,agreement_deescalation")
    );
    assert!(rounds.lines().next().unwrap().contains("text_scope"));
    let actors = String::from_utf8(read(&dir, "actors.csv")).unwrap();
    assert_eq!(actors.lines().count(), 1 + 50 * 10);
    let summary: serde_json::Value = serde_json::from_slice(&read(&dir, "summary.json")).unwrap();
    assert_eq!(summary["scenario"], "astana-2017");
    assert_eq!(summary["seed"], 3);
    assert!(summary.get("ceasefire_round").is_some());
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    for (dir, seed) in [(&a, "11"), (&b, "11"), (&c, "12")] {
        ceasefire()
            .args(["run", "--no-charts", "--seed", seed, "--out"])
            .arg(dir.path())
            .assert()
            .success();
    }
    for f in FILES {
        assert_eq!(
            read(&a.path().join("astana-2017/seed-11"), f),
            read(&b.path().join("astana-2017/seed-11"), f),
            "{f}"
        );
    }
    for f in ["rounds.csv", "actors.csv", "drawn.toml"] {
        assert_ne!(
            read(&a.path().join("astana-2017/seed-11"), f),
            read(&c.path().join("astana-2017/seed-12"), f),
            "{f}"
        );
    }
}

#[test]
fn drawn_toml_reruns_to_the_same_tables() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["run", "--no-charts", "--seed", "5", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("astana-2017/seed-5");
    let again = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["run", "--no-charts", "--seed", "5", "--out"])
        .arg(again.path())
        .arg(dir.join("drawn.toml"))
        .assert()
        .success();
    let dir2 = again.path().join("astana-2017/seed-5");
    for f in ["rounds.csv", "actors.csv", "events.csv"] {
        assert_eq!(read(&dir, f), read(&dir2, f), "{f}");
    }
}

#[test]
fn rounds_and_set_are_applied_and_recorded() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "run",
            "--no-charts",
            "--rounds",
            "12",
            "--set",
            "actors.IRN.capability=0.4",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    // A variant: its own folder, named by a hash of its overrides.
    let folders: Vec<String> = fs::read_dir(out.path().join("astana-2017"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(folders[0].starts_with("seed-20170504--"), "{folders:?}");
    let dir = out.path().join("astana-2017").join(&folders[0]);
    let rounds = String::from_utf8(read(&dir, "rounds.csv")).unwrap();
    assert_eq!(rounds.lines().count(), 13);
    let summary: serde_json::Value = serde_json::from_slice(&read(&dir, "summary.json")).unwrap();
    let overrides = summary["overrides"].as_array().unwrap();
    assert!(overrides.iter().any(|o| o == "actors.IRN.capability=0.4"));
    assert!(overrides.iter().any(|o| o == "simulation.rounds=12"));
    let drawn = String::from_utf8(read(&dir, "drawn.toml")).unwrap();
    assert!(
        drawn.contains("capability = 0.4"),
        "the override reaches drawn.toml"
    );
}

#[test]
fn validate_accepts_the_bundled_scenario_by_name_and_by_path() {
    let assert = ceasefire()
        .args(["validate", "astana-2017"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&assert.get_output().stdout).contains("valid (10 actors"));
    ceasefire()
        .args(["validate", "scenarios/astana-2017.toml"])
        .assert()
        .success();
}

#[test]
fn a_broken_scenario_exits_2_with_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = support::astana_text().replace(
        "capability = { dist = \"normal\", mean = 0.35, sd = 0.05 }",
        "capability = -0.35",
    );
    fs::write(&bad, text).unwrap();
    let out = dir.path().join("out");
    let assert = ceasefire()
        .args(["run", "--no-charts", "--out"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("bad.toml:"), "{stderr}");
    assert!(
        stderr.contains("actors.OPP.capability: expected a number in [0, 1000000], found -0.35"),
        "{stderr}"
    );
    let line = support::astana_text()
        .lines()
        .position(|l| l.contains("capability = { dist = \"normal\", mean = 0.35"))
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!(":{line}:14:")), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn usage_errors_exit_2_and_write_failures_exit_1() {
    ceasefire()
        .args(["run", "no-such-scenario"])
        .assert()
        .code(2);
    ceasefire().args(["run", "--seed", "x"]).assert().code(2);
    ceasefire()
        .args(["run", "--set", "actors.NOPE.capability=1"])
        .assert()
        .code(2);
    ceasefire().args(["validate", "."]).assert().code(2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("occupied");
    fs::write(&file, "not a folder").unwrap();
    let assert = ceasefire()
        .args(["run", "--no-charts", "--out"])
        .arg(&file)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("occupied"), "{stderr}");
}
