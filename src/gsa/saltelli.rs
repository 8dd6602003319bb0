//! Saltelli's design without second order, and the first-order and total Sobol' indices computed from it.

use super::{GsaError, SobolSequence};

/// ChaCha stream of the bootstrap of [`sobol_indices`].
const BOOTSTRAP_STREAM: u64 = 0x736f_626f_6c5f_6273; // "sobol_bs"

/// Saltelli's sampling without second order (Saltelli 2002; Saltelli et al. 2010), in SALib's row order.
///
/// Take the first `n_base` points of a scrambled `2d`-dimensional [`SobolSequence`] (seed `seed`); row `i` gives
/// `A_i` (its first `d` coordinates) and `B_i` (its last `d`). The result has `n_base · (d + 2)` rows of `d`
/// columns: for each `i` in order, `A_i`, then `AB_i^1 … AB_i^d` (`AB_i^j` is `A_i` with column `j` taken from
/// `B_i`), then `B_i` — the layout of SALib's `sample.sobol.sample(problem, N, calc_second_order=False)`.
///
/// `n_base` must be a power of two (the sequence's balance holds only then) and `2d ≤` [`super::MAX_DIMS`].
pub fn saltelli_sample(n_base: usize, d: usize, seed: u64) -> Result<Vec<Vec<f64>>, GsaError> {
    if d == 0 {
        return Err(GsaError::ZeroDimensions);
    }
    if n_base == 0 || !n_base.is_power_of_two() {
        return Err(GsaError::NotPowerOfTwo { n: n_base });
    }
    let dims = d.checked_mul(2).ok_or(GsaError::TooManyDimensions {
        dims: d,
        max: super::MAX_DIMS / 2,
    })?;
    if dims > super::MAX_DIMS {
        return Err(GsaError::TooManyDimensions {
            dims: d,
            max: super::MAX_DIMS / 2,
        });
    }
    let rows = (n_base as u128) * (d as u128 + 2);
    super::check_size(rows, d as u128)?;
    let base = SobolSequence::scrambled(dims, seed)?.points(n_base)?;
    let mut out = Vec::with_capacity(rows as usize);
    for p in &base {
        let (a, b) = p.split_at(d);
        out.push(a.to_vec());
        for j in 0..d {
            let mut ab = a.to_vec();
            ab[j] = b[j];
            out.push(ab);
        }
        out.push(b.to_vec());
    }
    Ok(out)
}

/// First-order and total Sobol' indices of one input, each with a 95 % bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order index `S1` (Saltelli et al. 2010).
    pub s1: f64,
    /// 2.5 % percentile of the bootstrap replicates of `S1`.
    pub s1_lo: f64,
    /// 97.5 % percentile of the bootstrap replicates of `S1`.
    pub s1_hi: f64,
    /// Total index `ST` (Jansen 1999).
    pub st: f64,
    /// 2.5 % percentile of the bootstrap replicates of `ST`.
    pub st_lo: f64,
    /// 97.5 % percentile of the bootstrap replicates of `ST`.
    pub st_hi: f64,
}

