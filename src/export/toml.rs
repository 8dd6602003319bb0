//! `drawn.toml`: the scenario with every distribution replaced by this seed's draws: a reproducible input.

use super::{Export, ExportError, RunView};
use crate::scenario::write::to_toml;

pub struct DrawnToml;

impl Export<RunView<'_>> for DrawnToml {
    fn file_name(&self) -> &'static str {
        "drawn.toml"
    }

    fn serialize(&self, run: &RunView<'_>) -> Result<Vec<u8>, ExportError> {
        Ok(to_toml(run.scenario, Some(run.trace.world())).into_bytes())
    }
}
