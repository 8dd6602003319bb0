//! `[[patronage]]` and `[[trust]]`: the links between actors.

use super::context::*;
use crate::scenario::fields;
use crate::scenario::raw::*;
use crate::scenario::*;

pub(super) fn patronage(
    cx: &mut Ctx<'_>,
    raw: Vec<toml::Value>,
    roster: &[(String, Role)],
) -> Vec<Patronage> {
    // [[patronage]]
    let pat_loc = Loc::root("patronage");
    let mut patronage: Vec<Patronage> = Vec::new();
    for (i, value) in raw.into_iter().enumerate() {
        let at = pat_loc.element(i, None);
        let Some(p) = cx.de::<RawPatronage>(&at, value) else {
            continue;
        };
        let (Some(pid), Some(cid)) = (p.patron, p.client) else {
            cx.err(&at, "expected both `patron` and `client`");
            continue;
        };
        let patron = cx.actor_ref(&at.field("patron"), &pid, roster);
        let client = cx.actor_ref(&at.field("client"), &cid, roster);
        let (Some(patron), Some(client)) = (patron, client) else {
            continue;
        };
        cx.want_role(
            &at.field("patron"),
            roster[patron].1,
            &[Role::Guarantor, Role::Observer],
            "a guarantor or an observer",
            &pid,
        );
        cx.want_role(
            &at.field("client"),
            roster[client].1,
            &[Role::Party],
            "a party",
            &cid,
        );
        if patronage
            .iter()
            .any(|x| x.patron == patron && x.client == client)
        {
            cx.err(&at, format!("the link {pid} → {cid} is declared twice"));
        }
        patronage.push(Patronage {
            patron,
            client,
            leverage: cx.field_num(&at.field("leverage"), p.leverage, &fields::LEVERAGE),
            pull: cx.field_num(&at.field("pull"), p.pull, &fields::PULL),
        });
    }
    for (client, _) in roster.iter().enumerate() {
        let total: f64 = patronage
            .iter()
            .filter(|p| p.client == client)
            .map(|p| p.pull)
            .sum();
        if total > 1.0 + 1e-12 {
            cx.err(
                &pat_loc,
                format!(
                    "the pulls on \"{}\" add up to {total}; expected at most 1",
                    roster[client].0
                ),
            );
        }
    }
    patronage
}

pub(super) fn trust(
    cx: &mut Ctx<'_>,
    raw: Vec<toml::Value>,
    roster: &[(String, Role)],
) -> Vec<Trust> {
    // [[trust]]
    let trust_loc = Loc::root("trust");
    let mut trust: Vec<Trust> = Vec::new();
    for (i, value) in raw.into_iter().enumerate() {
        let at = trust_loc.element(i, None);
        let Some(t) = cx.de::<RawTrust>(&at, value) else {
            continue;
        };
        let (Some(pid), Some(gid)) = (t.party, t.guarantor) else {
            cx.err(&at, "expected `party`, `guarantor` and `value`");
            continue;
        };
        let party = cx.actor_ref(&at.field("party"), &pid, roster);
        let guarantor = cx.actor_ref(&at.field("guarantor"), &gid, roster);
        let (Some(party), Some(guarantor)) = (party, guarantor) else {
            continue;
        };
        cx.want_role(
            &at.field("party"),
            roster[party].1,
            &[Role::Party],
            "a party",
            &pid,
        );
        // Trust in an observer is allowed (it counts only while the actor is a guarantor), so a variant that turns
        // a guarantor into an observer stays valid.
        cx.want_role(
            &at.field("guarantor"),
            roster[guarantor].1,
            &[Role::Guarantor, Role::Observer],
            "a guarantor (or an observer)",
            &gid,
        );
        if trust
            .iter()
            .any(|x| x.party == party && x.guarantor == guarantor)
        {
            cx.err(&at, format!("trust of {pid} in {gid} is declared twice"));
        }
        if t.value.is_none() {
            cx.err(
                &at,
                format!(
                    "missing `value`; expected a number {}",
                    fields::TRUST_VALUE.range().describe()
                ),
            );
        }
        trust.push(Trust {
            party,
            guarantor,
            value: cx.field_num(&at.field("value"), t.value, &fields::TRUST_VALUE),
        });
    }
    trust
}
