//! The library's errors, and the exit code each maps to: 2 for what the user asked wrongly, 1 for what failed.

use std::path::PathBuf;

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

    #[error("cannot read `{}`: {reason}", path.display())]
    Results { path: PathBuf, reason: String },

    #[error("interrupted; nothing was left half-written")]
    Interrupted,
}

impl Error {
    /// 2: bad usage or invalid input; 1: a runtime failure (I/O).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Results { .. } => 2,
            Error::Write { .. } | Error::Interrupted => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
