//! The shards of `compare`: each writes, per variant, the integer counts of its bands and of its pairing with the
//! baseline, and per seed the final agreement of every variant (`finals.csv`); the merge adds the counts and sums the
//! final agreements and their paired differences again in seed order, as the unsharded comparison did.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::batch::{kept_scenario, max_counts_bytes, read_json, read_kept};
use super::{Lines, Part, Partial, damaged, manifest};
use crate::app::compare::{CompareOptions, CompareReport, Variant, compare_files, simulate};
use crate::ensemble::{Bands, Paired};
use crate::error::{Error, Result};
use crate::export::Staging;
use crate::export::markdown::CompareMarkdown;
use crate::export::results::{Compared, Comparison, seeds_text};
use crate::shard::{
    COUNTS, CompareCounts, CompareManifest, CompareVariant, Counts, FINALS, PairedCounts, Shard,
    canonical_text, hash_of, scenario_of,
};

/// The file a shard keeps a variant's scenario in.
fn scenario_file(slug: &str) -> String {
    format!("scenario-{slug}.toml")
}

/// The header of `finals.csv`: `seed`, then each variant's name.
fn finals_header(c: &CompareManifest) -> String {
    let mut h = String::from("seed");
    for v in &c.variants {
        h.push(',');
        h.push_str(&v.slug);
    }
    h.push('\n');
    h
}

/// The content hash of a comparison: each variant's names and its scenario as it ran (`texts`, in order), and the
/// `--set` overrides of all.
fn compare_hash(c: &CompareManifest, texts: &[String]) -> String {
    let parts: Vec<String> = c
        .variants
        .iter()
        .zip(texts)
        .map(|(v, text)| {
            format!(
                "{}\0{}\0{}",
                v.slug,
                v.label,
                canonical_text(text, &v.overrides, v.scenario_label.as_deref())
            )
        })
        .chain([serde_json::json!(c.sets).to_string()])
        .collect();
    hash_of(parts.iter().map(String::as_str))
}

