//! Between rounds: each actor restates its position as the point on the line from its ideal toward the text that
//! just meets its next aspiration (Faratin's tactics applied to positions), then patrons pull their clients (KTAB's
//! ideal adjustment).

use super::utility::distance_for;

/// The share λ* of the way from the ideal to the text: `clamp(d*/d(x̄), 0, 1)` where `u(d*) = τ'`; 0 when d(x̄) = 0.
pub fn step_share(next_threshold: f64, risk: f64, distance_to_text: f64) -> f64 {
    let share = (distance_for(next_threshold, risk) / distance_to_text).clamp(0.0, 1.0);
    if distance_to_text <= 0.0 { 0.0 } else { share }
}

/// The stated position a share `share` (λ) of the way from the ideal `q` to the text `x`: `θ = q + λ(x − q)`.
pub fn restate(ideal: f64, share: f64, text: f64) -> f64 {
    ideal + share * (text - ideal)
}

/// `θ ← θ + Σ ω (θ_patron − θ)` for one dimension, from `(ω, θ_patron)` pairs whose ω sum to at most 1.
pub fn pull(position: f64, patrons: impl Iterator<Item = (f64, f64)>) -> f64 {
    let mut shift = 0.0;
    for (omega, theirs) in patrons {
        shift += omega * (theirs - position);
    }
    (position + shift).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_actor_concedes_to_its_threshold() {
        // d(x̄) = 0.5; τ' = 0.8 → d* = 0.2 → λ = 0.4.
        assert!((step_share(0.8, 0.0, 0.5) - 0.4).abs() < 1e-12);
        assert_eq!(step_share(0.2, 0.0, 0.5), 1.0);
        assert_eq!(step_share(0.5, 0.0, 0.0), 0.0);
        assert_eq!(step_share(1.0, 0.0, 0.5), 0.0);
    }

    #[test]
    fn pull_moves_toward_patrons() {
        assert!((pull(0.0, [(0.2, 1.0)].into_iter()) - 0.2).abs() < 1e-12);
        assert!((pull(0.5, [(0.5, 1.0), (0.5, 0.0)].into_iter()) - 0.5).abs() < 1e-12);
        assert_eq!(pull(0.3, std::iter::empty()), 0.3);
    }
}
