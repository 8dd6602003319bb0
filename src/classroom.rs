//! What the classroom explorer (`ceasefire serve`) and the handout (`ceasefire report`) show: a baseline and one
//! variant over the same seeds, as a sentence, numbers with their intervals and SVG charts, and one seed of each side
//! by side. Both draw with the chart code of the files ([`crate::chart`]), from the same bytes the files hold
//! (`bands.csv`, a run's five tables), so a page, a handout and a results folder show the same pictures.

use std::sync::atomic::AtomicBool;

use crate::app::variant;
use crate::chart::data::RunData;
use crate::chart::ensemble::{BandsData, Delta, FanChart, Heading, ReachedChart};
use crate::chart::theme::{Chart, render_svg};
use crate::chart::{ChartError, agreement::AgreementChart, votes::VotesChart};
use crate::ensemble::Bands;
use crate::error::{Error, Result, UsageError};
use crate::explore::{Exploration, explore};
use crate::export::{self, Export, OutFile, RunView, ensemble::BandsCsv};
use crate::scenario::overrides::Set;
use crate::scenario::{self, Scenario};
use crate::summary::Summary;

/// The most seeds one live answer runs for each side: a bound on what one request may cost.
pub const MAX_RUNS: u64 = 10_000;

/// The most rounds one live answer simulates, both sides and every seed together (10,000 seeds of 200 rounds,
/// twice): a few seconds of work at most, whatever the scenario.
pub const MAX_ROUNDS_SIMULATED: u64 = 4_000_000;

/// The size the page and the handout draw the ensemble charts at (16:9, as the files).
pub const WIDE: (u32, u32) = (1600, 900);

/// The size of the fan charts shown side by side: nearly square, so that their text, which scales with the height,
/// stays readable at half the page's width.
pub const PANEL: (u32, u32) = (1000, 900);

/// A scenario text and the name its messages give it (a bundled name or a file's path).
pub use crate::scenario::load::Source;

/// What a teacher asked: a baseline, a variant of it (optionally starting from another scenario, such as a bundled
/// variant), and the seeds.
#[derive(Clone, Debug)]
pub struct Question {
    pub base: Scenario,
    pub variant: Scenario,
    /// The variant's name in words ("Iran as observer"), as the sentence, the legends and the handout give it.
    pub label: String,
    pub first_seed: u64,
    pub runs: u64,
}

impl Question {
    /// Load both sides and check the seeds and the cost. `start` is the variant's scenario before `sets` (the base
    /// when `None`); `label` names the variant (else the start's `meta.variant`, else its overrides). Every value goes
    /// through the same validator as a scenario file; the errors are the same as on the command line.
    pub fn new(
        base: &Source,
        start: Option<&Source>,
        label: Option<&str>,
        sets: &[String],
        first_seed: Option<u64>,
        runs: u64,
    ) -> Result<Question> {
        if !(1..=MAX_RUNS).contains(&runs) {
            return Err(UsageError::Runs {
                runs,
                max: MAX_RUNS,
            }
            .into());
        }
        let label = label
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(variant::check_label)
            .transpose()?;
        let base_sc = scenario::load_source(&base.name, &base.text, &[])?;
        let start = start.unwrap_or(base);
        let mut variant_sc =
            scenario::load_source_given(&start.name, &start.text, &Set::flags(sets))?;
        if label.is_some() {
            variant_sc.label = label;
        }
        for sc in [&base_sc, &variant_sc] {
            crate::app::batch::check_size(
                sc,
                runs,
                None,
                "set simulation.rounds to 10000 or fewer",
            )?;
        }
        let first_seed = first_seed.unwrap_or(base_sc.simulation.seed);
        crate::error::check_seed_range(first_seed, runs)?;
        let simulated = runs.saturating_mul(
            u64::from(base_sc.simulation.rounds) + u64::from(variant_sc.simulation.rounds),
        );
        if simulated > MAX_ROUNDS_SIMULATED {
            return Err(UsageError::LiveWork {
                runs,
                rounds: base_sc.simulation.rounds.max(variant_sc.simulation.rounds),
                max: MAX_ROUNDS_SIMULATED,
            }
            .into());
        }
        let unchanged = sets.is_empty() && start.text == base.text;
        let label = match variant_sc.changes() {
            // A file that names itself a variant (`meta.variant`) is, compared with itself, unchanged.
            _ if unchanged => "nothing changed".to_string(),
            c if c.is_empty() => variant_sc.meta.id.clone(),
            c => c,
        };
        Ok(Question {
            base: base_sc,
            variant: variant_sc,
            label,
            first_seed,
            runs,
        })
    }
}

