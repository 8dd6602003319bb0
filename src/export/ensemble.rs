//! Tables of ensembles: `runs.csv` (one row per seed, streamed as runs finish, in seed order) and `bands.csv` (one
//! row per round: quantiles of agreement and mean utility, P(ceasefire reached by t) and P(in force at t) with 95 %
//! Wilson intervals).

use std::io::Write;

use super::csv::num;
use crate::ensemble::{Bands, RunOutcome, wilson};
use crate::scenario::Scenario;

/// The header of `runs.csv`.
pub fn runs_header(sc: &Scenario) -> Vec<String> {
    let mut h: Vec<String> = vec!["seed".into(), "ceasefire_round".into()];
    h.extend(sc.modules.iter().map(|m| format!("signed_{}", m.id)));
    h.extend(
        [
            "collapses",
            "final_agreement",
            "mean_agreement",
            "in_force_at_end",
            "violations",
            "attacks",
        ]
        .map(String::from),
    );
    h.extend(sc.dimensions.iter().map(|d| format!("text_{}", d.id)));
    h
}

/// One row of `runs.csv`.
pub fn runs_row(o: &RunOutcome) -> Vec<String> {
    let round = |r: Option<u32>| r.map_or(String::new(), |r| r.to_string());
    let mut row = vec![o.seed.to_string(), round(o.ceasefire_round)];
    row.extend(o.first_signed.iter().map(|r| round(*r)));
    row.push(o.collapses.to_string());
    row.push(num(o.final_agreement));
    row.push(num(o.mean_agreement));
    row.push(if o.in_force_at_end { "true" } else { "false" }.into());
    row.push(o.violations.to_string());
    row.push(o.attacks.to_string());
    row.extend(o.final_text.iter().map(|v| num(*v)));
    row
}

/// A streaming `runs.csv` writer.
pub struct RunsWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> RunsWriter<W> {
    pub fn new(sc: &Scenario, out: W) -> std::io::Result<RunsWriter<W>> {
        let mut inner = csv::Writer::from_writer(out);
        inner
            .write_record(runs_header(sc))
            .map_err(std::io::Error::other)?;
        Ok(RunsWriter { inner })
    }

    pub fn row(&mut self, o: &RunOutcome) -> std::io::Result<()> {
        self.inner
            .write_record(runs_row(o))
            .map_err(std::io::Error::other)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub const BAND_COLUMNS: [&str; 17] = [
    "round",
    "agreement_p05",
    "agreement_p25",
    "agreement_p50",
    "agreement_p75",
    "agreement_p95",
    "mean_utility_p05",
    "mean_utility_p50",
    "mean_utility_p95",
    "p_reached",
    "p_reached_lo",
    "p_reached_hi",
    "p_in_force",
    "p_in_force_lo",
    "p_in_force_hi",
    "reached_in_round",
    "runs",
];

/// `bands.csv`.
pub fn bands_csv(b: &Bands) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(BAND_COLUMNS);
    for t in 0..b.rounds {
        let a = &b.agreement[t];
        let u = &b.mean_utility[t];
        let n = b.runs.max(1) as f64;
        let (rl, rh) = wilson(b.reached_by[t], b.runs);
        let (fl, fh) = wilson(b.in_force[t], b.runs);
        let row = vec![
            (t + 1).to_string(),
            num(a.quantile(0.05)),
            num(a.quantile(0.25)),
            num(a.quantile(0.5)),
            num(a.quantile(0.75)),
            num(a.quantile(0.95)),
            num(u.quantile(0.05)),
            num(u.quantile(0.5)),
            num(u.quantile(0.95)),
            num(b.reached_by[t] as f64 / n),
            num(rl),
            num(rh),
            num(b.in_force[t] as f64 / n),
            num(fl),
            num(fh),
            b.reached_in[t].to_string(),
            b.runs.to_string(),
        ];
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}
