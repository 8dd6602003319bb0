//! `[simulation]`.

use super::context::*;
use crate::scenario::fields;
use crate::scenario::raw::*;
use crate::scenario::*;

/// `[simulation]`. A missing `rounds` or `drafter` is reported only when the table itself was read without fault.
pub(super) fn simulation(
    cx: &mut Ctx<'_>,
    raw: Option<toml::Value>,
    roster: &[(String, Role)],
) -> Simulation {
    // [simulation]
    let sim_loc = Loc::root("simulation");
    let before = cx.issues.len();
    let s = match raw {
        None => {
            cx.err(
                &sim_loc,
                "missing table [simulation]; expected at least `rounds`",
            );
            RawSimulation::default()
        }
        Some(s) => cx.de::<RawSimulation>(&sim_loc, s).unwrap_or_default(),
    };
    let rounds = match s.rounds {
        None => {
            if cx.issues.len() == before {
                cx.err(
                    &sim_loc,
                    format!(
                        "missing `rounds`; expected an integer {}",
                        fields::ROUNDS.range().describe_integers()
                    ),
                );
            }
            1
        }
        Some(r) => cx.int(&sim_loc.field("rounds"), Some(r), &fields::ROUNDS) as u32,
    };
    let proposal_rule = match s.proposal_rule.as_deref() {
        None => ProposalRule::SingleText,
        Some(word) => ProposalRule::parse(word).unwrap_or_else(|| {
            let words = &ProposalRule::WORDS;
            cx.unknown_word(&sim_loc.field("proposal_rule"), words, true, "", word);
            ProposalRule::SingleText
        }),
    };
    // A [simulation] that is missing or failed to parse has been reported; do not echo it as a missing drafter.
    let sim_ok = cx.issues.len() == before;
    let drafter = match &s.drafter {
        None => {
            if proposal_rule == ProposalRule::SingleText && sim_ok {
                cx.err(&sim_loc, "missing `drafter`; proposal_rule = \"single_text\" needs the id of the actor who drafts the text");
            }
            None
        }
        Some(d) => {
            let at = sim_loc.field("drafter");
            let idx = cx.actor_ref(&at, d, roster);
            if let Some(i) = idx {
                let role = roster[i].1;
                if matches!(role, Role::Host | Role::Spoiler) {
                    cx.err(
                        &at,
                        format!(
                            "expected a voter as drafter, found \"{d}\", {}",
                            article(role)
                        ),
                    );
                }
            }
            idx
        }
    };
    Simulation {
        rounds,
        round_label: cx.text(
            &sim_loc.field("round_label"),
            s.round_label,
            fields::ROUND_LABEL.text_default(),
        ),
        seed: s.seed.unwrap_or(fields::SEED.number_default() as u64),
        proposal_rule,
        zeuthen_step: cx.field_num(
            &sim_loc.field("zeuthen_step"),
            s.zeuthen_step,
            &fields::ZEUTHEN_STEP,
        ),
        drafter,
        drafter_bias: cx.field_num(
            &sim_loc.field("drafter_bias"),
            s.drafter_bias,
            &fields::DRAFTER_BIAS,
        ),
        text_inertia: cx.field_num(
            &sim_loc.field("text_inertia"),
            s.text_inertia,
            &fields::TEXT_INERTIA,
        ),
        accept_temperature: cx.field_num(
            &sim_loc.field("accept_temperature"),
            s.accept_temperature,
            &fields::ACCEPT_TEMPERATURE,
        ),
        contest_decisiveness: cx.field_num(
            &sim_loc.field("contest_decisiveness"),
            s.contest_decisiveness,
            &fields::CONTEST_DECISIVENESS,
        ),
        stalemate_band: cx.field_num(
            &sim_loc.field("stalemate_band"),
            s.stalemate_band,
            &fields::STALEMATE_BAND,
        ),
        violation_hurt: cx.field_num(
            &sim_loc.field("violation_hurt"),
            s.violation_hurt,
            &fields::VIOLATION_HURT,
        ),
        violation_distrust: cx.field_num(
            &sim_loc.field("violation_distrust"),
            s.violation_distrust,
            &fields::VIOLATION_DISTRUST,
        ),
        attack_hurt: cx.field_num(
            &sim_loc.field("attack_hurt"),
            s.attack_hurt,
            &fields::ATTACK_HURT,
        ),
        attack_distrust: cx.field_num(
            &sim_loc.field("attack_distrust"),
            s.attack_distrust,
            &fields::ATTACK_DISTRUST,
        ),
        distrust_decay: cx.field_num(
            &sim_loc.field("distrust_decay"),
            s.distrust_decay,
            &fields::DISTRUST_DECAY,
        ),
    }
}
