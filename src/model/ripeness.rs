//! Ripeness (Zartman 1989, 2000): the mutually hurting stalemate. A round is ripe when neither side expects to win
//! (`|p_gov − ½| ≤ band`) and every compliance party of the ceasefire module prefers the current compromise to
//! fighting on (`U_i(m(t)) ≥ r_i(t)`). It is recorded, not used by any decision.

use super::battlefield::is_stalemate;

/// Whether a round is ripe: the ceasefire module is `open`, the sides are in use (`p_gov` is not NaN) and in a
/// stalemate within `band`, and every compliance party's `(U(m), r)` has `U ≥ r`. The parties are only read when
/// the rest holds, so a caller may compute each `U` lazily.
pub fn ripe(
    open: bool,
    p_gov: f64,
    band: f64,
    parties: impl IntoIterator<Item = (f64, f64)>,
) -> bool {
    open && !p_gov.is_nan() && is_stalemate(p_gov, band) && parties.into_iter().all(|(u, r)| u >= r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ripe_needs_an_open_module_a_stalemate_and_every_party_willing() {
        let willing = [(0.6, 0.5), (0.5, 0.5)];
        assert!(ripe(true, 0.55, 0.1, willing));
        assert!(!ripe(false, 0.55, 0.1, willing));
        assert!(!ripe(true, 0.7, 0.1, willing));
        assert!(!ripe(true, f64::NAN, 0.1, willing));
        assert!(!ripe(true, 0.5, 0.1, [(0.6, 0.5), (0.4, 0.5)]));
        assert!(ripe(true, 0.5, 0.0, []));
    }
}
