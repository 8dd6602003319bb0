//! Rules across tables: what the textbook protocols need, and the size of the recorded trace and of its events.

use super::context::*;
use crate::scenario::limits::*;
use crate::scenario::*;

/// The textbook protocols: two parties alone, one dimension, fixed reservations (judged only when `complete`:
/// every actor and module was read).
pub(super) fn textbook(
    cx: &mut Ctx<'_>,
    proposal_rule: ProposalRule,
    actors: &[Actor],
    modules: &[Module],
    ceasefires: &[usize],
    complete: bool,
) {
    let sim_loc = Loc::root("simulation");
    // The textbook protocols: two parties alone, one dimension, fixed reservations.
    if matches!(
        proposal_rule,
        ProposalRule::Zeuthen | ProposalRule::Alternating
    ) && complete
    {
        let rule = proposal_rule.as_str();
        let parties: Vec<&Actor> = actors.iter().filter(|a| a.role == Role::Party).collect();
        let others: Vec<&str> = actors
            .iter()
            .filter(|a| !matches!(a.role, Role::Party | Role::Host))
            .map(|a| a.id.as_str())
            .collect();
        let at = sim_loc.field("proposal_rule");
        if parties.len() != 2 {
            cx.err(
                &at,
                format!(
                    "proposal_rule = \"{rule}\" is for exactly two parties; found {}",
                    parties.len()
                ),
            );
        }
        if !others.is_empty() {
            cx.err(&at, format!("proposal_rule = \"{rule}\" is for two parties alone (a host may convene); remove or make hosts of: {}", others.join(", ")));
        }
        for p in &parties {
            if p.side != Side::None {
                cx.err(&at, format!("proposal_rule = \"{rule}\" uses fixed reservations: give party \"{}\" side = \"none\" and a reservation", p.id));
            }
        }
        if let Some(&c) = ceasefires.first()
            && modules[c].dimensions.len() != 1
        {
            cx.err(&at, format!("proposal_rule = \"{rule}\" bargains over one dimension; the ceasefire module \"{}\" has {}", modules[c].id, modules[c].dimensions.len()));
        }
    }
}

/// rounds × actors (the rows of `actors.csv`) and rounds × actors × dimensions (the positions in them) stay within
/// what a trace may record.
pub(super) fn size(cx: &mut Ctx<'_>, rounds: u32, actors: usize, ndim: usize) {
    let at = Loc::root("simulation").field("rounds");
    let rows = u64::from(rounds) * (actors as u64);
    if rows > MAX_ACTOR_ROWS {
        cx.err(&at, format!("rounds × actors = {rows} exceeds the limit of {MAX_ACTOR_ROWS} rows of actors.csv; use fewer rounds or actors"));
    }
    let cells = rows * (ndim.max(1) as u64);
    if cells > MAX_CELLS {
        cx.err(&at, format!("rounds × actors × dimensions = {cells} exceeds the limit of {MAX_CELLS} recorded values; use fewer rounds, actors or dimensions"));
    }
}

/// The rows `events.csv` can hold stay within the limits, counted up front so that a run never records more: each
/// scheduled event within the rounds once; and in every round at most each event with a probability, each
/// compliance party's violation of each module, each module's signature and collapse, and each spoiler's attack on
/// each of its targets. Every row repeats its event's label, so the labels' bytes are counted the same way.
pub(super) fn event_rows(
    cx: &mut Ctx<'_>,
    rounds: u32,
    events: &[Event],
    modules: &[Module],
    actors: &[Actor],
) {
    let per_run = u64::from(rounds);
    let (mut scheduled, mut random, mut label_bytes) = (0u64, 0u64, 0u64);
    for e in events {
        let fires = match e.timing {
            Timing::Round(r) if r <= rounds => {
                scheduled += 1;
                1
            }
            Timing::Probability(p) if p > 0.0 => {
                random += 1;
                per_run
            }
            Timing::Round(_) | Timing::Probability(_) => 0,
        };
        label_bytes += fires * e.label.as_ref().map_or(0, |l| l.len() as u64);
    }
    let violations: u64 = modules.iter().map(|m| m.compliance.len() as u64).sum();
    let module_rows = 2 * modules.len() as u64;
    let targets: u64 = actors
        .iter()
        .filter_map(|a| a.spoiler.as_ref())
        .map(|s| s.targets.len() as u64)
        .sum();
    let rows = scheduled + per_run * (random + violations + module_rows + targets);
    let at = Loc::root("simulation").field("rounds");
    if rows > MAX_EVENT_ROWS {
        cx.err(
            &at,
            format!(
                "events.csv could record {rows} rows ({rounds} rounds × ({random} events with a probability + \
                 {violations} compliance parties' violations + {module_rows} signatures and collapses + {targets} \
                 spoiler targets) + {scheduled} scheduled events), over the limit of {MAX_EVENT_ROWS}; use fewer \
                 rounds or fewer events with a probability"
            ),
        );
    }
    if label_bytes > MAX_EVENT_LABEL_BYTES {
        cx.err(
            &at,
            format!(
                "events.csv could repeat event labels for {label_bytes} bytes (each row repeats its event's label; \
                 an event with a probability can happen in each of the {rounds} rounds), over the limit of \
                 {MAX_EVENT_LABEL_BYTES}; shorten the labels or use fewer rounds"
            ),
        );
    }
}
