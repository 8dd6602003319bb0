//! `ceasefire batch --shard K/N`, which writes one shard's partial folder, and `ceasefire merge`, which puts the
//! shards back together into the folder the unsharded batch writes, byte for byte (see [`crate::shard`] and
//! `docs/cluster.md`).
//!
//! Layout: shard K of N of `batch` goes to `OUT/<id>/batch-S-R[--variant].shards/shard-K-of-N/`, beside the
//! folder `OUT/<id>/batch-S-R[--variant]/` that the unsharded batch writes and the merge writes by default.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::batch::{BatchOptions, BatchReport, batch_files, headline_text};
use crate::ensemble::{BINS, Bands};
use crate::error::{Error, Result};
use crate::export::results::seeds_text;
use crate::export::{ExportError, Staging};
use crate::input::{read_limited, read_limited_text};
use crate::scenario::Scenario;
use crate::shard::{
    COUNTS, Counts, FORMAT, MANIFEST, Manifest, RUNS, SCENARIO, Shard, ShardError, scenario_hash,
    scenario_of,
};
use crate::summary::DISCLAIMER;

/// What the folder of a command's shards is called: the unsharded folder's name and this.
pub const SHARDS_SUFFIX: &str = ".shards";

/// The most bytes a manifest may hold.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;
/// The longest row of runs.csv a merge reads (a row is a few numbers per module, dimension and drawn field).
const MAX_ROW_BYTES: u64 = 16 << 20;

/// The folder holding the shards of the batch folder `name` of scenario `id` under `out`.
pub fn shards_folder(out: &Path, id: &str, name: &str) -> PathBuf {
    out.join(id).join(format!("{name}{SHARDS_SUFFIX}"))
}

fn json_err(file: &str) -> impl FnOnce(serde_json::Error) -> Error + '_ {
    move |e| Error::Export {
        file: file.to_string(),
        source: ExportError::from(e),
    }
}

/// `batch --shard K/N`: simulate shard K's runs and write its partial folder (manifest, runs.csv rows, counts, the
/// scenario as it ran). No charts, no bands.csv, no summary.json: those are the merge's.
pub(crate) fn write_shard(
    opts: &BatchOptions,
    sc: &Scenario,
    first: u64,
    name: &str,
    shard: Shard,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BatchReport> {
    let runs = shard.runs(opts.runs);
    let home = shards_folder(&opts.output.out, &sc.meta.id, name);
    let folder = home.join(shard.folder_name());
    let staging = Staging::new(&folder)?;
    let (bands, _) = super::batch::simulate(sc, opts, first, runs.clone(), &staging, progress)?;
    let (scenario_text, hash) = scenario_of(sc);
    let manifest = Manifest {
        program: "ceasefire".into(),
        format: FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: "batch".into(),
        scenario: sc.meta.id.clone(),
        scenario_hash: hash,
        overrides: sc.overrides.clone(),
        label: sc.label.clone(),
        drawn: opts.drawn,
        first_seed: first,
        runs: opts.runs,
        shard: shard.index,
        shards: shard.count,
        first_run: runs.start,
        end_run: runs.end,
        folder: name.to_string(),
    };
    let mut counts = serde_json::to_vec(&Counts::of(&bands)).map_err(json_err(COUNTS))?;
    counts.push(b'\n');
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(json_err(MANIFEST))?;
    manifest_bytes.push(b'\n');
    staging.write_bytes(COUNTS, &counts)?;
    staging.write_bytes(SCENARIO, scenario_text.as_bytes())?;
    staging.write_bytes(MANIFEST, &manifest_bytes)?;
    staging.commit()?;
    let of = seeds_text(first, opts.runs);
    let mut text = if runs.is_empty() {
        format!(
            "{} — shard {} of {} of {of}: no runs (the {} runs make fewer shards than {}); its partial folder is empty\n",
            sc.meta.title, shard.index, shard.count, opts.runs, shard.count
        )
    } else {
        format!(
            "{} — shard {} of {} of {of}: runs {}..{} ({}) ({DISCLAIMER})\n",
            sc.meta.title,
            shard.index,
            shard.count,
            runs.start,
            runs.end - 1,
            seeds_text(first + runs.start, runs.end - runs.start),
        )
    };
    text.push_str(&format!(
        "Partial results in {}\nWhen all {} shards are done: ceasefire merge {}\n",
        folder.display(),
        shard.count,
        home.display()
    ));
    Ok(BatchReport { folder, text })
}

/// Options of `ceasefire merge`.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// Shard folders, or folders holding `shard-*` folders.
    pub dirs: Vec<PathBuf>,
    /// Like batch's `--out`: the merged folder goes to `OUT/<id>/batch-S-R[--variant]/`. Default: beside the
    /// folder holding the (first) shards.
    pub out: Option<PathBuf>,
    pub charts: bool,
    pub size: (u32, u32),
}

