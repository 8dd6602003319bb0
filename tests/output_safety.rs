//! Output safety: results folders are replaced whole, an interrupted run leaves the previous results untouched, and
//! an unwritable --out is a runtime failure (exit 1) naming the path.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::process::Command as Std;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt;

#[test]
fn an_interrupted_batch_leaves_the_previous_results_untouched() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("astana-2017/batch-1-3000000");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("runs.csv"), "previous results\n").unwrap();
    let stderr_dir = tempfile::tempdir().unwrap();
    let stderr_path = stderr_dir.path().join("stderr.txt");
    let mut child = Std::cargo_bin("ceasefire")
        .unwrap()
        .args([
            "batch",
            "--runs",
            "3000000",
            "--seed",
            "1",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    // Interrupt only once the batch is under way: its staging folder (`Staging::new` in src/export) holds a
    // runs.csv that has received rows. A fixed sleep would interrupt a slow start (a loaded machine) before the
    // batch has written anything, and then the test would prove nothing about half-written results.
    let parent = target.parent().unwrap().to_path_buf();
    let prefix = format!(".batch-1-3000000.tmp-{}-", child.id());
    let staged_runs = || {
        fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(&prefix) && !n.ends_with(".lock"))
            .map(|n| parent.join(n).join("runs.csv"))
    };
    let started = Instant::now();
    loop {
        if staged_runs().is_some_and(|p| fs::metadata(p).is_ok_and(|m| m.len() > 0)) {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the batch exited ({status}) before writing any rows to its staging folder {prefix}*; stderr:\n{}",
                fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "after 60 s the batch had still not written rows to its staging folder {prefix}*; stderr:\n{}",
                fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Std::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    // A shell that starts a job in the background without job control makes it ignore SIGINT, and the child
    // inherits that: fail with a reason instead of waiting for three million runs.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "the batch ignored SIGINT; is this test running in a background job that ignores it?"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success(), "the batch should have been interrupted");
    let names: Vec<String> = fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["runs.csv"]);
    assert_eq!(
        fs::read_to_string(target.join("runs.csv")).unwrap(),
        "previous results\n"
    );
    // Whatever was being written is gone: nothing hidden is left beside it.
    let names: Vec<String> = fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["batch-1-3000000"]);
    assert_eq!(status.code(), Some(130), "128 + SIGINT");
}

#[test]
fn a_rerun_replaces_the_folder_whole_and_clears_stale_staging() {
    let out = tempfile::tempdir().unwrap();
    let parent = out.path().join("astana-2017");
    let stale = parent.join(".seed-3.tmp-999999");
    fs::create_dir_all(&stale).unwrap();
    fs::write(stale.join("rounds.csv"), "half").unwrap();
    let target = parent.join("seed-3");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("old-file.txt"), "old").unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["run", "--no-charts", "--seed", "3", "--out"])
        .arg(out.path())
        .assert()
        .success();
    assert!(!target.join("old-file.txt").exists());
    assert!(target.join("rounds.csv").is_file());
    assert!(!stale.exists());
}

#[test]
fn an_unwritable_output_folder_is_a_runtime_failure_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "a file").unwrap();
    let assert = Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["batch", "--runs", "3", "--no-charts", "--out"])
        .arg(&blocker)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("not-a-folder") && stderr.contains("cannot write"),
        "{stderr}"
    );
}
