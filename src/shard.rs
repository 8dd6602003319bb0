//! Sharding an ensemble across processes or machines, and the files that let the parts merge exactly
//! (`docs/cluster.md`).
//!
//! Shard K of N of an ensemble of R runs takes runs j = ⌊(K−1)·R/N⌋ .. ⌊K·R/N⌋ − 1, run j keeping seed S+j whatever
//! the split, and writes a partial folder: a [`Manifest`] (what was run, so that the merge can tell shards of
//! different ensembles apart), its rows of `runs.csv`, the scenario as it ran (`scenario.toml`) and [`Counts`], the
//! integer parts of [`Bands`]. Integers add exactly in any order; the one float sum of [`Bands`]
//! (`final_agreement_sum`) is not kept: the merge sums the final agreements again from the rows of `runs.csv`, in
//! seed order, as the unsharded batch summed them, so the merged files are the unsharded files byte for byte.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::ensemble::{BINS, Bands, Histogram};
use crate::scenario::Scenario;

/// The most shards an ensemble may be split into (a Slurm site's `MaxArraySize` is often 1001 to 10001).
pub const MAX_SHARDS: u64 = 10_000;

/// What a partial folder's `manifest.json` says its layout is; a merge refuses any other.
pub const FORMAT: &str = "ceasefire-shard/1";

/// The files of a partial folder.
pub const MANIFEST: &str = "manifest.json";
pub const RUNS: &str = "runs.csv";
pub const COUNTS: &str = "counts.json";
pub const SCENARIO: &str = "scenario.toml";

/// Shard `index` (K, from 1) of `count` (N).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// `--shard`: K/N, or `slurm` (K and N from the job array's environment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardArg {
    Fixed(Shard),
    Slurm,
}

/// The Slurm variables `--shard slurm` reads.
pub const SLURM_ID: &str = "SLURM_ARRAY_TASK_ID";
pub const SLURM_MIN: &str = "SLURM_ARRAY_TASK_MIN";
pub const SLURM_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";
/// Read when set, to refuse an array with gaps (`--array=1-9:2`, `--array=1,4,7`).
pub const SLURM_MAX: &str = "SLURM_ARRAY_TASK_MAX";
pub const SLURM_STEP: &str = "SLURM_ARRAY_TASK_STEP";

