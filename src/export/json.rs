//! `summary.json`: the headline results, pretty-printed with a stable key order.

use super::{Export, RunView};

pub struct SummaryJson;

impl Export for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn bytes(&self, run: &RunView<'_>) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(run.summary).unwrap_or_default();
        out.push(b'\n');
        out
    }
}
