//! `--shard K/N` of batch, compare, sweep and sensitivity, and `merge`: merged shards are the unsharded folder byte
//! for byte (charts included), with 1, 2, 3 and 7 shards, whether the shards ran one after another or as processes at
//! the same time; a merge refuses shards that are missing, repeated, of another command, scenario, comparison,
//! experiment, version or split, or damaged, with exit 2 and nothing written; `--shard slurm` reads the job array's
//! variables; the shards' ranges partition the runs in order.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;
use proptest::prelude::*;

use ceasefire::shard::Shard;

const SLURM_VARS: [&str; 5] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_STEP",
];

fn ceasefire() -> Command {
    let mut c = Command::cargo_bin("ceasefire").unwrap();
    for v in SLURM_VARS {
        c.env_remove(v);
    }
    c
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes (hidden staging entries included, so a
/// leftover shows).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// The two trees hold the same files with the same bytes (names listed on failure, not bytes).
fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert!(!ta.is_empty(), "{} is empty", a.display());
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "file lists of {} and {}",
        a.display(),
        b.display()
    );
    for (name, bytes) in &ta {
        assert!(
            *bytes == tb[name],
            "{} differs between {} and {}",
            name.display(),
            a.display(),
            b.display()
        );
    }
}

fn batch(out: &Path, args: &[&str]) {
    ceasefire()
        .arg("batch")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

fn shards(out: &Path, n: u64, args: &[&str]) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--shard", &shard]);
        batch(out, &all);
    }
}

