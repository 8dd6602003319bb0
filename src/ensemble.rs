//! Many seeds: runs in parallel (rayon), gathered in seed order, summarised by streaming statistics whose memory
//! does not grow with the number of runs.
//!
//! Run j of a batch with base seed S is exactly `run --seed S+j`. Per-round distributions are kept as fixed-bin
//! histograms (1,000 bins over [0, 1]) of integer counts, which merge exactly in any order, and every float that is
//! summed is summed sequentially in seed order, so results are identical for any number of threads.

use rayon::prelude::*;

use crate::engine::Workspace;
use crate::scenario::Scenario;
use crate::trace::Trace;

pub const BINS: usize = 1000;
/// Histograms cost 8 KB per round; batches are limited to this many rounds (80 MB).
pub const MAX_BATCH_ROUNDS: u32 = 10_000;
/// The most seeds simulated between two gatherings (any value gives the same results).
pub const CHUNK: u64 = 4096;
/// What the outcomes of one chunk may hold, in bytes: a chunk of long runs (or of many variants) has fewer seeds,
/// so that memory does not grow with rounds × variants × [`CHUNK`]. Two chunks are alive at once (one gathered while
/// the next is simulated).
pub const CHUNK_BYTES: u64 = 32 << 20;
/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// What an ensemble keeps of one run. Two outcomes are equal when every number is the same bit for bit (a text not
/// defined, NaN, equals another not defined).
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub seed: u64,
    pub ceasefire_round: Option<u32>,
    /// First signature of each module.
    pub first_signed: Vec<Option<u32>>,
    pub collapses: u32,
    pub final_agreement: f64,
    pub mean_agreement: f64,
    pub in_force_at_end: bool,
    pub violations: u32,
    pub attacks: u32,
    /// Rounds flagged ripe (mutually hurting stalemate).
    pub ripe_rounds: u32,
    pub final_text: Vec<f64>,
    pub agreement: Vec<f64>,
    pub mean_utility: Vec<f64>,
    pub in_force: Vec<bool>,
}

impl PartialEq for RunOutcome {
    fn eq(&self, o: &Self) -> bool {
        let same = crate::trace::same_bits;
        self.seed == o.seed
            && self.ceasefire_round == o.ceasefire_round
            && self.first_signed == o.first_signed
            && self.collapses == o.collapses
            && same(&[self.final_agreement], &[o.final_agreement])
            && same(&[self.mean_agreement], &[o.mean_agreement])
            && self.in_force_at_end == o.in_force_at_end
            && self.violations == o.violations
            && self.attacks == o.attacks
            && self.ripe_rounds == o.ripe_rounds
            && same(&self.final_text, &o.final_text)
            && same(&self.agreement, &o.agreement)
            && same(&self.mean_utility, &o.mean_utility)
            && self.in_force == o.in_force
    }
}

impl RunOutcome {
    /// What an ensemble keeps of a full trace (the same as the engine's outcome recorder keeps of the run).
    pub fn from_trace(sc: &Scenario, t: &Trace) -> RunOutcome {
        let first_signed: Vec<Option<u32>> = (0..t.modules()).map(|m| t.first_signed(m)).collect();
        RunOutcome {
            seed: t.world().seed,
            ceasefire_round: first_signed[sc.ceasefire_module],
            first_signed,
            collapses: t.collapses() as u32,
            final_agreement: t.agreement().last().copied().unwrap_or(0.0),
            mean_agreement: RunOutcome::mean_agreement_of(t.agreement()),
            in_force_at_end: t.in_force().last().copied().unwrap_or(false),
            violations: t.violations().iter().sum(),
            attacks: t.attacks().iter().sum(),
            ripe_rounds: t.ripe().iter().filter(|r| **r).count() as u32,
            final_text: t.final_text().to_vec(),
            agreement: t.agreement().to_vec(),
            mean_utility: t.mean_utility().to_vec(),
            in_force: t.in_force().to_vec(),
        }
    }

    /// The mean of A(t) over the rounds (0 for a run of no rounds).
    pub fn mean_agreement_of(agreement: &[f64]) -> f64 {
        agreement.iter().sum::<f64>() / agreement.len().max(1) as f64
    }

    pub fn reached_by(&self, round: u32) -> bool {
        self.ceasefire_round.is_some_and(|r| r <= round)
    }
}

