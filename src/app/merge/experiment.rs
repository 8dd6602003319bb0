//! The shards of `sweep` and `sensitivity`: each takes a contiguous share of the design's points, every point with
//! all the experiment's seeds, and writes each point's statistics exactly (`points.csv`) with the experiment and the
//! scenario texts it read; the merge reads the experiment back from those texts, puts the points together in order
//! and writes the unsharded folder from them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::batch::{read_json, read_kept};
use super::{Lines, Part, Partial, damaged, manifest};
use crate::app::sensitivity::{Method, checked_design, design_points, sensitivity_output};
use crate::app::sweep::{checked_factorial, experiment_folder, sweep_output};
use crate::error::{Error, Result};
use crate::experiment::{Experiment, PointStats, Sources, evaluate};
use crate::export::{OutFile, Staging};
use crate::scenario::ScenarioError;
use crate::scenario::load::Source;
use crate::shard::{EXPERIMENT, ExperimentManifest, POINTS, SOURCES, Shard, hash_of};

/// The columns of `points.csv`: the point's index, then [`PointStats`] field by field.
const POINT_COLUMNS: [&str; 11] = [
    "point",
    "runs",
    "reached",
    "in_force",
    "final_sum",
    "final_squares",
    "collapses",
    "collapse_squares",
    "median_round",
    "median_round_lo",
    "median_round_hi",
];

/// The most bytes a shard's `sources.json` may hold: every scenario an experiment may name, at most as large as a
/// scenario file may be, and then some for JSON's escapes.
const MAX_SOURCES_BYTES: u64 = 1 << 30;

/// One scenario an experiment read, as `sources.json` keeps it: what it was asked for by, and what it found.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct KeptSource {
    asked: String,
    name: String,
    text: String,
}

/// The design of a sweep (`method` `None`) or a sensitivity analysis, ready to be split.
pub(crate) struct Design<'a> {
    pub exp: &'a Experiment,
    /// The scenarios the experiment read ([`crate::experiment::load_recorded`]).
    pub sources: &'a Sources,
    /// Sensitivity's method and its N or r.
    pub method: Option<(Method, usize)>,
    pub points: &'a [Vec<toml::Value>],
}

/// The content hash of an experiment: its file's name and text, the method and samples, and every scenario it read.
fn experiment_hash(e: &ExperimentManifest, text: &str, sources: &[KeptSource]) -> String {
    let head = [
        e.file.clone(),
        text.to_string(),
        format!("{:?} {:?}", e.method, e.samples),
    ];
    let kept = sources
        .iter()
        .flat_map(|s| [s.asked.clone(), s.name.clone(), s.text.clone()]);
    let all: Vec<String> = head.into_iter().chain(kept).collect();
    hash_of(all.iter().map(String::as_str))
}

/// `points.csv` rows: a number as the shortest decimal that reads back the same (`{}` of an f64; NaN as `NaN`).
fn point_row(index: u64, s: &PointStats) -> String {
    let (m, lo, hi) = s.median_round;
    format!(
        "{index},{},{},{},{},{},{},{},{m},{lo},{hi}\n",
        s.runs,
        s.reached,
        s.in_force,
        s.final_sum,
        s.final_squares,
        s.collapses,
        s.collapse_squares
    )
}

/// A row of `points.csv` read back, or what is wrong with it.
fn parse_point(fields: &[String]) -> std::result::Result<(u64, PointStats), String> {
    if fields.len() != POINT_COLUMNS.len() {
        return Err(format!(
            "it has {} fields, not {}",
            fields.len(),
            POINT_COLUMNS.len()
        ));
    }
    let int = |i: usize| {
        fields[i]
            .parse::<u64>()
            .map_err(|_| format!("{} `{}` is not a whole number", POINT_COLUMNS[i], fields[i]))
    };
    let num = |i: usize| {
        fields[i]
            .parse::<f64>()
            .map_err(|_| format!("{} `{}` is not a number", POINT_COLUMNS[i], fields[i]))
    };
    let runs = int(1)?;
    for i in [2, 3] {
        if int(i)? > runs {
            return Err(format!(
                "{} {} is more than its {runs} runs",
                POINT_COLUMNS[i], fields[i]
            ));
        }
    }
    Ok((
        int(0)?,
        PointStats {
            runs,
            reached: int(2)?,
            in_force: int(3)?,
            final_sum: num(4)?,
            final_squares: num(5)?,
            collapses: int(6)?,
            collapse_squares: int(7)?,
            median_round: (num(8)?, num(9)?, num(10)?),
        },
    ))
}

