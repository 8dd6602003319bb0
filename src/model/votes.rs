//! Votes: accept when the text is worth at least the aspiration, deterministically (θ = 0) or with logistic noise.
//!
//! The caller draws one uniform ξ for every vote whether or not it is used, so that two variants of a scenario run
//! with one seed see the same random numbers (common random numbers).

/// The logistic function.
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Accept iff `U ≥ τ` when `temperature` is 0, else iff `ξ < logistic((U − τ)/θ)`.
pub fn accepts(utility: f64, threshold: f64, temperature: f64, xi: f64) -> bool {
    if temperature <= 0.0 {
        utility >= threshold
    } else {
        xi < logistic((utility - threshold) / temperature)
    }
}

/// Capability-and-voice-weighted share of `(weight, accepted)` votes; 0 when nobody votes.
pub fn share(votes: impl Iterator<Item = (f64, bool)>) -> f64 {
    let mut yes = 0.0;
    let mut all = 0.0;
    for (w, accepted) in votes {
        all += w;
        if accepted {
            yes += w;
        }
    }
    if all > 0.0 { yes / all } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_noisy_votes() {
        assert!(accepts(0.5, 0.5, 0.0, 0.99));
        assert!(!accepts(0.49, 0.5, 0.0, 0.0));
        assert!(accepts(0.5, 0.5, 0.1, 0.49));
        assert!(!accepts(0.5, 0.5, 0.1, 0.51));
        assert!(accepts(0.9, 0.1, 0.01, 0.999));
    }

    #[test]
    fn share_is_weighted() {
        assert_eq!(share([(1.0, true), (3.0, false)].into_iter()), 0.25);
        assert_eq!(share(std::iter::empty()), 0.0);
    }
}
