//! Global sensitivity analysis: the pure maths, in the unit cube `[0, 1)^d` (callers scale to their bounds).
//!
//! * [`SobolSequence`]: the Sobol' low-discrepancy sequence with the Joe & Kuo (2008) direction numbers
//!   (`new-joe-kuo-6.21201`, 1024 dimensions), unscrambled or scrambled by a random linear matrix scramble plus a
//!   digital shift (LMS + shift, as SciPy's `qmc.Sobol(scramble=True)` does).
//! * [`saltelli_sample`] and [`sobol_indices`]: Saltelli's design without second order and the first-order
//!   (Saltelli 2010) and total (Jansen 1999) Sobol' indices, point estimates as SALib 1.6 computes them, with seeded
//!   percentile-bootstrap intervals.
//! * [`morris_sample`] and [`morris_indices`]: Morris (1991) one-at-a-time trajectories on a `p`-level grid and the
//!   elementary-effect statistics `mu`, `mu*`, `sigma` as SALib 1.6 computes them, with a bootstrap interval on `mu*`.
//!
//! Nothing here panics or prints: every bad size or value is a [`GsaError`]. Every random draw comes from
//! `ChaCha8Rng` seeded by the caller's `u64` (each function on its own ChaCha stream), so the same inputs give the
//! same bits on every machine and thread count.

mod directions;
mod morris;
mod saltelli;
mod sobol_seq;

pub use morris::{MorrisIndex, morris_delta, morris_indices, morris_sample};
pub use saltelli::{SobolIndex, saltelli_sample, sobol_indices};
pub use sobol_seq::{MAX_DIMS, MAX_POINTS, SobolSequence};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The most numbers (rows × columns) a sampler returns: 2^27 values, 1 GiB of `f64`. Larger requests are refused
/// with [`GsaError::TooLarge`] rather than risking an allocation failure.
pub const MAX_VALUES: usize = 1 << 27;

/// The most bootstrap resamples an estimator accepts.
pub const MAX_RESAMPLES: usize = 100_000;

/// Why a sampler or an estimator refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GsaError {
    #[error("the number of dimensions must be at least 1, got 0")]
    ZeroDimensions,
    #[error(
        "{dims} dimensions asked, but the Joe & Kuo direction numbers embedded here cover at most {max}"
    )]
    TooManyDimensions { dims: usize, max: usize },
    #[error("{what} must be at least 1, got 0")]
    Zero { what: &'static str },
    #[error(
        "the number of base rows N must be a power of two (the Sobol' sequence is balanced only then), got {n}"
    )]
    NotPowerOfTwo { n: usize },
    #[error("{n} points asked, but a 32-bit Sobol' sequence has at most {max}")]
    TooManyPoints { n: u64, max: u64 },
    #[error("this would produce {values} numbers; at most {max} are allowed")]
    TooLarge { values: u128, max: usize },
    #[error("{what}: expected {expected}, got {got}")]
    LengthMismatch {
        what: &'static str,
        expected: String,
        got: usize,
    },
    #[error("{what}[{index}] is {value}; every value must be finite (no NaN or infinity)")]
    NotFinite {
        what: &'static str,
        index: usize,
        value: f64,
    },
    #[error("x row {row}, column {column} is {value}, outside the unit cube [0, 1]")]
    OutsideUnitCube {
        row: usize,
        column: usize,
        value: f64,
    },
    #[error("the output's mean or standard deviation overflows (values too large to standardise)")]
    Overflow,
    #[error("resamples must be between 1 and {max}, got {got}")]
    Resamples { got: usize, max: usize },
    #[error("the Morris grid needs an even number of levels of at least 2, got {levels}")]
    Levels { levels: usize },
    #[error("sigma (standard deviation with ddof = 1) needs at least 2 trajectories, got {r}")]
    TooFewTrajectories { r: usize },
    #[error("trajectory {trajectory}, step {step}: {problem}")]
    BadTrajectory {
        trajectory: usize,
        step: usize,
        problem: String,
    },
}

/// Refuses a request for `rows × cols` numbers above [`MAX_VALUES`].
pub(crate) fn check_size(rows: u128, cols: u128) -> Result<(), GsaError> {
    let values = rows.saturating_mul(cols);
    if values > MAX_VALUES as u128 {
        return Err(GsaError::TooLarge {
            values,
            max: MAX_VALUES,
        });
    }
    Ok(())
}

/// Refuses a resample count outside `1..=MAX_RESAMPLES`.
pub(crate) fn check_resamples(resamples: usize) -> Result<(), GsaError> {
    if resamples == 0 || resamples > MAX_RESAMPLES {
        return Err(GsaError::Resamples {
            got: resamples,
            max: MAX_RESAMPLES,
        });
    }
    Ok(())
}

/// Refuses NaN or infinite values, naming the first.
pub(crate) fn check_finite(what: &'static str, values: &[f64]) -> Result<(), GsaError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(GsaError::NotFinite {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// ChaCha8 seeded from `seed` (rand's `seed_from_u64`), on the stream `stream`, so that two functions given the
/// same seed still draw independent numbers.
pub(crate) fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A uniform index in `0..n` (`n ≥ 1`), drawn through a `u64` range so it is the same on 32- and 64-bit machines.
pub(crate) fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let i: u64 = rng.random_range(0..n as u64);
    i as usize
}

/// The `q`-quantile (`0 ≤ q ≤ 1`) of `values` by linear interpolation between order statistics (NumPy's default
/// "linear" method, Hyndman & Fan type 7): with the values sorted, `h = (R − 1) q` and the quantile is
/// `v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋])`. `sorted` must be sorted and non-empty; an empty slice gives NaN.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let h = last as f64 * q;
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let frac = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    if frac == 0.0 { a } else { a + frac * (b - a) }
}

/// The 95 % percentile interval `(2.5 %, 97.5 %)` of a set of bootstrap replicates (sorted in place).
pub(crate) fn percentile_interval(replicates: &mut [f64]) -> (f64, f64) {
    replicates.sort_by(f64::total_cmp);
    (quantile(replicates, 0.025), quantile(replicates, 0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_numpy_linear() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.025, 0.5, 0.975]) = [1.1, 3.0, 9.4]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&v, 0.025) - 1.1).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.975) - 9.4).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.975), 7.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
