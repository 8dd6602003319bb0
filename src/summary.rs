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
}

impl Summary {
    pub fn new(sc: &Scenario, trace: &Trace) -> Summary {
        let last = trace.rounds.saturating_sub(1);
        let cf = sc.ceasefire_module;
        let modules: Vec<ModuleSummary> = sc
            .modules
            .iter()
            .enumerate()
            .map(|(m, module)| ModuleSummary {
                id: module.id.clone(),
                ceasefire: module.ceasefire,
                first_signed: trace.first_signed(m),
                status_at_end: if trace.rounds == 0 {
                    Status::Closed.as_str().into()
                } else {
                    trace.status_at(last, m).as_str().into()
                },
                rounds_signed: (0..trace.rounds)
                    .filter(|&r| trace.status_at(r, m) == Status::Signed)
                    .count() as u32,
                collapses: trace
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKindRecord::Collapse && e.module == Some(m))
                    .count() as u32,
            })
            .collect();
        let holdouts = if trace.rounds == 0 {
            Vec::new()
        } else {
            (0..trace.actors)
                .filter(|&i| matches!(trace.vote_at(last, i, cf), Vote::Reject | Vote::Absent))
                .map(|i| sc.actors[i].id.clone())
                .collect()
        };
        let mut final_text = serde_json::Map::new();
        for (k, d) in sc.dimensions.iter().enumerate() {
            let v = if trace.rounds == 0 {
                0.5
            } else {
                trace.text_at(last, k)
            };
            final_text.insert(d.id.clone(), json_number(v));
        }
        let n = trace.rounds.max(1) as f64;
        Summary {
            program: "ceasefire".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            note: DISCLAIMER.into(),
            scenario: sc.meta.id.clone(),
            title: sc.meta.title.clone(),
            seed: trace.world.seed,
            rounds: trace.rounds as u32,
            round_label: sc.simulation.round_label.clone(),
            overrides: sc.overrides.clone(),
            ceasefire_round: modules[cf].first_signed,
            ceasefire_in_force_at_end: trace.in_force.last().copied().unwrap_or(false),
            collapses: trace.collapses() as u32,
            final_agreement: trace.agreement.last().copied().unwrap_or(0.0),
            mean_agreement: trace.agreement.iter().sum::<f64>() / n,
            ripe_rounds: trace.ripe.iter().filter(|r| **r).count() as u32,
            violations: trace.violations.iter().sum(),
            attacks: trace.attacks.iter().sum(),
            holdouts,
            modules,
            final_text,
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
        let text: Vec<String> = sc
            .dimensions
            .iter()
            .map(|d| {
                let v = self
                    .final_text
                    .get(&d.id)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN);
                format!("{} {v:.2}", d.id)
            })
            .collect();
        out.push_str(&format!("Final text: {}\n", text.join(", ")));
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