/// Run `args` as shards 1..=n at the same time, one process each (one thread each), into `out`; each must succeed.
fn at_once(out: &Path, n: u64, args: &[&str]) {
    let bin = assert_cmd::cargo::cargo_bin("ceasefire");
    let children: Vec<_> = (1..=n)
        .map(|k| {
            std::process::Command::new(&bin)
                .args(args)
                .args(["--threads", "1", "--shard"])
                .arg(format!("{k}/{n}"))
                .arg("--out")
                .arg(out)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
}

fn merge(args: &[&Path], extra: &[&str]) -> assert_cmd::assert::Assert {
    ceasefire().arg("merge").args(args).args(extra).assert()
}

const ID: &str = "astana-2017";
const VARIANT: [&str; 5] = [
    "--runs",
    "500",
    "--set",
    "actors.IRN.role=observer",
    "--label",
];

#[test]
fn one_two_three_and_seven_shards_merge_into_the_unsharded_folder_byte_for_byte() {
    let label = "Iran observer";
    let variant: Vec<&str> = VARIANT.iter().copied().chain([label]).collect();
    let cases: [(&[&str], &str); 2] = [
        (&["--runs", "500"], "batch-20170504-500"),
        (&variant, "batch-20170504-500--iran-observer"),
    ];
    for (args, folder) in cases {
        let whole = tempfile::tempdir().unwrap();
        batch(whole.path(), args);
        let expected = whole.path().join(ID).join(folder);
        // Charts are part of the comparison.
        assert!(
            tree(&expected)
                .keys()
                .any(|p| p.starts_with("charts") && p.extension().is_some_and(|e| e == "png")),
            "no charts in {}",
            expected.display()
        );
        for n in [1, 2, 3, 7] {
            let out = tempfile::tempdir().unwrap();
            shards(out.path(), n, args);
            let home = out.path().join(ID).join(format!("{folder}.shards"));
            assert_eq!(fs::read_dir(&home).unwrap().count() as u64, n);
            let part = home.join(format!("shard-1-of-{n}"));
            for file in ["manifest.json", "runs.csv", "counts.json", "scenario.toml"] {
                assert!(part.join(file).is_file(), "{file} of {}", part.display());
            }
            merge(&[&home], &[]).success();
            assert_same_tree(&expected, &out.path().join(ID).join(folder));
        }
    }
}

#[test]
fn shards_run_as_processes_at_the_same_time_merge_into_the_unsharded_folder() {
    let whole = tempfile::tempdir().unwrap();
    batch(whole.path(), &["--runs", "500", "--no-charts"]);
    let out = tempfile::tempdir().unwrap();
    at_once(out.path(), 4, &["batch", "--runs", "500"]);
    let shards = out.path().join(ID).join("batch-20170504-500.shards");
    // Shard folders given one by one, in any order, and the merged folder put elsewhere with --out.
    let dirs: Vec<PathBuf> = [3, 1, 4, 2]
        .iter()
        .map(|k| shards.join(format!("shard-{k}-of-4")))
        .collect();
    let merged = tempfile::tempdir().unwrap();
    let mut cmd = ceasefire();
    cmd.arg("merge")
        .args(&dirs)
        .arg("--no-charts")
        .arg("--out")
        .arg(merged.path());
    cmd.assert().success();
    assert_same_tree(
        &whole.path().join(ID).join("batch-20170504-500"),
        &merged.path().join(ID).join("batch-20170504-500"),
    );
}

#[test]
fn more_shards_than_runs_give_empty_partials_and_drawn_columns_merge_too() {
    let args = ["--runs", "5", "--drawn", "--no-charts"];
    let whole = tempfile::tempdir().unwrap();
    batch(whole.path(), &args);
    let out = tempfile::tempdir().unwrap();
    shards(out.path(), 8, &args);
    let home = out.path().join(ID).join("batch-20170504-5.shards");
    let empty = fs::read_to_string(home.join("shard-1-of-8/runs.csv")).unwrap();
    assert_eq!(empty.lines().count(), 1, "{empty}");
    merge(&[&home], &["--no-charts"]).success();
    assert_same_tree(
        &whole.path().join(ID).join("batch-20170504-5"),
        &out.path().join(ID).join("batch-20170504-5"),
    );
}

/// A merge that must refuse: exit 2, a message holding `needle`, and nothing changed under `root`.
fn refused(root: &Path, dirs: &[&Path], needle: &str) {
    let before = tree(root);
    let assert = merge(dirs, &[]).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains(needle), "expected «{needle}» in: {stderr}");
    assert!(before == tree(root), "a refused merge wrote something");
}

#[test]
fn a_merge_refuses_missing_repeated_foreign_other_version_and_mismatched_shards_writing_nothing() {
    let out = tempfile::tempdir().unwrap();
    let root = out.path();
    let args = ["--runs", "40", "--no-charts"];
    shards(root, 4, &args);
    let home = root.join(ID).join("batch-20170504-40.shards");
    let shard = |k: u64| home.join(format!("shard-{k}-of-4"));

    // Missing: shard 3 not given.
    let (s1, s2, s3, s4) = (shard(1), shard(2), shard(3), shard(4));
    refused(root, &[&s1, &s2, &s4], "shard 3 of 4 is missing");
    refused(root, &[&s2], "shards 1, 3–4 of 4 are missing");

    // Repeated: shard 2 twice (once through a copy).
    let copy = root.join("copy/shard-2-of-4");
    fs::create_dir_all(&copy).unwrap();
    for f in fs::read_dir(&s2).unwrap() {
        let f = f.unwrap();
        fs::copy(f.path(), copy.join(f.file_name())).unwrap();
    }
    refused(root, &[&home, &copy], "shard 2 of 4 is given twice");

    // Of another scenario: the same split with another --set.
    let other = root.join("other");
    shards(
        &other,
        4,
        &[
            "--runs",
            "40",
            "--no-charts",
            "--set",
            "actors.IRN.role=observer",
        ],
    );
    let foreign = fs::read_dir(other.join(ID))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("shard-3-of-4");
    refused(
        root,
        &[&s1, &s2, &foreign, &s4],
        "is a shard of another scenario",
    );
    refused(root, &[&s1, &s2, &foreign, &s4], "actors.IRN.role=observer");

    // Of another version: its manifest edited.
    let manifest = s4.join("manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    fs::write(&manifest, text.replace(&version, "\"version\": \"0.0.9\"")).unwrap();
    refused(root, &[&home], "was written by ceasefire 0.0.9");
    fs::write(&manifest, &text).unwrap();

    // Mismatched N: a shard of a split in 3.
    let three = root.join("three");
    batch(&three, &["--runs", "40", "--no-charts", "--shard", "3/3"]);
    let s3_of_3 = three.join(ID).join("batch-20170504-40.shards/shard-3-of-3");
    refused(
        root,
        &[&s1, &s2, &s3_of_3],
        "has N (the number of shards) 3",
    );

    // Not a shard at all.
    refused(root, &[&root.join("copy/..")], "is not a shard folder");

    // Damaged: runs.csv cut short.
    let runs = s3.join("runs.csv");
    let rows = fs::read_to_string(&runs).unwrap();
    let cut: String = rows.lines().take(3).map(|l| format!("{l}\n")).collect();
    fs::write(&runs, cut).unwrap();
    refused(root, &[&home], "it has 2 rows, the shard ran 10");
    fs::write(&runs, rows).unwrap();

    // And once whole, the same shards merge.
    merge(&[&home], &["--no-charts"]).success();
    assert!(
        root.join(ID)
            .join("batch-20170504-40/summary.json")
            .is_file()
    );
}