impl RunOutcome {
    /// About what one outcome of `sc` holds, in bytes: its per-round series (two numbers and a flag a round) and
    /// its per-module and per-dimension values.
    pub fn size_of(sc: &Scenario) -> u64 {
        let rounds = u64::from(sc.simulation.rounds);
        let per_round = (2 * size_of::<f64>() + size_of::<bool>()) as u64;
        let fixed = (sc.modules.len() * size_of::<Option<u32>>()
            + sc.dimensions.len() * size_of::<f64>()
            + size_of::<RunOutcome>()) as u64;
        rounds * per_round + fixed
    }
}

/// How many seeds one chunk of a sweep of `variants` simulates: [`CHUNK`], or fewer when their outcomes would hold
/// more than [`CHUNK_BYTES`].
pub fn chunk_seeds(variants: &[Scenario]) -> u64 {
    let per_seed: u64 = variants.iter().map(RunOutcome::size_of).sum();
    (CHUNK_BYTES / per_seed.max(1)).clamp(1, CHUNK)
}

/// Run `seed` and keep its outcome.
pub fn outcome(sc: &Scenario, seed: u64) -> RunOutcome {
    outcome_in(&mut Workspace::default(), sc, seed)
}

/// [`outcome`], working in `workspace` (see [`crate::engine::outcome_in`]).
pub fn outcome_in(workspace: &mut Workspace, sc: &Scenario, seed: u64) -> RunOutcome {
    crate::engine::outcome_in(workspace, sc, seed)
}

/// Counts over 1,000 equal bins of [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    counts: Vec<u32>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BINS],
            total: 0,
        }
    }
}

impl Histogram {
    pub fn add(&mut self, v: f64) {
        let bin = if v.is_nan() {
            0
        } else {
            ((v.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1)
        };
        self.counts[bin] = self.counts[bin].saturating_add(1);
        self.total += 1;
    }

    /// A histogram of these counts (one per bin: [`BINS`] of them; missing bins are empty, extra ones dropped) and
    /// total, as [`Histogram::counts`] and [`Histogram::total`] gave them.
    pub fn from_counts(mut counts: Vec<u32>, total: u64) -> Histogram {
        counts.resize(BINS, 0);
        Histogram { counts, total }
    }

    /// The count of each bin, [`BINS`] of them.
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// How many values were added.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a = a.saturating_add(*b);
        }
        self.total = self.total.saturating_add(other.total);
    }

    /// The p-quantile: the centre of the first bin whose cumulative count reaches p × total (resolution 0.001).
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles([p])[0]
    }

    /// Several quantiles (each as [`Histogram::quantile`]) in one pass over the bins; `ps` must be ascending.
    pub fn quantiles<const N: usize>(&self, ps: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.total == 0 {
            return out;
        }
        let targets = ps.map(|p| ((p * self.total as f64).ceil() as u64).max(1));
        let mut next = 0;
        let mut cum = 0u64;
        for (i, c) in self.counts.iter().enumerate() {
            cum += u64::from(*c);
            while next < N && cum >= targets[next] {
                out[next] = (i as f64 + 0.5) / BINS as f64;
                next += 1;
            }
            if next == N {
                return out;
            }
        }
        for q in &mut out[next..] {
            *q = 1.0 - 0.5 / BINS as f64;
        }
        out
    }
}

/// 95 % Wilson score interval for k successes in n trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    // k ≤ n for every count this program makes; a larger k (from a damaged file) is read as n, not a panic.
    let k = k.min(n);
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    // At k = 0 and k = n the bounds are exactly 0 and 1; rounding must not move them.
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, p)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).clamp(p, 1.0)
    };
    (lo, hi)
}

/// Per-round statistics of an ensemble.
#[derive(Clone, Debug, PartialEq)]
pub struct Bands {
    pub rounds: usize,
    pub runs: u64,
    pub agreement: Vec<Histogram>,
    pub mean_utility: Vec<Histogram>,
    /// Runs whose ceasefire was reached by round t.
    pub reached_by: Vec<u64>,
    /// Runs with the ceasefire in force at round t.
    pub in_force: Vec<u64>,
    /// Runs whose ceasefire was reached in round t (index t − 1).
    pub reached_in: Vec<u64>,
    pub collapses: u64,
    /// Ripe rounds summed over runs.
    pub ripe_rounds: u64,
    /// Sequential (seed-order) sum of final agreements.
    pub final_agreement_sum: f64,
}

impl Bands {
    pub fn new(rounds: usize) -> Bands {
        Bands {
            rounds,
            runs: 0,
            agreement: vec![Histogram::default(); rounds],
            mean_utility: vec![Histogram::default(); rounds],
            reached_by: vec![0; rounds],
            in_force: vec![0; rounds],
            reached_in: vec![0; rounds],
            collapses: 0,
            ripe_rounds: 0,
            final_agreement_sum: 0.0,
        }
    }

