//! The explorer's controls, built from the field registry ([`crate::scenario::fields`]): for each actor the fields its
//! role may set that have a slider, its patrons' leverage and pull, its trust in each guarantor, the simulation's
//! teaching knobs, and each scheduled event on or off. Each control carries the `--set` path it changes, its range,
//! step and one-line meaning, and the value the scenario gives it.

use serde::Serialize;
use toml::{Table as TomlTable, Value};

use crate::scenario::fields::{self, Field, Kind, Table};
use crate::scenario::{Role, Scenario, Side};

/// An event scheduled after every round a run can have: how the explorer turns a scheduled event off.
pub const NEVER: u32 = u32::MAX;

#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// The `--set` path a change writes (`actors.GOV.commitment_risk`, `actors.GOV.capability.mean`).
    pub path: String,
    /// The field's key, as a short name (`commitment_risk`).
    pub key: String,
    pub meaning: String,
    /// `number`, `integer` or `word`.
    pub kind: &'static str,
    /// The value in the scenario as written (a number, or the word): what a reset goes back to.
    pub value: serde_json::Value,
    /// The value the variant has with the page's changes applied (a role change moves a voice that follows the role).
    pub now: serde_json::Value,
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub words: Vec<&'static str>,
    /// For a distribution: what the control moves ("normal, sd 0.05: the control moves its mean").
    pub note: String,
    pub unit: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// "Government (GOV): party, gov".
    pub heading: String,
    /// The actor's id, for an actor's group.
    pub actor: Option<String>,
    pub controls: Vec<Control>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EventSwitch {
    pub index: usize,
    pub label: String,
    /// "boycott of OPP in week 3".
    pub when: String,
    /// The override that turns it off.
    pub off: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Controls {
    pub title: String,
    pub lesson: String,
    pub round_label: String,
    pub seed: u64,
    pub groups: Vec<Group>,
    pub events: Vec<EventSwitch>,
    /// The actors that vote (for the "why" picker): (id, name).
    pub voters: Vec<(String, String)>,
}

/// Whether field `key` of `table` matters under the scenario's proposal rule: the discount factor only in Rubinstein's
/// alternating offers, the concession step only in Zeuthen's protocol (a control that changes nothing would teach that
/// nothing matters).
fn used(sc: &Scenario, key: &str) -> bool {
    use crate::scenario::ProposalRule;
    match key {
        "discount" => sc.simulation.proposal_rule == ProposalRule::Alternating,
        "zeuthen_step" => sc.simulation.proposal_rule == ProposalRule::Zeuthen,
        _ => true,
    }
}

/// The controls of `sc`, whose text is `text` (values are read from the text, so that a distribution shows the
/// parameter the control moves).
pub fn controls(sc: &Scenario, text: &str) -> Controls {
    let doc: TomlTable = toml::from_str(text).unwrap_or_default();
    controls_of(sc, &doc)
}

/// The controls of a variant: its own (with `changes` applied, so a role change shows the fields and values that
/// follow the role) as `now`, each with the value of the scenario as written, `written`, to reset to.
pub fn with_changes(written: &Controls, variant: Controls) -> Controls {
    let mut out = variant;
    let before: std::collections::HashMap<&str, &serde_json::Value> = written
        .groups
        .iter()
        .flat_map(|g| &g.controls)
        .map(|c| (c.path.as_str(), &c.value))
        .collect();
    for c in out.groups.iter_mut().flat_map(|g| g.controls.iter_mut()) {
        c.now = c.value.clone();
        if let Some(v) = before.get(c.path.as_str()) {
            c.value = (*v).clone();
        }
    }
    out
}

/// [`controls`] of a scenario read as TOML, with any overrides already applied to `doc`.
pub fn controls_of(sc: &Scenario, doc: &TomlTable) -> Controls {
    let doc = doc.clone();
    let raw_actors = array(&doc, "actors");
    let mut groups = Vec::new();
    for actor in &sc.actors {
        let raw = raw_actors
            .iter()
            .find(|a| a.get("id").and_then(Value::as_str) == Some(actor.id.as_str()));
        let prefix = format!("actors.{}.", actor.id);
        let mut cs = vec![word(
            &prefix,
            fields::find(Table::Actors, "role"),
            actor.role.as_str(),
            &Role::WORDS,
        )];
        if actor.role == Role::Party || actor.side != Side::None {
            cs.push(word(
                &prefix,
                fields::find(Table::Actors, "side"),
                actor.side.as_str(),
                &Side::WORDS,
            ));
        }
        for f in fields::of(Table::Actors) {
            if !f.allows(actor.role)
                || f.slider.is_none()
                || !matches!(f.kind, Kind::Param | Kind::Number)
                || !used(sc, f.key)
            {
                continue;
            }
            // A spoiler never votes: its voice is fixed at 0.
            if f.key == "voice" && actor.role == Role::Spoiler {
                continue;
            }
            let value = raw.and_then(|t| lookup(t, f.key));
            // A field limited to some kinds of actor ("greedy spoilers only") gets a control only where it is set.
            if value.is_none() && f.rule.contains("only") {
                continue;
            }
            let fallback = match f.key {
                "voice" => Some(actor.role.default_voice()),
                "concession.deadline" => Some(f64::from(sc.simulation.rounds)),
                "military_commitment" => Some(if actor.role == Role::Party { 1.0 } else { 0.0 }),
                _ => f.default.number(),
            };
            if let Some(c) = number(&prefix, f, value, fallback) {
                cs.push(c);
            }
        }
        groups.push(Group {
            heading: format!(
                "{} ({}): {}{}",
                actor.name,
                actor.id,
                actor.role.as_str(),
                if actor.side == Side::None {
                    String::new()
                } else {
                    format!(", {}", actor.side.as_str())
                }
            ),
            actor: Some(actor.id.clone()),
            controls: cs,
        });
    }
    let mut links = Vec::new();
    for p in array(&doc, "patronage") {
        let (Some(patron), Some(client)) = (text_of(p, "patron"), text_of(p, "client")) else {
            continue;
        };
        let prefix = format!("patronage.{patron}.{client}.");
        for f in fields::of(Table::Patronage).filter(|f| f.kind.is_numeric()) {
            if let Some(mut c) = number(&prefix, f, lookup(p, f.key), f.default.number()) {
                c.meaning = format!(
                    "{} on {}: {}",
                    name(sc, patron),
                    name(sc, client),
                    c.meaning
                );
                links.push(c);
            }
        }
    }
    if !links.is_empty() {
        groups.push(Group {
            heading: "Patrons and clients".into(),
            actor: None,
            controls: links,
        });
    }
    let mut trust = Vec::new();
    for t in array(&doc, "trust") {
        let (Some(party), Some(guarantor)) = (text_of(t, "party"), text_of(t, "guarantor")) else {
            continue;
        };
        let prefix = format!("trust.{party}.{guarantor}.");
        for f in fields::of(Table::Trust).filter(|f| f.kind.is_numeric()) {
            if let Some(mut c) = number(&prefix, f, lookup(t, f.key), f.default.number()) {
                c.meaning = format!(
                    "{} in {}: {}",
                    name(sc, party),
                    name(sc, guarantor),
                    c.meaning
                );
                trust.push(c);
            }
        }
    }
    if !trust.is_empty() {
        groups.push(Group {
            heading: "Trust in guarantors".into(),
            actor: None,
            controls: trust,
        });
    }
    let simulation = doc.get("simulation").and_then(Value::as_table);
    let sim: Vec<Control> = fields::of(Table::Simulation)
        .filter(|f| f.slider.is_some() && f.kind.is_numeric() && used(sc, f.key))
        .filter_map(|f| {
            let fallback = match f.key {
                "rounds" => Some(f64::from(sc.simulation.rounds)),
                _ => f.default.number(),
            };
            number(
                "simulation.",
                f,
                simulation.and_then(|t| lookup(t, f.key)),
                fallback,
            )
        })
        .collect();
    groups.push(Group {
        heading: "Simulation".into(),
        actor: None,
        controls: sim,
    });
    let events =
        sc.events
            .iter()
            .enumerate()
            .map(|(index, e)| {
                let (when, off) = match e.timing {
                    crate::scenario::Timing::Round(r) => (
                        format!("{} {r}", sc.simulation.round_label),
                        format!("events.{index}.round={NEVER}"),
                    ),
                    crate::scenario::Timing::Probability(p) => (
                        format!("chance {p} each {}", sc.simulation.round_label),
                        format!("events.{index}.probability=0"),
                    ),
                };
                let label = e.label.clone().unwrap_or_else(|| {
                    format!("{} of {}", e.kind.as_str(), sc.actors[e.target].name)
                });
                EventSwitch {
                    index,
                    label,
                    when,
                    off,
                }
            })
            .collect();
    Controls {
        title: sc.meta.title.clone(),
        lesson: sc.meta.lesson.clone(),
        round_label: sc.simulation.round_label.clone(),
        seed: sc.simulation.seed,
        groups,
        events,
        voters: sc
            .actors
            .iter()
            .filter(|a| a.is_voter())
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
    }
}

fn name<'a>(sc: &'a Scenario, id: &'a str) -> &'a str {
    sc.actors
        .iter()
        .find(|a| a.id == id)
        .map_or(id, |a| a.name.as_str())
}

fn array<'a>(doc: &'a TomlTable, key: &str) -> Vec<&'a TomlTable> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

