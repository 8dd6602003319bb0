//! `batch --drawn`: runs.csv's extra columns are the `--set` paths of the scenario's distributions, each row holds
//! what `run --seed S+j` drew (its drawn.toml), the bytes do not depend on `--threads`, and without the flag (or
//! without distributions) runs.csv is as it was.
#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use ceasefire::export::ensemble::runs_header;
use ceasefire::scenario::fields::{FIELDS, Table};
use ceasefire::world::World;
use proptest::prelude::*;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").unwrap()
}

/// `batch SCENARIO --runs N --seed S --no-charts` with `extra` arguments, into `out`; its runs.csv as text.
fn batch(out: &Path, scenario: &str, first: u64, runs: u64, extra: &[&str]) -> String {
    ceasefire()
        .args([
            "batch",
            scenario,
            "--no-charts",
            "--runs",
            &runs.to_string(),
        ])
        .args(["--seed", &first.to_string()])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    let sc = ceasefire::scenario::load_path(scenario, &[]).unwrap();
    fs::read_to_string(
        out.join(&sc.meta.id)
            .join(format!("batch-{first}-{runs}"))
            .join("runs.csv"),
    )
    .unwrap()
}

/// The header and rows of runs.csv text.
fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

/// How many columns runs.csv has without `--drawn`.
fn plain_columns(scenario: &str) -> usize {
    runs_header(
        &ceasefire::scenario::load_path(scenario, &[]).unwrap(),
        None,
    )
    .len()
}

/// The value at a `--set` path `actors.<ID>.<key>…` of a scenario written as TOML.
fn at_path(doc: &toml::Table, path: &str) -> f64 {
    let mut segs = path.split('.');
    assert_eq!(segs.next(), Some("actors"), "{path}");
    let id = segs.next().unwrap();
    let actor = doc["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no actor {id} in drawn.toml"));
    let mut v = actor;
    for s in segs {
        v = v
            .get(s)
            .unwrap_or_else(|| panic!("drawn.toml has no {path}"));
    }
    v.as_float()
        .or_else(|| v.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{path} is {v} in drawn.toml, not a number"))
}

#[test]
fn drawn_columns_are_set_paths_and_setting_them_fixes_the_world() {
    let out = tempfile::tempdir().unwrap();
    let text = batch(out.path(), "astana-2017", 100, 3, &["--drawn"]);
    let (h, rows) = table(&text);
    let plain = plain_columns("astana-2017");
    let drawn = &h[plain..];
    assert!(
        drawn.len() > 50,
        "astana-2017 has many distributions: {h:?}"
    );
    assert!(drawn.contains(&"actors.GOV.capability".to_string()));
    assert!(drawn.contains(&"actors.GOV.ideal.scope".to_string()));
    assert!(drawn.contains(&"actors.GOV.concession.deadline".to_string()));
    let sc = support::astana(&[]);
    for (j, row) in rows.iter().enumerate() {
        // Each column on its own is a valid `--set`.
        for (path, value) in drawn.iter().zip(&row[plain..]) {
            let set = format!("{path}={value}");
            if let Err(e) =
                ceasefire::scenario::load_path("astana-2017", std::slice::from_ref(&set))
            {
                panic!("--set {set}: {e}");
            }
        }
        // All of them together fix every distribution, to the world the seed drew.
        let sets: Vec<String> = drawn
            .iter()
            .zip(&row[plain..])
            .map(|(p, v)| format!("{p}={v}"))
            .collect();
        let fixed = ceasefire::scenario::load_path("astana-2017", &sets).unwrap();
        let seed = 100 + j as u64;
        assert_eq!(World::draw(&fixed, seed).drawn(&fixed).count(), 0);
        assert_eq!(
            World::draw(&fixed, seed),
            World::draw(&sc, seed),
            "seed {seed}"
        );
        assert_eq!(
            ceasefire::ensemble::outcome(&fixed, seed),
            ceasefire::ensemble::outcome(&sc, seed),
            "seed {seed}"
        );
    }
}