impl Design<'_> {
    fn command(&self) -> &'static str {
        if self.method.is_some() {
            "sensitivity"
        } else {
            "sweep"
        }
    }

    /// `sweep --shard` or `sensitivity --shard`: evaluate shard K's design points and write its partial folder.
    pub fn write_shard(
        &self,
        unsharded: &Path,
        shard: Shard,
        threads: usize,
        output: &crate::app::Output,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<(PathBuf, String)> {
        let exp = self.exp;
        let total = self.points.len() as u64;
        let taken = shard.runs(total);
        let partial = Partial::new(unsharded, shard, output)?;
        let (a, b) = (taken.start as usize, taken.end as usize);
        let stats = evaluate(exp, &self.points[a..b], threads, progress)?;
        let mut csv = POINT_COLUMNS.join(",");
        csv.push('\n');
        for (i, s) in taken.clone().zip(&stats) {
            csv.push_str(&point_row(i, s));
        }
        partial.staging.write_bytes(POINTS, csv.as_bytes())?;
        partial
            .staging
            .write_bytes(EXPERIMENT, exp.text.as_bytes())?;
        let kept: Vec<KeptSource> = self
            .sources
            .iter()
            .map(|(asked, s)| KeptSource {
                asked: asked.clone(),
                name: s.name.clone(),
                text: s.text.clone(),
            })
            .collect();
        partial.json(SOURCES, &kept, false)?;
        let e = ExperimentManifest {
            file: exp.file.clone(),
            method: self.method.map(|(m, _)| m.name().to_string()),
            samples: self.method.map(|(_, n)| n),
            seeds: exp.seeds,
            points: total,
            first_point: taken.start,
            end_point: taken.end,
        };
        let mut m = manifest(
            self.command(),
            &exp.base.meta.id,
            experiment_hash(&e, &exp.text, &kept),
            exp.first_seed,
            total * exp.seeds,
            shard,
            taken.start * exp.seeds..taken.end * exp.seeds,
            unsharded,
        );
        m.experiment = Some(e);
        let title = exp.title.as_deref().unwrap_or(&exp.base.meta.title);
        let whole = format!(
            "the {} of {total} design points × {} seeds",
            self.command(),
            exp.seeds
        );
        let taken_text = (!taken.is_empty()).then(|| {
            format!(
                "design points {} ({} runs)",
                crate::shard::span(taken.start, taken.end),
                (taken.end - taken.start) * exp.seeds
            )
        });
        partial.finish(&m, title, &whole, taken_text, "design points")
    }
}

