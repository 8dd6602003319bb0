//! Experiments: a scenario, a number of seeds, the outputs to measure and the factors to vary, read from a TOML file
//! (`docs/experiments.md`), and the evaluation of design points, each an ensemble over the experiment's seeds.
//!
//! Every design point runs on the same seeds (common random numbers), so that two points differ only by their
//! factors' values: the seeds' luck is the same at every point and cancels out of every difference.

mod design;
mod load;

pub use design::{CHUNK_RUNS, PointStats, evaluate, point_scenario};
pub use load::{Resolver, Sources, load, load_recorded, load_source, load_source_with};

use crate::scenario::load::Source;

/// The most factors an experiment may vary (the dummy factor of a sensitivity analysis not counted).
pub const MAX_FACTORS: usize = 20;
/// The most levels (or sweep steps) one factor may have.
pub const MAX_LEVELS: usize = 1000;
/// The most seeds at each design point.
pub const MAX_SEEDS: u64 = 1_000_000;
/// The most design points one command may evaluate.
pub const MAX_POINTS: u64 = 1_000_000;
/// The most runs one command may simulate (design points × seeds): about half an hour on two cores.
pub const MAX_TOTAL_RUNS: u64 = 100_000_000;
/// The path of a factor whose levels are whole scenarios (bundled names or paths), so that "change one thing"
/// can be swept against the other factors: `path = "scenario"`, `levels = ["astana-2017", "no-iran-guarantor"]`.
pub const SCENARIO_FACTOR: &str = "scenario";
/// Sweep steps of a range factor that gives none.
pub const DEFAULT_STEPS: usize = 5;

/// What an experiment measures at each design point: one statistic of the ensemble over its seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// P(ceasefire reached within the rounds).
    PReached,
    /// P(ceasefire in force at the end).
    PInForce,
    /// Median round of the ceasefire among the runs that reached one (undefined when none did).
    MedianRound,
    /// Mean agreement share in the last round.
    MeanFinalAgreement,
    /// Mean number of collapses per run.
    MeanCollapses,
}

impl Output {
    pub const ALL: [Output; 5] = [
        Output::PReached,
        Output::PInForce,
        Output::MedianRound,
        Output::MeanFinalAgreement,
        Output::MeanCollapses,
    ];
    /// The outputs of an experiment that names none.
    pub const DEFAULT: [Output; 4] = [
        Output::PReached,
        Output::MedianRound,
        Output::PInForce,
        Output::MeanFinalAgreement,
    ];

    /// The name in experiment files and in the columns of every table.
    pub fn name(self) -> &'static str {
        match self {
            Output::PReached => "p_reached",
            Output::PInForce => "p_in_force",
            Output::MedianRound => "median_round",
            Output::MeanFinalAgreement => "mean_final_agreement",
            Output::MeanCollapses => "mean_collapses",
        }
    }

    /// What it is, in words, for charts and docs; `round` is the scenario's round label ("week").
    pub fn meaning(self, round: &str) -> String {
        match self {
            Output::PReached => "P(ceasefire reached)".into(),
            Output::PInForce => "P(ceasefire in force at the end)".into(),
            Output::MedianRound => {
                format!("median {round} of the ceasefire (runs that reached one)")
            }
            Output::MeanFinalAgreement => "mean final agreement".into(),
            Output::MeanCollapses => "mean collapses per run".into(),
        }
    }

    /// Whether the output is a probability (drawn on [0, 1]).
    pub fn is_probability(self) -> bool {
        matches!(self, Output::PReached | Output::PInForce)
    }

    pub fn from_name(name: &str) -> Option<Output> {
        Output::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// The values a factor takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// A range; `integer` when both ends were written as integers (the field then takes whole numbers, and
    /// values in between are rounded). `steps` is how many evenly spaced values a sweep takes, ends included.
    Range {
        low: f64,
        high: f64,
        steps: usize,
        integer: bool,
    },
    /// Listed values, in order: words, numbers or booleans, as the field takes them.
    Levels(Vec<toml::Value>),
}

/// One factor: a `--set` path and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// The `--set` path, e.g. `actors.GOV.commitment_risk` or `actors.GOV.capability.mean`.
    pub path: String,
    /// How charts name it (`label`, or the path).
    pub label: String,
    pub values: Values,
}

