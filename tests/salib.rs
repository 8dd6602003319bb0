//! SALib agrees: `ceasefire sensitivity` writes `problem.json`, `samples.csv` and `outputs.csv`, SALib 1.6 analyses
//! them itself (`tools/salib-check.py`), and its point estimates equal those of `indices.csv`, for Sobol and Morris.
//!
//! Needs a Python with SALib: `SALIB_PYTHON` (as `.ci/run` sets it), else `python3`. Without one the test says it was
//! skipped, unless `CI` is set, where it fails.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::Command;

use ceasefire::app::sensitivity::{Method, SensitivityOptions, sensitivity};

/// A Python that imports SALib, or None when the test is to be skipped (it panics instead when `CI` is set).
fn python_or_skip() -> Option<String> {
    let python = std::env::var("SALIB_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import SALib.analyze.sobol, SALib.analyze.morris"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI is set but SALib cannot be imported by `{python}`; install it (python3 -m venv V && V/bin/pip install SALib==1.6.0) and set SALIB_PYTHON=V/bin/python"
        );
    }
    eprintln!(
        "SALib check skipped: `{python}` cannot import SALib (pip install SALib==1.6.0, or set SALIB_PYTHON)"
    );
    None
}

const EXPERIMENT: &str = r#"
scenario = "astana-2017"
seeds = 30
outputs = ["p_reached", "p_in_force", "mean_final_agreement", "mean_collapses"]
[sobol]
samples = 32
[morris]
trajectories = 12
levels = 4
[[factor]]
path = "actors.GOV.commitment_risk"
low = 0.12
high = 0.28
[[factor]]
path = "patronage.RUS.GOV.leverage"
low = 0.3
high = 0.7
[[factor]]
path = "actors.IRN.role"
levels = ["guarantor", "observer"]
"#;

fn analyse(dir: &Path, method: Method) -> std::path::PathBuf {
    let file = dir.join("check.toml");
    fs::write(&file, EXPERIMENT).unwrap();
    sensitivity(
        &SensitivityOptions {
            experiment: file.to_string_lossy().into_owned(),
            method,
            samples: None,
            threads: 0,
            shard: None,
            output: ceasefire::app::Output {
                out: dir.join("out"),
                charts: false,
                size: (1600, 900),
            },
        },
        &|_, _| {},
    )
    .unwrap()
    .folder
}

#[test]
fn salib_gives_the_same_sobol_and_morris_estimates_from_our_files() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/salib-check.py");
    for method in [Method::Sobol, Method::Morris] {
        let folder = analyse(dir.path(), method);
        let out = Command::new(&python)
            .arg(&script)
            .arg(&folder)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{method:?}: SALib disagrees:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Four outputs × four factors (with the dummy) × two or three indices.
        let wanted = if method == Method::Sobol { 32 } else { 48 };
        assert!(
            text.contains(&format!("{wanted} estimates checked")),
            "{text}"
        );
    }
}
