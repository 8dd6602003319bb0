//! `drawn.toml`: the scenario with every distribution replaced by this seed's draws: a reproducible input.

use super::{Export, RunView};
use crate::scenario::write::to_toml;

pub struct DrawnToml;

impl Export for DrawnToml {
    fn file_name(&self) -> &'static str {
        "drawn.toml"
    }

    fn bytes(&self, run: &RunView<'_>) -> Vec<u8> {
        to_toml(run.scenario, Some(&run.trace.world)).into_bytes()
    }
}
