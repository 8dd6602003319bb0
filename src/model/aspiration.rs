//! How demands fall over time: the time-dependent tactics of Faratin, Sierra & Jennings (1998).
//!
//! `α(t) = κ + (1 − κ)(min(t, T)/T)^(1/β)`: β < 1 Boulware (holds out, concedes at the deadline), β = 1 linear,
//! β > 1 conceder. The least utility accepted is `τ = 1 − α(1 − r)`: everything at first, the reservation at T.

/// Faratin's concession level at round `t` for deadline `deadline`, shape `beta` and initial concession `kappa`.
pub fn alpha(t: f64, deadline: f64, beta: f64, kappa: f64) -> f64 {
    let deadline = deadline.max(1.0);
    let time = t.max(0.0).min(deadline) / deadline;
    // Linear (β = 1), β = ½ and the rounds from the deadline on (1^y = 1 exactly) need no `powf`; the results are
    // identical.
    let share = if beta == 1.0 || time == 1.0 {
        time
    } else if beta == 0.5 {
        time * time
    } else {
        time.powf(1.0 / beta)
    };
    (kappa + (1.0 - kappa) * share).clamp(0.0, 1.0)
}

/// The least utility accepted (the aspiration threshold τ) with concession level `alpha` and reservation `r`.
pub fn threshold(alpha: f64, reservation: f64) -> f64 {
    (1.0 - alpha * (1.0 - reservation)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_kappa_and_reaches_one_at_the_deadline() {
        for beta in [0.2, 1.0, 5.0] {
            assert_eq!(alpha(0.0, 10.0, beta, 0.3), 0.3);
            assert_eq!(alpha(10.0, 10.0, beta, 0.3), 1.0);
            assert_eq!(alpha(15.0, 10.0, beta, 0.3), 1.0);
            assert_eq!(threshold(alpha(10.0, 10.0, beta, 0.0), 0.4), 0.4);
        }
    }

    #[test]
    fn boulware_demands_more_than_a_conceder() {
        let boulware = threshold(alpha(5.0, 10.0, 0.3, 0.0), 0.2);
        let linear = threshold(alpha(5.0, 10.0, 1.0, 0.0), 0.2);
        let conceder = threshold(alpha(5.0, 10.0, 3.0, 0.0), 0.2);
        assert!(boulware > linear && linear > conceder);
        assert!((linear - 0.6).abs() < 1e-12);
    }
}
