//! Property-based fuzzing (proptest) of the loader and the engine: arbitrary text never panics; generated valid
//! scenarios run to the end with every recorded value finite and in range; a scenario written back to TOML and loaded
//! again is the same scenario.
#![allow(clippy::unwrap_used)]

use ceasefire::engine;
use ceasefire::scenario::{self, write::to_toml};
use proptest::prelude::*;

fn astana() -> &'static str {
    scenario::bundled::text("astana-2017").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = scenario::load_source("fuzz.toml", &text, &[]);
    }

    #[test]
    fn edited_scenarios_never_panic(cuts in prop::collection::vec((0usize..20_000, 0usize..40, "\\PC{0,12}"), 1..6)) {
        // Splice random text into the flagship scenario: mostly almost-valid files, the hardest kind for a loader.
        let mut text = astana().to_string();
        for (at, len, insert) in cuts {
            let mut start = at % text.len();
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end, &insert);
        }
        if let Ok(sc) = scenario::load_source("fuzz.toml", &text, &[]) {
            let t = engine::run(&sc, 1);
            prop_assert!(t.agreement().iter().all(|a| (0.0..=1.0).contains(a)));
        }
    }

    #[test]
    fn arbitrary_overrides_never_panic(path in "[a-zA-Z_.\\[\\]0-9]{0,30}", value in "\\PC{0,20}") {
        let _ = scenario::load_path("astana-2017", &[format!("{path}={value}")]);
    }
}

