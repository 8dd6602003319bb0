//! The headline chart: agreement A(t) on the ceasefire module over rounds, with mean utility, the zone-of-agreement
//! margin, ripe rounds shaded, and signatures, collapses, boycotts, violations and attacks marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::data::RunData;
use super::theme::*;
use crate::trace::EventKindRecord as Kind;

/// Rows of event labels along the top of the agreement panel.
const LABEL_ROWS: usize = 4;
/// The least pixels between the lines of two labels in one row.
const LABEL_GAP: i32 = 230;
/// A kind of line in more than one pixel column in this many is drawn as spans (see [`dense_spans`]).
const DENSE: usize = 8;
/// Attacks and violations drawn one by one; beyond this many, one mark per pixel column and kind, which looks
/// the same and keeps the drawing bounded by the chart's width.
const MARKS_ONE_BY_ONE: usize = 1000;

/// A signature, collapse, boycott or shock on the chart: one per round, kind and subject (the module or the
/// actor), with how many events it stands for.
struct LineEvent {
    round: u32,
    kind: Kind,
    count: usize,
    colour: RGBColor,
    text: String,
    dashed: bool,
    /// Another module's signature: a short tick rather than a line.
    tick: bool,
}

/// The events drawn as lines, in round order (the file's order within a round), each round's repeats of one kind
/// and subject counted as one.
fn line_events(run: &RunData, cf: &str) -> Vec<LineEvent> {
    let mut events: Vec<_> = run
        .events
        .iter()
        .filter(|e| !matches!(e.kind, Kind::Violation | Kind::Attack))
        .collect();
    events.sort_by_key(|e| e.round);
    let mut seen: HashMap<(u32, Kind, &str), usize> = HashMap::new();
    let mut out: Vec<LineEvent> = Vec::new();
    for e in events {
        let subject = match e.kind {
            Kind::Signature | Kind::Collapse => run.name(e.module),
            _ => run.name(e.actor),
        };
        match seen.entry((e.round, e.kind, subject)) {
            Entry::Occupied(at) => out[*at.get()].count += 1,
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                let (colour, text, dashed) = match e.kind {
                    Kind::Signature => (BLUISH_GREEN, format!("signed: {subject}"), false),
                    Kind::Collapse => (VERMILLION, format!("collapse: {subject}"), true),
                    Kind::Boycott => (GREY, format!("boycott: {subject}"), true),
                    _ => (
                        REDDISH_PURPLE,
                        format!("{}: {subject}", e.kind.as_str().replace('_', " ")),
                        true,
                    ),
                };
                out.push(LineEvent {
                    round: e.round,
                    kind: e.kind,
                    count: 1,
                    colour,
                    text,
                    dashed,
                    tick: e.kind == Kind::Signature && subject != cf,
                });
            }
        }
    }
    for e in &mut out {
        if e.count > 1 {
            e.text = format!("{} ×{}", e.text, e.count);
        }
    }
    out
}

/// Kinds of line (kind, tick) that stand in more than one pixel column in [`DENSE`]: their lines would merge into
/// stripes, so they are drawn as light spans over the rounds they cover (adjacent columns merged), behind the
/// labels. The kinds so drawn are returned.
fn dense_spans<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    events: &[LineEvent],
) -> Result<HashSet<(Kind, bool)>, DrawError> {
    let width = chart.plotting_area().dim_in_pixel().0 as usize;
    // Per kind of line: its colour, and the pixel column and round of each of its events.
    type Columns = (RGBColor, Vec<(i32, u32)>);
    let mut columns: HashMap<(Kind, bool), Columns> = HashMap::new();
    for e in events {
        let px = chart.backend_coord(&(f64::from(e.round), 1.0)).0;
        let entry = columns
            .entry((e.kind, e.tick))
            .or_insert_with(|| (e.colour, Vec::new()));
        entry.1.push((px, e.round));
    }
    let mut dense = HashSet::new();
    let mut styles: Vec<_> = columns.into_iter().collect();
    styles.sort_by_key(|((kind, tick), _)| (kind.as_str(), *tick));
    for ((kind, tick), (colour, mut at)) in styles {
        at.sort_unstable();
        at.dedup_by_key(|c| c.0);
        if at.len() * DENSE <= width {
            continue;
        }
        dense.insert((kind, tick));
        let top = if tick { 0.08 } else { 1.0 };
        let mut i = 0;
        while i < at.len() {
            let mut j = i;
            while j + 1 < at.len() && at[j + 1].0 - at[j].0 <= 3 {
                j += 1;
            }
            let (from, to) = (f64::from(at[i].1) - 0.5, f64::from(at[j].1) + 0.5);
            chart
                .draw_series([Rectangle::new(
                    [(from, 0.0), (to, top)],
                    colour.mix(0.25).filled(),
                )])
                .map_err(err)?;
            i = j + 1;
        }
    }
    Ok(dense)
}