/// Why shards cannot be made or merged (exit 2). Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("--shard takes K/N (shard K of N, e.g. 3/8) or `slurm`, found `{0}`")]
    Form(String),

    #[error("--shard {index}/{count}: K must be from 1 to N ({count})")]
    Index { index: u64, count: u64 },

    #[error("--shard {index}/{count}: N must be from 1 to {MAX_SHARDS}")]
    Count { index: u64, count: u64 },

    #[error(
        "--shard slurm: {var} is not set; run inside a Slurm job array (sbatch --array=1-N), or give --shard K/N"
    )]
    SlurmMissing { var: &'static str },

    #[error("--shard slurm: {var} is `{value}`, not a whole number")]
    SlurmNumber { var: &'static str, value: String },

    #[error(
        "--shard slurm: {SLURM_ID}={id} with {SLURM_MIN}={min} and {SLURM_COUNT}={count} gives shard {} of {count}, outside 1..={count}{hint}",
        *id as i128 - *min as i128 + 1
    )]
    SlurmRange {
        id: u64,
        min: u64,
        count: u64,
        hint: &'static str,
    },

    #[error(
        "--shard slurm: {SLURM_COUNT}={count}; a job array of 1 to {MAX_SHARDS} tasks can be merged"
    )]
    SlurmCount { count: u64 },

    #[error(
        "--shard slurm: the job array has gaps ({what}); shard K is task MIN + K − 1, so use a contiguous array such as --array=1-{count}"
    )]
    SlurmGaps { what: String, count: u64 },

    #[error("merge needs at least one shard folder")]
    NoShards,

    #[error(
        "`{}` is not a shard folder: it holds no {MANIFEST} and no shard-* folders (give the folders `--shard` wrote, or the folder holding them)",
        path.display()
    )]
    NotShards { path: std::path::PathBuf },

    #[error(
        "no such folder `{}`: give the folders `--shard` wrote (shard-K-of-N), or the .shards folder holding them",
        path.display()
    )]
    NoFolder { path: std::path::PathBuf },

    #[error("cannot read `{}`: {why}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        why: String,
    },

    #[error(
        "`{}` was written by ceasefire {found}, and this is ceasefire {ours}: merge with the version that ran the shards, or run them again",
        path.display()
    )]
    Version {
        path: std::path::PathBuf,
        found: String,
        ours: &'static str,
    },

    #[error(
        "`{}` is a shard of `ceasefire {command}`, which this merge does not know (it merges batch, compare, sweep and sensitivity shards)",
        path.display()
    )]
    Command {
        path: std::path::PathBuf,
        command: String,
    },

    /// `found` and `expected`: each shard's hash and what it ran ("26ea2dfa769bc871 (astana-2017, as written)");
    /// `kind` what it ran: a scenario (batch), a comparison, an experiment.
    #[error(
        "`{}` is a shard of another {kind}: its content hash {found} differs from {expected} of `{}`; shards merge only when they ran {}",
        path.display(), first.display(), same_work(kind)
    )]
    Scenario {
        path: std::path::PathBuf,
        found: String,
        first: std::path::PathBuf,
        expected: String,
        kind: &'static str,
    },

    #[error(
        "`{}` has {what} {found}, but `{}` has {expected}; shards merge only when they split the same ensemble",
        path.display(), first.display()
    )]
    Mismatch {
        path: std::path::PathBuf,
        what: &'static str,
        found: String,
        first: std::path::PathBuf,
        expected: String,
    },

    #[error("shard {index} of {count} is given twice: `{}` and `{}`", a.display(), b.display())]
    Repeated {
        index: u64,
        count: u64,
        a: std::path::PathBuf,
        b: std::path::PathBuf,
    },

    #[error("{}", missing_text(missing, *count))]
    Missing { missing: Vec<u64>, count: u64 },

    #[error("`{}` is damaged: {why}", path.display())]
    Damaged {
        path: std::path::PathBuf,
        why: String,
    },
}

/// The numbers `start` to `end` − 1 as a message says them: "20 to 39", "none".
pub fn span(start: u64, end: u64) -> String {
    if end <= start {
        "none".to_string()
    } else {
        format!("{start} to {}", end - 1)
    }
}

/// What two shards of `kind` of work must share to merge.
fn same_work(kind: &str) -> &'static str {
    match kind {
        "comparison" => "the same scenarios and --vary variants with the same --set",
        "experiment" => {
            "the same experiment file, unchanged, and the same scenarios it names (and for sensitivity the same --method and --samples)"
        }
        _ => "the same scenario with the same --set, --label and --rounds",
    }
}

