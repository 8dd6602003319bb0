//! Charts for teaching, drawn with plotters from a font embedded in the binary: every chart as PNG and SVG, written
//! through the same atomic folder writer as the tables. One file per chart; `theme.rs` holds what they share.

pub mod agreement;
pub mod data;
pub mod ensemble;
pub mod experiment;
pub mod positions;
pub mod read;
pub mod reservations;
pub mod theme;
pub mod votes;

use crate::export::OutFile;
pub use data::RunData;
pub use read::ReadError;
use theme::{Chart, DrawError, render};

/// Default image size: 16:9, readable on a projector.
pub const DEFAULT_SIZE: (u32, u32) = (1600, 900);

/// Why the charts of a results folder could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the {chart} chart: {source}")]
    Draw {
        chart: &'static str,
        #[source]
        source: DrawError,
    },

    /// The files just written could not be read back to draw from (a results folder given to `ceasefire chart` is
    /// checked by the caller, which reports its own [`ReadError`]).
    #[error("cannot read back the results to draw the charts: {0}")]
    Read(Box<ReadError>),
}

impl From<ReadError> for ChartError {
    fn from(e: ReadError) -> ChartError {
        ChartError::Read(Box::new(e))
    }
}

/// Render `chart` as `charts/<name>.png` and `charts/<name>.svg`: the one way every chart becomes files.
pub fn render_files<C: Chart>(chart: &C, size: (u32, u32)) -> Result<[OutFile; 2], ChartError> {
    let (png, svg) = render(chart, size.0, size.1).map_err(|source| ChartError::Draw {
        chart: chart.name(),
        source,
    })?;
    Ok([
        OutFile::new(format!("charts/{}.png", chart.name()), png),
        OutFile::new(format!("charts/{}.svg", chart.name()), svg.into_bytes()),
    ])
}

/// The four charts of one run.
pub fn run_charts(run: &RunData, size: (u32, u32)) -> Result<Vec<OutFile>, ChartError> {
    let mut out = Vec::new();
    out.extend(render_files(&agreement::AgreementChart { run }, size)?);
    out.extend(render_files(&votes::VotesChart { run }, size)?);
    out.extend(render_files(&positions::PositionsChart { run }, size)?);
    out.extend(render_files(
        &reservations::ReservationsChart { run },
        size,
    )?);
    Ok(out)
}
