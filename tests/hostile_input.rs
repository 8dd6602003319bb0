//! Hostile input ("Hardening II"): one test per finding, named after it. Each says what went wrong before.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").unwrap()
}

const TINY: &str = include_str!("valid-tiny.toml");

/// Run `args` in `dir`; (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = ceasefire()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Finding 4: after `run --out .`, the results folder `./astana-2017/` made every later `run`, `batch` or
/// `validate astana-2017` in that directory fail with "it is a directory". A bare bundled name now always means
/// the bundled scenario; an argument that looks like a path (`./astana-2017`, `x.toml`) is a path.
#[test]
fn an_output_folder_does_not_shadow_the_bundled_scenario_of_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run_in(d, &["run", "--no-charts", "--out", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(d.join("astana-2017").is_dir());
    let (code, out, err) = run_in(d, &["validate", "astana-2017"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("astana-2017: valid"), "{out}");
    let (code, _, err) = run_in(d, &["run", "--no-charts", "--out", "."]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(
        d,
        &[
            "batch",
            "--runs",
            "2",
            "--no-charts",
            "--out",
            "o",
            "astana-2017",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // A path to the folder is still a path, and still a clear error.
    for arg in ["./astana-2017", "astana-2017/"] {
        let (code, _, err) = run_in(d, &["validate", arg]);
        assert_eq!(code, 2, "{arg}: {err}");
        assert!(err.contains("it is a directory, not a .toml file"), "{err}");
    }
    // A file named like a bundled scenario: the bare name is the bundled one, the path is the file.
    fs::write(d.join("astana-2017.toml"), TINY).unwrap();
    let (code, out, _) = run_in(d, &["validate", "astana-2017", "astana-2017.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("astana-2017: valid (10 actors"), "{out}");
    assert!(out.contains("astana-2017.toml: valid (5 actors"), "{out}");
    // `name.toml` with no such file is not silently the bundled scenario.
    let (code, _, err) = run_in(d, &["validate", "no-iran-guarantor.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no such file; the bundled scenario of that name is `no-iran-guarantor`, without `.toml`"),
        "{err}"
    );
}

/// Finding 7: a FIFO given as the scenario hung forever (open() blocks until a writer comes).
#[cfg(unix)]
#[test]
fn a_fifo_as_the_scenario_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let started = Instant::now();
    let (code, out, err) = run_in(dir.path(), &["validate", "pipe.toml"]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(
            "cannot read scenario `pipe.toml`: it is a named pipe (FIFO), not a regular file"
        ),
        "{err}"
    );
}

/// Finding 7: `/dev/zero` (and `/dev/stdin`) report a size of 0, so the 4 MiB check let them through and they were
/// read until memory ran out.
#[cfg(unix)]
#[test]
fn a_device_as_the_scenario_is_refused_and_never_read_without_bound() {
    let started = Instant::now();
    let (code, _, err) = run_in(Path::new("."), &["validate", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "cannot read scenario `/dev/zero`: it is a character device, not a regular file"
        ),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // Standard input from a pipe is a pipe: refused, not read.
    let out = ceasefire()
        .args(["validate", "/dev/stdin"])
        .write_stdin(TINY)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // The bounded read itself: whatever the reported size, at most the limit plus one byte is read.
    let e = ceasefire::input::read_limited(Path::new("/dev/zero"), 10).unwrap_err();
    assert!(
        matches!(e, ceasefire::input::InputError::NotRegular { .. }),
        "{e}"
    );
}

/// Finding 7: a file of exactly the limit is read; one byte more is refused, with its size.
#[test]
fn a_scenario_over_the_size_limit_is_refused_by_the_bounded_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let limit = ceasefire::scenario::limits::MAX_FILE_BYTES;
    let mut text = TINY.to_string();
    text.push_str(&"#".repeat(limit + 1 - TINY.len()));
    fs::write(&path, &text).unwrap();
    let (code, _, err) = run_in(dir.path(), &["validate", "big.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "the file is {} bytes; scenarios are limited to {limit} bytes",
            limit + 1
        )),
        "{err}"
    );
    text.pop();
    fs::write(&path, &text).unwrap();
    let (code, _, err) = run_in(dir.path(), &["validate", "big.toml"]);
    assert_eq!(code, 0, "{err}");
}

/// Finding 13 (with 7): a symbolic link loop was reported as "no such file, and no bundled scenario has that name".
#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_as_a_loop_not_as_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("b.toml", d.join("a.toml")).unwrap();
    std::os::unix::fs::symlink("a.toml", d.join("b.toml")).unwrap();
    std::os::unix::fs::symlink("gone.toml", d.join("dangling.toml")).unwrap();
    let (code, _, err) = run_in(d, &["validate", "a.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read scenario `a.toml`: it is a symbolic link that loops"),
        "{err}"
    );
    let (code, _, err) = run_in(d, &["validate", "dangling.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("it is a symbolic link to `gone.toml`, which does not exist"),
        "{err}"
    );
}

/// Finding 9: `--threads` was unbounded: 5,000 threads took over 8 s for 10 runs, and `--threads 100000000` spawned
/// until the process limit. It is now 0 (every core) to 256, checked as the command line is read.
#[test]
fn threads_beyond_the_bound_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for (cmd, n) in [
        ("batch", "100000000"),
        ("batch", "257"),
        ("compare", "5000"),
    ] {
        let mut args = vec![
            cmd,
            "--runs",
            "10",
            "--no-charts",
            "--out",
            "o",
            "--threads",
            n,
        ];
        if cmd == "compare" {
            args.extend(["astana-2017", "no-iran-guarantor"]);
        }
        let started = Instant::now();
        let (code, out, err) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{cmd} --threads {n}: {out}{err}");
        assert!(err.contains("at most 256 threads"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(30));
    }
    assert!(!dir.path().join("o").exists());
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "batch",
            "--runs",
            "4",
            "--threads",
            "256",
            "--no-charts",
            "--out",
            "o",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

/// Finding 12: `batch --seed 18446744073709551614 --runs 3` silently wrapped round to seed 0.
#[test]
fn a_seed_range_past_the_largest_seed_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let max = u64::MAX.to_string();
    let near = (u64::MAX - 1).to_string();
    for args in [
        vec!["batch", "--seed", near.as_str(), "--runs", "3"],
        vec![
            "compare",
            "astana-2017",
            "no-iran-guarantor",
            "--seed",
            near.as_str(),
            "--runs",
            "3",
        ],
    ] {
        let mut args = args.clone();
        args.extend(["--no-charts", "--out", "o"]);
        let (code, out, err) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{out}{err}");
        assert!(
            err.contains(&format!(
                "--seed {near} with --runs 3 would need seeds up to 18446744073709551616, past the largest seed {max}; give --seed at most {} or --runs at most 2",
                u64::MAX - 2
            )),
            "{err}"
        );
    }
    assert!(!dir.path().join("o").exists());
    // The last seeds themselves are fine.
    let last2 = (u64::MAX - 1).to_string();
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "batch",
            "--seed",
            last2.as_str(),
            "--runs",
            "2",
            "--no-charts",
            "--out",
            "o",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(ceasefire::error::check_seed_range(u64::MAX, 1).is_ok());
    assert!(ceasefire::error::check_seed_range(u64::MAX, 0).is_ok());
    assert!(ceasefire::error::check_seed_range(u64::MAX, 2).is_err());
}

/// Finding 11: ESC and BEL in a title went raw into every SVG (invalid XML) and raw ANSI escapes reached the
/// terminal. Every text of a scenario is now refused at validation when it holds a control character (a line break
/// or tab only in `lesson`, `description` and `tuning`), in the file and through `--set`, with its place, its path
/// and the character; and no message shows a control character raw.
#[test]
fn control_characters_in_scenario_texts_are_refused_at_validation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = TINY.replace("title = \"Tiny\"", "title = \"Tiny\\u001b[2J\\u0007\"");
    fs::write(d.join("esc.toml"), &bad).unwrap();
    let (code, out, err) = run_in(d, &["run", "--no-charts", "--out", "o", "esc.toml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("esc.toml:5:9: meta.title: expected text without control characters, found U+001B (escape) at character 5; remove it"),
        "{err}"
    );
    assert!(!d.join("o").exists());
    // Through --set, escaped in TOML or typed raw: refused, and nothing raw on the terminal.
    fs::write(d.join("tiny.toml"), TINY).unwrap();
    for set in [
        "meta.title=\"a\\u001bb\"",
        "dimensions.scope.label=\"x\\u0007\"",
        "meta.title=\"a\u{1b}b\"",
    ] {
        let (code, out, err) = run_in(d, &["validate", "tiny.toml", "--set", set]);
        assert_eq!(code, 2, "{set}: {out}{err}");
        assert!(
            err.contains("expected text without control characters")
                || err.contains("it holds U+001B (escape) at character 14, a control character"),
            "{err}"
        );
        assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
    }
    // A raw ESC byte is a TOML syntax error; the line shown under it carries a visible stand-in.
    let raw = TINY.replace("title = \"Tiny\"", "title = \"Tiny \u{1b}[31mred\"");
    fs::write(d.join("raw.toml"), raw).unwrap();
    let (code, _, err) = run_in(d, &["validate", "raw.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("title = \"Tiny \u{241b}[31mred\""), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    // Line breaks and tabs where a text may run over lines are fine.
    let long = TINY.replace(
        "title = \"Tiny\"",
        "title = \"Tiny\"\nlesson = \"\"\"one\r\ntwo\tthree\"\"\"",
    );
    fs::write(d.join("long.toml"), long).unwrap();
    let (code, _, err) = run_in(d, &["validate", "long.toml"]);
    assert_eq!(code, 0, "{err}");
}

/// Finding 11: a title with markup must come out of the SVG charts as inert text. plotters' SVG backend escapes
/// `<`, `>`, `&`, `"` and `'` in the text it draws (`SVGBackend::escape_and_push`); this pins it.
#[test]
fn a_title_with_markup_is_inert_text_in_the_svg_charts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let title = "<script>alert(1)</script> & \\\"q\\\" 'a'";
    let text = TINY.replace("title = \"Tiny\"", &format!("title = \"{title}\""));
    fs::write(d.join("markup.toml"), text).unwrap();
    let (code, _, err) = run_in(d, &["run", "--out", "o", "markup.toml"]);
    assert_eq!(code, 0, "{err}");
    let charts = d.join("o/tiny/seed-1/charts");
    let mut seen = 0;
    for entry in fs::read_dir(&charts).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let svg = fs::read_to_string(&path).unwrap();
            assert!(!svg.contains("<script"), "{}", path.display());
            assert!(
                svg.contains(
                    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &apos;a&apos;"
                ),
                "{}",
                path.display()
            );
            assert!(!svg.chars().any(|c| c.is_control() && !"\n\t\r".contains(c)));
            seen += 1;
        }
    }
    assert_eq!(seen, 4);
}

/// Finding 11: `chart DIR` read the texts of a results folder back as they were; a control character in one of its
/// CSV tables (an actor id, a module, an event's cause) is now refused, naming the file, line and column.
#[test]
fn chart_refuses_control_characters_in_the_tables_it_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run_in(d, &["run", "--no-charts", "--seed", "5", "--out", "o"]);
    assert_eq!(code, 0, "{err}");
    let run = d.join("o/astana-2017/seed-5");
    let events = fs::read_to_string(run.join("events.csv")).unwrap();
    let mut lines: Vec<String> = events.lines().map(str::to_string).collect();
    lines[1] = lines[1].replacen(',', ",\u{1b}]0;pwned\u{7}", 2);
    fs::write(run.join("events.csv"), lines.join("\n") + "\n").unwrap();
    let (code, _, err) = run_in(d, &["chart", "o/astana-2017/seed-5"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "events.csv: line 2, column `kind` holds U+001B (escape), a control character"
        ),
        "{err}"
    );
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
    assert!(!run.join("charts").exists());
    // The texts of summary.json and drawn.toml, as `chart::read::read_back` checks them.
    let summary = fs::read_to_string(run.join("summary.json")).unwrap();
    fs::write(
        run.join("summary.json"),
        summary.replacen("Astana talks, 2017", "Astana\\u001b[2J", 1),
    )
    .unwrap();
    let e = ceasefire::chart::read::read_back(&run, "summary.json", 1 << 20).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("summary.json: `title` holds U+001B (escape)"),
        "{e}"
    );
    assert!(ceasefire::chart::read::read_back(&run, "drawn.toml", 1 << 20).is_ok());
    let e = ceasefire::chart::read::read_back(&run, "nothing.csv", 1 << 20).unwrap_err();
    assert_eq!(e.to_string(), "nothing.csv: no such file");
}

/// Finding 11: the same for the texts of `summary.json` and `drawn.toml` (the title, names, labels), which
/// `chart DIR` reads through `chart::read::read_back`, which refuses them.
#[test]
fn chart_refuses_control_characters_in_the_title_it_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run_in(d, &["run", "--no-charts", "--seed", "5", "--out", "o"]);
    assert_eq!(code, 0, "{err}");
    let run = d.join("o/astana-2017/seed-5");
    let summary = fs::read_to_string(run.join("summary.json")).unwrap();
    fs::write(
        run.join("summary.json"),
        summary.replacen("Astana talks, 2017", "Astana\\u001b[2J", 1),
    )
    .unwrap();
    let (code, _, err) = run_in(d, &["chart", "o/astana-2017/seed-5"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("summary.json: `title` holds U+001B (escape), a control character"),
        "{err}"
    );
}

/// Write `text` as `name` in `dir` and validate it there; (exit code, stdout, stderr).
fn validate_text(dir: &Path, name: &str, text: &str, sets: &[&str]) -> (i32, String, String) {
    fs::write(dir.join(name), text).unwrap();
    let mut args = vec!["validate", name];
    for s in sets {
        args.extend(["--set", s]);
    }
    run_in(dir, &args)
}

/// Finding 13: `capability = 1000001` once said "expected a number ≥ 0", hiding the bound 1e6 (in the docs too); a
/// round number's bound, 4294967295, was still hidden as "≥ 1".
#[test]
fn an_out_of_range_number_names_the_real_bound() {
    let dir = tempfile::tempdir().unwrap();
    let text = TINY.replacen("capability = 0.7", "capability = 1000001", 1);
    let (code, _, err) = validate_text(dir.path(), "cap.toml", &text, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("actors.GOV.capability: expected a number in [0, 1000000], found 1000001"),
        "{err}"
    );
    let (code, _, err) = validate_text(
        dir.path(),
        "open.toml",
        TINY,
        &["modules.truce.open_round=99999999999"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "modules.truce.open_round: expected an integer in 1..=4294967295, found 99999999999"
        ),
        "{err}"
    );
    let docs = fs::read_to_string("docs/scenario-format.md").unwrap();
    assert!(docs.contains("| `capability` | param | [0, 1000000] |"));
    assert!(docs.contains("| `open_round` | integer | 1..=4294967295 |"));
}

/// Finding 13: `-1e308` was printed as 309 digits.
#[test]
fn a_huge_number_is_printed_compactly_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let text = TINY.replacen("capability = 0.7", "capability = -1e308", 1);
    let (code, _, err) = validate_text(dir.path(), "huge.toml", &text, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("found -1e308\n"), "{err}");
    let text = TINY.replacen(
        "capability = 0.7",
        "capability = { dist = \"uniform\", low = 1e300, high = -1e300 }",
        1,
    );
    let (_, _, err) = validate_text(dir.path(), "huge.toml", &text, &[]);
    assert!(err.contains("found low = 1e300 and high = -1e300"), "{err}");
    assert!(err.lines().all(|l| l.len() < 400), "{err}");
}

/// Finding 13: `--vary 'meta.title="a;b"'` was split at the `;` inside the quotes.
#[test]
fn a_vary_keeps_a_semicolon_inside_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "compare",
            "astana-2017",
            "--vary",
            "meta.title=\"a;b\"; actors.IRN.role='observer'",
            "--runs",
            "2",
            "--no-charts",
            "--out",
            "o",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("with meta.title=\"a;b\"; actors.IRN.role='observer'"),
        "{out}"
    );
}

