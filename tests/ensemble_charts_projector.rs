//! The ensemble charts fit for a projector: compare-reached prints each variant's difference with its interval as
//! `compare.csv` holds it, compare-seeds draws one panel per seed with its signing week, the fan chart says why its
//! light band leaps, subtitles say what was changed, and no text of any ensemble chart is cut off.
#![allow(clippy::unwrap_used)]

mod support;
use support::svg_texts as texts;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ceasefire::chart::ensemble::{BandsData, band_note, deltas_from_compare_csv, grid};
use ceasefire::chart::read::Table;

/// Run the binary with `args`, `--out` a fresh folder; return that folder.
fn ceasefire(out: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_ceasefire"))
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The one results folder under `out` (found, not named, so that the test does not depend on folder names).
fn only_folder(out: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.join("charts").is_dir() {
                    found.push(path);
                } else if path.file_name().is_some_and(|n| n != "charts") {
                    stack.push(path);
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

/// The texts of an SVG chart, in order, unescaped, joined by spaces (so a wrapped entry reads as one).
fn svg_text(path: &Path) -> String {
    let svg = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    texts(&svg).join(" ")
}

fn svgs(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(folder.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    v.sort();
    v
}

fn assert_nothing_cut_off(folder: &Path) {
    for svg in svgs(folder) {
        for t in texts(&fs::read_to_string(&svg).unwrap()) {
            assert!(!t.contains('…'), "{}: `{t}` is cut off", svg.display());
        }
    }
}

/// A percentage-point difference as the chart writes it, computed here independently of the chart's code.
fn pp(x: f64) -> String {
    let s = format!("{:.1}", (100.0 * x).abs());
    match () {
        _ if s == "0.0" => s,
        _ if x < 0.0 => format!("−{s}"),
        _ => format!("+{s}"),
    }
}

fn compare_reached_shows_the_deltas_of_compare_csv(args: &[&str]) {
    for size in ["1600x900", "1280x720"] {
        let out = tempfile::tempdir().unwrap();
        let mut a = args.to_vec();
        a.extend(["--runs", "300", "--size", size]);
        ceasefire(out.path(), &a);
        let folder = only_folder(out.path());
        let csv = fs::read_to_string(folder.join("compare.csv")).unwrap();
        let deltas = deltas_from_compare_csv(&csv).unwrap();
        let table = Table::parse("compare.csv", &csv).unwrap();
        let label = table.col("label").unwrap();
        assert!(deltas.len() >= 2 && deltas[0].is_none());
        let text = svg_text(&folder.join("charts/compare-reached.svg"));
        for (row, delta) in table.rows.iter().zip(&deltas).skip(1) {
            let (d, lo, hi) = delta.unwrap();
            assert!(lo <= d && d <= hi);
            let expected = format!(
                "{}: {} points [{}, {}] by week 50",
                row.cells[label],
                pp(d),
                pp(lo),
                pp(hi)
            );
            assert!(
                text.contains(&expected),
                "{size}: `{expected}` not in {text}"
            );
        }
        assert!(text.contains(&format!("{} (the baseline)", table.rows[0].cells[label])));
        assert_nothing_cut_off(&folder);
    }
}

#[test]
fn compare_reached_prints_each_variants_difference_with_its_interval_from_compare_csv() {
    compare_reached_shows_the_deltas_of_compare_csv(&[
        "compare",
        "astana-2017",
        "no-iran-guarantor",
    ]);
}

#[test]
fn compare_reached_of_a_vary_wraps_its_long_label_rather_than_cutting_it() {
    compare_reached_shows_the_deltas_of_compare_csv(&[
        "compare",
        "astana-2017",
        "--vary",
        "actors.IRN.role=\"observer\"",
    ]);
}

#[test]
fn the_deltas_of_compare_csv_are_read_with_none_for_the_baseline() {
    let csv = "variant,label,delta_p_reached,delta_p_reached_lo,delta_p_reached_hi\n\
               a,a,,,\nb,b,-0.414,-0.446,-0.382\n";
    let d = deltas_from_compare_csv(csv).unwrap();
    assert_eq!(d, vec![None, Some((-0.414, -0.446, -0.382))]);
    let missing = deltas_from_compare_csv("variant,label\na,a\n").unwrap_err();
    assert!(missing.to_string().contains("delta_p_reached"), "{missing}");
}

/// The seeds of a seeds comparison's compare.csv, with their ceasefire rounds.
fn seeds_of(folder: &Path) -> Vec<(String, Option<String>)> {
    let csv = fs::read_to_string(folder.join("compare.csv")).unwrap();
    let t = Table::parse("compare.csv", &csv).unwrap();
    let (s, r) = (t.col("seed").unwrap(), t.col("ceasefire_round").unwrap());
    t.rows
        .iter()
        .map(|row| {
            let round = &row.cells[r];
            (
                row.cells[s].clone(),
                (!round.is_empty()).then(|| round.clone()),
            )
        })
        .collect()
}

#[test]
fn compare_seeds_draws_one_panel_per_seed_with_its_signing_week() {
    for (seeds, size) in [
        ("1,2,3", "1600x900"),
        ("6,7,8,9,10", "1280x720"),
        (
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50",
            "1280x720",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        ceasefire(
            out.path(),
            &["compare", "astana-2017", "--seeds", seeds, "--size", size],
        );
        let folder = only_folder(out.path());
        let text = svg_text(&folder.join("charts/compare-seeds.svg"));
        let seeds = seeds_of(&folder);
        assert!(seeds.iter().any(|s| s.1.is_some()), "a seed signs");
        for (seed, round) in &seeds {
            let status = round
                .as_ref()
                .map_or("no ceasefire".to_string(), |r| format!("signed week {r}"));
            // One line ("seed 7: signed week 19") or two ("seed 7", "signed week 19").
            let one = format!("seed {seed}: {status}");
            let two = format!("seed {seed} {status}");
            assert!(
                text.contains(&format!("{one} ")) || text.contains(&format!("{two} ")),
                "{size}: no panel `{one}` in {text}"
            );
            assert_eq!(
                text.matches(&format!("seed {seed} ")).count()
                    + text.matches(&format!("seed {seed}: ")).count(),
                1,
                "one panel for seed {seed}"
            );
        }
        assert_nothing_cut_off(&folder);
    }
}

#[test]
fn a_grid_of_panels_stacks_a_few_and_stays_in_a_few_rows_for_fifty() {
    assert_eq!(grid(3, 1500, 700), (1, 3));
    for n in 1..=50 {
        let (cols, rows) = grid(n, 1250, 590);
        assert!(
            cols * rows >= n && cols * rows - n < cols,
            "{n}: {cols}x{rows}"
        );
        assert!(rows <= 6 && cols <= 12, "{n}: {cols}x{rows}");
    }
}

const BUNDLED: [&str; 7] = [
    "astana-2017",
    "no-iran-guarantor",
    "us-active-party",
    "hardline-spoiler",
    "early-hurting-stalemate",
    "no-guarantor-pressure",
    "two-party-textbook",
];

#[test]
fn no_text_of_an_ensemble_chart_is_cut_off_for_the_bundled_scenarios() {
    for size in ["1600x900", "1280x720"] {
        for name in BUNDLED {
            let out = tempfile::tempdir().unwrap();
            ceasefire(
                out.path(),
                &["batch", name, "--runs", "100", "--size", size],
            );
            let folder = only_folder(out.path());
            assert_eq!(svgs(&folder).len(), 3);
            assert_nothing_cut_off(&folder);
        }
        let out = tempfile::tempdir().unwrap();
        let mut all = vec!["compare"];
        all.extend(&BUNDLED[..6]);
        all.extend(["--runs", "100", "--size", size]);
        ceasefire(out.path(), &all);
        assert_nothing_cut_off(&only_folder(out.path()));
    }
}

#[test]
fn every_subtitle_says_what_a_set_changed() {
    let out = tempfile::tempdir().unwrap();
    ceasefire(
        out.path(),
        &[
            "batch",
            "astana-2017",
            "--runs",
            "50",
            "--set",
            "actors.IRN.role=observer",
        ],
    );
    let folder = only_folder(out.path());
    for svg in svgs(&folder) {
        let text = svg_text(&svg);
        assert!(
            text.contains("with actors.IRN.role=observer"),
            "{}: {text}",
            svg.display()
        );
    }
    let out = tempfile::tempdir().unwrap();
    ceasefire(
        out.path(),
        &[
            "compare",
            "astana-2017",
            "--seeds",
            "1,2",
            "--set",
            "actors.IRN.role=observer",
        ],
    );
    let text = svg_text(&only_folder(out.path()).join("charts/compare-seeds.svg"));
    assert!(text.contains("with actors.IRN.role=observer"), "{text}");
    // Nothing changed: no "with" in the subtitle.
    let out = tempfile::tempdir().unwrap();
    ceasefire(out.path(), &["batch", "astana-2017", "--runs", "20"]);
    let text = svg_text(&only_folder(out.path()).join("charts/fan.svg"));
    assert!(!text.contains(" with "), "{text}");
}

/// A BandsData of `rounds` rounds whose agreement quantiles (p05, p25, p50, p75, p95) are `q(t)`.
fn bands(rounds: usize, q: impl Fn(usize) -> [f64; 5]) -> BandsData {
    let mut b = BandsData {
        label: "test".into(),
        runs: 1000,
        ..BandsData::default()
    };
    for t in 0..rounds {
        for (series, v) in b.agreement.iter_mut().zip(q(t)) {
            series.push(v);
        }
    }
    b
}

#[test]
fn the_fan_note_appears_when_a_few_seeds_set_the_light_bands_top_and_not_otherwise() {
    // Weeks 41–48: most seeds near 0.72, a few (between 5 and 25 %) at 1.0.
    let leap = bands(50, |t| {
        if (40..48).contains(&t) {
            [0.69, 0.70, 0.71, 0.72, 0.9995]
        } else {
            [0.60, 0.65, 0.68, 0.70, 0.74]
        }
    });
    let note = band_note(&leap, 4, "week").unwrap();
    assert!(note.starts_with("Weeks 41–48:"), "{note}");
    assert!(note.contains("at most 25 % of seeds"), "{note}");
    assert!(note.contains("more than 5 %"), "{note}");
    assert!(note.contains("up to 1.00: all voters accept"), "{note}");

    // One round, below unanimity.
    let one = bands(10, |t| {
        if t == 6 {
            [0.2, 0.25, 0.27, 0.3, 0.5]
        } else {
            [0.2, 0.25, 0.27, 0.3, 0.32]
        }
    });
    let note = band_note(&one, 4, "round").unwrap();
    assert!(
        note.starts_with("Round 7:") && note.contains("(up to 0.50)."),
        "{note}"
    );
    assert!(!note.contains("all voters"), "{note}");

    // A smooth spread: the light band's top is no farther above the dark band than the dark band is wide.
    let smooth = bands(50, |_| [0.1, 0.3, 0.5, 0.7, 0.95]);
    assert_eq!(band_note(&smooth, 4, "week"), None);
    // A narrow fan: nothing leaps.
    let narrow = bands(50, |_| [0.69, 0.70, 0.71, 0.72, 0.78]);
    assert_eq!(band_note(&narrow, 4, "week"), None);
    // Undefined quantiles (no runs) say nothing.
    let empty = bands(5, |_| [f64::NAN; 5]);
    assert_eq!(band_note(&empty, 4, "week"), None);
}

#[test]
fn the_fan_chart_of_astana_says_why_its_light_band_leaps() {
    let out = tempfile::tempdir().unwrap();
    ceasefire(out.path(), &["batch", "astana-2017", "--runs", "300"]);
    let folder = only_folder(out.path());
    let b = BandsData::parse(
        "astana-2017",
        &fs::read_to_string(folder.join("bands.csv")).unwrap(),
    )
    .unwrap();
    let note = band_note(&b, 4, "week").expect("the light band leaps in the flagship");
    let text = svg_text(&folder.join("charts/fan.svg"));
    assert!(text.contains(&note), "`{note}` not in {text}");
}
