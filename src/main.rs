//! The `ceasefire` binary: parse the command line, call the library, print, and choose the exit code
//! (0 success, 1 runtime failure, 2 bad usage or invalid scenario).

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

use ceasefire::app;
use ceasefire::input::visible;
use cli::{Cli, Command};

/// Run `work` with a progress bar on stderr when it is a terminal (nothing otherwise), cleared at the end.
fn with_progress<T>(work: impl FnOnce(&(dyn Fn(u64, u64) + Sync)) -> T) -> T {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} runs ({eta} left)") {
            bar.set_style(style);
        }
        bar
    });
    let result = work(&|done, total| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result
}

/// An ensemble's `--seed S --runs N` must not pass the largest seed (S + N − 1 would wrap round to 0). Without
/// `--seed`, S is the scenario's `simulation.seed`, at most `i64::MAX`, which no `--runs` can push past `u64::MAX`.
fn check_seeds(command: &Command) -> Result<(), ceasefire::error::UsageError> {
    let ensemble = match command {
        Command::Batch(a) => &a.ensemble,
        Command::Compare(a) if a.seeds.is_none() => &a.ensemble,
        _ => return Ok(()),
    };
    match ensemble.seed {
        Some(seed) => ceasefire::error::check_seed_range(seed, ensemble.runs),
        None => Ok(()),
    }
}

/// `--shard`: K/N as given, or `slurm` read from the job array's environment.
fn resolve_shard(
    arg: Option<ceasefire::shard::ShardArg>,
) -> Result<Option<ceasefire::shard::Shard>, ceasefire::shard::ShardError> {
    use ceasefire::shard::{Shard, ShardArg};
    match arg {
        None => Ok(None),
        Some(ShardArg::Fixed(shard)) => Ok(Some(shard)),
        Some(ShardArg::Slurm) => Shard::from_slurm(|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })
        .map(Some),
    }
}

/// On Ctrl-C (SIGINT), SIGTERM (a scheduler's time limit) or SIGHUP (a closed terminal): remove this process's
/// hidden staging folders, leaving every results folder as it was, and exit 128 + the signal's number. A second
/// signal exits at once. A signal the process was started with ignored (`nohup`, a background job of a script) stays
/// ignored. Without this a signal would leave the hidden folders for the next write to the same folder to remove.
fn exit_cleanly_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|&s| !ignored_at_start(s))
        .collect();
    let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else {
        // Without a handler the signals keep their default action, and a later write cleans up.
        return;
    };
    std::thread::spawn(move || {
        let mut signals = signals.forever();
        let Some(first) = signals.next() else {
            return;
        };
        std::thread::spawn(move || {
            ceasefire::export::folder::abandon_all();
            // Nothing to do if stderr is gone (a closed terminal): the exit code says it all.
            let message = if SERVING.load(std::sync::atomic::Ordering::Relaxed) {
                "the classroom explorer stopped"
            } else {
                "interrupted: the previous results, if any, are untouched"
            };
            let _ = writeln!(std::io::stderr(), "{message}");
            std::process::exit(128 + first);
        });
        if let Some(second) = signals.next() {
            std::process::exit(128 + second);
        }
    });
}

/// Whether `signal` was ignored when the process started (Linux: the `SigIgn` mask of `/proc/self/status`;
/// elsewhere, assumed not).
fn ignored_at_start(signal: i32) -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| (1..=64).contains(&signal) && mask & (1 << (signal - 1)) != 0)
}

/// Set while `serve` runs: a signal then stops the explorer, which writes no results.
static SERVING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `ceasefire serve`: print where the explorer listens (and a warning when others can reach it), then serve until
/// stopped.
fn serve(a: cli::ServeArgs) -> ceasefire::Result<String> {
    let opts = ceasefire::serve::ServeOptions {
        scenario: a.scenario,
        bind: a.bind,
        port: a.port,
        runs: a.runs,
    };
    SERVING.store(true, std::sync::atomic::Ordering::Relaxed);
    ceasefire::serve::serve(&opts, |addr| {
        let shown = if addr.ip().is_unspecified() {
            std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
        } else {
            addr
        };
        let mut out = std::io::stdout();
        let _ = writeln!(out, "The classroom explorer is at http://{shown}/ (Ctrl-C stops it)");
        if !ceasefire::serve::is_local(addr.ip()) {
            let _ = writeln!(
                std::io::stderr(),
                "warning: listening on {addr}: anyone on this network can use the explorer (students open http://<this machine's name or IP address>:{}/)",
                addr.port()
            );
        }
        let _ = out.flush();
    })
    .map(|()| String::new())
}

