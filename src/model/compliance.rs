//! Holding a signed module: compliance parties violate it more often the further the deal falls below their value
//! of fighting on, and a deal that stays worse than fighting for `collapse_patience` rounds collapses.

/// `clamp(v0 + slope · max(0, r − U(x*)), 0, 1)`.
pub fn violation_probability(base: f64, slope: f64, reservation: f64, utility: f64) -> f64 {
    (base + slope * (reservation - utility).max(0.0)).clamp(0.0, 1.0)
}

/// A party is willing to live with a text when it beats fighting on: `U ≥ r`.
pub fn willing(utility: f64, reservation: f64) -> bool {
    utility >= reservation
}

/// Whether this round counts toward collapse: fighting on beats the deal by more than the margin.
pub fn strained(utility: f64, reservation: f64, margin: f64) -> bool {
    reservation > utility + margin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_rise_with_the_shortfall() {
        assert_eq!(violation_probability(0.01, 0.5, 0.3, 0.5), 0.01);
        assert!((violation_probability(0.01, 0.5, 0.5, 0.3) - 0.11).abs() < 1e-12);
        assert_eq!(violation_probability(0.5, 10.0, 1.0, 0.0), 1.0);
        assert!(willing(0.4, 0.4));
        assert!(!strained(0.4, 0.44, 0.05));
        assert!(strained(0.4, 0.46, 0.05));
    }
}
