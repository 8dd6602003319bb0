//! The shards of `batch`: each writes its rows of `runs.csv` and the integer counts of its bands; the merge streams
//! the rows back in seed order, summing the final agreements again as the unsharded batch did.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{Lines, Part, Partial, damaged, manifest, unreadable};
use crate::app::batch::{BatchOptions, BatchReport, batch_files, headline_text};
use crate::ensemble::{BINS, Bands};
use crate::error::{Error, Result};
use crate::export::Staging;
use crate::export::results::seeds_text;
use crate::input::{read_limited, read_limited_text};
use crate::scenario::Scenario;
use crate::shard::{COUNTS, Counts, RUNS, SCENARIO, Shard, scenario_hash, scenario_of};
use crate::summary::DISCLAIMER;

/// `batch --shard K/N`: simulate shard K's runs and write its partial folder (manifest, runs.csv rows, counts, the
/// scenario as it ran). No charts, no bands.csv, no summary.json: those are the merge's.
pub(crate) fn write_shard(
    opts: &BatchOptions,
    sc: &Scenario,
    first: u64,
    unsharded: &Path,
    shard: Shard,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BatchReport> {
    let runs = shard.runs(opts.runs);
    let partial = Partial::new(unsharded, shard, &opts.output)?;
    let (bands, _) =
        crate::app::batch::simulate(sc, opts, first, runs.clone(), &partial.staging, progress)?;
    let (scenario_text, hash) = scenario_of(sc);
    let mut m = manifest(
        "batch",
        &sc.meta.id,
        hash,
        first,
        opts.runs,
        shard,
        runs.clone(),
        unsharded,
    );
    m.overrides = sc.overrides.clone();
    m.label = sc.label.clone();
    m.drawn = opts.drawn;
    partial.json(COUNTS, &Counts::of(&bands), false)?;
    partial
        .staging
        .write_bytes(SCENARIO, scenario_text.as_bytes())?;
    let taken = (!runs.is_empty()).then(|| {
        format!(
            "runs {} ({})",
            crate::shard::span(runs.start, runs.end),
            seeds_text(first + runs.start, runs.end - runs.start)
        )
    });
    let (folder, text) = partial.finish(
        &m,
        &sc.meta.title,
        &seeds_text(first, opts.runs),
        taken,
        "runs",
    )?;
    Ok(BatchReport { folder, text })
}

/// The scenario the shards ran, from the first shard's `scenario.toml`, checked against its hash.
fn scenario_of_part(part: &Part) -> Result<Scenario> {
    let m = &part.manifest;
    let path = part.file(SCENARIO);
    let text = read_kept(&path)?;
    if scenario_hash(&text, &m.overrides, m.label.as_deref()) != m.scenario_hash {
        return Err(damaged(
            &path,
            format!(
                "its hash (with the manifest's overrides and label) is not the manifest's scenario_hash {}",
                m.scenario_hash
            ),
        ));
    }
    kept_scenario(&path, &text, &m.overrides, m.label.as_deref(), &m.scenario)
}

/// The text of a scenario (or an experiment) a shard kept.
pub(crate) fn read_kept(path: &Path) -> Result<String> {
    let max = crate::scenario::limits::MAX_FILE_BYTES as u64;
    read_limited_text(path, max).map_err(|e| unreadable(path, e))
}

/// A scenario a shard kept (`text`, read from `path`), as it ran: with the overrides and label it ran with, and the
/// id the manifest names.
pub(crate) fn kept_scenario(
    path: &Path,
    text: &str,
    overrides: &[String],
    label: Option<&str>,
    id: &str,
) -> Result<Scenario> {
    let mut sc = crate::scenario::load_source(&path.display().to_string(), text, &[])?;
    sc.overrides = overrides.to_vec();
    sc.label = label.map(str::to_string);
    if sc.meta.id != id {
        return Err(damaged(
            path,
            format!("it is scenario `{}`, the manifest says `{id}`", sc.meta.id),
        ));
    }
    Ok(sc)
}

/// The most bytes `counts.json` of a scenario of `rounds` rounds may hold.
pub(crate) fn max_counts_bytes(rounds: usize) -> u64 {
    (rounds as u64) * (2 * BINS as u64 * 24 + 512) + 65_536
}

/// Streams the shards' runs.csv into one, checking each row's seed and summing final agreements in seed order.
struct RunsMerge<W: Write> {
    out: W,
    header: Option<Vec<u8>>,
    /// Fields of a row, and the index of `final_agreement` among them.
    fields: usize,
    final_agreement: usize,
    next_seed: u64,
    final_agreement_sum: f64,
    rows: u64,
}

/// The value of a runs.csv field as the batch wrote it: empty for a number that was not finite.
pub fn parse_number(field: &[u8]) -> Option<f64> {
    if field.is_empty() {
        return Some(f64::NAN);
    }
    std::str::from_utf8(field).ok()?.parse().ok()
}

impl<W: Write> RunsMerge<W> {
    fn part(&mut self, path: &Path, expected_rows: u64, progress: &dyn Fn(u64)) -> Result<()> {
        let mut lines = Lines::open(path)?;
        let mut line = Vec::new();
        let mut read_line = |line: &mut Vec<u8>| lines.next(line);
        if !read_line(&mut line)? {
            return Err(damaged(path, "it is empty (no header)"));
        }
        match &self.header {
            None => {
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_slice());
                let record = r
                    .records()
                    .next()
                    .and_then(|r| r.ok())
                    .ok_or_else(|| damaged(path, "its header cannot be read"))?;
                self.fields = record.len();
                self.final_agreement = record
                    .iter()
                    .position(|f| f == "final_agreement")
                    .ok_or_else(|| damaged(path, "its header has no final_agreement column"))?;
                self.out.write_all(&line).map_err(|e| unreadable(path, e))?;
                self.header = Some(line.clone());
            }
            Some(h) if *h != line => {
                return Err(damaged(
                    path,
                    "its header differs from the first shard's runs.csv",
                ));
            }
            Some(_) => {}
        }
        let mut rows = 0u64;
        while read_line(&mut line)? {
            let row = &line[..line.len() - 1];
            let fields: Vec<&[u8]> = row.split(|b| *b == b',').collect();
            let at = || format!("row {} (seed {})", rows + 1, self.next_seed);
            if fields.len() != self.fields {
                return Err(damaged(
                    path,
                    format!(
                        "{} has {} fields, the header {}",
                        at(),
                        fields.len(),
                        self.fields
                    ),
                ));
            }
            let seed = std::str::from_utf8(fields[0])
                .ok()
                .and_then(|s| s.parse::<u64>().ok());
            if seed != Some(self.next_seed) {
                return Err(damaged(
                    path,
                    format!(
                        "row {} holds seed {}, where seed {} belongs (a row is missing or out of place)",
                        rows + 1,
                        crate::input::visible(&String::from_utf8_lossy(fields[0])),
                        self.next_seed
                    ),
                ));
            }
            let v = parse_number(fields[self.final_agreement]).ok_or_else(|| {
                damaged(path, format!("{}: final_agreement is not a number", at()))
            })?;
            // The unsharded batch's sum: the same values, added in the same (seed) order.
            self.final_agreement_sum += v;
            self.out.write_all(&line).map_err(|e| unreadable(path, e))?;
            rows += 1;
            self.rows += 1;
            self.next_seed = self.next_seed.wrapping_add(1);
            if self.rows.is_multiple_of(1024) {
                progress(self.rows);
            }
        }
        if rows != expected_rows {
            return Err(damaged(
                path,
                format!("it has {rows} rows, the shard ran {expected_rows}"),
            ));
        }
        Ok(())
    }
}

