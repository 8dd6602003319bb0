//! Charts of many seeds: the fan chart of agreement, P(ceasefire reached by round t) with its interval, the
//! histogram of the ceasefire round; and, for comparisons, the same on shared axes for several variants.
//! Like the single-run charts they are drawn from the files alone (`bands.csv`), so `ceasefire chart` redraws them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::read::{ReadError, Table};
use super::theme::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One ensemble's `bands.csv`, read back.
#[derive(Clone, Debug, Default)]
pub struct BandsData {
    pub label: String,
    pub agreement: [Vec<f64>; 5],
    pub mean_utility_p50: Vec<f64>,
    pub p_reached: [Vec<f64>; 3],
    pub p_in_force: [Vec<f64>; 3],
    pub reached_in: Vec<u64>,
    pub runs: u64,
}

impl BandsData {
    pub fn parse(label: &str, bands_csv: &str) -> Result<BandsData, ReadError> {
        let t = Table::parse("bands.csv", bands_csv)?;
        let c = |n: &str| t.col(n);
        let q = [
            c("agreement_p05")?,
            c("agreement_p25")?,
            c("agreement_p50")?,
            c("agreement_p75")?,
            c("agreement_p95")?,
        ];
        let reached = [c("p_reached")?, c("p_reached_lo")?, c("p_reached_hi")?];
        let force = [c("p_in_force")?, c("p_in_force_lo")?, c("p_in_force_hi")?];
        let (cu, cr, cn) = (c("mean_utility_p50")?, c("reached_in_round")?, c("runs")?);
        let mut d = BandsData {
            label: label.to_string(),
            ..BandsData::default()
        };
        // Shares and probabilities lie in [0, 1]: a value outside was not written by ceasefire.
        let unit = |row, i| t.num_in(row, i, 0.0, 1.0, "[0, 1]");
        for row in &t.rows {
            for (series, &i) in d.agreement.iter_mut().zip(&q) {
                series.push(unit(row, i)?);
            }
            for (series, &i) in d.p_reached.iter_mut().zip(&reached) {
                series.push(unit(row, i)?);
            }
            for (series, &i) in d.p_in_force.iter_mut().zip(&force) {
                series.push(unit(row, i)?);
            }
            d.mean_utility_p50.push(t.num(row, cu)?);
            d.reached_in.push(t.count(row, cr)?);
            d.runs = t.count(row, cn)?;
        }
        Ok(d)
    }

    pub fn rounds(&self) -> usize {
        self.agreement[2].len()
    }
}

/// Titles shared by the ensemble charts.
#[derive(Clone, Debug)]
pub struct Heading {
    pub title: String,
    /// What was changed from the scenario as written (a label or the overrides); empty when nothing was.
    pub changed: String,
    pub seeds: String,
    pub round_label: String,
}

impl Heading {
    /// The heading of an ensemble chart from its folder's `summary.json` (title, round label, what was changed), with
    /// its seeds as the chart words them.
    pub fn from_summary(summary: &serde_json::Value, seeds: String) -> Heading {
        Heading {
            title: super::data::text_of(summary, "title"),
            changed: super::data::changes_of(summary),
            seeds,
            round_label: super::data::text_of(summary, "round_label"),
        }
    }
}

/// A results folder's `summary.json`, parsed.
pub fn read_summary(text: &str) -> Result<serde_json::Value, ReadError> {
    serde_json::from_str(text).map_err(|source| ReadError::Json {
        file: "summary.json",
        source,
    })
}

/// "1000 seeds, 20170504..20171503": the seeds of a batch's or comparison's `summary.json` (`first_seed`, `runs`).
pub fn seeds_of(summary: &serde_json::Value) -> String {
    let number = |key: &str| summary.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
    crate::export::results::seeds_text(number("first_seed"), number("runs"))
}

/// A paired difference from the baseline with its 95 % interval: (Δ, low, high).
pub type Delta = (f64, f64, f64);

/// `compare.csv`'s paired differences of P(ceasefire reached) from the baseline, one per variant in its order:
/// (Δ, 95 % low, 95 % high) from `delta_p_reached`, `delta_p_reached_lo` and `delta_p_reached_hi`; `None` where
/// they are empty (the baseline). The compare-reached chart is drawn from these, so that it can be redrawn from a
/// comparison's files alone.
pub fn deltas_from_compare_csv(text: &str) -> Result<Vec<Option<Delta>>, ReadError> {
    deltas_of(&Table::parse("compare.csv", text)?)
}

