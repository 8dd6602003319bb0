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
            shard: None,
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

/// One sweep of `experiments/NAME.toml`, run as the guide says: (factor value, scenario, P(reached), median week).
fn swept(name: &str) -> Vec<(String, String, f64, Option<u32>)> {
    let dir = tempfile::tempdir().unwrap();
    let report = ceasefire::app::sweep::sweep(
        &ceasefire::app::sweep::SweepOptions {
            experiment: format!("experiments/{name}.toml"),
            threads: 0,
            shard: None,
            output: output(dir.path()),
        },
        &|_, _| {},
    )
    .unwrap();
    let text = std::fs::read_to_string(report.folder.join("sweep.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (x, p, m) = (
        col(h.get(1).unwrap()),
        col("p_reached"),
        col("median_round"),
    );
    let scenario = h.iter().position(|c| c == "scenario");
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[x].to_string(),
                scenario.map_or("astana-2017".to_string(), |s| rec[s].to_string()),
                rec[p].parse().unwrap(),
                rec[m].parse().ok(),
            )
        })
        .collect()
}

/// A factor value as the guide writes it: two decimals ("0.10", "0.5" stays "0.5" for Russia's guarantee).
fn at(x: &str, decimals: usize) -> String {
    format!("{:.decimals$}", x.parse::<f64>().unwrap())
}

/// Each lesson's P(reached) minus the baseline's at the same value, in the sweep's order: (value, difference).
fn against_baseline(
    rows: &[(String, String, f64, Option<u32>)],
    lesson: &str,
) -> Vec<(String, f64)> {
    rows.iter()
        .filter(|r| r.1 == lesson)
        .map(|r| {
            let base = rows
                .iter()
                .find(|b| b.1 == "astana-2017" && b.0 == r.0)
                .unwrap();
            (r.0.clone(), r.2 - base.2)
        })
        .collect()
}

/// "−0.5 to −69.6": the smallest and the largest difference in size, of one sign.
fn span(d: &[(String, f64)]) -> String {
    let mut sizes: Vec<f64> = d.iter().map(|x| x.1).filter(|x| *x != 0.0).collect();
    sizes.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    format!(
        "{} to {} points",
        points(sizes[0]),
        points(*sizes.last().unwrap())
    )
}

/// The signs of the differences: `-` lower, `0` the same, `+` higher.
fn signs(d: &[(String, f64)]) -> String {
    d.iter()
        .map(|x| match x.1 {
            v if v < 0.0 => '-',
            v if v > 0.0 => '+',
            _ => '0',
        })
        .collect()
}

#[test]
fn the_robustness_sections_sweeps_are_true() {
    let base = swept("baseline-commitment-risk");
    let row = |x: &str| base.iter().find(|r| r.0 == x).unwrap();
    let (p18, p22) = (row("0.18"), row("0.22"));
    assert_in_guide(
        &format!(
            "At 0.18 it is **{}** (week {}), at 0.22 **{}** (week {})",
            pct(p18.2),
            p18.3.unwrap(),
            pct(p22.2),
            p22.3.unwrap()
        ),
        "the baseline's cliff",
    );
    let lessons = swept("lessons-by-commitment-risk");
    let d = |l: &str| against_baseline(&lessons, l);
    // The directions the guide's table states, value by value from 0.10 to 0.30.
    assert_eq!(signs(&d("no-iran-guarantor")), "00---------");
    assert_eq!(signs(&d("us-active-party")), "-----------");
    assert_eq!(signs(&d("hardline-spoiler")), "----------0");
    assert_eq!(signs(&d("early-hurting-stalemate")), "000++++++++");
    assert_eq!(signs(&d("no-guarantor-pressure")), "-----------");
    let most = |d: &[(String, f64)]| {
        let m = d.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        format!("most: {} points at {}", points(m.1), at(&m.0, 2))
    };
    assert_in_guide(&most(&d("no-iran-guarantor")), "no-iran-guarantor");
    assert_in_guide(&span(&d("us-active-party")), "us-active-party");
    assert_in_guide(&most(&d("hardline-spoiler")), "hardline-spoiler");
    let calm = d("early-hurting-stalemate");
    assert_in_guide(
        &format!(
            "higher from 0.16 ({} points) to 0.30 ({} points)",
            points(calm[3].1),
            points(calm[10].1)
        ),
        "early-hurting-stalemate",
    );
    let none = lessons
        .iter()
        .find(|r| r.1 == "no-guarantor-pressure" && r.0 == "0.1")
        .unwrap();
    assert_in_guide(
        &format!(
            "{}; {} at 0.10",
            span(&d("no-guarantor-pressure")),
            pct(none.2)
        ),
        "no-guarantor-pressure",
    );
    let week = |l: &str, x: &str| {
        lessons
            .iter()
            .find(|r| r.1 == l && r.0 == x)
            .unwrap()
            .3
            .unwrap()
    };
    assert_in_guide(
        &format!(
            "median week {} and {} at 0.10 and 0.12, against the baseline's {} and {} (the same at 0.14, later from 0.16 on: week {} against {} at 0.20)",
            week("no-iran-guarantor", "0.1"),
            week("no-iran-guarantor", "0.12"),
            week("astana-2017", "0.1"),
            week("astana-2017", "0.12"),
            week("no-iran-guarantor", "0.2"),
            week("astana-2017", "0.2"),
        ),
        "no-iran-guarantor's median week",
    );
    assert_eq!(
        week("no-iran-guarantor", "0.14"),
        week("astana-2017", "0.14")
    );
    assert!(week("no-iran-guarantor", "0.16") > week("astana-2017", "0.16"));
    assert_in_guide(
        &format!(
            "(median week {} against {} at 0.10, {} against {} at 0.20)",
            week("hardline-spoiler", "0.1"),
            week("astana-2017", "0.1"),
            week("hardline-spoiler", "0.2"),
            week("astana-2017", "0.2"),
        ),
        "hardline-spoiler's median week",
    );
    let russia = swept("lessons-by-russian-guarantee");
    let r = |l: &str| against_baseline(&russia, l);
    assert_eq!(signs(&r("no-iran-guarantor")), "---------");
    assert_eq!(signs(&r("us-active-party")), "---------");
    assert_eq!(signs(&r("hardline-spoiler")), "---------");
    assert_eq!(signs(&r("early-hurting-stalemate")), "+++++++++");
    for l in [
        "no-iran-guarantor",
        "us-active-party",
        "hardline-spoiler",
        "early-hurting-stalemate",
    ] {
        assert_in_guide(&format!("everywhere ({})", span(&r(l))), l);
    }
}

