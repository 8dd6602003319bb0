//! Votes as an actor × round grid, one panel per module that ever opened: accept, reject, or not voting
//! (boycott, host, spoiler, closed module).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::RunData;
use super::theme::*;
use crate::trace::Vote;

pub struct VotesChart<'a> {
    pub run: &'a RunData,
}

fn colour(v: Vote) -> RGBColor {
    match v {
        Vote::Accept => BLUISH_GREEN,
        Vote::Reject => VERMILLION,
        Vote::Absent => GREY,
        Vote::Closed => LIGHT,
        Vote::NoVote => RGBColor(0xF7, 0xF7, 0xF7),
    }
}

impl Chart for VotesChart<'_> {
    fn name(&self) -> &'static str {
        "votes"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let run = self.run;
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let title = format!(
            "{} — who accepted the text, {} by {}, seed {}",
            run.title, run.round_label, run.round_label, run.seed
        );
        let (grid_area, side) = header_with_legend(root, &title, DISCLAIMER, &sz, 0.2)?;
        let modules: Vec<usize> = (0..run.modules.len()).filter(|&m| run.opened(m)).collect();
        let actors: Vec<usize> = (0..run.actors.len()).collect();
        let (gw, gh) = grid_area.dim_in_pixel();
        let label_w = (sz.label * 5) as i32;
        let left = label_w + sz.small as i32;
        let right = gw as i32 - sz.small as i32;
        let axis_h = (sz.label as f64 * 2.6) as i32;
        let heading_h = (sz.label as f64 * 1.5) as i32;
        let gap = sz.small as i32;
        let rows_total = (modules.len() * actors.len()).max(1) as i32;
        let avail = gh as i32 - axis_h - (heading_h + gap) * modules.len() as i32;
        let row_h = (avail / rows_total).clamp(4, sz.label as i32 * 2);
        let cell_w = f64::from(right - left) / run.rounds.max(1) as f64;
        let mut y = 0;
        for &m in &modules {
            let cf = if m == run.ceasefire_module {
                " (the ceasefire)"
            } else {
                ""
            };
            grid_area
                .draw_text(
                    &format!("Module {}{cf}", run.modules[m]),
                    &bold(sz.label).pos(Pos::new(HPos::Left, VPos::Top)),
                    (left, y),
                )
                .map_err(err)?;
            y += heading_h;
            for &i in &actors {
                grid_area
                    .draw_text(
                        &run.actors[i].id,
                        &font(sz.small).pos(Pos::new(HPos::Right, VPos::Center)),
                        (label_w, y + row_h / 2),
                    )
                    .map_err(err)?;
                for t in 0..run.rounds {
                    let x0 = left + (t as f64 * cell_w) as i32;
                    let x1 = left + ((t + 1) as f64 * cell_w) as i32;
                    let v = run.votes[t][i][m];
                    grid_area
                        .draw(&Rectangle::new(
                            [(x0, y), (x1 - 1, y + row_h - 2)],
                            colour(v).filled(),
                        ))
                        .map_err(err)?;
                }
                y += row_h;
            }
            y += gap;
        }
        // Round axis under the last panel.
        let step = if run.rounds > 60 { 10 } else { 5 };
        for t in (0..=run.rounds).step_by(step).skip(1) {
            let x = left + ((t as f64 - 0.5) * cell_w) as i32;
            grid_area
                .draw_text(
                    &t.to_string(),
                    &font(sz.small).pos(Pos::new(HPos::Center, VPos::Top)),
                    (x, y),
                )
                .map_err(err)?;
        }
        grid_area
            .draw_text(
                &run.round_label,
                &font(sz.label).pos(Pos::new(HPos::Center, VPos::Top)),
                ((left + right) / 2, y + sz.label as i32 + 4),
            )
            .map_err(err)?;
        let entries = vec![
            (Mark::Block(BLUISH_GREEN), "accept".to_string()),
            (Mark::Block(VERMILLION), "reject".to_string()),
            (Mark::Block(GREY), "absent (boycott)".to_string()),
            (
                Mark::Block(RGBColor(0xF7, 0xF7, 0xF7)),
                "no vote (host, spoiler)".to_string(),
            ),
            (Mark::Block(LIGHT), "module not open".to_string()),
        ];
        legend(
            &side.margin(sz.small * 2, 0, sz.small, 0),
            "Vote",
            &entries,
            &sz,
        )?;
        Ok(())
    }
}
