//! `ceasefire report`: one self-contained HTML handout, compare's numbers, escaped scenario text, the same bytes
//! again from the command it gives, precise refusals, and a real browser's rendering of it.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const IRAN: &str = "Iran as observer: actors.IRN.role=observer";

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").expect("binary")
}

/// Every file under `dir`, hidden ones included.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Run `ceasefire report ARGS --out OUT` and return the one file it wrote, and its text.
fn report(out: &Path, args: &[&str]) -> (PathBuf, String) {
    let assert = ceasefire()
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let files = files_under(out);
    assert_eq!(files.len(), 1, "one file and nothing else: {files:?}");
    assert!(
        stdout.contains(&files[0].display().to_string()),
        "it says where the file went: {stdout}"
    );
    let text = fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), text)
}

/// Nothing in the page reaches outside it.
fn assert_self_contained(html: &str) {
    for bad in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(bad), "the handout contains `{bad}`");
    }
    assert!(!html.to_lowercase().contains("<script"), "no script at all");
}

/// The value of attribute `name` in the first tag of `html` from `from` on.
fn attr(html: &str, from: usize, name: &str) -> String {
    let key = format!("{name}=\"");
    let at = from + html[from..].find(&key).unwrap() + key.len();
    let end = at + html[at..].find('"').unwrap();
    html[at..end].to_string()
}

/// The baseline's and the variant's `data-value` (and `data-lo`, `data-hi` when `with_ci`) of a numbers-table row.
fn row(html: &str, measure: &str, key: &str) -> (String, String) {
    let start = html
        .find(&format!("<tr data-measure=\"{measure}\">"))
        .unwrap();
    let first = start + html[start..].find("<td").unwrap();
    let second = first + 3 + html[first + 3..].find("<td").unwrap();
    (attr(html, first, key), attr(html, second, key))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#58;", ":")
        .replace("&amp;", "&")
}

/// The words of a POSIX shell command made of plain words and `'…'` quotes (`'\''` for a quote).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    w.push(q);
                }
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_with(String::new).push(next);
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

#[test]
fn report_writes_one_self_contained_handout_well_under_2_mb() {
    let out = tempfile::tempdir().unwrap();
    let (path, html) = report(out.path(), &["astana-2017", "--vary", IRAN]);
    assert_eq!(
        path.strip_prefix(out.path()).unwrap(),
        Path::new("astana-2017/report--iran-as-observer--seed-20170504-1000.html")
    );
    assert_self_contained(&html);
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // In the order a teacher reads it.
    let order = [
        "<h1>Astana talks, 2017</h1>",
        "teaching defaults, not a forecast",
        "Guarantors can sign a partial",
        "What was changed: Iran as observer",
        "<code>actors.IRN.role=observer</code>",
        "Iran as observer: −28.9 points [−31.7, −26.0] chance of a ceasefire by week 50 (79 % → 50 %); median week +3",
        "<tr data-measure=\"p_reached\">",
        "<tr data-measure=\"p_in_force_at_end\">",
        "<tr data-measure=\"median_ceasefire_round\">",
        "<tr data-measure=\"mean_final_agreement\">",
        "chance of a ceasefire by each week",
        "agreement across seeds",
        "One history: seed 20170504",
        "agreement on the deescalation module, seed 20170504",
        "who accepted the text, week by week",
        "Ceasefire reached in week 19",
        "Why: the parties' votes in seed 20170504, week 19",
        "Syrian government (GOV)",
        "Where these numbers come from",
        "FNV-1a 64",
        "<pre class=\"command\">",
    ];
    let mut at = 0;
    for part in order {
        let found = html[at..]
            .find(part)
            .unwrap_or_else(|| panic!("`{part}` after byte {at}"));
        at += found + part.len();
    }
    // Provenance: the content hash of the bundled text, the version, the seeds.
    let text = ceasefire::scenario::bundled::text("astana-2017").unwrap();
    assert!(html.contains(&format!("{:016x}", ceasefire::rng::fnv1a(text))));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    assert!(html.contains("Seeds 20170504 to 20171503"));
    // Inline SVG: four single-seed charts and three ensemble charts, with no namespace attribute.
    assert_eq!(html.matches("<svg ").count(), 7);
    assert!(!html.contains("xmlns"));
    assert!(html.contains("svg text { font-family: \"DejaVu Sans\""));
    assert!(html.contains("@page { size: A4; margin: 15mm; }"));
}

