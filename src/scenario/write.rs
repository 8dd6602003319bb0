//! A scenario written back as TOML: the input of `drawn.toml` (every distribution replaced by this seed's value)
//! and of the round trip `load(write(s)) == s` that the tests check.

use toml::{Table, Value};

use super::{Actor, EventKind, Param, Role, Scenario, Timing};
use crate::world::World;

fn f(v: f64) -> Value {
    Value::Float(v)
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn ids(list: &[usize], sc: &Scenario) -> Value {
    Value::Array(list.iter().map(|&i| s(&sc.actors[i].id)).collect())
}

/// TOML text of `scenario`; with `world`, every actor parameter is the drawn value instead of its distribution.
pub fn to_toml(scenario: &Scenario, world: Option<&World>) -> String {
    let sc = scenario;
    let mut root = Table::new();
    root.insert(
        "schema_version".into(),
        Value::Integer(super::SCHEMA_VERSION),
    );

    let mut meta = Table::new();
    meta.insert("id".into(), s(&sc.meta.id));
    meta.insert("title".into(), s(&sc.meta.title));
    meta.insert("lesson".into(), s(&sc.meta.lesson));
    if let Some(d) = &sc.meta.description {
        meta.insert("description".into(), s(d));
    }
    if !sc.meta.sources.is_empty() {
        meta.insert(
            "sources".into(),
            Value::Array(sc.meta.sources.iter().map(|x| s(x)).collect()),
        );
    }
    if let Some(t) = &sc.meta.tuning {
        meta.insert("tuning".into(), s(t));
    }
    // A variant stays one when its drawn.toml is run again: it names it, so that its runs never go to the folder of
    // the scenario as written.
    let variant = match (&sc.label, world) {
        (Some(label), _) => Some(label.clone()),
        (None, Some(_)) if !sc.overrides.is_empty() => Some(super::unnamed_variant(&sc.overrides)),
        _ => None,
    };
    if let Some(v) = &variant {
        meta.insert("variant".into(), s(v));
    }
    root.insert("meta".into(), Value::Table(meta));

    let sim = &sc.simulation;
    let mut st = Table::new();
    st.insert("rounds".into(), Value::Integer(i64::from(sim.rounds)));
    st.insert("round_label".into(), s(&sim.round_label));
    // u64 seeds above i64::MAX cannot be TOML integers: the scenario's own seed stays, and the header says which
    // `--seed` re-runs it.
    st.insert(
        "seed".into(),
        Value::Integer(
            i64::try_from(world.map_or(sim.seed, |w| w.seed))
                .or_else(|_| i64::try_from(sim.seed))
                .unwrap_or(0),
        ),
    );
    st.insert("proposal_rule".into(), s(sim.proposal_rule.as_str()));
    st.insert("zeuthen_step".into(), f(sim.zeuthen_step));
    if let Some(d) = sim.drafter {
        st.insert("drafter".into(), s(&sc.actors[d].id));
    }
    for (k, v) in [
        ("drafter_bias", sim.drafter_bias),
        ("text_inertia", sim.text_inertia),
        ("accept_temperature", sim.accept_temperature),
        ("contest_decisiveness", sim.contest_decisiveness),
        ("stalemate_band", sim.stalemate_band),
        ("violation_hurt", sim.violation_hurt),
        ("violation_distrust", sim.violation_distrust),
        ("attack_hurt", sim.attack_hurt),
        ("attack_distrust", sim.attack_distrust),
        ("distrust_decay", sim.distrust_decay),
    ] {
        st.insert(k.into(), f(v));
    }
    root.insert("simulation".into(), Value::Table(st));

    let dims = sc
        .dimensions
        .iter()
        .map(|d| {
            let mut t = Table::new();
            t.insert("id".into(), s(&d.id));
            t.insert("label".into(), s(&d.label));
            t.insert("zero".into(), s(&d.zero));
            t.insert("one".into(), s(&d.one));
            Value::Table(t)
        })
        .collect();
    root.insert("dimensions".into(), Value::Array(dims));

    let modules = sc
        .modules
        .iter()
        .map(|m| {
            let mut t = Table::new();
            t.insert("id".into(), s(&m.id));
            t.insert(
                "dimensions".into(),
                Value::Array(
                    m.dimensions
                        .iter()
                        .map(|&k| s(&sc.dimensions[k].id))
                        .collect(),
                ),
            );
            t.insert("open_round".into(), Value::Integer(i64::from(m.open_round)));
            t.insert("signatories".into(), ids(&m.signatories, sc));
            t.insert("compliance".into(), ids(&m.compliance, sc));
            t.insert("ceasefire".into(), Value::Boolean(m.ceasefire));
            t.insert("persist".into(), Value::Integer(i64::from(m.persist)));
            t.insert(
                "collapse_patience".into(),
                Value::Integer(i64::from(m.collapse_patience)),
            );
            t.insert("collapse_margin".into(), f(m.collapse_margin));
            Value::Table(t)
        })
        .collect();
    root.insert("modules".into(), Value::Array(modules));

    let actors = sc
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| Value::Table(actor(sc, a, world.map(|w| (w, i)))))
        .collect();
    root.insert("actors".into(), Value::Array(actors));

    if !sc.patronage.is_empty() {
        let list = sc
            .patronage
            .iter()
            .map(|p| {
                let mut t = Table::new();
                t.insert("patron".into(), s(&sc.actors[p.patron].id));
                t.insert("client".into(), s(&sc.actors[p.client].id));
                t.insert("leverage".into(), f(p.leverage));
                t.insert("pull".into(), f(p.pull));
                Value::Table(t)
            })
            .collect();
        root.insert("patronage".into(), Value::Array(list));
    }
    if !sc.trust.is_empty() {
        let list = sc
            .trust
            .iter()
            .map(|x| {
                let mut t = Table::new();
                t.insert("party".into(), s(&sc.actors[x.party].id));
                t.insert("guarantor".into(), s(&sc.actors[x.guarantor].id));
                t.insert("value".into(), f(x.value));
                Value::Table(t)
            })
            .collect();
        root.insert("trust".into(), Value::Array(list));
    }
    if !sc.events.is_empty() {
        let list = sc
            .events
            .iter()
            .map(|e| {
                let mut t = Table::new();
                t.insert("kind".into(), s(e.kind.as_str()));
                t.insert("target".into(), s(&sc.actors[e.target].id));
                match e.timing {
                    Timing::Round(r) => t.insert("round".into(), Value::Integer(i64::from(r))),
                    Timing::Probability(p) => t.insert("probability".into(), f(p)),
                };
                if e.kind == EventKind::Boycott {
                    t.insert("duration".into(), Value::Integer(i64::from(e.duration)));
                }
                if matches!(
                    e.kind,
                    EventKind::CapabilityShift | EventKind::HurtShock | EventKind::TrustShock
                ) {
                    t.insert("magnitude".into(), e.magnitude.to_toml());
                }
                if let Some(g) = e.guarantor {
                    t.insert("guarantor".into(), s(&sc.actors[g].id));
                }
                if let Some(l) = &e.label {
                    t.insert("label".into(), s(l));
                }
                Value::Table(t)
            })
            .collect();
        root.insert("events".into(), Value::Array(list));
    }
    if !sc.history.is_empty() {
        let list = sc
            .history
            .iter()
            .map(|h| {
                let mut t = Table::new();
                t.insert("round".into(), Value::Integer(i64::from(h.round)));
                t.insert("label".into(), s(&h.label));
                Value::Table(t)
            })
            .collect();
        root.insert("history".into(), Value::Array(list));
    }
    let mut out = String::new();
    if world.is_some() {
        out.push_str(
            "# The scenario with every distribution replaced by the value drawn for this seed.\n",
        );
        if let Some(label) = &sc.label {
            out.push_str(&format!("# Variant: {}\n", comment_text(label)));
        }
        if !sc.overrides.is_empty() {
            out.push_str(&format!(
                "# Changed from the scenario as written (already applied below): {}\n",
                comment_text(&sc.overrides.join("; "))
            ));
        }
        // `meta.variant` (below) names a variant, so that its re-run goes to its own folder.
        let label = if variant.is_some() {
            " (it names itself a variant in `meta.variant`, so it runs into this same folder)"
        } else {
            ""
        };
        match world.map(|w| w.seed).filter(|&seed| i64::try_from(seed).is_err()) {
            None => out.push_str(&format!(
                "# Teaching defaults, not a forecast. Re-run it with `ceasefire run drawn.toml`{label}.\n\n"
            )),
            Some(seed) => out.push_str(&format!(
                "# Teaching defaults, not a forecast. Re-run it with `ceasefire run drawn.toml --seed {seed}`{label}\n\
                 # (seeds above 9223372036854775807 do not fit in a TOML integer).\n\n"
            )),
        }
    }
    out.push_str(&toml::to_string(&Value::Table(root)).unwrap_or_default());
    out
}

