//! Charts of many seeds: the fan chart of agreement, P(ceasefire reached by round t) with its interval, the
//! histogram of the ceasefire round; and, for comparisons, the same on shared axes for several variants.
//! Like the single-run charts they are drawn from the files alone (`bands.csv`), so `ceasefire chart` redraws them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::read::{ReadError, Table};
use super::theme::*;

/// One ensemble's `bands.csv`, read back.
#[derive(Clone, Debug, Default)]
pub struct BandsData {
    pub label: String,
    pub agreement: [Vec<f64>; 5],
    pub mean_utility_p50: Vec<f64>,
    pub p_reached: [Vec<f64>; 3],
    pub p_in_force: [Vec<f64>; 3],
    pub reached_in: Vec<u64>,
    pub runs: u64,
}

impl BandsData {
    pub fn parse(label: &str, bands_csv: &str) -> Result<BandsData, ReadError> {
        let t = Table::parse("bands.csv", bands_csv)?;
        let c = |n: &str| t.col(n);
        let q = [
            c("agreement_p05")?,
            c("agreement_p25")?,
            c("agreement_p50")?,
            c("agreement_p75")?,
            c("agreement_p95")?,
        ];
        let reached = [c("p_reached")?, c("p_reached_lo")?, c("p_reached_hi")?];
        let force = [c("p_in_force")?, c("p_in_force_lo")?, c("p_in_force_hi")?];
        let (cu, cr, cn) = (c("mean_utility_p50")?, c("reached_in_round")?, c("runs")?);
        let mut d = BandsData {
            label: label.to_string(),
            ..BandsData::default()
        };
        for row in &t.rows {
            for (series, &i) in d.agreement.iter_mut().zip(&q) {
                series.push(t.num(row, i)?);
            }
            for (series, &i) in d.p_reached.iter_mut().zip(&reached) {
                series.push(t.num(row, i)?);
            }
            for (series, &i) in d.p_in_force.iter_mut().zip(&force) {
                series.push(t.num(row, i)?);
            }
            d.mean_utility_p50.push(t.num(row, cu)?);
            d.reached_in.push(t.count(row, cr)?);
            d.runs = t.count(row, cn)?;
        }
        Ok(d)
    }

    pub fn rounds(&self) -> usize {
        self.agreement[2].len()
    }
}

/// Titles shared by the ensemble charts.
#[derive(Clone, Debug)]
pub struct Heading {
    pub title: String,
    /// What was changed from the scenario as written (a label or the overrides); empty when nothing was.
    pub changed: String,
    pub seeds: String,
    pub round_label: String,
}

/// Colours of compared variants, in order.
pub const VARIANT_COLOURS: [RGBColor; 6] = [
    INK,
    VERMILLION,
    DEEP_BLUE,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
];

/// One edge of a band: each round's value, or with more rounds than `columns`, each bucket's least (`lower`) or
/// greatest, so that the band covers every round's.
fn edge(v: &[f64], columns: usize, lower: bool) -> Vec<(f64, f64)> {
    if v.len() <= columns {
        return v
            .iter()
            .enumerate()
            .filter(|(_, y)| y.is_finite())
            .map(|(t, y)| (t as f64 + 1.0, *y))
            .collect();
    }
    buckets(v.len(), columns)
        .filter_map(|bucket| {
            let x = (bucket.start + bucket.end + 1) as f64 / 2.0;
            let values = v[bucket].iter().copied().filter(|y| y.is_finite());
            let y = if lower {
                values.fold(f64::INFINITY, f64::min)
            } else {
                values.fold(f64::NEG_INFINITY, f64::max)
            };
            y.is_finite().then_some((x, y))
        })
        .collect()
}

fn band(lo: &[f64], hi: &[f64], columns: usize) -> Vec<(f64, f64)> {
    let mut pts = edge(lo, columns, true);
    let mut top = edge(hi, columns, false);
    top.reverse();
    pts.extend(top);
    pts
}

type Panel<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    rounds: usize,
    y_desc: &str,
    x_desc: &str,
    sz: &Sizes,
) -> Result<Panel<'a, DB>, DrawError> {
    let mut chart = ChartBuilder::on(area)
        .margin(sz.label)
        .x_label_area_size(sz.label * 3)
        .y_label_area_size(sz.label * 4)
        .build_cartesian_2d(0.5..rounds as f64 + 0.5, 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .label_style(font(sz.small))
        .axis_desc_style(font(sz.label))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Fan chart of agreement: median, 25–75 % and 5–95 % bands; one or several variants on shared axes.
pub struct FanChart<'a> {
    pub heading: &'a Heading,
    pub bands: &'a [BandsData],
    pub name: &'static str,
}

