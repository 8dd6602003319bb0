//! `ceasefire sensitivity EXPERIMENT --method sobol|morris`: global sensitivity analysis of an experiment's factors,
//! each design point an ensemble on the same seeds, into `OUT/<scenario id>/<method>-<N>--<experiment>/`:
//! `problem.json`, `samples.csv`, `outputs.csv` (which SALib reads as they are), `indices.csv`, `summary.json`, a copy
//! of the experiment, and charts (a tornado of total-order indices, or Morris's μ*–σ plot, per output).
//!
//! A dummy factor, which no field of the scenario takes, is added as the last factor. With the same seeds at every
//! point its indices are exactly zero: the seeds' luck does not reach the indices, and what the intervals show is
//! the sampling error of the design alone.

use std::path::PathBuf;

use serde_json::json;

use super::sweep::{
    cell, check_cost, columns, csv_file, experiment_folder, experiment_json, json_bytes,
};
use crate::error::{Result, UsageError};
use crate::experiment::{Experiment, Output, PointStats, evaluate};
use crate::export::{OutFile, Staging};
use crate::gsa;
use crate::summary::DISCLAIMER;

/// The name of the factor the model never reads.
pub const DUMMY: &str = "dummy";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Sobol,
    Morris,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol => "sobol",
            Method::Morris => "morris",
        }
    }
}

#[derive(Clone, Debug)]
pub struct SensitivityOptions {
    pub experiment: String,
    pub method: Method,
    /// Sobol's N or Morris's r; `None`: the experiment's.
    pub samples: Option<usize>,
    /// 0 = every core.
    pub threads: usize,
    /// `--shard K/N`: evaluate only shard K's design points and write its partial folder (see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
    pub output: super::Output,
}

#[derive(Clone, Debug)]
pub struct SensitivityReport {
    pub folder: PathBuf,
    pub text: String,
}

/// One row of `indices.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRow {
    pub output: Output,
    /// The factor's path, or [`DUMMY`].
    pub factor: String,
    /// `S1`, `ST` (Sobol) or `mu`, `mu_star`, `sigma` (Morris).
    pub index: &'static str,
    pub estimate: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The design in the unit cube, one row per point (the dummy last), in SALib's order.
pub fn unit_design(exp: &Experiment, method: Method, samples: usize) -> Result<Vec<Vec<f64>>> {
    let d = exp.factors.len() + 1;
    let design = match method {
        Method::Sobol => gsa::saltelli_sample(samples, d, exp.design_seed),
        Method::Morris => gsa::morris_sample(samples, d, exp.morris.levels, exp.design_seed),
    };
    design.map_err(|e| UsageError::Sensitivity(e.to_string()).into())
}

/// The design's points in the factors' own values, one per row of `unit` (the dummy, which no field takes, left
/// out).
pub fn design_points(exp: &Experiment, unit: &[Vec<f64>]) -> Vec<Vec<toml::Value>> {
    unit.iter()
        .map(|u| {
            exp.factors
                .iter()
                .zip(u)
                .map(|(f, u)| f.at_unit(*u))
                .collect()
        })
        .collect()
}

/// The factors' names in SALib's problem and in `indices.csv`: their paths, then [`DUMMY`].
fn factor_names(exp: &Experiment) -> Vec<String> {
    exp.factors
        .iter()
        .map(|f| f.path.clone())
        .chain([DUMMY.to_string()])
        .collect()
}

/// How many design points `samples` gives with `d` factors (the dummy counted).
fn points_of(method: Method, samples: usize, d: usize) -> u64 {
    match method {
        Method::Sobol => (samples as u64).saturating_mul(d as u64 + 2),
        Method::Morris => (samples as u64).saturating_mul(d as u64 + 1),
    }
}

/// The outputs that get no indices, each with why (undefined at some design point, or constant over the design).
pub type Undefined = Vec<(Output, String)>;

