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
        let body = header(root, &title, DISCLAIMER, &sz)?;
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
        for (d, panel) in panels.iter().enumerate().take(k) {
            let dim = &run.dimensions[d];
            let (pw, _) = panel.dim_in_pixel();
            let module = match run.dimension_module[d] {
                Some(m) if run.opened(m) => run.modules[m].clone(),
                Some(m) => format!("{}, never opened", run.modules[m]),
                None => "in no module".to_string(),
            };
            // Measured in the bold face it is drawn in (wider than the regular one).
            let name = fit_styled(
                panel,
                &format!("{} ({module})", dim.label),
                &bold(sz.label),
                pw.saturating_sub(20),
            );
            panel
                .draw_text(
                    &name,
                    &bold(sz.label).pos(Pos::new(HPos::Left, VPos::Top)),
                    (10, 4),
                )
                .map_err(err)?;
            let meaning = fit(
                panel,
                &format!("1 = {}", dim.one),
                sz.small,
                pw.saturating_sub(20),
            );
            let zero = fit(
                panel,
                &format!("0 = {}", dim.zero),
                sz.small,
                pw.saturating_sub(20),
            );
            let grey = font(sz.small).color(&RGBColor(0x55, 0x55, 0x55));
            let line = (f64::from(sz.small) * 1.25) as i32;
            let top = sz.label as i32 + 10;
            panel
                .draw_text(
                    &meaning,
                    &grey.pos(Pos::new(HPos::Left, VPos::Top)),
                    (10, top),
                )
                .map_err(err)?;
            panel
                .draw_text(
                    &zero,
                    &grey.pos(Pos::new(HPos::Left, VPos::Top)),
                    (10, top + line),
                )
                .map_err(err)?;
            let plot = panel.split_vertically(top + 2 * line + 4).1;
            let mut chart = small_panel(&plot, run.rounds, &sz)?;
            small_mesh(&mut chart, &sz)?;
            let columns = chart.plotting_area().dim_in_pixel().0 as usize;
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
                Stroke::dashed(GREY, sz.line),
                |t| run.compromise[t][d],
            )?;
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
                (Mark::Dashed(GREY), "compromise (weighted mean)".to_string()),
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