/// Finding 13: `--set x=99999999999999999999` and `--set meta.title=1979-05-27` were "found the string …" (or, for the
/// title, silently the date's digits); a date in a file was read as a string too.
#[test]
fn a_set_value_too_large_or_a_date_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = validate_text(
        dir.path(),
        "tiny.toml",
        TINY,
        &["simulation.rounds=99999999999999999999"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("error: --set simulation.rounds=99999999999999999999: `99999999999999999999` is an integer too large for 64 bits (TOML integers run from -9223372036854775808 to 9223372036854775807)"),
        "{err}"
    );
    let (code, _, err) = validate_text(dir.path(), "tiny.toml", TINY, &["meta.title=1979-05-27"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`1979-05-27` is a TOML date, and no field of a scenario takes one; to give it as text, quote it: meta.title=\"1979-05-27\""),
        "{err}"
    );
    let (code, _, err) = validate_text(
        dir.path(),
        "tiny.toml",
        TINY,
        &["meta.title=\"1979-05-27\""],
    );
    assert_eq!(code, 0, "{err}");
    // In a file.
    let text = TINY
        .replacen("title = \"Tiny\"", "title = 2017-01-23", 1)
        .replacen("rounds = 10", "rounds = 1979-05-27", 1);
    let (code, _, err) = validate_text(dir.path(), "dates.toml", &text, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dates.toml:5:9: meta.title: expected a string, found the TOML date 2017-01-23; write text in quotes: \"2017-01-23\""),
        "{err}"
    );
    assert!(
        err.contains("dates.toml:8:10: simulation.rounds: expected an integer in 1..=100000, found the TOML date 1979-05-27"),
        "{err}"
    );
    assert!(err.contains("(2 problems)"), "{err}");
}