/// Where each event's label goes: (row, anchor, x), or nowhere; and how many events went unlabelled. Labels are
/// staggered so they never overlap: each takes the lowest of [`LABEL_ROWS`] rows where it overlaps no other label,
/// right of its line, or left of it where it would run past the plot. Signatures and collapses are placed first, so
/// shocks and boycotts cannot crowd them out. A row holds at most a plot's width over [`LABEL_GAP`] labels, so the
/// work stays bounded by the chart's width, however many events there are.
#[allow(clippy::type_complexity)]
fn place_labels<DB: DrawingBackend>(
    chart: &Panel<'_, DB>,
    events: &[LineEvent],
    sz: &Sizes,
) -> (Vec<Option<(usize, HPos, f64)>>, usize) {
    let mut rows: [Vec<(i32, i32)>; LABEL_ROWS] = Default::default();
    let mut placed = vec![None; events.len()];
    let mut unlabelled = 0;
    let right_edge = chart.plotting_area().get_pixel_range().0.end;
    let free = |rows: &[Vec<(i32, i32)>], from: i32, to: i32| {
        rows.iter()
            .position(|row| row.iter().all(|&(a, b)| to <= a || b <= from))
    };
    let key = |e: &LineEvent| matches!(e.kind, Kind::Signature | Kind::Collapse);
    for first in [true, false] {
        for (i, e) in events.iter().enumerate().filter(|(_, e)| key(e) == first) {
            let x = f64::from(e.round);
            let px = chart.backend_coord(&(x, 1.0)).0;
            // No row has room even for the shortest label here: skip measuring this one.
            if free(&rows, px, px + LABEL_GAP).is_none() {
                unlabelled += e.count;
                continue;
            }
            let width = chart
                .plotting_area()
                .estimate_text_size(&e.text, &font(sz.small))
                .map_or(LABEL_GAP, |(w, _)| w as i32);
            let start = chart.backend_coord(&(x + 0.3, 1.0)).0;
            let (from, to, anchor, at) = if start + width <= right_edge {
                (
                    px,
                    px + LABEL_GAP.max(start - px + width + 8),
                    HPos::Left,
                    x + 0.3,
                )
            } else {
                (
                    2 * px - start - width - 8,
                    px + LABEL_GAP,
                    HPos::Right,
                    x - 0.3,
                )
            };
            match free(&rows, from, to) {
                Some(row) => {
                    rows[row].push((from, to));
                    placed[i] = Some((row, anchor, at));
                }
                None => unlabelled += e.count,
            }
        }
    }
    (placed, unlabelled)
}

pub struct AgreementChart<'a> {
    pub run: &'a RunData,
}

