//! `summary.json`: the headline results of a run, a batch or a comparison, pretty-printed with a stable key order
//! (serde_json's maps are sorted by key).

use serde_json::{Value, json};

use super::results::{BatchResults, Comparison, SeedsComparison};
use super::{Export, ExportError, RunView};
use crate::ensemble::Bands;
use crate::summary::{DISCLAIMER, json_number};

fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, ExportError> {
    let mut out = serde_json::to_vec_pretty(value)?;
    out.push(b'\n');
    Ok(out)
}

/// `summary.json` of one run.
pub struct SummaryJson;

impl Export<RunView<'_>> for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn serialize(&self, run: &RunView<'_>) -> Result<Vec<u8>, ExportError> {
        pretty(run.summary)
    }
}

/// Headline numbers of an ensemble, as JSON.
pub fn headline(b: &Bands) -> Value {
    let (rp, rl, rh) = b.p_reached_ci();
    let (fp, fl, fh) = b.p_in_force_at_end();
    json!({
        "p_reached": json_number(rp),
        "p_reached_lo": json_number(rl),
        "p_reached_hi": json_number(rh),
        "median_ceasefire_round": b.median_ceasefire_round(),
        "p_in_force_at_end": json_number(fp),
        "p_in_force_at_end_lo": json_number(fl),
        "p_in_force_at_end_hi": json_number(fh),
        "mean_final_agreement": json_number(b.mean_final_agreement()),
        "mean_collapses": json_number(b.mean_collapses()),
    })
}

/// `summary.json` of a batch.
pub struct BatchSummaryJson;

impl Export<BatchResults<'_>> for BatchSummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn serialize(&self, r: &BatchResults<'_>) -> Result<Vec<u8>, ExportError> {
        let sc = r.scenario;
        pretty(&json!({
            "program": "ceasefire",
            "version": env!("CARGO_PKG_VERSION"),
            "note": DISCLAIMER,
            "scenario": sc.meta.id,
            "title": sc.meta.title,
            "first_seed": r.first_seed,
            "runs": r.runs,
            "rounds": sc.simulation.rounds,
            "round_label": sc.simulation.round_label,
            "overrides": sc.overrides,
            "label": sc.label,
            "results": headline(r.bands),
        }))
    }
}

/// `summary.json` of a comparison: each variant's headline and paired differences against the baseline.
pub struct CompareSummaryJson;

impl Export<Comparison<'_>> for CompareSummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn serialize(&self, c: &Comparison<'_>) -> Result<Vec<u8>, ExportError> {
        let variants: Vec<Value> = c
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let paired = c.deltas(i).map_or(Value::Null, |d| {
                    json!({
                        "delta_p_reached": json_number(d.reached.0),
                        "delta_p_reached_lo": json_number(d.reached.1),
                        "delta_p_reached_hi": json_number(d.reached.2),
                        "delta_median_ceasefire_round": d.median_round,
                        "delta_mean_final_agreement": json_number(d.agreement.0),
                        "delta_mean_final_agreement_lo": json_number(d.agreement.1),
                        "delta_mean_final_agreement_hi": json_number(d.agreement.2),
                    })
                });
                json!({
                    "variant": v.slug,
                    "label": v.label,
                    "scenario": v.scenario.meta.id,
                    "overrides": v.scenario.overrides,
                    "results": headline(v.bands),
                    "paired_vs_baseline": paired,
                })
            })
            .collect();
        pretty(&json!({
            "program": "ceasefire",
            "version": env!("CARGO_PKG_VERSION"),
            "note": DISCLAIMER,
            "title": c.baseline().scenario.meta.title,
            "round_label": c.baseline().scenario.simulation.round_label,
            "first_seed": c.first_seed,
            "runs": c.runs,
            "overrides": c.sets,
            "variants": variants,
        }))
    }
}

/// `summary.json` of `compare --seeds`: the scenario, its overrides and each seed's headline.
pub struct SeedsSummaryJson;

impl Export<SeedsComparison<'_>> for SeedsSummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn serialize(&self, c: &SeedsComparison<'_>) -> Result<Vec<u8>, ExportError> {
        let sc = c.scenario;
        let seeds: Vec<Value> = c
            .outcomes
            .iter()
            .map(|o| {
                json!({
                    "seed": o.seed,
                    "ceasefire_round": o.ceasefire_round,
                    "ceasefire_in_force_at_end": o.in_force_at_end,
                    "collapses": o.collapses,
                    "final_agreement": json_number(o.final_agreement),
                })
            })
            .collect();
        pretty(&json!({
            "program": "ceasefire",
            "version": env!("CARGO_PKG_VERSION"),
            "note": DISCLAIMER,
            "scenario": sc.meta.id,
            "title": sc.meta.title,
            "rounds": sc.simulation.rounds,
            "round_label": sc.simulation.round_label,
            "overrides": sc.overrides,
            "seeds": seeds,
        }))
    }
}