/// Finding 13: an oversized integer in a file was "invalid type: integer `…` as i128, expected any valid TOML value".
#[test]
fn an_integer_too_large_in_a_file_says_so_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    for (literal, what) in [
        (
            "99999999999999999999",
            "an integer too large for 64 bits (TOML integers run from -9223372036854775808 to 9223372036854775807)",
        ),
        ("9223372036854775808", "an integer too large for 64 bits"),
        (
            "1e400",
            "a number too large (beyond ±1.7976931348623157e308",
        ),
    ] {
        let text = TINY.replacen("rounds = 10", &format!("rounds = {literal}"), 1);
        let (code, _, err) = validate_text(dir.path(), "big.toml", &text, &[]);
        assert_eq!(code, 2);
        assert!(
            err.contains(&format!(
                "big.toml:8:10: TOML syntax error: `{literal}` is {what}"
            )),
            "{err}"
        );
        assert!(!err.contains("i128"), "{err}");
    }
}

/// Finding 13: a quoted dotted key `"rounds.x"` was shown as `simulation.rounds.x.rounds.x`.
#[test]
fn a_quoted_dotted_key_is_shown_as_one_quoted_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = TINY.replacen("rounds = 10", "rounds = 10\n\"rounds.x\" = 3", 1);
    let (code, _, err) = validate_text(dir.path(), "dotted.toml", &text, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dotted.toml:9:1: simulation.\"rounds.x\": unknown key `rounds.x` (did you mean `rounds`?)"),
        "{err}"
    );
    assert!(!err.contains("rounds.x.rounds.x"), "{err}");
}

