//! Why each party and guarantor said yes or no: the utility of the text against its reservation (the value of
//! fighting on) and its aspiration, round by round, with the rounds it accepted shaded.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::RunData;
use super::positions::grid;
use super::theme::*;
use crate::scenario::Role;
use crate::trace::Vote;

pub struct ReservationsChart<'a> {
    pub run: &'a RunData,
}

const ACCEPTED: RGBColor = RGBColor(0xDC, 0xF1, 0xEA);

impl Chart for ReservationsChart<'_> {
    fn name(&self) -> &'static str {
        "reservations"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let run = self.run;
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let cf = run.ceasefire_module;
        let title = format!(
            "{} — why each said yes or no to the {} text, seed {}",
            run.title, run.modules[cf], run.seed
        );
        let body = header(root, &title, &run_subtitle(&run.changed), &sz)?;
        let is_panel = |i: &usize| matches!(run.actors[*i].role, Role::Party | Role::Guarantor);
        let who: Vec<usize> = run.named.iter().copied().filter(is_panel).collect();
        let hidden = (0..run.actors.len()).filter(is_panel).count() - who.len();
        let (rows, cols) = grid(who.len() + 1);
        let panels = body.split_evenly((rows, cols));
        let roles: Vec<Role> = run.actors.iter().map(|a| a.role).collect();
        let colours = actor_colours(&roles);
        // The plots start below the tallest name (one line, or two when a name needs them).
        let step = (f64::from(sz.label) * 1.05) as i32;
        let lines = who
            .iter()
            .zip(&panels)
            .map(|(&i, panel)| {
                let a = &run.actors[i];
                wrap_lines(
                    panel,
                    &format!("{} ({})", a.name, a.role.as_str()),
                    &bold(sz.label),
                    panel.dim_in_pixel().0.saturating_sub(20),
                    2,
                )
                .len() as i32
            })
            .max()
            .unwrap_or(1);
        let title_h = sz.label as i32 + 10 + (lines - 1) * step;
        for (slot, &i) in who.iter().enumerate() {
            let panel = &panels[slot];
            let a = &run.actors[i];
            let (pw, _) = panel.dim_in_pixel();
            // On two lines when one is too narrow (many panels), never cut off.
            let style = bold(sz.label).color(&colours[i]);
            let name = wrap_lines(
                panel,
                &format!("{} ({})", a.name, a.role.as_str()),
                &style,
                pw.saturating_sub(20),
                2,
            );
            let step = (f64::from(sz.label) * 1.05) as i32;
            for (k, l) in name.iter().enumerate() {
                panel
                    .draw_text(
                        l,
                        &style.pos(Pos::new(HPos::Left, VPos::Top)),
                        (10, 4 + k as i32 * step),
                    )
                    .map_err(err)?;
            }
            let plot = panel.split_vertically(title_h).1;
            let mut chart = small_panel(&plot, run.rounds, &sz)?;
            let columns = chart.plotting_area().dim_in_pixel().0 as usize;
            let Some(s) = run.series(i) else {
                small_mesh(&mut chart, &sz)?;
                continue;
            };
            for (from, to) in shaded(run.rounds, columns, |t| run.vote(i, t, cf) == Vote::Accept) {
                chart
                    .draw_series([Rectangle::new([(from, 0.0), (to, 1.0)], ACCEPTED.filled())])
                    .map_err(err)?;
            }
            small_mesh(&mut chart, &sz)?;
            draw_line(&mut chart, run.rounds, Stroke::dashed(GREY, sz.line), |t| {
                s.aspiration[t]
            })?;
            draw_line(
                &mut chart,
                run.rounds,
                Stroke::solid(VERMILLION, sz.line),
                |t| s.reservation[t],
            )?;
            // Two-party scenarios: where the Nash point and the compromise point would leave this party.
            if let Some(&(_, nash, comp)) = run.outcome_marks.iter().find(|m| m.0 == i) {
                let x = run.rounds as f64;
                // In ink, shapes of their own: no actor has these colours.
                if let Some(un) = nash {
                    let r = sz.small as i32 / 2 + 2;
                    chart
                        .draw_series([EmptyElement::at((x, un))
                            + Polygon::new(vec![(0, -r), (r, 0), (0, r), (-r, 0)], INK.filled())])
                        .map_err(err)?;
                }
                if comp.is_finite() {
                    let r = sz.small as i32 / 3 + 2;
                    chart
                        .draw_series([EmptyElement::at((x, comp))
                            + Circle::new((0, 0), r, WHITE.filled())
                            + Circle::new((0, 0), r, INK.stroke_width(3))])
                        .map_err(err)?;
                }
            }
            draw_line(
                &mut chart,
                run.rounds,
                Stroke::solid(INK, sz.line + 1),
                |t| s.utility[t],
            )?;
        }
        if let Some(area) = panels.get(who.len()) {
            let entries = vec![
                (
                    Mark::Line(INK, sz.line + 1),
                    "utility of the text, U".to_string(),
                ),
                (
                    Mark::Dashed(GREY),
                    "aspiration τ: accepts when U\u{a0}≥\u{a0}τ".to_string(),
                ),
                (
                    Mark::Line(VERMILLION, sz.line),
                    "reservation r: the value of fighting on".to_string(),
                ),
                (Mark::Block(ACCEPTED), "rounds it accepted".to_string()),
            ];
            let mut entries = entries;
            if hidden > 0 {
                entries.push((
                    Mark::Block(WHITE),
                    format!("{hidden} more parties and guarantors, not shown (see actors.csv)"),
                ));
            }
            if !run.outcome_marks.is_empty() {
                entries.push((
                    Mark::Diamond(INK),
                    "its utility at the Nash bargaining point".to_string(),
                ));
                entries.push((
                    Mark::Ring(INK),
                    "its utility at the compromise (weighted mean of ideals)".to_string(),
                ));
            }
            legend(
                &area.margin(sz.small, 0, sz.small, 0),
                &format!("x axis: {}", run.round_label),
                &entries,
                &sz,
            )?;
        }
        Ok(())
    }
}
