//! How every chart looks: the embedded font, the colour-blind-safe palette, sizes readable from the back of a room,
//! and the PNG/SVG rendering shared by all charts.
//!
//! A fresh machine has no fonts and no fontconfig, so DejaVu Sans (regular and bold, with its licence in
//! `assets/fonts/`) is compiled into the binary and registered with plotters once, before the first chart.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBColor};

use crate::scenario::Role;

pub const FONT: &str = "sans-serif";
pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();

/// Register the embedded font (idempotent).
pub fn register_fonts() {
    REGISTER.call_once(|| {
        // The bytes are the fonts shipped with the program; they parse, or the build's assets are broken.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, BOLD);
    });
}

pub const DISCLAIMER: &str = "teaching defaults, not a forecast";

/// Text sizes at the default 1600 × 900, in plotters' unit (the line height, 1.24 em); charts scale them with the
/// image height.
pub struct Sizes {
    pub title: u32,
    pub subtitle: u32,
    pub label: u32,
    pub small: u32,
    pub line: u32,
}

/// plotters' font sizes are line heights: a size of `s` draws glyphs of `s / 1.24` px per em (and writes that as
/// the SVG font-size). Sizes here are asked for in px per em, as CSS means them.
const LINE_PER_EM: f64 = 1.24;

pub fn sizes(height: u32) -> Sizes {
    // `em` px per em at the default 900 px high (at least 18 px there, as a projector needs), scaled with the
    // height so that a smaller chart is the default one scaled down, never below 10 px.
    let s = |em: f64| {
        let scaled = (em * f64::from(height) / 900.0).max(10.0);
        (scaled * LINE_PER_EM).ceil() as u32
    };
    Sizes {
        title: s(30.0),
        subtitle: s(22.0),
        label: s(20.0),
        small: s(18.0),
        line: ((3.0 * f64::from(height) / 900.0).round() as u32).max(2),
    }
}

// Okabe & Ito (2008), colour-blind safe.
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const OI_YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const DEEP_BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub const LIGHT: RGBColor = RGBColor(0xE8, 0xE8, 0xE8);
pub const RIPE: RGBColor = RGBColor(0xFF, 0xF3, 0xC4);
/// Okabe–Ito bluish green, lightened: the ceasefire in force.
pub const IN_FORCE: RGBColor = RGBColor(0x8C, 0xD3, 0xC0);

/// Reference marks (the text on the table, the compromise, the Nash point): ink and this dark grey, never a colour of
/// [`LINE_PALETTE`], so that no reference mark can be taken for an actor.
pub const REFERENCE: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// Line colours in order of assignment: to actors (parties first, then guarantors, mediators, observers,
/// spoilers) and to the seeds of a comparison. No grey and no black: those are kept for reference marks.
pub const LINE_PALETTE: [RGBColor; 9] = [
    VERMILLION,
    DEEP_BLUE,
    ORANGE,
    SKY_BLUE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    RGBColor(0xB8, 0xA4, 0x00), // Okabe–Ito yellow, darkened to be visible as a line on white
    RGBColor(0x6A, 0x3D, 0x9A), // violet
    RGBColor(0x8C, 0x51, 0x0A), // brown
];

pub(crate) fn role_rank(role: Role) -> usize {
    match role {
        Role::Party => 0,
        Role::Guarantor => 1,
        Role::Mediator => 2,
        Role::Observer => 3,
        Role::Spoiler => 4,
        Role::Host => 5,
    }
}

/// One colour per actor, the same in every chart of a scenario (hosts get ink; they are never drawn as lines).
pub fn actor_colours(roles: &[Role]) -> Vec<RGBColor> {
    // The parties first, then every other actor in file order whatever its role, so that a variant that changes a
    // role (Iran as observer) keeps every actor's colour, and the two charts can be shown side by side.
    let mut order: Vec<usize> = (0..roles.len()).collect();
    order.sort_by_key(|&i| (roles[i] != Role::Party, i));
    let mut colours = vec![INK; roles.len()];
    for (slot, &i) in order
        .iter()
        .filter(|&&i| roles[i] != Role::Host)
        .enumerate()
    {
        colours[i] = LINE_PALETTE[slot % LINE_PALETTE.len()];
    }
    colours
}

