//! `ceasefire compare`: several scenarios (or one scenario and `--vary` variants) over the same seeds — common
//! random numbers, so each paired difference is the change and not the luck — or one scenario over a few seeds.

use std::path::PathBuf;

use super::batch::check_size;
use crate::chart::ensemble::{
    BandsData, FanChart, Heading, ReachedChart, SeedsChart, deltas_from_compare_csv,
};
use crate::chart::{ChartError, render_files};
use crate::ensemble::{Bands, Paired, RunOutcome, sweep};
use crate::error::{Result, UsageError};
use crate::export::ensemble::{BandsCsv, CompareCsv, SeedsCsv};
use crate::export::json::CompareSummaryJson;
use crate::export::markdown::{CompareMarkdown, SeedsMarkdown};
use crate::export::results::{Compared, Comparison, SeedsComparison};
use crate::export::{self, Export, OutFile, write_folder};
use crate::rng::fnv1a;
use crate::scenario::Scenario;
use crate::scenario::overrides::Set;

/// The most seeds `compare --seeds` shows side by side.
pub const MAX_SEEDS: usize = 50;

/// The most variants one comparison may run (scenarios and `--vary` together): each keeps its own per-round
/// histograms (80 MB at 10,000 rounds), so this bounds a comparison's memory.
pub const MAX_VARIANTS: usize = 16;

