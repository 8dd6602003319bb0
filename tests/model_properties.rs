//! The properties listed in `docs/model.md` ("Properties, each a test"), one test (or more) each, numbered as there.
#![allow(clippy::unwrap_used)]

mod support;

use ceasefire::engine::run;
use ceasefire::model::aspiration;
use ceasefire::trace::{Status, Trace, Vote};
use support::*;

fn ceasefire_round(t: &Trace, m: usize) -> u32 {
    t.first_signed(m).unwrap_or(u32::MAX)
}

// 1. Same scenario, same seed: identical results; different seeds: different results.
#[test]
fn p01_same_seed_same_trace_and_other_seeds_differ() {
    let sc = astana(&[]);
    let a = run(&sc, 7);
    let b = run(&sc, 7);
    assert!(a == b, "same seed, different traces");
    let c = run(&sc, 8);
    assert_ne!(a.world(), c.world());
    assert_ne!(a.texts(), c.texts());
}

// 2. Mirror-image actors: the text is 0.5 every round and they sign by their deadline.
#[test]
fn p02_mirror_actors_meet_in_the_middle_by_the_deadline() {
    for (deadline, growth) in [(10, 0.01), (20, 0.0), (5, 0.05)] {
        let sc = load(&mirror(30, deadline, growth, ""));
        let t = run(&sc, 1);
        for r in 0..t.rounds() {
            assert!(
                (t.text_at(r, 0) - 0.5).abs() < 1e-12,
                "round {}: {}",
                r + 1,
                t.text_at(r, 0)
            );
        }
        let signed = t.first_signed(0).expect("they sign");
        assert!(
            signed <= deadline,
            "signed in {signed}, deadline {deadline}"
        );
    }
}

// 3. All reservations 0, κ = 1, θ = 0, persist = 1: every open module is signed in round 1.
#[test]
fn p03_no_reservation_full_concession_signs_everything_in_round_one() {
    let sc = load(&committee(0.0, 1.0, &[0.5, 1.0, 2.0], ""));
    for seed in 0..20 {
        let t = run(&sc, seed);
        for m in 0..t.modules() {
            assert_eq!(t.status_at(0, m), Status::Signed, "seed {seed} module {m}");
        }
    }
}

// 4. α matches the closed form; τ is lower for a conceder than for a Boulware actor; τ(T) = r.
#[test]
fn p04_aspiration_follows_faratin_and_ends_at_the_reservation() {
    let r = 0.3;
    let sc = load(&committee(r, 0.1, &[0.3, 1.0, 3.0], ""));
    let t = run(&sc, 3);
    let deadline = 12.0;
    for round in 1..=t.rounds() {
        for (i, beta) in [0.3, 1.0, 3.0].into_iter().enumerate() {
            let expected = 1.0
                - (0.1 + 0.9 * (f64::from(round.min(12) as u32) / deadline).powf(1.0 / beta))
                    * (1.0 - r);
            let got = t.actor_at(round - 1, i).aspiration;
            assert!(
                (got - expected).abs() < 1e-12,
                "round {round} actor {i}: {got} vs {expected}"
            );
        }
        if round < 12 {
            let boulware = t.actor_at(round - 1, 0).aspiration;
            let conceder = t.actor_at(round - 1, 2).aspiration;
            assert!(conceder < boulware, "round {round}");
        }
    }
    for i in 0..3 {
        assert!((t.actor_at(11, i).aspiration - r).abs() < 1e-12);
    }
    // The pure function against the closed form, over a grid.
    for beta in [0.1, 0.5, 1.0, 2.0, 10.0] {
        for kappa in [0.0, 0.3, 1.0] {
            for step in 0..=40 {
                let time = f64::from(step) * 0.5;
                let closed = kappa + (1.0 - kappa) * (time.min(20.0) / 20.0).powf(1.0 / beta);
                assert!((aspiration::alpha(time, 20.0, beta, kappa) - closed).abs() < 1e-12);
            }
        }
    }
}

// 5. With constant r, τ never rises from one round to the next.
#[test]
fn p05_thresholds_never_rise_when_reservations_are_constant() {
    let sc = load(&committee(0.25, 0.0, &[0.4, 1.0, 2.5, 0.8], ""));
    for seed in 0..10 {
        let t = run(&sc, seed);
        for i in 0..t.actors() {
            for r in 1..t.rounds() {
                assert!(t.actor_at(r, i).aspiration <= t.actor_at(r - 1, i).aspiration + 1e-15);
            }
        }
    }
}