/// "shard 3 of 8 is missing", "shards 3, 5–7 of 8 are missing".
fn missing_text(missing: &[u64], count: u64) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < missing.len() {
        let start = missing[i];
        let mut end = start;
        while i + 1 < missing.len() && missing[i + 1] == end + 1 {
            i += 1;
            end = missing[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    let which = parts.join(", ");
    if missing.len() == 1 {
        format!(
            "shard {which} of {count} is missing; run it (or wait for it to finish) and merge again"
        )
    } else {
        format!(
            "shards {which} of {count} are missing ({} of {count}); run them (or wait for them to finish) and merge again",
            missing.len()
        )
    }
}

impl Shard {
    /// Shard `index` of `count`, checked (1 ≤ K ≤ N ≤ [`MAX_SHARDS`]).
    pub fn new(index: u64, count: u64) -> Result<Shard, ShardError> {
        if count == 0 || count > MAX_SHARDS {
            return Err(ShardError::Count { index, count });
        }
        if index == 0 || index > count {
            return Err(ShardError::Index { index, count });
        }
        Ok(Shard { index, count })
    }

    /// The runs j of an ensemble of `total` runs that this shard takes: ⌊(K−1)·R/N⌋ .. ⌊K·R/N⌋ (contiguous, in
    /// order, and together the shards 1..=N take 0..R exactly once).
    pub fn runs(&self, total: u64) -> Range<u64> {
        let at =
            |k: u64| (u128::from(k) * u128::from(total) / u128::from(self.count.max(1))) as u64;
        at(self.index - 1)..at(self.index)
    }

    /// The folder name of this shard's partial results: `shard-K-of-N`.
    pub fn folder_name(&self) -> String {
        format!("shard-{}-of-{}", self.index, self.count)
    }

    /// The shard of a Slurm job array task: K = `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` + 1, N =
    /// `SLURM_ARRAY_TASK_COUNT`. `var` looks a variable up (the process's environment, in `main.rs`).
    pub fn from_slurm(var: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let number = |name: &'static str| -> Result<Option<u64>, ShardError> {
            match var(name) {
                None => Ok(None),
                Some(value) => {
                    value
                        .trim()
                        .parse::<u64>()
                        .map(Some)
                        .map_err(|_| ShardError::SlurmNumber {
                            var: name,
                            value: crate::input::visible(&value).into_owned(),
                        })
                }
            }
        };
        let required =
            |name: &'static str| number(name)?.ok_or(ShardError::SlurmMissing { var: name });
        let id = required(SLURM_ID)?;
        let min = required(SLURM_MIN)?;
        let count = required(SLURM_COUNT)?;
        if let Some(step) = number(SLURM_STEP)?
            && step != 1
        {
            return Err(ShardError::SlurmGaps {
                what: format!("{SLURM_STEP}={step}"),
                count,
            });
        }
        if let Some(max) = number(SLURM_MAX)?
            && u128::from(max) + 1 != u128::from(min) + u128::from(count)
        {
            return Err(ShardError::SlurmGaps {
                what: format!(
                    "{SLURM_MIN}={min} to {SLURM_MAX}={max} is not {SLURM_COUNT}={count} tasks"
                ),
                count,
            });
        }
        if count == 0 || count > MAX_SHARDS {
            return Err(ShardError::SlurmCount { count });
        }
        let range = |hint| ShardError::SlurmRange {
            id,
            min,
            count,
            hint,
        };
        if id < min {
            return Err(range(" (the task's id is below the array's first)"));
        }
        Shard::new(id - min + 1, count).map_err(|_| range(""))
    }
}

/// `--shard`'s value parser: `K/N` or `slurm` (which is resolved from the environment when the command runs).
pub fn parse_arg(text: &str) -> Result<ShardArg, ShardError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("slurm") {
        return Ok(ShardArg::Slurm);
    }
    let form = || ShardError::Form(crate::input::visible(text).into_owned());
    let (k, n) = t.split_once('/').ok_or_else(form)?;
    let k: u64 = k.trim().parse().map_err(|_| form())?;
    let n: u64 = n.trim().parse().map_err(|_| form())?;
    Shard::new(k, n).map(ShardArg::Fixed)
}

/// The text a scenario's hash is taken over: the scenario as it ran, written back by
/// [`crate::scenario::write::to_toml`], then its overrides and label (which `summary.json` shows, so two shards with
/// different `--set` differ even where the values they set are the same).
pub fn canonical_text(scenario_toml: &str, overrides: &[String], label: Option<&str>) -> String {
    let json = |v: serde_json::Value| v.to_string();
    format!(
        "{scenario_toml}\0overrides={}\0label={}",
        json(serde_json::json!(overrides)),
        json(serde_json::json!(label))
    )
}

/// FNV-1a 64 of [`canonical_text`], as 16 hex digits.
pub fn scenario_hash(scenario_toml: &str, overrides: &[String], label: Option<&str>) -> String {
    format!(
        "{:016x}",
        crate::rng::fnv1a(&canonical_text(scenario_toml, overrides, label))
    )
}

/// The scenario text a shard keeps ([`SCENARIO`]) and its hash.
pub fn scenario_of(sc: &Scenario) -> (String, String) {
    let text = crate::scenario::write::to_toml(sc, None);
    let hash = scenario_hash(&text, &sc.overrides, sc.label.as_deref());
    (text, hash)
}

