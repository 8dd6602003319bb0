//! Charts: SVG text pinned at a fixed seed, PNGs that are not blank and carry text, identical output on a machine
//! without fonts, and `ceasefire chart` reproducing the charts of `run`.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;

const CHARTS: [&str; 4] = ["agreement", "votes", "positions", "reservations"];

fn run_into(out: &Path, envs: &[(&str, &str)]) {
    let mut cmd = Command::cargo_bin("ceasefire").unwrap();
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.args(["run", "--seed", "20170504", "--out"])
        .arg(out)
        .assert()
        .success();
}

fn charts_dir(out: &Path) -> std::path::PathBuf {
    out.join("astana-2017/seed-20170504/charts")
}

#[test]
fn run_draws_four_charts_as_png_and_svg() {
    let out = tempfile::tempdir().unwrap();
    run_into(out.path(), &[]);
    let dir = charts_dir(out.path());
    for c in CHARTS {
        let png = image::open(dir.join(format!("{c}.png"))).unwrap().to_rgb8();
        assert_eq!(png.dimensions(), (1600, 900), "{c}");
        let total = png.pixels().count();
        let inked = png.pixels().filter(|p| p.0 != [255, 255, 255]).count();
        assert!(
            inked * 50 > total,
            "{c}.png is nearly blank ({inked} of {total} pixels)"
        );
        // Text: the title band (top 60 px) has dark, anti-aliased glyph pixels.
        let title_dark = (0..60)
            .flat_map(|y| (0..1600).map(move |x| (x, y)))
            .filter(|&(x, y)| png.get_pixel(x, y).0[0] < 100)
            .count();
        assert!(
            title_dark > 2000,
            "{c}.png has no title text ({title_dark} dark pixels)"
        );
        let svg = fs::read_to_string(dir.join(format!("{c}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{c}.svg");
        assert!(svg.contains("Astana talks, 2017"), "{c}.svg has its title");
        assert!(
            svg.contains("teaching defaults, not a forecast"),
            "{c}.svg has the disclaimer"
        );
    }
}

#[test]
fn agreement_svg_is_pinned() {
    let out = tempfile::tempdir().unwrap();
    run_into(out.path(), &[]);
    let svg = fs::read_to_string(charts_dir(out.path()).join("agreement.svg")).unwrap();
    insta::assert_snapshot!(svg);
}

#[test]
fn charts_are_identical_without_any_system_font() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty-fonts.conf");
    fs::write(
        &empty,
        "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n",
    )
    .unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_into(&a, &[]);
    run_into(
        &b,
        &[
            ("FONTCONFIG_FILE", empty.to_str().unwrap()),
            ("FONTCONFIG_PATH", dir.path().to_str().unwrap()),
            ("XDG_DATA_HOME", "/nonexistent"),
        ],
    );
    for c in CHARTS {
        for ext in ["png", "svg"] {
            let name = format!("{c}.{ext}");
            assert_eq!(
                fs::read(charts_dir(&a).join(&name)).unwrap(),
                fs::read(charts_dir(&b).join(&name)).unwrap(),
                "{name}"
            );
        }
    }
}

#[test]
fn chart_command_redraws_what_run_drew() {
    let out = tempfile::tempdir().unwrap();
    run_into(out.path(), &[]);
    let dir = charts_dir(out.path());
    let before: Vec<Vec<u8>> = CHARTS
        .iter()
        .map(|c| fs::read(dir.join(format!("{c}.png"))).unwrap())
        .collect();
    fs::remove_dir_all(&dir).unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .arg("chart")
        .arg(dir.parent().unwrap())
        .assert()
        .success();
    for (c, b) in CHARTS.iter().zip(before) {
        assert_eq!(fs::read(dir.join(format!("{c}.png"))).unwrap(), b, "{c}");
    }
    // A folder that is not a results folder is refused with exit 2.
    Command::cargo_bin("ceasefire")
        .unwrap()
        .arg("chart")
        .arg(out.path())
        .assert()
        .code(2);
}

#[test]
fn size_option_changes_the_image_size() {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["run", "--size", "1280x720", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let png = image::open(
        out.path()
            .join("astana-2017/seed-20170504/charts/agreement.png"),
    )
    .unwrap();
    assert_eq!((png.width(), png.height()), (1280, 720));
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["run", "--size", "huge"])
        .assert()
        .code(2);
}

/// `(top, bottom, text)` of every unrotated `<text>` of an SVG drawn by plotters, from its y, its font size and
/// its vertical anchor (plotters writes top, centre and bottom anchors as dy = 0.76em, 0.5ex and -0.5ex).
fn text_extents(svg: &str) -> Vec<(f64, f64, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next().map(str::to_string)
    };
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            if tag.contains("transform") {
                return None;
            }
            let text = rest.split('<').next()?.trim().to_string();
            let y: f64 = attr(tag, "y")?.parse().ok()?;
            let size: f64 = attr(tag, "font-size")?.parse().ok()?;
            let (top, bottom) = match attr(tag, "dy").as_deref() {
                Some("0.76em") => (y, y + size),
                Some("-0.5ex") => (y - size, y),
                _ => (y - size / 2.0, y + size / 2.0),
            };
            Some((top, bottom, text))
        })
        .collect()
}

#[test]
fn every_label_stays_on_the_canvas_even_at_a_small_size() {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["run", "--seed", "20170504", "--size", "800x450", "--out"])
        .arg(out.path())
        .assert()
        .success();
    for chart in CHARTS {
        let svg = fs::read_to_string(charts_dir(out.path()).join(format!("{chart}.svg"))).unwrap();
        let texts = text_extents(&svg);
        assert!(texts.len() > 3, "{chart}: {} labels", texts.len());
        for (top, bottom, text) in texts {
            assert!(
                top >= 0.0 && bottom <= 451.0,
                "{chart}: `{text}` spans y = {top}..{bottom}, off the 450 px canvas"
            );
        }
    }
}

#[test]
fn text_is_at_least_18_px_per_em_at_the_default_size_and_scales_with_the_chart() {
    // plotters writes the em size as the SVG font-size (its own size unit is the line height, 1.24 em).
    for (size, floor) in [("1600x900", 18.0), ("2400x1350", 27.0), ("800x450", 9.0)] {
        let out = tempfile::tempdir().unwrap();
        Command::cargo_bin("ceasefire")
            .unwrap()
            .args(["run", "--seed", "20170504", "--size", size, "--out"])
            .arg(out.path())
            .assert()
            .success();
        for chart in CHARTS {
            let svg =
                fs::read_to_string(charts_dir(out.path()).join(format!("{chart}.svg"))).unwrap();
            let sizes: Vec<f64> = svg
                .split("font-size=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap().parse().unwrap())
                .collect();
            assert!(!sizes.is_empty());
            let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
            assert!(
                smallest >= floor,
                "{chart} at {size}: text of {smallest} px"
            );
        }
    }
}
