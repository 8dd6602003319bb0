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

fn points(values: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    values
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(t, v)| (t as f64 + 1.0, v))
        .collect()
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
        let voters: Vec<usize> = (0..run.actors.len()).filter(|&i| run.is_voter(i)).collect();
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
            for &i in &voters {
                chart
                    .draw_series(LineSeries::new(
                        points(run.positions.iter().map(|p| p[i][d])),
                        colours[i].stroke_width(sz.line),
                    ))
                    .map_err(err)?;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    points(run.compromise.iter().map(|c| c[d])),
                    8,
                    6,
                    GREY.stroke_width(sz.line),
                ))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    points(run.text.iter().map(|x| x[d])),
                    INK.stroke_width(sz.line + 3),
                ))
                .map_err(err)?;
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