/// `manifest.json` of a partial folder: what was run, and which part of it this folder holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always "ceasefire".
    pub program: String,
    /// [`FORMAT`].
    pub format: String,
    /// The version of ceasefire that ran the shard; a merge takes only its own.
    pub version: String,
    /// The command sharded: batch, compare, sweep or sensitivity.
    pub command: String,
    /// The scenario's id.
    pub scenario: String,
    /// FNV-1a 64 of the scenario as it ran, its overrides and label ([`scenario_hash`]); of a comparison, of all its
    /// variants; of an experiment, of the experiment and the scenarios it read ([`hash_of`]).
    pub scenario_hash: String,
    pub overrides: Vec<String>,
    pub label: Option<String>,
    /// `batch --drawn`: runs.csv has the drawn columns.
    pub drawn: bool,
    /// First seed S and number of runs R of the whole ensemble.
    pub first_seed: u64,
    pub runs: u64,
    /// K and N.
    pub shard: u64,
    pub shards: u64,
    /// This shard's runs: j from `first_run` to `end_run` − 1, seeds S + j.
    pub first_run: u64,
    pub end_run: u64,
    /// The name of the folder the unsharded command writes (`batch-S-R[--variant]`, `compare-…`, `sweep--…`,
    /// `sobol-N--…`), beside the shards' folder.
    pub folder: String,
    /// `compare`: the variants, baseline first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareManifest>,
    /// `sweep` and `sensitivity`: the experiment and the design points this shard ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentManifest>,
}

/// What a shard of `compare` adds to its manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareManifest {
    /// `--set` overrides of every variant.
    pub sets: Vec<String>,
    pub variants: Vec<CompareVariant>,
}

/// One side of a comparison: its name in the files (`slug`, the scenario kept as `scenario-<slug>.toml`), its label,
/// and the scenario's own overrides and `--label`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareVariant {
    pub slug: String,
    pub label: String,
    pub scenario: String,
    pub overrides: Vec<String>,
    pub scenario_label: Option<String>,
}

/// What a shard of `sweep` or `sensitivity` adds to its manifest. Its runs (`first_run`..`end_run` of the manifest)
/// are those of its design points, each over all the experiment's seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentManifest {
    /// The experiment file as given (the merged `summary.json` names it so).
    pub file: String,
    /// `sensitivity`: `sobol` or `morris`, and its N or r.
    pub method: Option<String>,
    pub samples: Option<usize>,
    /// Seeds at every point, and the design's points: all of them, and this shard's first and end.
    pub seeds: u64,
    pub points: u64,
    pub first_point: u64,
    pub end_point: u64,
}

impl Manifest {
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.shard,
            count: self.shards,
        }
    }

    /// The runs this shard should hold, from K, N and the whole's size: a share of the runs, or of the design's
    /// points (each with all its seeds). An error says what disagrees.
    pub fn check_range(&self) -> Result<(), String> {
        let shard = Shard::new(self.shard, self.shards).map_err(|_| {
            format!(
                "it says shard {} of {}, and a shard K of N has 1 ≤ K ≤ N ≤ {MAX_SHARDS}",
                self.shard, self.shards
            )
        })?;
        let (total, start, end, what) = match &self.experiment {
            Some(e) => {
                let runs = |p: u64| p.checked_mul(e.seeds);
                if runs(e.points) != Some(self.runs)
                    || runs(e.first_point) != Some(self.first_run)
                    || runs(e.end_point) != Some(self.end_run)
                {
                    return Err(format!(
                        "its runs {} of {} are not the design points {} of {} × {} seeds",
                        span(self.first_run, self.end_run),
                        self.runs,
                        span(e.first_point, e.end_point),
                        e.points,
                        e.seeds
                    ));
                }
                (e.points, e.first_point, e.end_point, "design points")
            }
            None => (self.runs, self.first_run, self.end_run, "runs"),
        };
        let range = shard.runs(total);
        if (start, end) != (range.start, range.end) {
            return Err(format!(
                "shard {} of {} of {total} {what} takes the {what} {}, not {}",
                self.shard,
                self.shards,
                span(range.start, range.end),
                span(start, end)
            ));
        }
        Ok(())
    }

    /// Where the unsharded command writes, relative to its `--out`: `<id>/<folder>`, or `<folder>` for compare.
    pub fn relative_folder(&self) -> std::path::PathBuf {
        if self.command == "compare" {
            std::path::PathBuf::from(&self.folder)
        } else {
            std::path::Path::new(&self.scenario).join(&self.folder)
        }
    }
}

