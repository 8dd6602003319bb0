//! `[[actors]]` in full: each actor's fields by its role, then the rules across actors (the sides, salience in
//! every module).

use super::context::*;
use super::dimensions::Dimensions;
use crate::scenario::fields;
use crate::scenario::raw::*;
use crate::scenario::*;

/// The actors read (those with a known role), and what later checks need to know of them.
pub(super) struct Actors {
    pub list: Vec<Actor>,
    /// Per actor in `list`: whether its saliences were read without fault.
    pub salience_ok: Vec<bool>,
    /// Whether every actor's side is a known word.
    pub sides_known: bool,
}

/// Every actor whose role is known. The structure of the sides is judged only when every side is a known word.
pub(super) fn actors(
    cx: &mut Ctx<'_>,
    parsed: Vec<(Loc, Option<RawActor>)>,
    roster: &[(String, Role)],
    dims: &Dimensions,
    rounds: u32,
) -> Actors {
    // Actors in full. The structure of the sides is judged only when every side is a known word.
    let sides_ok = parsed.iter().all(|(_, a)| {
        a.as_ref()
            .is_none_or(|a| Side::parse_declared(a.side.as_deref()).is_some())
    });
    let mut actors = Vec::new();
    let mut salience_ok = Vec::new();
    for (i, (at, a)) in parsed.into_iter().enumerate() {
        let Some(a) = a else { continue };
        let (aid, role) = roster[i].clone();
        if cx.unknown_roles.contains(&aid) {
            continue;
        }
        let (actor, salience_read) = actor(cx, &at, a, aid, role, dims, roster, rounds);
        actors.push(actor);
        salience_ok.push(salience_read);
    }
    Actors {
        list: actors,
        salience_ok,
        sides_known: sides_ok,
    }
}

/// Every side in use has exactly one principal party, and a contest needs both sides (judged only when `judge`:
/// every actor and every side was read).
pub(super) fn sides(cx: &mut Ctx<'_>, actors: &[Actor], judge: bool) {
    let act_loc = Loc::root("actors");
    // Sides: every side in use has exactly one principal party, and a contest needs both sides.
    let fights_on =
        |a: &Actor, side: Side| a.side == side && !matches!(a.role, Role::Host | Role::Spoiler);
    let in_use = |side: Side| actors.iter().any(|a| fights_on(a, side));
    for side in [Side::Gov, Side::Opp] {
        if !in_use(side) || !judge {
            continue;
        }
        let principals: Vec<usize> = (0..actors.len())
            .filter(|&i| actors[i].side == side && actors[i].principal)
            .collect();
        if principals.len() != 1 {
            let names: Vec<&str> = principals.iter().map(|&i| actors[i].id.as_str()).collect();
            // Point at the second principal, or at the first actor on the side when there is none.
            let (i, field, found) = match principals.get(1) {
                Some(&i) => (i, "principal", names.join(", ")),
                None => {
                    let first = actors.iter().position(|a| fights_on(a, side)).unwrap_or(0);
                    (first, "side", "none".to_string())
                }
            };
            let at = act_loc.element(i, Some(&actors[i].id)).field(field);
            cx.err(&at, format!("side \"{}\" is in use, so it needs exactly one party with principal = true; found {found}", side.as_str()));
        }
        if !in_use(side.other()) {
            let first = actors.iter().position(|a| fights_on(a, side)).unwrap_or(0);
            let at = act_loc
                .element(first, Some(&actors[first].id))
                .field("side");
            cx.err(&at, format!("side \"{}\" is in use but side \"{}\" is not: fighting on needs two sides (use side = \"none\" and a reservation for actors outside the war)", side.as_str(), side.other().as_str()));
        }
    }
}

