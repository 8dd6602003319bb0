//! Votes as an actor × round grid, one panel per module that ever opened: accept, reject, or not voting
//! (boycott, host, spoiler, closed module).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Others, RunData};
use super::theme::*;
use crate::trace::Vote;

/// The least width in pixels of a cell drawn apart from its neighbours.
const SEPARATE: usize = 4;
/// Rows lower than this many pixels cannot be read: the grid then shows fewer rows (see `draw`).
const MIN_ROW: i32 = 10;

pub struct VotesChart<'a> {
    pub run: &'a RunData,
}

/// How a cell of each vote is drawn: strong colours for accept and reject, dark grey for a boycott, an empty cell
/// with a border for no vote, and grey hatching for a module not open, so that each can be told from the others
/// and from the white ground on a projector. The legend draws the same swatches.
pub fn swatch(v: Vote) -> Swatch {
    match v {
        Vote::Accept => Swatch::solid(BLUISH_GREEN),
        Vote::Reject => Swatch::solid(VERMILLION),
        Vote::Absent => Swatch::solid(RGBColor(0x4D, 0x4D, 0x4D)),
        Vote::NoVote => Swatch {
            fill: WHITE,
            border: Some(GREY),
            hatch: None,
        },
        Vote::Closed => Swatch {
            fill: RGBColor(0xE2, 0xE2, 0xE2),
            border: Some(GREY),
            hatch: Some(RGBColor(0x77, 0x77, 0x77)),
        },
    }
}

/// What a vote's cell means, in the legend.
fn meaning(v: Vote) -> &'static str {
    match v {
        Vote::Accept => "accept",
        Vote::Reject => "reject",
        Vote::Absent => "absent (boycott)",
        Vote::NoVote => "no vote (host, spoiler)",
        Vote::Closed => "module not open",
    }
}

