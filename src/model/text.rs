//! The text on the table: Fisher's single negotiating text, drafted from Achen's compromise, pulled toward the
//! drafter's own position (Kydd on biased mediators) and moving with inertia.
//!
//! `m_k = Σ v c s θ / Σ v c s` over voters; `x̃ = (1 − b) m + b θ_D`; `x̄(t) = x̄(t−1) + η (x̃ − x̄(t−1))`.

/// The compromise on one dimension from `(weight = voice × capability, salience, position)` triples;
/// `None` when the weights are all zero (the text then keeps its value).
pub fn compromise(terms: impl Iterator<Item = (f64, f64, f64)>) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (w, s, theta) in terms {
        num += w * s * theta;
        den += w * s;
    }
    (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
}

/// The drafter's proposal: the compromise pulled toward the drafter's position by `bias` (b).
pub fn draft(compromise: f64, drafter_position: f64, bias: f64) -> f64 {
    (1.0 - bias) * compromise + bias * drafter_position
}

/// The text moves a share `inertia` (η) of the way from its last value to the proposal.
pub fn step(previous: f64, proposal: f64, inertia: f64) -> f64 {
    previous + inertia * (proposal - previous)
}

/// Baron–Ferejohn recognition: pick an index with probability proportional to `weights`, given a uniform `xi`.
/// Equal chances when every weight is 0; `None` when there is nothing to pick.
pub fn recognise(weights: &[f64], xi: f64) -> Option<usize> {
    if weights.is_empty() {
        return None;
    }
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        let i = (xi * weights.len() as f64) as usize;
        return Some(i.min(weights.len() - 1));
    }
    let mut acc = 0.0;
    let target = xi * total;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if target < acc {
            return Some(i);
        }
    }
    weights.iter().rposition(|w| *w > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compromise_is_the_weighted_mean() {
        let m = compromise([(1.0, 1.0, 0.0), (1.0, 1.0, 1.0)].into_iter()).unwrap();
        assert_eq!(m, 0.5);
        let m = compromise([(3.0, 1.0, 0.0), (1.0, 1.0, 1.0)].into_iter()).unwrap();
        assert_eq!(m, 0.25);
        assert_eq!(compromise([(0.0, 1.0, 0.3)].into_iter()), None);
    }

    #[test]
    fn bias_and_inertia() {
        assert_eq!(draft(0.5, 1.0, 0.0), 0.5);
        assert_eq!(draft(0.5, 1.0, 1.0), 1.0);
        assert_eq!(step(0.2, 0.6, 1.0), 0.6);
        assert!((step(0.2, 0.6, 0.5) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn recognition_follows_the_weights() {
        assert_eq!(recognise(&[1.0, 3.0], 0.2), Some(0));
        assert_eq!(recognise(&[1.0, 3.0], 0.3), Some(1));
        assert_eq!(recognise(&[0.0, 0.0], 0.7), Some(1));
        assert_eq!(recognise(&[], 0.7), None);
    }
}
