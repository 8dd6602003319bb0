//! The commands, as library functions: each takes validated arguments, does its work, and returns the text to
//! show. `main.rs` maps their errors to exit codes.

pub mod batch;
pub mod compare;
pub mod merge;
pub mod report;
pub mod sensitivity;
pub mod sweep;
pub mod variant;

use std::path::{Path, PathBuf};

use crate::chart::{self, ChartError, ReadError, RunData};
use crate::error::{Error, Result, SizeError, UsageError};
use crate::export::{self, RunView};
use crate::scenario::overrides::Set;
use crate::scenario::{self, Scenario};
use crate::summary::Summary;

/// Where results go and how charts are drawn (run, batch, compare).
#[derive(Clone, Debug)]
pub struct Output {
    /// The output folder; results land in a subfolder named after the scenario and seed(s).
    pub out: PathBuf,
    pub charts: bool,
    /// Chart size in pixels (width, height).
    pub size: (u32, u32),
}

/// Options of `ceasefire run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub scenario: String,
    pub seed: Option<u64>,
    pub rounds: Option<u32>,
    pub sets: Vec<String>,
    /// The variant's name (`--label`), in its folder's name, its charts and its `summary.json`.
    pub label: Option<String>,
    pub output: Output,
}

/// What `run` did.
#[derive(Clone, Debug)]
pub struct RunReport {
    pub folder: PathBuf,
    pub text: String,
    pub summary: Summary,
}

/// Load a scenario with `--set` overrides, an optional `--rounds` and an optional `--label`.
pub fn load(
    name: &str,
    sets: &[String],
    rounds: Option<u32>,
    label: Option<&str>,
) -> Result<Scenario> {
    let label = label.map(variant::check_label).transpose()?;
    let mut given = Set::flags(sets);
    if let Some(r) = rounds {
        given.push(Set {
            text: format!("simulation.rounds={r}"),
            shown: format!("--rounds {r}"),
        });
    }
    let mut sc = scenario::load_path_given(name, &given)?;
    // A label given now names the variant, over any `meta.variant` of the file.
    if label.is_some() {
        sc.label = label;
    }
    Ok(sc)
}

/// The folder of a single run: `seed-N` for the scenario as written, `seed-N--<label or hash>` for a variant (see
/// [`variant`]).
pub fn run_folder(out: &Path, scenario: &Scenario, seed: u64) -> PathBuf {
    out.join(&scenario.meta.id)
        .join(format!("seed-{seed}{}", variant::folder_suffix(scenario)))
}

/// `ceasefire run`: one seed, five tables (and charts), a short summary.
pub fn run(opts: &RunOptions) -> Result<RunReport> {
    let sc = load(
        &opts.scenario,
        &opts.sets,
        opts.rounds,
        opts.label.as_deref(),
    )?;
    let seed = opts.seed.unwrap_or(sc.simulation.seed);
    let trace = crate::engine::run(&sc, seed);
    let summary = Summary::new(&sc, &trace);
    let view = RunView {
        scenario: &sc,
        trace: &trace,
        summary: &summary,
    };
    let mut files = export::run_files(&view)?;
    if opts.output.charts {
        let charts = charts_for(&files, opts.output.size)?;
        files.extend(charts);
    }
    let folder = run_folder(&opts.output.out, &sc, seed);
    export::write_folder(&folder, &files)?;
    let mut text = summary.human(&sc);
    text.push_str(&unchanged_note(opts.label.as_deref(), &sc));
    text.push_str(&format!("Results in {}\n", folder.display()));
    Ok(RunReport {
        folder,
        text,
        summary,
    })
}

/// A note when `--label` names a run or batch that changes nothing: its folder looks like a variant's.
pub(crate) fn unchanged_note(label: Option<&str>, sc: &Scenario) -> String {
    match label {
        Some(label) if sc.overrides.is_empty() => format!(
            "Note: --label \"{}\" names the scenario as written (no --set or --rounds changed it).\n",
            crate::input::visible(label.trim())
        ),
        _ => String::new(),
    }
}

