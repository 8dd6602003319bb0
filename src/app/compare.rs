//! `ceasefire compare`: several scenarios (or one scenario and `--vary` variants) over the same seeds — common
//! random numbers, so each paired difference is the change and not the luck — or one scenario over a few seeds.

use std::path::PathBuf;

use super::batch::check_size;
use crate::chart::data::text_of;
use crate::chart::ensemble::{
    BandsData, FanChart, Heading, ReachedChart, SeedsChart, deltas_of, read_summary, seeds_of,
};
use crate::chart::read::Table;
use crate::chart::{ChartError, ReadError, render_files};
use crate::ensemble::{Bands, Paired, RunOutcome, sweep};
use crate::error::{Result, UsageError};
use crate::export::ensemble::{BandsCsv, CompareCsv, SeedsCsv, SeedsRoundsCsv};
use crate::export::json::{CompareSummaryJson, SeedsSummaryJson};
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
/// staging folder adds a few, and the `--vary` names and a `-set-` hash may follow).
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
    /// `--shard K/N`: simulate only shard K's seeds and write its partial folder (see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
    pub output: super::Output,
}

#[derive(Clone, Debug)]
pub struct CompareReport {
    pub folder: PathBuf,
    /// compare.md, also printed.
    pub text: String,
}

/// One side of a comparison, as `compare` (and `report`) read it.
pub(crate) struct Variant {
    pub(crate) label: String,
    /// File-safe name.
    pub(crate) slug: String,
    pub(crate) scenario: Scenario,
    /// The text it was loaded from (the baseline's, for a `--vary` variant), for the handout's content hash.
    pub(crate) text: String,
}

/// The baseline and the variants of a comparison, in order: each scenario given, then each `--vary` of the first.
pub(super) fn variants(opts: &CompareOptions) -> Result<Vec<Variant>> {
    let mut out = Vec::new();
    let mut base_source = None;
    for name in &opts.scenarios {
        let source = crate::scenario::resolve(name)?;
        let sc = crate::scenario::load_source_given(
            &source.name,
            &source.text,
            &Set::flags(&opts.sets),
        )?;
        let slug = sc.meta.id.clone();
        out.push(Variant {
            label: sc.meta.id.clone(),
            slug,
            scenario: sc,
            text: source.text.clone(),
        });
        base_source.get_or_insert(source);
    }
    let Some(base) = base_source else {
        return Err(UsageError::NoScenario.into());
    };
    for vary in &opts.varies {
        let vary = super::variant::parse_vary(vary)?;
        let mut sets = Set::flags(&opts.sets);
        sets.extend(vary.overrides.iter().map(|o| Set {
            text: o.clone(),
            shown: format!("--vary '{o}'"),
        }));
        let mut sc = crate::scenario::load_source_given(&base.name, &base.text, &sets)?;
        // Named by its label, or else by what it changes.
        let changes = vary.overrides.join("; ");
        let (label, slug) = match &vary.label {
            Some(label) => (label.clone(), super::variant::slug(label)),
            None => (format!("with {changes}"), super::variant::slug(&changes)),
        };
        sc.label = vary.label;
        out.push(Variant {
            label,
            slug,
            scenario: sc,
            text: base.text.clone(),
        });
    }
    // Two variants named alike would share a file and a legend entry: a label must be told apart from every name
    // before it. (The same scenario given twice is allowed, for a check that a comparison with itself shows nothing;
    // its second file gets `-2`.)
    let mut seen: Vec<(String, String)> = Vec::new();
    for (i, v) in out.iter_mut().enumerate() {
        if let Some((_, first)) = seen.iter().find(|(slug, _)| *slug == v.slug)
            && i >= opts.scenarios.len()
        {
            return Err(UsageError::SameName {
                label: v.label.clone(),
                first: first.clone(),
                name: v.slug.clone(),
            }
            .into());
        }
        while seen.iter().any(|(slug, _)| *slug == v.slug) {
            v.slug.push_str("-2");
        }
        seen.push((v.slug.clone(), v.label.clone()));
    }
    Ok(out)
}

