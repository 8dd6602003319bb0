//! Tidy CSV tables: one row per observation, stable column names, empty cells for undefined values.
//! Numbers are written in Rust's shortest round-trip form, so a CSV re-read gives exactly the recorded values.

use super::{Export, ExportError, RunView};

/// A number as a CSV cell: empty when undefined.
pub fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn boolean(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A CSV table being written into memory.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::new())
}

/// The bytes of a finished table.
pub fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    w.into_inner().map_err(|e| ExportError::Io(e.into_error()))
}

/// `rounds.csv`: one row per round.
pub struct RoundsCsv;

impl Export<RunView<'_>> for RoundsCsv {
    fn file_name(&self) -> &'static str {
        "rounds.csv"
    }

    fn serialize(&self, run: &RunView<'_>) -> Result<Vec<u8>, ExportError> {
        let (sc, tr) = (run.scenario, run.trace);
        let mut w = writer();
        let mut header: Vec<String> = vec!["round".into(), "agreement".into()];
        header.extend(sc.modules.iter().map(|m| format!("agreement_{}", m.id)));
        header.extend(
            [
                "mean_utility",
                "dispersion",
                "zopa_margin",
                "ripe",
                "p_gov",
                "ceasefire_in_force",
            ]
            .map(String::from),
        );
        header.extend(sc.modules.iter().map(|m| format!("status_{}", m.id)));
        header.extend(["violations", "attacks", "drafter"].map(String::from));
        header.extend(sc.dimensions.iter().map(|d| format!("text_{}", d.id)));
        header.extend(sc.dimensions.iter().map(|d| format!("compromise_{}", d.id)));
        w.write_record(&header)?;
        for r in 0..tr.rounds() {
            let mut row: Vec<String> = vec![(r + 1).to_string(), num(tr.agreement()[r])];
            row.extend((0..tr.modules()).map(|m| num(tr.module_agreement_at(r, m))));
            row.push(num(tr.mean_utility()[r]));
            row.push(num(tr.dispersion()[r]));
            row.push(num(tr.zopa_margin()[r]));
            row.push(boolean(tr.ripe()[r]).into());
            row.push(num(tr.p_gov()[r]));
            row.push(boolean(tr.in_force()[r]).into());
            row.extend((0..tr.modules()).map(|m| tr.status_at(r, m).as_str().to_string()));
            row.push(tr.violations()[r].to_string());
            row.push(tr.attacks()[r].to_string());
            row.push(
                tr.drafter()[r]
                    .and_then(|d| sc.actors.get(d))
                    .map_or(String::new(), |a| a.id.clone()),
            );
            row.extend((0..tr.dims()).map(|k| num(tr.text_at(r, k))));
            row.extend((0..tr.dims()).map(|k| num(tr.compromise_at(r, k))));
            w.write_record(&row)?;
        }
        finish(w)
    }
}

/// `actors.csv`: one row per round × actor. `vote`, `utility`, `reservation` and `aspiration` refer to the
/// ceasefire module; `vote_<module>` gives every module's vote.
pub struct ActorsCsv;

impl Export<RunView<'_>> for ActorsCsv {
    fn file_name(&self) -> &'static str {
        "actors.csv"
    }

    fn serialize(&self, run: &RunView<'_>) -> Result<Vec<u8>, ExportError> {
        let (sc, tr) = (run.scenario, run.trace);
        let cf = sc.ceasefire_module;
        let mut w = writer();
        let mut header: Vec<String> = [
            "round",
            "actor",
            "role",
            "side",
            "vote",
            "utility",
            "reservation",
            "aspiration",
            "win_probability",
            "capability",
            "hurt",
            "distrust",
            "commitment_risk",
        ]
        .map(String::from)
        .to_vec();
        header.extend(sc.modules.iter().map(|m| format!("vote_{}", m.id)));
        header.extend(sc.dimensions.iter().map(|d| format!("position_{}", d.id)));
        w.write_record(&header)?;
        for r in 0..tr.rounds() {
            for (i, a) in sc.actors.iter().enumerate() {
                let x = tr.actor_at(r, i);
                let mut row: Vec<String> = vec![
                    (r + 1).to_string(),
                    a.id.clone(),
                    a.role.as_str().into(),
                    a.side.as_str().into(),
                    tr.vote_at(r, i, cf).as_str().into(),
                    num(x.utility),
                    num(x.reservation),
                    num(x.aspiration),
                    num(x.win_probability),
                    num(x.capability),
                    num(x.hurt),
                    num(x.distrust),
                    num(x.commitment_risk),
                ];
                row.extend((0..tr.modules()).map(|m| tr.vote_at(r, i, m).as_str().to_string()));
                row.extend((0..tr.dims()).map(|k| num(tr.position_at(r, i, k))));
                w.write_record(&row)?;
            }
        }
        finish(w)
    }
}

/// `events.csv`: one row per event, violation, attack, signature and collapse.
pub struct EventsCsv;

impl Export<RunView<'_>> for EventsCsv {
    fn file_name(&self) -> &'static str {
        "events.csv"
    }

    fn serialize(&self, run: &RunView<'_>) -> Result<Vec<u8>, ExportError> {
        let (sc, tr) = (run.scenario, run.trace);
        let mut w = writer();
        w.write_record([
            "round", "kind", "actor", "other", "module", "value", "cause",
        ])?;
        let id = |i: Option<usize>| {
            i.and_then(|i| sc.actors.get(i))
                .map_or(String::new(), |a| a.id.clone())
        };
        for e in tr.events() {
            w.write_record([
                e.round.to_string(),
                e.kind.as_str().into(),
                id(e.actor),
                id(e.other),
                e.module.map_or(String::new(), |m| sc.modules[m].id.clone()),
                num(e.value),
                e.cause.to_string(),
            ])?;
        }
        finish(w)
    }
}