fn slurm(out: &Path, vars: &[(&str, &str)]) -> assert_cmd::assert::Assert {
    let mut c = ceasefire();
    c.args([
        "batch",
        "--runs",
        "30",
        "--no-charts",
        "--shard",
        "slurm",
        "--out",
    ])
    .arg(out);
    for (k, v) in vars {
        c.env(k, v);
    }
    c.assert()
}

#[test]
fn shard_slurm_reads_the_job_array_and_names_each_bad_variable() {
    let out = tempfile::tempdir().unwrap();
    let home = out.path().join(ID).join("batch-20170504-30.shards");
    // An array --array=4-6: tasks 4, 5, 6 are shards 1, 2, 3 of 3.
    for id in ["4", "5", "6"] {
        slurm(
            out.path(),
            &[
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_MIN", "4"),
                ("SLURM_ARRAY_TASK_MAX", "6"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
        )
        .success();
    }
    assert!(home.join("shard-2-of-3/manifest.json").is_file());
    merge(&[&home], &["--no-charts"]).success();
    let whole = tempfile::tempdir().unwrap();
    batch(whole.path(), &["--runs", "30", "--no-charts"]);
    assert_same_tree(
        &whole.path().join(ID).join("batch-20170504-30"),
        &out.path().join(ID).join("batch-20170504-30"),
    );

    let bad: [(&[(&str, &str)], &str); 9] = [
        (
            &[
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "SLURM_ARRAY_TASK_ID is not set",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "SLURM_ARRAY_TASK_MIN is not set",
        ),
        (
            &[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1")],
            "SLURM_ARRAY_TASK_COUNT is not set",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "x"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "SLURM_ARRAY_TASK_ID is `x`, not a whole number",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_MIN", "-1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "SLURM_ARRAY_TASK_MIN is `-1`, not a whole number",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "0"),
            ],
            "SLURM_ARRAY_TASK_COUNT=0",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "5"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "gives shard 5 of 3, outside 1..=3",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_MIN", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "gives shard 0 of 3",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_MAX", "5"),
                ("SLURM_ARRAY_TASK_STEP", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            "the job array has gaps (SLURM_ARRAY_TASK_STEP=2)",
        ),
    ];
    for (vars, needle) in bad {
        let empty = tempfile::tempdir().unwrap();
        let assert = slurm(empty.path(), vars).code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(needle), "expected «{needle}» in: {stderr}");
        assert!(
            tree(empty.path()).is_empty(),
            "{needle}: something was written"
        );
    }
}

#[test]
fn bad_shard_arguments_are_refused_with_what_is_wrong() {
    for (arg, needle) in [
        ("0/3", "K must be from 1 to N (3)"),
        ("4/3", "K must be from 1 to N (3)"),
        ("a/b", "--shard takes K/N"),
        ("1/10001", "N must be from 1 to 10000"),
        ("2", "--shard takes K/N"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let assert = ceasefire()
            .args(["batch", "--runs", "10", "--shard", arg, "--out"])
            .arg(out.path())
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains(needle),
            "{arg}: expected «{needle}» in: {stderr}"
        );
        assert!(tree(out.path()).is_empty());
    }
}

#[test]
fn final_agreements_summed_again_from_runs_csv_rows_equal_the_bands_sum_bit_for_bit() {
    use ceasefire::ensemble::{Bands, sweep};
    use ceasefire::export::ensemble::runs_row;
    let sc = ceasefire::scenario::load_path("astana-2017", &[]).unwrap();
    let mut bands = Bands::new(sc.simulation.rounds as usize);
    let mut resummed = 0.0f64;
    let header = ceasefire::export::ensemble::runs_header(&sc, None);
    let at = header.iter().position(|h| h == "final_agreement").unwrap();
    sweep(std::slice::from_ref(&sc), 7, 500, 0, |o| {
        bands.add(&o[0]);
        let row = String::from_utf8(runs_row(&o[0]).unwrap()).unwrap();
        let field = row.trim_end().split(',').nth(at).unwrap();
        resummed += ceasefire::app::merge::parse_number(field.as_bytes()).unwrap();
        Ok(())
    })
    .unwrap();
    assert_eq!(
        resummed.to_bits(),
        bands.final_agreement_sum.to_bits(),
        "{resummed} {}",
        bands.final_agreement_sum
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shard_ranges_partition_the_runs_in_order(
        runs in prop_oneof![0u64..2_000, 0u64..=10_000_000, (u64::MAX - 1_000)..=u64::MAX],
        count in prop_oneof![1u64..=16, 1u64..=10_000],
    ) {
        let mut next = 0u64;
        for index in 1..=count {
            let r = Shard::new(index, count).unwrap().runs(runs);
            prop_assert_eq!(r.start, next);
            prop_assert!(r.end >= r.start);
            // Shares differ by at most one run.
            prop_assert!(r.end - r.start <= runs / count + 1);
            next = r.end;
        }
        prop_assert_eq!(next, runs);
    }
}

/// `ceasefire <args> --out <out>`, which must succeed.
fn ok(out: &Path, args: &[&str]) {
    ceasefire()
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// Run `args` as shards 1..=n, one after another.
fn sharded(out: &Path, n: u64, args: &[&str]) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut all = args.to_vec();
        all.extend(["--shard", &shard]);
        ok(out, &all);
    }
}

/// The one `*.shards` folder under `dir` (searched one level down too, for the folders under a scenario's id).
fn shards_in(dir: &Path) -> PathBuf {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".shards") {
            found.push(path);
        } else if path.is_dir() {
            for inner in fs::read_dir(&path).unwrap() {
                let inner = inner.unwrap().path();
                if inner.to_string_lossy().ends_with(".shards") {
                    found.push(inner);
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

/// Merge the shards under `out`, then check that `out` holds what `whole` holds (the shards aside).
fn merged_equals(whole: &Path, out: &Path) {
    let home = shards_in(out);
    merge(&[&home], &[]).success();
    fs::remove_dir_all(&home).unwrap();
    assert_same_tree(whole, out);
}

const COMPARE: [&str; 9] = [
    "compare",
    "astana-2017",
    "no-iran-guarantor",
    "--vary",
    "Iran observer: actors.IRN.role=observer",
    "--runs",
    "150",
    "--set",
    "simulation.rounds=30",
];

#[test]
fn compare_shards_one_two_three_and_seven_merge_into_the_unsharded_folder_byte_for_byte() {
    let whole = tempfile::tempdir().unwrap();
    ok(whole.path(), &COMPARE);
    let files = tree(whole.path());
    assert!(
        files.keys().any(|p| p.ends_with("compare-reached.png"))
            && files.keys().any(|p| p.ends_with("compare.csv")),
        "{:?}",
        files.keys()
    );
    for n in [1, 2, 3, 7] {
        let out = tempfile::tempdir().unwrap();
        sharded(out.path(), n, &COMPARE);
        let home = shards_in(out.path());
        let part = home.join(format!("shard-{n}-of-{n}"));
        for file in ["manifest.json", "finals.csv", "counts.json"] {
            assert!(part.join(file).is_file(), "{file} of {}", part.display());
        }
        merged_equals(whole.path(), out.path());
    }
}

/// A small experiment: a range and levels, few seeds, small designs.
const EXPERIMENT: &str = "title = \"Small\"\nscenario = \"astana-2017\"\nseeds = 30\n\
[sobol]\nsamples = 8\n[morris]\ntrajectories = 4\n\
[[factor]]\npath = \"actors.GOV.commitment_risk\"\nlow = 0.1\nhigh = 0.3\nsteps = 4\n\
[[factor]]\npath = \"actors.IRN.role\"\nlevels = [\"guarantor\", \"observer\"]\n";

/// The experiment written beside a scenario of its own (read by relative path, so the merge must not read it again).
fn experiment_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("mine.toml"),
        ceasefire::scenario::bundled::exact("astana-2017").unwrap(),
    )
    .unwrap();
    fs::write(
        dir.path().join("small.toml"),
        EXPERIMENT.replace("\"astana-2017\"", "\"mine.toml\""),
    )
    .unwrap();
    dir
}

#[test]
fn sensitivity_and_sweep_shards_split_the_design_points_and_merge_byte_for_byte() {
    let dir = experiment_dir();
    let file = dir.path().join("small.toml");
    let file = file.to_str().unwrap();
    let commands: [&[&str]; 3] = [
        &["sensitivity", file],
        &["sensitivity", file, "--method", "morris"],
        &["sweep", file],
    ];
    for args in commands {
        let whole = tempfile::tempdir().unwrap();
        ok(whole.path(), args);
        let splits: &[u64] = if args[0] == "sweep" {
            &[2, 7]
        } else {
            &[1, 2, 3, 7]
        };
        for &n in splits {
            let out = tempfile::tempdir().unwrap();
            sharded(out.path(), n, args);
            let home = shards_in(out.path());
            let part = home.join(format!("shard-1-of-{n}"));
            for file in [
                "manifest.json",
                "points.csv",
                "experiment.toml",
                "sources.json",
            ] {
                assert!(part.join(file).is_file(), "{file} of {}", part.display());
            }
            // The experiment's scenario is gone by the time of the merge: the shards kept what they read.
            let moved = dir.path().join("mine.toml.away");
            fs::rename(dir.path().join("mine.toml"), &moved).unwrap();
            merged_equals(whole.path(), out.path());
            fs::rename(&moved, dir.path().join("mine.toml")).unwrap();
        }
    }
}

#[test]
fn compare_and_sensitivity_shards_run_as_processes_at_the_same_time_merge_exactly() {
    let dir = experiment_dir();
    let file = dir.path().join("small.toml");
    let file = file.to_str().unwrap().to_string();
    let sensitivity = ["sensitivity", &file, "--no-charts"];
    let compare: Vec<&str> = COMPARE.iter().copied().chain(["--no-charts"]).collect();
    for args in [&sensitivity[..], &compare[..]] {
        let whole = tempfile::tempdir().unwrap();
        ok(whole.path(), args);
        let out = tempfile::tempdir().unwrap();
        at_once(out.path(), 3, args);
        let home = shards_in(out.path());
        merge(&[&home], &["--no-charts"]).success();
        fs::remove_dir_all(&home).unwrap();
        assert_same_tree(whole.path(), out.path());
    }
}

#[test]
fn a_merge_refuses_shards_of_another_command_comparison_or_experiment_and_damaged_points() {
    let out = tempfile::tempdir().unwrap();
    let root = out.path();
    let compare: Vec<&str> = COMPARE.iter().copied().chain(["--no-charts"]).collect();
    sharded(&root.join("a"), 2, &compare);
    let home = shards_in(&root.join("a"));
    let (c1, c2) = (home.join("shard-1-of-2"), home.join("shard-2-of-2"));

    // A batch shard among compare shards.
    ok(
        &root.join("b"),
        &["batch", "--runs", "150", "--no-charts", "--shard", "2/2"],
    );
    let b2 = shards_in(&root.join("b")).join("shard-2-of-2");
    refused(root, &[&c1, &b2], "has the command batch");

    // A shard of another comparison: one --vary changed.
    let other: Vec<&str> = compare
        .iter()
        .map(|a| {
            if a.starts_with("Iran observer") {
                "Iran observer: actors.IRN.role=observer; actors.TUR.capability=0.3"
            } else {
                a
            }
        })
        .collect();
    sharded(&root.join("c"), 2, &other);
    let foreign = shards_in(&root.join("c")).join("shard-2-of-2");
    refused(root, &[&c1, &foreign], "is a shard of another comparison");
    refused(root, &[&c1, &foreign], "--vary");

    // Damaged: a final agreement edited into text.
    let finals = c2.join("finals.csv");
    let text = fs::read_to_string(&finals).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    fields[2] = "half".into();
    lines[5] = fields.join(",");
    fs::write(&finals, lines.join("\n") + "\n").unwrap();
    refused(root, &[&home], "`half` is not a number");
    fs::write(&finals, &text).unwrap();

    // Experiments: another experiment (one more seed), a missing shard, a damaged points.csv.
    let dir = experiment_dir();
    let file = dir.path().join("small.toml");
    let file = file.to_str().unwrap();
    let args = ["sensitivity", file, "--no-charts"];
    sharded(&root.join("d"), 3, &args);
    let home = shards_in(&root.join("d"));
    let shard = |k: u64| home.join(format!("shard-{k}-of-3"));
    fs::write(
        file,
        EXPERIMENT
            .replace("seeds = 30", "seeds = 31")
            .replace("\"astana-2017\"", "\"mine.toml\""),
    )
    .unwrap();
    ok(
        &root.join("e"),
        &["sensitivity", file, "--no-charts", "--shard", "2/3"],
    );
    let foreign = shards_in(&root.join("e")).join("shard-2-of-3");
    refused(
        root,
        &[&shard(1), &foreign, &shard(3)],
        "is a shard of another experiment",
    );
    refused(root, &[&shard(1), &shard(3)], "shard 2 of 3 is missing");
    let points = shard(2).join("points.csv");
    let text = fs::read_to_string(&points).unwrap();
    let cut: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
    fs::write(&points, cut).unwrap();
    refused(root, &[&home], "it ends before point 16");
    fs::write(&points, &text).unwrap();

    // Crafted: more runs reached than ran (a panic in the interval's arithmetic, if unchecked).
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<String> = rows[1].split(',').map(str::to_string).collect();
    fields[2] = "1000".into();
    rows[1] = fields.join(",");
    fs::write(&points, rows.join("\n") + "\n").unwrap();
    refused(root, &[&home], "reached 1000 is more than its 30 runs");
    fs::write(&points, &text).unwrap();

    // Crafted manifests: a folder that is a path, and one shard's design that is not the others'.
    let manifest = shard(1).join("manifest.json");
    let original = fs::read_to_string(&manifest).unwrap();
    let folder = "\"folder\": \"sobol-8--small\"";
    assert!(original.contains(folder), "{original}");
    fs::write(
        &manifest,
        original.replace(folder, "\"folder\": \"../../victim\""),
    )
    .unwrap();
    refused(root, &[&home], "is not a name ceasefire writes");
    fs::write(&manifest, &original).unwrap();
    let manifest = shard(2).join("manifest.json");
    let original = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        original
            .replace("\"seeds\": 30", "\"seeds\": 15")
            .replace("\"points\": 40", "\"points\": 80"),
    )
    .unwrap();
    refused(root, &[&home], "has the design (or variants)");
    fs::write(&manifest, &original).unwrap();

    // Whole again, they merge; compare --seeds takes no --shard.
    merge(&[&home], &["--no-charts"]).success();
    let seeds = ceasefire()
        .args(["compare", "astana-2017", "--seeds", "1,2", "--shard", "1/2"])
        .arg("--out")
        .arg(root.join("f"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&seeds.get_output().stderr).into_owned();
    assert!(stderr.contains("takes no --shard"), "{stderr}");
    assert!(!root.join("f").exists());
}

#[test]
fn a_sharded_ensemble_may_have_ten_million_runs_a_shard_up_to_a_billion() {
    use ceasefire::app::batch::{MAX_RUNS, MAX_SHARDED_RUNS, check_size};
    let sc = ceasefire::scenario::load_path("astana-2017", &[]).unwrap();
    let of = |n: u64| Some(Shard::new(1, n).unwrap());
    assert!(check_size(&sc, MAX_RUNS, None, "").is_ok());
    assert!(check_size(&sc, MAX_RUNS + 1, None, "").is_err());
    assert!(check_size(&sc, 2 * MAX_RUNS, of(2), "").is_ok());
    assert!(check_size(&sc, MAX_SHARDED_RUNS, of(10_000), "").is_ok());
    assert!(check_size(&sc, MAX_SHARDED_RUNS + 1, of(10_000), "").is_err());
    assert!(check_size(&sc, 0, of(2), "").is_err());
    let more = ceasefire()
        .args(["batch", "--runs", "20000001", "--shard", "1/2", "--out"])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&more.get_output().stderr).into_owned();
    assert!(
        stderr.contains("between 1 and 20000000 with 2 shards")
            && stderr.contains("use more shards"),
        "{stderr}"
    );
}