/// [`deltas_from_compare_csv`] of a `compare.csv` already read.
pub fn deltas_of(t: &Table) -> Result<Vec<Option<Delta>>, ReadError> {
    let (d, lo, hi) = (
        t.col("delta_p_reached")?,
        t.col("delta_p_reached_lo")?,
        t.col("delta_p_reached_hi")?,
    );
    t.rows
        .iter()
        .map(|row| {
            let delta = |i| t.num_in(row, i, -1.0, 1.0, "[-1, 1]");
            let v = (delta(d)?, delta(lo)?, delta(hi)?);
            Ok((v.0.is_finite() && v.1.is_finite() && v.2.is_finite()).then_some(v))
        })
        .collect()
}

/// Colours of compared variants, in order; the ninth to sixteenth variants ([`crate::app::compare::MAX_VARIANTS`])
/// get the same colours dashed, so that no two variants look alike.
pub const VARIANT_COLOURS: [RGBColor; 8] = [
    INK,
    VERMILLION,
    DEEP_BLUE,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    RGBColor(0xB8, 0xA4, 0x00), // Okabe–Ito yellow, darkened to be visible as a line on white
];

/// How variant `i` is drawn, and its legend sample.
fn variant_style(i: usize, width: u32) -> (RGBColor, Stroke, Mark) {
    let c = VARIANT_COLOURS[i % VARIANT_COLOURS.len()];
    if (i / VARIANT_COLOURS.len()) % 2 == 1 {
        (c, Stroke::dashed(c, width), Mark::Dashed(c))
    } else {
        (c, Stroke::solid(c, width), Mark::Line(c, width))
    }
}

