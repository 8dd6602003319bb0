//! Change one thing, keep both: a variant never replaces the scenario as written, its label names its folder, its
//! legends and its tables, and every output says what was changed.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").expect("binary")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&text(path)).unwrap()
}

#[test]
fn a_set_run_beside_a_plain_run_leaves_two_folders() {
    let out = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        ceasefire()
            .args(["run", "--no-charts", "--out"])
            .arg(out.path())
            .args(extra)
            .assert()
            .success();
    };
    run(&["--set", "actors.IRN.role=observer"]);
    run(&[]);
    run(&[
        "--set",
        "actors.IRN.role=observer",
        "--label",
        "Iran as observer",
    ]);
    let folders = names_in(&out.path().join("astana-2017"));
    assert_eq!(folders.len(), 3, "{folders:?}");
    assert_eq!(folders[0], "seed-20170504");
    assert!(folders.contains(&"seed-20170504--iran-as-observer".to_string()));
    let hashed = folders
        .iter()
        .find(|f| {
            f.starts_with("seed-20170504--variant-")
                && f.len() == "seed-20170504--variant-".len() + 8
        })
        .unwrap();
    let dir = |name: &str| out.path().join("astana-2017").join(name);

    let plain = json(&dir("seed-20170504").join("summary.json"));
    assert_eq!(plain["overrides"], serde_json::json!([]));
    assert!(plain["label"].is_null());
    let unnamed = json(&dir(hashed).join("summary.json"));
    assert_eq!(
        unnamed["overrides"],
        serde_json::json!(["actors.IRN.role=observer"])
    );
    let named = json(&dir("seed-20170504--iran-as-observer").join("summary.json"));
    assert_eq!(named["label"], "Iran as observer");
    assert_ne!(plain["ceasefire_round"], serde_json::Value::Null);

    // drawn.toml says what was changed, and how to re-run it into the same folder.
    let drawn = text(&dir("seed-20170504--iran-as-observer").join("drawn.toml"));
    let header: Vec<&str> = drawn.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        header.contains(&"# Variant: Iran as observer"),
        "{header:?}"
    );
    assert!(
        header
            .iter()
            .any(|l| l.ends_with(": actors.IRN.role=observer")),
        "{header:?}"
    );
    assert!(
        drawn.contains("\nvariant = \"Iran as observer\"\n"),
        "{drawn}"
    );
    let plain_drawn = text(&dir("seed-20170504").join("drawn.toml"));
    assert!(!plain_drawn.contains("Variant:") && !plain_drawn.contains("Changed from"));
    assert!(!plain_drawn.contains("\nvariant ="));

    // A variant's drawn.toml names itself a variant: run again, it goes to its own folder, never the baseline's.
    let baseline = fs::read(dir("seed-20170504").join("rounds.csv")).unwrap();
    for folder in [hashed.as_str(), "seed-20170504--iran-as-observer"] {
        let before = fs::read(dir(folder).join("rounds.csv")).unwrap();
        ceasefire()
            .arg("run")
            .arg(dir(folder).join("drawn.toml"))
            .args(["--no-charts", "--out"])
            .arg(out.path())
            .assert()
            .success();
        assert_eq!(
            fs::read(dir(folder).join("rounds.csv")).unwrap(),
            before,
            "{folder}"
        );
    }
    assert_eq!(
        fs::read(dir("seed-20170504").join("rounds.csv")).unwrap(),
        baseline
    );
    assert_eq!(names_in(&out.path().join("astana-2017")).len(), 3);
}

