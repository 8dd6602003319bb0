//! Reading an experiment file: every problem at once, each with its place (file:line:column), as a scenario's are.
//!
//! A factor is checked by loading the scenario with the factor at each end of its range (or at each level): a path
//! the scenario does not have is reported at the factor's `path`, with the nearest valid one when there is one, and a
//! value the field does not take at that value.

use std::path::Path;

use toml::Value;

use super::{
    DEFAULT_STEPS, Experiment, Factor, MAX_FACTORS, MAX_LEVELS, MAX_SEEDS, MorrisSettings, Output,
    SCENARIO_FACTOR, SobolSettings, Values, value_text,
};
use crate::ensemble::MAX_BATCH_ROUNDS;
use crate::scenario::error::{Issue, IssueKind, ScenarioError, closest};
use crate::scenario::limits::MAX_FILE_BYTES;
use crate::scenario::load::{Source, looks_like_path, resolve};
use crate::scenario::overrides::Set;
use crate::scenario::spans::Spans;

const TOP_KEYS: [&str; 10] = [
    "title",
    "scenario",
    "seeds",
    "first_seed",
    "outputs",
    "factor",
    "sobol",
    "morris",
    "resamples",
    "design_seed",
];
const FACTOR_KEYS: [&str; 6] = ["path", "label", "low", "high", "steps", "levels"];

/// Read and check the experiment file at `path`. A relative scenario path in it is read from the file's folder.
pub fn load(path: &str) -> Result<Experiment, ScenarioError> {
    load_recorded(path).map(|(exp, _)| exp)
}

/// How an experiment finds a scenario it names: the argument as [`resolve`] takes it (a bundled name, or a path
/// already joined to the experiment file's folder), and the scenario's text.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Result<Source, ScenarioError>;

/// The scenarios an experiment read: each argument given to the [`Resolver`], once, in the order first asked, and
/// what it found. Served back by a resolver, they make the same experiment from its text alone (a merge of shards).
pub type Sources = Vec<(String, Source)>;

/// [`load`], and the scenarios the experiment read.
pub fn load_recorded(path: &str) -> Result<(Experiment, Sources), ScenarioError> {
    let text =
        crate::input::read_limited_text(Path::new(path), MAX_FILE_BYTES as u64).map_err(|e| {
            ScenarioError::ReadExperiment {
                name: path.to_string(),
                reason: match e {
                    crate::input::InputError::NotFound => {
                        "no such file (an experiment is a .toml file: see docs/experiments.md)"
                            .into()
                    }
                    other => other.to_string(),
                },
            }
        })?;
    let folder = Path::new(path).parent().unwrap_or(Path::new(""));
    let seen: std::cell::RefCell<Sources> = std::cell::RefCell::new(Vec::new());
    let recording = |arg: &str| -> Result<Source, ScenarioError> {
        if let Some((_, s)) = seen.borrow().iter().find(|(a, _)| a == arg) {
            return Ok(s.clone());
        }
        let s = resolve(arg)?;
        seen.borrow_mut().push((arg.to_string(), s.clone()));
        Ok(s)
    };
    let exp = load_source_with(path, &text, folder, &recording)?;
    Ok((exp, seen.into_inner()))
}

/// Check experiment text; `name` is how messages name it and `folder` where a relative scenario path is read from.
pub fn load_source(name: &str, text: &str, folder: &Path) -> Result<Experiment, ScenarioError> {
    load_source_with(name, text, folder, &resolve)
}

/// [`load_source`], finding scenarios with `resolver`.
pub fn load_source_with(
    name: &str,
    text: &str,
    folder: &Path,
    resolver: Resolver<'_>,
) -> Result<Experiment, ScenarioError> {
    let invalid = |issues: Vec<Issue>| ScenarioError::Experiment {
        file: name.to_string(),
        source_text: text.to_string(),
        issues,
    };
    let doc: toml::Table = match toml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            return Err(invalid(vec![Issue {
                span: e.span(),
                ..Issue::new("", format!("TOML syntax error: {}", e.message().trim()))
            }]));
        }
    };
    let mut cx = Checker {
        spans: Spans::index(text),
        issues: Vec::new(),
        resolver,
    };
    if doc.contains_key("actors") || doc.contains_key("schema_version") {
        cx.push(
            "",
            "this is a scenario file, not an experiment: an experiment names a scenario (`scenario = \"astana-2017\"` or a path), `seeds` and [[factor]] tables (see docs/experiments.md)",
        );
        return Err(invalid(cx.issues));
    }
    let exp = cx.experiment(name, &doc, folder)?;
    if cx.issues.is_empty()
        && let Some(mut exp) = exp
    {
        exp.text = text.to_string();
        return Ok(exp);
    }
    let mut issues = cx.issues;
    issues.sort_by_key(|i| i.span.as_ref().map_or(0, |s| s.start + 1));
    Err(invalid(issues))
}

