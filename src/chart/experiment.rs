//! The charts of experiments, each drawn from the files its command writes (`sweep.csv` or `indices.csv`, and
//! `summary.json`): a sweep of one factor (each output against it, with 95 % interval bars), a sweep of two (a
//! heatmap per output), the tornado of total-order Sobol indices, and Morris's μ*–σ plot.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::read::ReadError;
use super::theme::{
    Chart, DEEP_BLUE, DrawError, GREY, INK, LIGHT, ORANGE, REFERENCE, VERMILLION, bold, err, fit,
    font, header, sizes,
};
use super::{ChartError, render_files};
use crate::experiment::Output;
use crate::export::OutFile;

/// A CSV file as a header and rows of cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(file: &'static str, text: &str) -> Result<Table, ReadError> {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r
            .headers()
            .map_err(|source| ReadError::Csv { file, source })?
            .iter()
            .map(str::to_string)
            .collect();
        let rows = r
            .records()
            .map(|rec| {
                rec.map(|r| r.iter().map(str::to_string).collect())
                    .map_err(|source| ReadError::Csv { file, source })
            })
            .collect::<Result<_, _>>()?;
        Ok(Table { header, rows })
    }

    fn column(&self, file: &'static str, name: &str) -> Result<usize, ReadError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ReadError::MissingColumn {
                file,
                column: name.to_string(),
            })
    }

    /// The number in column `c` of row `r`; NaN when empty.
    fn number(&self, file: &'static str, r: usize, c: usize) -> Result<f64, ReadError> {
        let cell = &self.rows[r][c];
        if cell.is_empty() {
            return Ok(f64::NAN);
        }
        cell.parse().map_err(|_| ReadError::NotANumber {
            file,
            line: r as u64 + 2,
            column: self.header[c].clone(),
            word: cell.clone(),
        })
    }
}

/// What every experiment chart's heading says, from `summary.json`.
struct ExperimentHeading {
    title: String,
    round_label: String,
    seeds: u64,
    outputs: Vec<Output>,
}