pub fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(FONT), f64::from(size), FontStyle::Bold).color(&INK)
}

/// What plotters (or the PNG encoder) reported when a chart could not be drawn. Its errors are generic over the
/// backend (bitmap or SVG), so they are kept as their description.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DrawError(pub String);

/// A drawing error of any backend, as a [`DrawError`].
pub fn err<E: std::fmt::Debug>(e: E) -> DrawError {
    DrawError(format!("{e:?}"))
}

/// The subtitle of a run's charts: the disclaimer, then what a variant changed from the scenario as written
/// (nothing when it changed nothing).
pub fn run_subtitle(changed: &str) -> String {
    if changed.is_empty() {
        DISCLAIMER.to_string()
    } else {
        format!("{DISCLAIMER} · {changed}")
    }
}

/// Draw the title and the subtitle; return the area below them.
///
/// A title that does not fit the width is drawn smaller (down to the label size); one that still does not fit is
/// wrapped onto two lines, at the largest size at which it fits on them, so that the seed at its end is never cut
/// off. A subtitle wider than the image is wrapped onto two lines.
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    sz: &Sizes,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let top = (sz.title as f64 * 0.5) as i32;
    let room = w.saturating_sub(2 * sz.label);
    let fits = |text: &str, size: u32| {
        root.estimate_text_size(text, &bold(size))
            .is_ok_and(|(tw, _)| tw <= room - room / 25)
    };
    let one_line = (sz.label..=sz.title).rev().find(|&size| fits(title, size));
    let (title_size, title_lines) = match one_line {
        Some(size) => (size, vec![title.to_string()]),
        None => {
            let on_two = |size: u32| wrap_lines(root, title, &bold(size), room, 2);
            let size = (sz.label..=sz.title)
                .rev()
                .find(|&size| on_two(size).iter().all(|l| !l.ends_with('…')))
                .unwrap_or(sz.label);
            (size, on_two(size))
        }
    };
    let title_step = (f64::from(title_size) * 1.05) as i32;
    for (k, line) in title_lines.iter().enumerate() {
        root.draw_text(
            line,
            &bold(title_size).pos(Pos::new(HPos::Left, VPos::Top)),
            (sz.label as i32, top + k as i32 * title_step),
        )
        .map_err(err)?;
    }
    let grey = (FONT, sz.subtitle)
        .into_font()
        .color(&RGBColor(0x55, 0x55, 0x55));
    let sub_lines = wrap_lines(root, subtitle, &grey, room, 2);
    let mut sub_y =
        top + (title_lines.len() as i32 - 1) * title_step + (sz.title as f64 * 1.3) as i32;
    let sub_step = (f64::from(sz.subtitle) * 1.05) as i32;
    for line in &sub_lines {
        root.draw_text(
            line,
            &grey.pos(Pos::new(HPos::Left, VPos::Top)),
            (sz.label as i32, sub_y),
        )
        .map_err(err)?;
        sub_y += sub_step;
    }
    let used = sub_y - sub_step + (sz.subtitle as f64 * 1.6) as i32;
    Ok(root.split_vertically(used).1)
}

/// A drawing area in pixel coordinates.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// The title and subtitle, then the rest split into the plotting area and, on the right, a column of `share` of the
/// width for the legend, so that legends never cover data.
pub fn header_with_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    sz: &Sizes,
    share: f64,
) -> Result<(Area<DB>, Area<DB>), DrawError> {
    let (w, _) = root.dim_in_pixel();
    let body = header(root, title, subtitle, sz)?;
    Ok(body.split_horizontally(w.saturating_sub((f64::from(w) * share) as u32)))
}

