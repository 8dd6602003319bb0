//! Design points: each an ensemble of the scenario with the factors at given values, over the experiment's seeds.
//!
//! The runs of all points are simulated as one flat list of (point, seed) pairs, in chunks of [`CHUNK_RUNS`], in
//! parallel; each point's statistics are then added in seed order, so every sum is the same for any number of
//! threads. Memory holds one chunk of small per-run records, the histogram of ceasefire rounds of the point being
//! gathered, and a few numbers per finished point ([`PointStats`]).

use rayon::prelude::*;

use super::{Experiment, Output};
use crate::engine::Workspace;
use crate::ensemble::{Z95, outcome_in, wilson};
use crate::scenario::Scenario;

/// Runs simulated between two gatherings (any value gives the same results).
pub const CHUNK_RUNS: u64 = 16_384;

/// What one run adds to its point's statistics.
#[derive(Clone, Copy, Debug)]
struct Sample {
    ceasefire_round: Option<u32>,
    in_force_at_end: bool,
    final_agreement: f64,
    collapses: u32,
}

/// One design point's ensemble, summarised: integer counts, seed-order sums, and its median ceasefire round with
/// that median's interval (computed from the point's histogram of rounds once its last seed is in).
#[derive(Clone, Debug, PartialEq)]
pub struct PointStats {
    pub runs: u64,
    /// Runs that reached a ceasefire.
    pub reached: u64,
    /// Runs with the ceasefire in force in the last round.
    pub in_force: u64,
    /// Seed-order sums of the final agreement and of its square.
    pub final_sum: f64,
    pub final_squares: f64,
    pub collapses: u64,
    pub collapse_squares: u64,
    /// The median round reached and its 95 % interval (NaN when no run reached one).
    pub median_round: (f64, f64, f64),
}

/// A point being gathered: its statistics and its histogram of ceasefire rounds (index t − 1).
struct Gathering {
    stats: PointStats,
    reached_in: Vec<u64>,
}

impl Gathering {
    fn new(rounds: usize) -> Gathering {
        Gathering {
            stats: PointStats {
                runs: 0,
                reached: 0,
                in_force: 0,
                final_sum: 0.0,
                final_squares: 0.0,
                collapses: 0,
                collapse_squares: 0,
                median_round: (f64::NAN, f64::NAN, f64::NAN),
            },
            reached_in: vec![0; rounds],
        }
    }

    fn add(&mut self, s: &Sample) {
        let st = &mut self.stats;
        st.runs += 1;
        if let Some(r) = s.ceasefire_round {
            st.reached += 1;
            // A point may run more rounds than the experiment's scenario (a factor of `simulation.rounds`).
            let t = r as usize - 1;
            if t >= self.reached_in.len() {
                self.reached_in.resize(t + 1, 0);
            }
            self.reached_in[t] += 1;
        }
        st.in_force += u64::from(s.in_force_at_end);
        st.final_sum += s.final_agreement;
        st.final_squares += s.final_agreement * s.final_agreement;
        st.collapses += u64::from(s.collapses);
        st.collapse_squares += u64::from(s.collapses) * u64::from(s.collapses);
    }

    /// The finished point: the median round and its interval between order statistics: with k runs reached, ranks
    /// ⌊k/2 − 1.96 √k / 2⌋ and ⌈1 + k/2 + 1.96 √k / 2⌉ (clamped to 1..=k), the normal approximation to the binomial
    /// (Conover, *Practical Nonparametric Statistics*, 3rd ed., §3.2).
    fn finish(mut self) -> PointStats {
        let k = self.stats.reached;
        if k > 0 {
            let kf = k as f64;
            let spread = Z95 * kf.sqrt() / 2.0;
            let clamp = |r: f64| (r as u64).clamp(1, k);
            let lo_rank = clamp((kf / 2.0 - spread).floor());
            let hi_rank = clamp((1.0 + kf / 2.0 + spread).ceil());
            let at_rank = |rank: u64| {
                let mut cum = 0;
                for (t, c) in self.reached_in.iter().enumerate() {
                    cum += c;
                    if cum >= rank {
                        return (t + 1) as f64;
                    }
                }
                f64::NAN
            };
            self.stats.median_round = (at_rank(k.div_ceil(2)), at_rank(lo_rank), at_rank(hi_rank));
        }
        self.stats
    }
}

