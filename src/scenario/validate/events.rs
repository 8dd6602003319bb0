//! `[[events]]`: scheduled and random shocks.

use super::context::*;
use crate::scenario::fields;
use crate::scenario::limits::*;
use crate::scenario::raw::*;
use crate::scenario::*;

pub(super) fn events(
    cx: &mut Ctx<'_>,
    raw: Vec<toml::Value>,
    roster: &[(String, Role)],
) -> Vec<Event> {
    // [[events]]
    let ev_loc = Loc::root("events");
    if raw.len() > MAX_EVENTS {
        cx.err(
            &ev_loc,
            format!("expected at most {MAX_EVENTS} events, found {}", raw.len()),
        );
    }
    let mut events = Vec::new();
    for (i, value) in raw.into_iter().enumerate().take(MAX_EVENTS) {
        let at = ev_loc.element(i, None);
        let Some(e) = cx.de::<RawEvent>(&at, value) else {
            continue;
        };
        if let Some(ev) = event(cx, &at, e, roster) {
            events.push(ev);
        }
    }
    events
}

fn event(cx: &mut Ctx<'_>, at: &Loc, e: RawEvent, roster: &[(String, Role)]) -> Option<Event> {
    let expected = || either(&EventKind::WORDS, false);
    let kind = match e.kind.as_deref() {
        Some(word) => match EventKind::parse(word) {
            Some(kind) => kind,
            None => {
                cx.unknown_word(&at.field("kind"), &EventKind::WORDS, false, "", word);
                return None;
            }
        },
        None => {
            cx.err(at, format!("missing `kind`; expected {}", expected()));
            return None;
        }
    };
    let target = match &e.target {
        None => {
            cx.err(at, "missing `target`; expected an actor id");
            None
        }
        Some(t) => cx.actor_ref(&at.field("target"), t, roster),
    };
    let timing = match (e.round, e.probability) {
        (Some(_), Some(_)) => {
            cx.err(at, "expected either `round` (scheduled) or `probability` (a chance each round), not both");
            None
        }
        (None, None) => {
            cx.err(
                at,
                "missing `round` or `probability`; expected exactly one of the two",
            );
            None
        }
        (Some(r), None) => {
            Some(Timing::Round(
                cx.int(&at.field("round"), Some(r), &fields::EVENT_ROUND) as u32,
            ))
        }
        (None, Some(p)) => Some(Timing::Probability(cx.field_num(
            &at.field("probability"),
            Some(p),
            &fields::EVENT_PROBABILITY,
        ))),
    };
    if e.duration.is_some() && kind != EventKind::Boycott {
        cx.err_key(&at.field("duration"), "`duration` is for boycotts only");
    }
    let duration = cx.int(&at.field("duration"), e.duration, &fields::EVENT_DURATION) as u32;
    let needs_magnitude = matches!(
        kind,
        EventKind::CapabilityShift | EventKind::HurtShock | EventKind::TrustShock
    );
    let magnitude = match (&e.magnitude, needs_magnitude) {
        (None, true) => {
            cx.err(
                at,
                format!(
                    "missing `magnitude`; a {} needs a number or a distribution",
                    kind.as_str()
                ),
            );
            Param::Fixed(0.0)
        }
        (Some(_), false) => {
            cx.err_key(
                &at.field("magnitude"),
                format!("a {} has no magnitude", kind.as_str()),
            );
            Param::Fixed(0.0)
        }
        (m, _) => {
            let range = if kind == EventKind::TrustShock {
                fields::TRUST_SHOCK_MAGNITUDE
            } else {
                fields::EVENT_MAGNITUDE.range()
            };
            cx.param(&at.field("magnitude"), m.as_ref(), 0.0, range)
        }
    };
    let guarantor = match (&e.guarantor, kind) {
        (None, EventKind::TrustShock) => {
            cx.err(
                at,
                "missing `guarantor`; a trust_shock changes a party's trust in one guarantor",
            );
            None
        }
        (Some(_), k) if k != EventKind::TrustShock => {
            cx.err_key(
                &at.field("guarantor"),
                "`guarantor` is for trust_shock events only",
            );
            None
        }
        (Some(g), _) => {
            let gi = cx.actor_ref(&at.field("guarantor"), g, roster);
            if let Some(k) = gi {
                cx.want_role(
                    &at.field("guarantor"),
                    roster[k].1,
                    &[Role::Guarantor],
                    "a guarantor",
                    g,
                );
            }
            gi
        }
        (None, _) => None,
    };
    let target = target?;
    let trole = roster[target].1;
    let ok = match kind {
        EventKind::TrustShock | EventKind::Violation => trole == Role::Party,
        EventKind::Boycott => matches!(
            trole,
            Role::Guarantor | Role::Party | Role::Observer | Role::Mediator
        ),
        EventKind::CapabilityShift | EventKind::HurtShock => trole != Role::Host,
    };
    if !ok {
        let want = match kind {
            EventKind::TrustShock | EventKind::Violation => "a party",
            EventKind::Boycott => "a voter",
            _ => "an actor other than the host",
        };
        cx.err(
            &at.field("target"),
            format!(
                "a {} needs {want} as target, found \"{}\", {}",
                kind.as_str(),
                roster[target].0,
                article(trole)
            ),
        );
    }
    Some(Event {
        kind,
        target,
        timing: timing?,
        duration,
        magnitude,
        guarantor,
        label: e.label.map(|l| cx.text(&at.field("label"), Some(l), "")),
    })
}