/// Shorten `text` to fit `max_px` at `size` px, ending with "…".
pub fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: u32,
    max_px: u32,
) -> String {
    fit_styled(area, text, &font(size), max_px)
}

/// Shorten `text` to fit `max_px` in `style`, ending with "…".
pub fn fit_styled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_px: u32,
) -> String {
    let width = |s: &str| {
        area.estimate_text_size(s, style)
            .map(|(w, _)| w)
            .unwrap_or(0)
    };
    // The bitmap backend places glyphs on whole pixels, so small text comes out a little wider than estimated.
    let max_px = max_px - max_px / 25;
    if width(text) <= max_px {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate) <= max_px {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…"
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File stem, e.g. `agreement`.
    fn name(&self) -> &'static str;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError>;
}

/// Render a chart as SVG text only (the classroom page and the handout, which show no PNG).
pub fn render_svg<C: Chart>(chart: &C, width: u32, height: u32) -> Result<String, DrawError> {
    register_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Render a chart as PNG bytes and SVG text.
pub fn render<C: Chart>(
    chart: &C,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, String), DrawError> {
    let svg = render_svg(chart, width, height)?;
    let mut pixels = vec![255u8; (width as usize) * (height as usize) * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    let mut png = Vec::new();
    {
        use image::ImageEncoder;
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&pixels, width, height, image::ColorType::Rgb8)
            .map_err(err)?;
    }
    Ok((png, svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_role_keeps_every_colour_but_a_party_s() {
        let roles = [
            Role::Guarantor,
            Role::Guarantor,
            Role::Party,
            Role::Observer,
        ];
        let varied = [Role::Guarantor, Role::Observer, Role::Party, Role::Observer];
        assert_eq!(actor_colours(&roles), actor_colours(&varied));
    }

    #[test]
    fn actor_colours_are_distinct_and_parties_come_first() {
        let roles = [
            Role::Guarantor,
            Role::Party,
            Role::Host,
            Role::Party,
            Role::Observer,
        ];
        let c = actor_colours(&roles);
        assert_eq!(c[1], VERMILLION);
        assert_eq!(c[3], DEEP_BLUE);
        assert_eq!(c[0], ORANGE);
        assert_eq!(c[2], INK);
        let mut seen = c.clone();
        seen.dedup();
        assert_eq!(seen.len(), 5);
    }

    #[test]
    fn text_is_18_px_per_em_at_the_default_height_and_scales_with_it() {
        let em = |size: u32| f64::from(size) / LINE_PER_EM;
        let d = sizes(900);
        assert!(em(d.small) >= 18.0 && em(d.label) >= 18.0 && em(d.title) >= 18.0);
        for h in [240, 300, 600, 900, 1800, 8000] {
            let s = sizes(h);
            assert!(em(s.small) >= 10.0, "{h}");
            assert!(s.small <= s.label && s.label <= s.title, "{h}");
        }
        assert!(sizes(1800).small >= 2 * sizes(900).small - 1);
    }
}

/// The sample drawn beside a legend entry.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Block(RGBColor),
    Triangle(RGBColor),
    Cross(RGBColor),
    Dot(RGBColor),
    /// A filled diamond (a reference point: the Nash point).
    Diamond(RGBColor),
    /// A hollow circle (a reference point: the compromise).
    Ring(RGBColor),
    /// A cell of a grid, drawn as the grid draws it ([`draw_swatch`]).
    Swatch(Swatch),
}

/// How a cell of a grid is filled: a colour, and for pale cells a border and/or hatching, so that every kind of
/// cell can be told from the others and from the white background on a projector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swatch {
    pub fill: RGBColor,
    pub border: Option<RGBColor>,
    pub hatch: Option<RGBColor>,
}

impl Swatch {
    pub const fn solid(fill: RGBColor) -> Swatch {
        Swatch {
            fill,
            border: None,
            hatch: None,
        }
    }
}

/// Draw a cell `[(x0, y0), (x1, y1)]` (pixels, inclusive) filled as `swatch` says: the fill, then diagonal hatching
/// clipped to the cell, then a one-pixel border.
pub fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    [(x0, y0), (x1, y1)]: [(i32, i32); 2],
    swatch: Swatch,
) -> Result<(), DrawError> {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], swatch.fill.filled()))
        .map_err(err)?;
    if let Some(h) = swatch.hatch {
        // Lines x - y = c (rising to the right on screen), every `gap` pixels, clipped to the cell.
        let gap = 6;
        let (w, ht) = (x1 - x0, y1 - y0);
        let mut c = -ht + gap / 2;
        while c < w {
            // Points (x0 + u, y1 - v) with u - v = c, 0 ≤ u ≤ w, 0 ≤ v ≤ ht.
            let (u0, u1) = (c.max(0), (c + ht).min(w));
            if u0 < u1 {
                area.draw(&PathElement::new(
                    vec![(x0 + u0, y1 - (u0 - c)), (x0 + u1, y1 - (u1 - c))],
                    h.stroke_width(1),
                ))
                .map_err(err)?;
            }
            c += gap;
        }
    }
    if let Some(b) = swatch.border {
        area.draw(&Rectangle::new([(x0, y0), (x1, y1)], b.stroke_width(1)))
            .map_err(err)?;
    }
    Ok(())
}