/// First-order and total Sobol' indices from outputs `y` laid out as [`saltelli_sample`] lays out its rows.
///
/// With `N = y.len() / (d + 2)` base rows, the point estimates are those of SALib 1.6
/// `SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False)`:
///
/// 1. standardise: `y ← (y − ȳ) / sd(y)` over all `N (d + 2)` values, population sd;
/// 2. `V = var([A; B])`, the population variance of the `2N` values `A_i` and `B_i`;
/// 3. `S1_j = mean_i(B_i · (AB_ij − A_i)) / V` (Saltelli et al. 2010, CPC 181, 259–270, Table 2 (b));
/// 4. `ST_j = ½ · mean_i((A_i − AB_ij)²) / V` (Jansen 1999, CPC 117, 35–43).
///
/// When `[A; B]` is constant (its range is 0) both indices are 0, as SALib does; a constant `y` gives all zeros.
///
/// Intervals: `resamples` bootstrap replicates, each drawing `N` base rows with replacement (the same rows for
/// every input `j`, `ChaCha8Rng` seeded with `seed`) and recomputing steps 2–4 on those rows (the standardisation
/// of step 1 is not redone, as in SALib); the interval is the 2.5 % and 97.5 % percentiles of the replicates
/// (linear interpolation between order statistics). SALib instead reports a half-width `1.96 · sd(replicates)`
/// (normal approximation); percentiles are kept here because they need no normality and respect the skew of the
/// replicates near 0 and 1. Exactly 0 indices (an input `y` ignores, so `AB_j = A`) get exactly `[0, 0]`.
pub fn sobol_indices(
    y: &[f64],
    d: usize,
    resamples: usize,
    seed: u64,
) -> Result<Vec<SobolIndex>, GsaError> {
    if d == 0 {
        return Err(GsaError::ZeroDimensions);
    }
    super::check_resamples(resamples)?;
    let step = d.checked_add(2).ok_or(GsaError::TooManyDimensions {
        dims: d,
        max: usize::MAX - 2,
    })?;
    if y.is_empty() || !y.len().is_multiple_of(step) {
        return Err(GsaError::LengthMismatch {
            what: "y length",
            expected: format!(
                "a positive multiple of d + 2 = {step} (N base rows of A, AB_1 … AB_{d}, B)"
            ),
            got: y.len(),
        });
    }
    super::check_finite("y", y)?;
    let n = y.len() / step;

    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sd = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / y.len() as f64).sqrt();
    if !mean.is_finite() || !sd.is_finite() {
        return Err(GsaError::Overflow);
    }
    if sd == 0.0 {
        let zero = SobolIndex {
            s1: 0.0,
            s1_lo: 0.0,
            s1_hi: 0.0,
            st: 0.0,
            st_lo: 0.0,
            st_hi: 0.0,
        };
        return Ok(vec![zero; d]);
    }
    let z: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
    let rows: Vec<&[f64]> = z.chunks_exact(step).collect();

    let all: Vec<usize> = (0..n).collect();
    let estimates = estimate(&rows, &all, d);

    let mut rng = super::rng(seed, BOOTSTRAP_STREAM);
    let mut s1_reps = vec![Vec::with_capacity(resamples); d];
    let mut st_reps = vec![Vec::with_capacity(resamples); d];
    let mut pick = vec![0usize; n];
    for _ in 0..resamples {
        for p in pick.iter_mut() {
            *p = super::index(&mut rng, n);
        }
        for (j, (s1, st)) in estimate(&rows, &pick, d).into_iter().enumerate() {
            s1_reps[j].push(s1);
            st_reps[j].push(st);
        }
    }
    Ok(estimates
        .into_iter()
        .zip(s1_reps.iter_mut().zip(st_reps.iter_mut()))
        .map(|((s1, st), (s1_r, st_r))| {
            let (s1_lo, s1_hi) = super::percentile_interval(s1_r);
            let (st_lo, st_hi) = super::percentile_interval(st_r);
            SobolIndex {
                s1,
                s1_lo,
                s1_hi,
                st,
                st_lo,
                st_hi,
            }
        })
        .collect())
}

/// `(S1_j, ST_j)` for every `j` over the base rows `pick` (indices into `rows`, repeats allowed) of standardised
/// outputs; each row is `A, AB_1 … AB_d, B`.
fn estimate(rows: &[&[f64]], pick: &[usize], d: usize) -> Vec<(f64, f64)> {
    let m = pick.len() as f64;
    let a = |i: usize| rows[i][0];
    let b = |i: usize| rows[i][d + 1];
    let (mut lo, mut hi, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
    for &i in pick {
        for v in [a(i), b(i)] {
            lo = lo.min(v);
            hi = hi.max(v);
            sum += v;
        }
    }
    if hi - lo == 0.0 {
        return vec![(0.0, 0.0); d];
    }
    let mean_ab = sum / (2.0 * m);
    let var = pick
        .iter()
        .map(|&i| (a(i) - mean_ab).powi(2) + (b(i) - mean_ab).powi(2))
        .sum::<f64>()
        / (2.0 * m);
    (0..d)
        .map(|j| {
            let (mut first, mut total) = (0.0, 0.0);
            for &i in pick {
                let diff = rows[i][j + 1] - a(i);
                first += b(i) * diff;
                total += diff * diff;
            }
            (first / m / var, 0.5 * (total / m) / var)
        })
        .collect()
}
