//! Charts for teaching, drawn with plotters from a font embedded in the binary: every chart as PNG and SVG, written
//! through the same atomic folder writer as the tables. One file per chart; `theme.rs` holds what they share.

pub mod agreement;
pub mod data;
pub mod ensemble;
pub mod positions;
pub mod reservations;
pub mod theme;
pub mod votes;

use crate::export::OutFile;
pub use data::RunData;
use theme::{Chart, render};

/// Default image size: 16:9, readable on a projector.
pub const DEFAULT_SIZE: (u32, u32) = (1600, 900);

fn both<C: Chart>(chart: &C, size: (u32, u32), out: &mut Vec<OutFile>) -> Result<(), String> {
    let (png, svg) =
        render(chart, size.0, size.1).map_err(|e| format!("{} chart: {e}", chart.name()))?;
    out.push(OutFile::new(format!("charts/{}.png", chart.name()), png));
    out.push(OutFile::new(
        format!("charts/{}.svg", chart.name()),
        svg.into_bytes(),
    ));
    Ok(())
}

/// The four charts of one run.
pub fn run_charts(run: &RunData, size: (u32, u32)) -> Result<Vec<OutFile>, String> {
    let mut out = Vec::new();
    both(&agreement::AgreementChart { run }, size, &mut out)?;
    both(&votes::VotesChart { run }, size, &mut out)?;
    both(&positions::PositionsChart { run }, size, &mut out)?;
    both(&reservations::ReservationsChart { run }, size, &mut out)?;
    Ok(out)
}
