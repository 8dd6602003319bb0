//! The `ceasefire` binary: parse the command line, call the library, print, and choose the exit code
//! (0 success, 1 runtime failure, 2 bad usage or invalid scenario).

mod cli;

use std::process::ExitCode;

use clap::Parser;

use ceasefire::app;
use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run(a) => app::run(&app::RunOptions {
            scenario: a.scenario,
            seed: a.seed,
            rounds: a.rounds,
            sets: a.sets,
            out: a.out,
            charts: !a.no_charts,
            size: a.size,
        })
        .map(|r| r.text),
        Command::Chart(a) => app::redraw(&a.results_dir, a.size),
        Command::Validate(a) => app::validate(&a.scenarios, &a.sets),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
