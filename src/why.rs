//! Why an actor voted as it did on the ceasefire module in one round, in plain words, from the numbers the engine
//! recorded for that vote (`actors.csv`: `vote`, `utility`, `aspiration`, `reservation`, `win_probability`,
//! `commitment_risk`), the round's recorded `p_gov` and module status, and the scenario's patronage.
//!
//! Every number of the sentence is a recorded one (or the difference of two), rounded to two decimals; nothing is
//! recomputed from the model's formulas except the acceptance probability logistic((U − τ)/θ) of a noisy vote, from
//! the recorded U and τ. The recorder (`engine/record.rs`) takes `utility`, `reservation`, `aspiration` and
//! `win_probability` from the ceasefire module's slots of the round's vote, so they are the numbers that vote used.
//! Under the two-party textbook protocols (`zeuthen`, `alternating`) the recorded `aspiration` is not a threshold
//! (it is the worth of the party's own standing offer), and the sentence says so.
//!
//! Names come from the scenario and are used as plain text: nothing here builds markup.

use crate::model::votes;
use crate::scenario::error::closest;
use crate::scenario::{ProposalRule, Role, Scenario, Side};
use crate::trace::{Status, Trace, Vote};

/// Why one actor voted as it did on the ceasefire module in one round.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    /// The plain-words answer.
    pub sentence: String,
    /// The actor's id.
    pub actor: String,
    /// The round, from 1 (its label, such as "week", is the scenario's `simulation.round_label`).
    pub round: u32,
    /// Its recorded vote on the ceasefire module.
    pub vote: Vote,
    /// U: what the text is worth to it, commitment risk included (None where not recorded, e.g. a closed module).
    pub utility: Option<f64>,
    /// τ: the least it accepts this round. None under the textbook protocols, which record something else there.
    pub aspiration: Option<f64>,
    /// r: the value of fighting on (or a fixed reservation for a voter without a side).
    pub reservation: Option<f64>,
    /// ε: its fear that the deal will not be kept (0 for a voter that fears no betrayal).
    pub commitment_risk: Option<f64>,
    /// Its chance of winning by fighting, as its vote used it (None for a voter without a side).
    pub win_probability: Option<f64>,
    /// Names of its patrons (leverage > 0) that had already accepted the ceasefire text this round, when it voted.
    pub patrons_accepted: Vec<String>,
}

/// Why a question cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum WhyError {
    #[error("no actor \"{actor}\" in this scenario; {}", suggest(.suggestion.as_deref(), .known))]
    UnknownActor {
        actor: String,
        /// The id it probably meant.
        suggestion: Option<String>,
        /// Every actor id, comma-separated.
        known: String,
    },
    #[error(
        "there is no {label} {round}: the run has {rounds} {label}s, from {label} 1 to {label} {rounds}"
    )]
    RoundOutOfRange {
        round: u32,
        rounds: u32,
        /// The scenario's round label ("week").
        label: String,
    },
    #[error("{}never votes: {reason}", if .name == .actor { format!("{actor} ") } else { format!("{name} ({actor}) ") })]
    NotAVoter {
        actor: String,
        name: String,
        reason: String,
    },
    #[error("the run does not belong to this scenario: {0}")]
    TraceMismatch(String),
}

fn suggest(suggestion: Option<&str>, known: &str) -> String {
    match suggestion {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => format!("its actors are {known}"),
    }
}

/// Run `scenario` with `seed` and explain `actor`'s vote on the ceasefire module in `round` (from 1).
/// The actor and round are checked before the run.
pub fn why(scenario: &Scenario, seed: u64, round: u32, actor: &str) -> Result<Why, WhyError> {
    let i = actor_of(scenario, actor)?;
    check_round(scenario, scenario.simulation.rounds as usize, round)?;
    check_voter(scenario, i)?;
    let trace = crate::engine::run(scenario, seed);
    why_in(scenario, &trace, round, actor)
}

