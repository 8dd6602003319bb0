//! `ceasefire batch`: seeds S..S+N−1 of one scenario, streamed into `runs.csv`, `bands.csv`, `summary.json` and
//! charts under `OUT/<id>/batch-<S>-<N>/`.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::chart::ensemble::{
    BandsData, FanChart, Heading, ReachedChart, RoundHistogram, read_summary, seeds_of,
};
use crate::chart::{ChartError, render_files};
use crate::ensemble::{Bands, MAX_BATCH_ROUNDS, sweep_with};
use crate::error::{Error, Result, UsageError};
use crate::export::ensemble::{BandsCsv, RunsWriter, runs_row, runs_row_drawn};
use crate::export::json::BatchSummaryJson;
use crate::export::results::{BatchResults, seeds_text};
use crate::export::{Export, OutFile, Staging};
use crate::scenario::Scenario;
use crate::summary::DISCLAIMER;
use crate::world::World;

/// The most runs one batch may ask for (documented in the README).
pub const MAX_RUNS: u64 = 10_000_000;

#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub scenario: String,
    pub runs: u64,
    pub seed: Option<u64>,
    pub rounds: Option<u32>,
    /// 0 = every core.
    pub threads: usize,
    pub sets: Vec<String>,
    /// The variant's name (`--label`).
    pub label: Option<String>,
    /// `--drawn`: add to runs.csv each distribution's drawn value, one column per field (see [`World::drawn`]).
    pub drawn: bool,
    /// `--shard K/N`: simulate only shard K's runs and write its partial folder (see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
    pub output: super::Output,
}

#[derive(Clone, Debug)]
pub struct BatchReport {
    pub folder: PathBuf,
    pub text: String,
}

/// The most runs a sharded ensemble may have in all: each shard takes at most [`MAX_RUNS`], and the merge's
/// histograms count each bin in 32 bits.
pub const MAX_SHARDED_RUNS: u64 = 1_000_000_000;

/// Check the size of an ensemble (or, with `shard`, of the whole that the shard is part of) before starting it;
/// `fix` tells how to ask for fewer rounds with the command at hand (see [`UsageError::EnsembleRounds`]).
pub fn check_size(
    sc: &Scenario,
    runs: u64,
    shard: Option<crate::shard::Shard>,
    fix: &'static str,
) -> Result<()> {
    match shard {
        None if runs == 0 || runs > MAX_RUNS => {
            return Err(UsageError::Runs {
                runs,
                max: MAX_RUNS,
            }
            .into());
        }
        Some(s) => {
            let max = MAX_RUNS.saturating_mul(s.count).min(MAX_SHARDED_RUNS);
            if runs == 0 || runs > max {
                return Err(UsageError::ShardedRuns {
                    runs,
                    max,
                    count: s.count,
                }
                .into());
            }
        }
        None => {}
    }
    if sc.simulation.rounds > MAX_BATCH_ROUNDS {
        return Err(UsageError::EnsembleRounds {
            scenario: sc.meta.id.clone(),
            rounds: sc.simulation.rounds,
            max: MAX_BATCH_ROUNDS,
            fix,
        }
        .into());
    }
    Ok(())
}

pub fn headline_text(b: &Bands, label: &str) -> String {
    let (p, lo, hi) = b.p_reached_ci();
    let (force, flo, fhi) = b.p_in_force_at_end();
    let median = b
        .median_ceasefire_round()
        .map_or("—".to_string(), |r| format!("{label} {r}"));
    format!(
        "P(ceasefire reached within {} {label}s) = {p:.3} (95 % CI {lo:.3}–{hi:.3}); median {median} among those reached\n\
         P(ceasefire in force at the end) = {force:.3} (95 % CI {flo:.3}–{fhi:.3}); mean final agreement {:.3}; mean collapses {:.3}\n",
        b.rounds,
        b.mean_final_agreement(),
        b.mean_collapses(),
    )
}

fn chart_files(
    heading: &Heading,
    bands: &BandsData,
    size: (u32, u32),
) -> std::result::Result<Vec<OutFile>, ChartError> {
    let one = std::slice::from_ref(bands);
    let mut out = Vec::new();
    out.extend(render_files(
        &FanChart {
            heading,
            bands: one,
            name: "fan",
        },
        size,
    )?);
    out.extend(render_files(
        &ReachedChart {
            heading,
            bands: one,
            deltas: &[],
            name: "reached",
        },
        size,
    )?);
    out.extend(render_files(&RoundHistogram { heading, bands }, size)?);
    Ok(out)
}

/// The charts of a batch folder, from its `bands.csv` and `summary.json`.
pub fn batch_charts(
    bands_csv: &str,
    summary_json: &str,
    size: (u32, u32),
) -> std::result::Result<Vec<OutFile>, ChartError> {
    let summary = read_summary(summary_json)?;
    let heading = Heading::from_summary(&summary, seeds_of(&summary));
    let bands = BandsData::parse(
        &crate::chart::data::text_of(&summary, "scenario"),
        bands_csv,
    )?;
    chart_files(&heading, &bands, size)
}

/// The name of a batch's folder: `batch-S-R`, or `batch-S-R--<label or hash>` for a variant.
pub fn folder_name(sc: &Scenario, first: u64, runs: u64) -> String {
    format!("batch-{first}-{runs}{}", super::variant::folder_suffix(sc))
}

