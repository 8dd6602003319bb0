//! Spoilers (Stedman 1997; Kydd & Walter 2002): actors outside the talks who attack as peace nears.
//!
//! Attack probability `clamp(c (base + progress · A(t−1)), 0, 1)`. A `limited` spoiler holds its fire while the
//! ceasefire text gives it at least its reservation, a `greedy` one while it gives `r + greed · A`, a `total` one never.

use crate::scenario::SpoilerKind;

pub fn attack_probability(capability: f64, base: f64, progress: f64, agreement: f64) -> f64 {
    (capability * (base + progress * agreement)).clamp(0.0, 1.0)
}

/// Whether the spoiler is satisfied enough not to attack this round.
pub fn restrained(
    kind: SpoilerKind,
    utility: f64,
    reservation: f64,
    greed: f64,
    agreement: f64,
) -> bool {
    match kind {
        SpoilerKind::Limited => utility >= reservation,
        SpoilerKind::Greedy => utility >= reservation + greed * agreement,
        SpoilerKind::Total => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremists_strike_when_peace_is_near() {
        assert!(attack_probability(0.5, 0.05, 0.3, 0.9) > attack_probability(0.5, 0.05, 0.3, 0.1));
        assert_eq!(attack_probability(0.0, 0.05, 0.3, 1.0), 0.0);
        assert!(restrained(SpoilerKind::Limited, 0.6, 0.5, 0.0, 1.0));
        assert!(!restrained(SpoilerKind::Greedy, 0.6, 0.5, 0.2, 1.0));
        assert!(restrained(SpoilerKind::Greedy, 0.6, 0.5, 0.2, 0.4));
        assert!(!restrained(SpoilerKind::Total, 1.0, 0.0, 0.0, 0.0));
    }
}