impl ExperimentHeading {
    fn parse(summary: &serde_json::Value) -> ExperimentHeading {
        let text = |k: &str| super::data::text_of(summary, k);
        let title = summary
            .get("title")
            .and_then(|t| t.as_str())
            .map_or_else(|| text("scenario_title"), str::to_string);
        ExperimentHeading {
            title,
            round_label: text("round_label"),
            seeds: summary.get("seeds").and_then(|s| s.as_u64()).unwrap_or(0),
            outputs: summary
                .get("outputs")
                .and_then(|o| o.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().and_then(Output::from_name))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn subtitle(&self, more: &str) -> String {
        format!(
            "{} · {} seeds at every point, the same at each · {more}",
            super::theme::DISCLAIMER,
            self.seeds
        )
    }
}

/// One factor of a sweep, as its table holds it.
struct SweepFactor {
    label: String,
    /// Its values in row order, as text.
    cells: Vec<String>,
    /// The values as numbers when every one is a number (a range or numeric levels).
    numbers: Option<Vec<f64>>,
    /// Its value in the scenario as written, when the file gives one.
    as_written: Option<String>,
}

impl SweepFactor {
    /// The distinct values in the order they first appear.
    fn levels(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.cells
            .iter()
            .filter(|c| seen.insert(c.as_str()))
            .cloned()
            .collect()
    }
}

/// Each level's position, for finding a row's cell without a search per row.
fn positions(levels: &[String]) -> std::collections::HashMap<&str, usize> {
    levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect()
}

/// A sweep's table, read back.
pub struct SweepData {
    heading: ExperimentHeading,
    factors: Vec<SweepFactor>,
    /// For each output of the heading, each row's (estimate, lo, hi).
    values: Vec<Vec<(f64, f64, f64)>>,
}

impl SweepData {
    pub fn parse(sweep_csv: &str, summary_json: &str) -> Result<SweepData, ReadError> {
        const FILE: &str = "sweep.csv";
        let summary = super::ensemble::read_summary(summary_json)?;
        let heading = ExperimentHeading::parse(&summary);
        let t = Table::parse(FILE, sweep_csv)?;
        let mut factors = Vec::new();
        for f in summary
            .get("factors")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            let path = f.get("path").and_then(|p| p.as_str()).unwrap_or_default();
            let label = f.get("label").and_then(|p| p.as_str()).unwrap_or(path);
            let c = t.column(FILE, path)?;
            let cells: Vec<String> = t.rows.iter().map(|r| r[c].clone()).collect();
            let numbers: Option<Vec<f64>> = cells.iter().map(|s| s.parse().ok()).collect();
            factors.push(SweepFactor {
                label: label.to_string(),
                cells,
                numbers,
                as_written: f
                    .get("as_written")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            });
        }
        let mut values = Vec::new();
        for o in &heading.outputs {
            let c = t.column(FILE, o.name())?;
            let lo = t.column(FILE, &format!("{}_lo", o.name()))?;
            let hi = t.column(FILE, &format!("{}_hi", o.name()))?;
            let col = (0..t.rows.len())
                .map(|r| {
                    Ok((
                        t.number(FILE, r, c)?,
                        t.number(FILE, r, lo)?,
                        t.number(FILE, r, hi)?,
                    ))
                })
                .collect::<Result<Vec<_>, ReadError>>()?;
            values.push(col);
        }
        Ok(SweepData {
            heading,
            factors,
            values,
        })
    }
}

/// The charts of a sweep folder, from its `sweep.csv` and `summary.json`: one per output, against one factor or as
/// a heatmap of two; none for more factors.
pub fn sweep_charts(
    sweep_csv: &str,
    summary_json: &str,
    size: (u32, u32),
) -> Result<Vec<OutFile>, ChartError> {
    let data = SweepData::parse(sweep_csv, summary_json)?;
    let mut out = Vec::new();
    for (k, o) in data.heading.outputs.iter().enumerate() {
        match data.factors.len() {
            1 => out.extend(render_files(
                &SweepChart {
                    data: &data,
                    output: k,
                    name: chart_name("sweep", *o),
                },
                size,
            )?),
            2 => out.extend(render_files(
                &Heatmap {
                    data: &data,
                    output: k,
                    name: chart_name("heatmap", *o),
                },
                size,
            )?),
            _ => {}
        }
    }
    Ok(out)
}

/// `<kind>-<output>`, e.g. `sweep-p_reached`.
fn chart_name(kind: &str, o: Output) -> &'static str {
    macro_rules! names {
        ($($kind:literal),*) => {
            match (kind, o) {
                $(
                    ($kind, Output::PReached) => concat!($kind, "-p_reached"),
                    ($kind, Output::PInForce) => concat!($kind, "-p_in_force"),
                    ($kind, Output::MedianRound) => concat!($kind, "-median_round"),
                    ($kind, Output::MeanFinalAgreement) => concat!($kind, "-mean_final_agreement"),
                    ($kind, Output::MeanCollapses) => concat!($kind, "-mean_collapses"),
                )*
                _ => "experiment",
            }
        };
    }
    names!("sweep", "heatmap", "tornado", "morris")
}

/// The value axis of an output: [0, 1] for probabilities, else the data's range with a margin.
fn value_range(o: Output, values: impl Iterator<Item = f64>) -> (f64, f64) {
    if o.is_probability() {
        return (0.0, 1.0);
    }
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(if o == Output::MedianRound { 1.0 } else { 0.01 });
    ((lo - pad).max(0.0), hi + pad)
}

fn number_label(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// One output against one factor: points with their 95 % intervals, joined for a numeric factor.
struct SweepChart<'a> {
    data: &'a SweepData,
    output: usize,
    name: &'static str,
}