/// `ceasefire batch`; with [`BatchOptions::shard`], one shard's partial folder instead (see [`crate::shard`]).
pub fn batch(opts: &BatchOptions, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<BatchReport> {
    let sc = super::load(
        &opts.scenario,
        &opts.sets,
        opts.rounds,
        opts.label.as_deref(),
    )?;
    check_size(&sc, opts.runs, opts.shard, "use --rounds 10000 or fewer")?;
    let first = opts.seed.unwrap_or(sc.simulation.seed);
    let name = folder_name(&sc, first, opts.runs);
    let folder = opts.output.out.join(&sc.meta.id).join(&name);
    if let Some(shard) = opts.shard {
        return super::merge::batch::write_shard(opts, &sc, first, &folder, shard, progress);
    }
    let staging = Staging::new(&folder)?;
    let (bands, drawn_columns) = simulate(&sc, opts, first, 0..opts.runs, &staging, progress)?;
    let files = batch_files(&sc, first, opts.runs, &bands, &opts.output)?;
    for f in &files {
        staging.write(f)?;
    }
    staging.commit()?;
    let mut text = format!(
        "{} — {} ({DISCLAIMER})\n",
        sc.meta.title,
        seeds_text(first, opts.runs)
    );
    text.push_str(&headline_text(&bands, &sc.simulation.round_label));
    text.push_str(&super::unchanged_note(opts.label.as_deref(), &sc));
    if let Some(world) = &drawn_columns {
        text.push_str(&drawn_note(&sc, world));
    }
    text.push_str(&format!("Results in {}\n", folder.display()));
    Ok(BatchReport { folder, text })
}

/// The files of a batch folder beside runs.csv: `bands.csv`, `summary.json` and (unless `output` says no charts) the
/// charts, drawn from those two files exactly as `ceasefire chart` redraws them. `batch` and `merge` both call it.
pub(crate) fn batch_files(
    sc: &Scenario,
    first: u64,
    runs: u64,
    bands: &Bands,
    output: &super::Output,
) -> Result<Vec<OutFile>> {
    let results = BatchResults {
        scenario: sc,
        first_seed: first,
        runs,
        bands,
    };
    let mut files = vec![BandsCsv.export(bands)?, BatchSummaryJson.export(&results)?];
    if output.charts {
        let text = |f: &OutFile| String::from_utf8_lossy(&f.bytes).into_owned();
        let charts = batch_charts(&text(&files[0]), &text(&files[1]), output.size)?;
        files.extend(charts);
    }
    Ok(files)
}

/// Simulate runs `runs` (run j is seed `first` + j) of `sc` into the `runs.csv` of `staging`, in seed order, and
/// return their bands (and, with `--drawn`, the world whose drawn fields name the extra columns). The header is the
/// same whatever the runs (a shard's runs.csv is the unsharded one's header and rows).
pub(crate) fn simulate(
    sc: &Scenario,
    opts: &BatchOptions,
    first: u64,
    runs: std::ops::Range<u64>,
    staging: &Staging,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(Bands, Option<World>)> {
    let runs_path = staging.path("runs.csv")?;
    let file = File::create(&runs_path).map_err(|source| Error::Write {
        path: runs_path.clone(),
        source,
    })?;
    let io_err = |source: std::io::Error| Error::Write {
        path: runs_path.clone(),
        source,
    };
    // With `--drawn`, the header names the fields that a world of the scenario draws (which are the same for every
    // seed); without it nothing is drawn beyond what the engine draws.
    let drawn_columns = opts.drawn.then(|| World::draw(sc, first));
    let mut writer =
        RunsWriter::new(sc, drawn_columns.as_ref(), BufWriter::new(file)).map_err(io_err)?;
    let mut bands = Bands::new(sc.simulation.rounds as usize);
    let mut done = 0u64;
    let count = runs.end - runs.start;
    sweep_with(
        std::slice::from_ref(sc),
        first + runs.start,
        count,
        opts.threads,
        // Rows are formatted where the seed was simulated; the gathering thread only adds and writes them. The drawn
        // values are the engine's own draws: `World::draw` again for the seed, which gives the world it ran.
        |outcomes| {
            let o = &outcomes[0];
            if opts.drawn {
                let world = World::draw(sc, o.seed);
                runs_row_drawn(o, world.drawn(sc).map(|(_, v)| v))
            } else {
                runs_row(o)
            }
        },
        |outcomes, row| {
            let o = &outcomes[0];
            bands.add(o);
            row.and_then(|row| writer.row_bytes(&row)).map_err(io_err)?;
            done += 1;
            if done.is_multiple_of(1024) || done == count {
                progress(done, count);
            }
            Ok(())
        },
    )?;
    writer.finish().map_err(io_err)?;
    Ok((bands, drawn_columns))
}

/// What `--drawn` added to runs.csv, or that it added nothing because every field of the scenario is fixed.
fn drawn_note(sc: &Scenario, world: &World) -> String {
    let mut paths = world.drawn(sc).map(|(path, _)| path);
    match (paths.next(), paths.last()) {
        (None, _) => format!(
            "--drawn: {} has no distributions (every field is a fixed number), so runs.csv has no drawn columns\n",
            sc.meta.id
        ),
        (Some(first), None) => {
            format!("runs.csv ends with 1 drawn column, the seed's value of {first}\n")
        }
        (Some(first), Some(last)) => {
            let n = world.drawn(sc).count();
            format!(
                "runs.csv ends with {n} drawn columns, each seed's value of each distribution, named by its --set \
                 path ({first} … {last})\n"
            )
        }
    }
}

/// Whether `dir` holds a batch's results.
pub fn is_batch_folder(dir: &Path) -> bool {
    dir.join("bands.csv").is_file() && dir.join("summary.json").is_file()
}
