//! Experiment files and `ceasefire sweep`: what a file may say, how a bad one is reported, and that every design
//! point is exactly the ensemble `batch` would run with the factors set.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use ceasefire::app::sweep::{SweepOptions, factorial, sweep};
use ceasefire::ensemble::{Bands, sweep as ensemble_sweep};
use ceasefire::experiment::{self, Output, evaluate};
use proptest::prelude::*;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").expect("binary")
}

fn exp(text: &str) -> Result<experiment::Experiment, String> {
    experiment::load_source("exp.toml", text, Path::new(".")).map_err(|e| e.to_string())
}

fn error_of(text: &str) -> String {
    match exp(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

const GOV: &str = r#"
scenario = "astana-2017"
seeds = 40
[[factor]]
path = "actors.GOV.commitment_risk"
low = 0.15
high = 0.25
steps = 3
"#;

#[test]
fn a_sweep_point_is_the_batch_of_the_scenario_with_its_factors_set() {
    let e = exp(GOV).unwrap();
    let points = factorial(&e);
    assert_eq!(points.len(), 3);
    let stats = evaluate(&e, &points, 2, &|_, _| {}).unwrap();
    for (p, s) in points.iter().zip(&stats) {
        let value = experiment::value_text(&p[0]);
        let sc = ceasefire::scenario::load_path(
            "astana-2017",
            &[format!("actors.GOV.commitment_risk={value}")],
        )
        .unwrap();
        let mut bands = Bands::new(sc.simulation.rounds as usize);
        ensemble_sweep(std::slice::from_ref(&sc), e.first_seed, e.seeds, 1, |o| {
            bands.add(&o[0]);
            Ok(())
        })
        .unwrap();
        assert_eq!(s.runs, 40);
        assert_eq!(
            s.estimate(Output::PReached),
            bands.p_reached_ci(),
            "{value}"
        );
        assert_eq!(s.estimate(Output::PInForce), bands.p_in_force_at_end());
        assert_eq!(
            s.value(Output::MeanFinalAgreement).to_bits(),
            bands.mean_final_agreement().to_bits()
        );
        assert_eq!(s.value(Output::MeanCollapses), bands.mean_collapses());
        assert_eq!(
            Some(s.value(Output::MedianRound) as u32),
            bands.median_ceasefire_round()
        );
    }
    // The lesson's direction: a riskier government reaches a ceasefire less often.
    assert!(stats[0].value(Output::PReached) > stats[2].value(Output::PReached));
}

#[test]
fn the_factorial_varies_the_first_factor_slowest_and_counts_every_combination() {
    let e = exp(&format!(
        "{GOV}\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", \"observer\"]\n"
    ))
    .unwrap();
    let points = factorial(&e);
    let cells: Vec<String> = points
        .iter()
        .map(|p| {
            p.iter()
                .map(experiment::value_cell)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        cells,
        [
            "0.15 guarantor",
            "0.15 observer",
            "0.2 guarantor",
            "0.2 observer",
            "0.25 guarantor",
            "0.25 observer"
        ]
    );
}

#[test]
fn ranges_of_integers_stay_integers_and_distribution_parameters_can_be_factors() {
    let e = exp(r#"
scenario = "astana-2017"
seeds = 5
[[factor]]
path = "simulation.rounds"
low = 30
high = 60
steps = 4
[[factor]]
path = "actors.GOV.capability.mean"
low = 0.8
high = 1.2
steps = 2
"#)
    .unwrap();
    let rounds: Vec<String> = e.factors[0]
        .sweep_values()
        .iter()
        .map(experiment::value_text)
        .collect();
    assert_eq!(rounds, ["30", "40", "50", "60"]);
    assert_eq!(
        experiment::value_text(&e.factors[0].at_unit(0.49)),
        "45",
        "an integer field takes the rounded value"
    );
    let stats = evaluate(&e, &factorial(&e), 0, &|_, _| {}).unwrap();
    assert_eq!(stats.len(), 8);
    assert!(stats.iter().all(|s| s.runs == 5));
}

#[test]
fn levels_are_picked_by_the_unit_coordinate() {
    let e = exp(r#"
scenario = "astana-2017"
seeds = 1
[[factor]]
path = "actors.GOV.commitment_risk"
levels = [0.1, 0.2, 0.3]
"#)
    .unwrap();
    let f = &e.factors[0];
    let at = |u: f64| experiment::value_cell(&f.at_unit(u));
    assert_eq!(
        [at(0.0), at(0.34), at(0.67), at(1.0)],
        ["0.1", "0.2", "0.3", "0.3"]
    );
    assert_eq!(f.bounds(), (0.0, 3.0));
}

#[test]
fn bad_experiment_files_name_the_place_the_path_and_a_likely_fix() {
    let cases: &[(&str, &[&str])] = &[
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.comitment_risk\"\nlow = 0.1\nhigh = 0.3\n",
            &[
                "exp.toml:4:8",
                "factor[0].path",
                "did you mean `commitment_risk`?",
            ],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GVO.commitment_risk\"\nlow = 0.1\nhigh = 0.3\n",
            &["exp.toml:4:8", "did you mean `GOV`?"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlow = 0.3\nhigh = 0.1\n",
            &["exp.toml:6:8", "`high` (0.1) must be above `low` (0.3)"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlow = 0.1\nhigh = 2\n",
            &["exp.toml:6:8", "factor[0].high", "cannot be 2", "[0, 1]"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", 3]\n",
            &["exp.toml:5:24", "factor[0].levels[1]", "cannot be 3"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\noutputs = [\"p_reachd\"]\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &[
                "exp.toml:3:12",
                "unknown output `p_reachd` (did you mean `p_reached`?)",
            ],
        ),
        (
            "scenario = \"astana-2017\"\nsedes = 10\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &[
                "exp.toml:2:1",
                "unknown key `sedes` (did you mean `seeds`?)",
                "`seeds` is missing",
            ],
        ),
        (
            "scenario = \"astana-2071\"\nseeds = 10\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &["exp.toml:1:12", "did you mean `astana-2017`?"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[sobol]\nsamples = 300\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &["exp.toml:4:11", "not a power of two", "try 256 or 512"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\nsteps = 3\n",
            &["exp.toml:6:9", "listed levels are the steps"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 0\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &[
                "exp.toml:2:9",
                "expected a whole number in 1..=1000000, found 0",
            ],
        ),
        ("scenario = \"astana-2017\"\nseeds = 10\n", &["no factor"]),
        ("seeds = [", &["exp.toml:1:", "TOML syntax error"]),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", \"obsrever\", 3]\n",
            &["2 problems", "factor[0].levels[1]", "factor[0].levels[2]"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.capability.meen\"\nlow = 0.6\nhigh = 0.8\n",
            &["exp.toml:4:8", "factor[0].path", "unknown key `meen`"],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.commitment_risk.mean\"\nlow = 0.1\nhigh = 0.3\n",
            &[
                "factor[0].path",
                "`actors.GOV.commitment_risk` is not a table",
                "set `actors.GOV.commitment_risk` itself",
            ],
        ),
        (
            "scenario = \"astana-2017\"\nseeds = 10\noutputs = [\"median_week\"]\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
            &["did you mean `median_round`?"],
        ),
        (
            "schema_version = 1\n[meta]\nid = \"x\"\n[[actors]]\nid = \"A\"\n",
            &["1 problem", "this is a scenario file, not an experiment"],
        ),
    ];
    for (text, wanted) in cases {
        let e = error_of(text);
        assert!(e.starts_with("experiment `exp.toml` is invalid"), "{e}");
        for w in *wanted {
            assert!(e.contains(w), "missing {w:?} in:\n{e}");
        }
    }
}

#[test]
fn a_relative_scenario_path_is_read_beside_the_experiment() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(
        dir.path().join("sub/mine.toml"),
        ceasefire::scenario::bundled::exact("astana-2017").unwrap(),
    )
    .unwrap();
    let file = dir.path().join("sub/exp.toml");
    fs::write(
        &file,
        "scenario = \"mine.toml\"\nseeds = 3\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
    )
    .unwrap();
    let e = experiment::load(file.to_str().unwrap()).unwrap();
    assert_eq!(e.base.meta.id, "astana-2017");
    let missing = dir.path().join("exp.toml");
    fs::write(
        &missing,
        "scenario = \"nowhere/mine.toml\"\nseeds = 3\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"observer\"]\n",
    )
    .unwrap();
    let err = experiment::load(missing.to_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("beside the experiment file") && err.contains(":1:12"),
        "{err}"
    );
}

#[test]
fn the_cli_refuses_a_bad_experiment_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    fs::write(
        &file,
        "scenario = \"astana-2017\"\nseeds = 10\n[[factor]]\npath = \"actors.GOV.comitment_risk\"\nlow = 0.1\nhigh = 0.3\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let assert = ceasefire()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.toml:4:8") && stderr.contains("commitment_risk"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_design_too_large_is_refused_naming_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.toml");
    fs::write(
        &file,
        "scenario = \"astana-2017\"\nseeds = 1000000\n[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlow = 0.1\nhigh = 0.3\nsteps = 1000\n",
    )
    .unwrap();
    let err = sweep(
        &SweepOptions {
            experiment: file.to_string_lossy().into_owned(),
            threads: 1,
            shard: None,
            output: ceasefire::app::Output {
                out: dir.path().join("out"),
                charts: false,
                size: (1600, 900),
            },
        },
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("1000 design points × 1000000 seeds = 1000000000 runs")
            && err.contains("100000000 runs"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn sweep_files_are_identical_for_any_number_of_threads_and_charts_are_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gov.toml");
    fs::write(
        &file,
        format!("{GOV}\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", \"observer\"]\n"),
    )
    .unwrap();
    let run = |threads: usize, out: &str| {
        sweep(
            &SweepOptions {
                experiment: file.to_string_lossy().into_owned(),
                threads,
                shard: None,
                output: ceasefire::app::Output {
                    out: dir.path().join(out),
                    charts: threads == 1,
                    size: (800, 450),
                },
            },
            &|_, _| {},
        )
        .unwrap()
    };
    let one = run(1, "one");
    let two = run(2, "two");
    for f in ["sweep.csv", "summary.json", "experiment.toml"] {
        assert_eq!(
            fs::read(one.folder.join(f)).unwrap(),
            fs::read(two.folder.join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(one.folder.ends_with("astana-2017/sweep--gov"));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(one.folder.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        summary["factors"][0]["as_written"], "0.2",
        "the scenario's own value"
    );
    assert_eq!(summary["factors"][1]["as_written"], "guarantor");
    let csv = fs::read_to_string(one.folder.join("sweep.csv")).unwrap();
    assert!(csv.starts_with(
        "point,actors.GOV.commitment_risk,actors.IRN.role,p_reached,p_reached_lo,p_reached_hi,median_round,"
    ));
    assert_eq!(csv.lines().count(), 7);
    for o in [
        "p_reached",
        "median_round",
        "p_in_force",
        "mean_final_agreement",
    ] {
        let png = one.folder.join(format!("charts/heatmap-{o}.png"));
        assert!(
            fs::metadata(&png).unwrap().len() > 1000,
            "{}",
            png.display()
        );
    }
    assert!(
        one.text.contains("0.15") && one.text.contains("observer"),
        "{}",
        one.text
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Every interval holds its estimate, and a probability's stays in [0, 1], whatever the factor's value.
    #[test]
    fn every_interval_holds_its_estimate(risk in 0.0f64..0.4, seeds in 1u64..30) {
        let text = format!(
            "scenario = \"astana-2017\"\nseeds = {seeds}\n[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlevels = [{risk:?}]\n"
        );
        let e = exp(&text).unwrap();
        let stats = evaluate(&e, &factorial(&e), 1, &|_, _| {}).unwrap();
        for o in Output::ALL {
            let (v, lo, hi) = stats[0].estimate(o);
            if v.is_finite() {
                prop_assert!(lo <= v + 1e-12 && v <= hi + 1e-12, "{o:?}: {lo} {v} {hi}");
                if o.is_probability() {
                    prop_assert!((0.0..=1.0).contains(&lo) && hi <= 1.0);
                }
            } else {
                prop_assert_eq!(o, Output::MedianRound);
                prop_assert_eq!(stats[0].reached, 0);
            }
        }
    }
}

#[test]
fn a_scenario_factor_runs_each_point_in_its_levels_scenario_and_checks_the_others_against_each() {
    let e = exp(r#"
scenario = "astana-2017"
seeds = 25
outputs = ["p_reached"]
[[factor]]
path = "actors.GOV.commitment_risk"
levels = [0.18]
[[factor]]
path = "scenario"
levels = ["astana-2017", "no-iran-guarantor"]
"#)
    .unwrap();
    let points = factorial(&e);
    let stats = evaluate(&e, &points, 0, &|_, _| {}).unwrap();
    for (p, s) in points.iter().zip(&stats) {
        let name = experiment::value_cell(&p[1]);
        let sc = ceasefire::scenario::load_path(&name, &["actors.GOV.commitment_risk=0.18".into()])
            .unwrap();
        let mut bands = Bands::new(sc.simulation.rounds as usize);
        ensemble_sweep(std::slice::from_ref(&sc), e.first_seed, e.seeds, 1, |o| {
            bands.add(&o[0]);
            Ok(())
        })
        .unwrap();
        assert_eq!(s.estimate(Output::PReached), bands.p_reached_ci(), "{name}");
    }
    assert_ne!(stats[0], stats[1], "the two scenarios differ");
    // no-iran-guarantor's trust table does not list Iran: the path is refused there, and the message says where.
    let err = error_of(
        r#"
scenario = "astana-2017"
seeds = 5
[[factor]]
path = "scenario"
levels = ["astana-2017", "no-iran-guarantor"]
[[factor]]
path = "trust.OPP.IRN.value"
low = -0.6
high = 0.0
"#,
    );
    assert!(
        err.contains("factor[1].path") && err.contains("in scenario `no-iran-guarantor (bundled)`"),
        "{err}"
    );
    let err = error_of(
        "scenario = \"astana-2017\"\nseeds = 5\n[[factor]]\npath = \"scenario\"\nlevels = [\"astana-2017\", \"nope\"]\n",
    );
    assert!(
        err.contains("factor[0].levels[1]") && err.contains("no bundled scenario"),
        "{err}"
    );
}

#[test]
fn an_interrupted_sweep_leaves_the_previous_results_untouched_and_nothing_hidden() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.toml");
    fs::write(
        &file,
        "scenario = \"astana-2017\"\nseeds = 1000000\n[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlow = 0.1\nhigh = 0.3\nsteps = 50\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let target = out.join("astana-2017/sweep--long");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("sweep.csv"), "previous results\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ceasefire"))
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Interrupt once the sweep is under way: its hidden staging folder exists.
    let parent = target.parent().unwrap().to_path_buf();
    let prefix = format!(".sweep--long.tmp-{}-", child.id());
    let started = Instant::now();
    while !fs::read_dir(&parent).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(&prefix)
    }) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep ended before it started writing"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging folder after 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the sweep ignored SIGINT (a background job that ignores it?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130), "128 + SIGINT");
    assert_eq!(
        fs::read_to_string(target.join("sweep.csv")).unwrap(),
        "previous results\n"
    );
    let names: Vec<String> = fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["sweep--long"], "nothing hidden is left beside it");
}

#[test]
fn sensitivity_files_are_identical_for_any_number_of_threads() {
    use ceasefire::app::sensitivity::{Method, SensitivityOptions, sensitivity};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    fs::write(
        &file,
        format!("{GOV}\n[sobol]\nsamples = 8\n[morris]\ntrajectories = 4\n[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", \"observer\"]\n"),
    )
    .unwrap();
    for method in [Method::Sobol, Method::Morris] {
        let run = |threads: usize, out: &str| {
            sensitivity(
                &SensitivityOptions {
                    experiment: file.to_string_lossy().into_owned(),
                    method,
                    samples: None,
                    threads,
                    shard: None,
                    output: ceasefire::app::Output {
                        out: dir.path().join(out),
                        charts: threads == 1,
                        size: (800, 450),
                    },
                },
                &|_, _| {},
            )
            .unwrap()
        };
        let one = run(1, "one");
        let two = run(2, "two");
        for f in [
            "problem.json",
            "samples.csv",
            "outputs.csv",
            "indices.csv",
            "summary.json",
        ] {
            assert_eq!(
                fs::read(one.folder.join(f)).unwrap(),
                fs::read(two.folder.join(f)).unwrap(),
                "{method:?} {f}"
            );
        }
        // Sobol: N (D + 2) rows with D = 2 factors and the dummy; Morris: r (D + 1).
        let rows = fs::read_to_string(one.folder.join("samples.csv"))
            .unwrap()
            .lines()
            .count()
            - 1;
        assert_eq!(
            rows,
            if method == Method::Sobol {
                8 * 5
            } else {
                4 * 4
            }
        );
        assert!(one.text.contains("noise floor"), "{}", one.text);
        let chart = if method == Method::Sobol {
            "tornado"
        } else {
            "morris"
        };
        assert!(
            one.folder
                .join(format!("charts/{chart}-p_reached.png"))
                .is_file()
        );
        let problem: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(one.folder.join("problem.json")).unwrap())
                .unwrap();
        assert_eq!(problem["names"][2], "dummy");
        assert_eq!(
            problem["bounds"][1],
            serde_json::json!([0.0, 2.0]),
            "two levels on [0, 2]"
        );
    }
}

#[test]
fn the_experiment_schema_lists_every_key_the_bundled_experiments_use() {
    let out = ceasefire()
        .args(["schema", "--experiment"])
        .assert()
        .success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let top = schema["properties"].as_object().unwrap();
    let factor = schema["properties"]["factor"]["items"]["properties"]
        .as_object()
        .unwrap();
    for entry in fs::read_dir("experiments").unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        experiment::load(path.to_str().unwrap()).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        for (k, v) in &doc {
            assert!(
                top.contains_key(k),
                "{}: `{k}` is not in the schema",
                path.display()
            );
            if k == "factor" {
                for f in v.as_array().unwrap() {
                    for key in f.as_table().unwrap().keys() {
                        assert!(
                            factor.contains_key(key),
                            "factor key `{key}` is not in the schema"
                        );
                    }
                }
            }
        }
    }
}

mod support;

/// The committed experiments' charts, on a small design, at the projector sizes: no text is cut short ("…").
#[test]
fn experiment_charts_cut_no_text_short_at_projector_sizes() {
    use ceasefire::app::sensitivity::{Method, SensitivityOptions, sensitivity};
    let dir = tempfile::tempdir().unwrap();
    let small = |name: &str| {
        let text = fs::read_to_string(format!("experiments/{name}.toml"))
            .unwrap()
            .replace("seeds = 200", "seeds = 4")
            .replace("seeds = 1000", "seeds = 4")
            .replace("samples = 256", "samples = 8")
            .replace("trajectories = 40", "trajectories = 4");
        let file = dir.path().join(format!("{name}.toml"));
        fs::write(&file, text).unwrap();
        file.to_string_lossy().into_owned()
    };
    for size in [(1600, 900), (1280, 720)] {
        let output = |sub: &str| ceasefire::app::Output {
            out: dir.path().join(format!("{}x{}-{sub}", size.0, size.1)),
            charts: true,
            size,
        };
        let mut folders = Vec::new();
        for method in [Method::Sobol, Method::Morris] {
            folders.push(
                sensitivity(
                    &SensitivityOptions {
                        experiment: small("astana-baseline"),
                        method,
                        samples: None,
                        threads: 0,
                        shard: None,
                        output: output(method.name()),
                    },
                    &|_, _| {},
                )
                .unwrap()
                .folder,
            );
        }
        for name in ["lessons-by-commitment-risk", "baseline-commitment-risk"] {
            folders.push(
                sweep(
                    &SweepOptions {
                        experiment: small(name),
                        threads: 0,
                        shard: None,
                        output: output(name),
                    },
                    &|_, _| {},
                )
                .unwrap()
                .folder,
            );
        }
        let mut seen = 0;
        for folder in folders {
            for entry in fs::read_dir(folder.join("charts")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "svg") {
                    seen += 1;
                    let svg = fs::read_to_string(&path).unwrap();
                    for t in support::svg_texts(&svg) {
                        assert!(!t.contains('…'), "{} at {size:?}: {t:?}", path.display());
                    }
                }
            }
        }
        assert!(seen >= 10, "{seen} charts");
    }
}