/// The longest folder name a comparison makes before its ids are abbreviated (a file name may have 255 bytes; the
/// staging folder adds a few, and `-varied-` and `-set-` hashes may follow).
const MAX_NAME: usize = 120;

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
        return Err(UsageError::NoScenario.into());
    };
    for (i, vary) in opts.varies.iter().enumerate() {
        let overrides: Vec<String> = crate::scenario::overrides::split_vary(vary)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if overrides.is_empty() {
            return Err(UsageError::EmptyVary { vary: vary.clone() }.into());
        }
        let mut sets = Set::flags(&opts.sets);
        sets.extend(overrides.iter().map(|o| Set {
            text: o.clone(),
            shown: format!("--vary '{o}'"),
        }));
        let sc = crate::scenario::load_path_given(base, &sets)?;
        out.push(Variant {
            label: format!("{} with {}", sc.meta.id, overrides.join("; ")),
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

/// `compare-<ids>`, with a hash of any `--vary` and `--set` overrides. Many or long ids are abbreviated to the first,
/// the count of the others and a hash of them all, so that the name stays a valid file name.
fn folder_name(opts: &CompareOptions, vs: &[Variant]) -> String {
    let ids: Vec<&str> = opts
        .scenarios
        .iter()
        .zip(vs)
        .map(|(_, v)| v.scenario.meta.id.as_str())
        .collect();
    let mut name = format!("compare-{}", ids.join("-"));
    if name.len() > MAX_NAME {
        name = format!(
            "compare-{}-and-{}-more-{:08x}",
            ids.first().copied().unwrap_or_default(),
            ids.len().saturating_sub(1),
            fnv1a(&ids.join("\n")) as u32
        );
    }
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

/// `ceasefire compare`.
pub fn compare(
    opts: &CompareOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<CompareReport> {
    if let Some(seeds) = &opts.seeds {
        return compare_seeds(opts, seeds);
    }
    let found = opts.scenarios.len() + opts.varies.len();
    if found > MAX_VARIANTS {
        return Err(UsageError::Variants {
            found,
            max: MAX_VARIANTS,
        }
        .into());
    }
    let vs = variants(opts)?;
    if vs.len() < 2 {
        return Err(UsageError::NothingToCompare.into());
    }
    for v in &vs {
        check_size(
            &v.scenario,
            opts.runs,
            "use --set simulation.rounds=10000 or fewer",
        )?;
    }
    // Named before the work, so that a name the file system refuses could not waste it.
    let folder = opts.output.out.join(folder_name(opts, &vs));
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
    })?;

    let comparison = Comparison {
        first_seed: first,
        runs: opts.runs,
        sets: &opts.sets,
        variants: vs
            .iter()
            .zip(&bands)
            .zip(&paired)
            .map(|((v, bands), paired)| Compared {
                label: &v.label,
                slug: &v.slug,
                scenario: &v.scenario,
                bands,
                paired,
            })
            .collect(),
    };
    let mut files = export::files(&[&CompareMarkdown, &CompareCsv], &comparison)?;
    for v in &comparison.variants {
        files.push(BandsCsv.export_as(&format!("bands-{}.csv", v.slug), v.bands)?);
    }
    files.push(CompareSummaryJson.export(&comparison)?);
    if opts.output.charts {
        let bands_files = &files[2..2 + comparison.variants.len()];
        let charts = compare_charts(&comparison, &files[1], bands_files, opts.output.size)?;
        files.extend(charts);
    }
    write_folder(&folder, &files)?;
    let mut text = CompareMarkdown::text(&comparison);
    text.push_str(&format!("\nResults in {}\n", folder.display()));
    Ok(CompareReport { folder, text })
}

/// The fan and reached charts of a comparison, drawn from its `compare.csv` and `bands-<variant>.csv` files.
fn compare_charts(
    c: &Comparison<'_>,
    compare_csv: &OutFile,
    bands_files: &[OutFile],
    size: (u32, u32),
) -> Result<Vec<OutFile>> {
    let data: Vec<BandsData> = c
        .variants
        .iter()
        .zip(bands_files)
        .map(|(v, f)| BandsData::parse(v.label, &String::from_utf8_lossy(&f.bytes)))
        .collect::<std::result::Result<_, _>>()
        .map_err(ChartError::from)?;
    let deltas = deltas_from_compare_csv(&String::from_utf8_lossy(&compare_csv.bytes))
        .map_err(ChartError::from)?;
    let base = c.baseline();
    let heading = Heading {
        title: base.scenario.meta.title.clone(),
        changed: crate::scenario::changes_text(None, c.sets),
        seeds: format!("{}, shared by all variants", c.seeds_text()),
        round_label: base.scenario.simulation.round_label.clone(),
    };
    let mut files = Vec::new();
    files.extend(render_files(
        &FanChart {
            heading: &heading,
            bands: &data,
            name: "compare-fan",
        },
        size,
    )?);
    files.extend(render_files(
        &ReachedChart {
            heading: &heading,
            bands: &data,
            deltas: &deltas,
            name: "compare-reached",
        },
        size,
    )?);
    Ok(files)
}

/// `compare SCENARIO --seeds 1,2,3`: one scenario, a few seeds side by side.
fn compare_seeds(opts: &CompareOptions, seeds: &[u64]) -> Result<CompareReport> {
    if opts.scenarios.len() != 1 || !opts.varies.is_empty() {
        return Err(UsageError::SeedsOfOneScenario.into());
    }
    if seeds.is_empty() || seeds.len() > MAX_SEEDS {
        return Err(UsageError::SeedCount {
            found: seeds.len(),
            max: MAX_SEEDS,
        }
        .into());
    }
    if let Some((i, &seed)) = seeds
        .iter()
        .enumerate()
        .find(|(i, s)| seeds[..*i].contains(s))
    {
        return Err(UsageError::RepeatedSeed { seed, at: i + 1 }.into());
    }
    let sc = super::load(&opts.scenarios[0], &opts.sets, None)?;
    let outcomes: Vec<RunOutcome> = seeds
        .iter()
        .map(|&seed| crate::ensemble::outcome(&sc, seed))
        .collect();
    let comparison = SeedsComparison {
        scenario: &sc,
        outcomes: &outcomes,
    };
    let mut files = export::files(&[&SeedsMarkdown, &SeedsCsv], &comparison)?;
    let list: Vec<String> = seeds.iter().map(u64::to_string).collect();
    if opts.output.charts {
        let lines: Vec<(u64, Vec<f64>, Option<u32>)> = outcomes
            .iter()
            .map(|o| (o.seed, o.agreement.clone(), o.ceasefire_round))
            .collect();
        let heading = Heading {
            title: sc.meta.title.clone(),
            changed: sc.changes(),
            seeds: format!("seeds {}", list.join(", ")),
            round_label: sc.simulation.round_label.clone(),
        };
        files.extend(render_files(
            &SeedsChart {
                heading: &heading,
                lines: &lines,
            },
            opts.output.size,
        )?);
    }
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
    let mut text = SeedsMarkdown::text(&comparison);
    text.push_str(&format!("\nResults in {}\n", folder.display()));
    Ok(CompareReport { folder, text })
}