impl Factor {
    /// The sweep's values of this factor, in order.
    pub fn sweep_values(&self) -> Vec<toml::Value> {
        match &self.values {
            Values::Levels(levels) => levels.clone(),
            Values::Range {
                low,
                high,
                steps,
                integer: _,
            } => (0..*steps)
                .map(|i| {
                    let t = if *steps == 1 {
                        0.0
                    } else {
                        i as f64 / (*steps - 1) as f64
                    };
                    // Exact ends, evenly spaced values in between.
                    let v = if i + 1 == *steps {
                        *high
                    } else {
                        low + t * (high - low)
                    };
                    self.step_value(v)
                })
                .collect(),
        }
    }

    /// The value at `u` in [0, 1] of the factor's range (a sensitivity analysis's unit coordinate): `low + u (high −
    /// low)`, rounded for an integer field; for listed levels, level ⌊u k⌋ of k (the last for u = 1).
    pub fn at_unit(&self, u: f64) -> toml::Value {
        match &self.values {
            Values::Range { low, high, .. } => self.number(low + u * (high - low)),
            Values::Levels(levels) => {
                let k = levels.len();
                let i = ((u * k as f64).floor().max(0.0) as usize).min(k.saturating_sub(1));
                levels[i].clone()
            }
        }
    }

    /// The bounds SALib's `problem.json` gives this factor: the range, or [0, k] for k levels.
    pub fn bounds(&self) -> (f64, f64) {
        match &self.values {
            Values::Range { low, high, .. } => (*low, *high),
            Values::Levels(levels) => (0.0, levels.len() as f64),
        }
    }

    fn number(&self, v: f64) -> toml::Value {
        match self.values {
            Values::Range { integer: true, .. } => toml::Value::Integer(v.round() as i64),
            _ => toml::Value::Float(v),
        }
    }

    /// A sweep's value: rounded to 12 significant digits, so that 0.1 + 2 × 0.01 is written 0.12, not
    /// 0.12000000000000001.
    fn step_value(&self, v: f64) -> toml::Value {
        let rounded = format!("{v:.11e}").parse().unwrap_or(v);
        self.number(rounded)
    }
}

/// Settings of a Sobol analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolSettings {
    /// N, the base rows of Saltelli's design (a power of two): N × (D + 2) design points.
    pub samples: usize,
}

/// Settings of a Morris analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisSettings {
    /// r, the trajectories: r × (D + 1) design points.
    pub trajectories: usize,
    /// p, the levels of the grid.
    pub levels: usize,
}

/// A whole experiment, checked: its factors' paths and values are ones the scenario takes.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// The file it was read from, as given.
    pub file: String,
    /// The experiment file's text.
    pub text: String,
    pub title: Option<String>,
    /// The scenario's text (a bundled scenario or a file, resolved against the experiment's folder).
    pub scenario: Source,
    /// The scenario as written, checked.
    pub base: crate::Scenario,
    /// The scenario's text parsed, once for every design point.
    pub doc: toml::Table,
    /// The factor whose levels are scenarios ([`SCENARIO_FACTOR`]), if any, and those scenarios with their
    /// parsed text, in the order of its levels.
    pub scenario_factor: Option<usize>,
    pub scenarios: Vec<(Source, toml::Table)>,
    /// Seeds at every design point.
    pub seeds: u64,
    pub first_seed: u64,
    pub outputs: Vec<Output>,
    pub factors: Vec<Factor>,
    pub sobol: SobolSettings,
    pub morris: MorrisSettings,
    /// Bootstrap resamples for the indices' intervals.
    pub resamples: usize,
    /// The seed of the sampling design and of the bootstrap (not of the runs).
    pub design_seed: u64,
}

impl Experiment {
    /// The scenario a design point runs: a `scenario` factor's level, or the experiment's scenario.
    pub fn source_of(&self, values: &[toml::Value]) -> (&Source, &toml::Table) {
        self.scenario_factor
            .and_then(|k| {
                let Values::Levels(levels) = &self.factors[k].values else {
                    return None;
                };
                let i = levels.iter().position(|l| Some(l) == values.get(k))?;
                self.scenarios.get(i).map(|(s, d)| (s, d))
            })
            .unwrap_or((&self.scenario, &self.doc))
    }

