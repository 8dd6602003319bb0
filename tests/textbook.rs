//! Textbook bargaining, checked against closed forms no one here invented: Zeuthen's rule ends at the Nash bargaining
//! solution (Harsanyi 1956); alternating offers give the opener (1 − δ2)/(1 − δ1 δ2) (Rubinstein 1982); the default
//! model's aspiration follows Faratin's curves exactly; and the outcome analysis finds the Nash and compromise points.
#![allow(clippy::unwrap_used)]

use ceasefire::engine::run;
use ceasefire::scenario;
use ceasefire::summary::outcome;

fn textbook(sets: &[String]) -> scenario::Scenario {
    scenario::load_path("two-party-textbook", sets).unwrap()
}

/// The Nash bargaining solution on the pie by brute force: argmax (u_A − r_A)(u_B − r_B).
fn nash(ra: f64, rb: f64, risk_a: f64, risk_b: f64) -> f64 {
    let u = |d: f64, r: f64| (1.0 - d) * (1.0 + r * d);
    (0..=200_000)
        .map(|i| f64::from(i) / 200_000.0)
        .filter(|&x| u(1.0 - x, risk_a) >= ra && u(x, risk_b) >= rb)
        .max_by(|&x, &y| {
            let p = |x: f64| (u(1.0 - x, risk_a) - ra) * (u(x, risk_b) - rb);
            p(x).total_cmp(&p(y))
        })
        .unwrap()
}

#[test]
fn zeuthen_reaches_the_nash_bargaining_solution_within_a_step() {
    let step = 0.01;
    for (ra, rb) in [(0.0, 0.0), (0.2, 0.3), (0.5, 0.1), (0.05, 0.6), (0.3, 0.3)] {
        for (risk_a, risk_b) in [(0.0, 0.0), (0.6, 0.0), (-0.5, 0.4), (1.0, 1.0)] {
            let sets = [
                "simulation.proposal_rule=zeuthen".to_string(),
                format!("simulation.zeuthen_step={step}"),
                "simulation.rounds=300".to_string(),
                format!("actors.A.reservation={ra}"),
                format!("actors.B.reservation={rb}"),
                format!("actors.A.risk={risk_a}"),
                format!("actors.B.risk={risk_b}"),
            ];
            let sc = textbook(&sets);
            let t = run(&sc, 1);
            let signed = t.first_signed(0).expect("an agreement");
            let x = t.text_at(t.rounds() - 1, 0);
            let target = nash(ra, rb, risk_a, risk_b);
            assert!(
                (x - target).abs() <= 2.0 * step,
                "r=({ra},{rb}) R=({risk_a},{risk_b}): {x} vs Nash {target} (round {signed})"
            );
            // The outcome analysis finds the same point.
            let o = outcome(&sc, &t).unwrap();
            let found = o.nash_point.unwrap()["pie"].as_f64().unwrap();
            assert!((found - target).abs() <= 1e-3 + 1e-9, "{found} vs {target}");
        }
    }
}

#[test]
fn alternating_offers_give_rubinsteins_shares_at_once() {
    for d1 in [0.1, 0.5, 0.8, 0.9, 0.99] {
        for d2 in [0.2, 0.5, 0.8, 0.95, 0.99] {
            let sc = textbook(&[
                "simulation.proposal_rule=alternating".into(),
                format!("actors.A.discount={d1}"),
                format!("actors.B.discount={d2}"),
            ]);
            let t = run(&sc, 1);
            assert_eq!(t.first_signed(0), Some(1), "the first offer is accepted");
            let share = t.text_at(0, 0); // A opens and wants the pie at 1: its share is the text
            let closed = (1.0 - d2) / (1.0 - d1 * d2);
            assert!(
                (share - closed).abs() < 1e-9,
                "δ=({d1},{d2}): {share} vs {closed}"
            );
        }
    }
    // Patient parties split the pie evenly.
    let sc = textbook(&[
        "simulation.proposal_rule=alternating".into(),
        "actors.A.discount=0.9999".into(),
        "actors.B.discount=0.9999".into(),
    ]);
    assert!((run(&sc, 1).text_at(0, 0) - 0.5).abs() < 1e-4);
}

#[test]
fn the_default_model_follows_faratins_curves_exactly() {
    for (beta, kappa) in [(0.3, 0.0), (1.0, 0.0), (3.0, 0.2)] {
        let sc = textbook(&[
            format!("actors.A.concession.beta={beta}"),
            format!("actors.A.concession.kappa={kappa}"),
        ]);
        let t = run(&sc, 1);
        let (r, deadline) = (0.2, 40.0);
        for round in 1..=t.rounds() {
            let time = (round as f64).min(deadline) / deadline;
            let alpha = kappa + (1.0 - kappa) * time.powf(1.0 / beta);
            let expected = 1.0 - alpha * (1.0 - r);
            let got = t.actor_at(round - 1, 0).aspiration;
            assert!(
                (got - expected).abs() < 1e-12,
                "β={beta} round {round}: {got} vs {expected}"
            );
        }
    }
}

#[test]
fn the_boulware_party_wins_more_of_the_pie_in_the_default_model() {
    // A (β = 0.5) holds out, B (β = 2) concedes early: the text ends on A's side of the midpoint.
    let t = run(&textbook(&[]), 1);
    assert!(t.first_signed(0).is_some());
    assert!(t.text_at(t.rounds() - 1, 0) > 0.5);
    let swapped = run(
        &textbook(&[
            "actors.A.concession.beta=2".into(),
            "actors.B.concession.beta=0.5".into(),
        ]),
        1,
    );
    assert!(swapped.text_at(swapped.rounds() - 1, 0) < 0.5);
}

#[test]
fn textbook_protocols_need_two_parties_alone_on_one_dimension() {
    let err = scenario::load_path("astana-2017", &["simulation.proposal_rule=zeuthen".into()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("is for two parties alone"), "{err}");
    assert!(err.contains("bargains over one dimension"), "{err}");
}