/// One side's numbers, each with its 95 % interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Numbers {
    /// P(ceasefire reached within the horizon): (estimate, low, high).
    pub p_reached: (f64, f64, f64),
    pub p_in_force_at_end: (f64, f64, f64),
    pub median_round: Option<u32>,
    pub mean_final_agreement: f64,
}

impl Numbers {
    fn of(b: &Bands) -> Numbers {
        Numbers {
            p_reached: b.p_reached_ci(),
            p_in_force_at_end: b.p_in_force_at_end(),
            median_round: b.median_ceasefire_round(),
            mean_final_agreement: b.mean_final_agreement(),
        }
    }
}

/// The answer to a [`Question`] across its seeds.
#[derive(Clone, Debug)]
pub struct Answer {
    /// "Iran as observer: −28.9 points [−31.7, −26.0] chance of a ceasefire by week 50 (79 % → 50 %); median week +3".
    pub sentence: String,
    pub seeds: String,
    pub base: Numbers,
    pub variant: Numbers,
    /// The paired difference in P(reached), variant − baseline: (Δ, low, high).
    pub delta: (f64, f64, f64),
    /// P(ceasefire by week t) of both with their bands, and each side's fan chart.
    pub reached_svg: String,
    pub fan_base_svg: String,
    pub fan_variant_svg: String,
}

/// Run both sides over the question's seeds and draw; `None` as soon as `cancel` is set (a newer question came).
pub fn answer(q: &Question, cancel: &AtomicBool) -> Result<Option<Answer>> {
    let Some(e) = explore(&q.base, &q.variant, q.first_seed, q.runs, cancel) else {
        return Ok(None);
    };
    answer_of(q, &e).map(Some)
}

/// Draw the answer of an exploration already run.
pub fn answer_of(q: &Question, e: &Exploration) -> Result<Answer> {
    let round_label = &q.base.simulation.round_label;
    let seeds = export::results::seeds_text(e.first_seed, e.runs);
    // Through bands.csv, as the files are drawn.
    let bands_data = |name: &str, bands: &Bands| -> Result<BandsData> {
        let file = BandsCsv.export_as("bands.csv", bands)?;
        Ok(BandsData::parse(name, &text(&file)).map_err(ChartError::from)?)
    };
    let both = [
        bands_data(&q.base.meta.id, &e.base)?,
        bands_data(&q.label, &e.variant)?,
    ];
    let delta: Delta = e.paired.delta_reached();
    let heading = |changed: String| Heading {
        title: q.base.meta.title.clone(),
        changed,
        seeds: format!("{seeds}, shared by both"),
        round_label: round_label.clone(),
    };
    // The legend names both sides; the subtitle names what both share (nothing here), as `compare`'s does.
    let compared = heading(String::new());
    let reached_svg = svg(
        &ReachedChart {
            heading: &compared,
            bands: &both,
            deltas: &[None, Some(delta)],
            name: "compare-reached",
        },
        WIDE,
    )?;
    let fan = |heading: &Heading, bands: &BandsData| {
        svg(
            &FanChart {
                heading,
                bands: std::slice::from_ref(bands),
                name: "fan",
            },
            PANEL,
        )
    };
    let base_heading = heading(q.base.changes());
    let variant_heading = heading(q.label.clone());
    Ok(Answer {
        sentence: e.sentence(&q.label, round_label),
        seeds,
        base: Numbers::of(&e.base),
        variant: Numbers::of(&e.variant),
        delta,
        reached_svg,
        fan_base_svg: fan(&base_heading, &both[0])?,
        fan_variant_svg: fan(&variant_heading, &both[1])?,
    })
}

/// One seed of one side: its charts and its summary in words.
#[derive(Clone, Debug)]
pub struct OneRun {
    pub agreement_svg: String,
    pub votes_svg: String,
    /// "Ceasefire reached in week 19, in force at the end (collapses: 0)." and the rest of `ceasefire run`'s text.
    pub text: String,
    pub ceasefire_round: Option<u32>,
}