    /// Add one run (call in seed order).
    pub fn add(&mut self, o: &RunOutcome) {
        self.runs += 1;
        for t in 0..self.rounds.min(o.agreement.len()) {
            self.agreement[t].add(o.agreement[t]);
            self.mean_utility[t].add(o.mean_utility[t]);
            if o.in_force[t] {
                self.in_force[t] += 1;
            }
            if o.reached_by(t as u32 + 1) {
                self.reached_by[t] += 1;
            }
        }
        if let Some(c) = o
            .ceasefire_round
            .and_then(|r| self.reached_in.get_mut(r as usize - 1))
        {
            *c += 1;
        }
        self.collapses += u64::from(o.collapses);
        self.ripe_rounds += u64::from(o.ripe_rounds);
        self.final_agreement_sum += o.final_agreement;
    }

    /// Add the counts of `other` (an ensemble of other seeds of the same scenario): everything but
    /// `final_agreement_sum`, a float whose value depends on the order it is summed in, which the caller sums in
    /// seed order (see [`crate::shard`]).
    pub fn merge_counts(&mut self, other: &Bands) {
        // Saturating: the counts of honest parts never come near u64::MAX, and damaged ones must not panic.
        self.runs = self.runs.saturating_add(other.runs);
        for (a, b) in self.agreement.iter_mut().zip(&other.agreement) {
            a.merge(b);
        }
        for (a, b) in self.mean_utility.iter_mut().zip(&other.mean_utility) {
            a.merge(b);
        }
        for (mine, theirs) in [
            (&mut self.reached_by, &other.reached_by),
            (&mut self.in_force, &other.in_force),
            (&mut self.reached_in, &other.reached_in),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a = a.saturating_add(*b);
            }
        }
        self.collapses = self.collapses.saturating_add(other.collapses);
        self.ripe_rounds = self.ripe_rounds.saturating_add(other.ripe_rounds);
    }

    /// P(ceasefire reached by the last round).
    pub fn p_reached(&self) -> f64 {
        self.p_reached_ci().0
    }

    /// The share of runs `k` out of these runs, with its 95 % Wilson interval: (p, lo, hi). Every probability of
    /// an ensemble, in every output, is computed here.
    fn share(&self, k: u64) -> (f64, f64, f64) {
        let (lo, hi) = wilson(k, self.runs);
        (k as f64 / self.runs.max(1) as f64, lo, hi)
    }

    /// P(ceasefire reached by the last round), with its 95 % Wilson interval: (p, lo, hi).
    pub fn p_reached_ci(&self) -> (f64, f64, f64) {
        self.share(self.reached_by.last().copied().unwrap_or(0))
    }

    /// P(ceasefire in force at the end), with its 95 % Wilson interval.
    pub fn p_in_force_at_end(&self) -> (f64, f64, f64) {
        self.share(self.in_force.last().copied().unwrap_or(0))
    }

    /// P(ceasefire reached by round `t + 1`), with its 95 % Wilson interval.
    pub fn p_reached_by(&self, t: usize) -> (f64, f64, f64) {
        self.share(self.reached_by[t])
    }

    /// P(ceasefire in force in round `t + 1`), with its 95 % Wilson interval.
    pub fn p_in_force_at(&self, t: usize) -> (f64, f64, f64) {
        self.share(self.in_force[t])
    }

    /// Collapses per run.
    pub fn mean_collapses(&self) -> f64 {
        self.collapses as f64 / self.runs.max(1) as f64
    }

    /// Median round of the ceasefire among runs that reached one.
    pub fn median_ceasefire_round(&self) -> Option<u32> {
        let reached: u64 = self.reached_in.iter().sum();
        if reached == 0 {
            return None;
        }
        let target = reached.div_ceil(2);
        let mut cum = 0;
        for (t, c) in self.reached_in.iter().enumerate() {
            cum += c;
            if cum >= target {
                return Some(t as u32 + 1);
            }
        }
        None
    }

    pub fn mean_final_agreement(&self) -> f64 {
        self.final_agreement_sum / self.runs.max(1) as f64
    }
}

/// Paired comparison of a variant with the baseline over the same seeds (common random numbers).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paired {
    pub n: u64,
    /// Reached by the last round: both, baseline only, variant only, neither.
    pub both: u64,
    pub base_only: u64,
    pub variant_only: u64,
    pub neither: u64,
    /// Sequential sums of the difference (variant − baseline) of final agreement, and of its square.
    pub diff_sum: f64,
    pub diff_sq_sum: f64,
}

