//! `[[history]]`: real, dated events of the history a scenario is about, drawn on the agreement chart beside the
//! simulated run. The simulation never reads them; they are checked like every other table.

use super::context::*;
use crate::scenario::error::IssueKind;
use crate::scenario::fields;
use crate::scenario::limits::MAX_HISTORY;
use crate::scenario::raw::RawHistory;
use crate::scenario::*;

/// What `[[history]]` needs of `[simulation]`: its number of rounds, when it was read without fault, and whether
/// an override (`--rounds`, `--set simulation.rounds=…`) gave it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Horizon {
    pub(super) rounds: Option<u32>,
    pub(super) overridden: bool,
}

pub(super) fn history(
    cx: &mut Ctx<'_>,
    raw: Vec<toml::Value>,
    horizon: Horizon,
    round_label: &str,
) -> Vec<History> {
    let loc = Loc::root("history");
    if raw.len() > MAX_HISTORY {
        cx.err(
            &loc,
            format!(
                "expected at most {MAX_HISTORY} history entries, found {}",
                raw.len()
            ),
        );
    }
    let mut out = Vec::new();
    for (i, value) in raw.into_iter().enumerate().take(MAX_HISTORY) {
        let at = loc.element(i, None);
        let before = cx.issues.len();
        let Some(h) = cx.de::<RawHistory>(&at, value) else {
            continue;
        };
        // A misspelt key (`lable`) is reported with what it probably meant; that key is then not missing too.
        let meant: Vec<String> = cx.issues[before..]
            .iter()
            .filter_map(|i| match &i.kind {
                IssueKind::UnknownKey {
                    suggestion: Some(s),
                    ..
                } => Some(s.clone()),
                _ => None,
            })
            .collect();
        if let Some(entry) = entry(cx, &at, h, horizon, round_label, &meant) {
            out.push(entry);
        }
    }
    out
}

fn entry(
    cx: &mut Ctx<'_>,
    at: &Loc,
    h: RawHistory,
    horizon: Horizon,
    round_label: &str,
    meant: &[String],
) -> Option<History> {
    let meant = |key: &str| meant.iter().any(|m| m == key);
    let label = match h.label {
        None if meant("label") => None,
        None => {
            cx.err(
                at,
                "missing `label`; expected what happened, e.g. label = \"2017: memorandum signed\"",
            );
            None
        }
        Some(l) if l.trim().is_empty() => {
            cx.err(
                &at.field("label"),
                "expected a non-empty label saying what happened, e.g. \"2017: memorandum signed\"",
            );
            None
        }
        Some(l) => Some(cx.text(&at.field("label"), Some(l), "")),
    };
    let within = |rounds: Option<u32>| match rounds {
        Some(n) => format!("an integer in 1..={n}"),
        None => format!(
            "an integer {}",
            fields::HISTORY_ROUND.range().describe_integers()
        ),
    };
    let round_at = at.field("round");
    let round = match h.round {
        None if meant("round") => None,
        None => {
            cx.err(
                at,
                format!(
                    "missing `round`; expected {} (the {round_label} in which the real event happened)",
                    within(horizon.rounds)
                ),
            );
            None
        }
        Some(r) if r < 1 => {
            cx.err(
                &round_at,
                IssueKind::Rule(format!(
                    "expected {}, found {r}; {round_label}s count from 1",
                    within(horizon.rounds)
                )),
            );
            None
        }
        Some(r) => match horizon.rounds {
            // Beyond the horizon the override chose (`--rounds 10`): the real event falls outside this run and is
            // left out, unless an override put it there.
            Some(n) if r > i64::from(n) && horizon.overridden && !cx.overridden(&round_at) => {
                return None;
            }
            Some(n) if r > i64::from(n) => {
                cx.err(
                    &round_at,
                    format!(
                        "expected an integer in 1..={n}, found {r}: beyond the horizon of {n} {round_label}s \
                         (simulation.rounds); a real event after the last {round_label} cannot be drawn, so leave it \
                         out or raise simulation.rounds"
                    ),
                );
                None
            }
            _ => Some(cx.int(&round_at, Some(r), &fields::HISTORY_ROUND) as u32),
        },
    };
    Some(History {
        round: round?,
        label: label?,
    })
}