fn kind(v: Vote) -> usize {
    Others::VOTES.iter().position(|w| *w == v).unwrap_or(3)
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
        // Who signs: a ceasefire can be signed while a party rejects its text, as long as its signatories accept.
        let mut subtitle = run_subtitle(&run.changed);
        if let Some(week) = run.ceasefire_round {
            let by = match run.signatories.as_slice() {
                [] => String::new(),
                [one] => format!(" by {one}"),
                [rest @ .., last] => format!(" by {} and {last}", rest.join(", ")),
            };
            subtitle.push_str(&format!(
                " · ceasefire signed in {} {week}{by}, when every signatory accepted",
                run.round_label
            ));
        }
        let (grid_area, side) = header_with_legend(root, &title, &subtitle, &sz, 0.2)?;
        let mut modules: Vec<usize> = (0..run.modules.len()).filter(|&m| run.opened(m)).collect();
        let mut actors = run.named.clone();
        let (gw, gh) = grid_area.dim_in_pixel();
        // Rows are labelled with the actors' names, as wide as the widest needs, up to a fifth of the grid's width
        // (a longer name is wrapped onto two lines, see `row_label`).
        let name_style = font(sz.small);
        let widest = run
            .named
            .iter()
            .map(|&i| run.actors[i].name.as_str())
            .chain(std::iter::once("9999 others"))
            .map(|n| {
                grid_area
                    .estimate_text_size(n, &name_style)
                    .map_or(0, |(w, _)| w)
            })
            .max()
            .unwrap_or(0);
        let label_w = (widest + widest / 20 + 8).min(gw / 5) as i32;
        let left = label_w + sz.small as i32 / 2;
        let right = gw as i32 - sz.small as i32;
        let axis_h = (sz.label as f64 * 2.6) as i32;
        let heading_h = (sz.label as f64 * 1.5) as i32;
        let gap = sz.small as i32;
        let avail = |panels: usize| gh as i32 - axis_h - (heading_h + gap) * panels as i32;
        // The actors not named share one row of stacked shares, twice as high.
        let others_rows = |others: usize| if others > 0 { 2 } else { 0 };
        let per_module = actors.len() + others_rows(run.others.count);
        let rows_total = (modules.len() * per_module).max(1) as i32;
        let mut row_h = (avail(modules.len()) / rows_total).clamp(4, sz.label as i32 * 2);
        // Too many rows to read: rows as high as their labels, as many named actors as fit (the first by role;
        // the others' row takes in the rest), and as many modules as fit with one named row each.
        let mut folded = Vec::new();
        let mut hidden_modules = 0;
        if avail(modules.len()) / rows_total < MIN_ROW {
            row_h = sz.small as i32;
            let fit =
                |panels: usize| (avail(panels) / panels.max(1) as i32 / row_h).max(0) as usize;
            // The ceasefire module stays; the last of the others go.
            while modules.len() > 1 && fit(modules.len()) < 3 {
                let last = modules.iter().rposition(|&m| m != run.ceasefire_module);
                if let Some(last) = last {
                    modules.remove(last);
                }
                hidden_modules += 1;
            }
            let named_rows = fit(modules.len()).saturating_sub(2).min(actors.len());
            let mut by_role = actors.clone();
            by_role.sort_by_key(|&i| (role_rank(run.actors[i].role), i));
            folded = by_role.split_off(named_rows);
            actors.retain(|i| !folded.contains(i));
        }
        let others = run.others.count + folded.len();
        // One cell per round, a pixel apart, when each is at least `SEPARATE` pixels wide; otherwise cells
        // abut, one per pixel column at most (a bucket of rounds each), and a run of cells alike is one rectangle.
        let width = (right - left).max(1) as usize;
        let columns: Vec<std::ops::Range<usize>> = buckets(run.rounds, width).collect();
        let cell_w = f64::from(right - left) / columns.len().max(1) as f64;
        let thinned = run.rounds * SEPARATE > width;
        // Which kinds of cell were drawn, in the order of `Others::VOTES`: the legend shows only those.
        let mut seen = [false; 5];
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
                row_label(&grid_area, &run.actors[i].name, (label_w, y, row_h), &sz)?;
                if !thinned {
                    for t in 0..run.rounds {
                        let x0 = left + (t as f64 * cell_w) as i32;
                        let x1 = left + ((t + 1) as f64 * cell_w) as i32;
                        let v = run.vote(i, t, m);
                        seen[kind(v)] = true;
                        draw_swatch(&grid_area, [(x0, y), (x1 - 1, y + row_h - 2)], swatch(v))?;
                    }
                } else {
                    // Each column shows the vote most often given in its rounds.
                    let mut c = 0;
                    while c < columns.len() {
                        let v = most_common(columns[c].clone().map(|t| run.vote(i, t, m)));
                        let mut end = c + 1;
                        while end < columns.len()
                            && most_common(columns[end].clone().map(|t| run.vote(i, t, m))) == v
                        {
                            end += 1;
                        }
                        let x0 = left + (c as f64 * cell_w) as i32;
                        let x1 = left + (end as f64 * cell_w) as i32;
                        seen[kind(v)] = true;
                        draw_swatch(&grid_area, [(x0, y), (x1, y + row_h - 2)], swatch(v))?;
                        c = end;
                    }
                }
                y += row_h;
            }
            if others > 0 {
                others_row(
                    run,
                    m,
                    &folded,
                    &grid_area,
                    (label_w, left, y, 2 * row_h),
                    &columns,
                    cell_w,
                    &sz,
                    &mut seen,
                )?;
                y += 2 * row_h;
            }
            y += gap;
        }
        // Round axis under the last panel.
        let step = round_step(run.rounds);
        let round_w = f64::from(right - left) / run.rounds.max(1) as f64;
        for t in (0..=run.rounds).step_by(step).skip(1) {
            let x = left + ((t as f64 - 0.5) * round_w) as i32;
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
        let mut entries: Vec<(Mark, String)> = Others::VOTES
            .iter()
            .zip(seen)
            .filter(|(_, seen)| *seen)
            .map(|(&v, _)| (Mark::Swatch(swatch(v)), meaning(v).to_string()))
            .collect();
        if others > 0 {
            entries.push((
                Mark::Block(WHITE),
                format!("{others} others: the shares of their votes, stacked in this order from the bottom"),
            ));
        }
        if hidden_modules > 0 {
            entries.push((
                Mark::Block(WHITE),
                format!("{hidden_modules} more modules not shown (see actors.csv)"),
            ));
        }
        legend(
            &side.margin(sz.small * 2, 0, sz.small, 0),
            "Vote",
            &entries,
            &sz,
        )?;
        Ok(())
    }
}