/// Text for a one-line TOML comment: control characters (refused in labels and overrides anyway) become spaces.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The actor's table; `drawn` is the world and the actor's index in it.
fn actor(sc: &Scenario, a: &Actor, world: Option<(&World, usize)>) -> Table {
    let drawn = world.map(|(w, i)| &w.actors[i]);
    let mut t = Table::new();
    t.insert("id".into(), s(&a.id));
    t.insert("name".into(), s(&a.name));
    t.insert("role".into(), s(a.role.as_str()));
    if a.role == Role::Host {
        return t;
    }
    let p = |param: &Param, value: Option<f64>| match value {
        Some(v) => f(v),
        None => param.to_toml(),
    };
    t.insert("side".into(), s(a.side.as_str()));
    if a.role == Role::Party {
        t.insert("principal".into(), Value::Boolean(a.principal));
    }
    if a.role != Role::Spoiler {
        t.insert("voice".into(), p(&a.voice, drawn.map(|d| d.voice)));
    }
    t.insert(
        "capability".into(),
        p(&a.capability, drawn.map(|d| d.capability)),
    );
    t.insert(
        "capability_drift".into(),
        p(&a.capability_drift, drawn.map(|d| d.capability_drift)),
    );
    let per_dim = |params: &[Param], values: Option<&[f64]>| {
        let mut tab = Table::new();
        for (k, dim) in sc.dimensions.iter().enumerate() {
            tab.insert(dim.id.clone(), p(&params[k], values.map(|v| v[k])));
        }
        Value::Table(tab)
    };
    t.insert(
        "ideal".into(),
        per_dim(&a.ideal, world.map(|(w, i)| w.ideal(i))),
    );
    t.insert(
        "salience".into(),
        per_dim(&a.salience, world.map(|(w, i)| w.salience(i))),
    );
    t.insert("risk".into(), p(&a.risk, drawn.map(|d| d.risk)));
    if let Some(r) = &a.reservation {
        t.insert(
            "reservation".into(),
            p(r, drawn.and_then(|d| d.reservation)),
        );
    }
    let mut c = Table::new();
    c.insert(
        "beta".into(),
        p(&a.concession_beta, drawn.map(|d| d.concession_beta)),
    );
    c.insert(
        "deadline".into(),
        p(&a.concession_deadline, drawn.map(|d| d.concession_deadline)),
    );
    c.insert(
        "kappa".into(),
        p(&a.concession_kappa, drawn.map(|d| d.concession_kappa)),
    );
    t.insert("concession".into(), Value::Table(c));
    let mut h = Table::new();
    h.insert(
        "initial".into(),
        p(&a.hurt_initial, drawn.map(|d| d.hurt_initial)),
    );
    h.insert(
        "growth".into(),
        p(&a.hurt_growth, drawn.map(|d| d.hurt_growth)),
    );
    t.insert("hurt".into(), Value::Table(h));
    t.insert(
        "military_commitment".into(),
        p(&a.military_commitment, drawn.map(|d| d.military_commitment)),
    );
    match a.role {
        Role::Guarantor => {
            t.insert(
                "guarantee_commitment".into(),
                p(
                    &a.guarantee_commitment,
                    drawn.map(|d| d.guarantee_commitment),
                ),
            );
        }
        Role::Party => {
            t.insert(
                "commitment_risk".into(),
                p(&a.commitment_risk, drawn.map(|d| d.commitment_risk)),
            );
            t.insert("discount".into(), p(&a.discount, drawn.map(|d| d.discount)));
            let mut v = Table::new();
            v.insert(
                "base".into(),
                p(&a.violation_base, drawn.map(|d| d.violation_base)),
            );
            v.insert(
                "slope".into(),
                p(&a.violation_slope, drawn.map(|d| d.violation_slope)),
            );
            t.insert("violation".into(), Value::Table(v));
        }
        _ => {}
    }
    if let Some(sp) = &a.spoiler {
        let mut x = Table::new();
        x.insert("kind".into(), s(sp.kind.as_str()));
        x.insert("base".into(), p(&sp.base, drawn.map(|d| d.spoiler_base)));
        x.insert(
            "progress".into(),
            p(&sp.progress, drawn.map(|d| d.spoiler_progress)),
        );
        if sp.kind == super::SpoilerKind::Greedy {
            x.insert("greed".into(), p(&sp.greed, drawn.map(|d| d.spoiler_greed)));
        }
        x.insert("targets".into(), ids(&sp.targets, sc));
        t.insert("spoiler".into(), Value::Table(x));
    }
    t
}