/// `compare-<ids>`, then `--<name>` of each `--vary` variant (its label's slug, or its overrides'), then a hash of any
/// `--set` overrides. Many or long names are abbreviated to the first, the count of the others and a hash of them
/// all, so that the name stays a valid file name.
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
    let varied: Vec<&str> = vs[ids.len()..].iter().map(|v| v.slug.as_str()).collect();
    if !varied.is_empty() {
        let names = format!("--{}", varied.join("--"));
        if name.len() + names.len() <= MAX_NAME {
            name.push_str(&names);
        } else {
            name.push_str(&format!(
                "--{}-variants-{:08x}",
                varied.len(),
                fnv1a(&opts.varies.join("\n")) as u32
            ));
        }
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
            opts.shard,
            "use --set simulation.rounds=10000 or fewer",
        )?;
    }
    // Named before the work, so that a name the file system refuses could not waste it.
    let folder = opts.output.out.join(folder_name(opts, &vs));
    let first = opts.seed.unwrap_or(vs[0].scenario.simulation.seed);
    if let Some(shard) = opts.shard {
        return super::merge::compare::write_shard(opts, &vs, first, &folder, shard, progress);
    }
    let (bands, paired) = simulate(&vs, first, 0..opts.runs, opts.threads, progress, |_| Ok(()))?;

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
    let files = compare_files(&comparison, &opts.output)?;
    write_folder(&folder, &files)?;
    let mut text = CompareMarkdown::text(&comparison);
    text.push_str(&format!("\nResults in {}\n", folder.display()));
    Ok(CompareReport { folder, text })
}

/// The files of a comparison's folder: `compare.md`, `compare.csv`, each variant's `bands-<name>.csv`,
/// `summary.json` and (unless `output` says no charts) the charts drawn from them. `compare` and `merge` both call
/// it.
pub(crate) fn compare_files(
    comparison: &Comparison<'_>,
    output: &super::Output,
) -> Result<Vec<OutFile>> {
    let mut files = export::files(&[&CompareMarkdown, &CompareCsv], comparison)?;
    for v in &comparison.variants {
        files.push(BandsCsv.export_as(&format!("bands-{}.csv", v.slug), v.bands)?);
    }
    files.push(CompareSummaryJson.export(comparison)?);
    if output.charts {
        let charts = compare_charts(&|name| text_in(&files, name), output.size)?;
        files.extend(charts);
    }
    Ok(files)
}

/// Simulate runs `runs` (run j is seed `first` + j) of every variant, and return each variant's bands and its
/// pairing with the baseline (the baseline's own is empty). `each(outcomes)` sees every seed's outcomes, in seed
/// order (a shard writes their final agreements).
pub(crate) fn simulate(
    vs: &[Variant],
    first: u64,
    runs: std::ops::Range<u64>,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
    mut each: impl FnMut(&[RunOutcome]) -> Result<()> + Send,
) -> Result<(Vec<Bands>, Vec<Paired>)> {
    let scenarios: Vec<Scenario> = vs.iter().map(|v| v.scenario.clone()).collect();
    let mut bands: Vec<Bands> = scenarios
        .iter()
        .map(|s| Bands::new(s.simulation.rounds as usize))
        .collect();
    let mut paired = vec![Paired::default(); vs.len()];
    let mut done = 0u64;
    let count = runs.end - runs.start;
    sweep(&scenarios, first + runs.start, count, threads, |outcomes| {
        for (i, o) in outcomes.iter().enumerate() {
            bands[i].add(o);
            if i > 0 {
                // "Reached" means within each scenario's own horizon.
                paired[i].add(&outcomes[0], o, u32::MAX);
            }
        }
        each(outcomes)?;
        done += 1;
        if done.is_multiple_of(1024) || done == count {
            progress(done, count);
        }
        Ok(())
    })?;
    Ok((bands, paired))
}

