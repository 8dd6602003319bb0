//! The commitment problem (Fearon 1995; Walter 1997): a party fears the other side will not honour the deal, and
//! trusted guarantors reduce that fear.
//!
//! `G = clamp(Σ trust·γ·c / Σ c, 0, 1)` over *all* guarantors, so adding a guarantor that a party distrusts lowers
//! that party's G. `ε = clamp(ε0(1 − G) + D, 0, 1)`, and a party values a text as
//! `U = (1 − ε)·u(text) + ε·u(the other side's victory)`.

/// Trust-weighted guarantee `G` from one `(trust, commitment γ, capability)` triple per guarantor, in one pass (the
/// form the engine calls); 0 when there are no guarantors or they have no capability.
pub fn guarantee(guarantors: impl IntoIterator<Item = (f64, f64, f64)>) -> f64 {
    let mut weighted = 0.0;
    let mut total = 0.0;
    for (trust, commitment, capability) in guarantors {
        weighted += trust * commitment * capability;
        total += capability;
    }
    if total > 0.0 {
        (weighted / total).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// [`guarantee`] written as the formula reads, from three slices (the test oracle).
pub fn guarantee_of_slices(trust: &[f64], commitment: &[f64], capability: &[f64]) -> f64 {
    let total: f64 = capability.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let weighted: f64 = trust
        .iter()
        .zip(commitment)
        .zip(capability)
        .map(|((t, g), c)| t * g * c)
        .sum();
    (weighted / total).clamp(0.0, 1.0)
}

/// `ε = clamp(ε0 (1 − G) + D, 0, 1)`.
pub fn risk(base: f64, guarantee: f64, distrust: f64) -> f64 {
    (base * (1.0 - guarantee) + distrust).clamp(0.0, 1.0)
}

/// `U = (1 − ε) u + ε u_betrayed`: the worth of a text to a party that fears, with risk ε, that the other side will
/// not honour it. Exactly `u` when ε = 0 (everyone who does not fear betrayal).
pub fn committed_utility(epsilon: f64, u: f64, u_betrayed: f64) -> f64 {
    if epsilon > 0.0 {
        ((1.0 - epsilon) * u + epsilon * u_betrayed).clamp(0.0, 1.0)
    } else {
        u
    }
}

/// `D ← decay · D`: distrust fades at the end of every round.
pub fn decayed_distrust(distrust: f64, decay: f64) -> f64 {
    distrust * decay
}

/// A trust shock: `trust + delta`, kept in [−1, 1].
pub fn shifted_trust(trust: f64, delta: f64) -> f64 {
    (trust + delta).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distrusted_guarantor_lowers_the_guarantee() {
        let one = guarantee_of_slices(&[0.9], &[0.7], &[1.0]);
        let two = guarantee_of_slices(&[0.9, -0.6], &[0.7, 0.6], &[1.0, 0.6]);
        assert!((one - 0.63).abs() < 1e-12);
        assert!(two < one);
        assert_eq!(guarantee_of_slices(&[], &[], &[]), 0.0);
        assert_eq!(guarantee_of_slices(&[1.0], &[1.0], &[0.0]), 0.0);
        assert_eq!(guarantee([]), 0.0);
        assert_eq!(guarantee([(1.0, 1.0, 0.0)]), 0.0);
    }

    #[test]
    fn trust_reduces_the_fear_and_distrust_adds_to_it() {
        assert!((risk(0.3, 0.5, 0.0) - 0.15).abs() < 1e-12);
        assert_eq!(risk(0.3, 0.5, 2.0), 1.0);
        assert_eq!(committed_utility(0.0, 0.8, 0.1), 0.8);
        assert!((committed_utility(0.5, 0.8, 0.2) - 0.5).abs() < 1e-12);
    }
}
