//! Every number in docs/teaching-guide.md is true: each is recomputed here, with the commands the guide gives (the
//! same ones `tools/teaching-numbers.sh` runs), and must appear in the guide exactly as formatted below. When a
//! change to the model moves a number, this test prints the sentence to put in the guide.
#![allow(clippy::unwrap_used)]

use ceasefire::app::compare::{CompareOptions, compare};
use ceasefire::app::{Output, RunOptions, run};

const RUNS: u64 = 1000;

/// The guide with every run of white space (a wrapped line's break and indent) as one space.
fn guide() -> String {
    let text = std::fs::read_to_string("docs/teaching-guide.md").unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn output(dir: &std::path::Path) -> Output {
    Output {
        out: dir.to_path_buf(),
        charts: false,
        size: (1600, 900),
    }
}

/// `compare` with these scenarios and `--vary` arguments over the guide's 1,000 seeds: its `summary.json`.
fn compared(scenarios: &[&str], varies: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let report = compare(
        &CompareOptions {
            scenarios: scenarios.iter().map(|s| s.to_string()).collect(),
            varies: varies.iter().map(|s| s.to_string()).collect(),
            seeds: None,
            runs: RUNS,
            seed: None,
            threads: 0,
            sets: Vec::new(),
            output: output(dir.path()),
        },
        &|_, _| {},
    )
    .unwrap();
    serde_json::from_str(&std::fs::read_to_string(report.folder.join("summary.json")).unwrap())
        .unwrap()
}

/// A signed number with one decimal and a real minus sign: "−41.4", "+20.8".
fn points(p: f64) -> String {
    let x = 100.0 * p;
    let s = format!("{:+.1}", x);
    s.replace('-', "−")
}

fn pct(p: f64) -> String {
    format!("{:.1} %", 100.0 * p)
}

/// The guide's sentence for variant `i` of a comparison against the baseline: "P(ceasefire) 79.2 % → 37.8 %:
/// **−41.4 points (95 % CI −44.4 to −38.3)**; median week +3".
fn result_sentence(summary: &serde_json::Value, i: usize) -> String {
    let v = &summary["variants"];
    let p = |j: usize| v[j]["results"]["p_reached"].as_f64().unwrap();
    let d = &v[i]["paired_vs_baseline"];
    let f = |k: &str| d[k].as_f64().unwrap();
    let median = match d["delta_median_ceasefire_round"].as_i64() {
        Some(m) => format!("median week {m:+}").replace('-', "−"),
        None => "no median: no seed reaches one".to_string(),
    };
    format!(
        "P(ceasefire) {} → {}: **{} points (95 % CI {} to {})**; {median}",
        pct(p(0)),
        pct(p(i)),
        points(f("delta_p_reached")),
        points(f("delta_p_reached_lo")),
        points(f("delta_p_reached_hi")),
    )
}

fn assert_in_guide(sentence: &str, what: &str) {
    assert!(
        guide().contains(sentence),
        "docs/teaching-guide.md should say, for {what}:\n{sentence}"
    );
}

#[test]
fn each_variants_numbers_are_true() {
    for variant in [
        "no-iran-guarantor",
        "us-active-party",
        "hardline-spoiler",
        "early-hurting-stalemate",
        "no-guarantor-pressure",
    ] {
        let s = compared(&["astana-2017", variant], &[]);
        assert_in_guide(&result_sentence(&s, 1), variant);
    }
}

#[test]
fn the_vary_shortcuts_numbers_are_true() {
    let s = compared(
        &["astana-2017"],
        &[
            "Iran observer: actors.IRN.role=\"observer\"",
            "Iran observer, half the leverage: actors.IRN.role=\"observer\"; patronage.IRN.GOV.leverage=0.1",
            "Iran observer, half the leverage, signs nothing: actors.IRN.role=\"observer\"; patronage.IRN.GOV.leverage=0.1; modules.deescalation.signatories=[\"RUS\",\"TUR\"]; modules.confidence.signatories=[\"RUS\",\"TUR\"]; modules.political.signatories=[\"RUS\",\"TUR\",\"GOV\",\"OPP\"]",
        ],
    );
    for i in 1..=3 {
        let label = s["variants"][i]["label"].as_str().unwrap().to_string();
        assert_in_guide(&format!("{label}*: {}", result_sentence(&s, i)), &label);
    }
    // The full shortcut is the bundled scenario, seed for seed.
    let bundled = compared(&["astana-2017", "no-iran-guarantor"], &[]);
    assert_eq!(
        s["variants"][3]["results"], bundled["variants"][1]["results"],
        "the three overrides make no-iran-guarantor"
    );
    let risk = compared(
        &["astana-2017"],
        &[
            "GOV risk 0.25: actors.GOV.commitment_risk=0.25",
            "GOV risk 0.15: actors.GOV.commitment_risk=0.15",
        ],
    );
    for i in 1..=2 {
        let label = risk["variants"][i]["label"].as_str().unwrap().to_string();
        assert_in_guide(&format!("{label}*: {}", result_sentence(&risk, i)), &label);
    }
}

#[test]
fn the_baselines_numbers_are_true() {
    let s = compared(&["astana-2017", "astana-2017"], &[]);
    let r = &s["variants"][0]["results"];
    let f = |k: &str| r[k].as_f64().unwrap();
    assert_in_guide(
        &format!(
            "{} of seeds reach a ceasefire (95 % CI {:.1}–{}), median week {}; {} are still in force at the end",
            pct(f("p_reached")),
            100.0 * f("p_reached_lo"),
            pct(f("p_reached_hi")),
            r["median_ceasefire_round"],
            pct(f("p_in_force_at_end")),
        ),
        "the baseline's batch",
    );
    let dir = tempfile::tempdir().unwrap();
    let one = |scenario: &str, sets: &[&str]| {
        run(&RunOptions {
            scenario: scenario.into(),
            seed: None,
            rounds: None,
            sets: sets.iter().map(|s| s.to_string()).collect(),
            label: None,
            output: output(dir.path()),
        })
        .unwrap()
        .summary
    };
    let base = one("astana-2017", &[]);
    assert_in_guide(
        &format!(
            "the de-escalation module is signed in week {}",
            base.ceasefire_round.unwrap()
        ),
        "the baseline's run",
    );
    // The textbook protocols' deals.
    let pie = |sets: &[&str]| {
        one("two-party-textbook", sets).final_text["pie"]
            .as_f64()
            .unwrap()
    };
    assert_in_guide(
        &format!("the text settles at {:.2}", pie(&[])),
        "the default model",
    );
    assert_in_guide(
        &format!(
            "the deal lands at **{:.2}**",
            pie(&["simulation.proposal_rule=zeuthen"])
        ),
        "Zeuthen",
    );
    assert_in_guide(
        &format!(
            "= **{:.3}** at once",
            pie(&["simulation.proposal_rule=alternating"])
        ),
        "alternating offers",
    );
    // One seed is an anecdote: seeds 1, 2 and 3.
    let weeks: Vec<String> = (1..=3)
        .map(|seed| {
            let s = run(&RunOptions {
                scenario: "astana-2017".into(),
                seed: Some(seed),
                rounds: None,
                sets: Vec::new(),
                label: None,
                output: output(dir.path()),
            })
            .unwrap()
            .summary;
            s.ceasefire_round.map_or(format!("seed {seed} never"), |w| {
                format!("seed {seed} in week {w}")
            })
        })
        .collect();
    assert_in_guide(
        &format!("signs {}", weeks.join(", ")),
        "compare --seeds 1,2,3",
    );
}