/// A probability difference in percentage points, signed with a true minus: "−41.4", "+3.0", "0.0".
pub fn points(x: f64) -> String {
    let v = 100.0 * x;
    let s = format!("{:.1}", v.abs());
    if s == "0.0" {
        s
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// The most lines a title or a subtitle takes.
const HEADER_LINES: usize = 2;

/// The width of `text` in `style`, in pixels.
fn text_width<DB: DrawingBackend>(area: &Area<DB>, text: &str, style: &TextStyle<'_>) -> u32 {
    area.estimate_text_size(text, style)
        .map(|(w, _)| w)
        .unwrap_or(0)
}

/// What [`fit_styled`] leaves of `max_px` (it keeps a twenty-fifth for the bitmap's whole-pixel glyphs): text
/// wrapped to this width is never shortened.
fn budget(max_px: u32) -> u32 {
    max_px - max_px / 25
}

/// `parts` joined by `sep` on lines at most `max_px` wide in `style`: parts packed greedily, a part too wide for a
/// line of its own wrapped at its spaces. With more than `max_lines` lines, the rest goes on the last line, which
/// alone is shortened with "…" (as [`wrap_lines`] does); callers first try shorter texts.
fn pack<DB: DrawingBackend>(
    area: &Area<DB>,
    parts: &[String],
    sep: &str,
    style: &TextStyle<'_>,
    max_px: u32,
    max_lines: usize,
) -> Vec<String> {
    let room = budget(max_px);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        let candidate = if line.is_empty() {
            part.clone()
        } else {
            format!("{line}{sep}{part}")
        };
        if text_width(area, &candidate, style) <= room {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut words = wrap(area, part, style, room);
        line = words.pop().unwrap_or_default();
        lines.extend(words);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines
        .iter()
        .map(|l| fit_styled(area, l, style, max_px))
        .collect()
}

/// Whether `parts` fit on `max_lines` lines without shortening.
fn packs<DB: DrawingBackend>(
    area: &Area<DB>,
    parts: &[String],
    sep: &str,
    style: &TextStyle<'_>,
    max_px: u32,
    max_lines: usize,
) -> bool {
    let lines = pack(area, parts, sep, style, max_px, usize::MAX);
    lines.len() <= max_lines && lines.iter().all(|l| !l.ends_with('…'))
}

/// The subtitle of an ensemble chart: what was changed (when anything was), the disclaimer, the seeds, then
/// `extra`.
fn subtitle_parts(heading: &Heading, seeds: &str, extra: &[String]) -> Vec<String> {
    let mut parts = vec![
        heading.changed.clone(),
        DISCLAIMER.to_string(),
        seeds.to_string(),
    ];
    parts.extend(extra.iter().cloned());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Draw the title (drawn a little smaller, or else on two lines, rather than shortened) and the subtitle (its
/// parts on up to two lines); return the area below them. [`header`] with room for what ensemble charts must not
/// lose: the variant changed and the seeds.
fn header_lines<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    subtitle: &[String],
    sz: &Sizes,
) -> Result<Area<DB>, DrawError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let room = w.saturating_sub(2 * sz.label);
    let top = (f64::from(sz.title) * 0.5) as i32;
    let least = (sz.title * 4 / 5).max(sz.label);
    let title_parts: Vec<String> = title.split(" — ").map(String::from).collect();
    let (size, title_lines) = (sz.label..=sz.title)
        .rev()
        .find_map(|size| {
            let style = bold(size);
            if size >= least && text_width(root, title, &style) <= budget(room) {
                Some((size, vec![title.to_string()]))
            } else {
                packs(root, &title_parts, " — ", &style, room, HEADER_LINES).then(|| {
                    (
                        size,
                        pack(root, &title_parts, " — ", &style, room, HEADER_LINES),
                    )
                })
            }
        })
        .unwrap_or_else(|| {
            let style = bold(sz.label);
            (
                sz.label,
                pack(root, &title_parts, " — ", &style, room, HEADER_LINES),
            )
        });
    let mut y = top;
    for line in &title_lines {
        root.draw_text(
            line,
            &bold(size).pos(Pos::new(HPos::Left, VPos::Top)),
            (sz.label as i32, y),
        )
        .map_err(err)?;
        y += size as i32;
    }
    y += (f64::from(sz.title) * 0.3) as i32;
    let grey = (FONT, sz.subtitle)
        .into_font()
        .color(&RGBColor(0x55, 0x55, 0x55));
    let step = (f64::from(sz.subtitle) * 1.05) as i32;
    for line in pack(root, subtitle, " · ", &grey, room, HEADER_LINES) {
        root.draw_text(
            &line,
            &grey.pos(Pos::new(HPos::Left, VPos::Top)),
            (sz.label as i32, y),
        )
        .map_err(err)?;
        y += step;
    }
    let used = y + (f64::from(sz.subtitle) * 0.55) as i32;
    Ok(root.split_vertically(used).1)
}

/// Lines of notes under a chart: the area above them, and the lines, wrapped to the width (at most four).
fn notes_strip<DB: DrawingBackend>(
    body: &Area<DB>,
    notes: &[String],
    sz: &Sizes,
) -> (Area<DB>, Vec<String>) {
    if notes.is_empty() {
        return (body.clone(), Vec::new());
    }
    let (w, h) = body.dim_in_pixel();
    let room = w.saturating_sub(2 * sz.label);
    let style = font(sz.small);
    let mut lines: Vec<String> = notes
        .iter()
        .flat_map(|n| wrap(body, n, &style, budget(room)))
        .collect();
    if lines.len() > 4 {
        let rest = lines.split_off(3).join(" ");
        lines.push(rest);
    }
    let lines: Vec<String> = lines
        .iter()
        .map(|l| fit_styled(body, l, &style, room))
        .collect();
    let step = (f64::from(sz.small) * 1.1) as u32;
    let height = (lines.len() as u32 * step + sz.small / 2).min(h / 3);
    (body.split_vertically(h - height).0, lines)
}

fn draw_notes<DB: DrawingBackend>(
    root: &Area<DB>,
    lines: &[String],
    sz: &Sizes,
) -> Result<(), DrawError> {
    let (_, h) = root.dim_in_pixel();
    let step = (f64::from(sz.small) * 1.1) as i32;
    let mut y = h as i32 - sz.small as i32 / 2 - lines.len() as i32 * step;
    for line in lines {
        root.draw_text(
            line,
            &font(sz.small).pos(Pos::new(HPos::Left, VPos::Top)),
            (sz.label as i32, y),
        )
        .map_err(err)?;
        y += step;
    }
    Ok(())
}

/// The title and subtitle, notes at the bottom, and between them the plot and, on the right, a column of `share` of
/// the width for the legend.
fn layout<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    subtitle: &[String],
    notes: &[String],
    sz: &Sizes,
    share: f64,
) -> Result<(Area<DB>, Area<DB>), DrawError> {
    let (w, _) = root.dim_in_pixel();
    let body = header_lines(root, title, subtitle, sz)?;
    let (above, lines) = notes_strip(&body, notes, sz);
    draw_notes(root, &lines, sz)?;
    Ok(above.split_horizontally(w.saturating_sub((f64::from(w) * share) as u32)))
}

/// The legend in `area` at the largest text size (down to 10 px per em) at which every entry fits wrapped and no
/// word is wider than the column, so that long variant labels wrap rather than being cut.
fn fitted_legend<DB: DrawingBackend>(
    area: &Area<DB>,
    entries: &[(Mark, String)],
    sz: &Sizes,
) -> Result<(), DrawError> {
    let (w, h) = area.dim_in_pixel();
    let least = sizes(1).small;
    // As [`legend`] lays entries out.
    let fits = |small: u32| {
        let step = (f64::from(small) * 1.35) as i32;
        let tx = 8 + 2 * small as i32 + 10;
        let max_text = w.saturating_sub(tx as u32 + 4);
        let style = font(small);
        let mut height = 4;
        for (_, text) in entries {
            if text
                .split(' ')
                .any(|word| text_width(area, word, &style) > max_text)
            {
                return false;
            }
            height += wrap(area, text, &style, max_text).len() as i32 * step + step / 4;
        }
        height <= h as i32
    };
    let small = (least..=sz.small.max(least))
        .rev()
        .find(|&s| fits(s))
        .unwrap_or(least);
    let fitted = Sizes {
        title: sz.title,
        subtitle: sz.subtitle,
        label: sz.label,
        small,
        line: sz.line,
    };
    legend(area, "", entries, &fitted)
}

/// One edge of a band: each round's value, or with more rounds than `columns`, each bucket's least (`lower`) or
/// greatest, so that the band covers every round's.
fn edge(v: &[f64], columns: usize, lower: bool) -> Vec<(f64, f64)> {
    if v.len() <= columns {
        return v
            .iter()
            .enumerate()
            .filter(|(_, y)| y.is_finite())
            .map(|(t, y)| (t as f64 + 1.0, *y))
            .collect();
    }
    buckets(v.len(), columns)
        .filter_map(|bucket| {
            let x = (bucket.start + bucket.end + 1) as f64 / 2.0;
            let values = v[bucket].iter().copied().filter(|y| y.is_finite());
            let y = if lower {
                values.fold(f64::INFINITY, f64::min)
            } else {
                values.fold(f64::NEG_INFINITY, f64::max)
            };
            y.is_finite().then_some((x, y))
        })
        .collect()
}

fn band(lo: &[f64], hi: &[f64], columns: usize) -> Vec<(f64, f64)> {
    let mut pts = edge(lo, columns, true);
    let mut top = edge(hi, columns, false);
    top.reverse();
    pts.extend(top);
    pts
}

type Panel<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    rounds: usize,
    y_desc: &str,
    x_desc: &str,
    sz: &Sizes,
) -> Result<Panel<'a, DB>, DrawError> {
    let mut chart = ChartBuilder::on(area)
        .margin(sz.label)
        .x_label_area_size(sz.label * 3)
        .y_label_area_size(sz.label * 4)
        .build_cartesian_2d(0.5..rounds as f64 + 0.5, 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .label_style(font(sz.small))
        .axis_desc_style(font(sz.label))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// The percentiles of `BandsData::agreement`.
const PERCENTILES: [u32; 5] = [5, 25, 50, 75, 95];

/// The rounds (as spans `first..=last`, from 1) in which the top edge of a band, agreement quantile `top` (3 for
/// the 75th percentile, 4 for the 95th), is set by seeds far above the rest: it is at least 0.1 (a tenth of the
/// axis, a visible leap) above the quantile below it, and more than twice as far above it as that quantile is
/// above the 25th percentile. (Were the seeds spread smoothly about one peak, as in a normal distribution, it would
/// be about 0.7 times as far for the 95th percentile and once as far for the 75th.)
pub fn leaping_rounds(b: &BandsData, top: usize) -> Vec<(usize, usize)> {
    let (hi, mid, lo) = (&b.agreement[top], &b.agreement[top - 1], &b.agreement[1]);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for t in 0..hi.len().min(mid.len()).min(lo.len()) {
        let (gap, below) = (hi[t] - mid[t], mid[t] - lo[t]);
        if gap.is_finite() && below.is_finite() && gap >= 0.1 && gap > 2.0 * below {
            match spans.last_mut() {
                Some(span) if span.1 == t => span.1 = t + 1,
                _ => spans.push((t + 1, t + 1)),
            }
        }
    }
    spans
}

/// "Weeks 6–10 and 41–48", "Week 7", "Weeks 3, 5–9, 12 and 4 more".
fn spans_text(spans: &[(usize, usize)], round_label: &str) -> String {
    let one = |&(a, b): &(usize, usize)| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        }
    };
    let shown: Vec<String> = spans.iter().take(3).map(one).collect();
    let list = match (shown.len(), spans.len()) {
        (_, n) if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        (1, _) => shown[0].clone(),
        _ => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
    };
    let plural = spans.len() > 1 || spans.first().is_some_and(|s| s.0 != s.1);
    let mut label = round_label.to_string();
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + &label[1..];
    }
    format!("{label}{} {list}", if plural { "s" } else { "" })
}

