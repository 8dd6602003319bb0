//! The alternative to agreement: fighting on (Zartman's ripeness; Tullock/Hirshleifer contest success functions).
//!
//! A side's strength is its principal's capability plus the committed capability of the others on its side; the
//! chance of winning is a contest `S^γ / (S^γ + S_other^γ)`; the value of fighting on is the expected utility of a
//! victor's peace minus the growing costs of war. A patron that has already accepted the text withdraws its help
//! (leverage): the client's strength falls, and so does its value of fighting on.

/// Side strengths `[S_gov, S_opp]` from one `(side index, principal?, military commitment μ, capability)` per actor
/// that fights (hosts and spoilers never do): the principal's capability in full, the others' by their μ.
pub fn side_strengths(fighters: impl IntoIterator<Item = (usize, bool, f64, f64)>) -> [f64; 2] {
    let mut s = [0.0, 0.0];
    for (side, principal, commitment, capability) in fighters {
        s[side] += if principal {
            capability
        } else {
            commitment * capability
        };
    }
    s
}

/// A client's strength `S̃ = S − Σ λ μ c`, floored at 0: its side's strength less the help withdrawn by each patron
/// that has already accepted the text (leverage λ × the patron's military commitment μ × its capability c).
pub fn client_strength(side: f64, withdrawn: impl IntoIterator<Item = f64>) -> f64 {
    let mut strength = side;
    for help in withdrawn {
        strength -= help;
    }
    strength.max(0.0)
}

/// A capability after a change (a round's drift or a `capability_shift` event): `max(0, c + delta)`.
pub fn shifted_capability(capability: f64, delta: f64) -> f64 {
    (capability + delta).max(0.0)
}

/// Tullock contest: the chance that strength `own` beats `other` with decisiveness `gamma`; ½ when both are 0.
pub fn win_probability(own: f64, other: f64, gamma: f64) -> f64 {
    let own = own.max(0.0);
    let other = other.max(0.0);
    if own == 0.0 && other == 0.0 {
        return 0.5;
    }
    if gamma == 0.0 {
        return 0.5;
    }
    // γ = 1 (the usual case) needs no powers; otherwise divide by the larger to avoid overflow for large γ.
    if gamma == 1.0 {
        return own / (own + other);
    }
    let top = own.max(other);
    let a = (own / top).powf(gamma);
    let b = (other / top).powf(gamma);
    if a + b == 0.0 { 0.5 } else { a / (a + b) }
}

/// `a = p·u(own victory) + (1 − p)·u(other's victory) − h`, the value of fighting on, unclamped.
pub fn fight_value(p: f64, u_own_win: f64, u_other_win: f64, hurt: f64) -> f64 {
    p * u_own_win + (1.0 - p) * u_other_win - hurt
}

/// The reservation value (BATNA): the value of fighting on, clamped to [0, 1].
pub fn reservation(fight_value: f64) -> f64 {
    if fight_value.is_nan() {
        0.0
    } else {
        fight_value.clamp(0.0, 1.0)
    }
}

/// `h(t) = initial + growth·t + H`: the costs of war, growing each round.
pub fn hurt(initial: f64, growth: f64, t: f64, shocks: f64) -> f64 {
    initial + growth * t + shocks
}

/// Zartman's stalemate half of ripeness: neither side expects to win, |p_gov − ½| ≤ band.
pub fn is_stalemate(p_gov: f64, band: f64) -> bool {
    (p_gov - 0.5).abs() <= band
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contest_is_symmetric_and_monotone() {
        assert_eq!(win_probability(0.0, 0.0, 1.0), 0.5);
        assert_eq!(win_probability(1.0, 1.0, 3.0), 0.5);
        assert!((win_probability(3.0, 1.0, 1.0) - 0.75).abs() < 1e-12);
        assert!((win_probability(3.0, 1.0, 2.0) - 0.9).abs() < 1e-12);
        assert!(win_probability(2.0, 1.0, 1.0) > win_probability(1.5, 1.0, 1.0));
        assert_eq!(win_probability(1.0, 0.0, 1.0), 1.0);
        assert_eq!(win_probability(1e300, 1e300, 50.0), 0.5);
    }

    #[test]
    fn hurt_lowers_the_value_of_fighting() {
        let a0 = fight_value(0.6, 0.9, 0.2, hurt(0.0, 0.01, 1.0, 0.0));
        let a1 = fight_value(0.6, 0.9, 0.2, hurt(0.0, 0.01, 30.0, 0.0));
        assert!(a1 < a0);
        assert_eq!(reservation(-0.3), 0.0);
        assert_eq!(reservation(1.3), 1.0);
    }
}