    /// The overrides that put design point `values` (one per factor, in order) into the scenario.
    pub fn sets(&self, values: &[toml::Value]) -> Vec<crate::scenario::overrides::Set> {
        self.factors
            .iter()
            .zip(values)
            .filter(|(f, _)| f.path != SCENARIO_FACTOR)
            .map(|(f, v)| crate::scenario::overrides::Set {
                text: format!("{}={}", f.path, value_text(v)),
                shown: format!("factor `{}` = {}", f.path, value_text(v)),
            })
            .collect()
    }
}

/// A value as TOML writes it (strings quoted, floats in their shortest form that reads back the same).
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => format!("{f:?}"),
        other => other.to_string(),
    }
}

/// A value as a table cell: strings without quotes.
pub fn value_cell(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => value_text(other),
    }
}

/// A JSON Schema of experiment files (`ceasefire schema --experiment`), for editors with a TOML language server.
/// Values a factor's field takes are the scenario's to check, so `levels` and the ends of a range are left open here.
pub fn json_schema() -> serde_json::Value {
    let outputs: Vec<&str> = Output::ALL.iter().map(|o| o.name()).collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ceasefire experiment",
        "description": "An experiment of `ceasefire sweep` and `ceasefire sensitivity`: a scenario, seeds, outputs and factors (docs/experiments.md).",
        "type": "object",
        "additionalProperties": false,
        "required": ["scenario", "seeds", "factor"],
        "properties": {
            "title": { "type": "string", "description": "What the experiment asks; charts use it instead of the scenario's title." },
            "scenario": { "type": "string", "description": "A bundled scenario's name or a .toml path (relative to the experiment file's folder)." },
            "seeds": { "type": "integer", "minimum": 1, "maximum": MAX_SEEDS, "description": "Seeds at every design point: the same seeds at each (common random numbers)." },
            "first_seed": { "type": "integer", "minimum": 0, "description": "The first seed (default: the scenario's simulation.seed)." },
            "outputs": { "type": "array", "minItems": 1, "uniqueItems": true, "items": { "enum": outputs }, "description": "What each design point measures (default: p_reached, median_round, p_in_force, mean_final_agreement)." },
            "resamples": { "type": "integer", "minimum": 10, "maximum": 100000, "default": 1000, "description": "Bootstrap resamples for the indices' 95 % intervals." },
            "design_seed": { "type": "integer", "minimum": 0, "default": 1, "description": "Seed of the sampling design and of the bootstrap (not of the runs)." },
            "sobol": { "type": "object", "additionalProperties": false, "properties": {
                "samples": { "type": "integer", "minimum": 2, "maximum": 1048576, "default": 256, "description": "N, base rows of Saltelli's design (a power of two)." }
            }},
            "morris": { "type": "object", "additionalProperties": false, "properties": {
                "trajectories": { "type": "integer", "minimum": 2, "maximum": 100000, "default": 20, "description": "r, the trajectories." },
                "levels": { "type": "integer", "minimum": 2, "maximum": 100, "multipleOf": 2, "default": 4, "description": "p, the levels of Morris's grid (even)." }
            }},
            "factor": {
                "type": "array", "minItems": 1, "maxItems": MAX_FACTORS,
                "items": {
                    "type": "object", "additionalProperties": false, "required": ["path"],
                    "properties": {
                        "path": { "type": "string", "description": "The field to vary, as a --set path (e.g. actors.GOV.commitment_risk, actors.GOV.capability.mean)." },
                        "label": { "type": "string", "description": "How charts and tables name it (default: the path)." },
                        "low": { "type": "number", "description": "The low end of a range." },
                        "high": { "type": "number", "description": "The high end of a range (above low)." },
                        "steps": { "type": "integer", "minimum": 2, "maximum": MAX_LEVELS, "default": DEFAULT_STEPS, "description": "Evenly spaced values of a range in a sweep, ends included." },
                        "levels": { "type": "array", "minItems": 1, "maxItems": MAX_LEVELS, "description": "Listed values (words, numbers or booleans), instead of a range." }
                    },
                    "oneOf": [
                        { "required": ["low", "high"], "not": { "required": ["levels"] } },
                        { "required": ["levels"], "not": { "anyOf": [ { "required": ["steps"] }, { "required": ["low"] }, { "required": ["high"] } ] } }
                    ]
                }
            }
        }
    })
}