impl Paired {
    pub fn add(&mut self, base: &RunOutcome, variant: &RunOutcome, last: u32) {
        self.n += 1;
        match (base.reached_by(last), variant.reached_by(last)) {
            (true, true) => self.both += 1,
            (true, false) => self.base_only += 1,
            (false, true) => self.variant_only += 1,
            (false, false) => self.neither += 1,
        }
        self.add_final(base.final_agreement, variant.final_agreement);
    }

    /// Add one seed's paired difference of final agreement (the float part of [`Paired::add`]; a merge of
    /// `compare --shard` adds the shards' rows with it, in seed order, as the unsharded comparison did).
    pub fn add_final(&mut self, base: f64, variant: f64) {
        let d = variant - base;
        self.diff_sum += d;
        self.diff_sq_sum += d * d;
    }

    /// Add another part's counts (everything but the float sums, which [`Paired::add_final`] adds in seed order).
    pub fn merge_counts(&mut self, other: &Paired) {
        // Saturating, as [`Bands::merge_counts`]: a damaged part must not panic.
        self.n = self.n.saturating_add(other.n);
        self.both = self.both.saturating_add(other.both);
        self.base_only = self.base_only.saturating_add(other.base_only);
        self.variant_only = self.variant_only.saturating_add(other.variant_only);
        self.neither = self.neither.saturating_add(other.neither);
    }

    /// Δ P(reached) = P(variant) − P(baseline), with the Agresti–Min (2005) 95 % interval for paired proportions
    /// (Wald on the table with ½ added to each cell).
    pub fn delta_reached(&self) -> (f64, f64, f64) {
        let n = self.n as f64;
        if self.n == 0 {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let delta = (self.variant_only as f64 - self.base_only as f64) / n;
        let (b, c, m) = (
            self.base_only as f64 + 0.5,
            self.variant_only as f64 + 0.5,
            n + 2.0,
        );
        let adjusted = (c - b) / m;
        let se = ((b + c) - (c - b).powi(2) / m).max(0.0).sqrt() / m;
        (
            delta,
            (adjusted - Z95 * se).max(-1.0),
            (adjusted + Z95 * se).min(1.0),
        )
    }

    /// Δ mean final agreement, with a 95 % normal interval on the paired differences.
    pub fn delta_agreement(&self) -> (f64, f64, f64) {
        if self.n == 0 {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let n = self.n as f64;
        let mean = self.diff_sum / n;
        let var = if self.n > 1 {
            ((self.diff_sq_sum - n * mean * mean) / (n - 1.0)).max(0.0)
        } else {
            0.0
        };
        let half = Z95 * (var / n).sqrt();
        (mean, mean - half, mean + half)
    }
}

/// A pool of `threads` worker threads (0: one per core), or [`crate::Error::Threads`] when it cannot start.
pub fn pool(threads: usize) -> crate::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| crate::Error::Threads {
            reason: format!("cannot start {threads} threads: {e}"),
        })
}

/// Simulate seeds `first..first + count` of every scenario in `variants` (all with the same seeds), calling
/// `gather(outcomes)` once per seed, in seed order, with one outcome per variant. `threads` = 0 uses all cores.
/// The first error of `gather` stops the sweep and is returned; a thread pool that cannot start is
/// [`crate::Error::Threads`].
/// Seeds are simulated in chunks; while one chunk is gathered (tables written, statistics added), the next one is
/// already being simulated, so no core waits for the writer.
pub fn sweep<F>(
    variants: &[Scenario],
    first: u64,
    count: u64,
    threads: usize,
    mut gather: F,
) -> crate::Result<()>
where
    F: FnMut(&[RunOutcome]) -> crate::Result<()> + Send,
{
    sweep_with(
        variants,
        first,
        count,
        threads,
        |_| (),
        |outcomes, ()| gather(outcomes),
    )
}

