//! The library's errors, and the exit code each maps to: 2 for what the user asked wrongly, 1 for what failed.

use std::path::PathBuf;

use crate::chart::{ChartError, ReadError};
use crate::export::ExportError;
use crate::scenario::ScenarioError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),

    #[error(transparent)]
    Usage(#[from] UsageError),

    /// Shards that cannot be made (`batch --shard`) or merged (`merge`).
    #[error(transparent)]
    Shard(Box<crate::shard::ShardError>),

    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A folder given to `ceasefire chart` that is not a results folder `ceasefire` wrote.
    #[error("cannot read `{}`: {source}", path.display())]
    Results {
        path: PathBuf,
        #[source]
        source: Box<ReadError>,
    },

    /// An output that cannot be serialized.
    #[error("cannot write `{file}`: {source}")]
    Export {
        file: String,
        #[source]
        source: ExportError,
    },

    /// Charts that cannot be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),

    /// The worker threads of an ensemble cannot start (the reason as the thread pool gives it).
    #[error("{reason}")]
    Threads { reason: String },
}

impl From<crate::shard::ShardError> for Error {
    fn from(e: crate::shard::ShardError) -> Self {
        Error::Shard(Box::new(e))
    }
}

/// What the user asked wrongly, beyond the scenario itself (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("--runs must be between 1 and {max}, found {runs}")]
    Runs { runs: u64, max: u64 },

    #[error(
        "--runs must be between 1 and {max} with {count} shards, found {runs} (each shard runs at most {per_shard}, and a sharded ensemble at most {most} in all: {fix})",
        per_shard = crate::app::batch::MAX_RUNS,
        most = crate::app::batch::MAX_SHARDED_RUNS,
        fix = if *max < crate::app::batch::MAX_SHARDED_RUNS { "use more shards" } else { "use fewer runs" }
    )]
    ShardedRuns { runs: u64, max: u64, count: u64 },

    /// Seeds S..S+N−1 that would pass the largest seed (and wrap round to 0).
    #[error(
        "--seed {seed} with --runs {runs} would need seeds up to {}, past the largest seed {}; give --seed at most {} or --runs at most {}",
        *seed as u128 + (*runs as u128).saturating_sub(1),
        u64::MAX,
        u64::MAX - runs.saturating_sub(1),
        (u64::MAX - seed).saturating_add(1)
    )]
    SeedRange { seed: u64, runs: u64 },

    /// `fix` says how to ask for fewer rounds with the command at hand (`--rounds` for `batch`, `--set
    /// simulation.rounds=N` for `compare`, which has no `--rounds`).
    #[error(
        "ensembles keep per-round histograms, so they are limited to {max} rounds; `{scenario}` has {rounds} ({fix})"
    )]
    EnsembleRounds {
        scenario: String,
        rounds: u32,
        max: u32,
        fix: &'static str,
    },

    /// A live answer (`serve`, `report`) that would cost too much: `runs` seeds of both sides.
    #[error(
        "{runs} seeds of {rounds} rounds, for both sides, pass the {max} rounds one live answer may simulate; ask for fewer seeds or rounds, or use `ceasefire compare` for a long run"
    )]
    LiveWork { runs: u64, rounds: u32, max: u64 },

    /// A sensitivity analysis that cannot be designed or computed as asked (its reason).
    #[error("{0}")]
    Sensitivity(String),

    /// An experiment's design too large to run: `what` names the design ("the sweep's full factorial").
    #[error(
        "{what} has {points} design points × {seeds} seeds = {} runs; the limits are {max_points} points and {max_runs} runs (fewer levels, steps, samples or seeds)",
        points.saturating_mul(*seeds)
    )]
    Design {
        what: String,
        points: u64,
        seeds: u64,
        max_points: u64,
        max_runs: u64,
    },

    #[error(
        "cannot listen on {addr}: {reason}; choose another --port (or --port 0 for any free one)"
    )]
    Bind { addr: String, reason: String },

    #[error("compare takes at most {max} variants (scenarios and --vary together), found {found}")]
    Variants { found: usize, max: usize },

    #[error("compare needs at least one scenario")]
    NoScenario,

    #[error(
        "compare needs two scenarios, or one scenario with --vary 'PATH=VALUE' (or --seeds 1,2,3)"
    )]
    NothingToCompare,

    #[error(
        "a report compares the first scenario with at least one variant: give a second scenario, or --vary 'LABEL: PATH=VALUE', e.g. --vary 'Iran as observer: actors.IRN.role=observer'"
    )]
    NothingToReport,

    #[error(
        "--vary '{vary}' changes nothing; give one or more PATH=VALUE separated by ';', e.g. --vary 'actors.IRN.role=\"observer\"'"
    )]
    EmptyVary { vary: String },

    #[error(
        "the variant `{label}` would share the name `{name}` (its files, its folder) with `{first}`; give it a label that differs in letters or digits, e.g. --vary '{label} 2: …'"
    )]
    SameName {
        label: String,
        first: String,
        name: String,
    },

    #[error(
        "--vary '{vary}': `{label} {field}` is not a field path; to name the variant, end its label with a colon: --vary '{label}: {field}=…'"
    )]
    LabelColon {
        vary: String,
        label: String,
        field: String,
    },

    #[error(
        "compare has no --label: name each variant in its --vary, e.g. --vary 'Iran observer: actors.IRN.role=\"observer\"' (a scenario given by name is named by its id)"
    )]
    CompareLabel,

    #[error("the label `{label}` cannot name a variant: {why}")]
    Label { label: String, why: String },

    #[error("--seeds compares one scenario across seeds; give exactly one scenario and no --vary")]
    SeedsOfOneScenario,

    #[error(
        "--shard splits the seeds of an ensemble (--runs); `compare --seeds` runs a few seeds on one machine, so it takes no --shard"
    )]
    ShardSeeds,

    #[error("--seeds takes 1 to {max} seeds, found {found}")]
    SeedCount { found: usize, max: usize },

    #[error("--seeds lists seed {seed} twice (again as seed number {at}); give each seed once")]
    RepeatedSeed { seed: u64, at: usize },

    /// `validate` found invalid scenarios: every problem of each, one report per file (the valid files' lines are in
    /// `valid`, for standard output).
    #[error("{}", errors.join("\nerror: "))]
    Invalid { valid: String, errors: Vec<String> },

    #[error("no bundled scenario named `{name}`; bundled: {}", bundled.join(", "))]
    NoSuchBundled {
        name: String,
        bundled: Vec<&'static str>,
    },

    #[error(
        "`{name}` cannot be a scenario id: use 1 to 64 lowercase letters, digits, '-' or '_' (it names the output folder)"
    )]
    ScenarioId { name: String },

    #[error("{} already exists; choose another name or --out", path.display())]
    Exists { path: PathBuf },
}

