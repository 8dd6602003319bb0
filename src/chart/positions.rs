//! Stated positions converging on the text: one small panel per dimension, each actor's position in its colour, the
//! text as a thick line, and the compromise (capability × salience weighted mean) dashed for reference.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::RunData;
use super::theme::*;
use crate::scenario::Role;

pub struct PositionsChart<'a> {
    pub run: &'a RunData,
}

/// Rows and columns for `panels` panels on a wide image.
pub fn grid(panels: usize) -> (usize, usize) {
    let rows = match panels {
        0..=4 => 1,
        5..=8 => 2,
        9..=15 => 3,
        _ => 4,
    };
    (rows, panels.div_ceil(rows))
}

/// The band of the voters not named.
const OTHERS_BAND: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// The range of the other voters' positions on dimension `d` (those summarised, and the named voters `folded` in),
/// round by round (per bucket of rounds when there are more rounds than `columns`), as a grey band behind the
/// lines.
fn others_band<DB: DrawingBackend>(
    run: &RunData,
    d: usize,
    folded: &[usize],
    chart: &mut SmallPanel<'_, DB>,
    columns: usize,
) -> Result<(), DrawError> {
    let o = &run.others;
    let nd = run.dimensions.len();
    let range = |t: usize| {
        let summarised = (!o.low.is_empty())
            .then(|| (f64::from(o.low[t * nd + d]), f64::from(o.high[t * nd + d])));
        let named = folded.iter().map(|&i| {
            let p = run.position(i, t, d);
            (p, p)
        });
        summarised
            .into_iter()
            .chain(named)
            .filter(|(l, h)| l.is_finite() && h.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, h)| {
                (lo.min(l), hi.max(h))
            })
    };
    let mut low = Vec::new();
    let mut high = Vec::new();
    for bucket in buckets(run.rounds, columns) {
        let x = (bucket.start + bucket.end + 1) as f64 / 2.0;
        let (lo, hi) = bucket
            .map(range)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, h)| {
                (lo.min(l), hi.max(h))
            });
        if lo <= hi {
            low.push((x, lo));
            high.push((x, hi));
        }
    }
    high.reverse();
    low.extend(high);
    chart
        .draw_series([Polygon::new(low, OTHERS_BAND.filled())])
        .map_err(err)?;
    Ok(())
}