/// Finding 13: `validate` was said to print the valid files' lines on stderr after "error:". They go to stdout; the
/// problems alone to stderr.
#[test]
fn validate_prints_valid_files_on_stdout_and_only_problems_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.toml"), TINY).unwrap();
    let bad = TINY.replacen("rounds = 10", "rounds = 0", 1);
    fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &["validate", "ok.toml", "bad.toml", "astana-2017"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "ok.toml: valid (5 actors, 2 dimensions, 2 modules, 10 rounds)\nastana-2017: valid (10 actors, 7 dimensions, 3 modules, 50 rounds)\n"
    );
    assert!(
        err.starts_with("error: scenario `bad.toml` is invalid (1 problem):"),
        "{err}"
    );
    assert!(!err.contains(": valid ("), "{err}");
}

/// Finding 13: only the first unknown key of a file was reported (one per table, and an unknown top-level key hid
/// every other problem). Every one is now reported, each at its place, with the rest of the file checked.
#[test]
fn every_unknown_key_of_a_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = TINY
        .replacen(
            "schema_version = 1\n",
            "schema_version = 1\ncolour = \"red\"\n",
            1,
        )
        .replacen("rounds = 10\n", "rounds = 10\nfoo = 1\nbar = 2\n", 1)
        .replacen(
            "capability = 0.7\n",
            "capability = 0.7\ncapabilty = 0.7\nhurt = { initial = 0.1, growht = 0.01 }\n",
            1,
        )
        .replacen("capability = 0.4", "capability = -1", 1);
    let (code, _, err) = validate_text(dir.path(), "keys.toml", &text, &[]);
    assert_eq!(code, 2);
    for expected in [
        "keys.toml:2:1: colour: unknown key `colour`",
        "keys.toml:11:1: simulation.bar: unknown key `bar`",
        "keys.toml:10:1: simulation.foo: unknown key `foo`",
        "keys.toml:46:1: actors.GOV.capabilty: unknown key `capabilty` (did you mean `capability`?)",
        "keys.toml:47:25: actors.GOV.hurt.growht: unknown key `growht` (did you mean `growth`?)",
        // A problem elsewhere is still found.
        "actors.OPP.capability: expected a number in [0, 1000000], found -1",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(err.contains("(6 problems)"), "{err}");
}

