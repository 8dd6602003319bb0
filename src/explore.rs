//! The computation behind a live "change one thing" view: the baseline and one variant over the same seeds (common
//! random numbers), summarised as the charts and the sentence need them, and abandoned as soon as it is outdated.
//!
//! It gives the same numbers as `ceasefire compare BASE --vary …` over the same seeds (a test checks it): the same
//! outcomes, added in seed order to the same [`Bands`] and [`Paired`].

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::engine::Workspace;
use crate::ensemble::{Bands, Paired, RunOutcome, outcome_in};
use crate::scenario::Scenario;

/// Seeds simulated between two looks at the cancel flag: small enough that an outdated computation stops within a
/// few milliseconds, large enough to keep every core busy.
const STEP: u64 = 128;

/// The baseline and the variant over seeds `first_seed..first_seed + runs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exploration {
    pub first_seed: u64,
    pub runs: u64,
    pub base: Bands,
    pub variant: Bands,
    /// The variant against the baseline, seed by seed.
    pub paired: Paired,
}

/// Run `base` and `variant` over seeds `first_seed..first_seed + runs` on the current rayon pool, or return `None`
/// as soon as `cancel` is set (checked every [`STEP`] seeds). The caller checks that the seeds fit in a `u64`
/// ([`crate::error::check_seed_range`]) and bounds `runs`.
pub fn explore(
    base: &Scenario,
    variant: &Scenario,
    first_seed: u64,
    runs: u64,
    cancel: &AtomicBool,
) -> Option<Exploration> {
    let mut out = Exploration {
        first_seed,
        runs,
        base: Bands::new(base.simulation.rounds as usize),
        variant: Bands::new(variant.simulation.rounds as usize),
        paired: Paired::default(),
    };
    let mut start = 0;
    while start < runs {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        let end = start.saturating_add(STEP).min(runs);
        let outcomes: Vec<(RunOutcome, RunOutcome)> = (start..end)
            .into_par_iter()
            .map_init(Workspace::default, |ws, j| {
                let seed = first_seed.wrapping_add(j);
                (outcome_in(ws, base, seed), outcome_in(ws, variant, seed))
            })
            .collect();
        // Added in seed order, as every ensemble is, so the sums are the same for any number of threads.
        for (b, v) in &outcomes {
            out.base.add(b);
            out.variant.add(v);
            // "Reached" within each scenario's own horizon, as `compare` counts it.
            out.paired.add(b, v, u32::MAX);
        }
        start = end;
    }
    Some(out)
}

impl Exploration {
    /// The difference in words: "Iran as observer: −28.9 points [−31.7, −26.0] chance of a ceasefire by week 50
    /// (79 % → 50 %); median week +3": the paired difference with its 95 % interval, then each one's chance. `round_label` is the baseline's (`week`).
    pub fn sentence(&self, label: &str, round_label: &str) -> String {
        let (d, lo, hi) = self.paired.delta_reached();
        let points = |p: f64| format!("{:+.1}", 100.0 * p).replace('-', "−");
        let median = match (
            self.variant.median_ceasefire_round(),
            self.base.median_ceasefire_round(),
        ) {
            (Some(v), Some(b)) => {
                format!("median {round_label} {:+}", i64::from(v) - i64::from(b)).replace('-', "−")
            }
            _ => "no median to compare: one of the two never reaches a ceasefire".to_string(),
        };
        format!(
            "{label}: {} points [{}, {}] chance of a ceasefire by {round_label} {} ({:.0} % → {:.0} %); {median}",
            points(d),
            points(lo),
            points(hi),
            self.base.rounds.max(self.variant.rounds),
            100.0 * self.base.p_reached_ci().0,
            100.0 * self.variant.p_reached_ci().0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn astana(sets: &[&str]) -> Scenario {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        crate::scenario::load_path("astana-2017", &sets).unwrap()
    }

    #[test]
    fn it_gives_what_compare_gives_over_the_same_seeds() {
        let (base, variant) = (astana(&[]), astana(&["actors.IRN.role=observer"]));
        let never = AtomicBool::new(false);
        let e = explore(&base, &variant, 7, 300, &never).unwrap();
        let mut bands = [Bands::new(50), Bands::new(50)];
        let mut paired = Paired::default();
        crate::ensemble::sweep(&[base, variant], 7, 300, 1, |o| {
            bands[0].add(&o[0]);
            bands[1].add(&o[1]);
            paired.add(&o[0], &o[1], u32::MAX);
            Ok(())
        })
        .unwrap();
        let [b, v] = bands;
        assert_eq!(e.base, b);
        assert_eq!(e.variant, v);
        assert_eq!(e.paired, paired);
        assert!(
            e.paired.delta_reached().2 < 0.0,
            "Iran as observer lowers the chance"
        );
    }

    #[test]
    fn a_cancelled_exploration_stops_and_gives_nothing() {
        let sc = astana(&[]);
        let cancelled = AtomicBool::new(true);
        assert_eq!(explore(&sc, &sc, 1, 10_000, &cancelled), None);
    }

    #[test]
    fn the_sentence_gives_the_difference_its_interval_and_the_median() {
        let (base, variant) = (astana(&[]), astana(&["actors.IRN.role=observer"]));
        let e = explore(&base, &variant, 20170504, 1000, &AtomicBool::new(false)).unwrap();
        // The teaching guide's numbers for the same 1,000 seeds.
        assert_eq!(
            e.sentence("Iran as observer", "week"),
            "Iran as observer: −28.9 points [−31.7, −26.0] chance of a ceasefire by week 50 (79 % → 50 %); median week +3"
        );
        let same = explore(&base, &base, 1, 50, &AtomicBool::new(false)).unwrap();
        assert!(same.sentence("x", "week").starts_with("x: +0.0 points"));
    }
}