/// `compare --shard K/N`: simulate shard K's seeds of every variant and write its partial folder.
pub(crate) fn write_shard(
    opts: &CompareOptions,
    vs: &[Variant],
    first: u64,
    unsharded: &Path,
    shard: Shard,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<CompareReport> {
    let runs = shard.runs(opts.runs);
    let partial = Partial::new(unsharded, shard, &opts.output)?;
    let c = CompareManifest {
        sets: opts.sets.clone(),
        variants: vs
            .iter()
            .map(|v| CompareVariant {
                slug: v.slug.clone(),
                label: v.label.clone(),
                scenario: v.scenario.meta.id.clone(),
                overrides: v.scenario.overrides.clone(),
                scenario_label: v.scenario.label.clone(),
            })
            .collect(),
    };
    let path = partial.staging.path(FINALS)?;
    let io_err = |source: std::io::Error| Error::Write {
        path: path.clone(),
        source,
    };
    let mut finals = BufWriter::new(File::create(&path).map_err(io_err)?);
    finals
        .write_all(finals_header(&c).as_bytes())
        .map_err(io_err)?;
    let (bands, paired) = simulate(
        vs,
        first,
        runs.clone(),
        opts.threads,
        progress,
        |outcomes| {
            // `{}` of an f64 is the shortest decimal that reads back as the same number.
            let mut row = outcomes.first().map_or(0, |o| o.seed).to_string();
            for o in outcomes {
                row.push_str(&format!(",{}", o.final_agreement));
            }
            row.push('\n');
            finals.write_all(row.as_bytes()).map_err(io_err)
        },
    )?;
    finals.flush().map_err(io_err)?;
    drop(finals);
    let mut texts = Vec::new();
    for v in vs {
        let (text, _) = scenario_of(&v.scenario);
        partial
            .staging
            .write_bytes(&scenario_file(&v.slug), text.as_bytes())?;
        texts.push(text);
    }
    let counts = CompareCounts {
        variants: bands.iter().map(Counts::of).collect(),
        paired: paired.iter().skip(1).map(PairedCounts::of).collect(),
    };
    partial.json(COUNTS, &counts, false)?;
    let mut m = manifest(
        "compare",
        &vs[0].scenario.meta.id,
        compare_hash(&c, &texts),
        first,
        opts.runs,
        shard,
        runs.clone(),
        unsharded,
    );
    m.overrides = opts.sets.clone();
    m.compare = Some(c);
    let taken = (!runs.is_empty()).then(|| {
        format!(
            "runs {} ({}) of {} variants",
            crate::shard::span(runs.start, runs.end),
            seeds_text(first + runs.start, runs.end - runs.start),
            vs.len()
        )
    });
    let (folder, text) = partial.finish(
        &m,
        &vs[0].scenario.meta.title,
        &seeds_text(first, opts.runs),
        taken,
        "runs",
    )?;
    Ok(CompareReport { folder, text })
}

/// Merge the shards of a comparison into `staging`: the files the unsharded comparison writes; the text to print.
pub(crate) fn merge(
    parts: &[Part],
    staging: &Staging,
    output: &crate::app::Output,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<String> {
    let p0 = &parts[0];
    let m0 = &p0.manifest;
    let manifest_path = p0.file(crate::shard::MANIFEST);
    let c = p0.section(m0.compare.as_ref(), "compare")?;
    if !m0.folder.starts_with("compare-")
        || c.variants.first().map(|v| &v.scenario) != Some(&m0.scenario)
    {
        return Err(damaged(
            &manifest_path,
            format!(
                "its folder `{}` or scenario `{}` is not the comparison's",
                m0.folder, m0.scenario
            ),
        ));
    }
    if c.variants.len() < 2 {
        return Err(damaged(&manifest_path, "it lists fewer than two variants"));
    }
    // A variant's name becomes a file name: only the names compare makes.
    if let Some(v) = c
        .variants
        .iter()
        .find(|v| !crate::app::compare::is_variant_name(&v.slug))
    {
        return Err(damaged(
            &manifest_path,
            format!("`{}` is not a variant name compare writes", v.slug),
        ));
    }
    let mut texts = Vec::new();
    for v in &c.variants {
        texts.push(read_kept(&p0.file(&scenario_file(&v.slug)))?);
    }
    if compare_hash(c, &texts) != m0.scenario_hash {
        return Err(damaged(
            &manifest_path,
            format!(
                "its variants' scenarios do not have its scenario_hash {}",
                m0.scenario_hash
            ),
        ));
    }
    let mut scenarios = Vec::new();
    for (v, text) in c.variants.iter().zip(&texts) {
        let path = p0.file(&scenario_file(&v.slug));
        scenarios.push(kept_scenario(
            &path,
            text,
            &v.overrides,
            v.scenario_label.as_deref(),
            &v.scenario,
        )?);
    }
    let rounds: Vec<usize> = scenarios
        .iter()
        .map(|s| s.simulation.rounds as usize)
        .collect();
    let mut bands: Vec<Bands> = rounds.iter().map(|r| Bands::new(*r)).collect();
    let mut paired = vec![Paired::default(); c.variants.len()];
    let header = finals_header(c);
    let total = m0.runs;
    let mut next_seed = m0.first_seed;
    let mut done = 0u64;
    for p in parts {
        let expected = p.manifest.end_run - p.manifest.first_run;
        let counts_path = p.file(COUNTS);
        let max: u64 = rounds.iter().map(|r| max_counts_bytes(*r)).sum();
        let counts: CompareCounts = read_json(&counts_path, max)?;
        if counts.variants.len() != c.variants.len() || counts.paired.len() + 1 != c.variants.len()
        {
            return Err(damaged(
                &counts_path,
                format!(
                    "it counts {} variants and {} pairings, the comparison has {} variants",
                    counts.variants.len(),
                    counts.paired.len(),
                    c.variants.len()
                ),
            ));
        }
        for (i, counted) in counts.variants.iter().enumerate() {
            let b = counted
                .bands(rounds[i])
                .map_err(|why| damaged(&counts_path, format!("variant {}: {why}", i + 1)))?;
            let pairs = i.checked_sub(1).map_or(expected, |j| counts.paired[j].n);
            if b.runs != expected || pairs != expected {
                return Err(damaged(
                    &counts_path,
                    format!(
                        "variant {} counts {} runs, the shard ran {expected}",
                        i + 1,
                        b.runs.min(pairs)
                    ),
                ));
            }
            bands[i].merge_counts(&b);
            if i > 0 {
                let pairs = counts.paired[i - 1]
                    .paired()
                    .map_err(|why| damaged(&counts_path, format!("variant {}: {why}", i + 1)))?;
                paired[i].merge_counts(&pairs);
            }
        }
        let finals_path = p.file(FINALS);
        let mut lines = Lines::open(&finals_path)?;
        let mut line = Vec::new();
        if !lines.next(&mut line)? || line != header.as_bytes() {
            return Err(damaged(
                &finals_path,
                format!("its header is not `{}`", header.trim_end()),
            ));
        }
        let mut rows = 0u64;
        let mut values = vec![0.0; c.variants.len()];
        while let Some(fields) = lines.fields(&mut line)? {
            let at = format!("row {} (seed {next_seed})", rows + 1);
            if fields.len() != values.len() + 1 {
                return Err(damaged(
                    &finals_path,
                    format!("{at} has {} fields, not {}", fields.len(), values.len() + 1),
                ));
            }
            if fields[0].parse::<u64>().ok() != Some(next_seed) {
                return Err(damaged(
                    &finals_path,
                    format!(
                        "row {} holds seed {}, where seed {next_seed} belongs (a row is missing or out of place)",
                        rows + 1,
                        crate::input::visible(&fields[0])
                    ),
                ));
            }
            for (v, field) in values.iter_mut().zip(&fields[1..]) {
                *v = field.parse().map_err(|_| {
                    damaged(&finals_path, format!("{at}: `{field}` is not a number"))
                })?;
            }
            // The unsharded comparison's sums: the same values, added in the same (seed) order.
            for (i, v) in values.iter().enumerate() {
                bands[i].final_agreement_sum += v;
                if i > 0 {
                    paired[i].add_final(values[0], *v);
                }
            }
            rows += 1;
            done += 1;
            next_seed = next_seed.wrapping_add(1);
            if done.is_multiple_of(1024) {
                progress(done, total);
            }
        }
        if rows != expected {
            return Err(damaged(
                &finals_path,
                format!("it has {rows} rows, the shard ran {expected}"),
            ));
        }
    }
    let comparison = Comparison {
        first_seed: m0.first_seed,
        runs: total,
        sets: &c.sets,
        variants: c
            .variants
            .iter()
            .zip(&scenarios)
            .zip(bands.iter().zip(&paired))
            .map(|((v, scenario), (bands, paired))| Compared {
                label: &v.label,
                slug: &v.slug,
                scenario,
                bands,
                paired,
            })
            .collect(),
    };
    for f in compare_files(&comparison, output)? {
        staging.write(&f)?;
    }
    progress(total, total);
    let mut text = CompareMarkdown::text(&comparison);
    text.push('\n');
    Ok(text)
}