/// From a new user's walkthrough: `ceasefire schema > /dev/full` and `ceasefire … | true` panicked (exit 134 with
/// a backtrace) when standard output failed. A full disk is now a runtime failure (exit 1) saying so; a reader that
/// went away ends the program quietly.
#[test]
fn a_failing_standard_output_is_an_error_or_a_quiet_end_never_a_panic() {
    let full = std::process::Command::new(assert_cmd::cargo::cargo_bin("ceasefire"))
        .arg("schema")
        .stdout(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ceasefire"))
        .arg("schema")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the program writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// From a new user's walkthrough: `--vary ''` made a variant identical to the baseline, labelled "astana-2017 with "
/// (and a trailing `;` stayed in the label).
#[test]
fn an_empty_vary_is_refused_and_labels_hold_only_the_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &["compare", "astana-2017", "--vary", " ; ", "--runs", "5"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--vary ' ; ' changes nothing"), "{err}");
    assert!(!dir.path().join("output").exists());
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "compare",
            "astana-2017",
            "--vary",
            "simulation.drafter_bias=0.2;",
            "--runs",
            "5",
            "--no-charts",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("| with simulation.drafter_bias=0.2 |"),
        "{out}"
    );
    assert!(!out.contains("0.2;"), "{out}");
}

/// From a new user's walkthrough: with `--seed` above 9223372036854775807 (the largest TOML integer), drawn.toml
/// held `seed = 9223372036854775807` and said "Re-run it with `ceasefire run drawn.toml`", which gave another run.
#[test]
fn drawn_toml_of_a_seed_beyond_toml_integers_says_how_to_rerun_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = "18446744073709551615";
    let (code, _, err) = run_in(
        dir.path(),
        &["run", "--seed", big, "--no-charts", "--out", "a"],
    );
    assert_eq!(code, 0, "{err}");
    let run = format!("a/astana-2017/seed-{big}");
    let drawn = fs::read_to_string(dir.path().join(&run).join("drawn.toml")).unwrap();
    assert!(
        drawn.contains(&format!("`ceasefire run drawn.toml --seed {big}`")),
        "{drawn}"
    );
    assert!(!drawn.contains("9223372036854775807\n"), "{drawn}");
    let drawn_path = format!("{run}/drawn.toml");
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "run",
            &drawn_path,
            "--seed",
            big,
            "--no-charts",
            "--out",
            "b",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read(dir.path().join(&run).join("rounds.csv")).unwrap(),
        fs::read(
            dir.path()
                .join(format!("b/astana-2017/seed-{big}/rounds.csv"))
        )
        .unwrap()
    );
}