impl Chart for SweepChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let d = self.data;
        let o = d.heading.outputs[self.output];
        let f = &d.factors[0];
        let vals = &d.values[self.output];
        let meaning = o.meaning(&d.heading.round_label);
        let body = header(
            root,
            &if d.heading.title.contains(&f.label) {
                format!("{} — {meaning}", d.heading.title)
            } else {
                format!("{} — {meaning} against {}", d.heading.title, f.label)
            },
            &d.heading.subtitle("bars: 95 % intervals"),
            &sz,
        )?;
        let levels = f.levels();
        // A numeric factor on its own scale; words (or booleans) at evenly spaced positions.
        let xs: Vec<f64> = match &f.numbers {
            Some(n) => n.clone(),
            None => {
                let at = positions(&levels);
                f.cells
                    .iter()
                    .map(|c| at.get(c.as_str()).copied().unwrap_or(0) as f64)
                    .collect()
            }
        };
        let (x0, x1) = match &f.numbers {
            Some(n) => {
                let (a, b) = n
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                        (a.min(*v), b.max(*v))
                    });
                let pad = ((b - a) * 0.05).max(1e-9);
                (a - pad, b + pad)
            }
            None => (-0.5, levels.len() as f64 - 0.5),
        };
        let (y0, y1) = value_range(o, vals.iter().flat_map(|v| [v.1, v.2]));
        let mut chart = ChartBuilder::on(&body)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(sz.label * 4)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        let word_at = |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                levels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .x_desc(f.label.clone())
            .y_desc(meaning.clone())
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label));
        let word_labels = |x: &f64| word_at(x);
        let number_labels = |x: &f64| number_label(*x);
        mesh.y_label_formatter(&number_labels);
        if f.numbers.is_none() {
            mesh.disable_x_mesh()
                .x_labels(levels.len() * 2 + 1)
                .x_label_formatter(&word_labels);
        } else {
            mesh.x_label_formatter(&number_labels);
        }
        mesh.draw().map_err(err)?;
        // Where the scenario as written sits: a dashed line, labelled at the top.
        let written_x = f.as_written.as_ref().and_then(|w| match &f.numbers {
            Some(_) => w.parse::<f64>().ok().filter(|x| (x0..=x1).contains(x)),
            None => levels.iter().position(|l| l == w).map(|i| i as f64),
        });
        if let Some(x) = written_x {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x, y0), (x, y1)],
                    sz.line * 3,
                    sz.line * 2,
                    REFERENCE.stroke_width(sz.line.max(2) - 1),
                ))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(x, y1));
            root.draw_text(
                &format!(
                    "as written: {}",
                    f.as_written.as_deref().unwrap_or_default()
                ),
                &font(sz.small)
                    .color(&REFERENCE)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
                (px + sz.small as i32 / 2, py + sz.small as i32 / 4),
            )
            .map_err(err)?;
        }
        // A value with no estimate (no run reached a ceasefire there) is said, not left blank.
        for (x, v) in xs.iter().zip(vals) {
            if !v.0.is_finite() {
                let (px, py) = chart.backend_coord(&(*x, y0 + (y1 - y0) * 0.06));
                root.draw_text(
                    "none reached",
                    &font(sz.small)
                        .color(&REFERENCE)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    (px, py),
                )
                .map_err(err)?;
            }
        }
        let points: Vec<(f64, (f64, f64, f64))> = xs
            .iter()
            .copied()
            .zip(vals.iter().copied())
            .filter(|(_, v)| v.0.is_finite())
            .collect();
        if f.numbers.is_some() {
            chart
                .draw_series(LineSeries::new(
                    points.iter().map(|(x, v)| (*x, v.0)),
                    DEEP_BLUE.stroke_width(sz.line),
                ))
                .map_err(err)?;
        }
        let cap = (x1 - x0) * 0.008;
        for (x, (_, lo, hi)) in &points {
            let style = INK.stroke_width(sz.line.max(2) - 1);
            chart
                .draw_series([PathElement::new(vec![(*x, *lo), (*x, *hi)], style)])
                .map_err(err)?;
            for y in [*lo, *hi] {
                chart
                    .draw_series([PathElement::new(vec![(*x - cap, y), (*x + cap, y)], style)])
                    .map_err(err)?;
            }
        }
        chart
            .draw_series(
                points
                    .iter()
                    .map(|(x, v)| Circle::new((*x, v.0), sz.line * 3, DEEP_BLUE.filled())),
            )
            .map_err(err)?;
        Ok(())
    }
}

/// One output over two factors: a cell per point, coloured by its value, the value written in it.
struct Heatmap<'a> {
    data: &'a SweepData,
    output: usize,
    name: &'static str,
}

/// A colour from light (low) to deep blue (high), `t` in [0, 1]; light enough at the low end for ink.
fn shade(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(0xF4, 0x08), mix(0xF8, 0x30), mix(0xFB, 0x6B))
}