/// Voters need some salience in each module (else every text is perfect to them).
pub(super) fn salience_in_every_module(
    cx: &mut Ctx<'_>,
    actors: &Actors,
    modules: &[Module],
    roster: &[(String, Role)],
    ndim: usize,
) {
    let act_loc = Loc::root("actors");
    // Voters need some salience in each module (else every text is perfect to them).
    for (k, a) in actors.list.iter().enumerate() {
        if !a.is_voter() || a.salience.len() != ndim {
            continue;
        }
        for m in modules {
            let i = roster.iter().position(|(x, _)| *x == a.id).unwrap_or(0);
            let here = act_loc.element(i, Some(&a.id)).field("salience");
            let faulty = !actors.salience_ok[k];
            if !faulty
                && !m.dimensions.is_empty()
                && m.dimensions.iter().all(|&k| a.salience[k].centre() <= 0.0)
            {
                cx.err(
                    &here,
                    format!(
                        "a voter needs salience > 0 on some dimension of module \"{}\"",
                        m.id
                    ),
                );
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn actor(
    cx: &mut Ctx<'_>,
    at: &Loc,
    a: RawActor,
    id: String,
    role: Role,
    dims: &Dimensions,
    roster: &[(String, Role)],
    rounds: u32,
) -> (Actor, bool) {
    let (side, side_ok) = side_of(cx, at, &a);
    role_fields(cx, at, &a, role, side, side_ok);
    let is = |r: Role| role == r;
    let voice = voice(cx, at, a.voice.as_ref(), role);
    if !is(Role::Host) && a.capability.is_none() {
        cx.err(
            at,
            format!(
                "missing `capability`; expected a number {} or a distribution",
                fields::CAPABILITY.range().describe()
            ),
        );
    }
    let capability = cx.field_param(
        &at.field("capability"),
        a.capability.as_ref(),
        &fields::CAPABILITY,
    );
    let capability_drift = cx.field_param(
        &at.field("capability_drift"),
        a.capability_drift.as_ref(),
        &fields::CAPABILITY_DRIFT,
    );

    let per_dim = |cx: &mut Ctx<'_>, name: &str, table: Option<toml::Table>, default: f64| {
        per_dimension(cx, at, name, table, default, role, dims)
    };
    let ideal = per_dim(cx, "ideal", a.ideal, 0.5);
    let before = cx.issues.len();
    let salience = per_dim(cx, "salience", a.salience, 0.0);
    let salience_read = cx.issues.len() == before;
    let risk = cx.field_param(&at.field("risk"), a.risk.as_ref(), &fields::RISK);
    let reservation = a
        .reservation
        .as_ref()
        .map(|v| cx.field_param(&at.field("reservation"), Some(v), &fields::RESERVATION));
    let voter = match role {
        Role::Guarantor | Role::Party => true,
        Role::Observer | Role::Mediator => voice.centre() > 0.0,
        _ => false,
    };
    if voter && side == Side::None && reservation.is_none() && side_ok {
        cx.err(at, format!("missing `reservation`; an actor with side = \"none\" that votes needs a fixed reservation value {} (it does not fight, so it has no contest to fall back on)", fields::RESERVATION.range().describe()));
    }

    let c = a.concession.unwrap_or_default();
    let cl = at.field("concession");
    let concession_beta =
        cx.field_param(&cl.field("beta"), c.beta.as_ref(), &fields::CONCESSION_BETA);
    let concession_deadline = cx.param(
        &cl.field("deadline"),
        c.deadline.as_ref(),
        f64::from(rounds),
        fields::CONCESSION_DEADLINE.range(),
    );
    let concession_kappa = cx.field_param(
        &cl.field("kappa"),
        c.kappa.as_ref(),
        &fields::CONCESSION_KAPPA,
    );
    let h = a.hurt.unwrap_or_default();
    let hurt_initial = cx.field_param(
        &at.field("hurt").field("initial"),
        h.initial.as_ref(),
        &fields::HURT_INITIAL,
    );
    let hurt_growth = cx.field_param(
        &at.field("hurt").field("growth"),
        h.growth.as_ref(),
        &fields::HURT_GROWTH,
    );
    let mu_default = if is(Role::Party) { 1.0 } else { 0.0 };
    let military_commitment = cx.param(
        &at.field("military_commitment"),
        a.military_commitment.as_ref(),
        mu_default,
        fields::MILITARY_COMMITMENT.range(),
    );
    let guarantee_commitment = cx.field_param(
        &at.field("guarantee_commitment"),
        a.guarantee_commitment.as_ref(),
        &fields::GUARANTEE_COMMITMENT,
    );
    let commitment_risk = cx.field_param(
        &at.field("commitment_risk"),
        a.commitment_risk.as_ref(),
        &fields::COMMITMENT_RISK,
    );
    let v = a.violation.unwrap_or_default();
    let violation_base = cx.field_param(
        &at.field("violation").field("base"),
        v.base.as_ref(),
        &fields::VIOLATION_BASE,
    );
    let discount = cx.field_param(
        &at.field("discount"),
        a.discount.as_ref(),
        &fields::DISCOUNT,
    );
    let violation_slope = cx.field_param(
        &at.field("violation").field("slope"),
        v.slope.as_ref(),
        &fields::VIOLATION_SLOPE,
    );

    let spoiler = spoiler(cx, at, a.spoiler, role, reservation.is_some(), roster);
    let actor = Actor {
        name: cx.text(&at.field("name"), a.name, &id),
        id,
        role,
        side,
        principal: a.principal.unwrap_or(false),
        voice,
        capability,
        capability_drift,
        ideal,
        salience,
        risk,
        reservation,
        concession_beta,
        concession_deadline,
        concession_kappa,
        hurt_initial,
        hurt_growth,
        military_commitment,
        guarantee_commitment,
        commitment_risk,
        violation_base,
        violation_slope,
        discount,
        spoiler,
    };
    (actor, salience_read)
}

/// The actor's side (absent: none), and whether it is a known word (an unknown one is reported once, and the
/// checks that depend on the side are then skipped).
fn side_of(cx: &mut Ctx<'_>, at: &Loc, a: &RawActor) -> (Side, bool) {
    // An unknown side is reported once; the checks that depend on the side are then skipped (`side_ok`).
    let parsed = Side::parse_declared(a.side.as_deref());
    if parsed.is_none() {
        let found = a.side.as_deref().unwrap_or_default();
        cx.unknown_word(&at.field("side"), &Side::WORDS, true, "", found);
    }
    (parsed.unwrap_or(Side::None), parsed.is_some())
}

/// The fields an actor of `role` may not set, and a principal without a side.
fn role_fields(cx: &mut Ctx<'_>, at: &Loc, a: &RawActor, role: Role, side: Side, side_ok: bool) {
    let is = |r: Role| role == r;
    // Fields that only some roles take.
    let only = |cx: &mut Ctx<'_>, name: &str, present: bool, allowed: bool, who: &str| {
        if present && !allowed {
            cx.err_key(
                &at.field(name),
                format!(
                    "`{name}` is for {who} only; this actor is {}",
                    article(role)
                ),
            );
        }
    };
    if is(Role::Host) {
        let extra = [
            ("side", a.side.is_some() && side != Side::None),
            ("principal", a.principal.is_some()),
            ("voice", a.voice.is_some()),
            ("capability", a.capability.is_some()),
            ("capability_drift", a.capability_drift.is_some()),
            ("ideal", a.ideal.is_some()),
            ("salience", a.salience.is_some()),
            ("risk", a.risk.is_some()),
            ("reservation", a.reservation.is_some()),
            ("concession", a.concession.is_some()),
            ("hurt", a.hurt.is_some()),
            ("military_commitment", a.military_commitment.is_some()),
            ("guarantee_commitment", a.guarantee_commitment.is_some()),
            ("commitment_risk", a.commitment_risk.is_some()),
            ("violation", a.violation.is_some()),
            ("spoiler", a.spoiler.is_some()),
        ];
        for (name, present) in extra {
            if present {
                cx.err_key(&at.field(name), format!("a host takes only id, name and role (it convenes and does not negotiate); remove `{name}`"));
            }
        }
    }
    // Fields that the registry limits to some roles (beyond the host's): reported when another role sets them.
    for (name, present) in [
        ("principal", a.principal == Some(true)),
        ("guarantee_commitment", a.guarantee_commitment.is_some()),
        ("commitment_risk", a.commitment_risk.is_some()),
        ("violation", a.violation.is_some()),
        ("discount", a.discount.is_some()),
        ("spoiler", a.spoiler.is_some()),
    ] {
        if !present {
            continue;
        }
        if let Some(field) = fields::find(fields::Table::Actors, name)
            && !field.allows(role)
        {
            only(cx, name, present, false, &field.who());
        }
    }
    if a.principal == Some(true) && side == Side::None && side_ok {
        cx.err(
            &at.field("principal"),
            "a principal party needs side = \"gov\" or \"opp\"",
        );
    }
}

/// Voice: none for hosts and spoilers, which never vote; a random voice is centred above 0.
fn voice(cx: &mut Ctx<'_>, at: &Loc, voice: Option<&toml::Value>, role: Role) -> Param {
    match (voice, role) {
        (Some(v), Role::Host | Role::Spoiler) => {
            if number(v) != Some(0.0) {
                cx.err(
                    &at.field("voice"),
                    format!("a {} never votes; expected no voice (or 0)", role.as_str()),
                );
            }
            Param::Fixed(0.0)
        }
        (v, _) => {
            let p = cx.param(
                &at.field("voice"),
                v,
                role.default_voice(),
                fields::VOICE.range(),
            );
            if p.is_random() && p.centre() <= 0.0 {
                cx.err(
                    &at.field("voice"),
                    "a random voice must be centred above 0 (use voice = 0 for no vote)",
                );
            }
            p
        }
    }
}

/// One param per dimension (`ideal`, `salience`), keyed by dimension id; unknown and missing dimensions reported
/// (when every dimension was read).
fn per_dimension(
    cx: &mut Ctx<'_>,
    at: &Loc,
    name: &str,
    table: Option<toml::Table>,
    default: f64,
    role: Role,
    dims: &Dimensions,
) -> Vec<Param> {
    let (dimensions, dims_ok) = (&dims.list[..], dims.complete);
    let is = |r: Role| role == r;
    let here = at.field(name);
    let Some(table) = table else {
        if !is(Role::Host) {
            let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
            cx.err(
                at,
                format!(
                    "missing `{name}`; expected a value {} for every dimension: {}",
                    fields::UNIT.describe(),
                    ids.join(", ")
                ),
            );
        }
        return vec![Param::Fixed(default); dimensions.len()];
    };
    for key in table.keys() {
        if dims_ok && !dimensions.iter().any(|d| &d.id == key) {
            let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
            cx.err_key(
                &here.key(key),
                format!(
                    "unknown dimension `{key}`{}; expected one of: {}",
                    closest(key, ids.iter().copied())
                        .map_or(String::new(), |d| format!(" (did you mean `{d}`?)")),
                    ids.join(", ")
                ),
            );
        }
    }
    dimensions
        .iter()
        .map(|d| match table.get(&d.id) {
            None if !dims_ok => Param::Fixed(default),
            None => {
                cx.err(
                    &here,
                    format!(
                        "missing `{}`; expected a value {} for every dimension",
                        d.id,
                        fields::UNIT.describe()
                    ),
                );
                Param::Fixed(default)
            }
            Some(v) => cx.param(&here.field(&d.id), Some(v), default, fields::UNIT),
        })
        .collect()
}

/// A spoiler's table: its kind, attack rates and targets (required for spoilers, refused for everyone else by
/// `role_fields`).
fn spoiler(
    cx: &mut Ctx<'_>,
    at: &Loc,
    spec: Option<RawSpoiler>,
    role: Role,
    has_reservation: bool,
    roster: &[(String, Role)],
) -> Option<SpoilerSpec> {
    match (spec, role) {
        (None, Role::Spoiler) => {
            cx.err(at, "missing `spoiler`; expected spoiler = { kind = \"total\", base = …, progress = …, targets = [...] }");
            None
        }
        (Some(sp), Role::Spoiler) => {
            let sl = at.field("spoiler");
            let expected = || either(&SpoilerKind::WORDS, true);
            let kind = match sp.kind.as_deref() {
                Some(word) => SpoilerKind::parse(word).unwrap_or_else(|| {
                    let (at, words) = (sl.field("kind"), &SpoilerKind::WORDS);
                    cx.unknown_word(&at, words, true, "(Stedman's types)", word);
                    SpoilerKind::Total
                }),
                None => {
                    cx.err(&sl, format!("missing `kind`; expected {}", expected()));
                    SpoilerKind::Total
                }
            };
            if kind != SpoilerKind::Total && !has_reservation {
                cx.err(at, format!("a {} spoiler needs `reservation` (it stops attacking when the text is worth at least that)", kind.as_str()));
            }
            if kind != SpoilerKind::Greedy && sp.greed.is_some() {
                cx.err_key(&sl.field("greed"), "`greed` is for greedy spoilers only");
            }
            if sp.targets.is_empty() {
                cx.err(
                    &sl,
                    "missing or empty `targets`; expected the ids of the parties it attacks",
                );
            }
            let mut targets = Vec::new();
            for (j, t) in sp.targets.iter().enumerate() {
                let here = sl.field("targets").element(j, None);
                if let Some(k) = cx.actor_ref(&here, t, roster) {
                    cx.want_role(&here, roster[k].1, &[Role::Party], "a party", t);
                    targets.push(k);
                }
            }
            Some(SpoilerSpec {
                kind,
                base: cx.field_param(&sl.field("base"), sp.base.as_ref(), &fields::SPOILER_BASE),
                progress: cx.field_param(
                    &sl.field("progress"),
                    sp.progress.as_ref(),
                    &fields::SPOILER_PROGRESS,
                ),
                greed: cx.field_param(
                    &sl.field("greed"),
                    sp.greed.as_ref(),
                    &fields::SPOILER_GREED,
                ),
                targets,
            })
        }
        _ => None,
    }
}
