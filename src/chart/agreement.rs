//! The headline chart: agreement A(t) on the ceasefire module over rounds, with mean utility, the zone-of-agreement
//! margin, ripe rounds shaded, and signatures, collapses, boycotts, violations and attacks marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::RunData;
use super::theme::*;
use crate::trace::EventKindRecord as Kind;

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
        for t in 0..run.rounds {
            let x = t as f64 + 1.0;
            if run.ripe[t] {
                chart
                    .draw_series([Rectangle::new(
                        [(x - 0.5, 0.0), (x + 0.5, 1.0)],
                        RIPE.filled(),
                    )])
                    .map_err(err)?;
            }
            if run.status[t][run.ceasefire_module] == crate::trace::Status::Signed {
                chart
                    .draw_series([Rectangle::new(
                        [(x - 0.5, 0.965), (x + 0.5, 1.0)],
                        IN_FORCE.filled(),
                    )])
                    .map_err(err)?;
            }
        }
        // Event lines and their labels, staggered so they never overlap.
        let mut placed: Vec<(i32, i32)> = Vec::new();
        let mut label_at = |chart: &mut ChartContext<'_, DB, _>,
                            x: f64,
                            text: &str,
                            colour: RGBColor|
         -> Result<(), DrawError> {
            let px = chart.backend_coord(&(x, 1.0)).0;
            let mut row = 0;
            while placed
                .iter()
                .any(|&(p, r)| r == row && (p - px).abs() < 230)
            {
                row += 1;
            }
            placed.push((px, row));
            let y = 0.93 - 0.075 * f64::from(row);
            chart
                .draw_series([Text::new(
                    text.to_string(),
                    (x + 0.3, y),
                    font(sz.small)
                        .color(&colour)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )])
                .map_err(err)?;
            Ok(())
        };
        for e in &run.events {
            let x = f64::from(e.round);
            let (colour, text, dashed) = match e.kind {
                Kind::Signature => (BLUISH_GREEN, format!("signed: {}", e.module), false),
                Kind::Collapse => (VERMILLION, format!("collapse: {}", e.module), true),
                Kind::Boycott => (GREY, format!("boycott: {}", e.actor), true),
                Kind::CapabilityShift | Kind::HurtShock | Kind::TrustShock => (
                    REDDISH_PURPLE,
                    format!("{}: {}", e.kind.as_str().replace('_', " "), e.actor),
                    true,
                ),
                Kind::Violation | Kind::Attack => continue,
            };
            if e.kind == Kind::Signature && e.module != *cf {
                // Other modules' signatures: a short tick, labelled.
                chart
                    .draw_series([PathElement::new(
                        vec![(x, 0.0), (x, 0.08)],
                        colour.stroke_width(sz.line),
                    )])
                    .map_err(err)?;
            } else if dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(x, 0.0), (x, 1.0)],
                        8,
                        6,
                        colour.stroke_width(sz.line),
                    ))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series([PathElement::new(
                        vec![(x, 0.0), (x, 1.0)],
                        colour.stroke_width(sz.line),
                    )])
                    .map_err(err)?;
            }
            label_at(&mut chart, x, &text, colour)?;
        }
        chart
            .draw_series(LineSeries::new(
                series(&run.mean_utility),
                DEEP_BLUE.stroke_width(sz.line),
            ))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                series(&run.agreement),
                INK.stroke_width(sz.line + 2),
            ))
            .map_err(err)?;
        conflict_marks(&mut chart, run, &sz)?;

        margin_panel(run, &bottom, &sz)?;
        legend(
            &side.margin(sz.small * 2, 0, 0, sz.small),
            "",
            &legend_entries(cf, &sz),
            &sz,
        )?;
        Ok(())
    }
}

/// A run's rounds as points, undefined values left out.
fn series(v: &[f64]) -> Vec<(f64, f64)> {
    v.iter()
        .enumerate()
        .filter(|(_, y)| y.is_finite())
        .map(|(t, y)| (t as f64 + 1.0, *y))
        .collect()
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
    lower
        .draw_series(LineSeries::new(
            series(&run.zopa_margin),
            ORANGE.stroke_width(sz.line),
        ))
        .map_err(err)?;
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
    for e in &run.events {
        let x = f64::from(e.round);
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
