//! `ceasefire report`: a one-file HTML handout of a comparison for a class (see [`crate::report`]).
//!
//! The scenarios and `--vary` variants are read exactly as `ceasefire compare` reads them; each variant is then run
//! against the baseline over the same seeds by [`crate::classroom`], so the handout's numbers are compare's numbers.
//! The file goes to `OUT/<baseline id>/report--<variant names>--seed-<S>-<R>[--set-<hash>].html`: inside the
//! baseline's folder, beside its `seed-N/` and `batch-S-R/` folders and never in their place, and named after every
//! variant, so that no variant's handout replaces another's.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::compare::{self, CompareOptions, MAX_VARIANTS, Variant};
use crate::classroom::{self, Question};
use crate::error::{Error, Result, UsageError};
use crate::report::{Handout, ScenarioRef, Section, WhyPart, handout, shell_word};
use crate::rng::fnv1a;
use crate::scenario::{Role, Scenario};

/// The longest file name a handout gets before its variant names are abbreviated (see [`file_name`]).
const MAX_NAME: usize = 150;

/// Options of `ceasefire report`.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// The baseline first, then other scenarios to compare with it.
    pub scenarios: Vec<String>,
    /// Variants of the baseline, as `compare --vary` reads them.
    pub varies: Vec<String>,
    pub runs: u64,
    pub seed: Option<u64>,
    /// Overrides of every side.
    pub sets: Vec<String>,
    /// The output folder.
    pub out: PathBuf,
}

/// What `report` did.
#[derive(Clone, Debug)]
pub struct ReportOutcome {
    /// Where the handout went.
    pub path: PathBuf,
    pub bytes: usize,
    /// One line for the terminal.
    pub text: String,
}

/// `report--<names>--seed-<S>-<R>`, then `--set-<hash>` of any `--set` overrides: `<names>` are the variants' names
/// (a scenario's id, a `--vary` label's slug or its overrides'), joined by `--`, or when too long their count and a
/// hash of them all.
fn file_name(opts: &ReportOptions, vs: &[Variant], first: u64) -> String {
    let names: Vec<&str> = vs[1..].iter().map(|v| v.slug.as_str()).collect();
    let seeds = format!("--seed-{first}-{}", opts.runs);
    let mut name = format!("report--{}", names.join("--"));
    if name.len() + seeds.len() > MAX_NAME {
        let all: Vec<String> = opts.scenarios[1..]
            .iter()
            .cloned()
            .chain(opts.varies.iter().cloned())
            .collect();
        name = format!(
            "report--{}-variants-{:08x}",
            names.len(),
            fnv1a(&all.join("\n")) as u32
        );
    }
    name.push_str(&seeds);
    if !opts.sets.is_empty() {
        name.push_str(&format!(
            "--set-{:08x}",
            fnv1a(&opts.sets.join("\n")) as u32
        ));
    }
    name.push_str(".html");
    name
}

/// The command that makes the same handout: every choice spelled out (the seed and the runs too), without `--out`,
/// which changes where the file goes and not what it holds.
fn command(opts: &ReportOptions, first: u64) -> String {
    let mut words = vec!["ceasefire".to_string(), "report".to_string()];
    words.extend(opts.scenarios.iter().map(|s| shell_word(s)));
    for v in &opts.varies {
        words.push("--vary".into());
        words.push(shell_word(v));
    }
    for s in &opts.sets {
        words.push("--set".into());
        words.push(shell_word(s));
    }
    words.extend([
        "--runs".into(),
        opts.runs.to_string(),
        "--seed".into(),
        first.to_string(),
    ]);
    words.join(" ")
}

/// What a variant changes from the baseline, one line each: another scenario, then its own overrides.
fn changed(v: &Variant, base: &Variant, sets: usize) -> Vec<String> {
    let mut out = Vec::new();
    if v.text != base.text {
        out.push(format!(
            "the scenario {} (“{}”) instead of {}",
            v.scenario.meta.id, v.scenario.meta.title, base.scenario.meta.id
        ));
    }
    // The `--set` overrides of every side come first; the rest are the variant's own.
    out.extend(v.scenario.overrides.iter().skip(sets).cloned());
    out
}

/// Why the baseline's parties (its actors of role `party`) voted as they did in `seed`, on both sides, in the round
/// the baseline's ceasefire was signed (`signed`), else its last. A vote that cannot be explained (a party the
/// variant made an observer, a round past the variant's end) says why instead.
fn why_part(q: &Question, seed: u64, signed: Option<u32>) -> WhyPart {
    let round = signed.unwrap_or(q.base.simulation.rounds);
    let parties: Vec<&str> = q
        .base
        .actors
        .iter()
        .filter(|a| a.role == Role::Party)
        .map(|a| a.id.as_str())
        .collect();
    let explain = |sc: &Scenario| -> Vec<String> {
        parties
            .iter()
            .map(|id| match crate::why::why(sc, seed, round, id) {
                Ok(w) => w.sentence,
                Err(e) => format!("{id}: no explanation: {e}."),
            })
            .collect()
    };
    WhyPart {
        round,
        signed: signed.is_some(),
        base: explain(&q.base),
        variant: explain(&q.variant),
    }
}

