//! `--shard K/N` of `batch`, `compare`, `sweep` and `sensitivity`, which writes one shard's partial folder, and
//! `ceasefire merge`, which puts the shards back together into the folder the unsharded command writes, byte for
//! byte (see [`crate::shard`] and `docs/cluster.md`).
//!
//! Layout: shard K of N goes to `<unsharded folder>.shards/shard-K-of-N/`, beside the folder the unsharded command
//! writes (`OUT/<id>/batch-S-R[--variant]`, `OUT/compare-…`, `OUT/<id>/sweep--…`, `OUT/<id>/<method>-N--…`), which
//! the merge writes by default.

pub mod batch;
pub mod compare;
pub mod experiment;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use batch::parse_number;

use crate::error::{Error, Result};
use crate::export::{ExportError, Staging};
use crate::input::read_limited_text;
use crate::shard::{FORMAT, MANIFEST, Manifest, Shard, ShardError};
use crate::summary::DISCLAIMER;

/// What the folder of a command's shards is called: the unsharded folder's name and this.
pub const SHARDS_SUFFIX: &str = ".shards";

/// The commands whose shards merge.
pub const COMMANDS: [&str; 4] = ["batch", "compare", "sweep", "sensitivity"];

/// The most bytes a manifest may hold.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// The folder holding the shards of the unsharded folder `unsharded`: beside it, its name and [`SHARDS_SUFFIX`].
pub fn shards_home(unsharded: &Path) -> PathBuf {
    let mut name = unsharded.file_name().unwrap_or_default().to_os_string();
    name.push(SHARDS_SUFFIX);
    unsharded.with_file_name(name)
}

pub(crate) fn json_err(file: &str) -> impl FnOnce(serde_json::Error) -> Error + '_ {
    move |e| Error::Export {
        file: file.to_string(),
        source: ExportError::from(e),
    }
}

pub(crate) fn unreadable(path: &Path, why: impl std::fmt::Display) -> Error {
    ShardError::Unreadable {
        path: path.to_path_buf(),
        why: why.to_string(),
    }
    .into()
}

pub(crate) fn damaged(path: &Path, why: impl Into<String>) -> Error {
    ShardError::Damaged {
        path: path.to_path_buf(),
        why: why.into(),
    }
    .into()
}

/// A manifest of `command` with what every command has; the caller adds the rest.
#[allow(clippy::too_many_arguments)]
pub(crate) fn manifest(
    command: &str,
    scenario: &str,
    hash: String,
    first_seed: u64,
    runs: u64,
    shard: Shard,
    taken: Range<u64>,
    folder: &Path,
) -> Manifest {
    Manifest {
        program: "ceasefire".into(),
        format: FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: command.into(),
        scenario: scenario.into(),
        scenario_hash: hash,
        overrides: Vec::new(),
        label: None,
        drawn: false,
        first_seed,
        runs,
        shard: shard.index,
        shards: shard.count,
        first_run: taken.start,
        end_run: taken.end,
        folder: folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        compare: None,
        experiment: None,
    }
}

/// A shard's partial folder being written: `<unsharded>.shards/shard-K-of-N/`, staged until [`Partial::finish`].
pub(crate) struct Partial {
    pub home: PathBuf,
    pub folder: PathBuf,
    pub staging: Staging,
    /// The merge's options that give the charts the shard's command was asked for (`--no-charts`, `--size`).
    merge_flags: String,
}

impl Partial {
    /// The partial folder of `shard` of the work whose unsharded folder is `unsharded`, written as `output` says.
    pub fn new(unsharded: &Path, shard: Shard, output: &super::Output) -> Result<Partial> {
        let home = shards_home(unsharded);
        let folder = home.join(shard.folder_name());
        let staging = Staging::new(&folder)?;
        let mut merge_flags = String::new();
        if !output.charts {
            merge_flags.push_str(" --no-charts");
        } else if output.size != crate::chart::DEFAULT_SIZE {
            merge_flags.push_str(&format!(" --size {}x{}", output.size.0, output.size.1));
        }
        Ok(Partial {
            home,
            folder,
            staging,
            merge_flags,
        })
    }