/// A word under the fan chart where its outer band leaps (see [`leaping_rounds`]): what the quantiles say of how
/// many seeds make the leap. With `top` = 4 (a single ensemble: the light 5–95 % band over the dark 25–75 % one),
/// at most 25 % of seeds lie above the dark band and more than 5 % reach the light band's top; with `top` = 3 (a
/// comparison's 25–75 % bands), at most 50 % lie above the median and more than 25 % reach the band's top. `None`
/// when the band never leaps.
pub fn band_note(b: &BandsData, top: usize, round_label: &str) -> Option<String> {
    let spans = leaping_rounds(b, top);
    if spans.is_empty() {
        return None;
    }
    let highest = spans
        .iter()
        .flat_map(|&(a, z)| b.agreement[top][a - 1..z].iter().copied())
        .fold(f64::NEG_INFINITY, f64::max);
    let all = if highest >= 0.999 {
        ": all voters accept"
    } else {
        ""
    };
    let (band, reference) = if top == 4 {
        ("the light band", "the dark band")
    } else {
        ("its band", "its median line")
    };
    Some(format!(
        "{}: {band} leaps because its top is set by a minority of seeds — at most {} % of seeds lie above \
         {reference}, more than {} % reach the top (up to {highest:.2}{all}).",
        spans_text(&spans, round_label),
        100 - PERCENTILES[top - 1],
        100 - PERCENTILES[top],
    ))
}