/// `ceasefire report`: the handout, written whole (a temporary file renamed into place).
pub fn report(opts: &ReportOptions) -> Result<ReportOutcome> {
    let found = opts.scenarios.len() + opts.varies.len();
    if found > MAX_VARIANTS {
        return Err(UsageError::Variants {
            found,
            max: MAX_VARIANTS,
        }
        .into());
    }
    let copts = CompareOptions {
        scenarios: opts.scenarios.clone(),
        varies: opts.varies.clone(),
        seeds: None,
        runs: opts.runs,
        seed: opts.seed,
        threads: 0,
        sets: opts.sets.clone(),
        shard: None,
        output: super::Output {
            out: opts.out.clone(),
            charts: true,
            size: classroom::WIDE,
        },
    };
    let vs = compare::variants(&copts)?;
    if vs.len() < 2 {
        return Err(UsageError::NothingToReport.into());
    }
    for v in &vs {
        super::batch::check_size(
            &v.scenario,
            opts.runs,
            None,
            "use --set simulation.rounds=10000 or fewer",
        )?;
    }
    let base = &vs[0];
    let first = opts.seed.unwrap_or(base.scenario.simulation.seed);
    crate::error::check_seed_range(first, opts.runs)?;
    let path = opts
        .out
        .join(&base.scenario.meta.id)
        .join(file_name(opts, &vs, first));

    let never = AtomicBool::new(false);
    let mut sections = Vec::new();
    for v in &vs[1..] {
        let q = Question {
            base: base.scenario.clone(),
            variant: v.scenario.clone(),
            label: v.label.clone(),
            first_seed: first,
            runs: opts.runs,
        };
        let Some(answer) = classroom::answer(&q, &never)? else {
            // Only a cancelled answer is missing, and nothing cancels this one.
            return Err(Error::Write {
                path,
                source: std::io::Error::other("the comparison was interrupted"),
            });
        };
        let history = classroom::one_history(&q, first)?;
        let why = why_part(&q, first, history.base.ceasefire_round);
        sections.push(Section {
            label: v.label.clone(),
            changed: changed(v, base, opts.sets.len()),
            lesson: (v.text != base.text && v.scenario.meta.lesson != base.scenario.meta.lesson)
                .then(|| (v.scenario.meta.id.clone(), v.scenario.meta.lesson.clone())),
            answer,
            history,
            why: Some(why),
        });
    }
    let mut scenarios: Vec<ScenarioRef> = Vec::new();
    for (given, v) in opts.scenarios.iter().zip(&vs) {
        scenarios.push(ScenarioRef {
            given: given.clone(),
            id: v.scenario.meta.id.clone(),
            hash: fnv1a(&v.text),
        });
    }
    let page = handout(&Handout {
        title: base.scenario.meta.title.clone(),
        lesson: base.scenario.meta.lesson.clone(),
        base_id: base.scenario.meta.id.clone(),
        round_label: base.scenario.simulation.round_label.clone(),
        sections,
        scenarios,
        first_seed: first,
        runs: opts.runs,
        sets: opts.sets.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        command: command(opts, first),
        command_note: None,
    });
    crate::export::replace_file(&path, page.as_bytes())?;
    Ok(ReportOutcome {
        text: format!(
            "Handout ({} KB) in {}\n",
            page.len().div_ceil(1024),
            path.display()
        ),
        bytes: page.len(),
        path,
    })
}

/// The explorer's view as given to [`explorer_handout`]: the names the page picked them by and the scenarios' texts.
pub struct ExplorerView<'a> {
    pub question: &'a Question,
    /// The baseline as the page names it (a bundled name, or the file given to `serve`) and its text.
    pub base: (&'a str, &'a str),
    /// The scenario the variant starts from, when not the baseline.
    pub start: Option<(&'a str, &'a str)>,
    /// The variant's own overrides.
    pub changes: &'a [String],
    /// The label the teacher typed, if any.
    pub label: Option<&'a str>,
    /// The seed of the one history and the why.
    pub history_seed: u64,
}

