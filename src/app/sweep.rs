//! `ceasefire sweep EXPERIMENT`: the full factorial of the experiment's factors, every point an ensemble on the same
//! seeds, into `OUT/<scenario id>/sweep--<experiment>/`: `sweep.csv` (one row per point), `summary.json`, a copy of
//! the experiment (`experiment.toml`), and charts (one factor: each output against it with interval bars; two: a
//! heatmap per output).

use std::path::PathBuf;

use serde_json::json;

use crate::error::{Result, UsageError};
use crate::experiment::{Experiment, MAX_POINTS, MAX_TOTAL_RUNS, PointStats, evaluate, value_cell};
use crate::export::{OutFile, Staging};
use crate::summary::DISCLAIMER;

/// How many rows of the table `sweep` prints (all are in `sweep.csv`).
const PRINTED_ROWS: usize = 24;

#[derive(Clone, Debug)]
pub struct SweepOptions {
    pub experiment: String,
    /// 0 = every core.
    pub threads: usize,
    /// `--shard K/N`: evaluate only shard K's design points and write its partial folder (see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
    pub output: super::Output,
}

#[derive(Clone, Debug)]
pub struct SweepReport {
    pub folder: PathBuf,
    pub text: String,
}

/// The design points of the full factorial, the first factor varying slowest.
pub fn factorial(exp: &Experiment) -> Vec<Vec<toml::Value>> {
    let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
    for f in &exp.factors {
        let values = f.sweep_values();
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    points
}

/// The full factorial, once its size is checked against the limits (before it is built).
pub(crate) fn checked_factorial(exp: &Experiment) -> Result<Vec<Vec<toml::Value>>> {
    let count: u64 = exp
        .factors
        .iter()
        .map(|f| f.sweep_values().len() as u64)
        .fold(1, u64::saturating_mul);
    check_cost("the sweep's full factorial", count, exp.seeds)?;
    Ok(factorial(exp))
}

/// Refuse a design too large to run, naming what was asked.
pub fn check_cost(what: &str, points: u64, seeds: u64) -> Result<()> {
    let runs = points.saturating_mul(seeds);
    if points > MAX_POINTS || runs > MAX_TOTAL_RUNS {
        return Err(UsageError::Design {
            what: what.to_string(),
            points,
            seeds,
            max_points: MAX_POINTS,
            max_runs: MAX_TOTAL_RUNS,
        }
        .into());
    }
    Ok(())
}

/// The folder of an experiment's results: `OUT/<scenario id>/<kind>--<slug of the experiment's file name>`.
pub fn experiment_folder(out: &std::path::Path, exp: &Experiment, kind: &str) -> PathBuf {
    let stem = std::path::Path::new(&exp.file)
        .file_stem()
        .map_or_else(|| exp.file.clone(), |s| s.to_string_lossy().into_owned());
    out.join(&exp.base.meta.id)
        .join(format!("{kind}--{}", super::variant::slug(&stem)))
}

/// What every experiment's `summary.json` says of the experiment.
pub fn experiment_json(exp: &Experiment, command: &str, points: usize) -> serde_json::Value {
    json!({
        "command": command,
        "experiment": exp.file,
        "title": exp.title,
        "scenario": exp.base.meta.id,
        "scenario_title": exp.base.meta.title,
        "scenario_fnv1a64": format!("{:016x}", crate::rng::fnv1a(&exp.scenario.text)),
        "round_label": exp.base.simulation.round_label,
        "first_seed": exp.first_seed,
        "seeds": exp.seeds,
        "points": points,
        "runs": points as u64 * exp.seeds,
        "outputs": exp.outputs.iter().map(|o| o.name()).collect::<Vec<_>>(),
        "factors": exp.factors.iter().map(|f| match (&f.values, command) {
            // A sensitivity design samples a range; a sweep takes its steps.
            (crate::experiment::Values::Range { low, high, .. }, "sensitivity") => json!({
                "path": f.path,
                "label": f.label,
                "low": low,
                "high": high,
                "as_written": as_written(exp, &f.path),
            }),
            _ => json!({
                "path": f.path,
                "label": f.label,
                "values": f.sweep_values().iter().map(value_cell).collect::<Vec<_>>(),
                "as_written": as_written(exp, &f.path),
            }),
        }).collect::<Vec<_>>(),
        "version": env!("CARGO_PKG_VERSION"),
        "disclaimer": DISCLAIMER,
    })
}

/// The factor's value in the experiment's scenario as written (null when the file leaves it to its default, or for
/// a `scenario` factor), so that charts can mark where the scenario sits.
fn as_written(exp: &Experiment, path: &str) -> Option<String> {
    if path == crate::experiment::SCENARIO_FACTOR {
        return None;
    }
    crate::scenario::overrides::lookup(&exp.doc, path)
        .filter(|v| !v.is_table() && !v.is_array())
        .map(|v| value_cell(&v))
}

/// A number as every table writes it: the shortest decimal that reads back the same, empty when undefined.
pub fn cell(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// `sweep.csv`: `point`, one column per factor (its path), each output with `_lo` and `_hi`, `runs`.
pub fn sweep_csv(
    exp: &Experiment,
    points: &[Vec<toml::Value>],
    stats: &[PointStats],
) -> Result<OutFile> {
    let mut header = vec!["point".to_string()];
    header.extend(exp.factors.iter().map(|f| f.path.clone()));
    for o in &exp.outputs {
        header.extend([
            o.name().to_string(),
            format!("{}_lo", o.name()),
            format!("{}_hi", o.name()),
        ]);
    }
    header.push("runs".into());
    let rows = points.iter().zip(stats).enumerate().map(|(i, (p, s))| {
        let mut row = vec![i.to_string()];
        row.extend(p.iter().map(value_cell));
        for o in &exp.outputs {
            let (v, lo, hi) = s.estimate(*o);
            row.extend([cell(v), cell(lo), cell(hi)]);
        }
        row.push(s.runs.to_string());
        row
    });
    csv_file("sweep.csv", &header, rows)
}

/// A CSV file of experiment results: `header`, then `rows`.
pub(crate) fn csv_file(
    name: &str,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<OutFile> {
    let fail = |source: crate::export::ExportError| crate::Error::Export {
        file: name.to_string(),
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| fail(e.into()))?;
    for r in rows {
        w.write_record(&r).map_err(|e| fail(e.into()))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(e.into_error().into()))?;
    Ok(OutFile::new(name, bytes))
}

/// `ceasefire sweep`.
pub fn sweep(opts: &SweepOptions, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<SweepReport> {
    let (exp, sources) = crate::experiment::load_recorded(&opts.experiment)?;
    let points = checked_factorial(&exp)?;
    let folder = experiment_folder(&opts.output.out, &exp, "sweep");
    if let Some(shard) = opts.shard {
        let design = super::merge::experiment::Design {
            exp: &exp,
            sources: &sources,
            method: None,
            points: &points,
        };
        let (folder, text) =
            design.write_shard(&folder, shard, opts.threads, &opts.output, progress)?;
        return Ok(SweepReport { folder, text });
    }
    let staging = Staging::new(&folder)?;
    let stats = evaluate(&exp, &points, opts.threads, progress)?;
    let (files, text) = sweep_output(&exp, &points, &stats, &opts.output)?;
    for f in &files {
        staging.write(f)?;
    }
    staging.commit()?;
    let text = format!("{text}Results in {}\n", folder.display());
    Ok(SweepReport { folder, text })
}

/// A sweep's files (`sweep.csv`, `summary.json`, `experiment.toml`, charts) and the text it prints, from every
/// point's statistics. `sweep` and `merge` both call it.
pub(crate) fn sweep_output(
    exp: &Experiment,
    points: &[Vec<toml::Value>],
    stats: &[PointStats],
    output: &super::Output,
) -> Result<(Vec<OutFile>, String)> {
    let mut files = vec![
        sweep_csv(exp, points, stats)?,
        OutFile::new(
            "summary.json",
            json_bytes(&experiment_json(exp, "sweep", points.len()))?,
        ),
        OutFile::new("experiment.toml", exp.text.clone().into_bytes()),
    ];
    let mut notes = String::new();
    if output.charts {
        if exp.factors.len() <= 2 {
            let text = |f: &OutFile| String::from_utf8_lossy(&f.bytes).into_owned();
            files.extend(crate::chart::experiment::sweep_charts(
                &text(&files[0]),
                &text(&files[1]),
                output.size,
            )?);
        } else {
            notes.push_str("Charts are drawn for one or two factors; with more, sweep.csv holds every point.\n");
        }
    }
    let mut text = format!(
        "{} — sweep of {} point{} × {} seeds = {} runs ({DISCLAIMER})\n",
        exp.title.as_deref().unwrap_or(&exp.base.meta.title),
        points.len(),
        if points.len() == 1 { "" } else { "s" },
        exp.seeds,
        points.len() as u64 * exp.seeds,
    );
    text.push_str(&table(exp, points, stats));
    text.push_str(&notes);
    Ok((files, text))
}

pub fn json_bytes(v: &serde_json::Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(v).map_err(|e| crate::Error::Export {
        file: "summary.json".into(),
        source: crate::export::ExportError::Json(e),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The printed table: the factors' values and each output with its interval, at most [`PRINTED_ROWS`] rows.
fn table(exp: &Experiment, points: &[Vec<toml::Value>], stats: &[PointStats]) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = exp.factors.iter().map(|f| f.label.clone()).collect();
    header.extend(exp.outputs.iter().map(|o| o.name().to_string()));
    rows.push(header);
    for (p, s) in points.iter().zip(stats).take(PRINTED_ROWS) {
        let mut row: Vec<String> = p.iter().map(value_cell).collect();
        for o in &exp.outputs {
            let (v, lo, hi) = s.estimate(*o);
            row.push(if v.is_finite() {
                let digits = if *o == crate::experiment::Output::MedianRound {
                    0
                } else {
                    3
                };
                format!("{v:.digits$} [{lo:.digits$}, {hi:.digits$}]")
            } else {
                "—".into()
            });
        }
        rows.push(row);
    }
    let mut out = columns(&rows);
    if points.len() > PRINTED_ROWS {
        out.push_str(&format!(
            "  … {} more rows in sweep.csv\n",
            points.len() - PRINTED_ROWS
        ));
    }
    out
}

/// Rows of cells as left-aligned columns, indented by two spaces.
pub(crate) fn columns(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        out.push_str("  ");
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