/// Fan chart of agreement: median, 25–75 % and 5–95 % bands; one or several variants on shared axes.
pub struct FanChart<'a> {
    pub heading: &'a Heading,
    pub bands: &'a [BandsData],
    pub name: &'static str,
}

impl Chart for FanChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let single = self.bands.len() == 1;
        let round_label = &self.heading.round_label;
        // The light band's leap is explained under a single ensemble's chart; a comparison draws no light bands.
        let (extra, notes): (Vec<String>, Vec<String>) = if single {
            let note = band_note(&self.bands[0], 4, round_label);
            (Vec::new(), note.into_iter().collect())
        } else {
            let key = "lines: medians · bands: the middle half of seeds".to_string();
            (vec![key], Vec::new())
        };
        let (plot, side) = layout(
            root,
            &format!("{} — agreement across seeds", self.heading.title),
            &subtitle_parts(self.heading, &self.heading.seeds, &extra),
            &notes,
            &sz,
            0.24,
        )?;
        let rounds = self.bands.iter().map(BandsData::rounds).max().unwrap_or(1);
        let mut chart = frame(&plot, rounds, "agreement A(t)", round_label, &sz)?;
        let columns = chart.plotting_area().dim_in_pixel().0 as usize;
        let mut entries = Vec::new();
        let style = |i: usize| {
            if single {
                let s = Stroke::solid(DEEP_BLUE, sz.line + 1);
                (DEEP_BLUE, s, Mark::Line(DEEP_BLUE, sz.line + 1))
            } else {
                variant_style(i, sz.line + 1)
            }
        };
        for (i, b) in self.bands.iter().enumerate() {
            let (c, _, mark) = style(i);
            if single {
                chart
                    .draw_series([Polygon::new(
                        band(&b.agreement[0], &b.agreement[4], columns),
                        c.mix(0.15).filled(),
                    )])
                    .map_err(err)?;
            }
            chart
                .draw_series([Polygon::new(
                    band(&b.agreement[1], &b.agreement[3], columns),
                    c.mix(if single { 0.3 } else { 0.18 }).filled(),
                )])
                .map_err(err)?;
            if single {
                entries.push((mark, "median".to_string()));
                entries.push((
                    Mark::Block(RGBColor(0xB3, 0xD4, 0xE8)),
                    "25–75 % of seeds".to_string(),
                ));
                entries.push((
                    Mark::Block(RGBColor(0xD9, 0xEA, 0xF4)),
                    "5–95 % of seeds".to_string(),
                ));
            } else {
                entries.push((mark, b.label.clone()));
            }
        }
        // The medians over every band, the baseline's last so that a variant lying on it cannot hide it.
        for (i, b) in self.bands.iter().enumerate().rev() {
            draw_line(&mut chart, b.agreement[2].len(), style(i).1, |t| {
                b.agreement[2][t]
            })?;
        }
        fitted_legend(&side.margin(sz.small * 2, 0, 0, sz.small), &entries, &sz)
    }
}

/// P(ceasefire reached by round t) with its 95 % Wilson interval (and P(in force at t) for a single ensemble).
pub struct ReachedChart<'a> {
    pub heading: &'a Heading,
    pub bands: &'a [BandsData],
    /// Each variant's paired difference from the baseline, Δ P(ceasefire reached by its last round) with its 95 %
    /// interval, as `compare.csv` holds it ([`deltas_from_compare_csv`]): `None` for the baseline. Empty for a
    /// single ensemble (a batch), which shows no difference.
    pub deltas: &'a [Option<Delta>],
    pub name: &'static str,
}

impl ReachedChart<'_> {
    /// The legend entry of variant `i` of a comparison: its label, and its difference from the baseline.
    fn entry(&self, i: usize) -> String {
        let b = &self.bands[i];
        if i == 0 {
            return format!("{} (the baseline)", b.label);
        }
        let Some(Some((d, lo, hi))) = self.deltas.get(i) else {
            return b.label.clone();
        };
        let by = if b.rounds() == self.bands[0].rounds() {
            format!("by {} {}", self.heading.round_label, b.rounds())
        } else {
            format!("by the last {} of each", self.heading.round_label)
        };
        // No-break spaces keep "−41.4 points" and the interval each on one line when the entry wraps.
        format!(
            "{}: {}\u{a0}points [{},\u{a0}{}] {by}",
            b.label,
            points(*d),
            points(*lo),
            points(*hi)
        )
    }
}