/// Check that the seeds `first..first + runs` of an ensemble exist: `first + runs − 1` must not pass `u64::MAX`,
/// which would wrap round to seed 0 (`runs` = 0 is left to the check of `--runs`).
pub fn check_seed_range(first: u64, runs: u64) -> std::result::Result<(), UsageError> {
    match runs.checked_sub(1) {
        Some(last) if first.checked_add(last).is_none() => {
            Err(UsageError::SeedRange { seed: first, runs })
        }
        _ => Ok(()),
    }
}

/// A `--size` that is not `WIDTHxHEIGHT` within bounds (clap reports it, exit 2).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    #[error("expected WIDTHxHEIGHT such as 1600x900, found `{0}`")]
    Form(String),
    #[error("bad width in `{0}`")]
    Width(String),
    #[error("bad height in `{0}`")]
    Height(String),
    #[error("chart size {0}x{1} is outside 320x240 ..= 8000x8000")]
    Bounds(u32, u32),
}

impl Error {
    /// 2: bad usage or invalid input; 1: a runtime failure (I/O, a chart that cannot be drawn, threads that cannot
    /// start).
    /// What a failed command still has to say on standard output (the valid files of a `validate`).
    pub fn stdout(&self) -> &str {
        match self {
            Error::Usage(UsageError::Invalid { valid, .. }) => valid,
            _ => "",
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Shard(_) | Error::Results { .. } => 2,
            Error::Write { .. }
            | Error::Export { .. }
            | Error::Chart(_)
            | Error::Threads { .. } => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_range_check_refuses_exactly_the_ranges_that_wrap_and_its_message_never_overflows() {
        assert!(check_seed_range(u64::MAX, 1).is_ok());
        assert!(check_seed_range(u64::MAX - 2, 3).is_ok());
        assert!(check_seed_range(0, u64::MAX).is_ok());
        assert!(check_seed_range(u64::MAX - 1, 3).is_err());
        assert!(check_seed_range(1, u64::MAX).is_ok());
        assert!(check_seed_range(2, u64::MAX).is_err());
        // Formatting any value the variant can hold, refused or not, must not overflow.
        for (seed, runs) in [(0, 0), (0, u64::MAX), (u64::MAX, u64::MAX), (u64::MAX, 0)] {
            let _ = UsageError::SeedRange { seed, runs }.to_string();
        }
        let text = check_seed_range(u64::MAX - 1, 3).unwrap_err().to_string();
        assert!(
            text.contains("up to 18446744073709551616")
                && text.contains("--seed at most 18446744073709551613")
                && text.contains("--runs at most 2"),
            "{text}"
        );
    }
}
