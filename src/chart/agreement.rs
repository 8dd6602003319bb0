//! The headline chart: agreement A(t) on the ceasefire module over rounds, with mean utility, the zone-of-agreement
//! margin and the collapse margin that a signed ceasefire tolerates, ripe rounds shaded, signatures, collapses,
//! boycotts, violations and attacks marked, and the scenario's real, dated events (`[[history]]`) beside them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::data::{Collapse, RunData};
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
/// Rows of history labels, above the agreement panel.
const HISTORY_ROWS: usize = 4;
/// Real, dated events: a colour no simulated mark uses (a dark brown, distinct from the Okabe–Ito colours of the
/// simulated events).
const HISTORY: RGBColor = RGBColor(0x8B, 0x4F, 0x1D);
/// The collapse margin's band in the lower panel: a light vermillion, the colour of a collapse, faded.
const TOLERANCE: RGBColor = RGBColor(0xF6, 0xD5, 0xBF);

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
        let body = heading(root, &title, &run.changed, &reached, &sz)?;
        let (w, _) = root.dim_in_pixel();
        let (plots, side) = body.split_horizontally(w.saturating_sub((f64::from(w) * 0.26) as u32));
        let (top, bottom) =
            plots.split_vertically((f64::from(plots.dim_in_pixel().1) * 0.68) as u32);
        let t_max = run.rounds as f64 + 0.5;
        let history: Vec<&(u32, String)> = run
            .history
            .iter()
            .filter(|(r, _)| *r >= 1 && *r as usize <= run.rounds)
            .collect();
        let history_row = (f64::from(sz.small) * 1.15) as u32;
        // Where the history labels go: x does not depend on the rows above the panel, so a first layout with no
        // rows places them, and the panel then leaves as many rows as they take.
        let placed = if history.is_empty() {
            Vec::new()
        } else {
            let probe = ChartBuilder::on(&top)
                .margin_left(sz.label)
                .margin_right(sz.label)
                .margin_top(sz.small * 2)
                .x_label_area_size(sz.label)
                .y_label_area_size(sz.label * 4)
                .build_cartesian_2d(0.5..t_max, 0.0..1.0)
                .map_err(err)?;
            place_history(root, &probe, run, &history, &sz)
        };
        let history_rows = placed
            .iter()
            .flatten()
            .map(|p| p.row + 1)
            .max()
            .unwrap_or(0);

        // Top: agreement and mean utility; the history labels above it.
        let mut chart = ChartBuilder::on(&top)
            .margin_left(sz.label)
            .margin_right(sz.label)
            .margin_top(sz.small * 2 + history_rows as u32 * history_row)
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
        // The real events, behind the simulated ones.
        let unlabelled_history =
            history_marks(root, &mut chart, &history, &placed, history_row, &sz)?;
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

        let band = margin_panel(run, &bottom, &sz)?;
        let mut entries = legend_entries(run, cf, &events, band, !history.is_empty(), &sz);
        if unlabelled > 0 {
            entries.push((
                Mark::Dashed(REDDISH_PURPLE),
                format!("{unlabelled} more events, not labelled here (events.csv lists them all)"),
            ));
        }
        if unlabelled_history > 0 {
            entries.push((
                Mark::Dashed(HISTORY),
                format!(
                    "{unlabelled_history} more real events, not labelled here (drawn.toml lists them all)"
                ),
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

/// The lower panel: the zone-of-agreement margin and, while the ceasefire is in force, the band of the collapse
/// margin below 0 that a signed ceasefire tolerates. Returns the collapse rule when its band was drawn.
fn margin_panel<'r, DB: DrawingBackend>(
    run: &'r RunData,
    bottom: &DrawingArea<DB, Shift>,
    sz: &Sizes,
) -> Result<Option<&'r Collapse>, DrawError> {
    let t_max = run.rounds as f64 + 0.5;
    let cf = run.ceasefire_module;
    let in_force = |t: usize| run.status[t][cf] == crate::trace::Status::Signed;
    let band = run
        .collapse
        .as_ref()
        .filter(|c| c.margin > 0.0 && c.margin.is_finite())
        .filter(|_| (0..run.status.len()).any(in_force));
    // Bottom: the zone-of-agreement margin, and the band when there is one.
    let margins: Vec<f64> = run
        .zopa_margin
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    // At least ±0.1, or, with a band, ±2.5 times its depth, so that the band stands out.
    let least = band.map_or(0.1, |c| (c.margin * 2.5).min(1.0));
    let lo = margins.iter().copied().fold(-least, f64::min).max(-1.0);
    let hi = margins.iter().copied().fold(least, f64::max).min(1.0);
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
    if let Some(c) = band {
        let columns = lower.plotting_area().dim_in_pixel().0 as usize;
        for (from, to) in shaded(run.status.len(), columns, in_force) {
            lower
                .draw_series([Rectangle::new(
                    [(from, -c.margin), (to, 0.0)],
                    TOLERANCE.filled(),
                )])
                .map_err(err)?;
            lower
                .draw_series([PathElement::new(
                    vec![(from, -c.margin), (to, -c.margin)],
                    VERMILLION.stroke_width(2),
                )])
                .map_err(err)?;
        }
    }
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
    Ok(band)
}

/// The legend of the agreement chart: the lines always, and each other mark only when the run has one.
fn legend_entries(
    run: &RunData,
    cf: &str,
    events: &[LineEvent],
    band: Option<&Collapse>,
    history: bool,
    sz: &Sizes,
) -> Vec<(Mark, String)> {
    let has = |kind: Kind| events.iter().any(|e| e.kind == kind);
    let marked = |kind: Kind| run.events.iter().any(|e| e.kind == kind);
    let in_force = run
        .status
        .iter()
        .any(|s| s[run.ceasefire_module] == crate::trace::Status::Signed);
    let mut entries = vec![
        (
            Mark::Line(INK, sz.line + 2),
            format!("Agreement A(t): share of voters accepting the {cf} text"),
        ),
        (
            Mark::Line(DEEP_BLUE, sz.line),
            "Mean utility of the text".to_string(),
        ),
        (
            Mark::Line(ORANGE, sz.line),
            "Zone of agreement (lower panel): > 0 when all who sign or comply prefer the text to fighting"
                .to_string(),
        ),
    ];
    if let Some(c) = band {
        let who = match c.compliance.split_last() {
            None => "a compliance party".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        };
        let m = crate::input::compact_number(c.margin);
        let label = &run.round_label;
        let when = if c.patience == 1 {
            format!("in any {label}")
        } else {
            format!("for {} {label}s in a row", c.patience)
        };
        entries.push((
            Mark::Block(TOLERANCE),
            format!("Collapse margin: the signed ceasefire collapses only if {who} has U − r < −{m} {when}"),
        ));
    }
    if in_force {
        entries.push((Mark::Block(IN_FORCE), "Ceasefire in force".to_string()));
    }
    if run.ripe.iter().any(|&r| r) {
        entries.push((
            Mark::Block(RIPE),
            "Ripe: mutually hurting stalemate".to_string(),
        ));
    }
    if has(Kind::Signature) {
        entries.push((Mark::Line(BLUISH_GREEN, sz.line), "Signature".to_string()));
    }
    if has(Kind::Collapse) {
        entries.push((Mark::Dashed(VERMILLION), "Collapse".to_string()));
    }
    if has(Kind::Boycott) {
        entries.push((Mark::Dashed(GREY), "Boycott".to_string()));
    }
    if has(Kind::CapabilityShift) || has(Kind::HurtShock) || has(Kind::TrustShock) {
        entries.push((
            Mark::Dashed(REDDISH_PURPLE),
            "Shock: capability, hurt or trust".to_string(),
        ));
    }
    if marked(Kind::Violation) {
        entries.push((Mark::Cross(VERMILLION), "Violation".to_string()));
    }
    if marked(Kind::Attack) {
        entries.push((Mark::Triangle(INK), "Spoiler attack".to_string()));
    }
    if history {
        entries.push((
            Mark::Dashed(HISTORY),
            "Real event (history, not simulated)".to_string(),
        ));
    }
    entries
}

/// The title and the subtitle ("teaching defaults, not a forecast · what was changed · ceasefire reached in week
/// 19"), each wrapped onto at most two lines rather than cut off at the edge; the area below them. A long title is
/// first drawn smaller (down to the label size) to keep it on one line; only what was changed is ever shortened.
fn heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    changed: &str,
    reached: &str,
    sz: &Sizes,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let room = w.saturating_sub(2 * sz.label);
    // What `fit_styled(…, room)` keeps whole, so that a wrapped line is never shortened.
    let inner = room - room / 25;
    let lines_of = |text: &str, style: &TextStyle<'_>| wrap(root, text, style, inner);
    let one_line = (sz.label..=sz.title)
        .rev()
        .find(|&size| lines_of(title, &bold(size)).len() == 1);
    let two_lines = (sz.label..=sz.title)
        .rev()
        .find(|&size| lines_of(title, &bold(size)).len() <= 2);
    let size = one_line.or(two_lines).unwrap_or(sz.label);
    let title_lines = two(root, lines_of(title, &bold(size)), &bold(size), room);
    let x = sz.label as i32;
    let mut y = (sz.title as f64 * 0.5) as i32;
    for line in &title_lines {
        root.draw_text(
            line,
            &bold(size).pos(Pos::new(HPos::Left, VPos::Top)),
            (x, y),
        )
        .map_err(err)?;
        y += size as i32;
    }
    y += (sz.title as f64 * 0.3) as i32;
    let grey = font(sz.subtitle).color(&RGBColor(0x55, 0x55, 0x55));
    let subtitle = |changed: &str| {
        [DISCLAIMER, changed, reached]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut text = subtitle(changed);
    if lines_of(&text, &grey).len() > 2 {
        // Shorten what was changed, and only that, until the subtitle fits on two lines.
        let chars: Vec<char> = changed.chars().collect();
        let (mut lo, mut hi) = (0, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate = chars[..mid]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…";
            if lines_of(&subtitle(&candidate), &grey).len() <= 2 {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let kept = chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string();
        text = subtitle(&if kept.is_empty() {
            String::new()
        } else {
            kept + "…"
        });
    }
    for line in two(root, lines_of(&text, &grey), &grey, room) {
        root.draw_text(&line, &grey.pos(Pos::new(HPos::Left, VPos::Top)), (x, y))
            .map_err(err)?;
        y += sz.subtitle as i32;
    }
    let used = y + (sz.subtitle as f64 * 0.6) as i32;
    Ok(root.split_vertically(used).1)
}

/// Wrapped `lines` as at most two, the rest joined onto the second and shortened with "…" only if it must be.
fn two<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mut lines: Vec<String>,
    style: &TextStyle<'_>,
    room: u32,
) -> Vec<String> {
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(rest);
    }
    lines
        .iter()
        .map(|l| fit_styled(area, l, style, room))
        .collect()
}

/// Where a history label goes: its row above the panel (0 nearest), its text and anchor, and its x in pixels.
struct HistoryLabel {
    row: usize,
    text: String,
    anchor: HPos,
    x: i32,
}

/// Where each real event's label goes ("what happened, week 18"), or nowhere: each takes the lowest of
/// [`HISTORY_ROWS`] rows above the panel where it overlaps no other label, right of its line or, where it would run
/// past the plot, left of it. A row holds at most a plot's width over half a [`LABEL_GAP`] labels, so the work
/// stays bounded by the chart's width.
fn place_history<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Panel<'_, DB>,
    run: &RunData,
    history: &[&(u32, String)],
    sz: &Sizes,
) -> Vec<Option<HistoryLabel>> {
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let (left, right) = (xs.start, xs.end);
    let style = font(sz.small);
    let gap = (sz.small / 2) as i32;
    let mut rows: [Vec<(i32, i32)>; HISTORY_ROWS] = Default::default();
    let free = |rows: &[Vec<(i32, i32)>], from: i32, to: i32| {
        rows.iter()
            .position(|row| row.iter().all(|&(a, b)| to + gap <= a || b + gap <= from))
    };
    let measure = |t: &str| {
        root.estimate_text_size(t, &style)
            .map_or(LABEL_GAP, |(w, _)| w as i32)
    };
    let mut placed: Vec<Option<HistoryLabel>> = (0..history.len()).map(|_| None).collect();
    // In round order (file order within a round).
    let mut order: Vec<usize> = (0..history.len()).collect();
    order.sort_by_key(|&i| history[i].0);
    for i in order {
        let (round, label) = history[i];
        let px = chart.backend_coord(&(f64::from(*round), 1.0)).0;
        // No row has room even for a short label here: skip measuring this one.
        if free(&rows, px - 1, px + LABEL_GAP / 2).is_none()
            && free(&rows, px - LABEL_GAP / 2, px + 1).is_none()
        {
            continue;
        }
        let full = format!("{label}, {} {round}", run.round_label);
        let (right_room, left_room) = (right - px - 6, px - 6 - left);
        let w = measure(&full);
        // Right of the line, else left of it; a label wider than both sides is shortened to the wider.
        let mut options = Vec::new();
        if w <= right_room {
            options.push((full.clone(), HPos::Left, w));
        }
        if w <= left_room {
            options.push((full.clone(), HPos::Right, w));
        }
        if options.is_empty() {
            let (room, anchor) = if right_room >= left_room {
                (right_room, HPos::Left)
            } else {
                (left_room, HPos::Right)
            };
            let text = fit_styled(root, &full, &style, room.max(0) as u32);
            let w = measure(&text);
            options.push((text, anchor, w));
        }
        let span = |anchor: HPos, w: i32| match anchor {
            HPos::Left => (px - 1, px + 6 + w, px + 6),
            _ => (px - 6 - w, px + 1, px - 6),
        };
        let clear = |row: &[(i32, i32)], from: i32, to: i32| {
            row.iter().all(|&(a, b)| to + gap <= a || b + gap <= from)
        };
        // The lowest row where an option fits.
        let found = (0..HISTORY_ROWS).find_map(|row| {
            options.iter().find_map(|(text, anchor, w)| {
                let (from, to, _) = span(*anchor, *w);
                clear(&rows[row], from, to).then(|| (row, text.clone(), *anchor, *w))
            })
        });
        let Some((row, text, anchor, w)) = found else {
            continue;
        };
        let (from, to, x) = span(anchor, w);
        rows[row].push((from, to));
        placed[i] = Some(HistoryLabel {
            row,
            text,
            anchor,
            x,
        });
    }
    placed
}