/// From a new user's walkthrough: an out-of-range `--rounds` said "(set by --set simulation.rounds=…)" and a bad
/// `--vary` said "--set …": each message names the option the user typed.
#[test]
fn an_override_is_named_by_the_option_that_gave_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(dir.path(), &["run", "--rounds", "100001", "--no-charts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("found 100001 (set by --rounds 100001)"),
        "{err}"
    );
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "compare",
            "astana-2017",
            "--vary",
            "actors.IRN.capability=-1",
            "--runs",
            "3",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("(set by --vary 'actors.IRN.capability=-1')"),
        "{err}"
    );
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "compare",
            "astana-2017",
            "--vary",
            "actors.IRN.role",
            "--runs",
            "3",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: --vary 'actors.IRN.role': expected PATH=VALUE"),
        "{err}"
    );
    let (code, _, err) = run_in(
        dir.path(),
        &["run", "--set", "simulation.rounds=0", "--no-charts"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("(set by --set simulation.rounds=0)"), "{err}");
    assert!(!dir.path().join("output").exists());
}

/// From a new user's walkthrough: `compare --seeds` silently ignored `--runs` and `--seed`, and ran a repeated seed
/// twice.
#[test]
fn compare_seeds_refuses_runs_seed_and_repeated_seeds() {
    let dir = tempfile::tempdir().unwrap();
    for extra in [["--runs", "5"], ["--seed", "7"]] {
        let mut args = vec!["compare", "astana-2017", "--seeds", "1,2"];
        args.extend(extra);
        let (code, _, err) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be used with"), "{err}");
    }
    let (code, _, err) = run_in(dir.path(), &["compare", "astana-2017", "--seeds", "1,2,1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--seeds lists seed 1 twice"), "{err}");
    assert!(!dir.path().join("output").exists());
}