// 6. Raising a patron's leverage never lowers its client's acceptance in a round, all else fixed;
//    leverage 0 (and pull 0) reproduces the run without the patron link.
#[test]
fn p06_leverage_only_helps_acceptance_and_zero_leverage_is_no_link() {
    let gov = 3;
    for seed in 0..40 {
        let mut previous: Option<Trace> = None;
        for lev in ["0", "0.25", "0.5", "0.75", "1"] {
            let sc = astana(&[&format!("patronage.RUS.GOV.leverage={lev}")]);
            let t = run(&sc, seed);
            if let Some(p) = &previous {
                // Round 1: the state before the vote is the same for every leverage.
                for m in 0..t.modules() {
                    if p.vote_at(0, gov, m) == Vote::Accept {
                        assert_eq!(
                            t.vote_at(0, gov, m),
                            Vote::Accept,
                            "seed {seed} leverage {lev}"
                        );
                    }
                    assert!(
                        t.actor_at(0, gov).reservation <= p.actor_at(0, gov).reservation + 1e-15
                    );
                }
            }
            previous = Some(t);
        }
    }
    let text = astana_text();
    let start = text
        .find("[[patronage]]\npatron = \"RUS\"")
        .expect("RUS link");
    let end = start + text[start..].find("\n\n").expect("block end");
    let without = format!("{}{}", &text[..start], &text[end..]);
    let no_link = load(&without);
    let zero = astana(&["patronage.RUS.GOV.leverage=0", "patronage.RUS.GOV.pull=0"]);
    for seed in 0..20 {
        assert!(run(&no_link, seed) == run(&zero, seed), "seed {seed}");
    }
}

// 7. b = 0 and η = 1: the text is the capability × salience weighted mean of stated positions; reordering actors
//    changes nothing.
#[test]
fn p07_unbiased_text_is_the_weighted_mean_and_order_free() {
    let sc = astana(&["simulation.drafter_bias=0", "simulation.text_inertia=1"]);
    for seed in 0..10 {
        let t = run(&sc, seed);
        for r in 0..t.rounds() {
            for m in 0..t.modules() {
                if t.status_at(r, m) != Status::Open {
                    continue;
                }
                for &k in &sc.modules[m].dimensions {
                    assert!((t.text_at(r, k) - t.compromise_at(r, k)).abs() < 1e-12);
                    // Recompute the mean from the recorded positions and capabilities.
                    let (mut num, mut den) = (0.0, 0.0);
                    for (i, a) in sc.actors.iter().enumerate() {
                        if !a.is_voter() {
                            continue;
                        }
                        let w = t.world().actors[i].voice
                            * t.actor_at(r, i).capability
                            * t.world().salience(i)[k];
                        num += w * t.position_at(r, i, k);
                        den += w;
                    }
                    assert!((t.text_at(r, k) - num / den).abs() < 1e-12);
                }
            }
        }
    }
    // Reverse the order of the actor blocks: same texts, same signatures.
    let text = astana_text();
    let first = text.find("\n# Russia").expect("actors start");
    let last = text.find("\n# Patron links").expect("actors end");
    let blocks: Vec<&str> = text[first..last]
        .split("\n# ")
        .filter(|b| !b.trim().is_empty())
        .collect();
    let reversed: Vec<String> = blocks.iter().rev().map(|b| format!("\n# {b}")).collect();
    let swapped = format!("{}{}{}", &text[..first], reversed.concat(), &text[last..]);
    let a = astana(&["simulation.drafter_bias=0", "simulation.text_inertia=1"]);
    let b = load_with(
        &swapped,
        &["simulation.drafter_bias=0", "simulation.text_inertia=1"],
    );
    assert_eq!(b.actors[0].id, "HTS");
    for seed in 0..10 {
        let (ta, tb) = (run(&a, seed), run(&b, seed));
        for (x, y) in ta.texts().iter().zip(tb.texts()) {
            // Both undefined (NaN: a module not open) or both the same number.
            assert!(
                x.is_nan() && y.is_nan() || (x - y).abs() < 1e-9,
                "seed {seed}: {x} vs {y}"
            );
        }
        assert_eq!(ta.statuses(), tb.statuses(), "seed {seed}");
    }
}