/// A legend in its own area (never over data): one entry per line, long entries wrapped. When the wrapped legend
/// is taller than its area (small `--size`), each entry gets one line, shortened with "…", in as many columns as
/// it takes.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    heading: &str,
    entries: &[(Mark, String)],
    sz: &Sizes,
) -> Result<(), DrawError> {
    let (w, h) = area.dim_in_pixel();
    let step = (f64::from(sz.small) * 1.35) as i32;
    let sample = (sz.small * 2) as i32;
    let x0 = 8;
    let tx = x0 + sample + 10;
    let mut y = 4;
    if !heading.is_empty() {
        area.draw_text(
            heading,
            &bold(sz.label).pos(Pos::new(HPos::Left, VPos::Top)),
            (x0, y),
        )
        .map_err(err)?;
        y += (f64::from(sz.label) * 1.6) as i32;
    }
    let max_text = w.saturating_sub(tx as u32 + 4);
    let style = font(sz.small);
    let wrapped: Vec<Vec<String>> = entries
        .iter()
        .map(|(_, text)| wrap(area, text, &style, max_text))
        .collect();
    // Entries a quarter of a line apart; when that is too tall, closer together; only then the compact form below.
    let fits = [(step, step / 4), (step, 0), (sz.small as i32 * 6 / 5, 0)]
        .into_iter()
        .find(|&(line, gap)| {
            let total: i32 = wrapped
                .iter()
                .map(|lines| lines.len() as i32 * line + gap)
                .sum();
            y + total <= h as i32
        });
    if let Some((line, gap)) = fits {
        for ((mark, _), lines) in entries.iter().zip(wrapped) {
            draw_mark(area, *mark, (x0, y + line / 2), sample, line, sz)?;
            for l in lines {
                area.draw_text(
                    &l,
                    &style.pos(Pos::new(HPos::Left, VPos::Center)),
                    (tx, y + line / 2),
                )
                .map_err(err)?;
                y += line;
            }
            y += gap;
        }
        return Ok(());
    }
    // Too tall: one shortened line per entry, in as many columns as fit (each wide enough for a few words); what
    // still does not fit is counted on the last line.
    let row = sz.small as i32 * 6 / 5;
    let rows = ((h as i32 - y) / row).max(1) as usize;
    let min_column = (tx - x0) as u32 + 4 * sz.small + 6;
    let max_columns = (w / min_column).max(1) as usize;
    let columns = entries.len().div_ceil(rows).clamp(1, max_columns);
    let shown = if entries.len() > rows * columns {
        rows * columns - 1
    } else {
        entries.len()
    };
    let column_width = (w / columns as u32) as i32;
    let max_text = (column_width - (tx - x0) - 6).max(0) as u32;
    for (index, (mark, text)) in entries.iter().take(shown).enumerate() {
        let (c, r) = (index / rows, index % rows);
        let (x, ry) = (c as i32 * column_width, y + r as i32 * row);
        draw_mark(area, *mark, (x + x0, ry + row / 2), sample, row, sz)?;
        area.draw_text(
            &fit_styled(area, text, &style, max_text),
            &style.pos(Pos::new(HPos::Left, VPos::Center)),
            (x + tx, ry + row / 2),
        )
        .map_err(err)?;
    }
    if shown < entries.len() {
        let (c, r) = (shown / rows, shown % rows);
        area.draw_text(
            &format!("+{} more", entries.len() - shown),
            &style.pos(Pos::new(HPos::Left, VPos::Center)),
            (c as i32 * column_width + x0, y + r as i32 * row + row / 2),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// `text` wrapped at word boundaries to `max_px`, on at most `max_lines` lines; only what still does not fit on the
/// last line is shortened with "…" (a single word wider than `max_px` is shortened on its own line).
pub fn wrap_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_px: u32,
    max_lines: usize,
) -> Vec<String> {
    // fit_styled keeps a margin for the bitmap backend's whole-pixel glyphs: wrap within it, so that a wrapped
    // line is never shortened.
    let mut lines = wrap(area, text, style, max_px - max_px / 25);
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(rest);
    }
    lines
        .iter()
        .map(|l| fit_styled(area, l, style, max_px))
        .collect()
}

/// `text` wrapped at word boundaries to `max_px`.
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_px: u32,
) -> Vec<String> {
    let width = |s: &str| {
        area.estimate_text_size(s, style)
            .map(|(w, _)| w)
            .unwrap_or(0)
    };
    let mut line = String::new();
    let mut lines = Vec::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) > max_px && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    lines.push(line);
    lines
}