impl Chart for PositionsChart<'_> {
    fn name(&self) -> &'static str {
        "positions"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let run = self.run;
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let title = format!(
            "{} — stated positions and the text, seed {}",
            run.title, run.seed
        );
        let body = header(root, &title, &run_subtitle(&run.changed), &sz)?;
        let k = run.dimensions.len();
        let (rows, cols) = grid(k + 1);
        let panels = body.split_evenly((rows, cols));
        let roles: Vec<Role> = run.actors.iter().map(|a| a.role).collect();
        let colours = actor_colours(&roles);
        let mut voters: Vec<usize> = run
            .named
            .iter()
            .copied()
            .filter(|&i| run.is_voter(i))
            .collect();
        // When some actors are summarised, lines are drawn for as many voters as there are colours (the first by
        // role), and the band of the others takes in the rest.
        let mut folded = Vec::new();
        if run.others.count > 0 && voters.len() > LINE_PALETTE.len() {
            let mut by_role = voters.clone();
            by_role.sort_by_key(|&i| (role_rank(run.actors[i].role), i));
            folded = by_role.split_off(LINE_PALETTE.len());
            voters.retain(|i| !folded.contains(i));
        }
        let others = (0..run.actors.len()).filter(|&i| run.is_voter(i)).count() - voters.len();
        let grey = font(sz.small).color(&REFERENCE);
        let title_step = (f64::from(sz.label) * 1.05) as i32;
        let line = (f64::from(sz.small) * 1.2) as i32;
        // Each panel's name and the meanings of 0 and 1, wrapped onto as many lines as they need (at most two for
        // the name, three for a meaning); the plots of a row start below the tallest of its headings.
        let headings: Vec<[Vec<String>; 3]> = panels
            .iter()
            .zip(&run.dimensions)
            .enumerate()
            .map(|(d, (panel, dim))| {
                let room = panel.dim_in_pixel().0.saturating_sub(20);
                let module = match run.dimension_module[d] {
                    Some(m) => run.modules[m].clone(),
                    None => "in no module".to_string(),
                };
                // Measured in the bold face it is drawn in (wider than the regular one).
                [
                    wrap_lines(
                        panel,
                        &format!("{} ({module})", dim.label),
                        &bold(sz.label),
                        room,
                        2,
                    ),
                    wrap_lines(panel, &format!("1 = {}", dim.one), &grey, room, 3),
                    wrap_lines(panel, &format!("0 = {}", dim.zero), &grey, room, 3),
                ]
            })
            .collect();
        let height = |h: &[Vec<String>; 3]| {
            4 + h[0].len() as i32 * title_step + 6 + (h[1].len() + h[2].len()) as i32 * line + 4
        };
        let row_top: Vec<i32> = (0..rows)
            .map(|r| {
                headings
                    .iter()
                    .skip(r * cols)
                    .take(cols)
                    .map(height)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (d, (panel, heading)) in panels.iter().zip(&headings).enumerate().take(k) {
            let mut y = 4;
            for l in &heading[0] {
                panel
                    .draw_text(
                        l,
                        &bold(sz.label).pos(Pos::new(HPos::Left, VPos::Top)),
                        (10, y),
                    )
                    .map_err(err)?;
                y += title_step;
            }
            y += 6;
            for l in heading[1].iter().chain(&heading[2]) {
                panel
                    .draw_text(l, &grey.pos(Pos::new(HPos::Left, VPos::Top)), (10, y))
                    .map_err(err)?;
                y += line;
            }
            let plot = panel.split_vertically(row_top[d / cols]).1;
            let mut chart = small_panel(&plot, run.rounds, &sz)?;
            small_mesh(&mut chart, &sz)?;
            let columns = chart.plotting_area().dim_in_pixel().0 as usize;
            // Under the lines, so that they keep their colours where they cross it.
            if run.dimension_module[d].is_some_and(|m| !run.opened(m)) {
                not_open_note(&chart, &sz)?;
            }
            if others > 0 {
                others_band(run, d, &folded, &mut chart, columns)?;
            }
            for &i in &voters {
                draw_line(
                    &mut chart,
                    run.rounds,
                    Stroke::solid(colours[i], sz.line),
                    |t| run.position(i, t, d),
                )?;
            }
            draw_line(
                &mut chart,
                run.compromise.len(),
                Stroke::dashed(REFERENCE, sz.line),
                |t| run.compromise[t][d],
            )?;
            // The text where it is defined: the tables leave it empty until its module opens.
            draw_line(
                &mut chart,
                run.text.len(),
                Stroke::solid(INK, sz.line + 3),
                |t| run.text[t][d],
            )?;
        }
        if let Some(legend_area) = panels.get(k) {
            let mut entries = vec![
                (
                    Mark::Line(INK, sz.line + 3),
                    "the text on the table".to_string(),
                ),
                (
                    Mark::Dashed(REFERENCE),
                    "compromise (weighted mean)".to_string(),
                ),
            ];
            for &i in &voters {
                entries.push((
                    Mark::Line(colours[i], sz.line),
                    format!("{} ({})", run.actors[i].name, run.actors[i].role.as_str()),
                ));
            }
            if others > 0 {
                entries.push((
                    Mark::Block(OTHERS_BAND),
                    format!("the {others} other voters: from the lowest position to the highest"),
                ));
            }
            legend(
                &legend_area.margin(sz.small, 0, sz.small, 0),
                &format!("x axis: {}", run.round_label),
                &entries,
                &sz,
            )?;
        }
        Ok(())
    }
}

/// "Not open in this run" (so no text), at the top left of a panel's plot, drawn before the lines (the panel's name
/// says which module).
fn not_open_note<DB: DrawingBackend>(
    chart: &SmallPanel<'_, DB>,
    sz: &Sizes,
) -> Result<(), DrawError> {
    let area = chart.plotting_area().strip_coord_spec();
    let (w, _) = area.dim_in_pixel();
    let style = bold(sz.small);
    let lines = wrap_lines(
        &area,
        "not open in this run",
        &style,
        w.saturating_sub(24),
        2,
    );
    let line = (f64::from(sz.small) * 1.2) as i32;
    let widest = lines
        .iter()
        .map(|l| {
            area.estimate_text_size(l, &style)
                .map_or(0, |(lw, _)| lw as i32)
        })
        .max()
        .unwrap_or(0);
    let (x, y) = (6, 6);
    area.draw(&Rectangle::new(
        [(x, y), (x + widest + 12, y + lines.len() as i32 * line + 8)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(err)?;
    for (k, l) in lines.iter().enumerate() {
        area.draw_text(
            l,
            &style.pos(Pos::new(HPos::Left, VPos::Top)),
            (x + 6, y + 4 + k as i32 * line),
        )
        .map_err(err)?;
    }
    Ok(())
}