/// `ceasefire validate`: check each scenario; the text lists the valid ones, the error holds every problem.
pub fn validate(names: &[String], sets: &[String]) -> Result<String> {
    let mut ok = String::new();
    let mut failures = Vec::new();
    for name in names {
        match scenario::load_path(name, sets) {
            Ok(sc) => ok.push_str(&format!(
                "{name}: valid ({}, {}, {}, {})\n",
                count(sc.actors.len(), "actor"),
                count(sc.dimensions.len(), "dimension"),
                count(sc.modules.len(), "module"),
                count(sc.simulation.rounds as usize, "round"),
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() {
        Ok(ok)
    } else {
        Err(UsageError::Invalid {
            valid: ok,
            errors: failures,
        }
        .into())
    }
}

/// "1 module", "3 modules".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn text_of<'a>(files: &'a [export::OutFile], name: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.name == name)
        .and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .unwrap_or_default()
}

/// The charts of a run, drawn from its own files (exactly what `ceasefire chart` reads back).
fn charts_for(
    files: &[export::OutFile],
    size: (u32, u32),
) -> std::result::Result<Vec<export::OutFile>, ChartError> {
    let data = RunData::parse(
        text_of(files, "rounds.csv"),
        text_of(files, "actors.csv"),
        text_of(files, "events.csv"),
        text_of(files, "summary.json"),
        text_of(files, "drawn.toml"),
    )?;
    chart::run_charts(&data, size)
}

/// A chart error of `ceasefire chart DIR`: files that cannot be read back are the folder's fault (the user's), a
/// chart that cannot be drawn is a runtime failure.
fn redraw_error(dir: &Path) -> impl FnOnce(ChartError) -> Error + '_ {
    move |e| match e {
        ChartError::Read(source) => Error::Results {
            path: dir.to_path_buf(),
            source,
        },
        e @ ChartError::Draw { .. } => Error::Chart(e),
    }
}

/// The most bytes `ceasefire chart` reads back of each file of a results folder: above what the largest run within
/// the limits writes (2,000 actors × 2,500 rounds write a 621 MB `actors.csv`, a 124 MB `events.csv`, a 0.6 MB
/// `rounds.csv` and a 0.8 MB `drawn.toml`), so that a crafted folder cannot cost more than a real one.
pub const MAX_RESULTS_FILE_BYTES: [(&str, u64); 8] = [
    ("actors.csv", 1 << 30),
    ("events.csv", 512 << 20),
    ("rounds.csv", 256 << 20),
    ("bands.csv", 64 << 20),
    ("drawn.toml", 16 << 20),
    ("summary.json", 16 << 20),
    // A sweep of a million design points with every factor and output.
    ("sweep.csv", 512 << 20),
    ("indices.csv", 16 << 20),
];

/// The read-back bound of one file of a results folder (see [`MAX_RESULTS_FILE_BYTES`]).
pub fn results_file_limit(name: &str) -> u64 {
    MAX_RESULTS_FILE_BYTES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(16 << 20, |(_, max)| *max)
}

/// `ceasefire chart RESULTS_DIR`: redraw the charts of a results folder from its files alone.
///
/// The whole folder is staged (its files kept by hard link, pinned as they are now), the charts are drawn from that
/// copy and written into it, and the copy replaces the folder. So a `run` or `batch` writing the same folder at the
/// same time comes either before (its data is charted) or after (it replaces the lot), and nothing is ever half
/// redrawn. A folder that holds the current directory has only its `charts/` swapped, so that the shell's working
/// directory stays where it is.
pub fn redraw(dir: &Path, size: (u32, u32)) -> Result<String> {
    let refuse = |why: ReadError| Error::Results {
        path: dir.to_path_buf(),
        source: Box::new(why),
    };
    let not_a_folder = || {
        refuse(if std::fs::symlink_metadata(dir).is_err() {
            ReadError::NoSuchFolder
        } else {
            ReadError::NotAFolder
        })
    };
    if !dir.is_dir() {
        return Err(not_a_folder());
    }
    let comparison = dir.join("compare.md").is_file();
    let experiment = dir.join("sweep.csv").is_file() || dir.join("indices.csv").is_file();
    if !comparison
        && !experiment
        && !dir.join("rounds.csv").is_file()
        && !dir.join("bands.csv").is_file()
    {
        return Err(refuse(ReadError::NotResults));
    }
    let real = std::fs::canonicalize(dir).map_err(|_| not_a_folder())?;
    let holds_cwd = std::env::current_dir().is_ok_and(|cwd| cwd.starts_with(&real));
    let (staging, source, prefix) = if holds_cwd {
        let staging = export::Staging::refresh(&real.join("charts"))?;
        (staging, real.clone(), "charts/")
    } else {
        let staging = export::Staging::refresh(&real)?;
        let source = staging.dir().to_path_buf();
        (staging, source, "")
    };
    // Each file is read within a bound (a regular file, no control character in its texts), so a crafted folder
    // cannot make the redraw read without end.
    let read = |name: &'static str| -> Result<String> {
        // The error names the file itself.
        chart::read::read_back(&source, name, results_file_limit(name)).map_err(|source| {
            Error::Results {
                path: dir.to_path_buf(),
                source: Box::new(source),
            }
        })
    };
    let charts = if comparison {
        // Any file of the folder, by the name its summary.json gives (checked there), within its bound; summary.json
        // itself with its texts checked, as every summary.json is read back.
        let read_folder = |name: &str| -> std::result::Result<String, ReadError> {
            if name == "summary.json" {
                return chart::read::read_back(&source, "summary.json", results_file_limit(name));
            }
            let bound = if name.starts_with("bands-") {
                "bands.csv"
            } else {
                name
            };
            crate::input::read_limited_text(&source.join(name), results_file_limit(bound)).map_err(
                |source| ReadError::Input {
                    file: name.to_string(),
                    source,
                },
            )
        };
        let charts = if source.join("agreement.csv").is_file() {
            compare::seeds_charts
        } else {
            compare::compare_charts
        };
        charts(&read_folder, size).map_err(redraw_error(dir))?
    } else if experiment && source.join("sweep.csv").is_file() {
        chart::experiment::sweep_charts(&read("sweep.csv")?, &read("summary.json")?, size)
            .map_err(redraw_error(dir))?
    } else if experiment {
        chart::experiment::sensitivity_charts(&read("indices.csv")?, &read("summary.json")?, size)
            .map_err(redraw_error(dir))?
    } else if batch::is_batch_folder(&source) && !source.join("rounds.csv").exists() {
        batch::batch_charts(&read("bands.csv")?, &read("summary.json")?, size)
            .map_err(redraw_error(dir))?
    } else {
        let data = RunData::parse(
            &read("rounds.csv")?,
            &read("actors.csv")?,
            &read("events.csv")?,
            &read("summary.json")?,
            &read("drawn.toml")?,
        )
        .map_err(|source| Error::Results {
            path: dir.to_path_buf(),
            source: Box::new(source),
        })?;
        chart::run_charts(&data, size)?
    };
    if charts.is_empty() && experiment {
        // A sweep of three factors or more has no charts: nothing to redraw, and nothing is touched.
        drop(staging);
        return Ok(format!(
            "{} has no charts: a sweep draws them for one or two factors (sweep.csv holds every point)\n",
            dir.display()
        ));
    }
    for f in &charts {
        let name = f.name.strip_prefix(prefix).unwrap_or(&f.name);
        staging.write_bytes(name, &f.bytes)?;
    }
    staging.commit()?;
    Ok(format!(
        "Redrew {} charts in {}\n",
        charts.len() / 2,
        dir.join("charts").display()
    ))
}

/// Parse `WxH` (e.g. `1600x900`).
pub fn parse_size(text: &str) -> std::result::Result<(u32, u32), SizeError> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| SizeError::Form(text.into()))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| SizeError::Width(text.into()))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| SizeError::Height(text.into()))?;
    if !(320..=8000).contains(&w) || !(240..=8000).contains(&h) {
        return Err(SizeError::Bounds(w, h));
    }
    Ok((w, h))
}

