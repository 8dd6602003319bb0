//! The run charts fit for a projector: at 1600 × 900 and 1280 × 720 no text of any run chart of any bundled scenario
//! is shortened, rows and panels carry full names and meanings, a text that is not defined is not drawn, legends
//! list only what occurs, reference marks have no actor's colour, and the subtitle says what a variant changed.
#![allow(clippy::unwrap_used)]

mod support;
use support::svg_texts as texts;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ceasefire::chart::theme::{INK, LINE_PALETTE, REFERENCE};

const CHARTS: [&str; 4] = ["agreement", "votes", "positions", "reservations"];
const SCENARIOS: [&str; 7] = [
    "astana-2017",
    "no-iran-guarantor",
    "us-active-party",
    "hardline-spoiler",
    "early-hurting-stalemate",
    "no-guarantor-pressure",
    "two-party-textbook",
];

fn ceasefire(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_ceasefire"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ceasefire {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run `scenario` into `out` with `extra` arguments; the run's folder.
fn run(out: &Path, scenario: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec!["run", scenario, "--out", out.to_str().unwrap()];
    args.extend(extra);
    ceasefire(&args);
    let dir = out.join(scenario);
    let seed = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let charts = !extra.contains(&"--no-charts");
    assert_eq!(seed.join("charts").is_dir(), charts, "{}", seed.display());
    seed
}

fn svg(run: &Path, chart: &str) -> String {
    fs::read_to_string(run.join(format!("charts/{chart}.svg"))).unwrap()
}

/// All the text of an SVG, its elements joined by spaces: a text wrapped onto lines reads whole again.
fn joined(svg: &str) -> String {
    texts(svg).join(" ")
}

/// A scenario's dimensions as (label, one, zero), from its drawn.toml.
fn dimensions(run: &Path) -> Vec<(String, String, String)> {
    let drawn: toml::Table =
        toml::from_str(&fs::read_to_string(run.join("drawn.toml")).unwrap()).expect("drawn.toml");
    drawn["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("label"), s("one"), s("zero"))
        })
        .collect()
}