impl Chart for ReachedChart<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let single = self.bands.len() == 1;
        let mut extra = vec!["bands: 95 % Wilson CI".to_string()];
        if !single && self.deltas.iter().any(Option::is_some) {
            extra.push(format!(
                "legend: the difference from {} over the same seeds, in percentage points, with its 95 % interval",
                self.bands[0].label
            ));
        }
        let (plot, side) = layout(
            root,
            &format!(
                "{} — chance of a ceasefire by each {}",
                self.heading.title, self.heading.round_label
            ),
            &subtitle_parts(self.heading, &self.heading.seeds, &extra),
            &[],
            &sz,
            if single { 0.24 } else { 0.28 },
        )?;
        let rounds = self.bands.iter().map(BandsData::rounds).max().unwrap_or(1);
        let mut chart = frame(&plot, rounds, "probability", &self.heading.round_label, &sz)?;
        let columns = chart.plotting_area().dim_in_pixel().0 as usize;
        let mut entries = Vec::new();
        for (i, b) in self.bands.iter().enumerate() {
            let (c, stroke, mark) = if single {
                (
                    INK,
                    Stroke::solid(INK, sz.line + 1),
                    Mark::Line(INK, sz.line + 1),
                )
            } else {
                variant_style(i, sz.line + 1)
            };
            chart
                .draw_series([Polygon::new(
                    band(&b.p_reached[1], &b.p_reached[2], columns),
                    c.mix(0.2).filled(),
                )])
                .map_err(err)?;
            if single {
                chart
                    .draw_series([Polygon::new(
                        band(&b.p_in_force[1], &b.p_in_force[2], columns),
                        BLUISH_GREEN.mix(0.2).filled(),
                    )])
                    .map_err(err)?;
            }
            draw_line(&mut chart, b.p_reached[0].len(), stroke, |t| {
                b.p_reached[0][t]
            })?;
            if single {
                entries.push((mark, "P(ceasefire reached by t)".to_string()));
                // Dashed over the black line, so that both show where no ceasefire collapsed and they coincide.
                draw_line(
                    &mut chart,
                    b.p_in_force[0].len(),
                    Stroke::dashed(BLUISH_GREEN, sz.line),
                    |t| b.p_in_force[0][t],
                )?;
                entries.push((
                    Mark::Dashed(BLUISH_GREEN),
                    "P(ceasefire in force at t)".to_string(),
                ));
            } else {
                entries.push((mark, self.entry(i)));
            }
        }
        fitted_legend(&side.margin(sz.small * 2, 0, 0, sz.small), &entries, &sz)
    }
}

/// Histogram of the round in which the ceasefire was reached, with the share never reached.
pub struct RoundHistogram<'a> {
    pub heading: &'a Heading,
    pub bands: &'a BandsData,
}

impl Chart for RoundHistogram<'_> {
    fn name(&self) -> &'static str {
        "ceasefire-round"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let b = self.bands;
        let reached: u64 = b.reached_in.iter().sum();
        let never = b.runs.saturating_sub(reached);
        let share = |k: u64| 100.0 * k as f64 / b.runs.max(1) as f64;
        let never_text = format!(
            "not reached within {} {}s: {:.1} % of seeds",
            b.rounds(),
            self.heading.round_label,
            share(never)
        );
        let body = header_lines(
            root,
            &format!("{} — when the ceasefire was reached", self.heading.title),
            &subtitle_parts(self.heading, &self.heading.seeds, &[never_text]),
            &sz,
        )?;
        // One bar per round, or with more rounds than the chart has pixel columns, per bucket of rounds.
        let columns = body.dim_in_pixel().0 as usize;
        let bars: Vec<(f64, f64, u64)> = if b.reached_in.len() <= columns {
            let half = 0.42;
            (b.reached_in.iter().enumerate())
                .map(|(t, &k)| (t as f64 + 1.0 - half, t as f64 + 1.0 + half, k))
                .collect()
        } else {
            buckets(b.reached_in.len(), columns)
                .map(|r| {
                    let k = b.reached_in[r.clone()].iter().sum();
                    (r.start as f64 + 0.5, r.end as f64 + 0.5, k)
                })
                .collect()
        };
        let top = bars.iter().map(|bar| bar.2).max().unwrap_or(1).max(1) as f64
            / b.runs.max(1) as f64
            * 100.0;
        let mut chart = ChartBuilder::on(&body)
            .margin(sz.label)
            .x_label_area_size(sz.label * 3)
            .y_label_area_size(sz.label * 4)
            .build_cartesian_2d(0.5..b.rounds() as f64 + 0.5, 0.0..top * 1.1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT)
            .x_desc(if b.reached_in.len() <= columns {
                format!(
                    "{} in which the ceasefire was first signed",
                    self.heading.round_label
                )
            } else {
                format!(
                    "{} in which the ceasefire was first signed (a bar per {} {}s or so)",
                    self.heading.round_label,
                    b.reached_in.len().div_ceil(columns),
                    self.heading.round_label
                )
            })
            .y_desc("% of seeds")
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .label_style(font(sz.small))
            .axis_desc_style(font(sz.label))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bars.iter().map(|&(from, to, k)| {
                Rectangle::new([(from, 0.0), (to, share(k))], DEEP_BLUE.filled())
            }))
            .map_err(err)?;
        if reached == 0 {
            // An empty plot would look like a drawing failure: say what it means, in the middle of it.
            let (w, h) = body.dim_in_pixel();
            body.draw_text(
                &format!(
                    "No seed reached a ceasefire within {} {}s",
                    b.rounds(),
                    self.heading.round_label
                ),
                &bold(sz.title).pos(Pos::new(HPos::Center, VPos::Center)),
                (w as i32 / 2, h as i32 / 2),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}

/// Several seeds of one scenario, one small panel each, on the same axes: agreement, and the ceasefire's signature.
pub struct SeedsChart<'a> {
    pub heading: &'a Heading,
    /// (seed, agreement per round, ceasefire round)
    pub lines: &'a [(u64, Vec<f64>, Option<u32>)],
}