/// The indices of every output (none for the [`Undefined`] ones).
pub fn indices(
    exp: &Experiment,
    method: Method,
    unit: &[Vec<f64>],
    stats: &[PointStats],
) -> Result<(Vec<IndexRow>, Undefined)> {
    let d = exp.factors.len() + 1;
    let names = factor_names(exp);
    let mut rows = Vec::new();
    let mut undefined = Vec::new();
    for &o in &exp.outputs {
        let y: Vec<f64> = stats.iter().map(|s| s.value(o)).collect();
        let missing = y.iter().filter(|v| !v.is_finite()).count();
        if missing > 0 {
            undefined.push((
                o,
                format!(
                    "undefined at {missing} of {} design points (no run reached a ceasefire there)",
                    y.len()
                ),
            ));
            continue;
        }
        if y.iter().all(|v| *v == y[0]) {
            undefined.push((
                o,
                format!("the same ({}) at every design point", cell(y[0])),
            ));
            continue;
        }
        let bad = |e: gsa::GsaError| crate::Error::from(UsageError::Sensitivity(e.to_string()));
        match method {
            Method::Sobol => {
                let ix = gsa::sobol_indices(&y, d, exp.resamples, exp.design_seed).map_err(bad)?;
                for (name, i) in names.iter().zip(&ix) {
                    rows.push(row(o, name, "S1", i.s1, i.s1_lo, i.s1_hi));
                    rows.push(row(o, name, "ST", i.st, i.st_lo, i.st_hi));
                }
            }
            Method::Morris => {
                let ix = gsa::morris_indices(
                    unit,
                    &y,
                    d,
                    exp.morris.levels,
                    exp.resamples,
                    exp.design_seed,
                )
                .map_err(bad)?;
                for (name, i) in names.iter().zip(&ix) {
                    rows.push(row(o, name, "mu", i.mu, f64::NAN, f64::NAN));
                    rows.push(row(
                        o,
                        name,
                        "mu_star",
                        i.mu_star,
                        i.mu_star_lo,
                        i.mu_star_hi,
                    ));
                    rows.push(row(o, name, "sigma", i.sigma, f64::NAN, f64::NAN));
                }
            }
        }
    }
    Ok((rows, undefined))
}

fn row(
    output: Output,
    factor: &str,
    index: &'static str,
    estimate: f64,
    lo: f64,
    hi: f64,
) -> IndexRow {
    IndexRow {
        output,
        factor: factor.to_string(),
        index,
        estimate,
        lo,
        hi,
    }
}

/// The factors' values of each design point as SALib scales its samples: `low + u (high − low)` (an integer field
/// then takes that value rounded), or `u k` for k levels (level ⌊u k⌋); the dummy on [0, 1].
fn scaled(exp: &Experiment, unit: &[Vec<f64>]) -> Vec<Vec<f64>> {
    unit.iter()
        .map(|u| {
            exp.factors
                .iter()
                .zip(u)
                .map(|(f, u)| {
                    let (lo, hi) = f.bounds();
                    lo + u * (hi - lo)
                })
                .chain(u.last().copied())
                .collect()
        })
        .collect()
}

/// Sobol's N or Morris's r (`samples`, or the experiment's), checked, and the design in the unit cube, once its size
/// is checked against the limits (before it is built).
pub(crate) fn checked_design(
    exp: &Experiment,
    method: Method,
    samples: Option<usize>,
) -> Result<(usize, Vec<Vec<f64>>)> {
    let up = |n: usize| n.max(2).checked_next_power_of_two().unwrap_or(1 << 62);
    let samples = match (method, samples) {
        (Method::Sobol, Some(n)) if n < 2 || !n.is_power_of_two() => {
            return Err(UsageError::Sensitivity(format!(
                "--samples {n}: Sobol's N must be a power of two of at least 2 (the Sobol sequence stays balanced only then); try {} or {}",
                up(n) / 2,
                up(n)
            ))
            .into());
        }
        (Method::Morris, Some(r)) if r < 2 => {
            return Err(UsageError::Sensitivity(format!(
                "--samples {r}: Morris needs at least 2 trajectories for a spread (σ)"
            ))
            .into());
        }
        (_, Some(n)) => n,
        (Method::Sobol, None) => exp.sobol.samples,
        (Method::Morris, None) => exp.morris.trajectories,
    };
    let d = exp.factors.len() + 1;
    let count = points_of(method, samples, d);
    check_cost(
        &format!("the {} design with {samples} samples", method.name()),
        count,
        exp.seeds,
    )?;
    let unit = unit_design(exp, method, samples)?;
    Ok((samples, unit))
}

