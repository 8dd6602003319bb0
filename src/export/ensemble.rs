//! Tables of ensembles: `runs.csv` (one row per seed, streamed as runs finish, in seed order) and `bands.csv` (one
//! row per round: quantiles of agreement and mean utility, P(ceasefire reached by t) and P(in force at t) with 95 %
//! Wilson intervals).

use std::io::Write;

use super::csv::num;
use crate::ensemble::{Bands, RunOutcome};
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

/// A streaming `runs.csv` writer: the header of [`runs_header`], then one row per run as [`runs_row`] formats it
/// (numbers as shortest round-trip decimals, empty when undefined).
pub struct RunsWriter<W: Write> {
    out: W,
}

impl<W: Write> RunsWriter<W> {
    pub fn new(sc: &Scenario, out: W) -> std::io::Result<RunsWriter<W>> {
        let mut header = csv::Writer::from_writer(Vec::new());
        header
            .write_record(runs_header(sc))
            .map_err(std::io::Error::other)?;
        let mut out = out;
        out.write_all(&header.into_inner().map_err(std::io::Error::other)?)?;
        Ok(RunsWriter { out })
    }

    /// Write one row made by [`runs_row`].
    pub fn row_bytes(&mut self, row: &[u8]) -> std::io::Result<()> {
        self.out.write_all(row)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The runs.csv row of `o`, newline included. Every field is a number, a boolean or empty, none of which CSV ever
/// quotes, so the row is written directly: the same bytes a CSV writer would give.
pub fn runs_row(o: &RunOutcome) -> Vec<u8> {
    use std::io::Write as _;
    fn round(row: &mut Vec<u8>, r: Option<u32>) {
        row.push(b',');
        if let Some(r) = r {
            // Writing into a Vec cannot fail.
            let _ = write!(row, "{r}");
        }
    }
    fn num(row: &mut Vec<u8>, v: f64) {
        row.push(b',');
        if v.is_finite() {
            let _ = write!(row, "{v}");
        }
    }
    let mut row = Vec::with_capacity(256);
    let _ = write!(row, "{}", o.seed);
    round(&mut row, o.ceasefire_round);
    for &r in &o.first_signed {
        round(&mut row, r);
    }
    let _ = write!(row, ",{}", o.collapses);
    num(&mut row, o.final_agreement);
    num(&mut row, o.mean_agreement);
    let _ = write!(row, ",{},{},{}", o.in_force_at_end, o.violations, o.attacks);
    for &v in &o.final_text {
        num(&mut row, v);
    }
    row.push(b'\n');
    row
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
        let (rp, rl, rh) = b.p_reached_by(t);
        let (fp, fl, fh) = b.p_in_force_at(t);
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
            num(rp),
            num(rl),
            num(rh),
            num(fp),
            num(fl),
            num(fh),
            b.reached_in[t].to_string(),
            b.runs.to_string(),
        ];
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(seed: u64, reached: Option<u32>, agreement: f64, text: Vec<f64>) -> RunOutcome {
        RunOutcome {
            seed,
            ceasefire_round: reached,
            first_signed: vec![reached, None, Some(7)],
            collapses: 2,
            final_agreement: agreement,
            mean_agreement: 0.1 + 0.2,
            in_force_at_end: reached.is_some(),
            violations: 11,
            attacks: 0,
            ripe_rounds: 3,
            final_text: text,
            agreement: Vec::new(),
            mean_utility: Vec::new(),
            in_force: Vec::new(),
        }
    }

    /// The same fields through a CSV writer, the way the table was written before rows were formatted by hand.
    fn through_csv(o: &RunOutcome) -> Vec<u8> {
        let field = |v: Option<String>| v.unwrap_or_default();
        let number = |v: f64| field(v.is_finite().then(|| v.to_string()));
        let mut record = vec![
            o.seed.to_string(),
            field(o.ceasefire_round.map(|r| r.to_string())),
        ];
        record.extend(
            o.first_signed
                .iter()
                .map(|r| field(r.map(|r| r.to_string()))),
        );
        record.push(o.collapses.to_string());
        record.push(number(o.final_agreement));
        record.push(number(o.mean_agreement));
        record.push(o.in_force_at_end.to_string());
        record.push(o.violations.to_string());
        record.push(o.attacks.to_string());
        record.extend(o.final_text.iter().map(|&v| number(v)));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&record).unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn rows_are_the_bytes_a_csv_writer_gives() {
        let cases = [
            outcome(0, None, f64::NAN, vec![]),
            outcome(
                u64::MAX,
                Some(19),
                0.703_813_309_142_991_9,
                vec![0.5, 1e-9, 1.0, 0.0],
            ),
            outcome(
                20_170_504,
                Some(1),
                1.0,
                vec![f64::NAN, f64::INFINITY, 0.123_456_789],
            ),
        ];
        for o in &cases {
            assert_eq!(
                String::from_utf8(runs_row(o)).unwrap(),
                String::from_utf8(through_csv(o)).unwrap()
            );
        }
    }
}