    /// Write `value` as the JSON file `name` (one line, or pretty).
    pub fn json(&self, name: &str, value: &impl Serialize, pretty: bool) -> Result<()> {
        let mut bytes = if pretty {
            serde_json::to_vec_pretty(value)
        } else {
            serde_json::to_vec(value)
        }
        .map_err(json_err(name))?;
        bytes.push(b'\n');
        self.staging.write_bytes(name, &bytes)
    }

    /// Write the manifest and move the folder into place; the text to print. `whole` says what the unsharded
    /// command runs ("seeds 1–1000"), `taken` what this shard took (`None`: nothing, as more shards than `unit`
    /// leave some empty).
    pub fn finish(
        self,
        manifest: &Manifest,
        title: &str,
        whole: &str,
        taken: Option<String>,
        unit: &str,
    ) -> Result<(PathBuf, String)> {
        self.json(MANIFEST, manifest, true)?;
        self.staging.commit()?;
        let (k, n) = (manifest.shard, manifest.shards);
        let mut text = match taken {
            Some(taken) => {
                format!("{title} — shard {k} of {n} of {whole}: {taken} ({DISCLAIMER})\n")
            }
            None => format!(
                "{title} — shard {k} of {n} of {whole}: no {unit} (there are fewer {unit} than {n} shards); its partial folder is empty\n"
            ),
        };
        text.push_str(&format!(
            "Partial results in {}\nWhen all {n} shards are done: ceasefire merge {}{}\n",
            self.folder.display(),
            self.home.display(),
            self.merge_flags
        ));
        Ok((self.folder, text))
    }
}

/// The longest line of a shard's CSV file a merge reads (a row of runs.csv is a few numbers per module, dimension
/// and drawn field).
const MAX_ROW_BYTES: u64 = 16 << 20;

/// The lines of a shard's CSV file, each checked to be whole and at most [`MAX_ROW_BYTES`] long.
pub(crate) struct Lines<'a> {
    reader: std::io::BufReader<std::fs::File>,
    path: &'a Path,
}