#[test]
fn drawn_values_are_those_of_run_seed_s_plus_j_drawn_toml() {
    let out = tempfile::tempdir().unwrap();
    let text = batch(out.path(), "astana-2017", 40, 8, &["--drawn"]);
    let (h, rows) = table(&text);
    let plain = plain_columns("astana-2017");
    for j in [0usize, 3, 7] {
        let seed = 40 + j as u64;
        ceasefire()
            .args(["run", "--no-charts", "--seed", &seed.to_string(), "--out"])
            .arg(out.path())
            .assert()
            .success();
        let toml_text = fs::read_to_string(
            out.path()
                .join(format!("astana-2017/seed-{seed}/drawn.toml")),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&toml_text).unwrap();
        assert_eq!(rows[j][0], seed.to_string());
        for (path, cell) in h[plain..].iter().zip(&rows[j][plain..]) {
            let value: f64 = cell.parse().unwrap();
            assert_eq!(
                value.to_bits(),
                at_path(&doc, path).to_bits(),
                "seed {seed}, {path}"
            );
        }
    }
}

#[test]
fn drawn_runs_csv_is_the_same_bytes_for_1_and_2_threads() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let a = batch(
        one.path(),
        "hardline-spoiler",
        7,
        300,
        &["--drawn", "--threads", "1"],
    );
    let b = batch(
        two.path(),
        "hardline-spoiler",
        7,
        300,
        &["--drawn", "--threads", "2"],
    );
    assert!(a == b, "runs.csv differs between 1 and 2 threads");
}

#[test]
fn without_drawn_runs_csv_is_the_prefix_of_each_drawn_row() {
    let plain_out = tempfile::tempdir().unwrap();
    let drawn_out = tempfile::tempdir().unwrap();
    let plain = batch(plain_out.path(), "astana-2017", 9, 20, &[]);
    let drawn = batch(drawn_out.path(), "astana-2017", 9, 20, &["--drawn"]);
    let sc = support::astana(&[]);
    let (h, _) = table(&plain);
    assert_eq!(h, runs_header(&sc, None));
    assert_eq!(plain.lines().count(), drawn.lines().count());
    let n = plain_columns("astana-2017");
    for (p, d) in plain.lines().zip(drawn.lines()) {
        let cut = d.match_indices(',').nth(n - 1).unwrap().0;
        assert_eq!(p, &d[..cut]);
        assert!(d.len() > cut + 1);
    }
}

#[test]
fn drawn_on_a_scenario_without_distributions_adds_no_columns_and_says_so() {
    let plain_out = tempfile::tempdir().unwrap();
    let drawn_out = tempfile::tempdir().unwrap();
    let plain = batch(plain_out.path(), "two-party-textbook", 1, 10, &[]);
    let assert = ceasefire()
        .args(["batch", "two-party-textbook", "--no-charts", "--runs", "10"])
        .args(["--seed", "1", "--drawn", "--out"])
        .arg(drawn_out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("has no distributions") && stdout.contains("no drawn columns"),
        "{stdout}"
    );
    let drawn = fs::read_to_string(
        drawn_out
            .path()
            .join("two-party-textbook/batch-1-10/runs.csv"),
    )
    .unwrap();
    assert_eq!(plain, drawn);
}