/// The sample of one legend entry, centred vertically on `(x0, cy)`.
fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mark: Mark,
    (x0, cy): (i32, i32),
    sample: i32,
    step: i32,
    sz: &Sizes,
) -> Result<(), DrawError> {
    match mark {
        Mark::Line(c, width) => area
            .draw(&PathElement::new(
                vec![(x0, cy), (x0 + sample, cy)],
                c.stroke_width(width),
            ))
            .map_err(err),
        Mark::Dashed(c) => {
            let mut x = x0;
            while x < x0 + sample {
                area.draw(&PathElement::new(
                    vec![(x, cy), ((x + 6).min(x0 + sample), cy)],
                    c.stroke_width(3),
                ))
                .map_err(err)?;
                x += 10;
            }
            Ok(())
        }
        Mark::Block(c) => area
            .draw(&Rectangle::new(
                [(x0, cy - step / 3), (x0 + sample, cy + step / 3)],
                c.filled(),
            ))
            .map_err(err),
        Mark::Triangle(c) => area
            .draw(&TriangleMarker::new(
                (x0 + sample / 2, cy),
                (sz.small / 2) as i32,
                c.filled(),
            ))
            .map_err(err),
        Mark::Dot(c) => area
            .draw(&Circle::new(
                (x0 + sample / 2, cy),
                (sz.small / 3 + 2) as i32,
                c.filled(),
            ))
            .map_err(err),
        Mark::Diamond(c) => {
            let (cx, r) = (x0 + sample / 2, (sz.small / 2) as i32);
            area.draw(&Polygon::new(
                vec![(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)],
                c.filled(),
            ))
            .map_err(err)
        }
        Mark::Ring(c) => area
            .draw(&Circle::new(
                (x0 + sample / 2, cy),
                (sz.small / 3 + 2) as i32,
                c.stroke_width(3),
            ))
            .map_err(err),
        Mark::Swatch(s) => {
            draw_swatch(area, [(x0, cy - step / 3), (x0 + sample, cy + step / 3)], s)
        }
        Mark::Cross(c) => area
            .draw(&Cross::new(
                (x0 + sample / 2, cy),
                (sz.small / 3) as i32,
                c.stroke_width(3),
            ))
            .map_err(err),
    }
}