#[test]
fn two_variants_of_one_name_are_refused() {
    let out = tempfile::tempdir().unwrap();
    let assert = ceasefire()
        .args([
            "compare",
            "astana-2017",
            "--vary",
            "Iran: actors.IRN.role=observer",
            "--vary",
            "IRAN: actors.IRN.voice=0.5",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("`IRAN`") && stderr.contains("`Iran`"),
        "{stderr}"
    );
    assert!(names_in(out.path()).is_empty());
}

#[test]
fn a_set_batch_beside_a_plain_batch_leaves_two_folders() {
    let out = tempfile::tempdir().unwrap();
    for extra in [&["--label", "short talks", "--rounds", "20"][..], &[]] {
        ceasefire()
            .args(["batch", "--runs", "20", "--no-charts", "--out"])
            .arg(out.path())
            .args(extra)
            .assert()
            .success();
    }
    assert_eq!(
        names_in(&out.path().join("astana-2017")),
        ["batch-20170504-20", "batch-20170504-20--short-talks"]
    );
    let summary = json(
        &out.path()
            .join("astana-2017/batch-20170504-20--short-talks/summary.json"),
    );
    assert_eq!(summary["label"], "short talks");
    assert_eq!(summary["rounds"], 20);
}

#[test]
fn a_vary_label_names_the_variant_in_folders_files_and_tables() {
    let out = tempfile::tempdir().unwrap();
    let assert = ceasefire()
        .args([
            "compare",
            "astana-2017",
            "--vary",
            "Iran observer: actors.IRN.role=\"observer\"",
            "--vary",
            "actors.GOV.commitment_risk=0.25",
            "--runs",
            "50",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let folder = out
        .path()
        .join("compare-astana-2017--iran-observer--actors-gov-commitment-risk-0-25");
    assert!(folder.is_dir(), "{:?}", names_in(out.path()));
    let files = names_in(&folder);
    for f in [
        "bands-astana-2017.csv",
        "bands-iran-observer.csv",
        "bands-actors-gov-commitment-risk-0-25.csv",
        "compare.csv",
        "compare.md",
    ] {
        assert!(files.contains(&f.to_string()), "{f}: {files:?}");
    }
    let md = text(&folder.join("compare.md"));
    assert!(stdout.contains(&md[..200]));
    assert!(
        md.contains("- **Iran observer**: `astana-2017` with `actors.IRN.role=\"observer\"`"),
        "{md}"
    );
    assert!(md.contains("| Iran observer | "), "{md}");
    assert!(md.contains("- **astana-2017** (the baseline): `astana-2017` as written"));
    let csv = text(&folder.join("compare.csv"));
    assert!(csv.contains("\niran-observer,Iran observer,"), "{csv}");
    let summary = json(&folder.join("summary.json"));
    assert_eq!(summary["variants"][1]["label"], "Iran observer");
    // The legends of both charts name the variant by its label.
    for chart in ["compare-fan.svg", "compare-reached.svg"] {
        let svg = text(&folder.join("charts").join(chart));
        assert!(svg.contains("Iran observer"), "{chart}");
    }
}

#[test]
fn a_bad_label_is_refused_and_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (&["run", "--label", "  "][..], "it is empty"),
        (&["batch", "--label", "a\u{7}b"][..], "a control character"),
        (
            &[
                "compare",
                "astana-2017",
                "--vary",
                " : actors.IRN.role=observer",
            ][..],
            "it is empty",
        ),
    ] {
        let assert = ceasefire()
            .args(args)
            .args(["--out"])
            .arg(out.path())
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains("cannot name a variant") && stderr.contains(needle),
            "{stderr}"
        );
    }
    assert!(names_in(out.path()).is_empty());
    let long = "x".repeat(61);
    let assert = ceasefire()
        .args(["run", "--label", &long, "--out"])
        .arg(out.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("at most 60"), "{stderr}");
}

#[test]
fn a_module_that_never_opens_has_no_text_in_any_table() {
    let out = tempfile::tempdir().unwrap();
    // astana-2017's political module (transition, kurds) opens beyond the horizon.
    ceasefire()
        .args(["run", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success();
    ceasefire()
        .args(["batch", "--runs", "5", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let run = out.path().join("astana-2017/seed-20170504");
    let summary = json(&run.join("summary.json"));
    assert!(summary["final_text"]["transition"].is_null());
    assert!(summary["final_text"]["kurds"].is_null());
    assert!(summary["final_text"]["scope"].is_number());
    let column = |file: &Path, name: &str| -> Vec<String> {
        let mut r = csv::Reader::from_path(file).unwrap();
        let at = r.headers().unwrap().iter().position(|h| h == name).unwrap();
        r.records()
            .map(|rec| rec.unwrap()[at].to_string())
            .collect()
    };
    let rounds = run.join("rounds.csv");
    assert!(
        column(&rounds, "text_transition")
            .iter()
            .all(String::is_empty)
    );
    assert!(
        column(&rounds, "text_scope")
            .iter()
            .all(|v| v.parse::<f64>().is_ok())
    );
    // Opened in a later round, a module has a text from that round on.
    let later = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "run",
            "--no-charts",
            "--set",
            "modules.political.open_round=10",
            "--out",
        ])
        .arg(later.path())
        .assert()
        .success();
    let folder = names_in(&later.path().join("astana-2017")).remove(0);
    let kurds = column(
        &later
            .path()
            .join("astana-2017")
            .join(folder)
            .join("rounds.csv"),
        "text_kurds",
    );
    assert!(kurds[..9].iter().all(String::is_empty), "{kurds:?}");
    assert!(
        kurds[9..].iter().all(|v| v.parse::<f64>().is_ok()),
        "{kurds:?}"
    );
    let runs = out.path().join("astana-2017/batch-20170504-5/runs.csv");
    assert!(column(&runs, "text_kurds").iter().all(String::is_empty));
    assert!(column(&runs, "text_carveout").iter().all(|v| !v.is_empty()));
}

/// Every chart file of a folder, by name.
fn charts_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names_in(&dir.join("charts"))
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join("charts").join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

#[test]
fn chart_redraws_compare_folders_byte_for_byte() {
    let out = tempfile::tempdir().unwrap();
    for args in [
        &[
            "compare",
            "astana-2017",
            "no-iran-guarantor",
            "--vary",
            "Iran observer: actors.IRN.role=\"observer\"",
            "--runs",
            "40",
        ][..],
        &["compare", "astana-2017", "--seeds", "1,2,3"],
    ] {
        ceasefire()
            .args(args)
            .args(["--out"])
            .arg(out.path())
            .assert()
            .success();
    }
    let folders = names_in(out.path());
    assert_eq!(folders.len(), 2, "{folders:?}");
    for name in &folders {
        let dir = out.path().join(name);
        let drawn = charts_of(&dir);
        assert!(drawn.len() >= 2, "{name}: {drawn:?}");
        fs::remove_dir_all(dir.join("charts")).unwrap();
        ceasefire().arg("chart").arg(&dir).assert().success();
        assert!(charts_of(&dir) == drawn, "{name}: redrawn charts differ");
        ceasefire()
            .args(["chart", "--size", "1280x720"])
            .arg(&dir)
            .assert()
            .success();
        assert!(charts_of(&dir) != drawn, "{name}: --size is applied");
    }
}

#[test]
fn a_compare_folder_naming_a_file_outside_itself_is_refused() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "compare",
            "astana-2017",
            "no-iran-guarantor",
            "--runs",
            "5",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("compare-astana-2017-no-iran-guarantor");
    let summary = text(&dir.join("summary.json")).replace(
        "\"variant\": \"no-iran-guarantor\"",
        "\"variant\": \"../../secret\"",
    );
    fs::write(dir.join("summary.json"), summary).unwrap();
    let before = charts_of(&dir);
    let assert = ceasefire().arg("chart").arg(&dir).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("`../../secret` is not a variant name ceasefire writes"),
        "{stderr}"
    );
    assert!(charts_of(&dir) == before, "nothing is written");
}

