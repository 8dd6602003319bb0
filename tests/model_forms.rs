//! Each formula that the engine calls in a fast form (columns, one pass over iterators) agrees with its plain form,
//! written as `docs/model.md` reads: bit for bit where the sums are taken in the same order, within rounding where
//! they are not.
#![allow(clippy::unwrap_used)]

use ceasefire::model::{battlefield, commitment, measures, ripeness, text, utility};
use proptest::prelude::*;

/// `actors` actors on `dims` dimensions: ideal, salience, and a text, each in [0, 1].
fn spatial() -> impl Strategy<Value = (usize, usize, Vec<f64>, Vec<f64>, Vec<f64>)> {
    (1usize..12, 1usize..6).prop_flat_map(|(n, k)| {
        (
            Just(n),
            Just(k),
            prop::collection::vec(0.0f64..=1.0, n * k),
            prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..=1.0], n * k),
            prop::collection::vec(0.0f64..=1.0, k),
        )
    })
}

proptest! {
    /// `utility::distances` over columns gives, for every actor, exactly `utility::distance`.
    #[test]
    fn column_distances_equal_the_scalar_distance(
        (n, k, ideal, salience, text) in spatial(),
        first in 0usize..6,
    ) {
        // A module of the dimensions from `first` on (at least one).
        let dims: Vec<usize> = (first.min(k - 1)..k).collect();
        let mut ideal_cols = Vec::new();
        let mut s2_cols = Vec::new();
        let mut s2_sum = vec![0.0; n];
        for &d in &dims {
            for i in 0..n {
                let s = salience[i * k + d];
                ideal_cols.push(ideal[i * k + d]);
                s2_cols.push(s * s);
                s2_sum[i] += s * s;
            }
        }
        let mut scratch = vec![0.0; n];
        let mut out = vec![0.0; n];
        utility::distances(&text, &dims, &ideal_cols, &s2_cols, &s2_sum, &mut scratch, &mut out);
        for i in 0..n {
            let scalar = utility::distance(&ideal[i * k..(i + 1) * k], &salience[i * k..(i + 1) * k], &text, &dims);
            prop_assert_eq!(out[i].to_bits(), scalar.to_bits(), "actor {}", i);
        }
    }

    /// The one-pass guarantee equals the formula over three slices.
    #[test]
    fn one_pass_guarantee_equals_the_formula(
        g in prop::collection::vec((-1.0f64..=1.0, 0.0f64..=1.0, prop_oneof![Just(0.0), 0.0f64..=3.0]), 0..6),
    ) {
        let trust: Vec<f64> = g.iter().map(|x| x.0).collect();
        let gamma: Vec<f64> = g.iter().map(|x| x.1).collect();
        let capability: Vec<f64> = g.iter().map(|x| x.2).collect();
        let fast = commitment::guarantee(g.iter().copied());
        let plain = commitment::guarantee_of_slices(&trust, &gamma, &capability);
        prop_assert_eq!(fast, plain);
        prop_assert!((0.0..=1.0).contains(&fast));
    }

    /// The compromise is the weighted mean of the positions (within rounding), lies between the extreme positions of
    /// those with weight, and is undefined exactly when no one has weight.
    #[test]
    fn compromise_is_the_weighted_mean(
        terms in prop::collection::vec((prop_oneof![Just(0.0), 0.0f64..=2.0], 0.0f64..=1.0, 0.0f64..=1.0), 0..10),
    ) {
        let m = text::compromise(terms.iter().copied());
        let weighted: Vec<(f64, f64)> = terms.iter().filter(|t| t.0 * t.1 > 0.0).map(|t| (t.0 * t.1, t.2)).collect();
        match m {
            None => prop_assert!(weighted.is_empty()),
            Some(m) => {
                let total: f64 = weighted.iter().map(|w| w.0).sum();
                let mean = weighted.iter().map(|w| w.0 * w.1).sum::<f64>() / total;
                prop_assert!((m - mean).abs() < 1e-12);
                let lo = weighted.iter().map(|w| w.1).fold(f64::INFINITY, f64::min);
                let hi = weighted.iter().map(|w| w.1).fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(lo - 1e-12 <= m && m <= hi + 1e-12);
            }
        }
    }

    /// Side strengths are the principal's capability plus μ × capability of the others; a client's strength is its
    /// side's less what its accepting patrons withdraw, never below 0.
    #[test]
    fn strengths_follow_the_formula(
        fighters in prop::collection::vec((0usize..2, any::<bool>(), 0.0f64..=1.0, 0.0f64..=2.0), 0..8),
        withdrawn in prop::collection::vec(0.0f64..=1.0, 0..4),
    ) {
        let s = battlefield::side_strengths(fighters.iter().copied());
        for (side, &strength) in s.iter().enumerate() {
            let expected: f64 = fighters
                .iter()
                .filter(|f| f.0 == side)
                .map(|f| if f.1 { f.3 } else { f.2 * f.3 })
                .sum();
            prop_assert!((strength - expected).abs() < 1e-12);
        }
        let client = battlefield::client_strength(s[0], withdrawn.iter().copied());
        let expected = (s[0] - withdrawn.iter().sum::<f64>()).max(0.0);
        prop_assert!((client - expected).abs() < 1e-12);
        prop_assert!(client >= 0.0);
    }

    /// A ripe round is a stalemate with every compliance party willing; the weighted mean utility lies within the
    /// utilities; the ZOPA margin is the smallest U − r.
    #[test]
    fn ripeness_and_measures_follow_their_definitions(
        p_gov in 0.0f64..=1.0,
        band in 0.0f64..=0.5,
        parties in prop::collection::vec((0.0f64..=1.0, 0.0f64..=1.0), 0..5),
        terms in prop::collection::vec((0.01f64..=2.0, 0.0f64..=1.0), 1..8),
    ) {
        let ripe = ripeness::ripe(true, p_gov, band, parties.iter().copied());
        let willing = parties.iter().all(|(u, r)| u >= r);
        prop_assert_eq!(ripe, battlefield::is_stalemate(p_gov, band) && willing);
        prop_assert!(!ripeness::ripe(false, p_gov, band, parties.iter().copied()));
        let mean = measures::weighted_mean(terms.iter().copied());
        let lo = terms.iter().map(|t| t.1).fold(f64::INFINITY, f64::min);
        let hi = terms.iter().map(|t| t.1).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lo - 1e-12 <= mean && mean <= hi + 1e-12);
        let margin = measures::zopa_margin(parties.iter().copied());
        if parties.is_empty() {
            prop_assert!(margin.is_nan());
        } else {
            let smallest = parties.iter().map(|(u, r)| u - r).fold(f64::INFINITY, f64::min);
            prop_assert_eq!(margin, smallest);
        }
    }

    /// With no fear of betrayal a party values a text at its plain utility; with fear, between that and the worth
    /// of the other side's victory.
    #[test]
    fn committed_utility_mixes_the_text_and_betrayal(
        eps in 0.0f64..=1.0, u in 0.0f64..=1.0, betrayed in 0.0f64..=1.0,
    ) {
        prop_assert_eq!(commitment::committed_utility(0.0, u, betrayed), u);
        let big_u = commitment::committed_utility(eps, u, betrayed);
        prop_assert!(u.min(betrayed) - 1e-12 <= big_u && big_u <= u.max(betrayed) + 1e-12);
    }
}

proptest! {
    /// The one-dimension distance the textbook protocols use is the spatial distance on one salient dimension.
    #[test]
    fn the_distance_on_one_dimension_is_the_spatial_distance(q in 0.0f64..=1.0, x in 0.0f64..=1.0, s in 0.01f64..=1.0) {
        let spatial = utility::distance(&[q], &[s], &[x], &[0]);
        prop_assert!((utility::distance_on_one(q, x) - spatial).abs() < 1e-12);
    }
}