fn actor_names(run: &Path) -> Vec<String> {
    let drawn: toml::Table =
        toml::from_str(&fs::read_to_string(run.join("drawn.toml")).unwrap()).expect("drawn.toml");
    drawn["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn no_text_of_any_run_chart_is_shortened_at_either_projector_size() {
    let out = tempfile::tempdir().unwrap();
    for size in ["1600x900", "1280x720"] {
        for scenario in SCENARIOS {
            let dir = run(
                &out.path().join(size),
                scenario,
                &["--size", size, "--seed", "20170504"],
            );
            for chart in CHARTS {
                let svg = svg(&dir, chart);
                for t in texts(&svg) {
                    assert!(
                        !t.contains('…') && !t.contains("..."),
                        "{scenario} {chart} at {size}: `{t}` is shortened"
                    );
                }
                assert!(
                    joined(&svg).contains("seed 20170504"),
                    "{scenario} {chart} at {size}: the seed is cut off the title"
                );
            }
            let positions = joined(&svg(&dir, "positions"));
            for (label, one, zero) in dimensions(&dir) {
                for whole in [label, format!("1 = {one}"), format!("0 = {zero}")] {
                    assert!(
                        positions.contains(&whole),
                        "{scenario} positions at {size}: `{whole}` is not shown whole"
                    );
                }
            }
            let votes = joined(&svg(&dir, "votes"));
            for name in actor_names(&dir) {
                assert!(
                    votes.contains(&name),
                    "{scenario} votes at {size}: no row named `{name}`"
                );
            }
        }
    }
}

#[test]
fn votes_rows_are_named_not_ids() {
    let out = tempfile::tempdir().unwrap();
    let dir = run(out.path(), "astana-2017", &[]);
    let texts = texts(&svg(&dir, "votes"));
    for name in ["Russia", "Syrian government", "UN envoy (de Mistura)"] {
        assert!(texts.iter().any(|t| t == name), "no row `{name}`");
    }
    for id in ["RUS", "GOV", "OPP"] {
        assert!(!texts.iter().any(|t| t == id), "a row is labelled `{id}`");
    }
}

#[test]
fn the_votes_legend_lists_only_the_kinds_of_cell_that_occur() {
    let out = tempfile::tempdir().unwrap();
    // Astana: the opposition boycotts a round; every module that is shown is open from round 1.
    let astana = texts(&svg(&run(out.path(), "astana-2017", &[]), "votes"));
    assert!(astana.iter().any(|t| t == "absent (boycott)"));
    assert!(astana.iter().any(|t| t == "no vote (host, spoiler)"));
    assert!(!astana.iter().any(|t| t == "module not open"));
    // Two parties: nobody boycotts, both vote, the one module is open throughout.
    let pie = texts(&svg(&run(out.path(), "two-party-textbook", &[]), "votes"));
    for absent in [
        "absent (boycott)",
        "no vote (host, spoiler)",
        "module not open",
    ] {
        assert!(!pie.iter().any(|t| t == absent), "`{absent}` in the legend");
    }
    assert!(pie.iter().any(|t| t == "accept"));
    // A module that opens late: its first rounds are "not open".
    let late = out.path().join("late");
    let late = texts(&svg(
        &run(
            &late,
            "astana-2017",
            &["--set", "modules.confidence.open_round=10"],
        ),
        "votes",
    ));
    assert!(late.iter().any(|t| t == "module not open"));
}

/// The polylines of the text on the table in a positions SVG at 1600 × 900 (ink, 6 px), its legend's sample
/// among them.
fn text_lines(svg: &str) -> usize {
    svg.matches(r##"stroke="#222222" stroke-width="6""##)
        .count()
}

/// `rounds.csv` with the cells of the columns `columns` emptied in every row.
fn blank(rounds: &str, columns: &[&str]) -> String {
    let mut lines = rounds.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap())
        .collect();
    let mut out = header.join(",") + "\n";
    for line in lines {
        let cells: Vec<&str> = line
            .split(',')
            .enumerate()
            .map(|(i, c)| if at.contains(&i) { "" } else { c })
            .collect();
        out += &(cells.join(",") + "\n");
    }
    out
}

#[test]
fn a_text_that_is_not_defined_is_not_drawn_and_a_module_never_opened_says_so() {
    let out = tempfile::tempdir().unwrap();
    let dir = run(out.path(), "astana-2017", &[]);
    // Seven dimensions; the political module's two never open (open_round is beyond the horizon).
    let positions = svg(&dir, "positions");
    assert_eq!(text_lines(&positions), 5 + 1);
    assert_eq!(
        texts(&positions)
            .iter()
            .filter(|t| *t == "not open in this run")
            .count(),
        2
    );
    // Empty text cells, as the tables write a text not yet defined, are read as undefined: here those of the
    // political module (as they will be written) and, to see it, those of an open dimension too.
    let rounds = fs::read_to_string(dir.join("rounds.csv")).unwrap();
    fs::write(
        dir.join("rounds.csv"),
        blank(&rounds, &["text_transition", "text_kurds", "text_scope"]),
    )
    .unwrap();
    fs::remove_dir_all(dir.join("charts")).unwrap();
    ceasefire(&["chart", dir.to_str().unwrap()]);
    let redrawn = svg(&dir, "positions");
    assert_eq!(text_lines(&redrawn), 4 + 1);
    // The compromise stays drawn in every panel (dark grey, dashed).
    assert!(redrawn.matches(r##"stroke="#555555""##).count() >= 7);
}

#[test]
fn empty_text_cells_read_as_not_defined_and_numbers_as_numbers() {
    let out = tempfile::tempdir().unwrap();
    // Every module open from round 1, so that every text is defined as written.
    let dir = run(
        out.path(),
        "astana-2017",
        &["--no-charts", "--set", "modules.political.open_round=1"],
    );
    let read = |f: &str| fs::read_to_string(dir.join(f)).unwrap();
    let rounds = read("rounds.csv");
    let parse = |rounds: &str| {
        ceasefire::chart::RunData::parse(
            rounds,
            &read("actors.csv"),
            &read("events.csv"),
            &read("summary.json"),
            &read("drawn.toml"),
        )
        .unwrap()
    };
    let as_written = parse(&rounds);
    assert!(as_written.text.iter().flatten().all(|v| v.is_finite()));
    let blanked = parse(&blank(&rounds, &["text_transition"]));
    let d = blanked
        .dimensions
        .iter()
        .position(|d| d.id == "transition")
        .unwrap();
    assert!(blanked.text.iter().all(|row| row[d].is_nan()));
    assert!(blanked.compromise.iter().all(|row| row[d].is_finite()));
}

#[test]
fn the_subtitle_says_what_a_variant_changed() {
    let out = tempfile::tempdir().unwrap();
    for size in ["1600x900", "1280x720"] {
        let dir = run(
            &out.path().join(size),
            "astana-2017",
            &["--set", "actors.IRN.role=observer", "--size", size],
        );
        for chart in ["positions", "votes", "reservations"] {
            assert!(
                joined(&svg(&dir, chart))
                    .contains("teaching defaults, not a forecast · with actors.IRN.role=observer"),
                "{chart} at {size}"
            );
        }
    }
}

#[test]
fn reference_marks_have_no_actor_colour() {
    for reference in [INK, REFERENCE] {
        assert!(!LINE_PALETTE.contains(&reference), "{reference:?}");
    }
    let out = tempfile::tempdir().unwrap();
    let dir = run(out.path(), "two-party-textbook", &[]);
    let texts = texts(&svg(&dir, "reservations"));
    assert!(texts.iter().any(|t| t.contains("Nash bargaining point")));
    // The Nash point and the compromise point are drawn in ink, not in a line colour (blue, orange before).
    let svg = svg(&dir, "reservations");
    let marks: Vec<&str> = svg
        .split('<')
        .filter(|e| e.starts_with("circle") || e.starts_with("polygon"))
        .collect();
    assert!(marks.len() >= 4, "{} marks", marks.len());
    for actor_colour in LINE_PALETTE {
        let hex = format!(
            "#{:02X}{:02X}{:02X}",
            actor_colour.0, actor_colour.1, actor_colour.2
        );
        assert!(
            !marks.iter().any(|m| m.contains(&hex)),
            "{hex}, an actor's colour, marks a point"
        );
    }
}

/// The votes chart shows a government rejecting a ceasefire that is signed: it says who signs.
#[test]
fn the_votes_chart_says_who_signed_the_ceasefire() {
    let out = tempfile::tempdir().unwrap();
    let dir = run(out.path(), "astana-2017", &[]);
    let text = texts(&svg(&dir, "votes")).join(" ");
    assert!(
        text.contains("ceasefire signed in week 19 by Russia, Iran and Turkey"),
        "{text}"
    );
    let none = run(out.path(), "no-guarantor-pressure", &[]);
    assert!(
        !texts(&svg(&none, "votes"))
            .join(" ")
            .contains("ceasefire signed")
    );
}
