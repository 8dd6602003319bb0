//! Textbook bargaining between two parties on one dimension, to check the engine against closed forms that no one
//! here invented: Zeuthen's concession rule, which Harsanyi (1956) showed leads to the Nash (1950) bargaining
//! solution, and Rubinstein's (1982) alternating offers. Also the outcome analysis used by summaries and charts:
//! the Pareto frontier, the Nash point and the compromise point of a two-party module.

/// Zeuthen's risk limit: the largest probability of conflict a party would accept rather than take the other's
/// offer, `(u(own) − u(theirs)) / (u(own) − r)`; 0 when its own offer is no better than conflict.
pub fn risk_limit(u_own_offer: f64, u_their_offer: f64, reservation: f64) -> f64 {
    let gain = u_own_offer - reservation;
    if gain <= 0.0 {
        0.0
    } else {
        ((u_own_offer - u_their_offer) / gain).clamp(0.0, 1.0)
    }
}

/// Who concedes under Zeuthen's rule: the party with the smaller risk limit, both on a tie.
pub fn zeuthen_concedes(limit_a: f64, limit_b: f64) -> (bool, bool) {
    if (limit_a - limit_b).abs() <= 1e-12 {
        (true, true)
    } else {
        (limit_a < limit_b, limit_b < limit_a)
    }
}

/// Move `offer` toward `target` by `step` without passing it.
pub fn concede(offer: f64, target: f64, step: f64) -> f64 {
    if (target - offer).abs() <= step {
        target
    } else {
        offer + step * (target - offer).signum()
    }
}

/// Rubinstein's closed form: the share of the pie the first proposer receives, `(1 − δ2)/(1 − δ1 δ2)`, where δ1 is
/// the proposer's discount factor and δ2 the responder's.
pub fn rubinstein_share(delta_proposer: f64, delta_responder: f64) -> f64 {
    (1.0 - delta_responder) / (1.0 - delta_proposer * delta_responder)
}

/// The first proposer's share found by backward induction over a long finite horizon (Ståhl 1972): in the last
/// round the proposer takes all; before it, the proposer offers the responder exactly the discounted value of
/// proposing next. Iterates until the share no longer changes (the infinite-horizon equilibrium) or `max_rounds`.
pub fn backward_induction_share(
    delta_proposer: f64,
    delta_responder: f64,
    max_rounds: usize,
) -> f64 {
    // v: share of whoever proposes in the round being solved; walking back two rounds at a time keeps the roles.
    let mut v_first = 1.0;
    for _ in 0..max_rounds {
        // The responder proposes next round and gets v_second there; the proposer then proposes after that.
        let v_second = 1.0 - delta_proposer * v_first;
        let next = 1.0 - delta_responder * v_second;
        if (next - v_first).abs() < 1e-15 {
            return next;
        }
        v_first = next;
    }
    v_first
}

/// Indices of the points not dominated by any other (higher or equal on both utilities, higher on one).
pub fn pareto_frontier(utilities: &[(f64, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..utilities.len()).collect();
    // By u1 descending, then u2 descending: a point is on the frontier iff its u2 beats every u2 before it.
    order.sort_by(|&a, &b| {
        let (ua, ub) = (utilities[a], utilities[b]);
        ub.0.total_cmp(&ua.0).then(ub.1.total_cmp(&ua.1))
    });
    let mut best = f64::NEG_INFINITY;
    let mut frontier = Vec::new();
    for i in order {
        if utilities[i].1 > best {
            best = utilities[i].1;
            frontier.push(i);
        }
    }
    frontier.sort_unstable();
    frontier
}

/// The Nash bargaining point among candidates: argmax (u1 − r1)(u2 − r2) over those both prefer to conflict.
pub fn nash_point(utilities: &[(f64, f64)], r1: f64, r2: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, &(u1, u2)) in utilities.iter().enumerate() {
        if u1 < r1 || u2 < r2 {
            continue;
        }
        let product = (u1 - r1) * (u2 - r2);
        if best.is_none_or(|(_, b)| product > b) {
            best = Some((i, product));
        }
    }
    best.map(|(i, _)| i)
}

/// Deterministic sample points of [0, 1]^k: a regular grid for k ≤ 2, a Halton sequence beyond.
pub fn sample_points(k: usize, n: usize) -> Vec<Vec<f64>> {
    match k {
        0 => vec![Vec::new()],
        1 => (0..=n).map(|i| vec![i as f64 / n as f64]).collect(),
        2 => {
            let side = (n as f64).sqrt().ceil() as usize;
            let mut pts = Vec::with_capacity((side + 1) * (side + 1));
            for i in 0..=side {
                for j in 0..=side {
                    pts.push(vec![i as f64 / side as f64, j as f64 / side as f64]);
                }
            }
            pts
        }
        _ => {
            const PRIMES: [u64; 32] = [
                2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79,
                83, 89, 97, 101, 103, 107, 109, 113, 127, 131,
            ];
            (1..=n as u64)
                .map(|idx| {
                    (0..k)
                        .map(|d| {
                            let base = PRIMES[d % PRIMES.len()];
                            let (mut f, mut r, mut i) = (1.0, 0.0, idx);
                            while i > 0 {
                                f /= base as f64;
                                r += f * (i % base) as f64;
                                i /= base;
                            }
                            r
                        })
                        .collect()
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_limits_and_who_concedes() {
        assert!((risk_limit(0.8, 0.2, 0.0) - 0.75).abs() < 1e-15);
        assert_eq!(risk_limit(0.3, 0.1, 0.4), 0.0);
        assert_eq!(zeuthen_concedes(0.2, 0.5), (true, false));
        assert_eq!(zeuthen_concedes(0.5, 0.5), (true, true));
        assert!((concede(0.9, 0.1, 0.05) - 0.85).abs() < 1e-15);
        assert_eq!(concede(0.12, 0.1, 0.05), 0.1);
    }

    #[test]
    fn backward_induction_reaches_rubinstein() {
        for d1 in [0.1, 0.5, 0.9, 0.99] {
            for d2 in [0.2, 0.6, 0.95, 0.999] {
                let closed = rubinstein_share(d1, d2);
                let induced = backward_induction_share(d1, d2, 10_000_000);
                assert!(
                    (closed - induced).abs() < 1e-9,
                    "{d1} {d2}: {closed} vs {induced}"
                );
            }
        }
    }

    #[test]
    fn frontier_and_nash_point() {
        let u = [(1.0, 0.0), (0.5, 0.5), (0.4, 0.4), (0.0, 1.0), (0.6, 0.3)];
        assert_eq!(pareto_frontier(&u), vec![0, 1, 3, 4]);
        assert_eq!(nash_point(&u, 0.0, 0.0), Some(1));
        assert_eq!(nash_point(&u, 0.55, 0.0), Some(4));
        assert_eq!(nash_point(&u, 0.9, 0.9), None);
        assert_eq!(sample_points(1, 4).len(), 5);
        let halton = sample_points(3, 100);
        assert_eq!(halton.len(), 100);
        assert!(halton.iter().flatten().all(|v| (0.0..1.0).contains(v)));
    }
}