#[test]
fn the_robustness_sections_indices_are_true() {
    use ceasefire::app::sensitivity::{Method, SensitivityOptions, sensitivity};
    let dir = tempfile::tempdir().unwrap();
    let analyse = |method| {
        let report = sensitivity(
            &SensitivityOptions {
                experiment: "experiments/astana-baseline.toml".into(),
                method,
                samples: None,
                threads: 0,
                shard: None,
                output: output(dir.path()),
            },
            &|_, _| {},
        )
        .unwrap();
        let text = std::fs::read_to_string(report.folder.join("indices.csv")).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
                (
                    (rec[0].to_string(), rec[1].to_string(), rec[2].to_string()),
                    (num(3), num(4), num(5)),
                )
            })
            .collect::<std::collections::HashMap<_, _>>()
    };
    let sobol = analyse(Method::Sobol);
    let ix = |o: &str, f: &str, i: &str| sobol[&(o.to_string(), f.to_string(), i.to_string())];
    let gov = ix("p_reached", "actors.GOV.commitment_risk", "ST");
    assert_in_guide(
        &format!(
            "total-order index **{:.2} [{:.2}, {:.2}]** for P(ceasefire reached), {:.2} for P(in force at the end), {:.2} for the mean final agreement",
            gov.0,
            gov.1,
            gov.2,
            ix("p_in_force", "actors.GOV.commitment_risk", "ST").0,
            ix("mean_final_agreement", "actors.GOV.commitment_risk", "ST").0
        ),
        "the government's commitment risk",
    );
    let three = |f: &str| {
        let v = ix("p_reached", f, "ST");
        format!("({:.3} [{:.3}, {:.3}])", v.0, v.1, v.2)
    };
    assert_in_guide(
        &format!(
            "**Russia's guarantee commitment** {}",
            three("actors.RUS.guarantee_commitment")
        ),
        "Russia's guarantee",
    );
    assert_in_guide(
        &format!("government** {}", three("patronage.RUS.GOV.leverage")),
        "Russia's leverage",
    );
    assert_in_guide(
        &format!(
            "Turkey's guarantee ({:.3}) and the government's capability ({:.3}) matter a little, Turkey's leverage on the opposition hardly ({:.3})",
            ix("p_reached", "actors.TUR.guarantee_commitment", "ST").0,
            ix("p_reached", "actors.GOV.capability.mean", "ST").0,
            ix("p_reached", "patronage.TUR.OPP.leverage", "ST").0,
        ),
        "the small ones",
    );
    for f in ["actors.OPP.commitment_risk", "trust.OPP.RUS.value"] {
        assert!(
            ix("p_reached", f, "ST").0 < 0.0005,
            "{f} is at the noise floor"
        );
    }
    assert_eq!(ix("p_reached", "dummy", "ST"), (0.0, 0.0, 0.0));
    let morris = analyse(Method::Morris);
    let mu = |f: &str| {
        morris[&(
            "p_reached".to_string(),
            f.to_string(),
            "mu_star".to_string(),
        )]
            .0
    };
    assert_in_guide(
        &format!(
            "Russia's leverage and guarantee swapped (μ* {:.2} and {:.2})",
            mu("patronage.RUS.GOV.leverage"),
            mu("actors.RUS.guarantee_commitment")
        ),
        "Morris",
    );
    assert!(mu("actors.GOV.commitment_risk") > mu("patronage.RUS.GOV.leverage"));
}