// 8. Every probability, utility, position and share stays in [0, 1]; capability stays ≥ 0.
#[test]
fn p08_recorded_values_stay_in_range() {
    let variants: [&[&str]; 3] = [
        &[],
        &[
            "simulation.accept_temperature=0.05",
            "simulation.proposal_rule=recognition",
        ],
        &[
            "actors.GOV.capability_drift=-0.05",
            "actors.HTS.capability=3",
        ],
    ];
    let unit = |v: f64| v.is_nan() || (0.0..=1.0).contains(&v);
    for sets in variants {
        let sc = astana(sets);
        for seed in 0..30 {
            let t = run(&sc, seed);
            for v in t
                .agreement()
                .iter()
                .chain(t.module_agreements())
                .chain(t.mean_utility())
                .chain(t.p_gov())
            {
                assert!(unit(*v), "{v}");
            }
            for row in t.actor_rows() {
                for v in [
                    row.utility,
                    row.reservation,
                    row.aspiration,
                    row.win_probability,
                ] {
                    assert!(unit(v), "{v}");
                }
                assert!(row.capability.is_nan() || row.capability >= 0.0);
            }
            for v in t.positions().iter().chain(t.texts()) {
                assert!(unit(*v), "{v}");
            }
            assert!(t.dispersion().iter().all(|d| (0.0..=1.0).contains(d)));
        }
    }
}

// 9. Never signed while a signatory's deterministic vote is reject; with no drift and no shocks, never collapses.
#[test]
fn p09_signatures_need_every_signatory_and_calm_deals_hold() {
    let sc = astana(&[]);
    for seed in 0..100 {
        let t = run(&sc, seed);
        for m in 0..t.modules() {
            for r in 0..t.rounds() {
                let newly = t.status_at(r, m) == Status::Signed
                    && (r == 0 || t.status_at(r - 1, m) != Status::Signed);
                if newly {
                    for &s in &sc.modules[m].signatories {
                        assert_eq!(
                            t.vote_at(r, s, m),
                            Vote::Accept,
                            "seed {seed} round {}",
                            r + 1
                        );
                    }
                }
            }
        }
    }
    let calm = astana(&[
        "actors.GOV.capability_drift=0",
        "actors.GOV.violation.base=0",
        "actors.GOV.violation.slope=0",
        "actors.OPP.violation.base=0",
        "actors.OPP.violation.slope=0",
        "actors.HTS.capability=0",
    ]);
    let mut signed = 0;
    for seed in 0..100 {
        let t = run(&calm, seed);
        assert_eq!(t.collapses(), 0, "seed {seed}");
        signed += usize::from(t.first_signed(0).is_some());
    }
    assert!(signed > 50, "the calm variant should sign often ({signed})");
}

// 10. A spoiler with capability 0 leaves every other recorded series identical to the run without it.
#[test]
fn p10_a_powerless_spoiler_changes_nothing() {
    let text = astana_text();
    let start = text.find("\n# Hayat Tahrir al-Sham").expect("HTS block");
    let end = text.find("\n# Patron links").expect("after HTS");
    let without = load(&format!("{}{}", &text[..start], &text[end..]));
    let powerless = astana(&["actors.HTS.capability=0"]);
    let hts = powerless.actor_index("HTS").unwrap();
    for seed in 0..30 {
        let a = run(&without, seed);
        let b = run(&powerless, seed);
        assert_eq!(a.agreement(), b.agreement());
        assert!(ceasefire::trace::same_bits(a.texts(), b.texts()));
        assert_eq!(a.statuses(), b.statuses());
        assert!(a.events() == b.events(), "seed {seed}: events differ");
        assert_eq!(a.mean_utility(), b.mean_utility());
        for r in 0..a.rounds() {
            for i in 0..a.actors() {
                let j = if i >= hts { i + 1 } else { i };
                assert_eq!(
                    a.actor_at(r, i).utility.to_bits(),
                    b.actor_at(r, j).utility.to_bits()
                );
                assert_eq!(a.vote_at(r, i, 0), b.vote_at(r, j, 0));
                assert_eq!(a.actor_at(r, i).distrust, b.actor_at(r, j).distrust);
            }
        }
    }
}

// 13. Agreement on a module that is not yet open is 0, and its status is closed.
#[test]
fn p13_a_module_not_yet_open_has_no_agreement() {
    // The confidence module opens in week 10 here, the political one never.
    let sc = astana(&["modules.confidence.open_round=10"]);
    for seed in 0..10 {
        let t = run(&sc, seed);
        for (m, module) in sc.modules.iter().enumerate() {
            for r in 0..t.rounds() {
                if (r as u32 + 1) < module.open_round {
                    assert_eq!(
                        t.status_at(r, m),
                        Status::Closed,
                        "{} week {}",
                        module.id,
                        r + 1
                    );
                    assert_eq!(
                        t.module_agreement_at(r, m),
                        0.0,
                        "{} week {}",
                        module.id,
                        r + 1
                    );
                }
            }
        }
        // And it does open in its week.
        let confidence = sc
            .modules
            .iter()
            .position(|m| m.id == "confidence")
            .unwrap();
        assert_ne!(t.status_at(9, confidence), Status::Closed);
    }
}