/// Whether `name` is a variant name `compare` writes (`bands-<name>.csv`): a scenario id or a slug, so that a
/// crafted `summary.json` cannot make a redraw read a file outside the folder.
pub(crate) fn is_variant_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The fan and reached charts of a comparison, from its files alone: `summary.json` (the heading and each variant's
/// name and label), each `bands-<variant>.csv`, and `compare.csv` (the paired differences). `compare` draws them
/// from the bytes it has just written and `ceasefire chart` from the folder, so both give the same bytes. `read`
/// gives a file's text by name.
pub fn compare_charts(
    read: &dyn Fn(&str) -> std::result::Result<String, ReadError>,
    size: (u32, u32),
) -> std::result::Result<Vec<OutFile>, ChartError> {
    let summary = read_summary(&read("summary.json")?)?;
    let variants = summary
        .get("variants")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut data = Vec::with_capacity(variants.len());
    for v in variants {
        let name = text_of(v, "variant");
        if !is_variant_name(&name) {
            return Err(ReadError::VariantName { name }.into());
        }
        let file = format!("bands-{name}.csv");
        let bands = BandsData::parse(&text_of(v, "label"), &read(&file)?).map_err(|source| {
            ReadError::OfVariant {
                file,
                source: Box::new(source),
            }
        })?;
        data.push(bands);
    }
    let compare_csv = Table::parse("compare.csv", &read("compare.csv")?)?;
    agree(&compare_csv, variants)?;
    let deltas = deltas_of(&compare_csv)?;
    let heading = Heading::from_summary(
        &summary,
        format!("{}, shared by all variants", seeds_of(&summary)),
    );
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

/// The chart of `compare --seeds`, from its files alone (`summary.json` and `agreement.csv`), as
/// [`compare_charts`] draws a comparison's.
pub fn seeds_charts(
    read: &dyn Fn(&str) -> std::result::Result<String, ReadError>,
    size: (u32, u32),
) -> std::result::Result<Vec<OutFile>, ChartError> {
    let summary = read_summary(&read("summary.json")?)?;
    let seeds: Vec<(u64, Option<u32>)> = summary
        .get("seeds")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            (
                s.get("seed").and_then(|v| v.as_u64()).unwrap_or(0),
                s.get("ceasefire_round")
                    .and_then(|v| v.as_u64())
                    .map(|r| r as u32),
            )
        })
        .collect();
    let rounds = summary.get("rounds").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
    let table = Table::parse("agreement.csv", &read("agreement.csv")?)?;
    let (cs, cr, ca) = (
        table.col("seed")?,
        table.col("round")?,
        table.col("agreement")?,
    );
    let mut lines: Vec<(u64, Vec<f64>, Option<u32>)> = seeds
        .iter()
        .map(|&(seed, reached)| (seed, vec![f64::NAN; rounds], reached))
        .collect();
    for (i, row) in table.rows.iter().enumerate() {
        let seed: u64 = table.count(row, cs)?;
        let round: usize = table.count(row, cr)?;
        let line = i as u64 + 2;
        let Some(series) = lines.iter_mut().find(|l| l.0 == seed) else {
            return Err(ReadError::UnknownSeed { line, seed }.into());
        };
        if !(1..=rounds).contains(&round) {
            return Err(ReadError::RoundOutOfRange {
                file: "agreement.csv",
                line,
                round,
                rounds,
            }
            .into());
        }
        series.1[round - 1] = table.num(row, ca)?;
    }
    let list: Vec<String> = seeds.iter().map(|s| s.0.to_string()).collect();
    let heading = Heading::from_summary(&summary, format!("seeds {}", list.join(", ")));
    Ok(render_files(
        &SeedsChart {
            heading: &heading,
            lines: &lines,
        },
        size,
    )?
    .into())
}

/// Check that `compare.csv` lists the variants of `summary.json`, in its order, by the same names and labels: the
/// chart's legend and its Δ come from the two files, so they must be of one comparison.
fn agree(table: &Table, variants: &[serde_json::Value]) -> std::result::Result<(), ReadError> {
    let (cv, cl) = (table.col("variant")?, table.col("label")?);
    if table.rows.len() != variants.len() {
        return Err(ReadError::Disagree {
            what: format!(
                "compare.csv lists {} variants, summary.json {}",
                table.rows.len(),
                variants.len()
            ),
        });
    }
    for (row, v) in table.rows.iter().zip(variants) {
        let text = |key: &str| text_of(v, key);
        let (name, label) = (&row.cells[cv], &row.cells[cl]);
        if *name != text("variant") || *label != text("label") {
            return Err(ReadError::Disagree {
                what: format!(
                    "compare.csv line {} names the variant `{name}` (\"{label}\"), summary.json `{}` (\"{}\")",
                    row.line,
                    text("variant"),
                    text("label")
                ),
            });
        }
    }
    Ok(())
}

/// A file's text among files just made, for the charts drawn from them.
pub(super) fn text_in(files: &[OutFile], name: &str) -> std::result::Result<String, ReadError> {
    files
        .iter()
        .find(|f| f.name == name)
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .ok_or_else(|| ReadError::Input {
            file: name.to_string(),
            source: crate::input::InputError::NotFound,
        })
}

/// `compare SCENARIO --seeds 1,2,3`: one scenario, a few seeds side by side.
fn compare_seeds(opts: &CompareOptions, seeds: &[u64]) -> Result<CompareReport> {
    if opts.shard.is_some() {
        return Err(UsageError::ShardSeeds.into());
    }
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
    let sc = super::load(&opts.scenarios[0], &opts.sets, None, None)?;
    let outcomes: Vec<RunOutcome> = seeds
        .iter()
        .map(|&seed| crate::ensemble::outcome(&sc, seed))
        .collect();
    let comparison = SeedsComparison {
        scenario: &sc,
        outcomes: &outcomes,
    };
    let mut files = export::files(
        &[
            &SeedsMarkdown,
            &SeedsCsv,
            &SeedsRoundsCsv,
            &SeedsSummaryJson,
        ],
        &comparison,
    )?;
    let list: Vec<String> = seeds.iter().map(u64::to_string).collect();
    if opts.output.charts {
        let charts = seeds_charts(&|name| text_in(&files, name), opts.output.size)?;
        files.extend(charts);
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