/// `ceasefire sensitivity`.
pub fn sensitivity(
    opts: &SensitivityOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SensitivityReport> {
    let (exp, sources) = crate::experiment::load_recorded(&opts.experiment)?;
    let (samples, unit) = checked_design(&exp, opts.method, opts.samples)?;
    let points = design_points(&exp, &unit);
    let folder = experiment_folder(
        &opts.output.out,
        &exp,
        &format!("{}-{samples}", opts.method.name()),
    );
    if let Some(shard) = opts.shard {
        let design = super::merge::experiment::Design {
            exp: &exp,
            sources: &sources,
            method: Some((opts.method, samples)),
            points: &points,
        };
        let (folder, text) =
            design.write_shard(&folder, shard, opts.threads, &opts.output, progress)?;
        return Ok(SensitivityReport { folder, text });
    }
    let staging = Staging::new(&folder)?;
    let stats = evaluate(&exp, &points, opts.threads, progress)?;
    let (files, text) =
        sensitivity_output(&exp, opts.method, samples, &unit, &stats, &opts.output)?;
    for f in &files {
        staging.write(f)?;
    }
    staging.commit()?;
    let text = format!("{text}Results in {}\n", folder.display());
    Ok(SensitivityReport { folder, text })
}

/// A sensitivity analysis's files (`problem.json`, `samples.csv`, `outputs.csv`, `indices.csv`, `summary.json`,
/// `experiment.toml`, charts) and the text it prints, from every design point's statistics. `sensitivity` and
/// `merge` both call it.
pub(crate) fn sensitivity_output(
    exp: &Experiment,
    method: Method,
    samples: usize,
    unit: &[Vec<f64>],
    stats: &[PointStats],
    output: &super::Output,
) -> Result<(Vec<OutFile>, String)> {
    let d = exp.factors.len() + 1;
    let (rows, undefined) = indices(exp, method, unit, stats)?;

    let names = factor_names(exp);
    let bounds: Vec<[f64; 2]> = exp
        .factors
        .iter()
        .map(|f| {
            let (lo, hi) = f.bounds();
            [lo, hi]
        })
        .chain([[0.0, 1.0]])
        .collect();
    let problem = json!({ "num_vars": d, "names": names, "bounds": bounds });
    let mut summary = experiment_json(exp, "sensitivity", stats.len());
    summary["method"] = json!(method.name());
    summary["samples"] = json!(samples);
    summary["dummy"] = json!(DUMMY);
    summary["resamples"] = json!(exp.resamples);
    summary["design_seed"] = json!(exp.design_seed);
    if method == Method::Morris {
        summary["levels"] = json!(exp.morris.levels);
    }
    summary["undefined"] = json!(
        undefined
            .iter()
            .map(|(o, why)| json!({ "output": o.name(), "why": why }))
            .collect::<Vec<_>>()
    );
    let mut files = vec![
        OutFile::new("problem.json", json_bytes(&problem)?),
        csv_file(
            "samples.csv",
            &names,
            scaled(exp, unit)
                .into_iter()
                .map(|r| r.into_iter().map(cell).collect()),
        )?,
        csv_file(
            "outputs.csv",
            &exp.outputs
                .iter()
                .map(|o| o.name().to_string())
                .collect::<Vec<_>>(),
            stats
                .iter()
                .map(|s| exp.outputs.iter().map(|o| cell(s.value(*o))).collect()),
        )?,
        csv_file(
            "indices.csv",
            &["output", "factor", "index", "estimate", "lo", "hi"].map(String::from),
            rows.iter().map(|r| {
                vec![
                    r.output.name().to_string(),
                    r.factor.clone(),
                    r.index.to_string(),
                    cell(r.estimate),
                    cell(r.lo),
                    cell(r.hi),
                ]
            }),
        )?,
        OutFile::new("summary.json", json_bytes(&summary)?),
        OutFile::new("experiment.toml", exp.text.clone().into_bytes()),
    ];
    if output.charts {
        let text = |f: &OutFile| String::from_utf8_lossy(&f.bytes).into_owned();
        let charts = crate::chart::experiment::sensitivity_charts(
            &text(&files[3]),
            &text(&files[4]),
            output.size,
        )?;
        files.extend(charts);
    }
    let mut text = format!(
        "{} — {} sensitivity: {} design points × {} seeds = {} runs ({DISCLAIMER})\n",
        exp.title.as_deref().unwrap_or(&exp.base.meta.title),
        match method {
            Method::Sobol => format!("Sobol (N = {samples})"),
            Method::Morris => format!("Morris (r = {samples}, {} levels)", exp.morris.levels),
        },
        stats.len(),
        exp.seeds,
        stats.len() as u64 * exp.seeds,
    );
    text.push_str(&report_text(exp, method, &rows, &undefined));
    Ok((files, text))
}

/// What the terminal shows: per output, the factors from most to least influential, each index with its interval,
/// and which sit at the noise floor (the dummy's upper bound).
pub fn report_text(
    exp: &Experiment,
    method: Method,
    rows: &[IndexRow],
    undefined: &[(Output, String)],
) -> String {
    let (main, other) = match method {
        Method::Sobol => ("ST", "S1"),
        Method::Morris => ("mu_star", "sigma"),
    };
    let label = |path: &str| {
        exp.factors
            .iter()
            .find(|f| f.path == path)
            .map_or_else(|| format!("{path} (never read)"), |f| f.label.clone())
    };
    let mut out = String::new();
    for &o in &exp.outputs {
        let meaning = o.meaning(&exp.base.simulation.round_label);
        if let Some((_, why)) = undefined.iter().find(|(u, _)| *u == o) {
            out.push_str(&format!("\n{meaning}: no indices: {why}\n"));
            continue;
        }
        let of = |index: &str| -> Vec<&IndexRow> {
            rows.iter()
                .filter(|r| r.output == o && r.index == index)
                .collect()
        };
        let mut ranked = of(main);
        ranked.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
        let floor = ranked
            .iter()
            .find(|r| r.factor == DUMMY)
            .map_or(0.0, |r| r.hi.max(r.estimate));
        let second = of(other);
        out.push_str(&format!(
            "\n{meaning}: what matters most ({}; 95 % bootstrap intervals)\n",
            match method {
                Method::Sobol => "ST: total-order index, S1: first-order",
                Method::Morris => "μ*: mean |elementary effect|, σ: their spread",
            }
        ));
        let mut table = vec![vec![
            "factor".to_string(),
            if method == Method::Sobol {
                "ST".into()
            } else {
                "μ*".into()
            },
            if method == Method::Sobol {
                "S1".into()
            } else {
                "σ".into()
            },
            String::new(),
        ]];
        for r in &ranked {
            let s = second.iter().find(|s| s.factor == r.factor);
            let note = if r.factor == DUMMY {
                "noise floor".to_string()
            } else if r.lo <= floor || r.hi < PRINTED_ZERO {
                "at the noise floor".to_string()
            } else {
                String::new()
            };
            table.push(vec![
                label(&r.factor),
                with_interval(r.estimate, r.lo, r.hi),
                s.map_or(String::new(), |s| with_interval(s.estimate, s.lo, s.hi)),
                note,
            ]);
        }
        out.push_str(&columns(&table));
    }
    out.push_str(&format!(
        "\nThe dummy factor is read by nothing: with the same {} seeds at every design point its indices are exactly 0, so the seeds' luck adds nothing to any index and the intervals are the design's own sampling error. A factor whose interval reaches down to the dummy's, or lies wholly below 0.0005 (printed 0.000), sits at the noise floor.\n",
        exp.seeds
    ));
    out
}

/// Indices below this print as 0.000: an interval below it cannot be told from the dummy's on the page.
const PRINTED_ZERO: f64 = 0.0005;

fn with_interval(v: f64, lo: f64, hi: f64) -> String {
    // No "−0.000": a value that prints as zero is zero.
    let zero = |x: f64| if x.abs() < PRINTED_ZERO { 0.0 } else { x };
    let (v, lo, hi) = (zero(v), zero(lo), zero(hi));
    if lo.is_finite() && hi.is_finite() {
        format!("{v:.3} [{lo:.3}, {hi:.3}]")
    } else {
        format!("{v:.3}")
    }
}