/// The vote given most often (the first of those tied), "none" for no rounds.
fn most_common(votes: impl Iterator<Item = Vote>) -> Vote {
    let mut counts = [0usize; 5];
    for v in votes {
        counts[kind(v)] += 1;
    }
    let best = (0..5).max_by_key(|&k| (counts[k], 5 - k)).unwrap_or(3);
    if counts[best] == 0 {
        Vote::NoVote
    } else {
        Others::VOTES[best]
    }
}

/// The row of the actors not named (and of the named ones `folded` in): in each column, the shares of their votes
/// stacked from the bottom (accept, reject, absent, no vote, not open), labelled with how many they are.
#[allow(clippy::too_many_arguments)]
fn others_row<DB: DrawingBackend>(
    run: &RunData,
    m: usize,
    folded: &[usize],
    area: &DrawingArea<DB, Shift>,
    (label_w, left, y, h): (i32, i32, i32, i32),
    columns: &[std::ops::Range<usize>],
    cell_w: f64,
    sz: &Sizes,
    seen: &mut [bool; 5],
) -> Result<(), DrawError> {
    let o = &run.others;
    row_label(
        area,
        &format!("{} others", o.count + folded.len()),
        (label_w, y, h),
        sz,
    )?;
    let nm = run.modules.len();
    for (c, rounds) in columns.iter().enumerate() {
        let mut counts = [0u64; 5];
        for t in rounds.clone() {
            if let Some(votes) = o.votes.get(t * nm + m) {
                for (k, n) in votes.iter().enumerate() {
                    counts[k] += u64::from(*n);
                }
            }
            for &i in folded {
                let v = run.vote(i, t, m);
                counts[kind(v)] += 1;
            }
        }
        let total: u64 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let x0 = left + (c as f64 * cell_w) as i32;
        let x1 = left + ((c + 1) as f64 * cell_w) as i32 - i32::from(cell_w >= SEPARATE as f64);
        let (bottom, height) = (y + h - 2, f64::from(h - 2));
        let mut below = 0u64;
        for (k, n) in counts.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let y1 = bottom - (below as f64 / total as f64 * height) as i32;
            below += n;
            let y0 = bottom - (below as f64 / total as f64 * height) as i32;
            seen[k] = true;
            draw_swatch(area, [(x0, y0), (x1, y1)], swatch(Others::VOTES[k]))?;
        }
    }
    Ok(())
}

/// A row's label, right-aligned at `right` and centred on the row `(y, h)`: on one line when it fits, else wrapped
/// onto two when the row is high enough for them, else shortened.
fn row_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    (right, y, h): (i32, i32, i32),
    sz: &Sizes,
) -> Result<(), DrawError> {
    let style = font(sz.small);
    let room = right.max(1) as u32;
    let two = h >= sz.small as i32 * 17 / 10;
    let lines = wrap_lines(area, text, &style, room, if two { 2 } else { 1 });
    let step = (f64::from(sz.small) * 0.85) as i32;
    let first = y + h / 2 - (lines.len() as i32 - 1) * step / 2;
    for (k, l) in lines.iter().enumerate() {
        area.draw_text(
            l,
            &style.pos(Pos::new(HPos::Right, VPos::Center)),
            (right, first + k as i32 * step),
        )
        .map_err(err)?;
    }
    Ok(())
}