fn main() -> ExitCode {
    exit_cleanly_on_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's help or error text on a closed stdout/stderr: nowhere left to report that to.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Err(e) = check_seeds(&cli.command) {
        complain(&e.to_string());
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Run(a) => app::run(&app::RunOptions {
            scenario: a.scenario,
            seed: a.seed,
            rounds: a.rounds,
            sets: a.sets,
            label: a.label,
            output: a.output.into(),
        })
        .map(|r| r.text),
        Command::Chart(a) => app::redraw(&a.results_dir, a.size),
        Command::Scenarios(a) => match a.show {
            Some(name) => app::show_scenario(&name),
            None => app::list_scenarios(),
        },
        Command::New(a) => app::new_scenario(&a.name, &a.out),
        Command::Schema(a) if a.experiment => app::experiment_schema(),
        Command::Schema(_) => app::schema(),
        Command::Sweep(a) => with_progress(|progress| {
            app::sweep::sweep(
                &app::sweep::SweepOptions {
                    experiment: a.experiment,
                    threads: a.threads,
                    shard: resolve_shard(a.shard)?,
                    output: a.output.into(),
                },
                progress,
            )
            .map(|r| r.text)
        }),
        Command::Sensitivity(a) => with_progress(|progress| {
            app::sensitivity::sensitivity(
                &app::sensitivity::SensitivityOptions {
                    experiment: a.experiment,
                    method: match a.method {
                        cli::Method::Sobol => app::sensitivity::Method::Sobol,
                        cli::Method::Morris => app::sensitivity::Method::Morris,
                    },
                    samples: a.samples,
                    threads: a.threads,
                    shard: resolve_shard(a.shard)?,
                    output: a.output.into(),
                },
                progress,
            )
            .map(|r| r.text)
        }),
        Command::Serve(a) => serve(a),
        Command::Batch(a) => with_progress(|progress| {
            app::batch::batch(
                &app::batch::BatchOptions {
                    scenario: a.scenario,
                    runs: a.ensemble.runs,
                    seed: a.ensemble.seed,
                    rounds: a.rounds,
                    threads: a.ensemble.threads,
                    sets: a.sets,
                    label: a.label,
                    drawn: a.drawn,
                    shard: resolve_shard(a.shard)?,
                    output: a.output.into(),
                },
                progress,
            )
            .map(|r| r.text)
        }),
        Command::Merge(a) => with_progress(|progress| {
            app::merge::merge(
                &app::merge::MergeOptions {
                    dirs: a.dirs,
                    out: a.out,
                    charts: !a.no_charts,
                    size: a.size,
                },
                progress,
            )
            .map(|r| r.text)
        }),
        Command::Compare(a) if a.label.is_some() => {
            Err(ceasefire::error::UsageError::CompareLabel.into())
        }
        Command::Compare(a) => with_progress(|progress| {
            app::compare::compare(
                &app::compare::CompareOptions {
                    scenarios: a.scenarios,
                    varies: a.varies,
                    seeds: a.seeds,
                    runs: a.ensemble.runs,
                    seed: a.ensemble.seed,
                    threads: a.ensemble.threads,
                    sets: a.sets,
                    shard: resolve_shard(a.shard)?,
                    output: a.output.into(),
                },
                progress,
            )
            .map(|r| r.text)
        }),
        Command::Validate(a) => app::validate(&a.scenarios, &a.sets),
        Command::Report(a) => app::report::report(&app::report::ReportOptions {
            scenarios: a.scenarios,
            varies: a.varies,
            runs: a.runs,
            seed: a.seed,
            sets: a.sets,
            out: a.out,
        })
        .map(|r| r.text),
    };
    // Whatever a file or an argument held, no control character but newline and tab reaches the terminal.
    match result {
        Ok(text) => match say(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Err(e) => {
            let _ = say(e.stdout());
            complain(&e.to_string());
            ExitCode::from(e.exit_code())
        }
    }
}

/// Print `text` on standard output. A reader that went away (`ceasefire … | head`) ends the program quietly, as
/// other command-line tools do; any other failure (a full disk) is a runtime failure, exit 1.
fn say(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out
        .write_all(visible(text).as_bytes())
        .and_then(|()| out.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            complain(&format!("cannot write to standard output: {e}"));
            Err(ExitCode::from(1))
        }
    }
}

/// Print an error on standard error; if even that fails, the exit code is all there is to say.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {}", visible(message));
}
