//! Utility in the spatial model of politics (Bueno de Mesquita; KTAB's SMP): salience-weighted distance from the
//! actor's ideal, bent by its risk attitude.
//!
//! `d_i(x) = sqrt(Σ s²(q − x)² / Σ s²)` over a module's dimensions, and `u = (1 − d)(1 + R d)`.

/// Salience-weighted distance between `ideal` and `x` on the dimensions `dims`, in [0, 1]; 0 when every salience is 0.
pub fn distance(ideal: &[f64], salience: &[f64], x: &[f64], dims: &[usize]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for &k in dims {
        let s2 = salience[k] * salience[k];
        let gap = ideal[k] - x[k];
        num += s2 * gap * gap;
        den += s2;
    }
    distance_of_sums(num, den)
}

/// `sqrt(num / den)` capped at 1, from the sums Σ s²(q − x)² and Σ s²; 0 when `den` is not positive. Both sides
/// are computed and one is chosen, so a loop over many actors has no branch.
pub fn distance_of_sums(num: f64, den: f64) -> f64 {
    let d = (num / den).sqrt().min(1.0);
    if den > 0.0 { d } else { 0.0 }
}

/// The distance on a single dimension that matters alone: `|q − x|`, at most 1 (what [`distance`] gives on one
/// dimension, written directly; the two-party textbook protocols use it).
pub fn distance_on_one(ideal: f64, x: f64) -> f64 {
    (ideal - x).abs().min(1.0)
}

/// [`distance`] for many actors at once, from columns (the form the engine calls): for the `j`-th of a module's
/// dimensions `dims`, `ideal[j * n..(j + 1) * n]` and `salience2[j * n..(j + 1) * n]` hold the `n = out.len()`
/// actors' ideals and squared saliences, and `salience2_sum` each actor's Σ s² over the module. The sums are taken
/// in the same order as [`distance`]'s, so every result is the same to the bit. `scratch` holds one value per actor.
pub fn distances(
    text: &[f64],
    dims: &[usize],
    ideal: &[f64],
    salience2: &[f64],
    salience2_sum: &[f64],
    scratch: &mut [f64],
    out: &mut [f64],
) {
    let n = out.len();
    let num = scratch;
    num.fill(0.0);
    for (j, &dim) in dims.iter().enumerate() {
        let x = text[dim];
        let column = j * n..(j + 1) * n;
        for ((num, &q), &s2) in num
            .iter_mut()
            .zip(&ideal[column.clone()])
            .zip(&salience2[column])
        {
            let gap = q - x;
            *num += s2 * gap * gap;
        }
    }
    for ((out, &num), &den) in out.iter_mut().zip(num.iter()).zip(salience2_sum) {
        *out = distance_of_sums(num, den);
    }
}

/// `u = (1 − d)(1 + R d)`: R = 0 linear, R > 0 risk-averse (small losses hurt less), R < 0 risk-acceptant.
pub fn of_distance(d: f64, risk: f64) -> f64 {
    ((1.0 - d) * (1.0 + risk * d)).clamp(0.0, 1.0)
}

/// The utility of `x` for an actor.
pub fn utility(ideal: &[f64], salience: &[f64], risk: f64, x: &[f64], dims: &[usize]) -> f64 {
    of_distance(distance(ideal, salience, x, dims), risk)
}

/// The distance `d ∈ [0, 1]` at which the utility equals `target` (the inverse of [`of_distance`]):
/// the root of `R d² + (1 − R) d − (1 − target) = 0`, written in a form that stays exact as R → 0.
pub fn distance_for(target: f64, risk: f64) -> f64 {
    let c = (1.0 - target).clamp(0.0, 1.0);
    let b = 1.0 - risk;
    let disc = (b * b + 4.0 * risk * c).max(0.0);
    let den = b + disc.sqrt();
    let d = (2.0 * c / den).clamp(0.0, 1.0);
    // Computed whole, then chosen, so a loop over many actors has no branch.
    if c == 0.0 {
        0.0
    } else if den <= 0.0 {
        1.0
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_weighted_and_bounded() {
        let q = [0.0, 0.0];
        let x = [1.0, 0.0];
        assert!((distance(&q, &[1.0, 1.0], &x, &[0, 1]) - (0.5f64).sqrt()).abs() < 1e-12);
        assert_eq!(distance(&q, &[1.0, 0.0], &x, &[0, 1]), 1.0);
        assert_eq!(distance(&q, &[0.0, 0.0], &x, &[0, 1]), 0.0);
        assert_eq!(distance(&q, &[1.0, 1.0], &x, &[1]), 0.0);
    }

    #[test]
    fn risk_bends_utility_but_keeps_its_ends() {
        for r in [-1.0, -0.3, 0.0, 0.5, 1.0] {
            assert_eq!(of_distance(0.0, r), 1.0);
            assert_eq!(of_distance(1.0, r), 0.0);
        }
        assert!(of_distance(0.5, 0.5) > of_distance(0.5, 0.0));
        assert!(of_distance(0.5, -0.5) < of_distance(0.5, 0.0));
    }

    #[test]
    fn distance_for_inverts_utility() {
        for r in [-1.0, -0.5, -1e-9, 0.0, 1e-9, 0.3, 1.0] {
            for i in 0..=20 {
                let d = f64::from(i) / 20.0;
                let u = of_distance(d, r);
                assert!((distance_for(u, r) - d).abs() < 1e-7, "r={r} d={d}");
            }
        }
    }
}