/// The real, dated events: a dotted line through the agreement panel at each (one per pixel column), and the
/// labels [`place_history`] placed in the rows above the panel, each joined to its line. Returns how many went
/// unlabelled.
fn history_marks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Panel<'_, DB>,
    history: &[&(u32, String)],
    placed: &[Option<HistoryLabel>],
    row_height: u32,
    sz: &Sizes,
) -> Result<usize, DrawError> {
    let plot_top = chart.plotting_area().get_pixel_range().1.start;
    let style = font(sz.small).color(&HISTORY);
    let gap = (sz.small / 2) as i32;
    let row_height = row_height as i32;
    let mut lines = HashSet::new();
    for (round, _) in history {
        let x = f64::from(*round);
        if lines.insert(chart.backend_coord(&(x, 1.0)).0) {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, 1.0)],
                    4,
                    4,
                    HISTORY.stroke_width(sz.line.max(2)),
                ))
                .map_err(err)?;
        }
    }
    // Each label is joined to its line; the joins first, so that a join passing a label of a lower row runs
    // behind it (each label is drawn on white) and ends at its own label.
    let y_of = |row: usize| plot_top - gap - row_height / 2 - row as i32 * row_height;
    for ((round, _), label) in history.iter().zip(placed) {
        let Some(label) = label else { continue };
        let px = chart.backend_coord(&(f64::from(*round), 1.0)).0;
        root.draw(&PathElement::new(
            vec![(px, y_of(label.row) - row_height / 2 + 2), (px, plot_top)],
            HISTORY.stroke_width(2),
        ))
        .map_err(err)?;
    }
    for label in placed.iter().flatten() {
        let y = y_of(label.row);
        let w = root
            .estimate_text_size(&label.text, &font(sz.small))
            .map_or(0, |(w, _)| w as i32);
        let (from, to) = match label.anchor {
            HPos::Left => (label.x - 2, label.x + w + 2),
            _ => (label.x - w - 2, label.x + 2),
        };
        root.draw(&Rectangle::new(
            // The whole row's height, so that a join passing behind shows in no gap between rows.
            [(from, y - row_height / 2), (to, y + row_height / 2 + 1)],
            WHITE.filled(),
        ))
        .map_err(err)?;
        root.draw_text(
            &label.text,
            &style.pos(Pos::new(label.anchor, VPos::Center)),
            (label.x, y),
        )
        .map_err(err)?;
    }
    Ok(placed.iter().filter(|p| p.is_none()).count())
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
