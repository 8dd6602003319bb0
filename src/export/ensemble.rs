//! Tables of ensembles: `runs.csv` (one row per seed, streamed as runs finish, in seed order), `bands.csv` (one
//! row per round: quantiles of agreement and mean utility, P(ceasefire reached by t) and P(in force at t) with 95 %
//! Wilson intervals), and `compare.csv` (one row per variant, or per seed).

use std::io::Write;

use super::csv::{finish, num, writer};
use super::results::{Comparison, SeedsComparison};
use super::{Export, ExportError};
use crate::ensemble::{Bands, RunOutcome};
use crate::scenario::Scenario;
use crate::world::World;

/// The header of `runs.csv`; with `drawn` (`batch --drawn`, any world drawn from `sc`), then the `--set` path of
/// each distribution-valued field, in [`World::drawn`]'s order.
pub fn runs_header(sc: &Scenario, drawn: Option<&World>) -> Vec<String> {
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
    if let Some(world) = drawn {
        h.extend(world.drawn(sc).map(|(path, _)| path.to_string()));
    }
    h
}

/// A streaming `runs.csv` writer: the header of [`runs_header`], then one row per run as [`runs_row`] formats it
/// (numbers as shortest round-trip decimals, empty when undefined).
pub struct RunsWriter<W: Write> {
    out: W,
}

impl<W: Write> RunsWriter<W> {
    /// Write the header; `drawn` as for [`runs_header`].
    pub fn new(sc: &Scenario, drawn: Option<&World>, out: W) -> std::io::Result<RunsWriter<W>> {
        let mut header = csv::Writer::from_writer(Vec::new());
        header
            .write_record(runs_header(sc, drawn))
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
pub fn runs_row(o: &RunOutcome) -> std::io::Result<Vec<u8>> {
    runs_row_drawn(o, std::iter::empty())
}

/// The runs.csv row of `o` followed by `drawn`, the values of the columns that `batch --drawn` adds (from
/// [`World::drawn`] of the run's world, in the header's order).
pub fn runs_row_drawn(
    o: &RunOutcome,
    drawn: impl Iterator<Item = f64>,
) -> std::io::Result<Vec<u8>> {
    fn round(row: &mut Vec<u8>, r: Option<u32>) -> std::io::Result<()> {
        row.push(b',');
        if let Some(r) = r {
            write!(row, "{r}")?;
        }
        Ok(())
    }
    fn num(row: &mut Vec<u8>, v: f64) -> std::io::Result<()> {
        row.push(b',');
        if v.is_finite() {
            write!(row, "{v}")?;
        }
        Ok(())
    }
    let mut row = Vec::with_capacity(256);
    write!(row, "{}", o.seed)?;
    round(&mut row, o.ceasefire_round)?;
    for &r in &o.first_signed {
        round(&mut row, r)?;
    }
    write!(row, ",{}", o.collapses)?;
    num(&mut row, o.final_agreement)?;
    num(&mut row, o.mean_agreement)?;
    write!(row, ",{},{},{}", o.in_force_at_end, o.violations, o.attacks)?;
    for &v in &o.final_text {
        num(&mut row, v)?;
    }
    for v in drawn {
        num(&mut row, v)?;
    }
    row.push(b'\n');
    Ok(row)
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

/// `bands.csv` of one ensemble.
pub struct BandsCsv;

impl Export<Bands> for BandsCsv {
    fn file_name(&self) -> &'static str {
        "bands.csv"
    }

    fn serialize(&self, b: &Bands) -> Result<Vec<u8>, ExportError> {
        let mut w = writer();
        w.write_record(BAND_COLUMNS)?;
        for t in 0..b.rounds {
            let [a05, a25, a50, a75, a95] = b.agreement[t].quantiles([0.05, 0.25, 0.5, 0.75, 0.95]);
            let [u05, u50, u95] = b.mean_utility[t].quantiles([0.05, 0.5, 0.95]);
            let (rp, rl, rh) = b.p_reached_by(t);
            let (fp, fl, fh) = b.p_in_force_at(t);
            w.write_record([
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
            ])?;
        }
        finish(w)
    }
}

pub const COMPARE_COLUMNS: [&str; 16] = [
    "variant",
    "label",
    "runs",
    "p_reached",
    "p_reached_lo",
    "p_reached_hi",
    "median_ceasefire_round",
    "p_in_force_at_end",
    "mean_final_agreement",
    "delta_p_reached",
    "delta_p_reached_lo",
    "delta_p_reached_hi",
    "delta_median_ceasefire_round",
    "delta_mean_final_agreement",
    "delta_mean_final_agreement_lo",
    "delta_mean_final_agreement_hi",
];

/// `compare.csv` of variants over the same seeds: one row per variant, the baseline's deltas empty.
pub struct CompareCsv;

impl Export<Comparison<'_>> for CompareCsv {
    fn file_name(&self) -> &'static str {
        "compare.csv"
    }

