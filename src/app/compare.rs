//! `ceasefire compare`: several scenarios (or one scenario and `--vary` variants) over the same seeds — common
//! random numbers, so each paired difference is the change and not the luck — or one scenario over a few seeds.

use std::path::PathBuf;

use serde_json::json;

use super::batch::{check_size, headline, seeds_text};
use crate::chart::ensemble::{BandsData, FanChart, Heading, ReachedChart, SeedsChart};
use crate::chart::{ChartError, render_files};
use crate::ensemble::{Bands, Paired, sweep};
use crate::error::{Error, Result};
use crate::export::ensemble::bands_csv;
use crate::export::{OutFile, write_folder};
use crate::rng::fnv1a;
use crate::scenario::Scenario;
use crate::summary::{DISCLAIMER, json_number};

#[derive(Clone, Debug)]
pub struct CompareOptions {
    pub scenarios: Vec<String>,
    /// Each entry adds a variant of the first scenario: overrides separated by `;`.
    pub varies: Vec<String>,
    /// One scenario, these seeds side by side.
    pub seeds: Option<Vec<u64>>,
    pub runs: u64,
    pub seed: Option<u64>,
    pub threads: usize,
    pub sets: Vec<String>,
    pub output: super::Output,
}

#[derive(Clone, Debug)]
pub struct CompareReport {
    pub folder: PathBuf,
    /// compare.md, also printed.
    pub text: String,
}

struct Variant {
    label: String,
    /// File-safe name.
    slug: String,
    scenario: Scenario,
}