/// Columns and rows of a grid of `n` panels in `w` × `h` pixels: the one whose panels are largest (counting no
/// more width than 1.2 times their height), with fewer empty cells among equals. Up to three panels are stacked,
/// so that their rounds line up and the eye compares when each history turns.
pub fn grid(n: usize, w: u32, h: u32) -> (usize, usize) {
    let n = n.max(1);
    if n <= 3 {
        return (1, n);
    }
    (1..=n)
        .map(|cols| {
            let rows = n.div_ceil(cols);
            let size = (f64::from(w) / cols as f64 / 1.2).min(f64::from(h) / rows as f64);
            (cols, rows, size, cols * rows - n)
        })
        .max_by(|a, b| a.2.total_cmp(&b.2).then(b.3.cmp(&a.3)))
        .map_or((1, 1), |(cols, rows, _, _)| (cols, rows))
}

/// Rounds between two labels of a panel's round axis: a round number of rounds giving at most `most` labels.
fn tick_step(rounds: usize, most: usize) -> usize {
    let most = most.max(1);
    let mut scale = 1;
    loop {
        for step in [1, 2, 5].map(|s| s * scale) {
            if rounds / step <= most {
                return step;
            }
        }
        scale *= 10;
    }
}

/// Seeds as runs of consecutive numbers: "seeds 1–5, 9, 12–13".
fn seed_ranges(seeds: &[u64]) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &s in seeds {
        match runs.last_mut() {
            Some(r) if r.1.checked_add(1) == Some(s) => r.1 = s,
            _ => runs.push((s, s)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a}–{b}"),
        })
        .collect();
    format!("seeds {}", text.join(", "))
}

