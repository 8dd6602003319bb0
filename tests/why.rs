//! `ceasefire::why`: the plain-words account of a vote, checked against the numbers the run recorded.
#![allow(clippy::unwrap_used)]

use ceasefire::engine::run;
use ceasefire::scenario::{self, Scenario};
use ceasefire::trace::{Trace, Vote};
use ceasefire::why::{Why, WhyError, why, why_in};
use proptest::prelude::*;

fn astana(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_path("astana-2017", &sets) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

const SEED: u64 = 20170504;

fn r2(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// Every number with two decimals in `s` ("0.72"), in order.
fn decimals(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + 2 < b.len() + 1
                && i < b.len()
                && b[i] == b'.'
                && i + 2 < b.len() + 1
                && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                out.push(s[start..j].to_string());
                i = j;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn id(sc: &Scenario, i: usize) -> &str {
    &sc.actors[i].id
}

/// Checks one deterministic vote's account against the trace; returns the reason it fails.
fn check(sc: &Scenario, trace: &Trace, round: u32, i: usize) -> Result<(), String> {
    let w = why_in(sc, trace, round, id(sc, i)).map_err(|e| e.to_string())?;
    let r = round as usize - 1;
    let cf = sc.ceasefire_module;
    let row = trace.actor_at(r, i);
    let vote = trace.vote_at(r, i, cf);
    let a = &sc.actors[i];
    let s = &w.sentence;
    if w.vote != vote {
        return Err(format!("vote {:?} is recorded {:?}", w.vote, vote));
    }
    if w.utility != Some(row.utility) || w.aspiration != Some(row.aspiration) {
        return Err(format!("numbers of {s} are not the recorded ones"));
    }
    if w.reservation != Some(row.reservation) || w.commitment_risk != Some(row.commitment_risk) {
        return Err(format!("numbers of {s} are not the recorded ones"));
    }
    let head = format!("{} ({}) ", a.name, a.id);
    let accepts = row.utility >= row.aspiration;
    match vote {
        Vote::Accept | Vote::Reject => {
            if (vote == Vote::Accept) != accepts {
                return Err(format!("recorded vote {vote:?} disagrees with U ≥ τ"));
            }
            let word = if accepts { "accepts" } else { "rejects" };
            if !s.starts_with(&format!("{head}{word} in week {round}: ")) {
                return Err(format!("{s}: expected \"{word}\""));
            }
        }
        Vote::Absent => {
            let word = if accepts {
                "would have accepted"
            } else {
                "would have rejected"
            };
            if !s.starts_with(&format!("{head}does not vote in week {round}: "))
                || !s.contains(word)
            {
                return Err(format!("{s}: expected \"{word}\""));
            }
        }
        _ => return Err(format!("{s}: a voter's vote is {vote:?}")),
    }
    if !s.contains(&format!("is worth {} to it", r2(row.utility)))
        || !s.contains(&format!(
            "(its aspiration){} {}",
            if vote == Vote::Absent { "," } else { " is" },
            r2(row.aspiration)
        ))
    {
        return Err(format!("{s}: U or τ is missing"));
    }
    let p_gov = trace.p_gov()[r];
    let mut allowed = vec![
        r2(row.utility),
        r2(row.aspiration),
        r2(row.reservation),
        r2(row.commitment_risk),
        r2((row.utility - row.aspiration).abs()),
        "0.01".to_string(), // "short by less than 0.01"
    ];
    if a.side != scenario::Side::None {
        allowed.extend([r2(row.win_probability), r2(p_gov), r2(1.0 - p_gov)]);
        if w.win_probability != Some(row.win_probability) {
            return Err(format!("{s}: win probability is not the recorded one"));
        }
    } else if s.contains("fighting") || w.win_probability.is_some() {
        return Err(format!(
            "{s}: a voter without a side has no fighting-on odds"
        ));
    }
    for n in decimals(s) {
        if !allowed.contains(&n) {
            return Err(format!(
                "{s}: {n} is none of the recorded numbers {allowed:?}"
            ));
        }
    }
    // Every other actor named is a patron with leverage that accepted this round.
    for (j, other) in sc.actors.iter().enumerate() {
        if j == i || !s.contains(other.name.as_str()) {
            continue;
        }
        let patron = sc
            .patronage
            .iter()
            .any(|p| p.patron == j && p.client == i && p.leverage > 0.0);
        if !patron || trace.vote_at(r, j, cf) != Vote::Accept {
            return Err(format!(
                "{s}: names {} which is not a patron that accepted",
                other.name
            ));
        }
        if !w.patrons_accepted.contains(&other.name) {
            return Err(format!(
                "{s}: names {} but patrons_accepted is {:?}",
                other.name, w.patrons_accepted
            ));
        }
    }
    for name in &w.patrons_accepted {
        if !s.contains(name.as_str()) {
            return Err(format!("{s}: does not name the patron {name}"));
        }
    }
    Ok(())
}

fn voters(sc: &Scenario) -> Vec<usize> {
    (0..sc.actors.len())
        .filter(|&i| sc.actors[i].is_voter())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// θ = 0 in astana-2017: the vote word agrees with U ≥ τ as recorded, the numbers are the recorded ones
    /// rounded, and every patron named accepted in that round with leverage > 0.
    #[test]
    fn why_sentence_agrees_with_the_recorded_vote(seed in any::<u64>(), round in 1u32..=50) {
        let sc = astana(&[]);
        prop_assert_eq!(sc.simulation.accept_temperature, 0.0);
        let trace = run(&sc, seed);
        for i in voters(&sc) {
            if let Err(e) = check(&sc, &trace, round, i) {
                return Err(TestCaseError::fail(format!("seed {seed}, week {round}, {}: {e}", id(&sc, i))));
            }
        }
    }
}

/// Every voter and week of the flagship seed, for good measure.
#[test]
fn why_every_vote_of_the_flagship_seed_agrees_with_the_record() {
    let sc = astana(&[]);
    let trace = run(&sc, SEED);
    for round in 1..=sc.simulation.rounds {
        for i in voters(&sc) {
            if let Err(e) = check(&sc, &trace, round, i) {
                panic!("week {round}, {}: {e}", id(&sc, i));
            }
        }
    }
}

fn flagship(round: u32, actor: &str) -> Why {
    why(&astana(&[]), SEED, round, actor).unwrap()
}

#[test]
fn why_explore() {
    let sc = astana(&[]);
    let trace = run(&sc, SEED);
    for (round, actor) in [
        (12, "GOV"),
        (29, "OPP"),
        (3, "OPP"),
        (30, "GOV"),
        (19, "GOV"),
        (12, "UN"),
        (1, "RUS"),
        (12, "USA"),
    ] {
        println!("{}", why_in(&sc, &trace, round, actor).unwrap().sentence);
    }
    for round in 1..=50 {
        let w = why_in(&sc, &trace, round, "GOV").unwrap();
        if w.vote == Vote::Accept {
            println!("GOV accepts {round}");
        }
    }
    let mut found = 0;
    for seed in 0..400u64 {
        let t = run(&sc, seed);
        for round in 1..=50u32 {
            if t.vote_at(round as usize - 1, 3, sc.ceasefire_module) == Vote::Accept && found < 3 {
                found += 1;
                println!(
                    "seed {seed} {}",
                    why_in(&sc, &t, round, "GOV").unwrap().sentence
                );
            }
        }
    }
    let _ = WhyError::TraceMismatch(String::new());
}
