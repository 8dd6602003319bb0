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

/// Every number with a decimal point in `s` ("0.72"), in order.
fn decimals(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in s.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
        let word = word.trim_matches('.');
        if word.contains('.') && word.chars().any(|c| c.is_ascii_digit()) {
            out.push(word.to_string());
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
    } else if s.contains("fighting on is worth")
        || s.contains("winning by fighting")
        || w.win_probability.is_some()
    {
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
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

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

/// A case the property test found: a voter without a side in a week its signed text collapsed ("fighting on beat
/// the deal" is about the parties, not its odds).
#[test]
fn why_of_a_sideless_voter_in_a_week_of_collapse() {
    let sc = astana(&[]);
    let trace = run(&sc, 15668436184442261266);
    let un = sc.actor_index("UN").unwrap();
    check(&sc, &trace, 35, un).unwrap();
    let w = ceasefire::why::why_in(&sc, &trace, 35, "UN").unwrap();
    assert!(w.sentence.contains("collapsed"), "{}", w.sentence);
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

/// The example of the brief, checked number by number against `ceasefire run astana-2017` (actors.csv, week 12:
/// GOV utility 0.7228, aspiration 0.9003, reservation 0.7378, commitment_risk 0.1583, win_probability 0.6440;
/// RUS and IRN accept; rounds.csv p_gov 0.7018).
#[test]
fn why_gov_rejects_in_week_12_of_the_flagship_seed() {
    let w = flagship(12, "GOV");
    assert_eq!(
        w.sentence,
        "Syrian government (GOV) rejects in week 12: the text is worth 0.72 to it; the least it accepts this week \
         (its aspiration) is 0.90, so the text falls 0.18 short; fighting on is worth 0.74 to it. It fears the deal \
         will not be kept (commitment risk 0.16), which is already counted in the text's worth. Its patrons Russia \
         and Iran had accepted first, lowering its chance of winning by fighting from 0.70 to 0.64."
    );
    assert_eq!(w.vote, Vote::Reject);
    assert_eq!((w.actor.as_str(), w.round), ("GOV", 12));
    assert_eq!(w.patrons_accepted, ["Russia", "Iran"]);
    assert_eq!(w.utility.map(r2).as_deref(), Some("0.72"));
    assert_eq!(w.win_probability.map(r2).as_deref(), Some("0.64"));
}

/// In the flagship seed the government never accepts (from week 44 its aspiration is its reservation, which the
/// text stays below); in seed 0 it does, at the end, once the aspiration has fallen to the text's worth.
#[test]
fn why_gov_accepts_in_week_49_of_seed_0_and_never_in_the_flagship_seed() {
    let sc = astana(&[]);
    let trace = run(&sc, SEED);
    let gov = sc.actor_index("GOV").unwrap();
    assert!((0..50).all(|r| trace.vote_at(r, gov, sc.ceasefire_module) == Vote::Reject));
    let w = why(&sc, 0, 49, "GOV").unwrap();
    assert_eq!(w.vote, Vote::Accept);
    assert_eq!(
        w.sentence,
        "Syrian government (GOV) accepts in week 49: the text, signed in week 20 and frozen since (it votes on the \
         frozen text every week), is worth 0.78 to it; the least it accepts this week (its aspiration) is 0.78, \
         which the text just meets; fighting on is worth 0.78 to it, a little less than the text. It fears the deal will not be kept (commitment \
         risk 0.16), which is already counted in the text's worth. Its patrons Russia and Iran had accepted first, \
         lowering its chance of winning by fighting from 0.79 to 0.75."
    );
    assert!(w.utility.unwrap() >= w.aspiration.unwrap());
}

/// OPP's first acceptance, on the frozen text, with three patrons that accepted first (actors.csv week 29: utility
/// 0.5051, aspiration 0.4978, reservation 0.3754, commitment_risk 0.2838, win_probability 0.2296; p_gov 0.7179, so
/// 1 − p_gov = 0.28).
#[test]
fn why_opp_accepts_the_frozen_text_in_week_29() {
    let w = flagship(29, "OPP");
    assert_eq!(
        w.sentence,
        "Armed opposition (OPP) accepts in week 29: the text, signed in week 19 and frozen since (it votes on the \
         frozen text every week), is worth 0.51 to it; the least it accepts this week (its aspiration) is 0.50, \
         which the text meets with 0.01 to spare; fighting on is worth 0.38 to it. It fears the deal will not be kept \
         (commitment risk 0.28), which is already counted in the text's worth. Its patrons Turkey, United States and \
         Jordan had accepted first, lowering its chance of winning by fighting from 0.28 to 0.23."
    );
    assert_eq!(w.patrons_accepted, ["Turkey", "United States", "Jordan"]);
}

#[test]
fn why_boycott_signature_no_side_and_no_patron() {
    assert_eq!(
        flagship(3, "OPP").sentence,
        "Armed opposition (OPP) does not vote in week 3: it is on boycott, so it is left out of the agreement share \
         (its stated position still counts in the compromise). Had it voted, the text is worth 0.54 to it against \
         the least it accepts this week (its aspiration), 0.83: it would have rejected, 0.29 short; fighting on is \
         worth 0.54 to it, a little less than the text (its chance of winning by fighting is 0.31). It fears the deal will not be kept \
         (commitment risk 0.26), which is already counted in the text's worth. None of its patrons had accepted \
         before it voted, so its side kept their full weight."
    );
    assert_eq!(flagship(3, "OPP").vote, Vote::Absent);
    let signed = flagship(19, "GOV").sentence;
    assert!(
        signed.ends_with(" The text was signed this week, after the vote."),
        "{signed}"
    );
    // A mediator without a side: a fixed reservation, no fighting-on odds, no commitment risk, no patrons.
    let un = flagship(12, "UN");
    assert_eq!(
        un.sentence,
        "UN envoy (de Mistura) (UN) rejects in week 12: the text is worth 0.61 to it; the least it accepts this week \
         (its aspiration) is 0.63, so the text falls 0.02 short; it has no side in the war, so its reservation is \
         fixed at 0.30."
    );
    assert_eq!(un.win_probability, None);
    // A guarantor without patrons: its odds, and nothing about patrons or commitment risk.
    assert_eq!(
        flagship(1, "RUS").sentence,
        "Russia (RUS) accepts in week 1: the text is worth 0.98 to it; the least it accepts this week (its \
         aspiration) is 0.90, which the text meets with 0.08 to spare; fighting on is worth 0.69 to it (its chance \
         of winning by fighting is 0.69)."
    );
}

/// A patron that rejected is no pull: in week 1 Russia accepts and Iran rejects, so only Russia is named.
#[test]
fn why_a_patron_that_rejected_is_not_named() {
    let sc = astana(&[]);
    let trace = run(&sc, SEED);
    assert_eq!(
        trace.vote_at(0, sc.actor_index("IRN").unwrap(), 0),
        Vote::Reject
    );
    let w = why_in(&sc, &trace, 1, "GOV").unwrap();
    assert_eq!(w.patrons_accepted, ["Russia"]);
    assert!(
        w.sentence
            .contains(" Its patron Russia had accepted first, lowering"),
        "{}",
        w.sentence
    );
    assert!(!w.sentence.contains("Iran"), "{}", w.sentence);
}

#[test]
fn why_with_noise_says_the_vote_is_a_draw() {
    let sc = astana(&["simulation.accept_temperature=0.05"]);
    let trace = run(&sc, SEED);
    let gov = sc.actor_index("GOV").unwrap();
    for round in [1u32, 12, 30] {
        let w = why_in(&sc, &trace, round, "GOV").unwrap();
        let (u, tau) = (w.utility.unwrap(), w.aspiration.unwrap());
        let p = 1.0 / (1.0 + (-(u - tau) / 0.05).exp());
        let said = format!(
            "it accepts with probability logistic((U − τ)/θ) = {}, and chance decided: it {}.",
            r2(p),
            if w.vote == Vote::Accept {
                "accepted"
            } else {
                "rejected"
            }
        );
        assert!(
            w.sentence
                .contains("The vote is a draw (accept_temperature θ = 0.05)"),
            "{}",
            w.sentence
        );
        assert!(
            w.sentence.contains(&said),
            "{}\nexpected {said}",
            w.sentence
        );
        assert_eq!(
            w.vote,
            trace.vote_at(round as usize - 1, gov, sc.ceasefire_module)
        );
    }
}

#[test]
fn why_before_the_module_opens_there_is_no_text() {
    let sc = astana(&["modules.deescalation.open_round=5"]);
    let w = why(&sc, SEED, 4, "GOV").unwrap();
    assert_eq!(w.vote, Vote::Closed);
    assert_eq!(
        w.sentence,
        "Syrian government (GOV) casts no vote in week 4: the ceasefire module \"deescalation\" is not open yet (it \
         opens in week 5), so there is no text to vote on."
    );
    assert_eq!((w.utility, w.aspiration, w.reservation), (None, None, None));
    assert!(
        why(&sc, SEED, 5, "GOV")
            .unwrap()
            .sentence
            .contains(" rejects in week 5: ")
    );
}

#[test]
fn why_under_zeuthen_says_the_aspiration_column_is_the_own_offer() {
    let sc = match scenario::load_path(
        "two-party-textbook",
        &["simulation.proposal_rule=zeuthen".to_string()],
    ) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let party = sc
        .actors
        .iter()
        .find(|a| a.role == scenario::Role::Party)
        .unwrap()
        .id
        .clone();
    let w = why(&sc, 1, 1, &party).unwrap();
    assert!(
        w.sentence
            .contains("under the Zeuthen protocol a vote is not weighed against an aspiration"),
        "{}",
        w.sentence
    );
    assert!(
        w.sentence.contains("(recorded as its aspiration)"),
        "{}",
        w.sentence
    );
    assert_eq!(w.aspiration, None);
}

#[test]
fn why_and_why_in_agree() {
    let sc = astana(&[]);
    let trace = run(&sc, 7);
    for round in [1, 25, 50] {
        assert_eq!(
            why(&sc, 7, round, "OPP").unwrap(),
            why_in(&sc, &trace, round, "OPP").unwrap()
        );
    }
}

#[test]
fn why_errors_name_the_problem() {
    let sc = astana(&[]);
    let err = |round: u32, actor: &str| why(&sc, SEED, round, actor).unwrap_err();
    let e = err(12, "GVO");
    assert!(
        matches!(&e, WhyError::UnknownActor { suggestion: Some(s), .. } if s == "GOV"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "no actor \"GVO\" in this scenario; did you mean \"GOV\"?"
    );
    let e = err(12, "NOBODY");
    assert!(
        matches!(
            &e,
            WhyError::UnknownActor {
                suggestion: None,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("its actors are RUS, IRN, TUR, GOV, OPP"),
        "{e}"
    );
    let e = err(0, "GOV");
    assert!(matches!(
        e,
        WhyError::RoundOutOfRange {
            round: 0,
            rounds: 50,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "there is no week 0: the run has 50 weeks, from week 1 to week 50"
    );
    assert!(matches!(
        err(51, "GOV"),
        WhyError::RoundOutOfRange { round: 51, .. }
    ));
    let e = err(12, "KAZ");
    assert!(matches!(&e, WhyError::NotAVoter { actor, .. } if actor == "KAZ"));
    assert_eq!(
        e.to_string(),
        "Kazakhstan (KAZ) never votes: it is the host, which convenes the talks and does not negotiate"
    );
    let e = err(12, "HTS");
    assert!(matches!(&e, WhyError::NotAVoter { actor, .. } if actor == "HTS"));
    assert!(
        e.to_string().starts_with(
            "Hayat Tahrir al-Sham (HTS) never votes: it is a spoiler, excluded from the talks"
        ),
        "{e}"
    );
    // A round beyond a shorter trace, and a trace of another scenario.
    let short = astana(&["simulation.rounds=10"]);
    let trace = run(&short, SEED);
    assert!(matches!(
        why_in(&sc, &trace, 11, "GOV"),
        Err(WhyError::RoundOutOfRange { rounds: 10, .. })
    ));
    let other = match scenario::load_path("two-party-textbook", &[]) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert!(matches!(
        why_in(&sc, &run(&other, 1), 1, "GOV"),
        Err(WhyError::TraceMismatch(_))
    ));
}

/// Names are plain text: a name with angle brackets comes back as typed, never as markup.
#[test]
fn why_names_are_plain_text() {
    let sc = astana(&["actors.GOV.name=\"<b>Gov & co</b>\""]);
    let w = why(&sc, SEED, 12, "GOV").unwrap();
    assert!(
        w.sentence
            .starts_with("<b>Gov & co</b> (GOV) rejects in week 12: "),
        "{}",
        w.sentence
    );
}
