//! Outcomes pinned across refactors: every bundled scenario, three variants that reach the engine's other branches
//! (noisy votes, recognition drafting, a more decisive battlefield) and the two textbook protocols, over many seeds,
//! hashed.
//!
//! The full hash covers every file a run writes (`rounds.csv`, `actors.csv`, `events.csv`, `summary.json`,
//! `drawn.toml`); the lean hash covers what an ensemble keeps of each run (its `runs.csv` row and the per-round
//! series). A change to the model, to the order of random draws or to an output format moves them. If that is
//! intended, say so in the commit and update the pinned values together with the golden test.
#![allow(clippy::unwrap_used)]

use ceasefire::ensemble;
use ceasefire::export::{RunView, ensemble::runs_row, run_files};
use ceasefire::rng::{fnv1a, fnv1a_extend};
use ceasefire::scenario::{self, Scenario};
use ceasefire::summary::Summary;

const SEEDS: u64 = 40;

fn cases() -> Vec<(String, Scenario)> {
    let mut cases: Vec<(String, Scenario)> = scenario::bundled::names()
        .into_iter()
        .map(|name| (name.to_string(), scenario::load_path(name, &[]).unwrap()))
        .collect();
    for set in [
        "simulation.accept_temperature=0.05",
        "simulation.proposal_rule=recognition",
        "simulation.contest_decisiveness=2.5",
    ] {
        let sc = scenario::load_path("astana-2017", &[set.to_string()]).unwrap();
        cases.push((format!("astana-2017 {set}"), sc));
    }
    // The textbook protocols have rounds of their own.
    for set in [
        "simulation.proposal_rule=zeuthen",
        "simulation.proposal_rule=alternating",
    ] {
        let sc = scenario::load_path("two-party-textbook", &[set.to_string()]).unwrap();
        cases.push((format!("two-party-textbook {set}"), sc));
    }
    cases
}

fn full_hash(sc: &Scenario, seed: u64) -> u64 {
    let trace = ceasefire::engine::run(sc, seed);
    let summary = Summary::new(sc, &trace);
    let view = RunView {
        scenario: sc,
        trace: &trace,
        summary: &summary,
    };
    let mut h = fnv1a("full");
    for file in run_files(&view).unwrap() {
        h = fnv1a_extend(h, &file.name);
        h = fnv1a_extend(h, &String::from_utf8_lossy(&file.bytes));
    }
    h
}

fn lean_hash(sc: &Scenario, seed: u64) -> u64 {
    let o = ensemble::outcome(sc, seed);
    let mut h = fnv1a_extend(
        fnv1a("lean"),
        &String::from_utf8_lossy(&runs_row(&o).unwrap()),
    );
    for t in 0..o.agreement.len() {
        let line = format!(
            "{:x} {:x} {}",
            o.agreement[t].to_bits(),
            o.mean_utility[t].to_bits(),
            o.in_force[t]
        );
        h = fnv1a_extend(h, &line);
    }
    h
}

fn hash_all(one: fn(&Scenario, u64) -> u64) -> Vec<(String, String)> {
    cases()
        .into_iter()
        .map(|(name, sc)| {
            let mut h = fnv1a(&name);
            for seed in 20170504..20170504 + SEEDS {
                h = fnv1a_extend(h, &format!("{:016x}", one(&sc, seed)));
            }
            (name, format!("{h:016x}"))
        })
        .collect()
}

#[test]
fn every_file_of_every_bundled_scenario_is_unchanged() {
    insta::assert_debug_snapshot!(hash_all(full_hash));
}

#[test]
fn what_ensembles_keep_of_every_bundled_scenario_is_unchanged() {
    insta::assert_debug_snapshot!(hash_all(lean_hash));
}