impl Chart for Heatmap<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (w, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let d = self.data;
        let o = d.heading.outputs[self.output];
        let (fx, fy) = (&d.factors[0], &d.factors[1]);
        let vals = &d.values[self.output];
        let meaning = o.meaning(&d.heading.round_label);
        let body = header(
            root,
            &format!("{} — {meaning}", d.heading.title),
            &d.heading.subtitle(&format!(
                "columns: {}; rows: {}{}",
                fx.label,
                fy.label,
                if vals.iter().any(|v| !v.0.is_finite()) {
                    "; —: no run reached a ceasefire"
                } else {
                    ""
                }
            )),
            &sz,
        )?;
        let (plot, key) = body.split_horizontally(w.saturating_sub(sz.label * 9));
        let (xl, mut yl) = (fx.levels(), fy.levels());
        // Words read top to bottom in their listed order; numbers grow upwards.
        if fy.numbers.is_none() {
            yl.reverse();
        }
        // The key spans the data (a probability: 0 to 1), so its ends are values that occur.
        let (v0, v1) = if o.is_probability() {
            (0.0, 1.0)
        } else {
            let finite = vals.iter().map(|v| v.0).filter(|v| v.is_finite());
            let lo = finite.clone().fold(f64::INFINITY, f64::min);
            let hi = finite.fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                (lo, hi.max(lo + 1e-9))
            } else {
                (0.0, 1.0)
            }
        };
        // Room for the longest row label (at most a third of the width) and the axis description.
        let widest = yl
            .iter()
            .filter_map(|l| plot.estimate_text_size(l, &font(sz.small)).ok())
            .map(|(tw, _)| tw)
            .max()
            .unwrap_or(0);
        let label_room = (widest + widest / 20 + sz.small * 3).min(w / 3);
        let row_label = |l: &String| fit(&plot, l, sz.small, label_room - sz.small * 3);
        let yl: Vec<String> = yl.iter().map(row_label).collect();
        let y_cells: Vec<String> = fy.cells.iter().map(row_label).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(label_room)
            .build_cartesian_2d(-0.5..xl.len() as f64 - 0.5, -0.5..yl.len() as f64 - 0.5)
            .map_err(err)?;
        let at = |levels: &[String], x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                levels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let x_fmt = |x: &f64| at(&xl, x);
        let y_fmt = |y: &f64| at(&yl, y);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(xl.len() * 2 + 1)
            .y_labels(yl.len() * 2 + 1)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(fx.label.clone())
            .y_desc(fy.label.clone())
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        let (pw, ph) = chart.plotting_area().dim_in_pixel();
        let cell_w = pw as f64 / xl.len().max(1) as f64;
        let cell_h = ph as f64 / yl.len().max(1) as f64;
        let digits = if o == Output::MedianRound { 0 } else { 2 };
        let text_size = ((cell_h * 0.4).min(cell_w / 4.0) as u32).min(sz.label);
        let (at_x, at_y) = (positions(&xl), positions(&yl));
        for (r, v) in vals.iter().enumerate() {
            let i = at_x.get(fx.cells[r].as_str()).copied().unwrap_or(0) as f64;
            let j = at_y.get(y_cells[r].as_str()).copied().unwrap_or(0) as f64;
            let t = (v.0 - v0) / (v1 - v0).max(1e-12);
            let fill = if v.0.is_finite() { shade(t) } else { LIGHT };
            chart
                .draw_series([Rectangle::new(
                    [(i - 0.5, j - 0.5), (i + 0.5, j + 0.5)],
                    fill.filled(),
                )])
                .map_err(err)?;
            chart
                .draw_series([Rectangle::new(
                    [(i - 0.5, j - 0.5), (i + 0.5, j + 0.5)],
                    WHITE.stroke_width(2),
                )])
                .map_err(err)?;
            if text_size >= 10 {
                let text = if v.0.is_finite() {
                    format!("{:.digits$}", v.0)
                } else {
                    "—".into()
                };
                let ink = if t > 0.55 { WHITE } else { INK };
                let style = font(text_size)
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                chart
                    .draw_series([Text::new(text, (i, j), style)])
                    .map_err(err)?;
            }
        }
        // The colour key: low at the bottom, high at the top.
        let (kw, kh) = key.dim_in_pixel();
        let top = (sz.label * 3) as i32;
        let bottom = kh as i32 - (sz.label * 4) as i32;
        let x = sz.label as i32;
        let bar_w = (sz.label * 2) as i32;
        let steps = 60;
        for s in 0..steps {
            let t0 = s as f64 / steps as f64;
            let y_a = bottom - ((bottom - top) as f64 * (s + 1) as f64 / steps as f64) as i32;
            let y_b = bottom - ((bottom - top) as f64 * t0) as i32;
            key.draw(&Rectangle::new(
                [(x, y_a), (x + bar_w, y_b)],
                shade(t0 + 0.5 / steps as f64).filled(),
            ))
            .map_err(err)?;
        }
        let label_x = x + bar_w + (sz.small / 2) as i32;
        let room = kw.saturating_sub(label_x as u32);
        for (y, v) in [(top, v1), (bottom, v0)] {
            key.draw_text(
                &fit(&key, &number_label(v), sz.small, room),
                &font(sz.small).pos(Pos::new(HPos::Left, VPos::Center)),
                (label_x, y),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}

/// A sensitivity analysis's `indices.csv`, read back: for each output and factor, its indices with intervals.
pub struct IndicesData {
    heading: ExperimentHeading,
    method: String,
    samples: u64,
    /// (output, factor label, index, estimate, lo, hi), in file order.
    rows: Vec<(Output, String, String, f64, f64, f64)>,
    /// The dummy factor's name.
    dummy: String,
}

impl IndicesData {
    pub fn parse(indices_csv: &str, summary_json: &str) -> Result<IndicesData, ReadError> {
        const FILE: &str = "indices.csv";
        let summary = super::ensemble::read_summary(summary_json)?;
        let heading = ExperimentHeading::parse(&summary);
        let t = Table::parse(FILE, indices_csv)?;
        let [co, cf, ci, ce, cl, ch] =
            ["output", "factor", "index", "estimate", "lo", "hi"].map(|c| t.column(FILE, c));
        let (co, cf, ci, ce, cl, ch) = (co?, cf?, ci?, ce?, cl?, ch?);
        let labels: Vec<(String, String)> = summary
            .get("factors")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
            .map(|f| {
                let text = |k: &str| {
                    f.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                (text("path"), text("label"))
            })
            .collect();
        let mut rows = Vec::new();
        for r in 0..t.rows.len() {
            let word = &t.rows[r][co];
            let output = Output::from_name(word).ok_or_else(|| ReadError::UnknownWord {
                file: FILE,
                line: r as u64 + 2,
                column: "output".into(),
                what: "output",
                word: word.clone(),
            })?;
            let path = &t.rows[r][cf];
            let label = labels
                .iter()
                .find(|(p, _)| p == path)
                .map_or_else(|| path.clone(), |(_, l)| l.clone());
            rows.push((
                output,
                label,
                t.rows[r][ci].clone(),
                t.number(FILE, r, ce)?,
                t.number(FILE, r, cl)?,
                t.number(FILE, r, ch)?,
            ));
        }
        Ok(IndicesData {
            heading,
            method: super::data::text_of(&summary, "method"),
            samples: summary.get("samples").and_then(|s| s.as_u64()).unwrap_or(0),
            rows,
            dummy: super::data::text_of(&summary, "dummy"),
        })
    }

    /// (factor label, estimate, lo, hi) of one index of one output.
    fn of(&self, o: Output, index: &str) -> Vec<(String, f64, f64, f64)> {
        self.rows
            .iter()
            .filter(|r| r.0 == o && r.2 == index)
            .map(|r| (r.1.clone(), r.3, r.4, r.5))
            .collect()
    }
}

/// The charts of a sensitivity folder: a tornado per output (Sobol) or a μ*–σ plot per output (Morris).
pub fn sensitivity_charts(
    indices_csv: &str,
    summary_json: &str,
    size: (u32, u32),
) -> Result<Vec<OutFile>, ChartError> {
    let data = IndicesData::parse(indices_csv, summary_json)?;
    let mut out = Vec::new();
    for o in &data.heading.outputs {
        let defined = data.rows.iter().any(|r| r.0 == *o && r.3.is_finite());
        if !defined {
            continue;
        }
        if data.method == "morris" {
            out.extend(render_files(
                &MorrisChart {
                    data: &data,
                    output: *o,
                    name: chart_name("morris", *o),
                },
                size,
            )?);
        } else {
            out.extend(render_files(
                &Tornado {
                    data: &data,
                    output: *o,
                    name: chart_name("tornado", *o),
                },
                size,
            )?);
        }
    }
    Ok(out)
}

/// What matters most for one output: total-order indices, largest first, with their intervals, the first-order
/// index beside each, and the dummy factor's upper bound as the noise floor.
struct Tornado<'a> {
    data: &'a IndicesData,
    output: Output,
    name: &'static str,
}

impl Chart for Tornado<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let d = self.data;
        let meaning = self.output.meaning(&d.heading.round_label);
        let mut st = d.of(self.output, "ST");
        let s1 = d.of(self.output, "S1");
        st.sort_by(|a, b| b.1.total_cmp(&a.1));
        let floor = st
            .iter()
            .find(|r| r.0 == d.dummy)
            .map_or(0.0, |r| r.3.max(0.0));
        let body = header(
            root,
            &format!("{} — what matters most for {meaning}", d.heading.title),
            &d.heading.subtitle(&format!(
                "Sobol total-order index (bar) and first-order (dot), 95 % bootstrap intervals, N = {} base rows",
                d.samples
            )),
            &sz,
        )?;
        let n = st.len();
        // Every interval whole, however far an estimate of a share overshoots 1.
        let top = st
            .iter()
            .chain(&s1)
            .map(|r| r.3.max(r.1))
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let x1 = (top * 1.05).max(0.05);
        let x0 = s1
            .iter()
            .map(|r| r.2)
            .chain(st.iter().map(|r| r.2))
            .fold(0.0f64, f64::min)
            .max(-0.2);
        let (bw, _) = body.dim_in_pixel();
        let label_room = (bw / 3).min(sz.label * 20);
        let mut chart = ChartBuilder::on(&body)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(label_room)
            .build_cartesian_2d(x0..x1, -0.5..n as f64 - 0.5)
            .map_err(err)?;
        let names: Vec<String> = st.iter().map(|r| r.0.clone()).collect();
        let row_label = |y: &f64| {
            let i = y.round();
            if (y - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            // Largest at the top.
            names
                .get(n.saturating_sub(1 + i as usize))
                .map_or(String::new(), |s| {
                    if *s == d.dummy {
                        format!("{s} (noise floor)")
                    } else {
                        s.clone()
                    }
                })
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .y_labels(n * 2 + 1)
            .y_label_formatter(&row_label)
            .x_label_formatter(&|x| number_label(*x))
            .x_desc("share of the output's variance")
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        for (k, (name, est, lo, hi)) in st.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            let colour = if *name == d.dummy { GREY } else { DEEP_BLUE };
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y - 0.32), (est.max(0.0), y + 0.32)],
                    colour.filled(),
                )])
                .map_err(err)?;
            let style = INK.stroke_width(sz.line);
            chart
                .draw_series([PathElement::new(vec![(*lo, y), (*hi, y)], style)])
                .map_err(err)?;
            for x in [*lo, *hi] {
                chart
                    .draw_series([PathElement::new(vec![(x, y - 0.15), (x, y + 0.15)], style)])
                    .map_err(err)?;
            }
            if let Some(first) = s1.iter().find(|r| r.0 == *name) {
                chart
                    .draw_series([Circle::new((first.1, y), sz.line * 3, ORANGE.filled())])
                    .map_err(err)?;
            }
        }
        if floor > 0.0 {
            chart
                .draw_series(DashedLineSeries::new(
                    [(floor, -0.5), (floor, n as f64 - 0.5)],
                    sz.line * 3,
                    sz.line * 2,
                    VERMILLION.stroke_width(sz.line),
                ))
                .map_err(err)?;
        }
        // The key, in the bottom right corner of the plot, where the smallest bars leave room.
        let area = chart.plotting_area();
        let (pw, ph) = area.dim_in_pixel();
        let style = font(sz.small).pos(Pos::new(HPos::Right, VPos::Top));
        let key_top = ph as i32 - sz.small as i32 * 4;
        let key = [
            "bar: total-order index ST (all it does, alone and with others); line: its 95 % interval",
            "dot: first-order index S1 (alone)",
        ];
        let (px, py) = area.get_base_pixel();
        for (i, line) in key.iter().enumerate() {
            root.draw_text(
                &fit(root, line, sz.small, pw),
                &style.color(&REFERENCE),
                (
                    px + pw as i32 - sz.small as i32,
                    py + key_top + (sz.small as i32 * 3 / 2) * i as i32,
                ),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}

/// Morris's plot for one output: each factor at (μ*, σ), with μ*'s interval; factors far right matter, factors
/// high up act non-linearly or through interactions.
struct MorrisChart<'a> {
    data: &'a IndicesData,
    output: Output,
    name: &'static str,
}