fn text_of<'a>(t: &'a TomlTable, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Value::as_str)
}

/// The value at a dotted key (`concession.beta`).
fn lookup<'a>(t: &'a TomlTable, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut v = t.get(parts.next()?)?;
    for p in parts {
        v = v.as_table()?.get(p)?;
    }
    Some(v)
}

fn word(prefix: &str, f: Option<&'static Field>, value: &str, words: &[&'static str]) -> Control {
    let (key, meaning) = f.map_or(("", ""), |f| (f.key, f.meaning));
    Control {
        path: format!("{prefix}{key}"),
        key: key.into(),
        meaning: meaning.into(),
        kind: "word",
        value: value.into(),
        now: value.into(),
        lo: 0.0,
        hi: 0.0,
        step: 0.0,
        words: words.to_vec(),
        note: String::new(),
        unit: "",
    }
}

/// A numeric control; a distribution moves its centre (the mean of a normal or beta, the mode of a triangular) and
/// keeps its spread; a uniform one has no centre to move and gets no control.
fn number(
    prefix: &str,
    f: &'static Field,
    value: Option<&Value>,
    fallback: Option<f64>,
) -> Option<Control> {
    let slider = f.slider?;
    let as_number = |v: &Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    let (path, value, note) = match value {
        Some(Value::Table(t)) => {
            let dist = t.get("dist").and_then(Value::as_str).unwrap_or("");
            let (centre, spread) = match dist {
                "normal" => ("mean", "sd"),
                "beta" => ("mean", "concentration"),
                "triangular" => ("mode", "low–high"),
                _ => return None,
            };
            let spread_value = t.get(spread).and_then(as_number).map_or_else(
                || {
                    let lo = t.get("low").and_then(as_number).unwrap_or(0.0);
                    let hi = t.get("high").and_then(as_number).unwrap_or(0.0);
                    format!("{lo}–{hi}")
                },
                |v| v.to_string(),
            );
            (
                format!("{prefix}{}.{centre}", f.key),
                t.get(centre).and_then(as_number)?,
                format!(
                    "drawn anew for each seed ({dist}, {spread} {spread_value}): this control moves its {centre} and keeps its spread"
                ),
            )
        }
        Some(v) => (format!("{prefix}{}", f.key), as_number(v)?, String::new()),
        None => (format!("{prefix}{}", f.key), fallback?, String::new()),
    };
    let integer = matches!(f.kind, Kind::Integer);
    let mut c = Control {
        path,
        key: f.key.into(),
        // The registry's meanings are written for Markdown tables, where `|` is escaped.
        meaning: f.meaning.replace("\\|", "|"),
        kind: if integer { "integer" } else { "number" },
        value: if integer {
            serde_json::Value::from(value as i64)
        } else {
            serde_json::Value::from(value)
        },
        now: serde_json::Value::Null,
        lo: slider.lo.min(value),
        hi: slider.hi.max(value),
        step: slider.step,
        words: Vec::new(),
        note,
        unit: f.unit,
    };
    c.now = c.value.clone();
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_path_is_accepted_by_the_validator_at_its_value_and_its_ends() {
        let text = crate::scenario::bundled::text("astana-2017").unwrap();
        let sc = crate::scenario::load_source("astana-2017", text, &[]).unwrap();
        let c = controls(&sc, text);
        let all: Vec<&Control> = c.groups.iter().flat_map(|g| &g.controls).collect();
        assert!(all.iter().any(|c| c.path == "actors.GOV.commitment_risk"));
        assert!(all.iter().any(|c| c.path == "actors.IRN.role"));
        assert!(all.iter().any(|c| c.path.starts_with("patronage.RUS.GOV.")));
        assert!(all.iter().any(|c| c.path.starts_with("trust.OPP.TUR.")));
        for c in all {
            let value = match c.kind {
                "word" => format!("\"{}\"", c.value.as_str().unwrap()),
                _ => c.value.to_string(),
            };
            // The scenario's own value goes through the validator unchanged.
            let set = format!("{}={value}", c.path);
            if let Err(e) =
                crate::scenario::load_source("astana-2017", text, std::slice::from_ref(&set))
            {
                panic!("{set}: {e}");
            }
            // The slider's ends lie within the field's legal range (sums across fields are the validator's to
            // refuse, with its message beside the control).
            if c.kind != "word" {
                let table = fields::Table::ALL
                    .into_iter()
                    .find(|t| {
                        c.path
                            .starts_with(t.set_prefix().split('.').next().unwrap())
                            && !t.set_prefix().is_empty()
                    })
                    .unwrap();
                let f = fields::find(table, &c.key).unwrap();
                assert!(
                    f.range().contains(c.lo) && f.range().contains(c.hi),
                    "{}: {}..{}",
                    c.path,
                    c.lo,
                    c.hi
                );
            }
            assert!(!c.meaning.is_empty(), "{}", c.path);
        }
        assert_eq!(c.events.len(), sc.events.len());
        for e in &c.events {
            let off =
                crate::scenario::load_source("astana-2017", text, std::slice::from_ref(&e.off))
                    .unwrap();
            let run = crate::engine::run(&off, 1);
            assert!(
                run.events().iter().all(|r| *r.cause != *e.label),
                "{} still happens",
                e.label
            );
        }
    }
}
