//! Actor ids and roles, read first: modules, patronage and events refer to them.

use super::context::*;
use crate::scenario::limits::*;
use crate::scenario::raw::*;
use crate::scenario::*;

/// Every actor as parsed (with its place), and every actor's id and role.
pub(super) struct Roster {
    pub parsed: Vec<(Loc, Option<RawActor>)>,
    /// Id and role of each actor, in file order (a role that could not be read stands as a host).
    pub ids: Vec<(String, Role)>,
    /// Whether every actor was read with a known role: cross-checks that would only echo an earlier fault are
    /// skipped otherwise.
    pub complete: bool,
}

pub(super) fn roster(cx: &mut Ctx<'_>, raw: Vec<toml::Value>) -> Roster {
    // Actor ids and roles first: modules, patronage and events refer to them.
    let act_loc = Loc::root("actors");
    // Cross-checks that would only echo an earlier fault are skipped when a table failed to parse.
    let mut roster_ok = true;
    if raw.is_empty() {
        cx.err(
            &act_loc,
            "missing [[actors]]; expected the delegations at the table",
        );
    }
    if raw.len() > MAX_ACTORS {
        cx.err(
            &act_loc,
            format!("expected at most {MAX_ACTORS} actors, found {}", raw.len()),
        );
    }
    let mut raw_actors: Vec<(Loc, Option<RawActor>)> = Vec::new();
    let mut roster: Vec<(String, Role)> = Vec::new();
    for (i, value) in raw.into_iter().enumerate().take(MAX_ACTORS) {
        let at = act_loc.element(i, id_of(&value));
        // Ids and roles are read even from an actor with other faults, so references to it still resolve.
        let id = id_of(&value).unwrap_or_default().to_string();
        let role = value
            .get("role")
            .and_then(|r| r.as_str())
            .and_then(Role::parse);
        let a = cx.de::<RawActor>(&at, value);
        if a.is_none() {
            roster_ok = false;
            if role.is_none() {
                cx.unknown_roles.push(id.clone());
            }
        }
        let fallback = (id, role.unwrap_or(Role::Host));
        raw_actors.push((at, a));
        roster.push(fallback);
    }
    let parsed_roster = std::mem::take(&mut roster);
    for (i, (at, a)) in raw_actors.iter().enumerate() {
        let Some(a) = a else {
            roster.push(parsed_roster[i].clone());
            continue;
        };
        let aid = match &a.id {
            None => {
                cx.err(
                    at,
                    "missing `id`; expected upper-case letters, digits and '_', e.g. id = \"GOV\"",
                );
                String::new()
            }
            Some(aid) => {
                if !fields::IdRule::Actor.allows(aid) {
                    cx.err(
                        &at.field("id"),
                        format!(
                            "expected {}, found \"{}\"",
                            fields::IdRule::Actor.describe(),
                            aid.escape_debug()
                        ),
                    );
                }
                if let Some(first) = roster.iter().position(|(x, _)| x == aid) {
                    cx.duplicate(
                        &at.field("id"),
                        "actor",
                        aid,
                        &format!("actors[{first}].id"),
                    );
                }
                aid.clone()
            }
        };
        let role = match a.role.as_deref() {
            None => {
                let expected = either(&Role::WORDS, false);
                cx.err(at, format!("missing `role`; expected {expected}"));
                None
            }
            Some(r) => Role::parse(r).or_else(|| {
                cx.unknown_word(&at.field("role"), &Role::WORDS, false, "", r);
                None
            }),
        };
        // Without a role the actor's fields and the sides cannot be judged: that waits for the role.
        if role.is_none() {
            roster_ok = false;
            cx.unknown_roles.push(aid.clone());
        }
        let role = role.unwrap_or(Role::Host);
        roster.push((aid, role));
    }
    Roster {
        parsed: raw_actors,
        ids: roster,
        complete: roster_ok,
    }
}
