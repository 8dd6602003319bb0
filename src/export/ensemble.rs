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

/// A streaming `runs.csv` writer: one row per run, in the columns of [`runs_header`]. Fields are formatted into
/// one reused buffer (numbers as `num` writes them: shortest round-trip decimals, empty when undefined).
pub struct RunsWriter<W: Write> {
    inner: csv::Writer<W>,
    buf: String,
}

impl<W: Write> RunsWriter<W> {
    pub fn new(sc: &Scenario, out: W) -> std::io::Result<RunsWriter<W>> {
        let mut inner = csv::Writer::from_writer(out);
        inner
            .write_record(runs_header(sc))
            .map_err(std::io::Error::other)?;
        Ok(RunsWriter {
            inner,
            buf: String::new(),
        })
    }

    pub fn row(&mut self, o: &RunOutcome) -> std::io::Result<()> {
        self.fields(o).map_err(std::io::Error::other)
    }

    fn fields(&mut self, o: &RunOutcome) -> csv::Result<()> {
        self.put(o.seed)?;
        self.round(o.ceasefire_round)?;
        for &r in &o.first_signed {
            self.round(r)?;
        }
        self.put(o.collapses)?;
        self.num(o.final_agreement)?;
        self.num(o.mean_agreement)?;
        self.put(o.in_force_at_end)?;
        self.put(o.violations)?;
        self.put(o.attacks)?;
        for &v in &o.final_text {
            self.num(v)?;
        }
        self.inner.write_record(None::<&[u8]>)
    }

    fn put(&mut self, v: impl std::fmt::Display) -> csv::Result<()> {
        use std::fmt::Write as _;
        self.buf.clear();
        // Writing into a String cannot fail.
        let _ = write!(self.buf, "{v}");
        self.inner.write_field(self.buf.as_bytes())
    }

    fn num(&mut self, v: f64) -> csv::Result<()> {
        if v.is_finite() {
            self.put(v)
        } else {
            self.inner.write_field("")
        }
    }

    fn round(&mut self, r: Option<u32>) -> csv::Result<()> {
        match r {
            Some(r) => self.put(r),
            None => self.inner.write_field(""),
        }
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
        let [a05, a25, a50, a75, a95] = a.quantiles([0.05, 0.25, 0.5, 0.75, 0.95]);
        let [u05, u50, u95] = u.quantiles([0.05, 0.5, 0.95]);
        let row = vec![
            (t + 1).to_string(),
            num(a05),
            num(a25),
            num(a50),
            num(a75),
            num(a95),
            num(u05),
            num(u50),
            num(u95),
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
