//! The commands, as library functions: each takes validated arguments, does its work, and returns the text to
//! show. `main.rs` maps their errors to exit codes.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::{self, RunView};
use crate::scenario::{self, Scenario};
use crate::summary::Summary;

/// Options of `ceasefire run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub scenario: String,
    pub seed: Option<u64>,
    pub rounds: Option<u32>,
    pub sets: Vec<String>,
    pub out: PathBuf,
    pub charts: bool,
}

/// What `run` did.
#[derive(Clone, Debug)]
pub struct RunReport {
    pub folder: PathBuf,
    pub text: String,
    pub summary: Summary,
}

/// Load a scenario with `--set` overrides and an optional `--rounds`.
pub fn load(name: &str, sets: &[String], rounds: Option<u32>) -> Result<Scenario> {
    let mut sets = sets.to_vec();
    if let Some(r) = rounds {
        sets.push(format!("simulation.rounds={r}"));
    }
    Ok(scenario::load_path(name, &sets)?)
}

/// The folder of a single run.
pub fn run_folder(out: &Path, scenario: &Scenario, seed: u64) -> PathBuf {
    out.join(&scenario.meta.id).join(format!("seed-{seed}"))
}

/// `ceasefire run`: one seed, five tables (and charts), a short summary.
pub fn run(opts: &RunOptions) -> Result<RunReport> {
    let sc = load(&opts.scenario, &opts.sets, opts.rounds)?;
    let seed = opts.seed.unwrap_or(sc.simulation.seed);
    let trace = crate::sim::run(&sc, seed);
    let summary = Summary::new(&sc, &trace);
    let view = RunView {
        scenario: &sc,
        trace: &trace,
        summary: &summary,
    };
    let files = export::run_files(&view);
    let folder = run_folder(&opts.out, &sc, seed);
    export::write_folder(&folder, &files)?;
    let mut text = summary.human(&sc);
    text.push_str(&format!("Results in {}\n", folder.display()));
    Ok(RunReport {
        folder,
        text,
        summary,
    })
}

/// `ceasefire validate`: check each scenario; the text lists the valid ones, the error holds every problem.
pub fn validate(names: &[String], sets: &[String]) -> Result<String> {
    let mut ok = String::new();
    let mut failures = Vec::new();
    for name in names {
        match scenario::load_path(name, sets) {
            Ok(sc) => ok.push_str(&format!(
                "{name}: valid ({} actors, {} dimensions, {} modules, {} rounds)\n",
                sc.actors.len(),
                sc.dimensions.len(),
                sc.modules.len(),
                sc.simulation.rounds
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() {
        Ok(ok)
    } else {
        let mut msg = ok;
        msg.push_str(&failures.join("\n"));
        Err(Error::Usage(msg))
    }
}
