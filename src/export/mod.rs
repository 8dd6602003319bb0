//! Outputs: every file of every command comes from an exporter, one small trait ([`Export`]) that turns typed
//! results into the bytes of one file, with one module per format (Markdown is just another exporter); and atomic
//! writing of a results folder.
//!
//! | results | exporters |
//! |---|---|
//! | one run ([`RunView`]) | `rounds.csv`, `actors.csv`, `events.csv` ([`csv`]), `drawn.toml` ([`toml`]), `summary.json` ([`json`]) |
//! | a batch ([`results::BatchResults`]) | `runs.csv` (streamed) and `bands.csv` ([`ensemble`]), `summary.json` ([`json`]) |
//! | a comparison ([`results::Comparison`]) | `compare.md` ([`markdown`]), `compare.csv` and `bands-<variant>.csv` ([`ensemble`]), `summary.json` ([`json`]) |
//! | seeds side by side ([`results::SeedsComparison`]) | `compare.md` ([`markdown`]), `compare.csv` ([`ensemble`]) |
//!
//! A results folder is written whole: every file goes into a hidden sibling folder, which then replaces the old one
//! by rename, so a reader (or an interrupted run) sees the previous results or the new ones, never a mix.

pub mod csv;
pub mod ensemble;
pub mod json;
pub mod markdown;
pub mod results;
pub mod toml;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file of a results folder: its relative name and its bytes.
pub struct OutFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl OutFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> OutFile {
        OutFile {
            name: name.into(),
            bytes,
        }
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// A results folder being written: files go into a hidden sibling folder, which replaces the target on
/// [`Staging::commit`]. Dropped without a commit (an error, a panic), it removes itself; a staging folder left by a
/// killed process is removed by the next write to the same target.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "results".into());
        fs::create_dir_all(parent).map_err(write_err(parent))?;
        // Leftovers of interrupted runs for this target.
        if let Ok(entries) = fs::read_dir(parent) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!(".{name}.tmp-"))
                    || n.starts_with(&format!(".{name}.old-"))
                {
                    // Best effort: a leftover that cannot be removed only takes space, and is tried again
                    // by the next write; it must not stop this one.
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(write_err(&dir))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// The path of `name` inside the staging folder (its parent folders created).
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        let path = self.dir.join(name);
        if let Some(d) = path.parent() {
            fs::create_dir_all(d).map_err(write_err(d))?;
        }
        Ok(path)
    }

    pub fn write(&self, file: &OutFile) -> Result<()> {
        let path = self.path(&file.name)?;
        fs::write(&path, &file.bytes).map_err(write_err(&path))
    }

    /// Swap the staged folder in place of the target.
    pub fn commit(mut self) -> Result<()> {
        let parent = self.target.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        swap_in(&self.dir, &self.target, &parent, &name, std::process::id())?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Cleanup after another error (or a panic), which is the one to report; a staging folder left
            // here is removed by the next write to the same target.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Replace the folder `target` with exactly `files`. Nothing else on disk is touched.
pub fn write_folder(target: &Path, files: &[OutFile]) -> Result<()> {
    let staging = Staging::new(target)?;
    for f in files {
        staging.write(f)?;
    }
    staging.commit()
}

fn swap_in(staging: &Path, target: &Path, parent: &Path, name: &str, pid: u32) -> Result<()> {
    if target.exists() {
        let old: PathBuf = parent.join(format!(".{name}.old-{pid}"));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(write_err(&old))?;
        }
        fs::rename(target, &old).map_err(write_err(target))?;
        if let Err(e) = fs::rename(staging, target) {
            // Put the previous results back. The rename's error `e` is the one to report; if this fails
            // too, the previous results are still whole under `old`.
            let _ = fs::rename(&old, target);
            return Err(write_err(target)(e));
        }
        // The new results are in place; the previous ones, if they cannot be removed now, are removed by the
        // next write to this target.
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(staging, target).map_err(write_err(target))?;
    }
    Ok(())
}

/// Write one file atomically (temporary name in the same folder, then rename).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(write_err(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).map_err(write_err(&tmp))?;
    fs::rename(&tmp, path).map_err(|e| {
        // Cleanup after the rename's error, which is the one to report.
        let _ = fs::remove_file(&tmp);
        write_err(path)(e)
    })
}

/// What an exporter sees of one run.
pub struct RunView<'a> {
    pub scenario: &'a crate::scenario::Scenario,
    pub trace: &'a crate::trace::Trace,
    pub summary: &'a crate::summary::Summary,
}

/// Why an exporter could not produce its bytes (a CSV record of the wrong length, say).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Csv(#[from] ::csv::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// One output format of one kind of results (`T`): the bytes of one file.
pub trait Export<T: ?Sized> {
    /// The file's name in a results folder.
    fn file_name(&self) -> &'static str;

    fn serialize(&self, data: &T) -> std::result::Result<Vec<u8>, ExportError>;

    /// The file, under [`Export::file_name`].
    fn export(&self, data: &T) -> Result<OutFile> {
        self.export_as(self.file_name(), data)
    }

    /// The file, under another name (a comparison writes one `bands-<variant>.csv` per variant).
    fn export_as(&self, name: &str, data: &T) -> Result<OutFile> {
        let bytes = self.serialize(data).map_err(|source| Error::Export {
            file: name.to_string(),
            source,
        })?;
        Ok(OutFile::new(name, bytes))
    }
}

/// The files of `exporters`, in order.
pub fn files<T: ?Sized>(exporters: &[&dyn Export<T>], data: &T) -> Result<Vec<OutFile>> {
    exporters.iter().map(|e| e.export(data)).collect()
}

/// Every table of a single run, in the order they are written.
pub fn run_files(run: &RunView<'_>) -> Result<Vec<OutFile>> {
    files(
        &[
            &csv::RoundsCsv,
            &csv::ActorsCsv,
            &csv::EventsCsv,
            &toml::DrawnToml,
            &json::SummaryJson,
        ],
        run,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a").join("seed-1");
        write_folder(
            &target,
            &[
                OutFile::new("x.csv", b"1".to_vec()),
                OutFile::new("charts/y.svg", b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(fs::read(target.join("charts/y.svg")).unwrap(), b"2");
        write_folder(&target, &[OutFile::new("z.csv", b"3".to_vec())]).unwrap();
        assert!(!target.join("x.csv").exists());
        assert_eq!(fs::read(target.join("z.csv")).unwrap(), b"3");
        let names: Vec<_> = fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no staging folders left: {names:?}");
    }

    #[test]
    fn a_write_failing_midway_keeps_the_previous_results_and_leaves_no_staging() {
        // A write that fails after others succeeded, as on a full disk: here `charts` is written as a file, so the
        // next file, which needs `charts/` to be a folder, cannot be written.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        write_folder(&target, &[OutFile::new("rounds.csv", b"old".to_vec())]).unwrap();
        let err = write_folder(
            &target,
            &[
                OutFile::new("rounds.csv", b"new".to_vec()),
                OutFile::new("charts", b"not a folder".to_vec()),
                OutFile::new("charts/agreement.svg", b"<svg/>".to_vec()),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("charts"), "{err}");
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no staging folders left: {names:?}");
    }
}
