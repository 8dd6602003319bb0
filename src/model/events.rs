//! Events: shocks that the scenario schedules at a round or lets happen with a probability each round.

use crate::scenario::Timing;

/// The last round of a boycott of `duration` rounds that starts in round `t`, given the last round of any boycott
/// already under way (0 for none): boycotts that overlap run to the later end.
pub fn boycott_until(current: u32, t: u32, duration: u32) -> u32 {
    current.max(t + duration - 1)
}

/// Whether an event fires in round `t`; `xi` is the round's uniform for a random event (drawn always).
pub fn fires(timing: Timing, t: u32, xi: f64) -> bool {
    match timing {
        Timing::Round(r) => r == t,
        Timing::Probability(p) => xi < p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_and_random() {
        assert!(fires(Timing::Round(3), 3, 0.9));
        assert!(!fires(Timing::Round(3), 4, 0.0));
        assert!(fires(Timing::Probability(0.1), 1, 0.05));
        assert!(!fires(Timing::Probability(0.1), 1, 0.15));
        assert!(!fires(Timing::Probability(0.0), 1, 0.0));
    }
}