    fn serialize(&self, c: &Comparison<'_>) -> Result<Vec<u8>, ExportError> {
        let mut w = writer();
        w.write_record(COMPARE_COLUMNS)?;
        let undefined = (f64::NAN, f64::NAN, f64::NAN);
        for (i, v) in c.variants.iter().enumerate() {
            let b = v.bands;
            let (p, lo, hi) = b.p_reached_ci();
            let d = c.deltas(i);
            let (dp, dpl, dph) = d.map_or(undefined, |d| d.reached);
            let (da, dal, dah) = d.map_or(undefined, |d| d.agreement);
            w.write_record([
                v.slug.to_string(),
                v.label.to_string(),
                b.runs.to_string(),
                num(p),
                num(lo),
                num(hi),
                b.median_ceasefire_round()
                    .map_or(String::new(), |r| r.to_string()),
                num(b.p_in_force_at_end().0),
                num(b.mean_final_agreement()),
                num(dp),
                num(dpl),
                num(dph),
                d.and_then(|d| d.median_round)
                    .map_or(String::new(), |m| m.to_string()),
                num(da),
                num(dal),
                num(dah),
            ])?;
        }
        finish(w)
    }
}

/// `compare.csv` of one scenario's seeds side by side: one row per seed.
pub struct SeedsCsv;

impl Export<SeedsComparison<'_>> for SeedsCsv {
    fn file_name(&self) -> &'static str {
        "compare.csv"
    }

    fn serialize(&self, c: &SeedsComparison<'_>) -> Result<Vec<u8>, ExportError> {
        let mut w = writer();
        w.write_record([
            "seed",
            "ceasefire_round",
            "in_force_at_end",
            "collapses",
            "final_agreement",
        ])?;
        for o in c.outcomes {
            w.write_record([
                o.seed.to_string(),
                o.ceasefire_round.map_or(String::new(), |r| r.to_string()),
                o.in_force_at_end.to_string(),
                o.collapses.to_string(),
                num(o.final_agreement),
            ])?;
        }
        finish(w)
    }
}

/// `agreement.csv` of `compare --seeds`: one row per seed × round, what its chart draws.
pub struct SeedsRoundsCsv;

impl Export<SeedsComparison<'_>> for SeedsRoundsCsv {
    fn file_name(&self) -> &'static str {
        "agreement.csv"
    }

    fn serialize(&self, c: &SeedsComparison<'_>) -> Result<Vec<u8>, ExportError> {
        let mut w = writer();
        w.write_record(["seed", "round", "agreement", "ceasefire_in_force"])?;
        for o in c.outcomes {
            for (r, (&a, &f)) in o.agreement.iter().zip(&o.in_force).enumerate() {
                w.write_record([
                    o.seed.to_string(),
                    (r + 1).to_string(),
                    num(a),
                    f.to_string(),
                ])?;
            }
        }
        finish(w)
    }
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
                String::from_utf8(runs_row(o).unwrap()).unwrap(),
                String::from_utf8(through_csv(o)).unwrap()
            );
        }
    }
}