#[derive(Clone, Debug)]
pub struct MergeReport {
    pub folder: PathBuf,
    pub text: String,
}

/// One shard folder and its manifest.
struct Part {
    dir: PathBuf,
    manifest: Manifest,
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> Error {
    ShardError::Unreadable {
        path: path.to_path_buf(),
        why: why.to_string(),
    }
    .into()
}

fn damaged(path: &Path, why: impl Into<String>) -> Error {
    ShardError::Damaged {
        path: path.to_path_buf(),
        why: why.into(),
    }
    .into()
}

/// The folder that holds `dir` (made absolute when `dir` has no parent of its own, such as `.`).
fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::fs::canonicalize(dir)
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from(".")),
    }
}

/// The shard folders among `dirs` (each a shard folder, or a folder of `shard-*` folders, in name order), and the
/// folder holding the first of them.
fn shard_dirs(dirs: &[PathBuf]) -> Result<(Vec<PathBuf>, PathBuf)> {
    let mut found = Vec::new();
    let mut home = None;
    for dir in dirs {
        if crate::input::exists(&dir.join(MANIFEST)) {
            home.get_or_insert_with(|| parent_of(dir));
            found.push(dir.clone());
            continue;
        }
        let not_shards = || ShardError::NotShards { path: dir.clone() };
        let entries = std::fs::read_dir(dir).map_err(|_| not_shards())?;
        let mut inside: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| unreadable(dir, e))?;
            let name = entry.file_name();
            // Hidden entries are other writers' staging folders (a shard still running), never a shard.
            if name.to_string_lossy().starts_with("shard-") {
                inside.push(entry.path());
            }
        }
        if inside.is_empty() {
            return Err(not_shards().into());
        }
        inside.sort();
        home.get_or_insert_with(|| dir.clone());
        found.extend(inside);
    }
    let home = home.ok_or(ShardError::NoShards)?;
    Ok((found, home))
}

/// Read a shard's manifest: first what any version writes (program, format, version), then the rest.
fn read_manifest(dir: &Path) -> Result<Part> {
    let path = dir.join(MANIFEST);
    let text = read_limited_text(&path, MAX_MANIFEST_BYTES).map_err(|e| unreadable(&path, e))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| unreadable(&path, e))?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("");
    if field("program") != "ceasefire" || !field("format").starts_with("ceasefire-shard/") {
        return Err(unreadable(
            &path,
            "it is not the manifest of a ceasefire shard",
        ));
    }
    let ours = env!("CARGO_PKG_VERSION");
    if field("version") != ours || field("format") != FORMAT {
        return Err(ShardError::Version {
            path,
            found: field("version").to_string(),
            ours,
        }
        .into());
    }
    if field("command") != "batch" {
        return Err(ShardError::Command {
            path,
            command: field("command").to_string(),
        }
        .into());
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(|e| unreadable(&path, e))?;
    Ok(Part {
        dir: dir.to_path_buf(),
        manifest,
    })
}

