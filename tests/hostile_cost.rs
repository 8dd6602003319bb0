//! "Hardening II", the bounded-cost findings: one test per finding, named after it. Each input here was once
//! valid and cost minutes or gigabytes (or failed only after doing all its work); each test pins the bound that
//! now holds or the error that now comes first.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use assert_cmd::Command;

fn ceasefire() -> Command {
    Command::cargo_bin("ceasefire").expect("binary")
}

/// Run `args`, expecting exit `code`; the standard error.
fn fails_with(args: &[&str], out: &Path, code: i32) -> String {
    let assert = ceasefire()
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .code(code);
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Nothing was written under `out` (an error that comes before the work).
fn nothing_written(out: &Path) {
    let left: Vec<_> = std::fs::read_dir(out)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "written: {left:?}");
}

/// astana-2017 under another id, written to `dir`.
fn astana_as(dir: &Path, id: &str) -> String {
    let text =
        support::astana_text().replacen("id = \"astana-2017\"", &format!("id = \"{id}\""), 1);
    assert!(text.contains(&format!("id = \"{id}\"")));
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

// Finding 8: compare's memory grew with rounds × variants × 4,096-seed chunks, and variants were unlimited
// (5 variants × 10,000 rounds needed 3.8 GB). A chunk now holds at most CHUNK_BYTES of outcomes, and a comparison
// at most MAX_VARIANTS variants, refused before any work.
#[test]
fn compare_memory_is_bounded_by_chunk_bytes_and_a_variant_cap() {
    use ceasefire::app::compare::MAX_VARIANTS;
    use ceasefire::ensemble::{CHUNK, CHUNK_BYTES, RunOutcome, chunk_seeds};

    // The largest comparison: MAX_VARIANTS variants of the longest ensemble.
    let long = support::astana(&["simulation.rounds=10000"]);
    let variants = vec![long.clone(); MAX_VARIANTS];
    let per_seed: u64 = variants.iter().map(RunOutcome::size_of).sum();
    let chunk = chunk_seeds(&variants);
    assert!(
        chunk >= 1 && chunk * per_seed <= CHUNK_BYTES,
        "{chunk} seeds of {per_seed} bytes"
    );
    // What one outcome really holds is what the estimate counts.
    let o = ceasefire::ensemble::outcome(&support::astana(&["simulation.rounds=300"]), 1);
    let held = (o.agreement.len() + o.mean_utility.len()) * 8 + o.in_force.len();
    let estimate = RunOutcome::size_of(&support::astana(&["simulation.rounds=300"])) as usize;
    assert!(
        held <= estimate && estimate < held + 1024,
        "{held} vs {estimate}"
    );
    // A batch at 10,000 rounds: a few hundred seeds a chunk, not 4,096 (697 MB).
    let one = chunk_seeds(std::slice::from_ref(&long));
    assert!(one < CHUNK && one * RunOutcome::size_of(&long) <= CHUNK_BYTES);
    // Short runs keep the full chunk.
    assert_eq!(chunk_seeds(&[support::astana(&[])]), CHUNK);

    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["compare", "astana-2017", "--runs", "2", "--no-charts"];
    let varies: Vec<String> = (1..=MAX_VARIANTS)
        .map(|i| format!("simulation.drafter_bias={}", i as f64 / 100.0))
        .collect();
    for v in &varies {
        args.extend(["--vary", v.as_str()]);
    }
    let stderr = fails_with(&args, out.path(), 2);
    assert!(
        stderr.contains(&format!(
            "compare takes at most {MAX_VARIANTS} variants (scenarios and --vary together), found {}",
            MAX_VARIANTS + 1
        )),
        "{stderr}"
    );
    nothing_written(out.path());
}

// Finding 10: compare with 20 scenarios (4 with long ids) exited 1 "File name too long" after doing all the work.
// The folder name is now abbreviated (first id, the count of the others, a hash of them all) and made first.
#[test]
fn compare_folder_names_are_capped_with_a_hash_and_made_before_the_work() {
    use ceasefire::app::compare::MAX_VARIANTS;
    let files = tempfile::tempdir().unwrap();
    let long = |c: char| {
        format!("{c}{}", "-long-scenario-id".repeat(4))
            .chars()
            .take(64)
            .collect::<String>()
    };
    let mut scenarios: Vec<String> = ['a', 'b', 'c', 'd']
        .into_iter()
        .map(|c| astana_as(files.path(), &long(c)))
        .collect();
    assert!(scenarios.iter().all(|s| s.len() > 64));
    while scenarios.len() < MAX_VARIANTS {
        scenarios.push("astana-2017".into());
    }
    let out = tempfile::tempdir().unwrap();
    let run = |scenarios: &[String], out: &Path| {
        ceasefire()
            .arg("compare")
            .args(scenarios)
            .args(["--runs", "2", "--no-charts", "--out"])
            .arg(out)
            .assert()
            .success();
        let names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        names[0].clone()
    };
    let name = run(&scenarios, out.path());
    assert!(name.len() <= 120, "{name}");
    assert!(
        name.starts_with(&format!(
            "compare-{}-and-{}-more-",
            long('a'),
            MAX_VARIANTS - 1
        )),
        "{name}"
    );
    assert!(out.path().join(&name).join("compare.csv").is_file());
    // Another list of ids gets another name (the hash covers every id, not only the first).
    scenarios.swap(1, 5);
    let other = tempfile::tempdir().unwrap();
    assert_ne!(run(&scenarios, other.path()), name);
    // Short lists keep their readable names.
    let short = tempfile::tempdir().unwrap();
    assert_eq!(
        run(
            &["astana-2017".into(), "no-iran-guarantor".into()],
            short.path()
        ),
        "compare-astana-2017-no-iran-guarantor"
    );
}

// Finding 13 (one part): compare's rounds-limit error said "(use --rounds)", an option compare lacks.
#[test]
fn compare_rounds_limit_error_names_an_option_compare_has() {
    let out = tempfile::tempdir().unwrap();
    let stderr = fails_with(
        &[
            "compare",
            "astana-2017",
            "no-iran-guarantor",
            "--set",
            "simulation.rounds=20000",
            "--runs",
            "2",
        ],
        out.path(),
        2,
    );
    assert!(
        stderr.contains(
            "limited to 10000 rounds; `astana-2017` has 20000 (use --set simulation.rounds=10000 or fewer)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("--rounds"), "{stderr}");
    nothing_written(out.path());
    // batch has --rounds, and says so.
    let stderr = fails_with(
        &["batch", "--rounds", "20000", "--runs", "2"],
        out.path(),
        2,
    );
    assert!(
        stderr.contains("has 20000 (use --rounds 10000 or fewer)"),
        "{stderr}"
    );
}

/// support::mirror with `n` hurt shocks on OPP, each with probability 1 (and `label`, if any).
fn shocked(rounds: u32, n: usize, label: Option<&str>) -> String {
    let mut text = support::mirror(rounds, rounds.min(30), 0.01, "");
    let label = label.map_or(String::new(), |l| format!("label = \"{l}\"\n"));
    for _ in 0..n {
        text.push_str(&format!(
            "[[events]]\nkind = \"hurt_shock\"\ntarget = \"OPP\"\nprobability = 1.0\nmagnitude = 0.001\n{label}"
        ));
    }
    text
}

// Finding 5: 1,000 hurt shocks with probability 1 over 50 rounds (50,000 recorded events) took minutes to chart,
// the label placement being cubic in events, and nothing bounded recorded events (20,000 rounds: 25 s, 3.1 GB,
// a 729 MB events.csv). Now the agreement chart draws one line per pixel column, one label per round and subject
// (×N), in a bounded number of rows; and validation refuses what could record more than 1,000,000 event rows or
// 64 MiB of labels.
#[test]
fn recorded_events_are_bounded_up_front_and_charted_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shocks.toml");
    std::fs::write(&file, shocked(50, 1000, None)).unwrap();
    let file = file.to_string_lossy().into_owned();
    let out = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    ceasefire()
        .args(["run", &file, "--out"])
        .arg(out.path())
        .assert()
        .success();
    let seconds = started.elapsed().as_secs_f64();
    let folder = out.path().join("mirror/seed-1");
    let events = std::fs::read_to_string(folder.join("events.csv")).unwrap();
    let shocks = events
        .lines()
        .filter(|l| l.contains(",hurt_shock,"))
        .count();
    assert_eq!(shocks, 50_000);
    let svg = std::fs::read_to_string(folder.join("charts/agreement.svg")).unwrap();
    // One label per round at most (50), plus the axes, the legend and the titles: not one per event.
    let texts = svg.matches("<text").count();
    assert!(texts < 120, "{texts} texts");
    assert!(svg.contains("hurt shock: OPP ×1000"), "repeats are counted");
    assert!(
        svg.contains("more events, not"),
        "the legend counts the unlabelled events"
    );
    // Minutes before; a debug build takes well under a second per thousand events.
    assert!(seconds < 60.0, "{seconds} s");

    // What could record more is refused at validation, naming what was asked.
    let stderr = fails_with(
        &["run", &file, "--rounds", "20000", "--no-charts"],
        out.path(),
        2,
    );
    assert!(
        stderr.contains(
            "simulation.rounds: events.csv could record 20080000 rows (20000 rounds × (1000 events with a \
             probability + 2 compliance parties' violations + 2 signatures and collapses + 0 spoiler targets) + 0 \
             scheduled events), over the limit of 2000000; use fewer rounds or fewer events with a probability"
        ),
        "{stderr}"
    );
    // Every row repeats its event's label: long labels are counted too.
    let labelled = dir.path().join("labelled.toml");
    std::fs::write(&labelled, shocked(20_000, 1, Some(&"x".repeat(4000)))).unwrap();
    let labelled = labelled.to_string_lossy().into_owned();
    let other = tempfile::tempdir().unwrap();
    let stderr = fails_with(&["run", &labelled, "--no-charts"], other.path(), 2);
    assert!(
        stderr.contains("events.csv could repeat event labels for 80000000 bytes"),
        "{stderr}"
    );
    nothing_written(other.path());
    // Within the limits, both are accepted.
    ceasefire()
        .args(["validate", &labelled, "--set", "simulation.rounds=10000"])
        .assert()
        .success();
}

/// A scenario of `n` actors (two parties, a guarantor, observers) on `dims` dimensions.
fn many_actors(n: usize, rounds: u32, dims: usize) -> String {
    let ids: Vec<String> = (0..dims).map(|k| format!("d{k}")).collect();
    let table = |v: &dyn Fn(usize) -> f64| {
        let cells: Vec<String> = ids
            .iter()
            .enumerate()
            .map(|(k, d)| format!("{d} = {}", v(k)))
            .collect();
        format!("{{ {} }}", cells.join(", "))
    };
    let mut text = format!(
        "schema_version = 1\n[meta]\nid = \"crowd\"\ntitle = \"Crowd\"\n[simulation]\nrounds = {rounds}\n\
         drafter = \"MED\"\n"
    );
    for d in &ids {
        text.push_str(&format!("[[dimensions]]\nid = \"{d}\"\n"));
    }
    let list: Vec<String> = ids.iter().map(|d| format!("\"{d}\"")).collect();
    text.push_str(&format!(
        "[[modules]]\nid = \"truce\"\ndimensions = [{}]\nsignatories = [\"MED\", \"GOV\", \"OPP\"]\n\
         compliance = [\"GOV\", \"OPP\"]\nceasefire = true\n",
        list.join(", ")
    ));
    for (id, side, ideal) in [("GOV", "gov", 0.2), ("OPP", "opp", 0.9)] {
        text.push_str(&format!(
            "[[actors]]\nid = \"{id}\"\nrole = \"party\"\nside = \"{side}\"\nprincipal = true\ncapability = 1.0\n\
             ideal = {}\nsalience = {}\n",
            table(&|_| ideal),
            table(&|_| 0.5)
        ));
    }
    text.push_str(&format!(
        "[[actors]]\nid = \"MED\"\nrole = \"guarantor\"\ncapability = 0.8\nreservation = 0.3\nideal = {}\n\
         salience = {}\n",
        table(&|_| 0.5),
        table(&|_| 0.5)
    ));
    for i in 0..n.saturating_sub(3) {
        text.push_str(&format!(
            "[[actors]]\nid = \"A{i}\"\nrole = \"observer\"\ncapability = 0.1\nreservation = 0.2\nideal = {}\n\
             salience = {}\n",
            table(&|k| ((i * 37 + k * 11) % 100) as f64 / 100.0),
            table(&|_| 0.5)
        ));
    }
    text
}

fn svg(folder: &Path, chart: &str) -> String {
    std::fs::read_to_string(folder.join(format!("charts/{chart}.svg"))).unwrap()
}

// Finding 6: the largest valid scenario (2,000 actors × 1 dimension × 25,000 rounds, rounds × actors × dimensions
// ≤ 50 million) took 120 s, 8.2 GB and wrote 4.9 GB without charts, and with them was killed at 6 GiB; `chart` on
// a crafted 260 KB folder (2,000 actors, 5,000 rounds) took 31 s and 2.2 GB. Now rounds × actors ≤ 5 million and
// rounds × actors × dimensions ≤ 10 million, refused at validation; the charts keep 16 actors one by one and a
// summary of the others, and draw at most a bucket of rounds per pixel column, so their cost is bounded by their
// pixels, for `run` and for `chart DIR` alike.
#[test]
fn the_largest_run_fits_the_budget_and_charts_are_bounded_by_their_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let crowd = write("crowd.toml", &many_actors(2000, 30, 1));
    let out = tempfile::tempdir().unwrap();

    // The old largest input, and too many positions, are refused up front.
    let stderr = fails_with(&["run", &crowd, "--rounds", "25000"], out.path(), 2);
    assert!(
        stderr.contains(
            "simulation.rounds: rounds × actors = 50000000 exceeds the limit of 5000000 rows of actors.csv; \
             use fewer rounds or actors"
        ),
        "{stderr}"
    );
    let wide = write("wide.toml", &many_actors(2000, 30, 3));
    let stderr = fails_with(&["run", &wide, "--rounds", "2000"], out.path(), 2);
    assert!(
        stderr.contains(
            "rounds × actors × dimensions = 12000000 exceeds the limit of 10000000 recorded values"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("rows of actors.csv"), "{stderr}");
    nothing_written(out.path());
    ceasefire()
        .args(["validate", &crowd, "--set", "simulation.rounds=2500"])
        .assert()
        .success();

    // 2,000 actors: 16 charted one by one, the other 1,984 summarised.
    ceasefire()
        .args(["run", &crowd, "--out"])
        .arg(out.path())
        .assert()
        .success();
    let folder = out.path().join("crowd/seed-1");
    let votes = svg(&folder, "votes");
    // (plotters writes a text's words on a line of their own)
    assert!(
        votes.contains("\n1984 others\n"),
        "the others' row is labelled"
    );
    assert!(
        votes.contains("\nA12\n") && !votes.contains("\nA13\n"),
        "16 named rows"
    );
    let positions = svg(&folder, "positions");
    assert!(positions.contains("other voters: from the lowest position to the highest"));
    assert!(
        positions.matches("(observer)").count() <= 9,
        "as many lines as colours"
    );
    let reservations = svg(&folder, "reservations");
    assert_eq!(reservations.matches("(party)").count(), 2);
    assert_eq!(reservations.matches("(guarantor)").count(), 1);
    for chart in ["agreement", "votes", "positions", "reservations"] {
        let text = svg(&folder, chart);
        assert!(
            text.matches("<text").count() < 200,
            "{chart}: one label per actor?"
        );
    }

    // `chart` on a crafted folder: the same 2,000 actors over 5,000 rounds, with rows for 30 of them.
    let rounds_csv = std::fs::read_to_string(folder.join("rounds.csv")).unwrap();
    let mut lines = rounds_csv.lines();
    let mut crafted = format!("{}\n", lines.next().unwrap());
    let last = lines.last().unwrap().split_once(',').unwrap().1.to_string();
    for line in rounds_csv.lines().skip(1) {
        crafted.push_str(line);
        crafted.push('\n');
    }
    for round in 31..=5000 {
        crafted.push_str(&format!("{round},{last}\n"));
    }
    std::fs::write(folder.join("rounds.csv"), crafted).unwrap();
    let started = std::time::Instant::now();
    ceasefire().arg("chart").arg(&folder).assert().success();
    let seconds = started.elapsed().as_secs_f64();
    assert!(seconds < 30.0, "{seconds} s");
    let votes = svg(&folder, "votes");
    assert!(
        votes.contains("\n5000\n"),
        "the round axis reaches round 5,000"
    );
    // Cells are merged where they agree: a few per row, not 5,000.
    assert!(
        votes.matches("<rect").count() < 5_000,
        "{} rects",
        votes.matches("<rect").count()
    );
    for chart in ["agreement", "positions", "reservations"] {
        let text = svg(&folder, chart);
        assert!(text.len() < 1 << 20, "{chart}: {} bytes", text.len());
    }
}

#[test]
fn chart_reads_back_at_most_what_a_real_run_writes_of_each_file() {
    let out = tempfile::tempdir().unwrap();
    ceasefire()
        .args(["run", "two-party-textbook", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("two-party-textbook/seed-1");
    // A crafted drawn.toml of 17 MiB (the bound is 16 MiB): refused after reading just past the bound, before any
    // parsing, and nothing is written.
    let drawn = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("drawn.toml"))
        .unwrap();
    drawn.set_len(17 << 20).unwrap();
    let assert = ceasefire().arg("chart").arg(&dir).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("drawn.toml") && stderr.contains(&format!("{}", 16u64 << 20)),
        "{stderr}"
    );
    assert!(!dir.join("charts").exists());
    assert_eq!(
        ceasefire::app::results_file_limit("actors.csv"),
        1 << 30,
        "actors.csv of the largest run (621 MB) fits"
    );
}