impl Chart for MorrisChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let d = self.data;
        let meaning = self.output.meaning(&d.heading.round_label);
        let mu = d.of(self.output, "mu_star");
        let sigma = d.of(self.output, "sigma");
        let body = header(
            root,
            &format!("{} — Morris screening of {meaning}", d.heading.title),
            &d.heading.subtitle(&format!(
                "r = {} trajectories; μ*: mean |elementary effect| (95 % bootstrap interval), σ: their spread",
                d.samples
            )),
            &sz,
        )?;
        let xmax = mu
            .iter()
            .map(|r| r.3.max(r.1))
            .fold(0.0f64, f64::max)
            .max(1e-6)
            * 1.15;
        let ymax = sigma.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1e-6) * 1.15;
        let mut chart = ChartBuilder::on(&body)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(sz.label * 4)
            .build_cartesian_2d(0.0..xmax, 0.0..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .x_label_formatter(&|x| number_label(*x))
            .y_label_formatter(&|y| number_label(*y))
            .x_desc("μ*: how much it matters")
            .y_desc("σ: non-linearity and interactions (dashed: σ = μ*)")
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        // σ = μ*: above it, a factor's effects change sign or size much from place to place.
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 0.0), (xmax.min(ymax), xmax.min(ymax))],
                sz.line * 3,
                sz.line * 2,
                GREY.stroke_width(sz.line.max(2) - 1),
            ))
            .map_err(err)?;
        let (pw, _) = chart.plotting_area().dim_in_pixel();
        let mut labels = Vec::new();
        for (name, m, lo, hi) in &mu {
            let s = sigma.iter().find(|r| r.0 == *name).map_or(0.0, |r| r.1);
            let colour = if *name == d.dummy { GREY } else { DEEP_BLUE };
            chart
                .draw_series([PathElement::new(
                    vec![(*lo, s), (*hi, s)],
                    colour.stroke_width(sz.line),
                )])
                .map_err(err)?;
            chart
                .draw_series([Circle::new((*m, s), sz.line * 3, colour.filled())])
                .map_err(err)?;
            let label = if *name == d.dummy {
                format!("{name} (noise floor)")
            } else {
                name.clone()
            };
            let text = fit(root, &label, sz.small, pw / 3);
            let (tw, _) = root
                .estimate_text_size(&text, &bold(sz.small))
                .map_err(err)?;
            labels.push((chart.backend_coord(&(*m, s)), text, tw, *m > xmax * 0.6));
        }
        // Labels beside their dots, moved up (with a leader line) where they would cover one another; the lowest
        // first, so that the crowd near the origin climbs into the empty plot rather than under its axis.
        let line = (sz.small as f64 * 1.1) as i32;
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(labels[i].0.1));
        let mut placed: Vec<(i32, i32, i32)> = Vec::new();
        for i in order {
            let ((x, y), text, tw, left) = &labels[i];
            let gap = sz.small as i32;
            let (x0, x1) = if *left {
                (x - gap - *tw as i32, x - gap)
            } else {
                (x + gap, x + gap + *tw as i32)
            };
            let mut top = y - line;
            while placed
                .iter()
                .any(|(a, b, t)| x0 < *b && *a < x1 && (top - t).abs() < line)
            {
                top -= line;
            }
            placed.push((x0, x1, top));
            if top != y - line {
                root.draw(&PathElement::new(
                    vec![
                        (*x, *y),
                        (x0 + if *left { *tw as i32 } else { 0 }, top + line / 2),
                    ],
                    GREY.stroke_width(1),
                ))
                .map_err(err)?;
            }
            root.draw_text(
                text,
                &bold(sz.small).pos(Pos::new(HPos::Left, VPos::Top)),
                (x0, top),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}