/// Check that every part splits the same ensemble as the first, that each shard is given once and none is missing;
/// the parts in shard order.
fn check_parts(parts: Vec<Part>) -> Result<Vec<Part>> {
    let first = &parts[0];
    let m0 = &first.manifest;
    let path_of = |p: &Part| p.dir.join(MANIFEST);
    for p in &parts[1..] {
        let m = &p.manifest;
        if m.scenario_hash != m0.scenario_hash {
            let described = |m: &Manifest| {
                let c = crate::scenario::changes_text(m.label.as_deref(), &m.overrides);
                let c = if c.is_empty() {
                    "as written".to_string()
                } else {
                    c
                };
                format!("{} ({}, {c})", m.scenario_hash, m.scenario)
            };
            return Err(ShardError::Scenario {
                path: path_of(p),
                found: described(m),
                first: path_of(first),
                expected: described(m0),
            }
            .into());
        }
        let checks: [(&'static str, String, String); 5] = [
            (
                "the first seed S",
                m.first_seed.to_string(),
                m0.first_seed.to_string(),
            ),
            ("runs R", m.runs.to_string(), m0.runs.to_string()),
            (
                "N (the number of shards)",
                m.shards.to_string(),
                m0.shards.to_string(),
            ),
            ("drawn", m.drawn.to_string(), m0.drawn.to_string()),
            ("folder", m.folder.clone(), m0.folder.clone()),
        ];
        if let Some((what, found, expected)) = checks.into_iter().find(|(_, a, b)| a != b) {
            return Err(ShardError::Mismatch {
                path: path_of(p),
                what,
                found,
                first: path_of(first),
                expected,
            }
            .into());
        }
    }
    let count = m0.shards;
    let mut by_index: BTreeMap<u64, Part> = BTreeMap::new();
    for p in parts {
        let m = &p.manifest;
        let shard =
            Shard::new(m.shard, m.shards).map_err(|e| damaged(&path_of(&p), e.to_string()))?;
        let range = shard.runs(m.runs);
        if (m.first_run, m.end_run) != (range.start, range.end) {
            return Err(damaged(
                &path_of(&p),
                format!(
                    "shard {} of {} of {} runs takes runs {}..{}, not {}..{}",
                    m.shard, m.shards, m.runs, range.start, range.end, m.first_run, m.end_run
                ),
            ));
        }
        if let Some(other) = by_index.get(&m.shard) {
            return Err(ShardError::Repeated {
                index: m.shard,
                count,
                a: other.dir.clone(),
                b: p.dir.clone(),
            }
            .into());
        }
        by_index.insert(m.shard, p);
    }
    let missing: Vec<u64> = (1..=count).filter(|k| !by_index.contains_key(k)).collect();
    if !missing.is_empty() {
        return Err(ShardError::Missing { missing, count }.into());
    }
    Ok(by_index.into_values().collect())
}

/// The scenario the shards ran, from the first shard's `scenario.toml`, checked against its hash.
fn scenario_of_part(part: &Part) -> Result<Scenario> {
    let m = &part.manifest;
    let path = part.dir.join(SCENARIO);
    let max = crate::scenario::limits::MAX_FILE_BYTES as u64;
    let text = read_limited_text(&path, max).map_err(|e| unreadable(&path, e))?;
    if scenario_hash(&text, &m.overrides, m.label.as_deref()) != m.scenario_hash {
        return Err(damaged(
            &path,
            format!(
                "its hash (with the manifest's overrides and label) is not the manifest's scenario_hash {}",
                m.scenario_hash
            ),
        ));
    }
    let mut sc = crate::scenario::load_source(&path.display().to_string(), &text, &[])?;
    sc.overrides = m.overrides.clone();
    sc.label = m.label.clone();
    if sc.meta.id != m.scenario {
        return Err(damaged(
            &path,
            format!(
                "it is scenario `{}`, the manifest says `{}`",
                sc.meta.id, m.scenario
            ),
        ));
    }
    Ok(sc)
}

/// The most bytes `counts.json` of a scenario of `rounds` rounds may hold.
fn max_counts_bytes(rounds: usize) -> u64 {
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
        let file = File::open(path).map_err(|e| unreadable(path, e))?;
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let mut read_line = |line: &mut Vec<u8>| -> Result<bool> {
            line.clear();
            let n = (&mut reader)
                .take(MAX_ROW_BYTES)
                .read_until(b'\n', line)
                .map_err(|e| unreadable(path, e))?;
            if n > 0 && line.last() != Some(&b'\n') {
                return Err(damaged(path, "its last line is cut short (or too long)"));
            }
            Ok(n > 0)
        };
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
                    format!("{} is not seed {}", at(), self.next_seed),
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

/// `ceasefire merge`: check the shards, then write the folder the unsharded batch writes.
pub fn merge(opts: &MergeOptions, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<MergeReport> {
    if opts.dirs.is_empty() {
        return Err(ShardError::NoShards.into());
    }
    let (dirs, home) = shard_dirs(&opts.dirs)?;
    let parts = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<Vec<_>>>()?;
    let parts = check_parts(parts)?;
    let m0 = parts[0].manifest.clone();
    let sc = scenario_of_part(&parts[0])?;
    let rounds = sc.simulation.rounds as usize;
    let folder = match &opts.out {
        Some(out) => out.join(&m0.scenario).join(&m0.folder),
        None => parent_of(&home).join(&m0.folder),
    };
    let staging = Staging::new(&folder)?;
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
    for p in &parts {
        let m = &p.manifest;
        let counts_path = p.dir.join(COUNTS);
        let bytes = read_limited(&counts_path, max_counts_bytes(rounds))
            .map_err(|e| unreadable(&counts_path, e))?;
        let counts: Counts =
            serde_json::from_slice(&bytes).map_err(|e| unreadable(&counts_path, e))?;
        drop(bytes);
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
        runs.part(&p.dir.join(RUNS), expected, &|done| progress(done, total))?;
    }
    runs.out.flush().map_err(|source| Error::Write {
        path: runs_path.clone(),
        source,
    })?;
    bands.final_agreement_sum = runs.final_agreement_sum;
    let output = super::Output {
        out: opts.out.clone().unwrap_or_default(),
        charts: opts.charts,
        size: opts.size,
    };
    for f in batch_files(&sc, m0.first_seed, total, &bands, &output)? {
        staging.write(&f)?;
    }
    staging.commit()?;
    progress(total, total);
    let mut text = format!(
        "{} — {} ({DISCLAIMER})\n",
        sc.meta.title,
        seeds_text(m0.first_seed, total)
    );
    text.push_str(&headline_text(&bands, &sc.simulation.round_label));
    text.push_str(&format!(
        "Merged {} shards of {}\nResults in {}\n",
        m0.shards,
        home.display(),
        folder.display()
    ));
    Ok(MergeReport { folder, text })
}
