//! Morris's (1991) elementary-effects screening: one-at-a-time trajectories on a grid and their statistics.

use rand_chacha::ChaCha8Rng;

use super::GsaError;

/// ChaCha stream of [`morris_sample`].
const SAMPLE_STREAM: u64 = 0x6d6f_7272_6973_5f73; // "morris_s"
/// ChaCha stream of the bootstrap of [`morris_indices`].
const BOOTSTRAP_STREAM: u64 = 0x6d6f_7272_6973_6273; // "morrisbs"

/// The Morris step in unit-cube units, `Δ = p / (2 (p − 1))` (SALib's `_compute_delta`; 2/3 for `p = 4`).
pub fn morris_delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

fn check_levels(levels: usize) -> Result<(), GsaError> {
    if levels < 2 || !levels.is_multiple_of(2) {
        return Err(GsaError::Levels { levels });
    }
    Ok(())
}

/// Morris (1991) trajectories on the `p`-level grid `{0, 1/(p−1), …, 1}` (`p = levels`, even, ≥ 2; SALib's default
/// is 4), laid out as SALib's `sample.morris.sample(problem, r, num_levels=p)` without optimal trajectories or
/// groups lays them out: `r` trajectories of `d + 1` rows each, trajectory by trajectory, `r (d + 1)` rows of `d`
/// columns.
///
/// One trajectory is SALib's `B* = (J x* + (Δ/2)((2 B − J) D* + J)) P*`-style construction: a random order of the
/// factors (`P*`), a random direction `±1` per factor (`D*`) and a random base point `x*` with every coordinate on
/// the lower half of the grid, `{0, 1/(p−1), …, (p/2 − 1)/(p−1)}`. Row 0 has factor `j` at `x*_j` if its direction
/// is `+1` and at `x*_j + Δ` if it is `−1`; row `t` (`t = 1 … d`) is row `t − 1` with the `t`-th factor of the order
/// moved by `+Δ` or `−Δ` (its direction), so every step changes exactly one factor by `Δ` and every factor moves
/// exactly once. Coordinates are computed as `level / (p − 1)` from integer levels, so they lie exactly on the grid.
///
/// Draws, from `ChaCha8Rng` seeded with `seed`, per trajectory: the order (Fisher–Yates, `j = d−1 … 1` swapping with
/// a uniform index in `0..=j`), then `d` directions (one uniform bit each), then `d` base levels (uniform in
/// `0..p/2`). The numbers differ from SALib's (another generator); the layout and the distribution are the same.
pub fn morris_sample(
    r: usize,
    d: usize,
    levels: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, GsaError> {
    if d == 0 {
        return Err(GsaError::ZeroDimensions);
    }
    if r == 0 {
        return Err(GsaError::Zero {
            what: "the number of trajectories r",
        });
    }
    check_levels(levels)?;
    let rows = (r as u128) * (d as u128 + 1);
    super::check_size(rows, d as u128)?;
    let half = levels / 2;
    let top = (levels - 1) as f64;
    let mut rng = super::rng(seed, SAMPLE_STREAM);
    let mut out = Vec::with_capacity(rows as usize);
    for _ in 0..r {
        let order = permutation(&mut rng, d);
        let up: Vec<bool> = (0..d).map(|_| super::index(&mut rng, 2) == 1).collect();
        let mut level: Vec<usize> = (0..d)
            .map(|j| {
                let base = super::index(&mut rng, half);
                if up[j] { base } else { base + half }
            })
            .collect();
        out.push(level.iter().map(|&l| l as f64 / top).collect());
        for &j in &order {
            level[j] = if up[j] {
                level[j] + half
            } else {
                level[j] - half
            };
            out.push(level.iter().map(|&l| l as f64 / top).collect());
        }
    }
    Ok(out)
}

/// A uniformly random order of `0..d` (Fisher–Yates).
fn permutation(rng: &mut ChaCha8Rng, d: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..d).collect();
    for j in (1..d).rev() {
        let k = super::index(rng, j + 1);
        order.swap(j, k);
    }
    order
}

/// Morris statistics of one input's elementary effects (unit-cube units), with a 95 % bootstrap interval on `mu*`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect (Campolongo et al. 2007).
    pub mu_star: f64,
    /// Standard deviation of the elementary effects, `ddof = 1`.
    pub sigma: f64,
    /// 2.5 % percentile of the bootstrap replicates of `mu*`.
    pub mu_star_lo: f64,
    /// 97.5 % percentile of the bootstrap replicates of `mu*`.
    pub mu_star_hi: f64,
}

