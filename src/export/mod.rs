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
//! A results folder is written whole ([`folder`]): every file goes into this process's own hidden sibling folder,
//! which then replaces the old one by rename, so a reader (or an interrupted run, or another writer) sees the previous
//! results or the new ones, never a mix.

pub mod csv;
pub mod ensemble;
pub mod folder;
pub mod json;
pub mod markdown;
pub mod results;
pub mod toml;

pub use folder::{Staging, replace_file, write_file, write_folder};

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
