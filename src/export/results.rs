//! The typed results of ensembles, as the commands hand them to exporters: a batch, a comparison of variants over
//! the same seeds, and one scenario over a few seeds. Numbers derived from them for several outputs (the paired
//! differences of a variant) are computed here, once.

use crate::ensemble::{Bands, Paired, RunOutcome};
use crate::scenario::Scenario;

/// "seed S" or "N seeds, S..S+N−1".
pub fn seeds_text(first: u64, runs: u64) -> String {
    if runs == 1 {
        format!("seed {first}")
    } else {
        format!("{runs} seeds, {first}..{}", first.wrapping_add(runs - 1))
    }
}

/// `ceasefire batch`: seeds `first_seed..first_seed + runs` of one scenario.
pub struct BatchResults<'a> {
    pub scenario: &'a Scenario,
    pub first_seed: u64,
    pub runs: u64,
    pub bands: &'a Bands,
}

/// One variant of a comparison.
pub struct Compared<'a> {
    pub label: &'a str,
    /// File-safe name (`bands-<slug>.csv`).
    pub slug: &'a str,
    pub scenario: &'a Scenario,
    pub bands: &'a Bands,
    /// Against the baseline (the first variant; its own is empty).
    pub paired: &'a Paired,
}

/// `ceasefire compare`: variants over the same seeds; the first is the baseline.
pub struct Comparison<'a> {
    pub first_seed: u64,
    pub runs: u64,
    /// The `--set` overrides applied to every variant.
    pub sets: &'a [String],
    pub variants: Vec<Compared<'a>>,
}

/// A variant's paired differences against the baseline (variant − baseline, same seeds).
#[derive(Clone, Copy, Debug)]
pub struct Deltas {
    /// Δ P(reached), with its Agresti–Min 95 % interval.
    pub reached: (f64, f64, f64),
    /// Δ median ceasefire round, when both reached one.
    pub median_round: Option<i64>,
    /// Δ mean final agreement, with its 95 % normal interval.
    pub agreement: (f64, f64, f64),
}

impl Comparison<'_> {
    pub fn baseline(&self) -> &Compared<'_> {
        &self.variants[0]
    }

    pub fn seeds_text(&self) -> String {
        seeds_text(self.first_seed, self.runs)
    }

    /// The paired differences of variant `i`; `None` for the baseline.
    pub fn deltas(&self, i: usize) -> Option<Deltas> {
        if i == 0 {
            return None;
        }
        let v = &self.variants[i];
        let median_round = match (
            v.bands.median_ceasefire_round(),
            self.baseline().bands.median_ceasefire_round(),
        ) {
            (Some(a), Some(b)) => Some(i64::from(a) - i64::from(b)),
            _ => None,
        };
        Some(Deltas {
            reached: v.paired.delta_reached(),
            median_round,
            agreement: v.paired.delta_agreement(),
        })
    }
}

/// `ceasefire compare SCENARIO --seeds …`: one scenario, a few seeds side by side (in the order given).
pub struct SeedsComparison<'a> {
    pub scenario: &'a Scenario,
    pub outcomes: &'a [RunOutcome],
}