impl Chart for AgreementChart<'_> {
    fn name(&self) -> &'static str {
        "agreement"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let run = self.run;
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let cf = &run.modules[run.ceasefire_module];
        let title = format!(
            "{} — agreement on the {cf} module, seed {}",
            run.title, run.seed
        );
        let reached = match run.ceasefire_round {
            Some(r) => format!("ceasefire reached in {} {r}", run.round_label),
            None => "no ceasefire reached".to_string(),
        };
        let (plots, side) = header_with_legend(
            root,
            &title,
            &format!("{DISCLAIMER} · {reached}"),
            &sz,
            0.24,
        )?;
        let (top, bottom) =
            plots.split_vertically((f64::from(plots.dim_in_pixel().1) * 0.68) as u32);
        let t_max = run.rounds as f64 + 0.5;

        // Top: agreement and mean utility.
        let mut chart = ChartBuilder::on(&top)
            .margin_left(sz.label)
            .margin_right(sz.label)
            .margin_top(sz.small * 2)
            .x_label_area_size(sz.label)
            .y_label_area_size(sz.label * 4)
            .build_cartesian_2d(0.5..t_max, 0.0..1.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .y_desc("share accepting / utility")
            .x_label_formatter(&|_| String::new())
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        // Ripe rounds, and rounds with the ceasefire in force (a band along the top).
        // One rectangle per round, or, with more rounds than pixel columns, per run of columns; in round order,
        // a round's ripeness before its ceasefire.
        let columns = chart.plotting_area().dim_in_pixel().0 as usize;
        let cf_index = run.ceasefire_module;
        let mut shades: Vec<(f64, f64, bool)> = shaded(run.rounds, columns, |t| run.ripe[t])
            .into_iter()
            .map(|(a, b)| (a, b, false))
            .chain(
                shaded(run.rounds, columns, |t| {
                    run.status[t][cf_index] == crate::trace::Status::Signed
                })
                .into_iter()
                .map(|(a, b)| (a, b, true)),
            )
            .collect();
        shades.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        for (from, to, in_force) in shades {
            let (bottom, colour) = if in_force {
                (0.965, IN_FORCE)
            } else {
                (0.0, RIPE)
            };
            chart
                .draw_series([Rectangle::new([(from, bottom), (to, 1.0)], colour.filled())])
                .map_err(err)?;
        }
        // Event lines and their labels (placed first: see `place_labels`).
        let events = line_events(run, cf);
        let (labels, unlabelled) = place_labels(&chart, &events, &sz);
        let dense = dense_spans(&mut chart, &events)?;
        let mut lines_drawn = HashSet::new();
        for (e, label) in events.iter().zip(labels) {
            let x = f64::from(e.round);
            // One line per pixel column and kind of line, however many events share it (none where the kind is
            // drawn as spans).
            if !dense.contains(&(e.kind, e.tick))
                && lines_drawn.insert((chart.backend_coord(&(x, 1.0)).0, e.kind, e.tick))
            {
                if e.tick {
                    // Other modules' signatures: a short tick, labelled.
                    chart
                        .draw_series([PathElement::new(
                            vec![(x, 0.0), (x, 0.08)],
                            e.colour.stroke_width(sz.line),
                        )])
                        .map_err(err)?;
                } else if e.dashed {
                    chart
                        .draw_series(DashedLineSeries::new(
                            vec![(x, 0.0), (x, 1.0)],
                            8,
                            6,
                            e.colour.stroke_width(sz.line),
                        ))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series([PathElement::new(
                            vec![(x, 0.0), (x, 1.0)],
                            e.colour.stroke_width(sz.line),
                        )])
                        .map_err(err)?;
                }
            }
            if let Some((row, anchor, at)) = label {
                let y = 0.93 - 0.075 * row as f64;
                chart
                    .draw_series([Text::new(
                        e.text.clone(),
                        (at, y),
                        font(sz.small)
                            .color(&e.colour)
                            .pos(Pos::new(anchor, VPos::Center)),
                    )])
                    .map_err(err)?;
            }
        }
        draw_line(
            &mut chart,
            run.mean_utility.len(),
            Stroke::solid(DEEP_BLUE, sz.line),
            |t| run.mean_utility[t],
        )?;
        draw_line(
            &mut chart,
            run.agreement.len(),
            Stroke::solid(INK, sz.line + 2),
            |t| run.agreement[t],
        )?;
        conflict_marks(&mut chart, run, &sz)?;

        margin_panel(run, &bottom, &sz)?;
        let mut entries = legend_entries(cf, &sz);
        if unlabelled > 0 {
            entries.push((
                Mark::Dashed(REDDISH_PURPLE),
                format!("{unlabelled} more events, not labelled here (events.csv lists them all)"),
            ));
        }
        legend(
            &side.margin(sz.small * 2, 0, 0, sz.small),
            "",
            &entries,
            &sz,
        )?;
        Ok(())
    }
}

