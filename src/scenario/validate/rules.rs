//! Rules across tables: what the textbook protocols need, and the size of the recorded trace.

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

/// rounds × actors × dimensions stays within what a trace may record.
pub(super) fn size(cx: &mut Ctx<'_>, rounds: u32, actors: usize, ndim: usize) {
    let sim_loc = Loc::root("simulation");
    let cells = u64::from(rounds) * (actors as u64) * (ndim.max(1) as u64);
    if cells > MAX_CELLS {
        cx.err(&sim_loc.field("rounds"), format!("rounds × actors × dimensions = {cells} exceeds the limit of {MAX_CELLS} recorded values; use fewer rounds or actors"));
    }
}