/// A change to a file's text.
type Edit = dyn Fn(&str) -> String;

#[test]
fn an_edited_compare_folder_that_contradicts_itself_is_refused() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args([
            "compare",
            "astana-2017",
            "--vary",
            "Iran observer: actors.IRN.role=observer",
            "--runs",
            "5",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("compare-astana-2017--iran-observer");
    let original: Vec<(String, String)> =
        ["summary.json", "compare.csv", "bands-iran-observer.csv"]
            .iter()
            .map(|f| (f.to_string(), text(&dir.join(f))))
            .collect();
    let restore = || {
        for (f, t) in &original {
            fs::write(dir.join(f), t).unwrap();
        }
    };
    let edits: [(&str, &Edit, &str); 3] = [
        (
            "summary.json",
            &|t: &str| t.replace("\"label\": \"Iran observer\"", "\"label\": \"Iran gone\""),
            "compare.csv line 3 names the variant `iran-observer` (\"Iran observer\"), summary.json `iran-observer` (\"Iran gone\")",
        ),
        (
            "compare.csv",
            &|t: &str| {
                let mut lines: Vec<&str> = t.lines().collect();
                lines.pop();
                lines.join("\n") + "\n"
            },
            "compare.csv lists 1 variants, summary.json 2",
        ),
        (
            "bands-iran-observer.csv",
            &|t: &str| {
                let mut lines: Vec<String> = t.lines().map(String::from).collect();
                let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
                cells[1] = "-3".into();
                lines[1] = cells.join(",");
                lines.join("\n") + "\n"
            },
            "`-3` in column `agreement_p05` is outside [0, 1]",
        ),
    ];
    let charts = charts_of(&dir);
    for (file, edit, needle) in edits {
        restore();
        fs::write(dir.join(file), edit(&text(&dir.join(file)))).unwrap();
        let assert = ceasefire().arg("chart").arg(&dir).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(needle), "{file}: {stderr}");
        assert!(charts_of(&dir) == charts, "{file}: nothing is written");
    }
    restore();
    ceasefire().arg("chart").arg(&dir).assert().success();
}

#[test]
fn a_label_in_the_wrong_place_gets_a_hint() {
    let out = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            &["compare", "astana-2017", "--label", "x"][..],
            "compare has no --label: name each variant in its --vary",
        ),
        (
            &[
                "compare",
                "astana-2017",
                "--vary",
                "Iran observer actors.IRN.role=observer",
            ],
            "end its label with a colon: --vary 'Iran observer: actors.IRN.role=…'",
        ),
    ] {
        let assert = ceasefire()
            .args(args)
            .args(["--out"])
            .arg(out.path())
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(needle), "{stderr}");
    }
    assert!(names_in(out.path()).is_empty());
}