impl<'a> Lines<'a> {
    pub fn open(path: &'a Path) -> Result<Lines<'a>> {
        let file = std::fs::File::open(path).map_err(|e| unreadable(path, e))?;
        Ok(Lines {
            reader: std::io::BufReader::new(file),
            path,
        })
    }

    /// Read the next line (with its newline) into `line`; false at the end.
    pub fn next(&mut self, line: &mut Vec<u8>) -> Result<bool> {
        use std::io::{BufRead, Read};
        line.clear();
        let n = (&mut self.reader)
            .take(MAX_ROW_BYTES)
            .read_until(b'\n', line)
            .map_err(|e| unreadable(self.path, e))?;
        if n > 0 && line.last() != Some(&b'\n') {
            return Err(damaged(
                self.path,
                "its last line is cut short (or too long)",
            ));
        }
        Ok(n > 0)
    }

    /// The next line's comma-separated fields, as text, without its newline; `None` at the end.
    pub fn fields(&mut self, line: &mut Vec<u8>) -> Result<Option<Vec<String>>> {
        if !self.next(line)? {
            return Ok(None);
        }
        let text = std::str::from_utf8(&line[..line.len() - 1])
            .map_err(|_| damaged(self.path, "it is not UTF-8 text"))?;
        Ok(Some(text.split(',').map(str::to_string).collect()))
    }
}

/// Options of `ceasefire merge`.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// Shard folders, or folders holding `shard-*` folders.
    pub dirs: Vec<PathBuf>,
    /// Like the sharded command's `--out`: the merged folder goes where that command writes under it. Default: beside
    /// the folder holding the (first) shards.
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
pub(crate) struct Part {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

impl Part {
    /// The path of file `name` of this shard.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A command's own section of this shard's manifest (`compare`, `experiment`), or an error naming it.
    pub fn section<'a, T>(&self, section: Option<&'a T>, name: &str) -> Result<&'a T> {
        section.ok_or_else(|| damaged(&self.file(MANIFEST), format!("it has no `{name}` section")))
    }
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
        if !crate::input::exists(dir) {
            return Err(ShardError::NoFolder { path: dir.clone() }.into());
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
    if !COMMANDS.contains(&field("command")) {
        return Err(ShardError::Command {
            path,
            command: crate::input::visible(field("command")).into_owned(),
        }
        .into());
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(|e| unreadable(&path, e))?;
    Ok(Part {
        dir: dir.to_path_buf(),
        manifest,
    })
}

/// How a shard's content is named in a message: its hash, and what it ran ("26ea2dfa769bc871 (astana-2017, as
/// written)").
fn described(m: &Manifest) -> String {
    let what = match (&m.compare, &m.experiment) {
        (Some(c), _) => {
            let labels: Vec<&str> = c.variants.iter().map(|v| v.label.as_str()).collect();
            let sets = if c.sets.is_empty() {
                String::new()
            } else {
                format!("; --set {}", c.sets.join(" --set "))
            };
            format!("compare of {}{sets}", labels.join(", "))
        }
        (_, Some(e)) => format!("{} of {}", m.command, e.file),
        _ => {
            let c = crate::scenario::changes_text(m.label.as_deref(), &m.overrides);
            if c.is_empty() {
                "as written".to_string()
            } else {
                c
            }
        }
    };
    format!("{} ({}, {what})", m.scenario_hash, m.scenario)
}

/// Check that every part splits the same work as the first, that each shard is given once and none is missing;
/// the parts in shard order.
fn check_parts(parts: Vec<Part>) -> Result<Vec<Part>> {
    let first = &parts[0];
    let m0 = &first.manifest;
    let path_of = |p: &Part| p.dir.join(MANIFEST);
    // The merged folder is named by the manifest: only names the commands make, never a path.
    for (what, name) in [("scenario", &m0.scenario), ("folder", &m0.folder)] {
        if !crate::app::compare::is_variant_name(name) {
            return Err(damaged(
                &path_of(first),
                format!(
                    "its {what} `{}` is not a name ceasefire writes",
                    crate::input::visible(name)
                ),
            ));
        }
    }
    // What a shard's manifest says of the whole work, without the part that is its own.
    let whole = |m: &Manifest| {
        let mut e = m.experiment.clone();
        if let Some(e) = &mut e {
            (e.first_point, e.end_point) = (0, 0);
        }
        (m.compare.clone(), e)
    };
    for p in &parts[1..] {
        let m = &p.manifest;
        if m.command != m0.command {
            return Err(ShardError::Mismatch {
                path: path_of(p),
                what: "the command",
                found: m.command.clone(),
                first: path_of(first),
                expected: m0.command.clone(),
            }
            .into());
        }
        if m.scenario_hash != m0.scenario_hash {
            let kind = match m0.command.as_str() {
                "compare" => "comparison",
                "batch" => "scenario",
                _ => "experiment",
            };
            return Err(ShardError::Scenario {
                path: path_of(p),
                found: described(m),
                first: path_of(first),
                expected: described(m0),
                kind,
            }
            .into());
        }
        if let (Some(e), Some(e0)) = (&m.experiment, &m0.experiment)
            && e.file != e0.file
        {
            return Err(ShardError::Mismatch {
                path: path_of(p),
                what: "the experiment file",
                found: format!("`{}`", e.file),
                first: path_of(first),
                expected: format!(
                    "`{}` (run every shard with the experiment given by the same path, from the same folder)",
                    e0.file
                ),
            }
            .into());
        }
        let checks: [(&'static str, String, String); 7] = [
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
            ("scenario", m.scenario.clone(), m0.scenario.clone()),
            (
                "the design (or variants)",
                format!("{:?}", whole(m)),
                format!("{:?}", whole(m0)),
            ),
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
        m.check_range().map_err(|why| damaged(&path_of(&p), why))?;
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

/// `ceasefire merge`: check the shards, then write the folder the unsharded command writes.
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
    let folder = match &opts.out {
        Some(out) => out.join(m0.relative_folder()),
        None => parent_of(&home).join(&m0.folder),
    };
    let output = super::Output {
        out: opts.out.clone().unwrap_or_default(),
        charts: opts.charts,
        size: opts.size,
    };
    let staging = Staging::new(&folder)?;
    let mut text = match m0.command.as_str() {
        "batch" => batch::merge(&parts, &staging, &output, progress)?,
        "compare" => compare::merge(&parts, &staging, &output, progress)?,
        _ => experiment::merge(&parts, &staging, &output, progress)?,
    };
    staging.commit()?;
    text.push_str(&format!(
        "Merged {} shards of {}\nResults in {}\n",
        m0.shards,
        home.display(),
        folder.display()
    ));
    Ok(MergeReport { folder, text })
}