/// A random valid scenario: two principal parties, guarantors and observers, optionally a spoiler and a host,
/// numbers sometimes drawn from distributions, and random events.
fn scenario_text() -> impl Strategy<Value = String> {
    (
        1usize..4,
        0usize..4,
        any::<bool>(),
        prop::collection::vec((0.0f64..1.0, 0.05f64..1.0, 0.0f64..2.0, 0.2f64..3.0, -1.0f64..1.0), 8),
        prop::collection::vec((0u32..4, 1u32..30, 0.0f64..1.0), 0..4),
        (0.0f64..0.3, 0.0f64..1.0, 1u32..4, any::<bool>()),
    )
        .prop_map(|(dims, extra, spoiler, actors, events, (temperature, bias, persist, recognition))| {
            let dim_ids: Vec<String> = (0..dims).map(|k| format!("d{k}")).collect();
            let rule = if recognition { "recognition" } else { "single_text" };
            let mut s = format!(
                "schema_version = 1\n[meta]\nid = \"gen\"\ntitle = \"Generated\"\n[simulation]\nrounds = 25\nproposal_rule = \"{rule}\"\ndrafter = \"G0\"\naccept_temperature = {temperature}\ndrafter_bias = {bias}\n"
            );
            for d in &dim_ids {
                s.push_str(&format!("[[dimensions]]\nid = \"{d}\"\n"));
            }
            let mut voters = vec!["G0".to_string(), "P0".to_string(), "P1".to_string()];
            voters.extend((0..extra).map(|i| format!("O{i}")));
            let quoted = |v: &[String]| v.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(", ");
            s.push_str(&format!(
                "[[modules]]\nid = \"m\"\ndimensions = [{}]\nsignatories = [{}]\ncompliance = [\"P0\", \"P1\"]\nceasefire = true\npersist = {persist}\n",
                quoted(&dim_ids),
                quoted(&voters)
            ));
            let table = |f: &dyn Fn(usize) -> String| dim_ids.iter().enumerate().map(|(k, d)| format!("{d} = {}", f(k))).collect::<Vec<_>>().join(", ");
            for (i, id) in voters.iter().chain(spoiler.then(|| "SP".to_string()).iter()).enumerate() {
                let (q, sal, cap, beta, risk) = actors[i % actors.len()];
                let role = match id.as_str() {
                    "G0" => "guarantor",
                    "P0" | "P1" => "party",
                    "SP" => "spoiler",
                    _ => "observer",
                };
                let side = match id.as_str() {
                    "P0" => "gov",
                    "P1" => "opp",
                    _ if i % 2 == 0 => "gov",
                    _ => "opp",
                };
                let side = if role == "spoiler" { "none" } else { side };
                s.push_str(&format!("[[actors]]\nid = \"{id}\"\nrole = \"{role}\"\nside = \"{side}\"\n"));
                if role == "party" {
                    s.push_str("principal = true\ncommitment_risk = 0.2\nviolation = { base = 0.05, slope = 1.0 }\n");
                }
                s.push_str(&format!("capability = {{ dist = \"uniform\", low = 0, high = {cap} }}\n"));
                s.push_str(&format!("ideal = {{ {} }}\n", table(&|k| format!("{{ dist = \"beta\", mean = {}, concentration = 5 }}", (q + 0.1 * k as f64).fract().clamp(0.05, 0.95)))));
                s.push_str(&format!("salience = {{ {} }}\n", table(&|_| format!("{sal}"))));
                s.push_str(&format!("risk = {risk}\nconcession = {{ beta = {beta}, deadline = 20, kappa = 0.1 }}\nhurt = {{ initial = 0.01, growth = 0.003 }}\n"));
                if role == "spoiler" {
                    s.push_str("reservation = 0.4\nspoiler = { kind = \"greedy\", greed = 0.3, base = 0.2, progress = 1.0, targets = [\"P0\", \"P1\"] }\n");
                }
            }
            s.push_str("[[patronage]]\npatron = \"G0\"\nclient = \"P0\"\nleverage = 0.5\npull = 0.2\n[[trust]]\nparty = \"P1\"\nguarantor = \"G0\"\nvalue = -0.4\n");
            if extra > 0 {
                s.push_str("[[patronage]]\npatron = \"O0\"\nclient = \"P1\"\nleverage = 0.3\npull = 0.3\n");
            }
            for (kind, round, p) in events {
                let (kind, extra) = match kind {
                    0 => ("capability_shift", "magnitude = { dist = \"normal\", mean = -0.2, sd = 0.3 }\n"),
                    1 => ("hurt_shock", "magnitude = 0.1\n"),
                    2 => ("trust_shock", "magnitude = -0.5\nguarantor = \"G0\"\n"),
                    _ => ("boycott", "duration = 2\n"),
                };
                let when = if p < 0.5 { format!("round = {round}") } else { format!("probability = {}", p / 4.0) };
                let target = if kind == "capability_shift" { "G0" } else { "P1" };
                s.push_str(&format!("[[events]]\nkind = \"{kind}\"\ntarget = \"{target}\"\n{when}\n{extra}"));
            }
            if extra > 1 {
                s.push_str("[[actors]]\nid = \"HOST\"\nrole = \"host\"\n");
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn generated_scenarios_run_with_every_value_finite_and_in_range(text in scenario_text(), seed in any::<u64>()) {
        let sc = match scenario::load_source("gen.toml", &text, &[]) {
            Ok(sc) => sc,
            Err(e) => return Err(TestCaseError::fail(format!("generator made an invalid scenario: {e}\n{text}"))),
        };
        let t = engine::run(&sc, seed);
        prop_assert_eq!(t.rounds(), 25);
        let unit = |v: f64| v.is_nan() || (0.0..=1.0).contains(&v);
        for v in t.agreement().iter().chain(t.module_agreements()).chain(t.mean_utility()).chain(t.dispersion()).chain(t.texts()) {
            prop_assert!(v.is_finite() && unit(*v), "{}", v);
        }
        for v in t.positions().iter().chain(t.p_gov()).chain(t.zopa_margin()) {
            prop_assert!(!v.is_infinite(), "{}", v);
        }
        for v in t.positions() {
            prop_assert!(unit(*v), "{}", v);
        }
        for row in t.actor_rows() {
            for v in [row.utility, row.reservation, row.aspiration, row.win_probability] {
                prop_assert!(!v.is_infinite() && unit(v), "{}", v);
            }
            prop_assert!(row.capability.is_nan() || (row.capability >= 0.0 && row.capability.is_finite()));
            prop_assert!(row.distrust.is_finite() && row.distrust >= 0.0);
        }
        prop_assert!(t.actor_rows().all(|row| row.hurt.is_finite()));
        // Same seed, same run.
        prop_assert!(engine::run(&sc, seed) == t);
    }

    #[test]
    fn a_scenario_written_and_loaded_again_is_the_same(text in scenario_text()) {
        let sc = scenario::load_source("gen.toml", &text, &[]).unwrap();
        let again = scenario::load_source("again.toml", &to_toml(&sc, None), &[]).unwrap();
        prop_assert_eq!(again, sc);
    }
}

#[test]
fn the_bundled_scenarios_round_trip_through_toml() {
    for name in scenario::bundled::names() {
        let sc = scenario::load_path(name, &[]).unwrap();
        let again = scenario::load_source(name, &to_toml(&sc, None), &[]).unwrap();
        assert_eq!(again, sc, "{name}");
    }
}

#[test]
fn too_many_actors_is_a_clear_error() {
    let mut text = astana().to_string();
    for i in 0..2100 {
        text.push_str(&format!("\n[[actors]]\nid = \"H{i}\"\nrole = \"host\"\n"));
    }
    let err = scenario::load_source("big.toml", &text, &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected at most 2000 actors, found 2110"),
        "{err}"
    );
}
