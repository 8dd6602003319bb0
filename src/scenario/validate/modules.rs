//! `[[modules]]`: packages of dimensions, their signatories and compliance parties, exactly one ceasefire.

use super::context::*;
use super::dimensions::Dimensions;
use crate::scenario::fields;
use crate::scenario::limits::*;
use crate::scenario::raw::*;
use crate::scenario::*;

pub(super) struct Modules {
    pub list: Vec<Module>,
    /// The modules marked `ceasefire = true` (exactly one in a valid file).
    pub ceasefires: Vec<usize>,
    /// Whether every module was read.
    pub complete: bool,
}

pub(super) fn modules(
    cx: &mut Ctx<'_>,
    raw: Vec<toml::Value>,
    dims: &Dimensions,
    roster: &[(String, Role)],
    actors: &[Actor],
) -> Modules {
    let (dimensions, dims_ok) = (&dims.list[..], dims.complete);
    let ndim = dimensions.len();
    // [[modules]]
    let mod_loc = Loc::root("modules");
    if raw.is_empty() {
        cx.err(
            &mod_loc,
            "missing [[modules]]; expected at least one module, exactly one with ceasefire = true",
        );
    }
    if raw.len() > MAX_MODULES {
        cx.err(
            &mod_loc,
            format!(
                "expected at most {MAX_MODULES} modules, found {}",
                raw.len()
            ),
        );
    }
    let mut modules: Vec<Module> = Vec::new();
    // The id and the position in the file of each module read.
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut owner: Vec<Option<String>> = vec![None; ndim];
    let mut ceasefires = Vec::new();
    let mut modules_ok = true;
    for (i, value) in raw.into_iter().enumerate().take(MAX_MODULES) {
        let at = mod_loc.element(i, id_of(&value));
        let Some(m) = cx.de::<RawModule>(&at, value) else {
            modules_ok = false;
            continue;
        };
        let mid = match m.id {
            None => {
                cx.err(&at, "missing `id`");
                format!("module{i}")
            }
            Some(mid) => {
                if !fields::IdRule::Lower.allows(&mid) {
                    cx.err(
                        &at.field("id"),
                        format!(
                            "expected {}, found \"{}\"",
                            fields::IdRule::Lower.describe(),
                            mid.escape_debug()
                        ),
                    );
                }
                if let Some(&(_, first)) = seen.iter().find(|(id, _)| *id == mid) {
                    cx.duplicate(
                        &at.field("id"),
                        "module",
                        &mid,
                        &format!("modules[{first}].id"),
                    );
                }
                seen.push((mid.clone(), i));
                mid
            }
        };
        if m.dimensions.is_empty() {
            cx.err(&at, "missing or empty `dimensions`; expected the ids of the dimensions this module packages");
        }
        let mut dims = Vec::new();
        for (j, d) in m.dimensions.iter().enumerate() {
            let here = at.field("dimensions").element(j, None);
            match dimensions.iter().position(|x| &x.id == d) {
                None => {
                    if dims_ok {
                        let ids: Vec<&str> = dimensions.iter().map(|x| x.id.as_str()).collect();
                        cx.err(
                            &here,
                            format!(
                                "expected the id of a dimension ({}), found \"{d}\"{}",
                                ids.join(", "),
                                did_you_mean(d, ids.iter().copied())
                            ),
                        );
                    }
                }
                Some(k) => {
                    if let Some(other) = &owner[k] {
                        cx.err(&here, format!("dimension \"{d}\" is already in module \"{other}\"; a dimension belongs to at most one module"));
                    } else {
                        owner[k] = Some(mid.clone());
                        dims.push(k);
                    }
                }
            }
        }
        let mut signatories = Vec::new();
        if m.signatories.is_empty() {
            cx.err(
                &at,
                "missing or empty `signatories`; expected the ids of the voters who must accept",
            );
        }
        for (j, sid) in m.signatories.iter().enumerate() {
            let here = at.field("signatories").element(j, None);
            if let Some(k) = cx.actor_ref(&here, sid, roster) {
                if let Some(a) = actors.iter().find(|a| a.id == *sid)
                    && !a.is_voter()
                {
                    cx.err(&here, format!("expected a voter (guarantor, party, or observer/mediator with voice > 0), found \"{sid}\", a {} with no vote", a.role.as_str()));
                }
                if signatories.contains(&k) {
                    cx.err(&here, format!("\"{sid}\" is listed twice"));
                }
                signatories.push(k);
            }
        }
        let mut compliance = Vec::new();
        for (j, cid) in m.compliance.iter().enumerate() {
            let here = at.field("compliance").element(j, None);
            if let Some(k) = cx.actor_ref(&here, cid, roster) {
                cx.want_role(&here, roster[k].1, &[Role::Party], "a party", cid);
                if compliance.contains(&k) {
                    cx.err(&here, format!("\"{cid}\" is listed twice"));
                }
                compliance.push(k);
            }
        }
        let ceasefire = m.ceasefire.unwrap_or(false);
        if ceasefire {
            ceasefires.push(modules.len());
        }
        modules.push(Module {
            id: mid,
            dimensions: dims,
            open_round: cx.int(&at.field("open_round"), m.open_round, &fields::OPEN_ROUND) as u32,
            signatories,
            compliance,
            ceasefire,
            persist: cx.int(&at.field("persist"), m.persist, &fields::PERSIST) as u32,
            collapse_patience: cx.int(
                &at.field("collapse_patience"),
                m.collapse_patience,
                &fields::COLLAPSE_PATIENCE,
            ) as u32,
            collapse_margin: cx.field_num(
                &at.field("collapse_margin"),
                m.collapse_margin,
                &fields::COLLAPSE_MARGIN,
            ),
        });
    }
    if modules_ok && !modules.is_empty() && ceasefires.len() != 1 {
        let found = if ceasefires.is_empty() {
            "none".to_string()
        } else {
            ceasefires
                .iter()
                .map(|&i| modules[i].id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        cx.err(
            &mod_loc,
            format!("expected exactly one module with ceasefire = true, found {found}"),
        );
    }
    Modules {
        list: modules,
        ceasefires,
        complete: modules_ok,
    }
}