impl Chart for FanChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let (plot, side) = header_with_legend(
            root,
            &format!("{} — agreement across seeds", self.heading.title),
            &format!("{DISCLAIMER} · {}", self.heading.seeds),
            &sz,
            0.24,
        )?;
        let rounds = self.bands.iter().map(BandsData::rounds).max().unwrap_or(1);
        let mut chart = frame(
            &plot,
            rounds,
            "agreement A(t)",
            &self.heading.round_label,
            &sz,
        )?;
        let columns = chart.plotting_area().dim_in_pixel().0 as usize;
        let single = self.bands.len() == 1;
        let mut entries = Vec::new();
        for (i, b) in self.bands.iter().enumerate() {
            let c = if single {
                DEEP_BLUE
            } else {
                VARIANT_COLOURS[i % VARIANT_COLOURS.len()]
            };
            if single {
                chart
                    .draw_series([Polygon::new(
                        band(&b.agreement[0], &b.agreement[4], columns),
                        c.mix(0.15).filled(),
                    )])
                    .map_err(err)?;
            }
            chart
                .draw_series([Polygon::new(
                    band(&b.agreement[1], &b.agreement[3], columns),
                    c.mix(if single { 0.3 } else { 0.18 }).filled(),
                )])
                .map_err(err)?;
            draw_line(
                &mut chart,
                b.agreement[2].len(),
                Stroke::solid(c, sz.line + 1),
                |t| b.agreement[2][t],
            )?;
            if single {
                entries.push((Mark::Line(c, sz.line + 1), "median".to_string()));
                entries.push((
                    Mark::Block(RGBColor(0xB3, 0xD4, 0xE8)),
                    "25–75 % of seeds".to_string(),
                ));
                entries.push((
                    Mark::Block(RGBColor(0xD9, 0xEA, 0xF4)),
                    "5–95 % of seeds".to_string(),
                ));
            } else {
                entries.push((
                    Mark::Line(c, sz.line + 1),
                    format!("{}: median, band 25–75 %", b.label),
                ));
            }
        }
        legend(
            &side.margin(sz.small * 2, 0, 0, sz.small),
            "",
            &entries,
            &sz,
        )
    }
}

/// P(ceasefire reached by round t) with its 95 % Wilson interval (and P(in force at t) for a single ensemble).
pub struct ReachedChart<'a> {
    pub heading: &'a Heading,
    pub bands: &'a [BandsData],
    pub name: &'static str,
}

impl Chart for ReachedChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let (plot, side) = header_with_legend(
            root,
            &format!(
                "{} — chance of a ceasefire by each {}",
                self.heading.title, self.heading.round_label
            ),
            &format!(
                "{DISCLAIMER} · {} · band: 95 % Wilson CI",
                self.heading.seeds
            ),
            &sz,
            0.24,
        )?;
        let rounds = self.bands.iter().map(BandsData::rounds).max().unwrap_or(1);
        let mut chart = frame(&plot, rounds, "probability", &self.heading.round_label, &sz)?;
        let columns = chart.plotting_area().dim_in_pixel().0 as usize;
        let single = self.bands.len() == 1;
        let mut entries = Vec::new();
        for (i, b) in self.bands.iter().enumerate() {
            let c = if single {
                INK
            } else {
                VARIANT_COLOURS[i % VARIANT_COLOURS.len()]
            };
            chart
                .draw_series([Polygon::new(
                    band(&b.p_reached[1], &b.p_reached[2], columns),
                    c.mix(0.2).filled(),
                )])
                .map_err(err)?;
            draw_line(
                &mut chart,
                b.p_reached[0].len(),
                Stroke::solid(c, sz.line + 1),
                |t| b.p_reached[0][t],
            )?;
            let label = if single {
                "P(ceasefire reached by t)".to_string()
            } else {
                format!("{}: P(reached by t)", b.label)
            };
            entries.push((Mark::Line(c, sz.line + 1), label));
            if single {
                chart
                    .draw_series([Polygon::new(
                        band(&b.p_in_force[1], &b.p_in_force[2], columns),
                        BLUISH_GREEN.mix(0.2).filled(),
                    )])
                    .map_err(err)?;
                draw_line(
                    &mut chart,
                    b.p_in_force[0].len(),
                    Stroke::solid(BLUISH_GREEN, sz.line),
                    |t| b.p_in_force[0][t],
                )?;
                entries.push((
                    Mark::Line(BLUISH_GREEN, sz.line),
                    "P(ceasefire in force at t)".to_string(),
                ));
            }
        }
        legend(
            &side.margin(sz.small * 2, 0, 0, sz.small),
            "",
            &entries,
            &sz,
        )
    }
}