#[test]
fn report_numbers_and_sentence_are_compares_over_the_same_seeds() {
    let out = tempfile::tempdir().unwrap();
    let (_, html) = report(
        out.path(),
        &[
            "astana-2017",
            "--vary",
            IRAN,
            "--runs",
            "400",
            "--seed",
            "7",
        ],
    );
    let cmp = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["compare", "astana-2017", "--vary", IRAN])
        .args(["--runs", "400", "--seed", "7", "--no-charts", "--out"])
        .arg(cmp.path())
        .assert()
        .success();
    let folder = cmp.path().join("compare-astana-2017--iran-as-observer");
    let csv = fs::read_to_string(folder.join("compare.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let cell = |r: usize, name: &str| rows[r][col(name)].to_string();
    assert_eq!(rows.len(), 2);
    assert_eq!(cell(1, "label"), "Iran as observer");
    for (measure, key, column) in [
        ("p_reached", "data-value", "p_reached"),
        ("p_reached", "data-lo", "p_reached_lo"),
        ("p_reached", "data-hi", "p_reached_hi"),
        ("p_in_force_at_end", "data-value", "p_in_force_at_end"),
        (
            "median_ceasefire_round",
            "data-value",
            "median_ceasefire_round",
        ),
        ("mean_final_agreement", "data-value", "mean_final_agreement"),
    ] {
        let (b, v) = row(&html, measure, key);
        assert_eq!(
            (b.as_str(), v.as_str()),
            (cell(0, column).as_str(), cell(1, column).as_str()),
            "{measure} {key}"
        );
    }
    let sentence = html.find("<p class=\"sentence\"").unwrap();
    for (key, column) in [
        ("data-delta", "delta_p_reached"),
        ("data-delta-lo", "delta_p_reached_lo"),
        ("data-delta-hi", "delta_p_reached_hi"),
    ] {
        assert_eq!(attr(&html, sentence, key), cell(1, column), "{key}");
    }
    // The sentence, from compare's numbers.
    let num = |r: usize, c: &str| cell(r, c).parse::<f64>().unwrap();
    let points = |p: f64| format!("{:+.1}", 100.0 * p).replace('-', "−");
    let median = format!(
        "{:+}",
        cell(1, "delta_median_ceasefire_round")
            .parse::<i64>()
            .unwrap()
    )
    .replace('-', "−");
    let expected = format!(
        "Iran as observer: {} points [{}, {}] chance of a ceasefire by week 50 ({:.0} % → {:.0} %); median week {median}",
        points(num(1, "delta_p_reached")),
        points(num(1, "delta_p_reached_lo")),
        points(num(1, "delta_p_reached_hi")),
        100.0 * num(0, "p_reached"),
        100.0 * num(1, "p_reached"),
    );
    let end = sentence + html[sentence..].find("</p>").unwrap();
    let shown = &html[sentence..end];
    assert!(
        shown.ends_with(&format!(">{expected}")),
        "{shown}\n{expected}"
    );
    // And summary.json names the same seeds.
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(folder.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["first_seed"], 7, "{summary}");
    assert!(html.contains("Seeds 7 to 406"));
}

#[test]
fn report_provenance_command_gives_the_same_bytes() {
    let out = tempfile::tempdir().unwrap();
    let (path, html) = report(
        out.path(),
        &[
            "astana-2017",
            "--vary",
            "Iran quieter: actors.IRN.voice=0.5; actors.IRN.capability=0.4",
            "--vary",
            "actors.TUR.role=observer",
            "--set",
            "simulation.rounds=40",
            "--runs",
            "200",
        ],
    );
    assert_eq!(html.matches("<section class=\"variant\"").count(), 2);
    assert!(
        path.to_string_lossy()
            .contains("report--iran-quieter--actors-tur-role-observer--seed-20170504-200--set-"),
        "{}",
        path.display()
    );
    let start = html.find("<pre class=\"command\">").unwrap() + "<pre class=\"command\">".len();
    let end = start + html[start..].find("</pre>").unwrap();
    let mut command = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => command.push(c),
            _ => {}
        }
    }
    let words = shell_words(&unescape(&command));
    assert_eq!(&words[..2], ["ceasefire", "report"], "{command}");
    assert!(words.contains(&"--seed".to_string()) && words.contains(&"20170504".to_string()));
    let again = tempfile::tempdir().unwrap();
    let (_, html2) = report(
        again.path(),
        &words[2..].iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(html == html2, "the command gives the same bytes");
    // Running it again into the same folder replaces the file with the same bytes, and leaves nothing else.
    let (_, html3) = report(
        out.path(),
        &words[2..].iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(html == html3);
}

#[test]
fn report_escapes_hostile_scenario_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = ceasefire::scenario::bundled::text("astana-2017")
        .unwrap()
        .replace(
            "title = \"Astana talks, 2017\"",
            "title = \"<script>alert(1)</script> & Co, https://example.org\"",
        )
        .replacen(
            "lesson = \"",
            "lesson = \"<b onclick='x'>bold</b> & see http://example.org/x ",
            1,
        );
    let file = dir.path().join("hostile.toml");
    fs::write(&file, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (_, html) = report(
        out.path(),
        &[
            file.to_str().unwrap(),
            "--vary",
            "<i>Iran</i> & co: actors.IRN.role=observer",
            "--runs",
            "50",
        ],
    );
    assert_self_contained(&html);
    for raw in ["<script>alert", "<b onclick", "<i>Iran"] {
        assert!(!html.contains(raw), "`{raw}` is never markup");
    }
    // An address in a scenario's text reads the same, but is no address in the page's bytes.
    assert!(html.contains(
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co, https&#58;//example.org</h1>"
    ));
    assert!(html.contains(
        "&lt;b onclick=&#39;x&#39;&gt;bold&lt;/b&gt; &amp; see http&#58;//example.org/x "
    ));
    assert!(html.contains("What was changed: &lt;i&gt;Iran&lt;/i&gt; &amp; co"));
    // The charts draw the same texts, escaped by the chart code.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co, https&#58;//example.org —")
    );
}