/// [`sweep`] with a step that runs on the simulating threads: `prepare(outcomes)` is called for each seed where it
/// was simulated (in no particular order), and its result is handed to `gather` with the outcomes, in seed order.
/// Work that needs no order (formatting a table row, say) goes in `prepare`, so the one gathering thread does less.
pub fn sweep_with<P, R, F>(
    variants: &[Scenario],
    first: u64,
    count: u64,
    threads: usize,
    prepare: R,
    mut gather: F,
) -> crate::Result<()>
where
    P: Send,
    R: Fn(&[RunOutcome]) -> P + Sync,
    F: FnMut(&[RunOutcome], P) -> crate::Result<()> + Send,
{
    let pool = pool(threads)?;
    let simulate = |start: u64, end: u64| -> Vec<(Vec<RunOutcome>, P)> {
        (start..end)
            .into_par_iter()
            // Each worker keeps a workspace, so a run's working vectors are allocated once per worker.
            .map_init(Workspace::default, |workspace, j| {
                let seed = first.wrapping_add(j);
                let outcomes: Vec<RunOutcome> = variants
                    .iter()
                    .map(|sc| outcome_in(workspace, sc, seed))
                    .collect();
                let prepared = prepare(&outcomes);
                (outcomes, prepared)
            })
            .collect()
    };
    let chunk = chunk_seeds(variants);
    pool.install(|| {
        let mut start = 0u64;
        let mut pending: Vec<(Vec<RunOutcome>, P)> = Vec::new();
        loop {
            let end = start.saturating_add(chunk).min(count);
            let (next, gathered) = rayon::join(
                || {
                    if start < count {
                        simulate(start, end)
                    } else {
                        Vec::new()
                    }
                },
                || {
                    pending
                        .drain(..)
                        .try_for_each(|(outcomes, prepared)| gather(&outcomes, prepared))
                },
            );
            gathered?;
            if start >= count {
                return Ok(());
            }
            pending = next;
            start = end;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_contains_the_estimate_and_matches_a_textbook_value() {
        // Newcombe (1998), example: 81 of 263 → 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263);
        assert!(
            (lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4,
            "{lo} {hi}"
        );
        for (k, n) in [(0, 10), (10, 10), (3, 7), (500, 1000)] {
            let (lo, hi) = wilson(k, n);
            let p = k as f64 / n as f64;
            assert!(lo <= p && p <= hi && (0.0..=1.0).contains(&lo) && hi <= 1.0);
        }
    }

    #[test]
    fn histograms_merge_exactly_and_give_ordered_quantiles() {
        let mut a = Histogram::default();
        let mut b = Histogram::default();
        let mut all = Histogram::default();
        for i in 0..1000 {
            let v = f64::from(i) / 999.0;
            if i % 3 == 0 {
                a.add(v)
            } else {
                b.add(v)
            }
            all.add(v);
        }
        let mut merged = b.clone();
        merged.merge(&a);
        assert_eq!(merged, all);
        let qs: Vec<f64> = [0.05, 0.25, 0.5, 0.75, 0.95]
            .iter()
            .map(|&p| all.quantile(p))
            .collect();
        assert!(qs.windows(2).all(|w| w[0] <= w[1]));
        assert!((qs[2] - 0.5).abs() < 0.002);
        assert!(Histogram::default().quantile(0.5).is_nan());
    }

    #[test]
    fn quantiles_in_one_pass_equal_one_at_a_time() {
        // The definition, one quantile per scan of the bins.
        let reference = |h: &Histogram, p: f64| {
            let target = ((p * h.total as f64).ceil() as u64).max(1);
            let mut cum = 0;
            for (i, c) in h.counts.iter().enumerate() {
                cum += u64::from(*c);
                if cum >= target {
                    return (i as f64 + 0.5) / BINS as f64;
                }
            }
            1.0 - 0.5 / BINS as f64
        };
        let ps = [0.0, 0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 1.0];
        let mut state = 7u64;
        for size in [1usize, 2, 3, 10, 999, 5000] {
            let mut h = Histogram::default();
            for _ in 0..size {
                // Clustered values, so that several quantiles share a bin and many bins are empty.
                let u = crate::rng::splitmix64(&mut state) as f64 / u64::MAX as f64;
                h.add((u * u * 0.3).min(1.0));
            }
            let together = h.quantiles(ps);
            for (p, q) in ps.iter().zip(together) {
                assert_eq!(
                    reference(&h, *p).to_bits(),
                    q.to_bits(),
                    "size {size}, p {p}"
                );
                assert_eq!(h.quantile(*p).to_bits(), q.to_bits(), "size {size}, p {p}");
            }
        }
    }

    #[test]
    fn paired_difference_interval_contains_the_difference() {
        let mut p = Paired {
            n: 200,
            both: 100,
            base_only: 10,
            variant_only: 40,
            neither: 50,
            ..Paired::default()
        };
        let (d, lo, hi) = p.delta_reached();
        assert!((d - 0.15).abs() < 1e-12 && lo < d && d < hi && lo > 0.0);
        p.base_only = 25;
        p.variant_only = 25;
        let (d, lo, hi) = p.delta_reached();
        assert!(d == 0.0 && lo < 0.0 && hi > 0.0);
    }
}
