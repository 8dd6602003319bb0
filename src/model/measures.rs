//! What a round records beside the votes: the measures of `rounds.csv` that no decision reads.

/// The capability-weighted mean utility over `(capability, utility)` pairs; 0 when the weights sum to 0.
pub fn weighted_mean(terms: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (w, v) in terms {
        sum += w * v;
        weight += w;
    }
    if weight > 0.0 { sum / weight } else { 0.0 }
}

/// The dispersion of stated positions around the compromise: the weighted root mean square, over voters given as
/// `(voice × capability, Σ over the `dims` dimensions of (θ − m)²)`; 0 when the weights sum to 0.
pub fn dispersion(dims: usize, voters: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let per_dimension = dims.max(1) as f64;
    let (mut sum, mut weight) = (0.0, 0.0);
    for (w, squares) in voters {
        sum += w * squares / per_dimension;
        weight += w;
    }
    if weight > 0.0 {
        (sum / weight).sqrt()
    } else {
        0.0
    }
}

/// The zone-of-agreement margin `min (U − r)` over `(U, r)` pairs: > 0 when every one of them prefers the text to
/// fighting on. NaN when there are none or the minimum is not finite.
pub fn zopa_margin(parties: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let margin = parties
        .into_iter()
        .map(|(u, r)| u - r)
        .fold(f64::INFINITY, f64::min);
    if margin.is_finite() { margin } else { f64::NAN }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_of_small_rounds() {
        assert!((weighted_mean([(1.0, 0.2), (3.0, 0.6)]) - 0.5).abs() < 1e-15);
        assert_eq!(weighted_mean([(0.0, 0.2)]), 0.0);
        assert!((dispersion(2, [(1.0, 0.08), (1.0, 0.0)]) - 0.02f64.sqrt()).abs() < 1e-15);
        assert_eq!(dispersion(1, []), 0.0);
        assert_eq!(zopa_margin([(0.7, 0.5), (0.6, 0.55)]), 0.6 - 0.55);
        assert!(zopa_margin([]).is_nan());
    }
}