/// The plot of one small panel (positions, reservations): rounds on x, [0, 1] on y.
pub type SmallPanel<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

pub fn small_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    rounds: usize,
    sz: &Sizes,
) -> Result<SmallPanel<'a, DB>, DrawError> {
    ChartBuilder::on(area)
        .margin(6)
        .margin_right(sz.small)
        .x_label_area_size(sz.small * 2)
        .y_label_area_size(sz.small * 3)
        .build_cartesian_2d(0.5..rounds as f64 + 0.5, 0.0..1.0)
        .map_err(err)
}

/// Axes and a light grid for a small panel: five round labels, three value labels.
pub fn small_mesh<DB: DrawingBackend>(
    chart: &mut SmallPanel<'_, DB>,
    sz: &Sizes,
) -> Result<(), DrawError> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT)
        .x_labels(5)
        .y_labels(3)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .label_style(font(sz.small))
        .draw()
        .map_err(err)
}

/// Round indices `0..rounds` in at most `columns` consecutive buckets of nearly equal size: one round each when
/// they fit. Charts draw a bucket per pixel column at most, so their cost is bounded by their width.
pub fn buckets(rounds: usize, columns: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let columns = columns.max(1);
    let n = rounds.min(columns);
    (0..n).map(move |c| {
        if rounds <= columns {
            c..c + 1
        } else {
            c * rounds / columns..(c + 1) * rounds / columns
        }
    })
}

/// How a series is drawn: its colour, its width in pixels, and whether it is dashed.
#[derive(Clone, Copy, Debug)]
pub struct Stroke {
    pub colour: RGBColor,
    pub width: u32,
    pub dashed: bool,
}

impl Stroke {
    pub fn solid(colour: RGBColor, width: u32) -> Stroke {
        Stroke {
            colour,
            width,
            dashed: false,
        }
    }

    pub fn dashed(colour: RGBColor, width: u32) -> Stroke {
        Stroke {
            colour,
            width,
            dashed: true,
        }
    }
}

/// Draw a run's series, round `t` at x = t + 1 (undefined values left out). When its rounds fit in the plot's
/// pixel columns, as a line through every round. Otherwise as its envelope: in each column (a bucket of rounds,
/// [`buckets`]) from its least to its greatest value, as thick as the line, filled; so the drawing costs at most
/// the plot's width, keeps every peak and trough, and has no joins (a thick line zigzagging through minima and
/// maxima grows spikes at its joins). A dashed series' envelope is cut into dashes.
pub fn draw_line<DB: DrawingBackend>(
    chart: &mut SmallPanel<'_, DB>,
    rounds: usize,
    stroke: Stroke,
    value: impl Fn(usize) -> f64,
) -> Result<(), DrawError> {
    let columns = chart.plotting_area().dim_in_pixel().0 as usize;
    let style = stroke.colour.stroke_width(stroke.width);
    if rounds <= columns {
        let points: Vec<(f64, f64)> = (0..rounds)
            .map(|t| (t as f64 + 1.0, value(t)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        if stroke.dashed {
            chart
                .draw_series(DashedLineSeries::new(points, 8, 6, style))
                .map_err(err)?;
        } else {
            chart
                .draw_series(LineSeries::new(points, style))
                .map_err(err)?;
        }
        return Ok(());
    }
    // Half the line's width, in the plot's units.
    let (a, b) = (
        chart.backend_coord(&(1.0, 0.0)),
        chart.backend_coord(&(1.0, 1.0)),
    );
    let per_unit = f64::from((a.1 - b.1).abs().max(1));
    let half = f64::from(stroke.width) / 2.0 / per_unit;
    let mut pieces: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new()];
    for (c, bucket) in buckets(rounds, columns).enumerate() {
        let (from, to) = (bucket.start as f64 + 0.5, bucket.end as f64 + 0.5);
        let (lo, hi) = bucket
            .map(&value)
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let gap = stroke.dashed && c % 14 >= 8;
        if lo > hi || gap {
            if pieces.last().is_some_and(|p| !p.is_empty()) {
                pieces.push(Vec::new());
            }
            continue;
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push((from, lo - half, hi + half));
            piece.push((to, lo - half, hi + half));
        }
    }
    for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
        let mut outline: Vec<(f64, f64)> = piece.iter().map(|&(x, _, hi)| (x, hi)).collect();
        outline.extend(piece.iter().rev().map(|&(x, lo, _)| (x, lo)));
        chart
            .draw_series([Polygon::new(outline, stroke.colour.filled())])
            .map_err(err)?;
    }
    Ok(())
}

