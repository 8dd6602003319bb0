//! The command line: clap derive definitions, one struct per command. Nothing here is checked beyond its type;
//! scenario checks belong to the loader.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ceasefire",
    version,
    about = "Simulate multi-party ceasefire negotiations for teaching (teaching defaults, not forecasts)",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one seed of a scenario and write its tables (and charts) to OUT/<id>/seed-<N>/
    Run(RunArgs),
    /// Check scenario files and report every problem with its line and column
    Validate(ValidateArgs),
    /// Run many seeds in parallel: bands across seeds, probabilities with 95 % intervals
    Batch(BatchArgs),
    /// Put the shards of `--shard` (batch, compare, sweep, sensitivity) back together: the unsharded folder, byte for byte
    Merge(MergeArgs),
    /// Compare scenarios (or --vary variants) over the same seeds, or one scenario over --seeds
    Compare(CompareArgs),
    /// Write a one-file HTML handout comparing a baseline with variants, for a class (OUT/<id>/report--….html)
    Report(ReportArgs),
    /// Sweep an experiment's factors over their full factorial, every point on the same seeds (sweep.csv, charts)
    Sweep(SweepArgs),
    /// Global sensitivity analysis of an experiment (Sobol or Morris), with SALib-checkable files
    Sensitivity(SensitivityArgs),
    /// Redraw the charts of a run, batch, compare, sweep or sensitivity folder from its files alone
    Chart(ChartArgs),
    /// List the bundled scenarios and what each teaches
    Scenarios(ScenariosArgs),
    /// Write a commented template scenario NAME.toml to start from
    New(NewArgs),
    /// Print a JSON Schema of the scenario format (or, with --experiment, of experiment files)
    Schema(SchemaArgs),
    /// The classroom explorer in a browser: change one thing, see the baseline and the variant over the same seeds
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A .toml file or a bundled scenario to open first (every bundled scenario is offered too)
    pub scenario: Option<String>,
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 8017)]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 lets other machines on that network use the explorer
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Seeds per answer (the page can ask for others, up to 10000)
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of experiment files (`ceasefire sweep`, `ceasefire sensitivity`) instead
    #[arg(long)]
    pub experiment: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// An experiment file (.toml; see docs/experiments.md)
    pub experiment: String,
    /// Worker threads, at most 256 (default 0: every core); results are identical for any number
    #[arg(long, default_value_t = 0, value_parser = threads)]
    pub threads: usize,
    /// Evaluate only shard K of N of the design points, each with all its seeds (K/N, or `slurm` for the task of a
    /// job array). Writes a partial folder OUT/<id>/sweep--<experiment>.shards/shard-K-of-N/; `ceasefire merge` puts
    /// the shards together. See docs/cluster.md
    #[arg(long, value_name = "K/N|slurm", value_parser = shard_arg)]
    pub shard: Option<ceasefire::shard::ShardArg>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// An experiment file (.toml; see docs/experiments.md)
    pub experiment: String,
    /// sobol: first- and total-order indices (Saltelli's design); morris: elementary effects (μ, μ*, σ)
    #[arg(long, value_enum, default_value_t = Method::Sobol)]
    pub method: Method,
    /// Sobol: N base rows (a power of two; N × (factors + 3) design points with the dummy); Morris: r trajectories
    /// (r × (factors + 2) points). Default: the experiment's [sobol] samples or [morris] trajectories
    #[arg(long)]
    pub samples: Option<usize>,
    /// Worker threads, at most 256 (default 0: every core); results are identical for any number
    #[arg(long, default_value_t = 0, value_parser = threads)]
    pub threads: usize,
    /// Evaluate only shard K of N of the design points, each with all its seeds (K/N, or `slurm` for the task of a
    /// job array). Writes a partial folder OUT/<id>/<method>-<N>--<experiment>.shards/shard-K-of-N/; `ceasefire
    /// merge` puts the shards together. See docs/cluster.md
    #[arg(long, value_name = "K/N|slurm", value_parser = shard_arg)]
    pub shard: Option<ceasefire::shard::ShardArg>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    Sobol,
    Morris,
}