/// Explain `actor`'s vote on the ceasefire module in `round` (from 1) of `trace`, a run of `scenario`.
pub fn why_in(
    scenario: &Scenario,
    trace: &Trace,
    round: u32,
    actor: &str,
) -> Result<Why, WhyError> {
    let i = actor_of(scenario, actor)?;
    if trace.actors() != scenario.actors.len() || trace.modules() != scenario.modules.len() {
        return Err(WhyError::TraceMismatch(format!(
            "it has {} actors and {} modules, the scenario {} and {}",
            trace.actors(),
            trace.modules(),
            scenario.actors.len(),
            scenario.modules.len()
        )));
    }
    check_round(scenario, trace.rounds(), round)?;
    check_voter(scenario, i)?;
    let r = round as usize - 1;
    let cf = scenario.ceasefire_module;
    let vote = trace.vote_at(r, i, cf);
    let a = &scenario.actors[i];
    if vote == Vote::NoVote {
        return Err(not_a_voter(
            scenario,
            i,
            "it has no vote under this scenario's protocol".into(),
        ));
    }
    let row = trace.actor_at(r, i);
    let defined = |x: f64| x.is_finite().then_some(x);
    let label = &scenario.simulation.round_label;
    let head = who(a);
    let mut why = Why {
        sentence: String::new(),
        actor: a.id.clone(),
        round,
        vote,
        utility: defined(row.utility),
        aspiration: defined(row.aspiration),
        reservation: defined(row.reservation),
        commitment_risk: defined(row.commitment_risk),
        win_probability: if a.side == Side::None {
            None
        } else {
            defined(row.win_probability)
        },
        patrons_accepted: Vec::new(),
    };
    if matches!(
        scenario.simulation.proposal_rule,
        ProposalRule::Zeuthen | ProposalRule::Alternating
    ) {
        textbook(scenario, &mut why, &head, label);
        return Ok(why);
    }
    if vote == Vote::Closed || trace.status_at(r, cf) == Status::Closed {
        let module = scenario.ceasefire();
        why.sentence = format!(
            "{head}casts no vote in {label} {round}: the ceasefire module \"{}\" is not open yet (it opens in {label} {}), so there is no text to vote on.",
            module.id, module.open_round
        );
        return Ok(why);
    }
    let (Some(u), Some(tau), Some(res)) = (why.utility, why.aspiration, why.reservation) else {
        why.sentence = format!(
            "{head}{} in {label} {round}, but the run recorded no worth, aspiration or reservation for that vote.",
            verb(vote)
        );
        return Ok(why);
    };
    let theta = scenario.simulation.accept_temperature;
    let noisy = votes::noisy(theta);
    let gap = u - tau;
    let frozen = frozen_since(trace, r, cf)
        .map(|s| format!(", signed in {label} {s} and frozen since (it votes on the frozen text every {label}),"))
        .unwrap_or_default();
    let mut s = head;
    let fighting = fighting_clause(scenario, trace, r, i, res, &mut why);
    match vote {
        Vote::Absent => {
            s += &format!(
                "does not vote in {label} {round}: it is on boycott, so it is left out of the agreement share (its stated position still counts in the compromise). Had it voted, the text{frozen} is worth {} to it against the least it accepts this {label} (its aspiration), {}: ",
                n2(u),
                n2(tau)
            );
            if noisy {
                s += &format!(
                    "it would have accepted with probability logistic((U − τ)/θ) = {} (accept_temperature θ = {theta})",
                    n2(votes::logistic(gap / theta))
                );
            } else if gap >= 0.0 {
                s += &format!("it would have accepted, with {} to spare", n2(gap));
            } else {
                s += &format!("it would have rejected, {} short", n2(-gap));
            }
            s += &format!("; {fighting}.");
        }
        _ => {
            s += &format!(
                "{} in {label} {round}: the text{frozen} is worth {} to it; the least it accepts this {label} (its aspiration) is {}",
                verb(vote),
                n2(u),
                n2(tau)
            );
            if noisy {
                s += &format!(
                    "; {fighting}. The vote is a draw (accept_temperature θ = {theta}): it accepts with probability logistic((U − τ)/θ) = {}, and chance decided: it {}.",
                    n2(votes::logistic(gap / theta)),
                    if vote == Vote::Accept {
                        "accepted"
                    } else {
                        "rejected"
                    }
                );
            } else {
                s += &if gap >= 0.0 {
                    if n2(gap) == "0.00" {
                        ", which the text just meets".to_string()
                    } else {
                        format!(", which the text meets with {} to spare", n2(gap))
                    }
                } else if n2(-gap) == "0.00" {
                    ", so the text falls short by less than 0.01".to_string()
                } else {
                    format!(", so the text falls {} short", n2(-gap))
                };
                s += &format!("; {fighting}.");
            }
        }
    }
    s += &commitment_sentence(a, why.commitment_risk);
    s += &patron_sentence(scenario, trace, r, i, &mut why);
    s += &signing_sentence(trace, r, cf, label);
    why.sentence = s;
    Ok(why)
}