#[test]
fn report_refuses_bad_input_with_exit_2_and_writes_nothing() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["astana-2017"],
            "a report compares the first scenario with at least one variant",
        ),
        (
            &["astana-2071", "--vary", IRAN],
            "did you mean `astana-2017`?",
        ),
        (
            &["astana-2017", "--vary", "actors.GOV.commitment_risk=2"],
            "actors.GOV.commitment_risk",
        ),
        (&["astana-2017", "--vary", IRAN, "--runs", "0"], "runs"),
        (
            &[
                "astana-2017",
                "--vary",
                IRAN,
                "--seed",
                "18446744073709551615",
                "--runs",
                "2",
            ],
            "18446744073709551615",
        ),
        (
            &[
                "astana-2017",
                "--vary",
                "Iran: actors.IRN.role=observer",
                "--vary",
                "iran: actors.IRN.voice=0.5",
            ],
            "iran",
        ),
    ];
    for (args, message) in cases {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("out");
        let assert = ceasefire()
            .arg("report")
            .args(args)
            .arg("--out")
            .arg(&target)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!target.exists(), "{args:?}: nothing written");
    }
}

/// Render the handout in Debian's Chromium, headless, to a PDF and a PNG. Without Chromium the test passes with a
/// note, except on CI (`CI` set), where it fails.
#[test]
fn report_renders_in_chromium_to_pdf_and_png() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed at /usr/bin/chromium, and CI needs this test"
        );
        eprintln!("skipped: chromium not installed");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let (path, _) = report(out.path(), &["astana-2017", "--vary", IRAN]);
    let work = tempfile::tempdir().unwrap();
    let render = |what: &[String]| {
        let profile = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(what)
            .arg(format!("file://{}", path.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "chromium {what:?}: {status}");
    };
    let pdf = work.path().join("handout.pdf");
    let png = work.path().join("handout.png");
    render(&[
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".into(),
    ]);
    render(&[
        format!("--screenshot={}", png.display()),
        "--window-size=1280,2400".into(),
    ]);
    let pdf = fs::read(&pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    assert!(pdf.len() > 20_000, "{} bytes", pdf.len());
    // The page tree's `/Count` (Chromium's PDFs keep the page objects in compressed streams, but not the root).
    let count = String::from_utf8_lossy(&pdf)
        .split("/Count ")
        .filter_map(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u32>()
                .ok()
        })
        .max();
    assert!(
        count.is_some_and(|n| n >= 2),
        "the handout is several A4 pages (/Count {count:?})"
    );
    let png = fs::read(&png).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(png.len() > 50_000, "{} bytes", png.len());
    // 1280 × 2400, from the IHDR chunk.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1280);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 2400);
}

#[test]
fn report_of_another_scenario_says_which_and_hashes_both() {
    let out = tempfile::tempdir().unwrap();
    let (path, html) = report(
        out.path(),
        &["astana-2017", "no-iran-guarantor", "--runs", "100"],
    );
    assert!(path.ends_with("astana-2017/report--no-iran-guarantor--seed-20170504-100.html"));
    assert!(html.contains(
        "<li><code>the scenario no-iran-guarantor (“Astana without Iran as a guarantor”) instead of astana-2017</code></li>"
    ));
    assert!(html.contains("The lesson of <code>no-iran-guarantor</code>: Who guarantees matters"));
    for name in ["astana-2017", "no-iran-guarantor"] {
        let text = ceasefire::scenario::bundled::text(name).unwrap();
        assert!(
            html.contains(&format!(
                "<tr><td><code>{name}</code></td><td><code>{name}</code></td><td><code class=\"hash\">{:016x}</code></td></tr>",
                ceasefire::rng::fnv1a(text)
            )),
            "{name}"
        );
    }
    assert_self_contained(&html);
}