/// The lower panel: the zone-of-agreement margin.
fn margin_panel<DB: DrawingBackend>(
    run: &RunData,
    bottom: &DrawingArea<DB, Shift>,
    sz: &Sizes,
) -> Result<(), DrawError> {
    let t_max = run.rounds as f64 + 0.5;
    // Bottom: the zone-of-agreement margin.
    let margins: Vec<f64> = run
        .zopa_margin
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let lo = margins.iter().copied().fold(-0.1, f64::min).max(-1.0);
    let hi = margins.iter().copied().fold(0.1, f64::max).min(1.0);
    let pad = (hi - lo) * 0.08;
    let mut lower = ChartBuilder::on(bottom)
        .margin_left(sz.label)
        .margin_right(sz.label)
        .margin_top(sz.small / 2)
        .x_label_area_size(sz.label * 3)
        .y_label_area_size(sz.label * 4)
        .build_cartesian_2d(0.5..t_max, (lo - pad)..(hi + pad))
        .map_err(err)?;
    lower
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT)
        .x_desc(run.round_label.clone())
        .y_desc("min(U − r)")
        .y_labels(4)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .label_style(font(sz.small))
        .axis_desc_style(font(sz.label))
        .draw()
        .map_err(err)?;
    lower
        .draw_series(LineSeries::new(
            vec![(0.5, 0.0), (t_max, 0.0)],
            GREY.stroke_width(2),
        ))
        .map_err(err)?;
    draw_line(
        &mut lower,
        run.zopa_margin.len(),
        Stroke::solid(ORANGE, sz.line),
        |t| run.zopa_margin[t],
    )?;
    Ok(())
}

/// The legend of the agreement chart.
fn legend_entries(cf: &str, sz: &Sizes) -> Vec<(Mark, String)> {
    vec![
        (Mark::Line(INK, sz.line + 2), format!("Agreement A(t): share of voters accepting the {cf} text")),
        (Mark::Line(DEEP_BLUE, sz.line), "Mean utility of the text".to_string()),
        (Mark::Line(ORANGE, sz.line), "Zone of agreement (lower panel): > 0 when every signatory and party prefers the text to fighting".to_string()),
        (Mark::Block(IN_FORCE), "Ceasefire in force".to_string()),
        (Mark::Block(RIPE), "Ripe: mutually hurting stalemate".to_string()),
        (Mark::Line(BLUISH_GREEN, sz.line), "Signature".to_string()),
        (Mark::Dashed(VERMILLION), "Collapse".to_string()),
        (Mark::Dashed(GREY), "Boycott".to_string()),
        (Mark::Cross(VERMILLION), "Violation".to_string()),
        (Mark::Triangle(INK), "Spoiler attack".to_string()),
    ]
}

type Panel<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Attacks and violations along the bottom of the upper panel.
fn conflict_marks<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    run: &RunData,
    sz: &Sizes,
) -> Result<(), DrawError> {
    // Attacks and violations along the bottom.
    let marks = run
        .events
        .iter()
        .filter(|e| matches!(e.kind, Kind::Violation | Kind::Attack))
        .count();
    let mut drawn = HashSet::new();
    for e in &run.events {
        let x = f64::from(e.round);
        if marks > MARKS_ONE_BY_ONE
            && matches!(e.kind, Kind::Violation | Kind::Attack)
            && !drawn.insert((chart.backend_coord(&(x, 0.0)).0, e.kind))
        {
            continue;
        }
        match e.kind {
            Kind::Attack => chart
                .draw_series([TriangleMarker::new(
                    (x, 0.035),
                    (sz.small / 2) as i32,
                    INK.filled(),
                )])
                .map(|_| ())
                .map_err(err)?,
            Kind::Violation => chart
                .draw_series([Cross::new(
                    (x, 0.1),
                    (sz.small / 3) as i32,
                    VERMILLION.stroke_width(3),
                )])
                .map(|_| ())
                .map_err(err)?,
            _ => {}
        }
    }
    Ok(())
}