#[test]
fn drawn_prints_how_many_columns_it_added() {
    let out = tempfile::tempdir().unwrap();
    let assert = ceasefire()
        .args(["batch", "--no-charts", "--runs", "2", "--drawn", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let sc = support::astana(&[]);
    let n = World::draw(&sc, 0).drawn(&sc).count();
    assert!(
        stdout.contains(&format!("runs.csv ends with {n} drawn columns")),
        "{stdout}"
    );
}

#[test]
fn chart_redraws_a_batch_folder_written_with_drawn() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["batch", "--runs", "20", "--seed", "3", "--drawn", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("astana-2017/batch-3-20");
    let before = fs::read(dir.join("charts/fan.svg")).unwrap();
    fs::remove_dir_all(dir.join("charts")).unwrap();
    ceasefire().arg("chart").arg(&dir).assert().success();
    assert_eq!(fs::read(dir.join("charts/fan.svg")).unwrap(), before);
    assert!(dir.join("charts/reached.png").is_file());
}

#[test]
fn drawn_help_documents_the_flag() {
    let assert = ceasefire().args(["batch", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(help.contains("--drawn"), "{help}");
    assert!(help.contains("distribution"), "{help}");
}

/// Every field that may be a distribution, made one for one actor of each role that may set it: the columns list
/// each once, under its registry key, in the registry's order (and each dimension of a per-dimension field in
/// dimension order); fixed fields never appear.
#[test]
fn drawn_lists_every_kind_of_field_in_registry_order() {
    let u = r#"{ dist = "uniform", low = 0.1, high = 0.2 }"#;
    let party = [
        "voice",
        "capability_drift",
        "salience.scope",
        "risk",
        "reservation",
        "concession.beta",
        "concession.kappa",
        "hurt.initial",
        "military_commitment",
        "commitment_risk",
        "discount",
        "violation.base",
        "violation.slope",
    ];
    let mut sets: Vec<String> = party
        .iter()
        .map(|f| format!("actors.GOV.{f}={u}"))
        .collect();
    sets.push(format!("actors.RUS.guarantee_commitment={u}"));
    sets.push(format!("actors.USA.guarantee_commitment={u}"));
    sets.push(format!("actors.HTS.spoiler.base={u}"));
    sets.push(format!("actors.HTS.spoiler.progress={u}"));
    let sc = ceasefire::scenario::load_path("astana-2017", &sets).unwrap();
    let world = World::draw(&sc, 5);
    let paths: Vec<String> = world.drawn(&sc).map(|(p, _)| p.to_string()).collect();
    for s in &sets {
        let path = s.split_once('=').unwrap().0;
        assert_eq!(
            paths.iter().filter(|p| *p == path).count(),
            1,
            "{path} in {paths:?}"
        );
    }
    // Fixed in the scenario: never listed.
    let astana = support::astana(&[]);
    let astana_world = World::draw(&astana, 5);
    for fixed in ["actors.GOV.concession.beta", "actors.HTS.reservation"] {
        let listed = astana_world
            .drawn(&astana)
            .any(|(p, _)| p.to_string() == fixed);
        assert!(!listed, "{fixed}");
    }
    assert!(!paths.iter().any(|p| p.starts_with("actors.KAZ.")));
    // Within each actor, the registry's order; actors in file order.
    let rank = |key: &str| {
        FIELDS
            .iter()
            .filter(|f| f.table == Table::Actors)
            .position(|f| f.key == key)
            .unwrap_or_else(|| panic!("{key} is no actor field"))
    };
    let actor_rank = |id: &str| sc.actor_index(id).unwrap();
    let keys: Vec<(usize, usize, usize)> = world
        .drawn(&sc)
        .map(|(p, _)| {
            (
                actor_rank(p.actor),
                rank(p.field),
                p.dimension.map_or(0, |d| sc.dimension_index(d).unwrap()),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{paths:?}");
    // Each value is in its field's range: the clamped draw.
    for (p, v) in world.drawn(&sc) {
        let field = FIELDS
            .iter()
            .find(|f| f.table == Table::Actors && f.key == p.field)
            .unwrap();
        assert!(field.range().contains(v), "{p} = {v}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any seed, the drawn values set with `--set` fix the scenario to the very world the seed drew.
    #[test]
    fn setting_the_drawn_values_gives_the_seeds_world(seed in any::<u64>()) {
        let sc = support::astana(&[]);
        let world = World::draw(&sc, seed);
        let sets: Vec<String> = world.drawn(&sc).map(|(p, v)| format!("{p}={v}")).collect();
        prop_assert!(!sets.is_empty());
        let fixed = ceasefire::scenario::load_path("astana-2017", &sets).unwrap();
        prop_assert_eq!(World::draw(&fixed, seed), world);
    }
}