fn variants(opts: &CompareOptions) -> Result<Vec<Variant>> {
    let mut out = Vec::new();
    for name in &opts.scenarios {
        let sc = super::load(name, &opts.sets, None)?;
        let slug = sc.meta.id.clone();
        out.push(Variant {
            label: sc.meta.id.clone(),
            slug,
            scenario: sc,
        });
    }
    let Some(base) = opts.scenarios.first() else {
        return Err(Error::Usage("compare needs at least one scenario".into()));
    };
    for (i, vary) in opts.varies.iter().enumerate() {
        let mut sets = opts.sets.clone();
        sets.extend(
            vary.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        );
        let sc = super::load(base, &sets, None)?;
        out.push(Variant {
            label: format!("{} with {vary}", sc.meta.id),
            slug: format!("vary-{}", i + 1),
            scenario: sc,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for v in &mut out {
        while !seen.insert(v.slug.clone()) {
            v.slug.push_str("-2");
        }
    }
    Ok(out)
}

fn folder_name(opts: &CompareOptions, vs: &[Variant]) -> String {
    let ids: Vec<&str> = opts
        .scenarios
        .iter()
        .zip(vs)
        .map(|(_, v)| v.scenario.meta.id.as_str())
        .collect();
    let mut name = format!("compare-{}", ids.join("-"));
    if !opts.varies.is_empty() {
        name.push_str(&format!(
            "-varied-{:08x}",
            fnv1a(&opts.varies.join("\n")) as u32
        ));
    }
    if !opts.sets.is_empty() {
        name.push_str(&format!("-set-{:08x}", fnv1a(&opts.sets.join("\n")) as u32));
    }
    name
}

fn pct(p: f64) -> String {
    format!("{:.1} %", 100.0 * p)
}

fn signed_points(d: f64) -> String {
    format!("{:+.1}", 100.0 * d)
}

/// `ceasefire compare`.
pub fn compare(
    opts: &CompareOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<CompareReport> {
    if let Some(seeds) = &opts.seeds {
        return compare_seeds(opts, seeds);
    }
    let vs = variants(opts)?;
    if vs.len() < 2 {
        return Err(Error::Usage(
            "compare needs two scenarios, or one scenario with --vary 'PATH=VALUE' (or --seeds 1,2,3)".into(),
        ));
    }
    for v in &vs {
        check_size(&v.scenario, opts.runs)?;
    }
    let first = opts.seed.unwrap_or(vs[0].scenario.simulation.seed);
    let scenarios: Vec<Scenario> = vs.iter().map(|v| v.scenario.clone()).collect();
    let mut bands: Vec<Bands> = scenarios
        .iter()
        .map(|s| Bands::new(s.simulation.rounds as usize))
        .collect();
    let mut paired = vec![Paired::default(); vs.len()];
    let mut done = 0u64;
    sweep(&scenarios, first, opts.runs, opts.threads, |outcomes| {
        for (i, o) in outcomes.iter().enumerate() {
            bands[i].add(o);
            if i > 0 {
                // "Reached" means within each scenario's own horizon.
                paired[i].add(&outcomes[0], o, u32::MAX);
            }
        }
        done += 1;
        if done.is_multiple_of(1024) || done == opts.runs {
            progress(done, opts.runs);
        }
        Ok(())
    })
    .map_err(Error::Usage)?;

    let seeds = seeds_text(first, opts.runs);
    let base = &vs[0];
    let label = &base.scenario.simulation.round_label;
    let mut md = format!(
        "# Comparison: {}\n\n",
        vs.iter()
            .map(|v| v.label.as_str())
            .collect::<Vec<_>>()
            .join(" vs ")
    );
    md.push_str(&format!(
        "{seeds}, the same for every variant (common random numbers: each difference is the change, not the luck). \
         {DISCLAIMER}.\n\n"
    ));
    md.push_str(&format!(
        "| variant | P(ceasefire reached) [95 % CI] | median {label} reached | P(in force at end) | mean final agreement |\n|---|---|---|---|---|\n"
    ));
    let mut csv = csv::Writer::from_writer(Vec::new());
    let _ = csv.write_record([
        "variant",
        "label",
        "runs",
        "p_reached",
        "p_reached_lo",
        "p_reached_hi",
        "median_ceasefire_round",
        "p_in_force_at_end",
        "mean_final_agreement",
        "delta_p_reached",
        "delta_p_reached_lo",
        "delta_p_reached_hi",
        "delta_median_ceasefire_round",
        "delta_mean_final_agreement",
        "delta_mean_final_agreement_lo",
        "delta_mean_final_agreement_hi",
    ]);
    let mut json_variants = Vec::new();
    for (i, v) in vs.iter().enumerate() {
        let b = &bands[i];
        let (p, lo, hi) = b.p_reached_ci();
        let median = b.median_ceasefire_round();
        let force = b.p_in_force_at_end().0;
        md.push_str(&format!(
            "| {} | {} [{} – {}] | {} | {} | {:.3} |\n",
            v.label,
            pct(p),
            pct(lo),
            pct(hi),
            median.map_or("—".into(), |r| r.to_string()),
            pct(force),
            b.mean_final_agreement()
        ));
        let (dp, dpl, dph) = if i > 0 {
            paired[i].delta_reached()
        } else {
            (f64::NAN, f64::NAN, f64::NAN)
        };
        let (da, dal, dah) = if i > 0 {
            paired[i].delta_agreement()
        } else {
            (f64::NAN, f64::NAN, f64::NAN)
        };
        let dm = match (median, bands[0].median_ceasefire_round()) {
            (Some(a), Some(b)) if i > 0 => (i64::from(a) - i64::from(b)).to_string(),
            _ => String::new(),
        };
        let n = |x: f64| crate::export::csv::num(x);
        let _ = csv.write_record([
            v.slug.clone(),
            v.label.clone(),
            b.runs.to_string(),
            n(p),
            n(lo),
            n(hi),
            median.map_or(String::new(), |r| r.to_string()),
            n(force),
            n(b.mean_final_agreement()),
            n(dp),
            n(dpl),
            n(dph),
            dm.clone(),
            n(da),
            n(dal),
            n(dah),
        ]);
        json_variants.push(json!({
            "variant": v.slug,
            "label": v.label,
            "scenario": v.scenario.meta.id,
            "overrides": v.scenario.overrides,
            "results": headline(b),
            "paired_vs_baseline": if i == 0 { serde_json::Value::Null } else { json!({
                "delta_p_reached": json_number(dp),
                "delta_p_reached_lo": json_number(dpl),
                "delta_p_reached_hi": json_number(dph),
                "delta_median_ceasefire_round": dm.parse::<i64>().ok(),
                "delta_mean_final_agreement": json_number(da),
                "delta_mean_final_agreement_lo": json_number(dal),
                "delta_mean_final_agreement_hi": json_number(dah),
            })},
        }));
    }
    md.push_str(&format!(
        "\n## Paired differences against {} (variant − baseline, same seeds)\n\n",
        base.label
    ));
    md.push_str(&format!(
        "| variant | Δ P(ceasefire reached), points [95 % CI] | Δ median {label} | Δ mean final agreement [95 % CI] |\n|---|---|---|---|\n"
    ));
    for (i, v) in vs.iter().enumerate().skip(1) {
        let (dp, dpl, dph) = paired[i].delta_reached();
        let (da, dal, dah) = paired[i].delta_agreement();
        let dm = match (
            bands[i].median_ceasefire_round(),
            bands[0].median_ceasefire_round(),
        ) {
            (Some(a), Some(b)) => format!("{:+}", i64::from(a) - i64::from(b)),
            _ => "—".into(),
        };
        md.push_str(&format!(
            "| {} | {} [{} – {}] | {dm} | {:+.3} [{:+.3} – {:+.3}] |\n",
            v.label,
            signed_points(dp),
            signed_points(dpl),
            signed_points(dph),
            da,
            dal,
            dah
        ));
    }
    md.push('\n');
    for (i, v) in vs.iter().enumerate().skip(1) {
        let (dp, dpl, dph) = paired[i].delta_reached();
        let verdict = if dpl > 0.0 {
            "raises"
        } else if dph < 0.0 {
            "lowers"
        } else {
            "does not clearly change"
        };
        md.push_str(&format!(
            "- {}: {verdict} the chance of a ceasefire ({} points; 95 % CI {} to {}).\n",
            v.label,
            signed_points(dp),
            signed_points(dpl),
            signed_points(dph)
        ));
    }
    md.push_str(
        "\nIntervals: Wilson score for each probability; Agresti–Min for paired differences of probabilities; normal \
         approximation for the mean paired difference of final agreement.\n",
    );

    let mut files = vec![
        OutFile::new("compare.md", md.clone().into_bytes()),
        OutFile::new("compare.csv", csv.into_inner().unwrap_or_default()),
    ];
    for (i, v) in vs.iter().enumerate() {
        files.push(OutFile::new(
            format!("bands-{}.csv", v.slug),
            bands_csv(&bands[i]),
        ));
    }
    let summary = json!({
        "program": "ceasefire",
        "version": env!("CARGO_PKG_VERSION"),
        "note": DISCLAIMER,
        "first_seed": first,
        "runs": opts.runs,
        "overrides": opts.sets,
        "variants": json_variants,
    });
    let mut sbytes = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    sbytes.push(b'\n');
    files.push(OutFile::new("summary.json", sbytes));
    if opts.output.charts {
        let data: Vec<BandsData> = vs
            .iter()
            .enumerate()
            .map(|(i, v)| {
                BandsData::parse(&v.label, &String::from_utf8_lossy(&bands_csv(&bands[i])))
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(ChartError::from)?;
        let heading = Heading {
            title: base.scenario.meta.title.clone(),
            seeds: format!("{seeds}, shared by all variants"),
            round_label: label.clone(),
        };
        files.extend(render_files(
            &FanChart {
                heading: &heading,
                bands: &data,
                name: "compare-fan",
            },
            opts.output.size,
        )?);
        files.extend(render_files(
            &ReachedChart {
                heading: &heading,
                bands: &data,
                name: "compare-reached",
            },
            opts.output.size,
        )?);
    }
    let folder = opts.output.out.join(folder_name(opts, &vs));
    write_folder(&folder, &files)?;
    let mut text = md;
    text.push_str(&format!("\nResults in {}\n", folder.display()));
    Ok(CompareReport { folder, text })
}

/// `compare SCENARIO --seeds 1,2,3`: one scenario, a few seeds side by side.
fn compare_seeds(opts: &CompareOptions, seeds: &[u64]) -> Result<CompareReport> {
    if opts.scenarios.len() != 1 || !opts.varies.is_empty() {
        return Err(Error::Usage(
            "--seeds compares one scenario across seeds; give exactly one scenario and no --vary"
                .into(),
        ));
    }
    if seeds.is_empty() || seeds.len() > 50 {
        return Err(Error::Usage(format!(
            "--seeds takes 1 to 50 seeds, found {}",
            seeds.len()
        )));
    }
    let sc = super::load(&opts.scenarios[0], &opts.sets, None)?;
    let label = sc.simulation.round_label.clone();
    let mut lines = Vec::new();
    let mut md = format!(
        "# {}: {} seeds side by side\n\n{DISCLAIMER}.\n\n",
        sc.meta.title,
        seeds.len()
    );
    md.push_str(&format!("| seed | ceasefire {label} | in force at end | collapses | final agreement |\n|---|---|---|---|---|\n"));
    let mut csv = csv::Writer::from_writer(Vec::new());
    let _ = csv.write_record([
        "seed",
        "ceasefire_round",
        "in_force_at_end",
        "collapses",
        "final_agreement",
    ]);
    for &seed in seeds {
        let o = crate::ensemble::outcome(&sc, seed);
        md.push_str(&format!(
            "| {seed} | {} | {} | {} | {:.3} |\n",
            o.ceasefire_round.map_or("—".into(), |r| r.to_string()),
            if o.in_force_at_end { "yes" } else { "no" },
            o.collapses,
            o.final_agreement
        ));
        let _ = csv.write_record([
            seed.to_string(),
            o.ceasefire_round.map_or(String::new(), |r| r.to_string()),
            o.in_force_at_end.to_string(),
            o.collapses.to_string(),
            crate::export::csv::num(o.final_agreement),
        ]);
        lines.push((seed, o.agreement.clone(), o.ceasefire_round));
    }
    let mut files = vec![
        OutFile::new("compare.md", md.clone().into_bytes()),
        OutFile::new("compare.csv", csv.into_inner().unwrap_or_default()),
    ];
    if opts.output.charts {
        let list: Vec<String> = seeds.iter().map(u64::to_string).collect();
        let heading = Heading {
            title: sc.meta.title.clone(),
            seeds: format!("seeds {}", list.join(", ")),
            round_label: label,
        };
        files.extend(render_files(
            &SeedsChart {
                heading: &heading,
                lines: &lines,
            },
            opts.output.size,
        )?);
    }
    let list: Vec<String> = seeds.iter().map(u64::to_string).collect();
    let mut name = format!("compare-{}-seeds-{}", sc.meta.id, list.join("-"));
    if name.len() > 120 {
        name = format!(
            "compare-{}-seeds-{:08x}",
            sc.meta.id,
            fnv1a(&list.join(",")) as u32
        );
    }
    if !opts.sets.is_empty() {
        name.push_str(&format!("-set-{:08x}", fnv1a(&opts.sets.join("\n")) as u32));
    }
    let folder = opts.output.out.join(name);
    write_folder(&folder, &files)?;
    let mut text = md;
    text.push_str(&format!("\nResults in {}\n", folder.display()));
    Ok(CompareReport { folder, text })
}
