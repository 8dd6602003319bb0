//! Ensembles and comparisons: run j of a batch is `run --seed S+j`, results do not depend on the number of threads,
//! bands are ordered and intervals contain their estimates, and a counterfactual with intervals takes one command.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").unwrap()
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

fn col(h: &[String], name: &str) -> usize {
    h.iter()
        .position(|x| x == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn batch_run_j_is_run_with_seed_s_plus_j() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "batch",
            "--runs",
            "12",
            "--seed",
            "40",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let (h, rows) = csv_rows(&out.path().join("astana-2017/batch-40-12/runs.csv"));
    assert_eq!(rows.len(), 12);
    for j in [0usize, 5, 11] {
        let seed = 40 + j as u64;
        ceasefire()
            .args(["run", "--no-charts", "--seed", &seed.to_string(), "--out"])
            .arg(out.path())
            .assert()
            .success();
        let summary: serde_json::Value = serde_json::from_slice(
            &fs::read(
                out.path()
                    .join(format!("astana-2017/seed-{seed}/summary.json")),
            )
            .unwrap(),
        )
        .unwrap();
        let row = &rows[j];
        assert_eq!(row[col(&h, "seed")], seed.to_string());
        let expected = summary["ceasefire_round"]
            .as_u64()
            .map_or(String::new(), |r| r.to_string());
        assert_eq!(row[col(&h, "ceasefire_round")], expected, "seed {seed}");
        let fa: f64 = row[col(&h, "final_agreement")].parse().unwrap();
        assert_eq!(
            fa,
            summary["final_agreement"].as_f64().unwrap(),
            "seed {seed}"
        );
        let text: f64 = row[col(&h, "text_scope")].parse().unwrap();
        assert_eq!(text, summary["final_text"]["scope"].as_f64().unwrap());
    }
}

#[test]
fn batch_results_are_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for threads in ["1", "2", "5"] {
        ceasefire()
            .args([
                "batch",
                "--runs",
                "5000",
                "--seed",
                "7",
                "--no-charts",
                "--threads",
                threads,
                "--out",
            ])
            .arg(dir.path().join(threads))
            .assert()
            .success();
    }
    for f in ["runs.csv", "bands.csv", "summary.json"] {
        let one = fs::read(dir.path().join("1/astana-2017/batch-7-5000").join(f)).unwrap();
        for t in ["2", "5"] {
            assert_eq!(
                one,
                fs::read(dir.path().join(t).join("astana-2017/batch-7-5000").join(f)).unwrap(),
                "{f} with {t} threads"
            );
        }
    }
}

#[test]
fn bands_are_ordered_and_intervals_contain_their_estimates() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["batch", "--runs", "300", "--seed", "1", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("astana-2017/batch-1-300");
    let (h, rows) = csv_rows(&dir.join("bands.csv"));
    assert_eq!(rows.len(), 50);
    let f = |row: &Vec<String>, name: &str| row[col(&h, name)].parse::<f64>().unwrap();
    let mut last_reached = 0.0;
    for row in &rows {
        let q: Vec<f64> = ["p05", "p25", "p50", "p75", "p95"]
            .iter()
            .map(|p| f(row, &format!("agreement_{p}")))
            .collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
        for (p, lo, hi) in [
            ("p_reached", "p_reached_lo", "p_reached_hi"),
            ("p_in_force", "p_in_force_lo", "p_in_force_hi"),
        ] {
            assert!(
                f(row, lo) <= f(row, p) && f(row, p) <= f(row, hi),
                "{p} at round {}",
                row[0]
            );
            assert!(f(row, lo) >= 0.0 && f(row, hi) <= 1.0);
        }
        assert!(
            f(row, "p_reached") >= last_reached,
            "P(reached by t) never falls"
        );
        last_reached = f(row, "p_reached");
        assert!(f(row, "p_in_force") <= f(row, "p_reached") + 1e-12);
    }
    // The baseline stays uncertain enough to teach with.
    assert!(
        last_reached > 0.5 && last_reached < 0.95,
        "P(reached) = {last_reached}"
    );
    for c in ["fan", "reached", "ceasefire-round"] {
        assert!(
            dir.join(format!("charts/{c}.png")).is_file()
                && dir.join(format!("charts/{c}.svg")).is_file(),
            "{c}"
        );
    }
    // `chart` redraws a batch folder identically.
    let before = fs::read(dir.join("charts/fan.png")).unwrap();
    fs::remove_dir_all(dir.join("charts")).unwrap();
    ceasefire().arg("chart").arg(&dir).assert().success();
    assert_eq!(fs::read(dir.join("charts/fan.png")).unwrap(), before);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["runs"], 300);
    assert!(
        summary["results"]["p_reached_lo"].as_f64().unwrap()
            <= summary["results"]["p_reached"].as_f64().unwrap()
    );
}

#[test]
fn a_counterfactual_with_intervals_in_one_command() {
    let out = tempfile::tempdir().unwrap();
    let assert = ceasefire()
        .args([
            "compare",
            "astana-2017",
            "--vary",
            "actors.IRN.role=\"observer\"",
            "--runs",
            "400",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("Paired differences"), "{stdout}");
    assert!(stdout.contains("95 % CI"));
    let folder = fs::read_dir(out.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(
        folder.file_name().unwrap().to_string_lossy()
            == "compare-astana-2017--actors-irn-role-observer"
    );
    let (h, rows) = csv_rows(&folder.join("compare.csv"));
    assert_eq!(rows.len(), 2);
    let f = |name: &str| rows[1][col(&h, name)].parse::<f64>().unwrap();
    let (d, lo, hi) = (
        f("delta_p_reached"),
        f("delta_p_reached_lo"),
        f("delta_p_reached_hi"),
    );
    assert!(lo <= d && d <= hi, "{lo} {d} {hi}");
    assert!(
        (d - (f("p_reached") - rows[0][col(&h, "p_reached")].parse::<f64>().unwrap())).abs()
            < 1e-12
    );
    assert!(
        folder.join("bands-astana-2017.csv").is_file()
            && folder.join("bands-actors-irn-role-observer.csv").is_file()
    );
    assert!(folder.join("compare.md").is_file());
}

#[test]
fn comparing_a_scenario_with_itself_shows_no_difference() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "compare",
            "astana-2017",
            "scenarios/astana-2017.toml",
            "--runs",
            "200",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("compare-astana-2017-astana-2017");
    let (h, rows) = csv_rows(&folder.join("compare.csv"));
    assert_eq!(rows[1][col(&h, "delta_p_reached")], "0");
    assert_eq!(rows[1][col(&h, "delta_mean_final_agreement")], "0");
}

#[test]
fn compare_seeds_side_by_side() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["compare", "astana-2017", "--seeds", "1,2,3", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("compare-astana-2017-seeds-1-2-3");
    let (_, rows) = csv_rows(&folder.join("compare.csv"));
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert!(folder.join("charts/compare-seeds.png").is_file());
}

#[test]
fn absurd_ensembles_are_refused() {
    ceasefire()
        .args(["batch", "--runs", "1000000000"])
        .assert()
        .code(2);
    ceasefire().args(["batch", "--runs", "0"]).assert().code(2);
    ceasefire()
        .args(["batch", "--runs", "2", "--rounds", "20000"])
        .assert()
        .code(2);
    ceasefire()
        .args(["compare", "astana-2017", "--runs", "10"])
        .assert()
        .code(2);
}
