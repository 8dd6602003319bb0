//! The headline results of one run: what `summary.json` holds and what `run` prints.

use serde::Serialize;

use crate::scenario::Scenario;
use crate::trace::{EventKindRecord, Status, Trace, Vote};

pub const DISCLAIMER: &str = "teaching defaults, not a forecast";

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModuleSummary {
    pub id: String,
    pub ceasefire: bool,
    /// First round in which the module was signed.
    pub first_signed: Option<u32>,
    pub status_at_end: String,
    /// Rounds in which it stood signed.
    pub rounds_signed: u32,
    pub collapses: u32,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub program: String,
    pub version: String,
    pub note: String,
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub rounds: u32,
    pub round_label: String,
    pub overrides: Vec<String>,
    /// The variant's label (`--label`); null for an unnamed one.
    pub label: Option<String>,
    /// First round in which the ceasefire module was signed; null when never.
    pub ceasefire_round: Option<u32>,
    pub ceasefire_in_force_at_end: bool,
    pub collapses: u32,
    pub final_agreement: f64,
    pub mean_agreement: f64,
    pub ripe_rounds: u32,
    pub violations: u32,
    pub attacks: u32,
    /// Voters who did not accept the ceasefire text in the last round.
    pub holdouts: Vec<String>,
    pub modules: Vec<ModuleSummary>,
    /// The final text, dimension id → value.
    pub final_text: serde_json::Map<String, serde_json::Value>,
    /// For scenarios with exactly two parties: the final text against the Pareto frontier, the Nash bargaining point
    /// and the compromise point of the ceasefire module.
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Outcome {
    pub module: String,
    pub parties: [String; 2],
    /// Reservations of the two parties in the last round (the disagreement point).
    pub reservations: [f64; 2],
    pub nash_point: Option<serde_json::Map<String, serde_json::Value>>,
    pub compromise_point: serde_json::Map<String, serde_json::Value>,
    /// Utility of each party at the Nash point, the compromise point and the final text.
    pub utility_at_nash: Option<[f64; 2]>,
    pub utility_at_compromise: [f64; 2],
    pub utility_at_final_text: [f64; 2],
    /// Euclidean distances in the module's dimensions.
    pub distance_to_nash: Option<f64>,
    pub distance_to_compromise: f64,
    /// Distance from the final text to the nearest sampled point of the Pareto frontier.
    pub distance_to_pareto_frontier: f64,
}

/// The outcome analysis of a two-party module (sampled: 1,001 points on one dimension, a grid or a Halton set beyond).
pub fn outcome(sc: &Scenario, trace: &Trace) -> Option<Outcome> {
    use crate::model::{textbook, utility};
    let parties: Vec<usize> = (0..sc.actors.len())
        .filter(|&i| sc.actors[i].role == crate::scenario::Role::Party)
        .collect();
    if parties.len() != 2 || trace.rounds() == 0 {
        return None;
    }
    let (p, q) = (parties[0], parties[1]);
    let m = sc.ceasefire_module;
    let dims = &sc.modules[m].dimensions;
    let last = trace.rounds() - 1;
    let world = &trace.world();
    let w = &world.actors;
    let final_text: Vec<f64> = (0..trace.dims()).map(|k| trace.text_at(last, k)).collect();
    let u = |i: usize, x: &[f64]| {
        utility::utility(world.ideal(i), world.salience(i), w[i].risk, x, dims)
    };
    let res = [
        trace.actor_at(last, p).reservation,
        trace.actor_at(last, q).reservation,
    ];
    let res = res.map(|r| if r.is_finite() { r } else { 0.0 });
    // Candidates: the module's dimensions sampled, every other dimension at the final text.
    let candidates: Vec<Vec<f64>> =
        textbook::sample_points(dims.len(), if dims.len() == 1 { 1000 } else { 4000 })
            .into_iter()
            .map(|pt| {
                let mut x = final_text.clone();
                for (j, &k) in dims.iter().enumerate() {
                    x[k] = pt[j];
                }
                x
            })
            .collect();
    let utils: Vec<(f64, f64)> = candidates.iter().map(|x| (u(p, x), u(q, x))).collect();
    let frontier = textbook::pareto_frontier(&utils);
    let nash = textbook::nash_point(&utils, res[0], res[1]);
    // Achen's compromise of ideals: voice × capability × salience weighted mean over voters.
    let mut compromise = final_text.clone();
    for &k in dims {
        let (mut num, mut den) = (0.0, 0.0);
        for (i, a) in sc.actors.iter().enumerate() {
            if a.is_voter() {
                let wt = w[i].voice * w[i].capability * world.salience(i)[k];
                num += wt * world.ideal(i)[k];
                den += wt;
            }
        }
        if den > 0.0 {
            compromise[k] = num / den;
        }
    }
    let dist = |a: &[f64], b: &[f64]| {
        dims.iter()
            .map(|&k| (a[k] - b[k]).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let point = |x: &[f64]| {
        let mut map = serde_json::Map::new();
        for &k in dims {
            map.insert(sc.dimensions[k].id.clone(), json_number(x[k]));
        }
        map
    };
    let to_frontier = frontier
        .iter()
        .map(|&i| dist(&final_text, &candidates[i]))
        .fold(f64::INFINITY, f64::min);
    Some(Outcome {
        module: sc.modules[m].id.clone(),
        parties: [sc.actors[p].id.clone(), sc.actors[q].id.clone()],
        reservations: res,
        nash_point: nash.map(|i| point(&candidates[i])),
        compromise_point: point(&compromise),
        utility_at_nash: nash.map(|i| [utils[i].0, utils[i].1]),
        utility_at_compromise: [u(p, &compromise), u(q, &compromise)],
        utility_at_final_text: [u(p, &final_text), u(q, &final_text)],
        distance_to_nash: nash.map(|i| dist(&final_text, &candidates[i])),
        distance_to_compromise: dist(&final_text, &compromise),
        distance_to_pareto_frontier: if to_frontier.is_finite() {
            to_frontier
        } else {
            0.0
        },
    })
}

impl Summary {
    pub fn new(sc: &Scenario, trace: &Trace) -> Summary {
        let last = trace.rounds().saturating_sub(1);
        let cf = sc.ceasefire_module;
        let modules: Vec<ModuleSummary> = sc
            .modules
            .iter()
            .enumerate()
            .map(|(m, module)| ModuleSummary {
                id: module.id.clone(),
                ceasefire: module.ceasefire,
                first_signed: trace.first_signed(m),
                status_at_end: if trace.rounds() == 0 {
                    Status::Closed.as_str().into()
                } else {
                    trace.status_at(last, m).as_str().into()
                },
                rounds_signed: (0..trace.rounds())
                    .filter(|&r| trace.status_at(r, m) == Status::Signed)
                    .count() as u32,
                collapses: trace
                    .events()
                    .iter()
                    .filter(|e| e.kind == EventKindRecord::Collapse && e.module == Some(m))
                    .count() as u32,
            })
            .collect();
        let holdouts = if trace.rounds() == 0 {
            Vec::new()
        } else {
            (0..trace.actors())
                .filter(|&i| matches!(trace.vote_at(last, i, cf), Vote::Reject | Vote::Absent))
                .map(|i| sc.actors[i].id.clone())
                .collect()
        };
        let mut final_text = serde_json::Map::new();
        for (k, d) in sc.dimensions.iter().enumerate() {
            // Null when not defined: no round was run, or the dimension's module never opened.
            let v = if trace.rounds() == 0 {
                f64::NAN
            } else {
                trace.text_at(last, k)
            };
            final_text.insert(d.id.clone(), json_number(v));
        }
        let n = trace.rounds().max(1) as f64;
        Summary {
            program: "ceasefire".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            note: DISCLAIMER.into(),
            scenario: sc.meta.id.clone(),
            title: sc.meta.title.clone(),
            seed: trace.world().seed,
            rounds: trace.rounds() as u32,
            round_label: sc.simulation.round_label.clone(),
            overrides: sc.overrides.clone(),
            label: sc.label.clone(),
            ceasefire_round: modules[cf].first_signed,
            ceasefire_in_force_at_end: trace.in_force().last().copied().unwrap_or(false),
            collapses: trace.collapses() as u32,
            final_agreement: trace.agreement().last().copied().unwrap_or(0.0),
            mean_agreement: trace.agreement().iter().sum::<f64>() / n,
            ripe_rounds: trace.ripe().iter().filter(|r| **r).count() as u32,
            violations: trace.violations().iter().sum(),
            attacks: trace.attacks().iter().sum(),
            holdouts,
            modules,
            final_text,
            outcome: outcome(sc, trace),
        }
    }

    /// A few lines for the terminal.
    pub fn human(&self, sc: &Scenario) -> String {
        let label = &self.round_label;
        let mut out = format!(
            "{} — seed {} ({} {label}s; {DISCLAIMER})\n",
            self.title, self.seed, self.rounds
        );
        match self.ceasefire_round {
            Some(r) => {
                out.push_str(&format!("Ceasefire reached in {label} {r}"));
                if self.ceasefire_in_force_at_end {
                    out.push_str(&format!(
                        ", in force at the end (collapses: {}).\n",
                        self.collapses
                    ));
                } else {
                    out.push_str(&format!(
                        ", but not in force at the end (collapses: {}).\n",
                        self.collapses
                    ));
                }
            }
            None => out.push_str("No ceasefire reached.\n"),
        }
        for m in &self.modules {
            let signed = match m.first_signed {
                Some(r) => format!("first signed in {label} {r}"),
                None => "never signed".into(),
            };
            out.push_str(&format!(
                "  module {:<14} {signed}; {} at the end\n",
                m.id, m.status_at_end
            ));
        }
        if self.holdouts.is_empty() {
            out.push_str("Every voter accepted the ceasefire text in the last round.\n");
        } else {
            out.push_str(&format!(
                "Held out in the last round: {}\n",
                self.holdouts.join(", ")
            ));
        }
        // Dimensions of modules that never opened have no text yet (0.5 is a placeholder): name the modules instead.
        let opened = |k: usize| {
            sc.modules.iter().zip(&self.modules).any(|(m, ms)| {
                m.dimensions.contains(&k)
                    && (ms.first_signed.is_some() || ms.status_at_end != "closed")
            })
        };
        let text: Vec<String> = sc
            .dimensions
            .iter()
            .enumerate()
            .filter(|(k, _)| opened(*k))
            .map(|(_, d)| {
                let v = self
                    .final_text
                    .get(&d.id)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN);
                format!("{} {v:.2}", d.id)
            })
            .collect();
        let closed: Vec<&str> = self
            .modules
            .iter()
            .filter(|m| m.first_signed.is_none() && m.status_at_end == "closed")
            .map(|m| m.id.as_str())
            .collect();
        out.push_str(&format!("Final text: {}", text.join(", ")));
        if !closed.is_empty() {
            out.push_str(&format!(" (never opened: {})", closed.join(", ")));
        }
        out.push('\n');
        out.push_str(&format!(
            "Final agreement {:.2}; ripe {label}s {}; violations {}; spoiler attacks {}.\n",
            self.final_agreement, self.ripe_rounds, self.violations, self.attacks
        ));
        out
    }
}

pub fn json_number(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}