/// Histogram of the round in which the ceasefire was reached, with the share never reached.
pub struct RoundHistogram<'a> {
    pub heading: &'a Heading,
    pub bands: &'a BandsData,
}

impl Chart for RoundHistogram<'_> {
    fn name(&self) -> &'static str {
        "ceasefire-round"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let b = self.bands;
        let reached: u64 = b.reached_in.iter().sum();
        let never = b.runs.saturating_sub(reached);
        let share = |k: u64| 100.0 * k as f64 / b.runs.max(1) as f64;
        let sub = format!(
            "{DISCLAIMER} · {} · not reached within {} {}s: {:.1} % of seeds",
            self.heading.seeds,
            b.rounds(),
            self.heading.round_label,
            share(never)
        );
        let body = header(
            root,
            &format!("{} — when the ceasefire was reached", self.heading.title),
            &sub,
            &sz,
        )?;
        // One bar per round, or with more rounds than the chart has pixel columns, per bucket of rounds.
        let columns = body.dim_in_pixel().0 as usize;
        let bars: Vec<(f64, f64, u64)> = if b.reached_in.len() <= columns {
            let half = 0.42;
            (b.reached_in.iter().enumerate())
                .map(|(t, &k)| (t as f64 + 1.0 - half, t as f64 + 1.0 + half, k))
                .collect()
        } else {
            buckets(b.reached_in.len(), columns)
                .map(|r| {
                    let k = b.reached_in[r.clone()].iter().sum();
                    (r.start as f64 + 0.5, r.end as f64 + 0.5, k)
                })
                .collect()
        };
        let top = bars.iter().map(|bar| bar.2).max().unwrap_or(1).max(1) as f64
            / b.runs.max(1) as f64
            * 100.0;
        let mut chart = ChartBuilder::on(&body)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(sz.label * 4)
            .build_cartesian_2d(0.5..b.rounds() as f64 + 0.5, 0.0..top * 1.1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .x_desc(if b.reached_in.len() <= columns {
                format!(
                    "{} in which the ceasefire was first signed",
                    self.heading.round_label
                )
            } else {
                format!(
                    "{} in which the ceasefire was first signed (a bar per {} {}s or so)",
                    self.heading.round_label,
                    b.reached_in.len().div_ceil(columns),
                    self.heading.round_label
                )
            })
            .y_desc("% of seeds")
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bars.iter().map(|&(from, to, k)| {
                Rectangle::new([(from, 0.0), (to, share(k))], DEEP_BLUE.filled())
            }))
            .map_err(err)?;
        Ok(())
    }
}

/// Several seeds of one scenario: their agreement lines on one chart.
pub struct SeedsChart<'a> {
    pub heading: &'a Heading,
    /// (seed, agreement per round, ceasefire round)
    pub lines: &'a [(u64, Vec<f64>, Option<u32>)],
}

impl Chart for SeedsChart<'_> {
    fn name(&self) -> &'static str {
        "compare-seeds"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let (plot, side) = header_with_legend(
            root,
            &format!("{} — agreement in several seeds", self.heading.title),
            &format!("{DISCLAIMER} · {}", self.heading.seeds),
            &sz,
            0.24,
        )?;
        let rounds = self.lines.iter().map(|l| l.1.len()).max().unwrap_or(1);
        let mut chart = frame(
            &plot,
            rounds,
            "agreement A(t)",
            &self.heading.round_label,
            &sz,
        )?;
        let mut entries = Vec::new();
        for (i, (seed, agreement, reached)) in self.lines.iter().enumerate() {
            let c = LINE_PALETTE[i % LINE_PALETTE.len()];
            draw_line(
                &mut chart,
                agreement.len(),
                Stroke::solid(c, sz.line),
                |t| agreement[t],
            )?;
            if let Some(r) = reached {
                let x = f64::from(*r);
                let y = agreement.get(*r as usize - 1).copied().unwrap_or(0.0);
                chart
                    .draw_series([Circle::new((x, y), (sz.small / 2) as i32, c.filled())])
                    .map_err(err)?;
            }
            let when = reached.map_or("no ceasefire".to_string(), |r| {
                format!("ceasefire in {} {r}", self.heading.round_label)
            });
            entries.push((Mark::Line(c, sz.line), format!("seed {seed}: {when}")));
        }
        entries.push((Mark::Dot(INK), "the ceasefire is signed".to_string()));
        legend(
            &side.margin(sz.small * 2, 0, 0, sz.small),
            "",
            &entries,
            &sz,
        )
    }
}