/// Elementary effects and their statistics from Morris trajectories `x` (the rows of [`morris_sample`], in the
/// unit cube) and outputs `y` (one per row), as SALib 1.6 `SALib.analyze.morris.analyze(problem, X, Y,
/// num_levels=p)` computes them (unscaled, no groups).
///
/// For trajectory `t` and the step from row `k` to row `k + 1` in which factor `j` changes, the elementary effect
/// is `EE_tj = (y_{k+1} − y_k) / Δ` if `x_j` increased and `EE_tj = (y_k − y_{k+1}) / Δ` if it decreased, with
/// `Δ = p / (2 (p − 1))` from the number of levels (not the step measured in `x`): an estimate of `∂y/∂x_j` in
/// unit-cube units whatever the direction of the step. Then over the `r` trajectories
/// `mu_j = mean_t EE_tj`, `mu*_j = mean_t |EE_tj|` and `sigma_j = sqrt(Σ_t (EE_tj − mu_j)² / (r − 1))`.
///
/// Each step must change exactly one factor and each factor must change exactly once per trajectory (SALib does not
/// check this and silently sums or drops effects); `r ≥ 2` (for `sigma`).
///
/// Interval on `mu*`: for each factor in turn, `resamples` bootstrap replicates of `mean |EE|` over `r` effects drawn
/// with replacement (`ChaCha8Rng` seeded with `seed`; SALib also resamples factor by factor), and the 2.5 % and
/// 97.5 % percentiles of the replicates. SALib reports the half-width `1.96 · sd(replicates)` instead; see
/// [`super::sobol_indices`] for why percentiles.
pub fn morris_indices(
    x: &[Vec<f64>],
    y: &[f64],
    d: usize,
    levels: usize,
    resamples: usize,
    seed: u64,
) -> Result<Vec<MorrisIndex>, GsaError> {
    if d == 0 {
        return Err(GsaError::ZeroDimensions);
    }
    check_levels(levels)?;
    super::check_resamples(resamples)?;
    if x.len() != y.len() {
        return Err(GsaError::LengthMismatch {
            what: "y length",
            expected: format!("one output per row of x ({} rows)", x.len()),
            got: y.len(),
        });
    }
    let size = d.checked_add(1).ok_or(GsaError::TooManyDimensions {
        dims: d,
        max: usize::MAX - 1,
    })?;
    if x.is_empty() || !x.len().is_multiple_of(size) {
        return Err(GsaError::LengthMismatch {
            what: "number of rows of x",
            expected: format!(
                "a positive multiple of d + 1 = {size} (r trajectories of d + 1 rows)"
            ),
            got: x.len(),
        });
    }
    for (row, xr) in x.iter().enumerate() {
        if xr.len() != d {
            return Err(GsaError::LengthMismatch {
                what: "row width of x",
                expected: format!("d = {d} columns (row {row})"),
                got: xr.len(),
            });
        }
        if let Some(column) = xr.iter().position(|v| !(0.0..=1.0).contains(v)) {
            return Err(GsaError::OutsideUnitCube {
                row,
                column,
                value: xr[column],
            });
        }
    }
    super::check_finite("y", y)?;
    let r = x.len() / size;
    if r < 2 {
        return Err(GsaError::TooFewTrajectories { r });
    }
    let delta = morris_delta(levels);

    // ee[j][t]: elementary effect of factor j in trajectory t.
    let mut ee = vec![vec![0.0; r]; d];
    for t in 0..r {
        let rows = &x[t * size..(t + 1) * size];
        let ys = &y[t * size..(t + 1) * size];
        let mut moved = vec![false; d];
        for k in 0..d {
            let (before, after) = (&rows[k], &rows[k + 1]);
            let mut changed = (0..d).filter(|&j| after[j] != before[j]);
            let (Some(j), None) = (changed.next(), changed.next()) else {
                let n = (0..d).filter(|&j| after[j] != before[j]).count();
                return Err(GsaError::BadTrajectory {
                    trajectory: t,
                    step: k + 1,
                    problem: format!("{n} factors change; each step must change exactly one"),
                });
            };
            if moved[j] {
                return Err(GsaError::BadTrajectory {
                    trajectory: t,
                    step: k + 1,
                    problem: format!(
                        "factor {j} changes a second time; each factor must change exactly once"
                    ),
                });
            }
            moved[j] = true;
            let dy = ys[k + 1] - ys[k];
            ee[j][t] = if after[j] > before[j] { dy } else { -dy } / delta;
            if !ee[j][t].is_finite() {
                return Err(GsaError::Overflow);
            }
        }
    }

    let mut rng = super::rng(seed, BOOTSTRAP_STREAM);
    let mut out = Vec::with_capacity(d);
    for effects in &ee {
        let n = effects.len() as f64;
        let mu = effects.iter().sum::<f64>() / n;
        let mu_star = effects.iter().map(|e| e.abs()).sum::<f64>() / n;
        let sigma = (effects.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (n - 1.0)).sqrt();
        let mut reps: Vec<f64> = (0..resamples)
            .map(|_| {
                (0..r)
                    .map(|_| effects[super::index(&mut rng, r)].abs())
                    .sum::<f64>()
                    / n
            })
            .collect();
        let (mu_star_lo, mu_star_hi) = super::percentile_interval(&mut reps);
        out.push(MorrisIndex {
            mu,
            mu_star,
            sigma,
            mu_star_lo,
            mu_star_hi,
        });
    }
    Ok(out)
}