/// Merge the shards of a sweep or a sensitivity analysis into `staging`: the files the unsharded command writes; the
/// text to print.
pub(crate) fn merge(
    parts: &[Part],
    staging: &Staging,
    output: &crate::app::Output,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<String> {
    let p0 = &parts[0];
    let m0 = &p0.manifest;
    let manifest_path = p0.file(crate::shard::MANIFEST);
    let e = p0.section(m0.experiment.as_ref(), "experiment")?;
    let text = read_kept(&p0.file(EXPERIMENT))?;
    let kept: Vec<KeptSource> = read_json(&p0.file(SOURCES), MAX_SOURCES_BYTES)?;
    if experiment_hash(e, &text, &kept) != m0.scenario_hash {
        return Err(damaged(
            &manifest_path,
            format!(
                "its experiment and scenarios do not have its scenario_hash {}",
                m0.scenario_hash
            ),
        ));
    }
    // The experiment as the shards read it: its scenarios served from what they kept.
    let resolver = |asked: &str| -> std::result::Result<Source, ScenarioError> {
        kept.iter()
            .find(|k| k.asked == asked)
            .map(|k| Source {
                name: k.name.clone(),
                text: k.text.clone(),
            })
            .ok_or_else(|| ScenarioError::Read {
                name: asked.to_string(),
                reason: format!("the shards kept no scenario `{asked}`"),
            })
    };
    let folder = Path::new(&e.file).parent().unwrap_or(Path::new(""));
    let exp = crate::experiment::load_source_with(&e.file, &text, folder, &resolver)?;
    let method = match e.method.as_deref() {
        None => None,
        Some(name) => {
            let method = [Method::Sobol, Method::Morris]
                .into_iter()
                .find(|m| m.name() == name)
                .ok_or_else(|| damaged(&manifest_path, format!("`{name}` is not a method")))?;
            let samples = e
                .samples
                .ok_or_else(|| damaged(&manifest_path, "it gives no samples"))?;
            Some((method, samples))
        }
    };
    let m_id = &m0.scenario;
    if *m_id != exp.base.meta.id {
        return Err(damaged(
            &manifest_path,
            format!(
                "it names scenario `{m_id}`, the experiment runs `{}`",
                exp.base.meta.id
            ),
        ));
    }
    // Checked as the commands check them, before anything is built.
    let (points, unit, kind) = match method {
        None => (checked_factorial(&exp)?, Vec::new(), "sweep".to_string()),
        Some((method, samples)) => {
            let (samples, unit) = checked_design(&exp, method, Some(samples))?;
            let kind = format!("{}-{samples}", method.name());
            (design_points(&exp, &unit), unit, kind)
        }
    };
    if experiment_folder(Path::new(""), &exp, &kind) != m0.relative_folder() {
        return Err(damaged(
            &manifest_path,
            format!("its folder `{}` is not the experiment's", m0.folder),
        ));
    }
    if points.len() as u64 != e.points || exp.seeds != e.seeds {
        return Err(damaged(
            &manifest_path,
            format!(
                "it splits {} points × {} seeds, the experiment makes {} × {}",
                e.points,
                e.seeds,
                points.len(),
                exp.seeds
            ),
        ));
    }
    let mut stats: Vec<PointStats> = Vec::with_capacity(points.len());
    for p in parts {
        let path = p.file(POINTS);
        let mut lines = Lines::open(&path)?;
        let mut line = Vec::new();
        if lines.fields(&mut line)?.as_deref() != Some(&POINT_COLUMNS.map(String::from)[..]) {
            return Err(damaged(
                &path,
                format!("its header is not `{}`", POINT_COLUMNS.join(",")),
            ));
        }
        let pm = p.section(p.manifest.experiment.as_ref(), "experiment")?;
        if pm.first_point != stats.len() as u64 {
            return Err(damaged(
                &p.file(crate::shard::MANIFEST),
                format!(
                    "its points start at {}, after {} points of the shards before it",
                    pm.first_point,
                    stats.len()
                ),
            ));
        }
        let mut row = 0u64;
        while let Some(fields) = lines.fields(&mut line)? {
            let next = stats.len() as u64;
            row += 1;
            let at = |why: String| damaged(&path, format!("row {row}: {why}"));
            let (index, s) = parse_point(&fields).map_err(at)?;
            if index != next || index >= pm.end_point {
                return Err(at(format!(
                    "it is point {index}, not point {next} (the shard holds points {})",
                    crate::shard::span(pm.first_point, pm.end_point)
                )));
            }
            if s.runs != e.seeds {
                return Err(at(format!("it ran {} seeds, not {}", s.runs, e.seeds)));
            }
            stats.push(s);
        }
        if stats.len() as u64 != pm.end_point {
            return Err(damaged(
                &path,
                format!(
                    "it ends before point {}, the shard ran points {}",
                    stats.len(),
                    crate::shard::span(pm.first_point, pm.end_point)
                ),
            ));
        }
        progress(stats.len() as u64, points.len() as u64);
    }
    if stats.len() != points.len() {
        return Err(damaged(
            &manifest_path,
            format!(
                "the shards hold {} design points, the design has {}",
                stats.len(),
                points.len()
            ),
        ));
    }
    let (files, text): (Vec<OutFile>, String) = match method {
        None => sweep_output(&exp, &points, &stats, output)?,
        Some((method, samples)) => {
            sensitivity_output(&exp, method, samples, &unit, &stats, output)?
        }
    };
    for f in &files {
        staging.write(f)?;
    }
    Ok::<String, Error>(text)
}