/// The same seed of both sides, side by side.
#[derive(Clone, Debug)]
pub struct OneHistory {
    pub seed: u64,
    pub base: OneRun,
    pub variant: OneRun,
}

/// Run `seed` of both sides and draw their agreement and votes charts from the run's own files.
pub fn one_history(q: &Question, seed: u64) -> Result<OneHistory> {
    Ok(OneHistory {
        seed,
        base: one_run(&q.base, seed)?,
        variant: one_run(&q.variant, seed)?,
    })
}

fn one_run(sc: &Scenario, seed: u64) -> Result<OneRun> {
    let trace = crate::engine::run(sc, seed);
    let summary = Summary::new(sc, &trace);
    let files = export::run_files(&RunView {
        scenario: sc,
        trace: &trace,
        summary: &summary,
    })?;
    let named = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .map(text)
            .unwrap_or_default()
    };
    let run = RunData::parse(
        &named("rounds.csv"),
        &named("actors.csv"),
        &named("events.csv"),
        &named("summary.json"),
        &named("drawn.toml"),
    )
    .map_err(ChartError::from)?;
    Ok(OneRun {
        // The files' own size: the run charts' legends and labels need its width to be shown whole.
        agreement_svg: svg(&AgreementChart { run: &run }, WIDE)?,
        votes_svg: svg(&VotesChart { run: &run }, WIDE)?,
        text: summary.human(sc),
        ceasefire_round: run.ceasefire_round,
    })
}

fn text(file: &OutFile) -> String {
    String::from_utf8_lossy(&file.bytes).into_owned()
}

fn svg<C: Chart>(chart: &C, size: (u32, u32)) -> Result<String> {
    render_svg(chart, size.0, size.1).map_err(|source| {
        Error::Chart(ChartError::Draw {
            chart: chart.name(),
            source,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled(name: &str) -> Source {
        Source {
            name: name.into(),
            text: scenario::bundled::text(name).unwrap().into(),
        }
    }

    fn iran_observer(runs: u64) -> Question {
        Question::new(
            &bundled("astana-2017"),
            None,
            Some("Iran as observer"),
            &["actors.IRN.role=observer".into()],
            None,
            runs,
        )
        .unwrap()
    }

    #[test]
    fn the_answer_is_compares_sentence_and_draws_three_charts() {
        let q = iran_observer(1000);
        let a = answer(&q, &AtomicBool::new(false)).unwrap().unwrap();
        assert!(
            a.sentence.starts_with(
                "Iran as observer: −28.9 points [−31.7, −26.0] chance of a ceasefire by week 50"
            ),
            "{}",
            a.sentence
        );
        assert!(a.base.p_reached.0 > a.variant.p_reached.0);
        for svg in [&a.reached_svg, &a.fan_base_svg, &a.fan_variant_svg] {
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            assert!(svg.contains("Astana"), "the title is drawn");
            assert!(!svg.contains('…'), "a text is cut short");
        }
        assert!(a.reached_svg.contains("Iran as observer"));
    }

    #[test]
    fn a_bad_value_is_refused_with_the_validators_message() {
        let e = Question::new(
            &bundled("astana-2017"),
            None,
            None,
            &["actors.GOV.commitment_risk=2".into()],
            None,
            100,
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("actors.GOV.commitment_risk"), "{text}");
        for runs in [0, MAX_RUNS + 1] {
            let e = Question::new(&bundled("astana-2017"), None, None, &[], None, runs);
            assert!(matches!(e, Err(Error::Usage(UsageError::Runs { .. }))));
        }
        let long = Question::new(
            &bundled("astana-2017"),
            None,
            None,
            &["simulation.rounds=5000".into()],
            None,
            1000,
        );
        assert!(
            matches!(long, Err(Error::Usage(UsageError::LiveWork { .. }))),
            "{long:?}"
        );
    }

    #[test]
    fn one_history_runs_the_same_seed_of_both() {
        let q = iran_observer(10);
        let h = one_history(&q, 20170504).unwrap();
        assert_eq!(h.base.ceasefire_round, Some(19));
        assert!(h.base.text.contains("week 19"), "{}", h.base.text);
        assert!(h.variant.agreement_svg.contains("Iran as observer"));
        for r in [&h.base, &h.variant] {
            for svg in [&r.agreement_svg, &r.votes_svg] {
                assert!(!svg.contains('…'), "a text is cut short");
            }
        }
    }
}