/// `points.csv` of a shard of `sweep` or `sensitivity`: each design point's [`crate::experiment::PointStats`],
/// floats as the shortest decimal that reads back the same, so the merge has them bit for bit.
pub const POINTS: &str = "points.csv";
/// `finals.csv` of a shard of `compare`: each seed's final agreement in every variant.
pub const FINALS: &str = "finals.csv";
/// `experiment.toml` and `sources.json` of a shard of `sweep` or `sensitivity`: the experiment and the scenario texts
/// it read, so that the merge reads the experiment as the shards did.
pub const EXPERIMENT: &str = "experiment.toml";
pub const SOURCES: &str = "sources.json";

/// `counts.json` of a shard of `compare`: each variant's counts and (for every variant but the baseline) the counts
/// of its pairing with the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareCounts {
    pub variants: Vec<Counts>,
    pub paired: Vec<PairedCounts>,
}

/// The integer parts of a [`crate::ensemble::Paired`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedCounts {
    pub n: u64,
    pub both: u64,
    pub base_only: u64,
    pub variant_only: u64,
    pub neither: u64,
}

impl PairedCounts {
    pub fn of(p: &crate::ensemble::Paired) -> PairedCounts {
        PairedCounts {
            n: p.n,
            both: p.both,
            base_only: p.base_only,
            variant_only: p.variant_only,
            neither: p.neither,
        }
    }

    /// A [`crate::ensemble::Paired`] with these counts and float sums 0 (the merge adds them from `finals.csv`); an
    /// error when the four cells do not add up to `n`.
    pub fn paired(&self) -> Result<crate::ensemble::Paired, String> {
        let cells = [self.both, self.base_only, self.variant_only, self.neither];
        if cells.iter().try_fold(0u64, |a, c| a.checked_add(*c)) != Some(self.n) {
            return Err(format!(
                "its pairing's cells {cells:?} do not add up to its {} runs",
                self.n
            ));
        }
        Ok(crate::ensemble::Paired {
            n: self.n,
            both: self.both,
            base_only: self.base_only,
            variant_only: self.variant_only,
            neither: self.neither,
            ..Default::default()
        })
    }
}

/// FNV-1a 64 of several texts, each ended by a NUL, as 16 hex digits: the content hash of a comparison (each
/// variant's [`canonical_text`] and names) or an experiment (its file, text, method and the scenario texts it read).
pub fn hash_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for p in parts {
        text.push_str(p);
        text.push('\0');
    }
    format!("{:016x}", crate::rng::fnv1a(&text))
}

/// One histogram of [`Counts`]: its total and its non-empty bins as (bin, count).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SparseHistogram {
    pub total: u64,
    pub bins: Vec<(usize, u32)>,
}

impl SparseHistogram {
    fn of(h: &Histogram) -> SparseHistogram {
        SparseHistogram {
            total: h.total(),
            bins: h
                .counts()
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(i, c)| (i, *c))
                .collect(),
        }
    }

    /// The histogram of `runs` values these bins hold; an error says what does not add up.
    fn histogram(&self, runs: u64) -> Result<Histogram, String> {
        let mut counts = vec![0u32; BINS];
        let mut sum = 0u64;
        for &(bin, c) in &self.bins {
            let slot = counts
                .get_mut(bin)
                .ok_or_else(|| format!("bin {bin} is past the last bin ({})", BINS - 1))?;
            if *slot != 0 {
                return Err(format!("bin {bin} is given twice"));
            }
            *slot = c;
            sum += u64::from(c);
        }
        if self.total != runs || sum != runs {
            return Err(format!(
                "a histogram holds {sum} values and says {}, not the {runs} runs",
                self.total
            ));
        }
        Ok(Histogram::from_counts(counts, self.total))
    }
}

