//! Shared helpers for the integration tests: small scenarios written as TOML, and loaders.
#![allow(clippy::unwrap_used)]
#![allow(dead_code)]

use ceasefire::scenario::{self, Scenario};

/// Load scenario text, panicking with the full message if it is invalid (a test bug).
pub fn load(text: &str) -> Scenario {
    match scenario::load_source("test.toml", text, &[]) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

pub fn load_with(text: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_source("test.toml", text, &sets) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

pub fn astana(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_path("astana-2017", &sets) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

pub fn astana_text() -> &'static str {
    scenario::bundled::text("astana-2017").expect("bundled")
}

/// Two mirror-image parties on one dimension: GOV wants 0, OPP wants 1, equal in everything else.
pub fn mirror(rounds: u32, deadline: u32, growth: f64, extra: &str) -> String {
    format!(
        r#"
schema_version = 1
[meta]
id = "mirror"
title = "Mirror"
[simulation]
rounds = {rounds}
drafter = "GOV"
drafter_bias = 0.0
text_inertia = 1.0
{extra}
[[dimensions]]
id = "pie"
[[modules]]
id = "deal"
dimensions = ["pie"]
signatories = ["GOV", "OPP"]
compliance = ["GOV", "OPP"]
ceasefire = true
[[actors]]
id = "GOV"
role = "party"
side = "gov"
principal = true
capability = 1.0
ideal = {{ pie = 0.0 }}
salience = {{ pie = 1.0 }}
concession = {{ beta = 1.0, deadline = {deadline}, kappa = 0.0 }}
hurt = {{ initial = 0.0, growth = {growth} }}
[[actors]]
id = "OPP"
role = "party"
side = "opp"
principal = true
capability = 1.0
ideal = {{ pie = 1.0 }}
salience = {{ pie = 1.0 }}
concession = {{ beta = 1.0, deadline = {deadline}, kappa = 0.0 }}
hurt = {{ initial = 0.0, growth = {growth} }}
"#
    )
}

/// A committee of actors with side "none" and fixed reservations over `dims` dimensions and two modules.
pub fn committee(reservation: f64, kappa: f64, betas: &[f64], extra_sim: &str) -> String {
    let mut s = format!(
        r#"
schema_version = 1
[meta]
id = "committee"
title = "Committee"
[simulation]
rounds = 20
drafter = "A0"
{extra_sim}
[[dimensions]]
id = "d1"
[[dimensions]]
id = "d2"
[[dimensions]]
id = "d3"
[[modules]]
id = "first"
dimensions = ["d1", "d2"]
signatories = ["A0", "A1"]
ceasefire = true
[[modules]]
id = "second"
dimensions = ["d3"]
signatories = ["A0"]
"#
    );
    for (i, beta) in betas.iter().enumerate() {
        let q = i as f64 / (betas.len().max(2) - 1) as f64;
        s.push_str(&format!(
            r#"
[[actors]]
id = "A{i}"
role = "guarantor"
side = "none"
capability = {{ dist = "uniform", low = 0.5, high = 1.5 }}
ideal = {{ d1 = {q}, d2 = {{ dist = "beta", mean = 0.5, concentration = 4 }}, d3 = {r} }}
salience = {{ d1 = 1.0, d2 = 0.5, d3 = 0.8 }}
reservation = {reservation}
concession = {{ beta = {beta}, deadline = 12, kappa = {kappa} }}
"#,
            r = 1.0 - q
        ));
    }
    s
}

/// The text of every `<text>` element of an SVG, in document order, XML entities decoded and no-break spaces read as
/// spaces.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (_, rest) = t.split_once('>')?;
            let raw = rest.split("</text>").next()?;
            Some(
                raw.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&")
                    .replace('\u{a0}', " ")
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}
pub mod server;