/// The rounds where `flag` holds, as spans of x (from, to) to shade: one per round when the rounds fit in
/// `columns`, else one per run of buckets ([`buckets`]) in which any round holds.
pub fn shaded(rounds: usize, columns: usize, flag: impl Fn(usize) -> bool) -> Vec<(f64, f64)> {
    let mut spans: Vec<(f64, f64)> = Vec::new();
    let mut open = false;
    for bucket in buckets(rounds, columns) {
        let (first, last) = (bucket.start as f64 + 0.5, bucket.end as f64 + 0.5);
        if bucket.clone().any(&flag) {
            match spans.last_mut() {
                Some(span) if open && rounds > columns => span.1 = last,
                _ => spans.push((first, last)),
            }
            open = true;
        } else {
            open = false;
        }
    }
    spans
}

/// Rounds between two labels of a round axis, so that about ten or fewer are written: 5 up to 60 rounds, then
/// 10, 20, 50, 100, 200, 500, ….
pub fn round_step(rounds: usize) -> usize {
    if rounds <= 60 {
        return 5;
    }
    let mut scale = 1;
    loop {
        for step in [10, 20, 50].map(|s| s * scale) {
            if rounds / step <= 20 {
                return step;
            }
        }
        scale *= 10;
    }
}

#[cfg(test)]
mod bounded {
    use super::*;

    #[test]
    fn buckets_cover_every_round_once_in_at_most_the_columns() {
        for (rounds, columns) in [
            (0, 10),
            (5, 10),
            (10, 10),
            (11, 10),
            (100_000, 1183),
            (7, 1),
        ] {
            let b: Vec<_> = buckets(rounds, columns).collect();
            assert!(b.len() <= columns.max(1), "{rounds} {columns}");
            let flat: Vec<usize> = b.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(flat, (0..rounds).collect::<Vec<_>>(), "{rounds} {columns}");
            assert!(b.iter().all(|r| !r.is_empty()));
        }
    }

    #[test]
    fn shading_is_per_round_when_rounds_fit_and_per_run_of_columns_otherwise() {
        let flag = |t: usize| (10..20).contains(&t) || t == 30;
        let fit = shaded(40, 100, flag);
        assert_eq!(fit.len(), 11);
        assert_eq!(fit[0], (10.5, 11.5));
        let thin = shaded(40_000, 100, |t| flag(t / 1000));
        // Buckets of 400 rounds: the last run ends with the bucket that holds its last round.
        assert_eq!(thin, vec![(10_000.5, 20_000.5), (30_000.5, 31_200.5)]);
    }

    #[test]
    fn a_round_axis_has_at_most_about_twenty_labels() {
        assert_eq!(round_step(50), 5);
        assert_eq!(round_step(200), 10);
        for rounds in [61, 201, 999, 5_000, 25_000, 100_000] {
            assert!(rounds / round_step(rounds) <= 20, "{rounds}");
        }
    }
}
