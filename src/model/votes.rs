//! Votes: accept when the text is worth at least the aspiration, deterministically (θ = 0) or with logistic noise.
//!
//! With noise, the caller draws one uniform ξ for every vote (one per voter and module each round, whatever the
//! module's status) from the voter's own vote stream, so two noisy variants of a scenario run with one seed see the
//! same random numbers (common random numbers). Deterministic votes never read ξ, and the vote streams feed nothing
//! else, so a run without noise skips those draws and every other stream is unaffected.

/// The logistic function.
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Whether votes at this temperature read their uniform ξ (exactly when [`accepts`] does).
pub fn noisy(temperature: f64) -> bool {
    temperature > 0.0 || temperature.is_nan()
}

/// Accept iff `U ≥ τ` when `temperature` is 0, else iff `ξ < logistic((U − τ)/θ)`.
pub fn accepts(utility: f64, threshold: f64, temperature: f64, xi: f64) -> bool {
    if noisy(temperature) {
        xi < logistic((utility - threshold) / temperature)
    } else {
        utility >= threshold
    }
}

/// The weight of a voter's vote, and of its position in the compromise: voice × current capability.
pub fn weight(voice: f64, capability: f64) -> f64 {
    voice * capability
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
