//! Each teaching variant shows its lesson against the baseline over 1,000 shared seeds: a difference in the direction
//! the lesson claims, with a 95 % interval that excludes zero. The baseline itself stays uncertain.
#![allow(clippy::unwrap_used)]

use ceasefire::ensemble::{Bands, Paired, sweep};
use ceasefire::scenario::{self, bundled};

const RUNS: u64 = 1000;
const FIRST_SEED: u64 = 20170504;

struct Result {
    paired: Paired,
    base: Bands,
    variant: Bands,
}

fn compare(variant: &str) -> Result {
    let base = scenario::load_path("astana-2017", &[]).unwrap();
    let var = scenario::load_path(variant, &[]).unwrap();
    let mut r = Result {
        paired: Paired::default(),
        base: Bands::new(50),
        variant: Bands::new(50),
    };
    sweep(&[base, var], FIRST_SEED, RUNS, 0, |o| {
        r.base.add(&o[0]);
        r.variant.add(&o[1]);
        r.paired.add(&o[0], &o[1], u32::MAX);
        Ok(())
    })
    .unwrap();
    r
}

#[test]
fn every_bundled_scenario_validates_and_has_a_lesson() {
    for name in bundled::names() {
        let sc = scenario::load_path(name, &[]).unwrap();
        assert_eq!(sc.meta.id, name);
        assert!(
            !sc.meta.lesson.is_empty() && !sc.meta.sources.is_empty(),
            "{name}"
        );
    }
}

#[test]
fn the_baseline_is_uncertain_enough_to_teach_with() {
    let r = compare("astana-2017");
    let p = r.base.p_reached();
    assert!((0.5..0.95).contains(&p), "P(reached) = {p}");
    assert_eq!(r.paired.delta_reached().0, 0.0);
}

#[test]
fn who_guarantees_matters_without_iran() {
    let (d, _, hi) = compare("no-iran-guarantor").paired.delta_reached();
    assert!(hi < 0.0, "Δ = {d}, upper bound {hi}");
}

#[test]
fn a_distant_veto_player_as_guarantor_lowers_the_chance() {
    let (d, _, hi) = compare("us-active-party").paired.delta_reached();
    assert!(hi < 0.0, "Δ = {d}, upper bound {hi}");
}

#[test]
fn spoilers_make_a_ceasefire_less_likely_and_later() {
    let r = compare("hardline-spoiler");
    let (d, _, hi) = r.paired.delta_reached();
    assert!(hi < 0.0, "Δ = {d}, upper bound {hi}");
    assert!(r.variant.median_ceasefire_round() > r.base.median_ceasefire_round());
}

#[test]
fn an_early_hurting_stalemate_brings_the_ceasefire_sooner_and_it_holds() {
    let r = compare("early-hurting-stalemate");
    let (d, lo, _) = r.paired.delta_reached();
    assert!(lo > 0.0, "Δ = {d}, lower bound {lo}");
    assert!(r.variant.median_ceasefire_round() < r.base.median_ceasefire_round());
    let in_force = |b: &Bands| *b.in_force.last().unwrap() as f64 / b.runs as f64;
    assert!(in_force(&r.variant) > in_force(&r.base));
    assert!(r.variant.ripe_rounds > r.base.ripe_rounds);
}

#[test]
fn without_guarantor_pressure_the_talks_stall() {
    let (d, _, hi) = compare("no-guarantor-pressure").paired.delta_reached();
    assert!(hi < 0.0, "Δ = {d}, upper bound {hi}");
}
