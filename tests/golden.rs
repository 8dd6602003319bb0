//! Golden outputs: astana-2017 at a fixed seed. These fail loudly when the numbers move — a change of model,
//! of the order of random draws, or of rand_distr's maths (promised identical only for the same platform and
//! Cargo.lock). If a change is intended, update the checksum and the snapshot in the same commit and say why.
#![allow(clippy::unwrap_used)]

use ceasefire::export::{RunView, run_files};
use ceasefire::rng::fnv1a;
use ceasefire::scenario;
use ceasefire::summary::Summary;

fn files(seed: u64) -> Vec<(String, String)> {
    let sc = scenario::load_path("astana-2017", &[]).unwrap();
    let trace = ceasefire::engine::run(&sc, seed);
    let summary = Summary::new(&sc, &trace);
    let view = RunView {
        scenario: &sc,
        trace: &trace,
        summary: &summary,
    };
    run_files(&view)
        .unwrap()
        .into_iter()
        .map(|f| (f.name, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

fn file(seed: u64, name: &str) -> String {
    files(seed).into_iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn rounds_csv_checksum_at_the_flagship_seed() {
    let rounds = file(20170504, "rounds.csv");
    let checksum = format!("{:016x}", fnv1a(&rounds));
    assert_eq!(
        checksum, "b92e57d65d9263ea",
        "rounds.csv of astana-2017 seed 20170504 moved"
    );
}

#[test]
fn summary_at_the_flagship_seed() {
    insta::assert_snapshot!(file(20170504, "summary.json"));
}

#[test]
fn first_rounds_of_the_flagship_seed() {
    let rounds = file(20170504, "rounds.csv");
    let head: Vec<&str> = rounds.lines().take(4).collect();
    insta::assert_snapshot!(head.join("\n"));
}