/// "Syrian government (GOV) ", or just the id when the name is the id.
fn who(a: &crate::scenario::Actor) -> String {
    if a.name == a.id {
        format!("{} ", a.id)
    } else {
        format!("{} ({}) ", a.name, a.id)
    }
}

/// "accepts", "rejects".
fn verb(vote: Vote) -> &'static str {
    match vote {
        Vote::Accept => "accepts",
        Vote::Reject => "rejects",
        Vote::Absent => "does not vote",
        Vote::NoVote | Vote::Closed => "casts no vote",
    }
}

/// A recorded number as the sentence writes it: two decimals.
fn n2(x: f64) -> String {
    let s = format!("{x:.2}");
    // "-0.00" reads as a negative number; it is zero at this precision.
    if s == "-0.00" { "0.00".into() } else { s }
}

fn actor_of(sc: &Scenario, id: &str) -> Result<usize, WhyError> {
    sc.actor_index(id).ok_or_else(|| WhyError::UnknownActor {
        actor: id.to_string(),
        suggestion: closest(id, sc.actors.iter().map(|a| a.id.as_str())).map(str::to_string),
        known: sc
            .actors
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn check_round(sc: &Scenario, rounds: usize, round: u32) -> Result<(), WhyError> {
    if round == 0 || round as usize > rounds {
        return Err(WhyError::RoundOutOfRange {
            round,
            rounds: u32::try_from(rounds).unwrap_or(u32::MAX),
            label: sc.simulation.round_label.clone(),
        });
    }
    Ok(())
}

fn not_a_voter(sc: &Scenario, i: usize, reason: String) -> WhyError {
    let a = &sc.actors[i];
    WhyError::NotAVoter {
        actor: a.id.clone(),
        name: a.name.clone(),
        reason,
    }
}

/// Hosts, spoilers and voiceless observers or mediators never vote.
fn check_voter(sc: &Scenario, i: usize) -> Result<(), WhyError> {
    let a = &sc.actors[i];
    if a.is_voter() {
        return Ok(());
    }
    let reason = match a.role {
        Role::Host => "it is the host, which convenes the talks and does not negotiate".to_string(),
        Role::Spoiler => {
            "it is a spoiler, excluded from the talks: it does not vote and adds nothing to any side; it can only attack, more often as agreement nears".to_string()
        }
        role => format!(
            "it is {} with no voice (voice 0), and only voters with a voice vote",
            match role {
                Role::Mediator => "a mediator",
                _ => "an observer",
            }
        ),
    };
    Err(not_a_voter(sc, i, reason))
}

/// The first round (from 1) of the signature in force when round `r` (0-based) voted, if the text was then frozen:
/// signed at the end of the round before.
fn frozen_since(trace: &Trace, r: usize, m: usize) -> Option<usize> {
    if r == 0 || trace.status_at(r - 1, m) != Status::Signed {
        return None;
    }
    let mut start = r - 1;
    while start > 0 && trace.status_at(start - 1, m) == Status::Signed {
        start -= 1;
    }
    Some(start + 1)
}

/// What happened to the text after the votes of round `r`: signed, or collapsed.
fn signing_sentence(trace: &Trace, r: usize, m: usize, label: &str) -> String {
    let before = if r == 0 {
        Status::Closed
    } else {
        trace.status_at(r - 1, m)
    };
    match (before, trace.status_at(r, m)) {
        (Status::Signed, Status::Collapsed) => {
            format!(" Later this {label} the signed text collapsed: fighting on beat the deal.")
        }
        (_, Status::Collapsed) => {
            format!(
                " The text was signed this {label}, after the vote, and collapsed the same {label}."
            )
        }
        (Status::Signed, _) => String::new(),
        (_, Status::Signed) => format!(" The text was signed this {label}, after the vote."),
        _ => String::new(),
    }
}

/// The value of fighting on, with its chance of winning when no patron's acceptance changed it.
fn fighting_clause(
    sc: &Scenario,
    trace: &Trace,
    r: usize,
    i: usize,
    res: f64,
    why: &mut Why,
) -> String {
    if sc.actors[i].side == Side::None {
        return format!(
            "it has no side in the war, so its reservation is fixed at {}",
            n2(res)
        );
    }
    let mut s = format!("fighting on is worth {} to it", n2(res));
    // Two numbers that print alike but differ: say which is the larger, not leave a class wondering.
    if let Some(u) = why.utility
        && n2(u) == n2(res)
        && u != res
    {
        s += if res > u {
            ", a little more than the text"
        } else {
            ", a little less than the text"
        };
    }
    let pulled = !accepted_patrons(sc, trace, r, i).is_empty();
    if let (Some(p), false) = (why.win_probability, pulled) {
        s += &format!(" (its chance of winning by fighting is {})", n2(p));
    }
    s
}

/// Only parties with a side fear that the deal will not be kept.
fn commitment_sentence(a: &crate::scenario::Actor, eps: Option<f64>) -> String {
    if a.role != Role::Party || a.side == Side::None {
        return String::new();
    }
    match eps {
        Some(e) if e > 0.0 => format!(
            " It fears the deal will not be kept (commitment risk {}), which is already counted in the text's worth.",
            n2(e)
        ),
        Some(_) => " It does not fear the deal will be broken (commitment risk 0.00).".into(),
        None => String::new(),
    }
}

/// Voting order: guarantors, then mediators and observers, then parties, each in file order.
fn vote_rank(sc: &Scenario, i: usize) -> (u8, usize) {
    let group = match sc.actors[i].role {
        Role::Guarantor => 0,
        Role::Mediator | Role::Observer => 1,
        Role::Party => 2,
        Role::Host | Role::Spoiler => 3,
    };
    (group, i)
}

/// The patronage links of client `i` with leverage > 0 whose patron had accepted the ceasefire text before `i`
/// voted in round `r`.
fn accepted_patrons<'s>(
    sc: &'s Scenario,
    trace: &Trace,
    r: usize,
    i: usize,
) -> Vec<&'s crate::scenario::Patronage> {
    sc.patronage
        .iter()
        .filter(|p| p.client == i && p.leverage > 0.0 && p.patron < trace.actors())
        .filter(|p| sc.actors[p.patron].is_voter() && vote_rank(sc, p.patron) < vote_rank(sc, i))
        .filter(|p| trace.vote_at(r, p.patron, sc.ceasefire_module) == Vote::Accept)
        .collect()
}

/// "Russia", "Russia and Iran", "Russia, Iran and Turkey".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Which patrons pulled its chance of winning down by accepting first (Walter: a patron that accepts withdraws
/// its help); nothing for an actor without patrons.
fn patron_sentence(sc: &Scenario, trace: &Trace, r: usize, i: usize, why: &mut Why) -> String {
    let a = &sc.actors[i];
    if a.side == Side::None {
        return String::new();
    }
    let has_patrons = sc
        .patronage
        .iter()
        .any(|p| p.client == i && p.leverage > 0.0);
    if !has_patrons {
        return String::new();
    }
    let accepted = accepted_patrons(sc, trace, r, i);
    if accepted.is_empty() {
        return " None of its patrons had accepted before it voted, so its side kept their full weight."
            .into();
    }
    why.patrons_accepted = accepted
        .iter()
        .map(|p| sc.actors[p.patron].name.clone())
        .collect();
    let (whose, list) = if accepted.len() == 1 {
        ("Its patron", names(&why.patrons_accepted))
    } else {
        ("Its patrons", names(&why.patrons_accepted))
    };
    // What the patrons' acceptance took from its side: λ μ c, with the recorded capability of the round.
    let world = trace.world();
    let withdrawn: f64 = accepted
        .iter()
        .map(|p| {
            let mu = world
                .actors
                .get(p.patron)
                .map_or(0.0, |d| d.military_commitment);
            p.leverage * mu * trace.actor_at(r, p.patron).capability
        })
        .sum();
    let Some(p) = why.win_probability else {
        return format!(" {whose} {list} had accepted first.");
    };
    // Its chance without the pull: the round's undiscounted P(its side wins).
    let p_gov = trace.p_gov()[r];
    let base = match a.side {
        Side::Gov => p_gov,
        Side::Opp => 1.0 - p_gov,
        Side::None => f64::NAN,
    };
    if withdrawn.is_nan() || withdrawn <= 0.0 {
        return format!(
            " {whose} {list} had accepted first, but that took no strength from its side (its chance of winning by fighting is {}).",
            n2(p)
        );
    }
    if base.is_finite() && base > p {
        format!(
            " {whose} {list} had accepted first, lowering its chance of winning by fighting from {} to {}.",
            n2(base),
            n2(p)
        )
    } else {
        format!(
            " {whose} {list} had accepted first, leaving its chance of winning by fighting at {}.",
            n2(p)
        )
    }
}

/// The two-party textbook protocols: the vote is the protocol's, and `aspiration` records the worth of the party's
/// own standing offer, not a threshold.
fn textbook(sc: &Scenario, why: &mut Why, head: &str, label: &str) {
    let round = why.round;
    let own_offer = why.aspiration.take();
    let worth = why.utility.map_or(String::new(), |u| {
        format!("the text on the table is worth {} to it", n2(u))
    });
    why.win_probability = None;
    let mut s = match sc.simulation.proposal_rule {
        ProposalRule::Alternating => {
            why.reservation = None;
            format!(
                "{head}{} in {label} {round}: under alternating offers (Rubinstein) the responder accepts the opener's offer at once, and a vote is not weighed against an aspiration; {worth}",
                verb(why.vote)
            )
        }
        _ => {
            let how = if why.vote == Vote::Accept {
                "the parties have agreed: one took the other's offer"
            } else {
                "neither party's offer is yet worth to the other at least its own"
            };
            let mut s = format!(
                "{head}{} in {label} {round}: under the Zeuthen protocol a vote is not weighed against an aspiration, and {how}; {worth}",
                verb(why.vote)
            );
            if let Some(o) = own_offer {
                s += &format!(
                    ", its own standing offer {} (recorded as its aspiration)",
                    n2(o)
                );
            }
            if let Some(res) = why.reservation {
                s += &format!("; its fixed reservation is {}", n2(res));
            }
            s
        }
    };
    s.push('.');
    why.sentence = s;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_names_lists_and_rounds_plainly() {
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["Russia".into()]), "Russia");
        assert_eq!(names(&["Russia".into(), "Iran".into()]), "Russia and Iran");
        assert_eq!(names(&["A".into(), "B".into(), "C".into()]), "A, B and C");
        assert_eq!(n2(0.7228), "0.72");
        assert_eq!(n2(-0.001), "0.00");
        assert_eq!(n2(0.995), "0.99"); // binary 0.995 is just below
    }

    #[test]
    fn why_error_messages() {
        let sc = crate::scenario::load_path("astana-2017", &[]).expect("bundled scenario");
        let e = actor_of(&sc, "GVO").expect_err("GVO is no actor");
        assert_eq!(
            e.to_string(),
            "no actor \"GVO\" in this scenario; did you mean \"GOV\"?"
        );
        let e = actor_of(&sc, "XYZZY").expect_err("no actor");
        assert!(e.to_string().contains("its actors are RUS, IRN, TUR, GOV"));
        let e = check_round(&sc, 50, 0).expect_err("round 0");
        assert_eq!(
            e.to_string(),
            "there is no week 0: the run has 50 weeks, from week 1 to week 50"
        );
        assert!(check_round(&sc, 50, 50).is_ok());
        assert!(check_round(&sc, 50, 51).is_err());
    }
}
