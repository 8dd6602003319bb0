//! The library's errors, and the exit code each maps to: 2 for what the user asked wrongly, 1 for what failed.

use std::path::PathBuf;

use crate::chart::{ChartError, ReadError};
use crate::export::ExportError;
use crate::scenario::ScenarioError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),

    #[error("{0}")]
    Usage(String),

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

    #[error("interrupted; nothing was left half-written")]
    Interrupted,
}

impl Error {
    /// 2: bad usage or invalid input; 1: a runtime failure (I/O, a chart that cannot be drawn).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Results { .. } => 2,
            Error::Write { .. } | Error::Export { .. } | Error::Chart(_) | Error::Interrupted => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