struct Checker<'a> {
    spans: Spans,
    issues: Vec<Issue>,
    resolver: Resolver<'a>,
}

impl Checker<'_> {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.issues.push(Issue {
            span: self.spans.value(path),
            ..Issue::new(path, IssueKind::Rule(message.into()))
        });
    }

    fn unknown_keys(&mut self, table: &toml::Table, prefix: &str, known: &[&str]) {
        for key in table.keys() {
            if !known.contains(&key.as_str()) {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                self.issues.push(Issue {
                    span: self.spans.key(&path),
                    ..Issue::new(
                        path.clone(),
                        IssueKind::UnknownKey {
                            key: key.clone(),
                            suggestion: closest(key, known.iter().copied()).map(str::to_string),
                            expected: format!(
                                "expected one of {}",
                                known
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        },
                    )
                });
            }
        }
    }

    /// A whole number in `lo..=hi` at `path`, or `default` when absent.
    fn int(
        &mut self,
        table: &toml::Table,
        path: &str,
        key: &str,
        lo: u64,
        hi: u64,
        default: Option<u64>,
    ) -> Option<u64> {
        match table.get(key) {
            None => {
                if default.is_none() {
                    self.push(
                        path,
                        format!("`{key}` is missing: give a whole number in {lo}..={hi}"),
                    );
                }
                default
            }
            Some(Value::Integer(i)) if *i >= 0 && (lo..=hi).contains(&(*i as u64)) => {
                Some(*i as u64)
            }
            Some(v) => {
                self.push(
                    path,
                    format!(
                        "expected a whole number in {lo}..={hi}, found {}",
                        value_text(v)
                    ),
                );
                None
            }
        }
    }

    fn experiment(
        &mut self,
        name: &str,
        doc: &toml::Table,
        folder: &Path,
    ) -> Result<Option<Experiment>, ScenarioError> {
        self.unknown_keys(doc, "", &TOP_KEYS);
        let title = match doc.get("title") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.push(
                    "title",
                    format!("expected text in quotes, found {}", value_text(v)),
                );
                None
            }
        };
        let source = self.scenario(doc, folder);
        let base = match &source {
            Some(s) => Some(crate::scenario::load_source(&s.name, &s.text, &[])?),
            None => None,
        };
        if let Some(b) = &base
            && b.simulation.rounds > MAX_BATCH_ROUNDS
        {
            self.push(
                "scenario",
                format!(
                    "the scenario has {} rounds; experiments, like batches, are limited to {MAX_BATCH_ROUNDS}",
                    b.simulation.rounds
                ),
            );
        }
        let seeds = self.int(doc, "seeds", "seeds", 1, MAX_SEEDS, None);
        let first_seed = match doc.get("first_seed") {
            None => base.as_ref().map(|b| b.simulation.seed),
            Some(Value::Integer(i)) if *i >= 0 => Some(*i as u64),
            Some(v) => {
                self.push(
                    "first_seed",
                    format!("expected a whole number ≥ 0, found {}", value_text(v)),
                );
                None
            }
        };
        let outputs = self.outputs(doc);
        let (sobol, morris) = self.settings(doc);
        let resamples = self.int(doc, "resamples", "resamples", 10, 100_000, Some(1000));
        let design_seed = self.int(
            doc,
            "design_seed",
            "design_seed",
            0,
            i64::MAX as u64,
            Some(1),
        );
        let factors = match (&base, &source) {
            (Some(_), Some(source)) => self.factors(doc, source, folder),
            _ => None,
        };
        let (Some(source), Some(base), Some(seeds), Some(first_seed), Some(outputs)) =
            (source, base, seeds, first_seed, outputs)
        else {
            return Ok(None);
        };
        let (
            Some((factors, levels)),
            Some(sobol),
            Some(morris),
            Some(resamples),
            Some(design_seed),
        ) = (factors, sobol, morris, resamples, design_seed)
        else {
            return Ok(None);
        };
        let scenario_factor = factors.iter().position(|f| f.path == SCENARIO_FACTOR);
        let scenarios = levels
            .into_iter()
            .map(|s| {
                let doc = toml::from_str(&s.text).unwrap_or_default();
                (s, doc)
            })
            .collect();
        Ok(Some(Experiment {
            file: name.to_string(),
            text: String::new(),
            title,
            doc: toml::from_str(&source.text).unwrap_or_default(),
            scenario_factor,
            scenarios,
            scenario: source,
            base,
            seeds,
            first_seed,
            outputs,
            factors,
            sobol,
            morris,
            resamples: resamples as usize,
            design_seed,
        }))
    }

    fn scenario(&mut self, doc: &toml::Table, folder: &Path) -> Option<Source> {
        let given = match doc.get("scenario") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => {
                self.push(
                    "scenario",
                    format!(
                        "expected a bundled scenario's name or a .toml path in quotes, found {}",
                        value_text(v)
                    ),
                );
                return None;
            }
            None => {
                self.push(
                    "scenario",
                    "`scenario` is missing: give a bundled scenario's name (e.g. \"astana-2017\") or a .toml path",
                );
                return None;
            }
        };
        self.read_scenario("scenario", &given, folder)
    }

    /// Find the scenario `given` at `at`: a bundled name, or a path read from the experiment file's folder.
    fn read_scenario(&mut self, at: &str, given: &str, folder: &Path) -> Option<Source> {
        let relative = looks_like_path(given) && Path::new(given).is_relative();
        let resolved = if relative {
            folder.join(given).to_string_lossy().into_owned()
        } else {
            given.to_string()
        };
        match (self.resolver)(&resolved) {
            Ok(s) => Some(s),
            Err(ScenarioError::Read { reason, .. }) => {
                let place = if relative && resolved != given {
                    format!(" (read as `{resolved}`, beside the experiment file)")
                } else {
                    String::new()
                };
                self.push(at, format!("cannot read `{given}`{place}: {reason}"));
                None
            }
            Err(e) => {
                self.push(at, e.to_string());
                None
            }
        }
    }

    fn outputs(&mut self, doc: &toml::Table) -> Option<Vec<Output>> {
        let Some(value) = doc.get("outputs") else {
            return Some(Output::DEFAULT.to_vec());
        };
        let names: Vec<&str> = Output::ALL.iter().map(|o| o.name()).collect();
        let Value::Array(items) = value else {
            self.push(
                "outputs",
                format!(
                    "expected a list of output names, e.g. [\"p_reached\"], from: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.push(
                "outputs",
                format!(
                    "the list is empty; name at least one of: {}",
                    names.join(", ")
                ),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = format!("outputs[{i}]");
            match item.as_str().map(|s| (s, Output::from_name(s))) {
                Some((_, Some(o))) if out.contains(&o) => {
                    self.push(&path, format!("`{}` is listed twice", o.name()));
                    ok = false;
                }
                Some((_, Some(o))) => out.push(o),
                Some((word, None)) => {
                    // The tables say "median week"; the output is named by the model's word, the round.
                    let hint = closest(word, names.iter().copied())
                        .or_else(|| {
                            (word.contains("week") || word.contains("median"))
                                .then_some("median_round")
                        })
                        .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
                    self.push(
                        &path,
                        format!(
                            "unknown output `{word}`{hint}; expected one of: {}",
                            names.join(", ")
                        ),
                    );
                    ok = false;
                }
                None => {
                    self.push(
                        &path,
                        format!(
                            "expected an output name in quotes, found {}",
                            value_text(item)
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn settings(&mut self, doc: &toml::Table) -> (Option<SobolSettings>, Option<MorrisSettings>) {
        let empty = toml::Table::new();
        let table = |cx: &mut Checker, key: &str| -> Option<toml::Table> {
            match doc.get(key) {
                None => Some(empty.clone()),
                Some(Value::Table(t)) => Some(t.clone()),
                Some(v) => {
                    cx.push(
                        key,
                        format!("expected a table [{key}], found {}", value_text(v)),
                    );
                    None
                }
            }
        };
        let sobol = table(self, "sobol").and_then(|t| {
            self.unknown_keys(&t, "sobol", &["samples"]);
            let n = self.int(&t, "sobol.samples", "samples", 2, 1 << 20, Some(256))?;
            if !n.is_power_of_two() {
                let below = 1u64 << (63 - n.leading_zeros());
                self.push(
                    "sobol.samples",
                    format!(
                        "{n} is not a power of two, which the Sobol sequence needs to stay balanced; try {below} or {}",
                        below * 2
                    ),
                );
                return None;
            }
            Some(SobolSettings { samples: n as usize })
        });
        let morris = table(self, "morris").and_then(|t| {
            self.unknown_keys(&t, "morris", &["trajectories", "levels"]);
            let r = self.int(&t, "morris.trajectories", "trajectories", 2, 100_000, Some(20));
            let p = self.int(&t, "morris.levels", "levels", 2, 100, Some(4));
            if let Some(p) = p
                && p % 2 == 1
            {
                self.push(
                    "morris.levels",
                    format!("Morris's grid needs an even number of levels (so that every step is ±Δ with Δ = p / (2 (p − 1))); found {p}; try {}", p + 1),
                );
                return None;
            }
            Some(MorrisSettings {
                trajectories: r? as usize,
                levels: p? as usize,
            })
        });
        (sobol, morris)
    }

    /// The factors, and the scenarios of a `scenario` factor's levels (none without one).
    fn factors(
        &mut self,
        doc: &toml::Table,
        source: &Source,
        folder: &Path,
    ) -> Option<(Vec<Factor>, Vec<Source>)> {
        let items = match doc.get("factor") {
            None => {
                self.push(
                    "factor",
                    "no factor: add at least one [[factor]] with a `path` and `low`/`high` or `levels`",
                );
                return None;
            }
            Some(Value::Array(items)) => items.clone(),
            Some(v) => {
                self.push(
                    "factor",
                    format!("expected [[factor]] tables, found {}", value_text(v)),
                );
                return None;
            }
        };
        if items.len() > MAX_FACTORS {
            self.push(
                "factor",
                format!(
                    "{} factors; an experiment may vary at most {MAX_FACTORS}",
                    items.len()
                ),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        // A `scenario` factor first: every other factor must fit each of its scenarios.
        let is_scenario = |item: &Value| {
            item.get("path").and_then(Value::as_str).map(str::trim) == Some(SCENARIO_FACTOR)
        };
        let mut levels: Vec<Source> = Vec::new();
        let mut sources = vec![source.clone()];
        let first = items.iter().position(is_scenario);
        let mut scenario = None;
        if let Some(i) = first {
            match self.scenario_factor(&items[i], &format!("factor[{i}]"), folder) {
                Some((f, found)) => {
                    sources.extend(found.iter().cloned());
                    levels = found;
                    scenario = Some(f);
                }
                None => ok = false,
            }
        }
        for (i, item) in items.iter().enumerate() {
            let at = format!("factor[{i}]");
            let Value::Table(t) = item else {
                self.push(
                    &at,
                    "expected a table with `path` and `low`/`high` or `levels`",
                );
                ok = false;
                continue;
            };
            let factor = if Some(i) == first {
                match scenario.take() {
                    Some(f) => Some(f),
                    None => continue,
                }
            } else if is_scenario(item) {
                self.push(&format!("{at}.path"), "`scenario` is already a factor");
                ok = false;
                continue;
            } else {
                self.factor(t, &at, &sources)
            };
            match factor {
                Some(f) if out.iter().any(|o: &Factor| o.path == f.path) => {
                    self.push(
                        &format!("{at}.path"),
                        format!("`{}` is already a factor", f.path),
                    );
                    ok = false;
                }
                Some(f) => out.push(f),
                None => ok = false,
            }
        }
        ok.then_some((out, levels))
    }

    /// A factor whose levels are whole scenarios (`path = "scenario"`): bundled names or paths, each read and
    /// checked.
    fn scenario_factor(
        &mut self,
        item: &Value,
        at: &str,
        folder: &Path,
    ) -> Option<(Factor, Vec<Source>)> {
        let Value::Table(t) = item else { return None };
        self.unknown_keys(t, at, &["path", "label", "levels"]);
        let label = t
            .get("label")
            .and_then(Value::as_str)
            .map_or_else(|| SCENARIO_FACTOR.to_string(), |s| s.trim().to_string());
        let Some(Value::Array(levels)) = t.get("levels") else {
            self.push(
                at,
                "a `scenario` factor lists whole scenarios: levels = [\"astana-2017\", \"no-iran-guarantor\"]",
            );
            return None;
        };
        let mut sources = Vec::new();
        for (j, v) in levels.iter().enumerate() {
            let lat = format!("{at}.levels[{j}]");
            let Some(name) = v.as_str() else {
                self.push(
                    &lat,
                    format!(
                        "expected a bundled scenario's name or a .toml path in quotes, found {}",
                        value_text(v)
                    ),
                );
                return None;
            };
            if levels[..j].contains(v) {
                self.push(&lat, format!("`{name}` is listed twice"));
                return None;
            }
            let source = self.read_scenario(&lat, name, folder)?;
            match crate::scenario::load_source(&source.name, &source.text, &[]) {
                Ok(sc) if sc.simulation.rounds > MAX_BATCH_ROUNDS => {
                    self.push(
                        &lat,
                        format!(
                            "`{name}` has {} rounds; experiments are limited to {MAX_BATCH_ROUNDS}",
                            sc.simulation.rounds
                        ),
                    );
                    return None;
                }
                Ok(_) => sources.push(source),
                Err(e) => {
                    self.push(&lat, format!("`{name}` is not a valid scenario: {e}"));
                    return None;
                }
            }
        }
        if sources.is_empty() {
            self.push(
                &format!("{at}.levels"),
                "the list is empty; give at least one scenario",
            );
            return None;
        }
        let factor = Factor {
            path: SCENARIO_FACTOR.to_string(),
            label,
            values: Values::Levels(levels.clone()),
        };
        Some((factor, sources))
    }

    /// A factor of one field, checked against every scenario it may run in (the experiment's, and those of a
    /// `scenario` factor).
    fn factor(&mut self, t: &toml::Table, at: &str, sources: &[Source]) -> Option<Factor> {
        self.unknown_keys(t, at, &FACTOR_KEYS);
        let path_at = format!("{at}.path");
        let path = match t.get("path") {
            Some(Value::String(p)) if !p.trim().is_empty() => p.trim().to_string(),
            Some(v) => {
                self.push(&path_at, format!("expected a --set path in quotes (e.g. \"actors.GOV.commitment_risk\"), found {}", value_text(v)));
                return None;
            }
            None => {
                self.push(at, "`path` is missing: the field to vary, as a --set path (e.g. \"actors.GOV.commitment_risk\")");
                return None;
            }
        };
        let label = match t.get("label") {
            None => path.clone(),
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(v) => {
                self.push(
                    &format!("{at}.label"),
                    format!("expected a name in quotes, found {}", value_text(v)),
                );
                return None;
            }
        };
        let values = self.values(t, at)?;
        // Probe the field with the ends of the range, or with every level.
        let probes: Vec<(String, Value)> = match &values {
            Values::Range {
                low, high, integer, ..
            } => {
                let num = |v: f64| {
                    if *integer {
                        Value::Integer(v as i64)
                    } else {
                        Value::Float(v)
                    }
                };
                vec![
                    (format!("{at}.low"), num(*low)),
                    (format!("{at}.high"), num(*high)),
                ]
            }
            Values::Levels(levels) => levels
                .iter()
                .enumerate()
                .map(|(j, v)| (format!("{at}.levels[{j}]"), v.clone()))
                .collect(),
        };
        let mut failed: Vec<String> = Vec::new();
        for ((value_at, v), source) in probes
            .iter()
            .flat_map(|p| sources.iter().map(move |s| (p, s)))
        {
            let set = Set {
                text: format!("{path}={}", value_text(v)),
                shown: format!("{path} = {}", value_text(v)),
            };
            if failed.contains(value_at) {
                continue;
            }
            if let Err(e) = crate::scenario::load_source_given(&source.name, &source.text, &[set]) {
                failed.push(value_at.clone());
                let (is_path, message) = describe(&e);
                let message = if std::ptr::eq(source, &sources[0]) {
                    message
                } else {
                    format!("in scenario `{}`: {message}", source.name)
                };
                if is_path {
                    self.push(
                        &path_at,
                        format!("`{path}` is not a field the scenario can set: {message}"),
                    );
                    return None;
                }
                // Every value the field does not take is reported, each at its place.
                self.push(
                    value_at,
                    format!("`{path}` cannot be {}: {message}", value_text(v)),
                );
            }
        }
        failed.is_empty().then_some(Factor {
            path,
            label,
            values,
        })
    }

    fn values(&mut self, t: &toml::Table, at: &str) -> Option<Values> {
        let has_range = t.contains_key("low") || t.contains_key("high");
        match (t.get("levels"), has_range) {
            (Some(_), true) => {
                self.push(at, "give either `levels` or `low` and `high`, not both");
                None
            }
            (Some(Value::Array(levels)), false) => {
                let lat = format!("{at}.levels");
                if levels.is_empty() {
                    self.push(&lat, "the list is empty; give at least two values");
                    return None;
                }
                if levels.len() > MAX_LEVELS {
                    self.push(
                        &lat,
                        format!(
                            "{} levels; a factor may have at most {MAX_LEVELS}",
                            levels.len()
                        ),
                    );
                    return None;
                }
                for (j, v) in levels.iter().enumerate() {
                    if levels[..j].contains(v) {
                        self.push(
                            &format!("{lat}[{j}]"),
                            format!("{} is listed twice", value_text(v)),
                        );
                        return None;
                    }
                    if matches!(v, Value::Array(_) | Value::Table(_) | Value::Datetime(_))
                        && !is_distribution(v)
                    {
                        self.push(
                            &format!("{lat}[{j}]"),
                            format!(
                                "expected a number, a word in quotes or a boolean, found {}",
                                value_text(v)
                            ),
                        );
                        return None;
                    }
                }
                if t.contains_key("steps") {
                    self.push(
                        &format!("{at}.steps"),
                        "`steps` is for a range (`low`, `high`); listed levels are the steps",
                    );
                    return None;
                }
                Some(Values::Levels(levels.clone()))
            }
            (Some(v), false) => {
                self.push(
                    &format!("{at}.levels"),
                    format!(
                        "expected a list of values, e.g. [\"guarantor\", \"observer\"], found {}",
                        value_text(v)
                    ),
                );
                None
            }
            (None, false) => {
                self.push(
                    at,
                    "give the factor's values: `low` and `high` (a range) or `levels` (a list)",
                );
                None
            }
            (None, true) => {
                let num = |cx: &mut Checker, key: &str| -> Option<(f64, bool)> {
                    let p = format!("{at}.{key}");
                    match t.get(key) {
                        Some(Value::Integer(i)) => Some((*i as f64, true)),
                        Some(Value::Float(f)) if f.is_finite() => Some((*f, false)),
                        Some(v) => {
                            cx.push(&p, format!("expected a number, found {}", value_text(v)));
                            None
                        }
                        None => {
                            cx.push(
                                at,
                                format!("`{key}` is missing: a range needs both `low` and `high`"),
                            );
                            None
                        }
                    }
                };
                let low = num(self, "low");
                let high = num(self, "high");
                let (Some((low, li)), Some((high, hi))) = (low, high) else {
                    return None;
                };
                if low >= high {
                    self.push(
                        &format!("{at}.high"),
                        format!("`high` ({high}) must be above `low` ({low})"),
                    );
                    return None;
                }
                let steps = self.int(
                    t,
                    &format!("{at}.steps"),
                    "steps",
                    2,
                    MAX_LEVELS as u64,
                    Some(DEFAULT_STEPS as u64),
                )?;
                Some(Values::Range {
                    low,
                    high,
                    steps: steps as usize,
                    integer: li && hi,
                })
            }
        }
    }
}

fn is_distribution(v: &Value) -> bool {
    v.as_table().is_some_and(|t| t.contains_key("dist"))
}

/// Whether a scenario error is about the path (a table, id or key that does not exist) rather than the value, and
/// its message.
fn describe(e: &ScenarioError) -> (bool, String) {
    match e {
        ScenarioError::Override { message, .. } => (true, message.clone()),
        ScenarioError::Invalid { issues, .. } => {
            let is_path = issues
                .iter()
                .any(|i| matches!(i.kind, IssueKind::UnknownKey { .. }));
            let message = issues
                .iter()
                .map(|i| format!("{}: {}", i.path, i.kind))
                .collect::<Vec<_>>()
                .join("; ");
            (is_path, message)
        }
        other => (false, other.to_string()),
    }
}