/// `counts.json`: the integer parts of a shard's [`Bands`], which add exactly (everything but
/// `final_agreement_sum`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub rounds: usize,
    pub runs: u64,
    pub collapses: u64,
    pub ripe_rounds: u64,
    pub reached_by: Vec<u64>,
    pub in_force: Vec<u64>,
    pub reached_in: Vec<u64>,
    pub agreement: Vec<SparseHistogram>,
    pub mean_utility: Vec<SparseHistogram>,
}

impl Counts {
    pub fn of(b: &Bands) -> Counts {
        Counts {
            rounds: b.rounds,
            runs: b.runs,
            collapses: b.collapses,
            ripe_rounds: b.ripe_rounds,
            reached_by: b.reached_by.clone(),
            in_force: b.in_force.clone(),
            reached_in: b.reached_in.clone(),
            agreement: b.agreement.iter().map(SparseHistogram::of).collect(),
            mean_utility: b.mean_utility.iter().map(SparseHistogram::of).collect(),
        }
    }

    /// The [`Bands`] these counts hold, with `final_agreement_sum` 0 (the merge sums it from runs.csv); an error
    /// says what does not fit `rounds`.
    pub fn bands(&self, rounds: usize) -> Result<Bands, String> {
        if self.rounds != rounds {
            return Err(format!(
                "it counts {} rounds, the scenario has {rounds}",
                self.rounds
            ));
        }
        let lengths = [
            ("reached_by", self.reached_by.len()),
            ("in_force", self.in_force.len()),
            ("reached_in", self.reached_in.len()),
            ("agreement", self.agreement.len()),
            ("mean_utility", self.mean_utility.len()),
        ];
        if let Some((name, len)) = lengths.iter().find(|(_, len)| *len != rounds) {
            return Err(format!("{name} has {len} rounds, not {rounds}"));
        }
        let runs = self.runs;
        let over = [
            ("reached_by", &self.reached_by),
            ("in_force", &self.in_force),
            ("reached_in", &self.reached_in),
        ]
        .into_iter()
        .find_map(|(name, list)| list.iter().find(|c| **c > runs).map(|c| (name, *c)));
        if let Some((name, c)) = over {
            return Err(format!("{name} counts {c} runs of {runs}"));
        }
        let reached: u64 = self.reached_in.iter().sum();
        if reached > runs || self.ripe_rounds > runs.saturating_mul(rounds as u64) {
            return Err(format!(
                "it counts {reached} ceasefires reached and {} ripe rounds in {runs} runs of {rounds} rounds",
                self.ripe_rounds
            ));
        }
        let histograms = |list: &[SparseHistogram]| -> Result<Vec<Histogram>, String> {
            list.iter().map(|h| h.histogram(runs)).collect()
        };
        Ok(Bands {
            rounds,
            runs: self.runs,
            agreement: histograms(&self.agreement)?,
            mean_utility: histograms(&self.mean_utility)?,
            reached_by: self.reached_by.clone(),
            in_force: self.in_force.clone(),
            reached_in: self.reached_in.clone(),
            collapses: self.collapses,
            ripe_rounds: self.ripe_rounds,
            final_agreement_sum: 0.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_of_shard_parse_and_refuse() {
        assert_eq!(
            parse_arg("3/8").ok(),
            Some(ShardArg::Fixed(Shard { index: 3, count: 8 }))
        );
        assert_eq!(parse_arg("slurm").ok(), Some(ShardArg::Slurm));
        for bad in ["0/3", "4/3", "a/b", "3", "1/0", "1/10001", "-1/3", ""] {
            assert!(parse_arg(bad).is_err(), "{bad}");
        }
        assert!(parse_arg("10000/10000").is_ok());
    }

    #[test]
    fn missing_shards_are_named_in_ranges() {
        assert_eq!(
            missing_text(&[3], 8),
            "shard 3 of 8 is missing; run it (or wait for it to finish) and merge again"
        );
        assert!(missing_text(&[1, 3, 4, 5, 8], 8).starts_with("shards 1, 3–5, 8 of 8 are missing"));
    }
}