/// Merge the shards of a batch into `staging`: the files the unsharded batch writes; the headline to print.
pub(crate) fn merge(
    parts: &[Part],
    staging: &Staging,
    output: &crate::app::Output,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<String> {
    let m0 = &parts[0].manifest;
    let sc = scenario_of_part(&parts[0])?;
    if crate::app::batch::folder_name(&sc, m0.first_seed, m0.runs) != m0.folder {
        return Err(damaged(
            &parts[0].file(crate::shard::MANIFEST),
            format!("its folder `{}` is not the batch's", m0.folder),
        ));
    }
    let rounds = sc.simulation.rounds as usize;
    let runs_path = staging.path(RUNS)?;
    let file = File::create(&runs_path).map_err(|source| Error::Write {
        path: runs_path.clone(),
        source,
    })?;
    let mut runs = RunsMerge {
        out: BufWriter::new(file),
        header: None,
        fields: 0,
        final_agreement: 0,
        next_seed: m0.first_seed,
        final_agreement_sum: 0.0,
        rows: 0,
    };
    let mut bands = Bands::new(rounds);
    let total = m0.runs;
    for p in parts {
        let m = &p.manifest;
        let counts_path = p.file(COUNTS);
        let counts: Counts = read_json(&counts_path, max_counts_bytes(rounds))?;
        let shard_bands = counts
            .bands(rounds)
            .map_err(|why| damaged(&counts_path, why))?;
        let expected = m.end_run - m.first_run;
        if shard_bands.runs != expected {
            return Err(damaged(
                &counts_path,
                format!(
                    "it counts {} runs, the shard ran {expected}",
                    shard_bands.runs
                ),
            ));
        }
        bands.merge_counts(&shard_bands);
        drop(shard_bands);
        runs.part(&p.file(RUNS), expected, &|done| progress(done, total))?;
    }
    runs.out.flush().map_err(|source| Error::Write {
        path: runs_path.clone(),
        source,
    })?;
    bands.final_agreement_sum = runs.final_agreement_sum;
    for f in batch_files(&sc, m0.first_seed, total, &bands, output)? {
        staging.write(&f)?;
    }
    progress(total, total);
    let mut text = format!(
        "{} — {} ({DISCLAIMER})\n",
        sc.meta.title,
        seeds_text(m0.first_seed, total)
    );
    text.push_str(&headline_text(&bands, &sc.simulation.round_label));
    Ok(text)
}

/// A shard's JSON file of at most `max` bytes.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path, max: u64) -> Result<T> {
    let bytes = read_limited(path, max).map_err(|e| unreadable(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| unreadable(path, e))
}