impl Chart for SeedsChart<'_> {
    fn name(&self) -> &'static str {
        "compare-seeds"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (w, h) = root.dim_in_pixel();
        let sz = sizes(h);
        let n = self.lines.len();
        let label = &self.heading.round_label;
        let mut extra = vec![format!(
            "agreement A(t) from 0 to 1 by {label}, the same axes in every panel"
        )];
        if self.lines.iter().any(|l| l.2.is_some()) {
            extra.push("green: the ceasefire signed".to_string());
        }
        // The seeds as given, or as runs of numbers, or just counted (each panel names its seed), whichever fits.
        let seeds: Vec<u64> = self.lines.iter().map(|l| l.0).collect();
        let grey = font(sz.subtitle);
        let room = w.saturating_sub(2 * sz.label);
        let subtitle = [
            self.heading.seeds.clone(),
            seed_ranges(&seeds),
            format!("{n} seeds, each named in its panel"),
        ]
        .into_iter()
        .map(|s| subtitle_parts(self.heading, &s, &extra))
        .find(|parts| packs(root, parts, " · ", &grey, room, HEADER_LINES))
        .unwrap_or_else(|| subtitle_parts(self.heading, "", &extra));
        let body = header_lines(
            root,
            &format!("{} — agreement in each of {n} seeds", self.heading.title),
            &subtitle,
            &sz,
        )?;
        let body = body.margin(0, sz.small / 2, sz.small / 2, sz.small);
        let (bw, bh) = body.dim_in_pixel();
        let (cols, rows) = grid(n, bw, bh);
        let (pw, ph) = (bw / cols as u32, bh / rows as u32);
        let statuses: Vec<String> = (self.lines.iter())
            .map(|l| {
                l.2.map_or("no ceasefire".to_string(), |r| {
                    format!("signed {label} {r}")
                })
            })
            .collect();
        // Text as large as the chart's labels, smaller in small panels, never below 10 px per em; the same in every
        // panel, and small enough for every panel's heading to fit.
        let least = sizes(1).small;
        let fits = |ps: u32, two_lines: bool| {
            let room = budget(pw.saturating_sub(ps));
            self.lines
                .iter()
                .zip(&statuses)
                .all(|((seed, _, _), status)| {
                    let seed = format!("seed {seed}");
                    if two_lines {
                        text_width(root, &seed, &bold(ps)) <= room
                            && text_width(root, status, &font(ps)) <= room
                    } else {
                        text_width(root, &format!("{seed}: {status}"), &bold(ps)) <= room
                    }
                })
        };
        let largest = sz.small.min(ph / 6).max(least);
        let (ps, two_lines) = (least..=largest)
            .rev()
            .find_map(|ps| {
                if fits(ps, false) {
                    Some((ps, false))
                } else {
                    fits(ps, true).then_some((ps, true))
                }
            })
            .unwrap_or((least, true));
        let line = if ph < 200 { 2 } else { sz.line };
        let rounds = self.lines.iter().map(|l| l.1.len()).max().unwrap_or(1);
        // The tick labels of the shared axes, left of the first column and below the last row.
        let y_strip = text_width(root, "0.5", &font(ps)) + ps / 2;
        let x_strip = ps * 3 / 2;
        let grid_area = body.margin(0, x_strip, y_strip, 0);
        let panels = grid_area.split_evenly((rows, cols));
        let (pw, _) = (grid_area.dim_in_pixel().0 / cols as u32, ());
        let step = tick_step(rounds, (pw / (3 * ps)).max(1) as usize);
        let gap = (ps / 2) as i32;
        let head_h = if two_lines { 2 * ps } else { ps } + ps * 2 / 3;
        for (i, (((seed, agreement, reached), status), panel)) in
            self.lines.iter().zip(&statuses).zip(&panels).enumerate()
        {
            let heads = if two_lines {
                vec![
                    (format!("seed {seed}"), bold(ps)),
                    (status.clone(), font(ps)),
                ]
            } else {
                vec![(format!("seed {seed}: {status}"), bold(ps))]
            };
            for (k, (text, style)) in heads.iter().enumerate() {
                panel
                    .draw_text(
                        text,
                        &style.pos(Pos::new(HPos::Left, VPos::Top)),
                        (gap / 2, (ps / 3 + k as u32 * ps) as i32),
                    )
                    .map_err(err)?;
            }
            let plot = panel.margin(head_h, gap as u32 * 2, gap as u32 / 2, gap as u32 * 2);
            let mut chart = ChartBuilder::on(&plot)
                .build_cartesian_2d(0.5..rounds as f64 + 0.5, 0.0..1.0)
                .map_err(err)?;
            let (x0, x1) = (0.5, rounds as f64 + 0.5);
            for (y, colour) in [(0.5, LIGHT), (1.0, LIGHT), (0.0, GREY)] {
                chart
                    .draw_series([PathElement::new(
                        vec![(x0, y), (x1, y)],
                        colour.stroke_width(1),
                    )])
                    .map_err(err)?;
            }
            if let Some(r) = reached {
                let x = f64::from(*r);
                chart
                    .draw_series([PathElement::new(
                        vec![(x, 0.0), (x, 1.0)],
                        BLUISH_GREEN.stroke_width(line),
                    )])
                    .map_err(err)?;
            }
            draw_line(&mut chart, agreement.len(), Stroke::solid(INK, line), |t| {
                agreement[t]
            })?;
            if let Some(r) = reached
                && let Some(&y) = agreement.get((*r as usize).saturating_sub(1))
            {
                chart
                    .draw_series([Circle::new(
                        (f64::from(*r), y),
                        (ps / 4 + 1) as i32,
                        BLUISH_GREEN.filled(),
                    )])
                    .map_err(err)?;
            }
            let style = font(ps);
            if i % cols == 0 {
                for y in [0.0, 0.5, 1.0] {
                    let (px, py) = chart.backend_coord(&(x0, y));
                    root.draw_text(
                        &format!("{y:.1}"),
                        &style.pos(Pos::new(HPos::Right, VPos::Center)),
                        (px - gap / 2, py),
                    )
                    .map_err(err)?;
                }
            }
            if i + cols >= n {
                for t in (step..=rounds).step_by(step) {
                    let (px, py) = chart.backend_coord(&(t as f64, 0.0));
                    root.draw_text(
                        &t.to_string(),
                        &style.pos(Pos::new(HPos::Center, VPos::Top)),
                        (px, py + gap / 2),
                    )
                    .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}
