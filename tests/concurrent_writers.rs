//! Hardening II, data loss: writers to the same results folder cannot hurt each other, a redraw on a full disk
//! changes nothing, and nothing is left hidden. Each test is named after the finding it reproduces.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Std, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

fn ceasefire() -> Std {
    Std::cargo_bin("ceasefire").unwrap()
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn wait(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{what} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(child: &Child, sig: &str) {
    assert!(
        Std::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
}

/// `n` scenario files `writer-K.toml` in `dir`: astana-2017 (same id, so the same results folder) with the title
/// "Writer K", which every table, chart and summary carries; and the folder each writes with seed 7.
fn writers(dir: &Path, n: usize) -> Vec<BTreeMap<PathBuf, Vec<u8>>> {
    let astana = ceasefire()
        .args(["scenarios", "--show", "astana-2017"])
        .output()
        .unwrap();
    let text = String::from_utf8(astana.stdout).unwrap();
    let title = text.lines().find(|l| l.starts_with("title = ")).unwrap();
    (0..n)
        .map(|k| {
            let file = dir.join(format!("writer-{k}.toml"));
            fs::write(
                &file,
                text.replacen(title, &format!("title = \"Writer {k}\""), 1),
            )
            .unwrap();
            let reference = dir.join(format!("reference-{k}"));
            let status = ceasefire()
                .args(["run", "--seed", "7", "--out"])
                .arg(&reference)
                .arg(&file)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            let files = tree(&reference.join("astana-2017/seed-7"));
            assert_eq!(
                files.len(),
                13,
                "five tables and four charts in two formats"
            );
            files
        })
        .collect()
}

/// Wait until `child` has a hidden staging entry in `parent` whose name starts with `prefix` (its folder when
/// `folder`, else its lock file), failing if it exits first or takes over 60 s.
fn wait_for_staging(child: &mut Child, parent: &Path, prefix: &str, folder: bool) {
    let started = Instant::now();
    loop {
        let staged = parent.is_dir()
            && names_in(parent)
                .iter()
                .any(|n| n.starts_with(prefix) && n.ends_with(".lock") != folder);
        if staged {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the process ended before its staging appeared"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging after 60 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_chart_redraw_racing_a_run_of_the_same_folder_leaves_one_consistent_folder() {
    let scenarios = tempfile::tempdir().unwrap();
    let expected = writers(scenarios.path(), 2);
    let source = scenarios.path().join("reference-0/astana-2017/seed-7");
    for round in 0..15 {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("astana-2017/seed-7");
        for (rel, bytes) in tree(&source) {
            fs::create_dir_all(dir.join(&rel).parent().unwrap()).unwrap();
            fs::write(dir.join(rel), bytes).unwrap();
        }
        let mut chart = ceasefire()
            .arg("chart")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut run = ceasefire()
            .args(["run", "--seed", "7", "--out"])
            .arg(out.path())
            .arg(scenarios.path().join("writer-1.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        assert!(wait(&mut run, "the run").success());
        // The redraw may fail if the run swapped the folder away under it; it must never leave a mix.
        wait(&mut chart, "the redraw");
        let found = tree(&dir);
        assert!(
            expected.contains(&found),
            "round {round}: the folder is one writer's, its charts drawn from its own data"
        );
        assert_eq!(names_in(dir.parent().unwrap()), ["seed-7"], "round {round}");
    }
}

#[test]
fn ten_concurrent_runs_to_one_folder_leave_one_writers_complete_folder() {
    // Ten writers of the same folder (same scenario id and seed) whose files all differ: each scenario file has its
    // own title, which every table, chart and summary carries. A folder mixed from two writers cannot pass.
    let scenarios = tempfile::tempdir().unwrap();
    let expected = writers(scenarios.path(), 10);
    for round in 0..5 {
        let out = tempfile::tempdir().unwrap();
        let mut children: Vec<Child> = (0..10)
            .map(|k| {
                ceasefire()
                    .args(["run", "--seed", "7", "--out"])
                    .arg(out.path())
                    .arg(scenarios.path().join(format!("writer-{k}.toml")))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for (i, child) in children.iter_mut().enumerate() {
            let status = wait(child, "a run");
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            assert!(
                status.success(),
                "round {round}, writer {i}: {status}: {stderr}"
            );
        }
        let parent = out.path().join("astana-2017");
        assert_eq!(
            names_in(&parent),
            ["seed-7"],
            "round {round}: nothing hidden left"
        );
        let found = tree(&parent.join("seed-7"));
        assert!(
            expected.contains(&found),
            "round {round}: the folder is one writer's complete run"
        );
    }
}

#[test]
fn a_paused_batch_resumed_after_another_finished_loses_nothing() {
    let out = tempfile::tempdir().unwrap();
    let args = [
        "batch",
        "--runs",
        "5000",
        "--threads",
        "1",
        "--no-charts",
        "--seed",
        "1",
        "--out",
    ];
    let mut first = ceasefire()
        .args(args)
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Pause the first batch once its staging folder exists.
    let parent = out.path().join("astana-2017");
    let prefix = format!(".batch-1-5000.tmp-{}-", first.id());
    wait_for_staging(&mut first, &parent, &prefix, true);
    signal(&first, "-STOP");
    let second = ceasefire()
        .args(args)
        .arg(out.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    signal(&first, "-CONT");
    assert!(second.success());
    let after_second = tree(&parent.join("batch-1-5000"));
    let status = wait(&mut first, "the resumed batch");
    assert!(status.success());
    let target = parent.join("batch-1-5000");
    let files = tree(&target);
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(names, ["bands.csv", "runs.csv", "summary.json"]);
    assert!(
        files == after_second,
        "both writers wrote the same complete folder"
    );
    assert_eq!(names_in(&parent), ["batch-1-5000"]);
}

#[test]
fn a_chart_redraw_on_a_full_disk_leaves_the_old_charts_and_no_temporary_files() {
    let out = tempfile::tempdir().unwrap();
    let status = ceasefire()
        .args(["run", "--seed", "5", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let dir = out.path().join("astana-2017/seed-5");
    // Mark the old charts so that a redraw that went partly in would show.
    for e in fs::read_dir(dir.join("charts")).unwrap() {
        fs::write(e.unwrap().path(), b"old chart").unwrap();
    }
    let before = tree(&dir);
    // A disk that fills up: every file this process writes is limited to 60 KiB, past which a write fails (the
    // signal that would kill the process is ignored, so the write reports the error). Some charts fit, some do not.
    let binary = assert_cmd::cargo::cargo_bin("ceasefire");
    let output = Std::new("bash")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 60; exec "$0" chart "$1""#)
        .arg(&binary)
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("charts/"),
        "the error names the chart: {stderr}"
    );
    assert!(
        !stderr.contains(".tmp-"),
        "the error names the chart, not a hidden file: {stderr}"
    );
    assert!(tree(&dir) == before, "no chart changed");
    assert_eq!(names_in(&dir.join("charts")).len(), 8);
    assert!(
        names_in(&dir).iter().all(|n| !n.starts_with('.')),
        "nothing hidden left: {:?}",
        names_in(&dir)
    );
}

#[test]
fn a_file_where_the_results_folder_goes_is_an_error_naming_it_and_stays() {
    let out = tempfile::tempdir().unwrap();
    let parent = out.path().join("astana-2017");
    fs::create_dir_all(&parent).unwrap();
    fs::write(parent.join("seed-3"), "my notes").unwrap();
    let output = ceasefire()
        .args(["run", "--no-charts", "--seed", "3", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("seed-3`") && stderr.contains("it is a file, not a folder"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(parent.join("seed-3")).unwrap(),
        "my notes"
    );
    assert_eq!(
        names_in(&parent),
        ["seed-3"],
        "nothing moved aside or hidden"
    );
}

/// Start a long batch into `out` and wait until its staging folder exists.
fn start_long_batch(out: &Path) -> Child {
    let mut child = ceasefire()
        .args([
            "batch",
            "--runs",
            "3000000",
            "--seed",
            "1",
            "--no-charts",
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let parent = out.join("astana-2017");
    let prefix = format!(".batch-1-3000000.tmp-{}-", child.id());
    wait_for_staging(&mut child, &parent, &prefix, false);
    child
}

#[test]
fn a_batch_stopped_by_a_schedulers_sigterm_leaves_nothing_hidden() {
    let out = tempfile::tempdir().unwrap();
    let mut child = start_long_batch(out.path());
    signal(&child, "-TERM");
    let status = wait(&mut child, "the terminated batch");
    assert_eq!(status.code(), Some(143), "128 + SIGTERM");
    let parent = out.path().join("astana-2017");
    assert!(names_in(&parent).is_empty(), "{:?}", names_in(&parent));
}

#[test]
fn a_killed_writers_staging_is_removed_by_the_next_write() {
    let out = tempfile::tempdir().unwrap();
    let mut child = start_long_batch(out.path());
    signal(&child, "-KILL");
    wait(&mut child, "the killed batch");
    let parent = out.path().join("astana-2017");
    assert!(
        !names_in(&parent).is_empty(),
        "a killed process cannot clean up"
    );
    let status = ceasefire()
        .args([
            "batch",
            "--runs",
            "3",
            "--seed",
            "1",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    // The next write to another folder beside it does not touch it; the next write to the same folder does.
    assert!(
        names_in(&parent)
            .iter()
            .any(|n| n.starts_with(".batch-1-3000000"))
    );
    let mut rerun = start_long_batch(out.path());
    signal(&rerun, "-INT");
    assert_eq!(wait(&mut rerun, "the rerun").code(), Some(130));
    assert_eq!(names_in(&parent), ["batch-1-3"]);
}

#[test]
fn a_batch_started_with_hangups_ignored_survives_a_hangup() {
    // `nohup ceasefire batch …`: the hangup a logout sends must not stop it.
    let out = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("ceasefire");
    let mut child = Std::new("bash")
        .arg("-c")
        .arg(r#"trap '' HUP; exec "$0" batch --runs 3000000 --seed 1 --no-charts --out "$1""#)
        .arg(&binary)
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let parent = out.path().join("astana-2017");
    let prefix = format!(".batch-1-3000000.tmp-{}-", child.id());
    wait_for_staging(&mut child, &parent, &prefix, false);
    signal(&child, "-HUP");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the hangup stopped the batch"
    );
    signal(&child, "-TERM");
    assert_eq!(wait(&mut child, "the batch").code(), Some(143));
    assert!(names_in(&parent).is_empty(), "{:?}", names_in(&parent));
}
