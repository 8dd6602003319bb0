//! One run: the fixed round order of `docs/model.md`, in one function ([`run_rounds`]) that reads like its list.
//!
//! - `plan.rs`: what the scenario and the seed's draws fix for the whole run, in the orders the round reads;
//! - `state.rs`: what changes from round to round;
//! - `round.rs`: the steps of a round, each a call into `crate::model` for its formulas;
//! - `record.rs`: step 7, through the [`record::Recorder`] trait (a full trace, or an ensemble's outcome);
//! - `streams.rs`: the random streams; `index.rs`: the three index spaces (actor, voter, place in a column).
//!
//! The run is single-threaded and takes its randomness only from streams keyed by (seed, purpose, actor), so the
//! same scenario and seed always give the same trace, and two variants of a scenario see the same luck.

mod index;
mod plan;
mod record;
mod round;
mod state;
mod streams;
mod textbook;

use crate::ensemble::RunOutcome;
use crate::scenario::{ProposalRule, Scenario};
use crate::trace::Trace;
use crate::world::World;
use plan::Plan;
use record::{OutcomeRecorder, Recorder, TraceRecorder};
use round::RoundTally;
use state::State;
use streams::Streams;

/// Run `scenario` with `seed`, recording everything.
pub fn run(scenario: &Scenario, seed: u64) -> Trace {
    run_world(scenario, World::draw(scenario, seed))
}

/// Run one seed's world through every round, recording everything.
pub fn run_world(sc: &Scenario, world: World) -> Trace {
    let mut recorder = TraceRecorder::new(sc);
    if is_textbook(sc) {
        textbook::run(sc, &world, &mut recorder);
    } else {
        run_rounds(&mut Workspace::default(), sc, &world, &mut recorder);
    }
    recorder.finish(world)
}

/// Run `scenario` with `seed` in `workspace`, keeping only what an ensemble keeps of a run. A thread that runs many
/// seeds keeps one workspace and allocates the run's working vectors once instead of once per seed; the result does
/// not depend on what the workspace held before, and equals [`RunOutcome::from_trace`] of [`run`].
pub fn outcome_in(workspace: &mut Workspace, scenario: &Scenario, seed: u64) -> RunOutcome {
    let world = World::draw(scenario, seed);
    let mut recorder = OutcomeRecorder::new(scenario, world.seed);
    if is_textbook(scenario) {
        textbook::run(scenario, &world, &mut recorder);
    } else {
        run_rounds(workspace, scenario, &world, &mut recorder);
    }
    recorder.finish(scenario.ceasefire_module)
}

/// The two-party textbook protocols have rounds of their own (`textbook.rs`), recorded by the same recorders.
fn is_textbook(sc: &Scenario) -> bool {
    matches!(
        sc.simulation.proposal_rule,
        ProposalRule::Zeuthen | ProposalRule::Alternating
    )
}

/// The working vectors of a run, kept between runs (see [`outcome_in`]). Every run resets all of them.
#[derive(Default)]
pub struct Workspace {
    plan: Plan,
    state: State,
}

/// What every step reads and none changes: the scenario, the seed's draws, and the plan made from them.
struct Run<'a> {
    sc: &'a Scenario,
    world: &'a World,
    plan: &'a Plan,
}

/// Every round of the run, in the order of `docs/model.md`.
fn run_rounds<R: Recorder>(workspace: &mut Workspace, sc: &Scenario, world: &World, rec: &mut R) {
    workspace.plan.refill(sc, world);
    let run = Run {
        sc,
        world,
        plan: &workspace.plan,
    };
    let mut streams = Streams::new(sc, world.seed);
    let st = &mut workspace.state;
    st.reset(sc, run.plan, world);
    for t in 1..=sc.simulation.rounds {
        let mut tally = RoundTally::default();
        round::apply_events(&run, st, &mut streams, rec, t, &mut tally); // 1
        let drafter = round::draft_texts(&run, st, &mut streams, R::EVERY_COMPROMISE); // 2
        round::cast_votes(&run, st, &mut streams, t); // 3
        round::sign_modules(&run, st, rec, t); // 4
        round::hold_or_collapse(&run, st, &mut streams, rec, t, &mut tally); // 5
        round::spoiler_attacks(&run, st, &mut streams, rec, t, &mut tally); // 6
        let agreement = record::record(&run, st, rec, t, drafter, &tally); // 7
        round::between_rounds(&run, st, t, agreement); // 8
    }
}