impl PointStats {
    /// The output's value at this point (NaN for the median round where no run reached a ceasefire).
    pub fn value(&self, output: Output) -> f64 {
        self.estimate(output).0
    }

    /// The output with its 95 % interval: (estimate, lo, hi). Probabilities get Wilson's interval (as every
    /// probability of an ensemble does), means the normal interval mean ± 1.96 s / √n, and the median round the
    /// distribution-free interval between two order statistics of the reached rounds.
    pub fn estimate(&self, output: Output) -> (f64, f64, f64) {
        let n = self.runs.max(1) as f64;
        let share = |k: u64| {
            let (lo, hi) = wilson(k, self.runs);
            (k as f64 / n, lo, hi)
        };
        let mean = |sum: f64, squares: f64| {
            let m = sum / n;
            let var = if self.runs > 1 {
                ((squares - n * m * m) / (n - 1.0)).max(0.0)
            } else {
                0.0
            };
            let half = Z95 * (var / n).sqrt();
            (m, m - half, m + half)
        };
        match output {
            Output::PReached => share(self.reached),
            Output::PInForce => share(self.in_force),
            Output::MeanFinalAgreement => mean(self.final_sum, self.final_squares),
            Output::MeanCollapses => mean(self.collapses as f64, self.collapse_squares as f64),
            Output::MedianRound => self.median_round,
        }
    }
}

/// Evaluate design points `points` (one value per factor each, in factor order) of `exp`, each over the seeds
/// `exp.first_seed..exp.first_seed + exp.seeds`, on `threads` threads (0: every core). `progress(done, total)`
/// is told the runs done. A point that makes the scenario invalid is an error naming the factors' values.
pub fn evaluate(
    exp: &Experiment,
    points: &[Vec<toml::Value>],
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> crate::Result<Vec<PointStats>> {
    let pool = crate::ensemble::pool(threads)?;
    let seeds = exp.seeds;
    let total = points.len() as u64 * seeds;
    let rounds = exp.base.simulation.rounds as usize;
    let mut stats: Vec<PointStats> = Vec::with_capacity(points.len());
    let mut current = Gathering::new(rounds);
    pool.install(|| {
        let mut start = 0u64;
        while start < total {
            let end = start.saturating_add(CHUNK_RUNS).min(total);
            let (p0, p1) = ((start / seeds) as usize, ((end - 1) / seeds) as usize);
            let scenarios: Vec<Scenario> = (p0..=p1)
                .into_par_iter()
                .map(|p| point_scenario(exp, &points[p]))
                .collect::<Result<_, _>>()?;
            let samples: Vec<Sample> = (start..end)
                .into_par_iter()
                .map_init(Workspace::default, |ws, i| {
                    let sc = &scenarios[(i / seeds) as usize - p0];
                    let o = outcome_in(ws, sc, exp.first_seed.wrapping_add(i % seeds));
                    Sample {
                        ceasefire_round: o.ceasefire_round,
                        in_force_at_end: o.in_force_at_end,
                        final_agreement: o.final_agreement,
                        collapses: o.collapses,
                    }
                })
                .collect();
            // Runs come point by point, each point's in seed order: a point is finished with its last seed.
            for (i, s) in (start..end).zip(&samples) {
                current.add(s);
                if (i + 1) % seeds == 0 {
                    stats.push(std::mem::replace(&mut current, Gathering::new(rounds)).finish());
                }
            }
            progress(end, total);
            start = end;
        }
        Ok::<(), crate::Error>(())
    })?;
    Ok(stats)
}

/// The scenario at one design point.
pub fn point_scenario(exp: &Experiment, values: &[toml::Value]) -> crate::Result<Scenario> {
    let sets = exp.sets(values);
    let (source, doc) = exp.source_of(values);
    Ok(crate::scenario::load::load_parsed_given(
        &source.name,
        &source.text,
        doc.clone(),
        &sets,
    )?)
}