#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// Print the TOML of this bundled scenario
    #[arg(long, value_name = "NAME")]
    pub show: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Scenario id: lowercase letters, digits, '-' and '_', not starting with '-'
    pub name: String,
    /// Folder to write NAME.toml into
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// A .toml file or the name of a bundled scenario
    #[arg(default_value = "astana-2017")]
    pub scenario: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Number of rounds (overrides `simulation.rounds`)
    #[arg(long)]
    pub rounds: Option<u32>,
    /// Override a field before validation (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Name this variant, e.g. --label "Iran as observer": its folder becomes <seed folder>--iran-as-observer and its
    /// charts and summary.json carry the name (without it, a run with overrides goes to <seed folder>--variant-<hash>)
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
    /// Add to runs.csv, after its other columns, one column per distribution-valued field (`{ dist = … }`; fixed
    /// numbers get none), named by its --set path (e.g. actors.GOV.capability, actors.GOV.ideal.scope): the value each
    /// seed drew, as that seed's drawn.toml has it. Actors in file order, each actor's fields in the order of
    /// docs/scenario-format.md (per-dimension fields in dimension order). A scenario without distributions gets no
    /// extra column
    #[arg(long)]
    pub drawn: bool,
    /// Run only shard K of N of the seeds (1 ≤ K ≤ N ≤ 10000; shard K takes runs ⌊(K−1)·R/N⌋ to ⌊K·R/N⌋ − 1, run j
    /// keeping seed S+j), or `slurm` for the task of a job array (K = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1,
    /// N = SLURM_ARRAY_TASK_COUNT). Writes a partial folder OUT/<id>/batch-S-R[--variant].shards/shard-K-of-N/ (no
    /// charts); `ceasefire merge` puts the shards together. See docs/cluster.md
    #[arg(long, value_name = "K/N|slurm", value_parser = shard_arg)]
    pub shard: Option<ceasefire::shard::ShardArg>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--shard`: K/N or `slurm`.
fn shard_arg(text: &str) -> Result<ceasefire::shard::ShardArg, String> {
    ceasefire::shard::parse_arg(text).map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard folders (shard-K-of-N, as `--shard` wrote them), or the folder holding them (e.g.
    /// OUT/<id>/batch-S-R[--variant].shards). Every shard 1..N must be there exactly once, all of the same command,
    /// scenario (or comparison, or experiment), overrides, seeds and version; otherwise nothing is written (exit 2)
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output folder OUT, as the sharded command's --out: the merged folder goes where that command writes under it,
    /// e.g. OUT/<id>/batch-S-R[--variant]/ (default: beside the folder holding the shards, where the unsharded command
    /// would have written it)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Do not draw charts
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels (shards draw no charts: give the --size the unsharded command would have had)
    #[arg(long, default_value = "1600x900", value_parser = ceasefire::app::parse_size)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenarios (.toml files or bundled names); the first is the baseline
    #[arg(required = true)]
    pub scenarios: Vec<String>,
    /// Add a variant of the first scenario: an optional label, then overrides separated by `;`, e.g.
    /// 'Iran observer: actors.IRN.role="observer"' (repeatable)
    #[arg(long = "vary", value_name = "[LABEL:] PATH=VALUE[;PATH=VALUE]")]
    pub varies: Vec<String>,
    /// Not an option of compare: refused with a hint to label each --vary
    #[arg(long, hide = true, value_name = "NAME")]
    pub label: Option<String>,
    /// Compare one scenario across these seeds instead, e.g. --seeds 1,2,3 (each seed once; not with --runs or --seed)
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["runs", "seed"])]
    pub seeds: Option<Vec<u64>>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Override a field of every scenario before validation (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Run only shard K of N of the seeds, every variant on each (K/N, or `slurm` for the task of a job array; not
    /// with --seeds). Writes a partial folder OUT/compare-….shards/shard-K-of-N/; `ceasefire merge` puts the shards
    /// together. See docs/cluster.md
    #[arg(long, value_name = "K/N|slurm", value_parser = shard_arg)]
    pub shard: Option<ceasefire::shard::ShardArg>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenarios (.toml files or bundled names); the first is the baseline, each other one a variant
    #[arg(required = true)]
    pub scenarios: Vec<String>,
    /// Add a variant of the first scenario: an optional label, then overrides separated by `;`, e.g.
    /// 'Iran as observer: actors.IRN.role="observer"' (repeatable)
    #[arg(long = "vary", value_name = "[LABEL:] PATH=VALUE[;PATH=VALUE]")]
    pub varies: Vec<String>,
    /// Number of seeds (runs), the same for every side
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// First seed S (run j uses seed S+j; default: the baseline's `simulation.seed`); the history shown is seed S
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override a field of every scenario before validation (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output folder
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// A results folder, e.g. output/astana-2017/seed-20170504
    pub results_dir: PathBuf,
    /// Chart size in pixels
    #[arg(long, default_value = "1600x900", value_parser = ceasefire::app::parse_size)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A .toml file or the name of a bundled scenario
    #[arg(default_value = "astana-2017")]
    pub scenario: String,
    /// Seed (default: the scenario's `simulation.seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of rounds (overrides `simulation.rounds`)
    #[arg(long)]
    pub rounds: Option<u32>,
    /// Override a field before validation, e.g. --set actors.IRN.capability=0.4 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Name this variant, e.g. --label "Iran as observer": its folder becomes <seed folder>--iran-as-observer and its
    /// charts and summary.json carry the name (without it, a run with overrides goes to <seed folder>--variant-<hash>)
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// .toml files or bundled scenario names
    #[arg(required = true)]
    pub scenarios: Vec<String>,
    /// Override a field before validation (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
}

/// Where results go and how charts are drawn (run, batch, compare).
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output folder
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Do not draw charts
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels
    #[arg(long, default_value = "1600x900", value_parser = ceasefire::app::parse_size)]
    pub size: (u32, u32),
}

impl From<OutputArgs> for ceasefire::app::Output {
    fn from(a: OutputArgs) -> Self {
        ceasefire::app::Output {
            out: a.out,
            charts: !a.no_charts,
            size: a.size,
        }
    }
}

/// The most worker threads `--threads` takes: far more than the cores of any machine this runs on (results are the
/// same for any number, so more threads than cores only cost memory and start-up time), and far below the
/// process limits that an unbounded number ran into.
pub const MAX_THREADS: usize = 256;

/// `--threads`: 0 (every core) to [`MAX_THREADS`].
fn threads(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of threads from 0 to {MAX_THREADS}"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "at most {MAX_THREADS} threads (0 uses every core; results are identical for any number)"
        ));
    }
    Ok(n)
}

/// The seeds of an ensemble (batch, compare).
#[derive(Debug, Args)]
pub struct EnsembleArgs {
    /// Number of seeds (runs); a comparison runs every variant on the same seeds
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// First seed S (run j uses seed S+j; default: the (first) scenario's `simulation.seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, at most 256 (default 0: every core); results are identical for any number
    #[arg(long, default_value_t = 0, value_parser = threads)]
    pub threads: usize,
}