// 12. Raising hurt growth never delays the first signature in the two-actor case; across 200 seeds of the
//     baseline it advances the median.
#[test]
fn p12_more_hurt_never_delays_and_advances_the_median() {
    for deadline in [8, 15, 30] {
        let mut last = u32::MAX;
        for growth in [0.0, 0.005, 0.01, 0.02, 0.05, 0.1] {
            let t = run(&load(&mirror(40, deadline, growth, "")), 1);
            let r = ceasefire_round(&t, 0);
            assert!(
                r <= last,
                "deadline {deadline}, growth {growth}: {r} after {last}"
            );
            last = r;
        }
    }
    let median = |sets: &[&str]| {
        let sc = astana(sets);
        let mut rounds: Vec<u32> = (0..200).map(|s| ceasefire_round(&run(&sc, s), 0)).collect();
        rounds.sort_unstable();
        rounds[100]
    };
    let mut doubled: Vec<String> = Vec::new();
    for id in ["RUS", "IRN", "TUR", "OPP", "USA", "JOR"] {
        doubled.push(format!(
            "actors.{id}.hurt.growth={{ dist = \"uniform\", low = 0.006, high = 0.018 }}"
        ));
    }
    doubled.push("actors.GOV.hurt.growth={ dist = \"uniform\", low = 0, high = 0.0015 }".into());
    let doubled: Vec<&str> = doubled.iter().map(String::as_str).collect();
    let base = median(&[]);
    let more = median(&doubled);
    assert!(
        more < base,
        "median ceasefire round {more} with more hurt vs {base}"
    );
}

// Ensembles record only what they keep, through their own recorder; that is identical to what a full run records.
// One workspace is reused across every case (scenarios of different sizes): what a run leaves in it never changes
// the next run.
#[test]
fn an_ensembles_outcome_equals_the_full_runs() {
    let mut workspace = ceasefire::engine::Workspace::default();
    let cases: [(&str, &[&str]); 5] = [
        ("astana-2017", &[]),
        ("hardline-spoiler", &[]),
        ("two-party-textbook", &[]),
        // Noisy votes draw from the vote streams; recognition draws a drafter each round.
        ("astana-2017", &["simulation.accept_temperature=0.05"]),
        ("astana-2017", &["simulation.proposal_rule=\"recognition\""]),
    ];
    for (name, sets) in cases {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let sc = ceasefire::scenario::load_path(name, &sets).unwrap();
        for seed in 0..20 {
            let full = ceasefire::ensemble::RunOutcome::from_trace(&sc, &run(&sc, seed));
            assert_eq!(
                full,
                ceasefire::ensemble::outcome(&sc, seed),
                "{name} {sets:?} seed {seed}"
            );
            let reused = ceasefire::engine::outcome_in(&mut workspace, &sc, seed);
            assert_eq!(
                full, reused,
                "{name} {sets:?} seed {seed}, reused workspace"
            );
        }
    }
}

/// `commitment_risk` in actors.csv is the round's ε = clamp(ε₀ (1 − G) + D, 0, 1), with D as the round's votes saw it:
/// the distrust recorded at the end of the previous round, decayed (distrust added by this round's violations and
/// attacks counts from the next). With ε₀ = 0 it is that D alone; with ε₀ > 0 it is more; guarantors fear no
/// betrayal (0), and hosts and spoilers do not vote (undefined).
#[test]
fn recorded_commitment_risk_is_epsilon() {
    let calm = astana(&["actors.GOV.commitment_risk=0"]);
    let base = astana(&[]);
    let decay = base.simulation.distrust_decay;
    let (gov, rus, kaz) = (
        base.actor_index("GOV").unwrap(),
        base.actor_index("RUS").unwrap(),
        base.actor_index("KAZ").unwrap(),
    );
    for seed in 0..10 {
        let (c, b) = (run(&calm, seed), run(&base, seed));
        for r in 0..c.rounds() {
            let seen = |t: &Trace| {
                if r == 0 {
                    0.0
                } else {
                    decay * t.actor_at(r - 1, gov).distrust
                }
            };
            let x = c.actor_at(r, gov).commitment_risk;
            assert!(
                (x - seen(&c).clamp(0.0, 1.0)).abs() < 1e-12,
                "seed {seed} round {r}: {x} vs {}",
                seen(&c)
            );
            let y = b.actor_at(r, gov).commitment_risk;
            assert!(
                y > seen(&b).min(1.0) - 1e-12 && y > 0.0,
                "seed {seed} round {r}"
            );
            assert_eq!(b.actor_at(r, rus).commitment_risk, 0.0);
            assert!(b.actor_at(r, kaz).commitment_risk.is_nan());
        }
    }
}