/// The handout of the explorer's current view (its **Handout** button): the page `ceasefire report` writes for the
/// same question, with the command that makes it again, and the file name to save it as. A view that changes
/// nothing has no handout (the same error as `report` without a variant).
pub fn explorer_handout(view: &ExplorerView<'_>) -> Result<(String, String)> {
    let q = view.question;
    if view.start.is_none() && view.changes.is_empty() {
        return Err(UsageError::NothingToReport.into());
    }
    let answer = classroom::answer(q, &AtomicBool::new(false))?.ok_or_else(|| Error::Threads {
        reason: "the comparison was interrupted".into(),
    })?;
    let history = classroom::one_history(q, view.history_seed)?;
    let why = why_part(q, view.history_seed, history.base.ceasefire_round);
    let mut changed = Vec::new();
    if let Some((name, _)) = view.start {
        changed.push(format!(
            "the scenario {} (“{}”) instead of {}",
            name, q.variant.meta.title, view.base.0
        ));
    }
    changed.extend(view.changes.iter().cloned());
    let other_lesson = view
        .start
        .filter(|(_, text)| *text != view.base.1)
        .filter(|_| q.variant.meta.lesson != q.base.meta.lesson)
        .map(|_| (q.variant.meta.id.clone(), q.variant.meta.lesson.clone()));
    let mut words = vec![
        "ceasefire".to_string(),
        "report".to_string(),
        shell_word(view.base.0),
    ];
    match (view.start, view.changes.is_empty()) {
        (None, _) => {
            let overrides = view.changes.join("; ");
            let vary = match view.label {
                Some(l) => format!("{l}: {overrides}"),
                None => overrides,
            };
            words.extend(["--vary".to_string(), shell_word(&vary)]);
        }
        (Some((name, _)), true) => words.push(shell_word(name)),
        // A variant of another scenario with changes of its own: the file the page's "Scenario TOML" saves.
        (Some(_), false) => words.push(format!(
            "{}{}.toml",
            q.variant.meta.id,
            super::variant::folder_suffix(&q.variant)
        )),
    }
    words.extend([
        "--runs".into(),
        q.runs.to_string(),
        "--seed".into(),
        q.first_seed.to_string(),
    ]);
    let mut scenarios = vec![ScenarioRef {
        given: view.base.0.to_string(),
        id: q.base.meta.id.clone(),
        hash: fnv1a(view.base.1),
    }];
    if let Some((name, text)) = view.start {
        scenarios.push(ScenarioRef {
            given: name.to_string(),
            id: q.variant.meta.id.clone(),
            hash: fnv1a(text),
        });
    }
    let page = handout(&Handout {
        title: q.base.meta.title.clone(),
        lesson: q.base.meta.lesson.clone(),
        base_id: q.base.meta.id.clone(),
        round_label: q.base.simulation.round_label.clone(),
        sections: vec![Section {
            label: q.label.clone(),
            changed,
            lesson: other_lesson,
            answer,
            history,
            why: Some(why),
        }],
        scenarios,
        first_seed: q.first_seed,
        runs: q.runs,
        sets: Vec::new(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        command: words.join(" "),
        command_note: (view.start.is_some() && !view.changes.is_empty()).then(|| {
            "with the variant saved by the explorer's Scenario TOML button under that name, it gives the same \
             numbers and charts; the handout then names the variant and its changes as the file does"
                .to_string()
        }),
    });
    let file = format!(
        "{}--report--{}--seed-{}-{}.html",
        q.base.meta.id,
        super::variant::slug(&q.label),
        q.first_seed,
        q.runs
    );
    Ok((file, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(scenarios: &[&str], varies: &[&str]) -> ReportOptions {
        ReportOptions {
            scenarios: scenarios.iter().map(|s| s.to_string()).collect(),
            varies: varies.iter().map(|s| s.to_string()).collect(),
            runs: 1000,
            seed: None,
            sets: vec![],
            out: PathBuf::from("output"),
        }
    }

    #[test]
    fn the_file_is_named_after_the_variants_and_the_seeds() {
        let o = opts(
            &["astana-2017"],
            &["Iran as observer: actors.IRN.role=observer"],
        );
        let vs = compare::variants(&CompareOptions {
            scenarios: o.scenarios.clone(),
            varies: o.varies.clone(),
            seeds: None,
            runs: 1000,
            seed: None,
            threads: 0,
            sets: vec![],
            shard: None,
            output: super::super::Output {
                out: o.out.clone(),
                charts: false,
                size: (1600, 900),
            },
        })
        .unwrap();
        assert_eq!(
            file_name(&o, &vs, 20170504),
            "report--iran-as-observer--seed-20170504-1000.html"
        );
        assert_eq!(
            command(&o, 20170504),
            "ceasefire report astana-2017 --vary 'Iran as observer: actors.IRN.role=observer' --runs 1000 --seed 20170504"
        );
        assert_eq!(
            changed(&vs[1], &vs[0], 0),
            ["actors.IRN.role=observer".to_string()]
        );
    }

    #[test]
    fn a_report_needs_a_variant() {
        let e = report(&opts(&["astana-2017"], &[])).unwrap_err();
        assert!(
            matches!(e, Error::Usage(UsageError::NothingToReport)),
            "{e}"
        );
    }
}