/// `ceasefire scenarios`: the bundled scenarios with their titles and lessons.
pub fn list_scenarios() -> Result<String> {
    let mut out = String::from("Bundled scenarios (teaching defaults, not forecasts):\n");
    for name in scenario::bundled::names() {
        let sc = scenario::load_path(name, &[])?;
        out.push_str(&format!(
            "\n{name}\n  {}\n  Lesson: {}\n",
            sc.meta.title, sc.meta.lesson
        ));
    }
    out.push_str("\nShow one with `ceasefire scenarios --show NAME`; start your own with `ceasefire new NAME`.\n");
    Ok(out)
}

/// `ceasefire scenarios --show NAME`: the TOML of a bundled scenario.
pub fn show_scenario(name: &str) -> Result<String> {
    scenario::bundled::text(name)
        .map(str::to_string)
        .ok_or_else(|| {
            UsageError::NoSuchBundled {
                name: name.into(),
                bundled: scenario::bundled::names().to_vec(),
            }
            .into()
        })
}

/// `ceasefire new NAME [--out DIR]`: write a commented template that validates as written.
pub fn new_scenario(name: &str, dir: &Path) -> Result<String> {
    let valid = crate::scenario::fields::IdRule::Scenario.allows(name);
    if !valid {
        return Err(UsageError::ScenarioId { name: name.into() }.into());
    }
    let path = dir.join(format!("{name}.toml"));
    if path.exists() {
        return Err(UsageError::Exists { path }.into());
    }
    export::write_file(&path, scenario::template::template(name).as_bytes())?;
    Ok(format!(
        "Wrote {}. Check it with `ceasefire validate {}` and run it with `ceasefire run {}`.\n",
        path.display(),
        path.display(),
        path.display()
    ))
}

/// `ceasefire schema`: the JSON Schema of scenario files.
/// `ceasefire schema --experiment`.
pub fn experiment_schema() -> Result<String> {
    pretty(&crate::experiment::json_schema())
}

fn pretty(v: &serde_json::Value) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| Error::Export {
        file: "the JSON Schema".into(),
        source: export::ExportError::Json(e),
    })?;
    s.push('\n');
    Ok(s)
}

pub fn schema() -> Result<String> {
    pretty(&scenario::schema::json_schema())
}
