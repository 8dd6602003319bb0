//! `RawScenario → Scenario`: every rule of the scenario format, checked once, every problem reported together.
//!
//! One function per table, in the order the tables depend on each other (actor ids before the tables that refer to
//! them); each returns what it read and whether it read all of it, so that the checks across tables run only where
//! they would not merely echo an earlier fault. Each check names the field by its TOML path (actors by id:
//! `actors.OPP.capability`) and finds its place in the file through the spans (by index path:
//! `actors[4].capability`). A field changed by `--set` is reported against the override, since the file's text
//! there is no longer what was read. Ranges and defaults come from the field registry (`fields/`).

mod actors;
mod context;
mod dimensions;
mod distribution;
mod document;
mod events;
mod header;
mod history;
mod links;
mod modules;
mod roster;
mod rules;
mod simulation;

pub(super) use context::serde_issue;
pub(super) use document::{dates, unknown_top_keys};

use super::Scenario;
use super::error::Issue;
use super::raw::RawScenario;
use super::spans::Spans;
use context::Ctx;

pub(super) fn validate(
    raw: RawScenario,
    spans: &Spans,
    overridden: &[(String, String)],
    sets: &[String],
) -> Result<Scenario, Vec<Issue>> {
    let mut cx = Ctx::new(spans, overridden);
    let cx = &mut cx;
    header::schema_version(cx, raw.schema_version);
    let meta = header::meta(cx, raw.meta);
    let dims = dimensions::dimensions(cx, raw.dimensions);
    let roster = roster::roster(cx, raw.actors);
    let before = cx.issues.len();
    let simulation = simulation::simulation(cx, raw.simulation, &roster.ids);
    // The horizon `[[history]]` is judged against, when `rounds` was read without fault.
    let rounds_read = cx.issues[before..]
        .iter()
        .all(|i| i.path != "simulation" && i.path != "simulation.rounds");
    let horizon = history::Horizon {
        rounds: rounds_read.then_some(simulation.rounds),
        overridden: cx.overridden(&context::Loc::root("simulation").field("rounds")),
    };
    let actors = actors::actors(cx, roster.parsed, &roster.ids, &dims, simulation.rounds);
    actors::sides(cx, &actors.list, roster.complete && actors.sides_known);
    let modules = modules::modules(cx, raw.modules, &dims, &roster.ids, &actors.list);
    let ndim = dims.list.len();
    actors::salience_in_every_module(cx, &actors, &modules.list, &roster.ids, ndim);
    let patronage = links::patronage(cx, raw.patronage, &roster.ids);
    let trust = links::trust(cx, raw.trust, &roster.ids);
    let events = events::events(cx, raw.events, &roster.ids);
    let history = history::history(cx, raw.history, horizon, &simulation.round_label);
    rules::textbook(
        cx,
        simulation.proposal_rule,
        &actors.list,
        &modules.list,
        &modules.ceasefires,
        roster.complete && modules.complete,
    );
    rules::size(cx, simulation.rounds, actors.list.len(), ndim);
    rules::event_rows(cx, simulation.rounds, &events, &modules.list, &actors.list);
    if !cx.issues.is_empty() {
        return Err(std::mem::take(&mut cx.issues));
    }
    let label = meta.variant.clone();
    Ok(Scenario {
        meta,
        simulation,
        dimensions: dims.list,
        modules: modules.list,
        actors: actors.list,
        patronage,
        trust,
        events,
        history,
        ceasefire_module: modules.ceasefires[0],
        overrides: sets.to_vec(),
        label,
    })
}
