//! What the charts of one run need, read back from the run's own files (`rounds.csv`, `actors.csv`, `events.csv`,
//! `summary.json`, `drawn.toml`). `run` draws from the bytes it has just written, and `ceasefire chart` from the
//! same files on disk, so both give identical charts.

use std::collections::HashMap;

use crate::trace::{Status, Vote};

#[derive(Clone, Debug)]
pub struct DimensionInfo {
    pub id: String,
    pub label: String,
    pub zero: String,
    pub one: String,
}

#[derive(Clone, Debug)]
pub struct ActorInfo {
    pub id: String,
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug)]
pub struct EventInfo {
    pub round: u32,
    pub kind: String,
    pub actor: String,
    pub module: String,
    pub cause: String,
}

/// One run, as the charts see it. Per-round vectors have one entry per round (index 0 = round 1).
#[derive(Clone, Debug)]
pub struct RunData {
    pub title: String,
    pub scenario: String,
    pub seed: u64,
    pub round_label: String,
    pub rounds: usize,
    pub modules: Vec<String>,
    pub ceasefire_module: usize,
    pub dimensions: Vec<DimensionInfo>,
    /// Which module each dimension belongs to (None: in no module).
    pub dimension_module: Vec<Option<usize>>,
    pub actors: Vec<ActorInfo>,
    pub ceasefire_round: Option<u32>,
    pub agreement: Vec<f64>,
    pub mean_utility: Vec<f64>,
    pub zopa_margin: Vec<f64>,
    pub ripe: Vec<bool>,
    pub status: Vec<Vec<Status>>,
    pub text: Vec<Vec<f64>>,
    pub compromise: Vec<Vec<f64>>,
    /// [round][actor]
    pub utility: Vec<Vec<f64>>,
    pub reservation: Vec<Vec<f64>>,
    pub aspiration: Vec<Vec<f64>>,
    /// [round][actor][module]
    pub votes: Vec<Vec<Vec<Vote>>>,
    /// [round][actor][dimension]
    pub positions: Vec<Vec<Vec<f64>>>,
    pub events: Vec<EventInfo>,
    /// Two-party outcome marks: actor index → (utility at the Nash point, utility at the compromise point).
    pub outcome_marks: Vec<(usize, Option<f64>, f64)>,
}

pub(super) fn cell(v: &str) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.parse().unwrap_or(f64::NAN)
    }
}

pub(super) fn table(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| e.to_string())?;
        rows.push(row.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

pub(super) fn col(header: &[String], name: &str) -> Result<usize, String> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("missing column `{name}`"))
}

impl RunData {
    /// Read a run from its files' text. Errors name what is missing.
    pub fn parse(
        rounds_csv: &str,
        actors_csv: &str,
        events_csv: &str,
        summary_json: &str,
        drawn_toml: &str,
    ) -> Result<RunData, String> {
        let summary: serde_json::Value =
            serde_json::from_str(summary_json).map_err(|e| format!("summary.json: {e}"))?;
        let drawn: toml::Table =
            toml::from_str(drawn_toml).map_err(|e| format!("drawn.toml: {e}"))?;
        let get_s = |k: &str| {
            summary
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };

        // Modules and dimensions, with their meanings, from drawn.toml.
        let module_tables = drawn
            .get("modules")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        let modules: Vec<String> = module_tables
            .iter()
            .filter_map(|m| m.get("id").and_then(|v| v.as_str()).map(str::to_string))
            .collect();
        let ceasefire_module = module_tables
            .iter()
            .position(|m| m.get("ceasefire").and_then(|v| v.as_bool()) == Some(true))
            .ok_or("drawn.toml: no ceasefire module")?;
        let dimensions: Vec<DimensionInfo> = drawn
            .get("dimensions")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|d| {
                let s = |k: &str| {
                    d.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                DimensionInfo {
                    id: s("id"),
                    label: s("label"),
                    zero: s("zero"),
                    one: s("one"),
                }
            })
            .collect();
        let dimension_module = dimensions
            .iter()
            .map(|d| {
                module_tables.iter().position(|m| {
                    m.get("dimensions")
                        .and_then(|v| v.as_array())
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(d.id.as_str())))
                })
            })
            .collect();
        let actor_tables = drawn
            .get("actors")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        let actors: Vec<ActorInfo> = actor_tables
            .iter()
            .map(|a| {
                let s = |k: &str| {
                    a.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                ActorInfo {
                    id: s("id"),
                    name: s("name"),
                    role: s("role"),
                }
            })
            .collect();

        let (h, rows) = table(rounds_csv).map_err(|e| format!("rounds.csv: {e}"))?;
        let c = |n: &str| col(&h, n).map_err(|e| format!("rounds.csv: {e}"));
        let (ca, cm, cz, cr) = (
            c("agreement")?,
            c("mean_utility")?,
            c("zopa_margin")?,
            c("ripe")?,
        );
        let status_cols: Vec<usize> = modules
            .iter()
            .map(|m| c(&format!("status_{m}")))
            .collect::<Result<_, _>>()?;
        let text_cols: Vec<usize> = dimensions
            .iter()
            .map(|d| c(&format!("text_{}", d.id)))
            .collect::<Result<_, _>>()?;
        let comp_cols: Vec<usize> = dimensions
            .iter()
            .map(|d| c(&format!("compromise_{}", d.id)))
            .collect::<Result<_, _>>()?;
        let n_rounds = rows.len();
        let mut data = RunData {
            title: get_s("title"),
            scenario: get_s("scenario"),
            seed: summary.get("seed").and_then(|v| v.as_u64()).unwrap_or(0),
            round_label: get_s("round_label"),
            rounds: n_rounds,
            ceasefire_round: summary
                .get("ceasefire_round")
                .and_then(|v| v.as_u64())
                .map(|r| r as u32),
            agreement: rows.iter().map(|r| cell(&r[ca])).collect(),
            mean_utility: rows.iter().map(|r| cell(&r[cm])).collect(),
            zopa_margin: rows.iter().map(|r| cell(&r[cz])).collect(),
            ripe: rows.iter().map(|r| r[cr] == "true").collect(),
            status: rows
                .iter()
                .map(|r| {
                    status_cols
                        .iter()
                        .map(|&i| Status::parse(&r[i]).unwrap_or(Status::Closed))
                        .collect()
                })
                .collect(),
            text: rows
                .iter()
                .map(|r| text_cols.iter().map(|&i| cell(&r[i])).collect())
                .collect(),
            compromise: rows
                .iter()
                .map(|r| comp_cols.iter().map(|&i| cell(&r[i])).collect())
                .collect(),
            utility: vec![vec![f64::NAN; actors.len()]; n_rounds],
            reservation: vec![vec![f64::NAN; actors.len()]; n_rounds],
            aspiration: vec![vec![f64::NAN; actors.len()]; n_rounds],
            votes: vec![vec![vec![Vote::NoVote; modules.len()]; actors.len()]; n_rounds],
            positions: vec![vec![vec![f64::NAN; dimensions.len()]; actors.len()]; n_rounds],
            events: Vec::new(),
            outcome_marks: Vec::new(),
            modules,
            ceasefire_module,
            dimensions,
            dimension_module,
            actors,
        };

        let (h, rows) = table(actors_csv).map_err(|e| format!("actors.csv: {e}"))?;
        let c = |n: &str| col(&h, n).map_err(|e| format!("actors.csv: {e}"));
        let (cround, cactor, cu, cres, casp) = (
            c("round")?,
            c("actor")?,
            c("utility")?,
            c("reservation")?,
            c("aspiration")?,
        );
        let vote_cols: Vec<usize> = data
            .modules
            .iter()
            .map(|m| c(&format!("vote_{m}")))
            .collect::<Result<_, _>>()?;
        let pos_cols: Vec<usize> = data
            .dimensions
            .iter()
            .map(|d| c(&format!("position_{}", d.id)))
            .collect::<Result<_, _>>()?;
        let index: HashMap<&str, usize> = data
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        for r in &rows {
            let round: usize = r[cround]
                .parse()
                .map_err(|_| format!("actors.csv: bad round `{}`", r[cround]))?;
            let Some(&i) = index.get(r[cactor].as_str()) else {
                return Err(format!(
                    "actors.csv: actor `{}` is not in drawn.toml",
                    r[cactor]
                ));
            };
            if round == 0 || round > n_rounds {
                return Err(format!("actors.csv: round {round} outside 1..={n_rounds}"));
            }
            let t = round - 1;
            data.utility[t][i] = cell(&r[cu]);
            data.reservation[t][i] = cell(&r[cres]);
            data.aspiration[t][i] = cell(&r[casp]);
            for (m, &cv) in vote_cols.iter().enumerate() {
                data.votes[t][i][m] = Vote::parse(&r[cv]).unwrap_or(Vote::NoVote);
            }
            for (k, &cp) in pos_cols.iter().enumerate() {
                data.positions[t][i][k] = cell(&r[cp]);
            }
        }

        if let Some(o) = summary.get("outcome").filter(|o| !o.is_null()) {
            let ids: Vec<&str> = o["parties"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            for (j, id) in ids.iter().enumerate() {
                if let Some(i) = data.actors.iter().position(|a| a.id == *id) {
                    let nash = o["utility_at_nash"].get(j).and_then(|v| v.as_f64());
                    let comp = o["utility_at_compromise"]
                        .get(j)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(f64::NAN);
                    data.outcome_marks.push((i, nash, comp));
                }
            }
        }

        let (h, rows) = table(events_csv).map_err(|e| format!("events.csv: {e}"))?;
        let c = |n: &str| col(&h, n).map_err(|e| format!("events.csv: {e}"));
        let (cr, ck, ca, cm, cc) = (
            c("round")?,
            c("kind")?,
            c("actor")?,
            c("module")?,
            c("cause")?,
        );
        for r in rows {
            data.events.push(EventInfo {
                round: r[cr].parse().unwrap_or(0),
                kind: r[ck].clone(),
                actor: r[ca].clone(),
                module: r[cm].clone(),
                cause: r[cc].clone(),
            });
        }
        Ok(data)
    }

    /// Actors that state positions and vote (guarantors, parties, observers and mediators with a vote).
    pub fn is_voter(&self, i: usize) -> bool {
        (0..self.rounds).any(|t| self.votes[t][i].iter().any(|v| !matches!(v, Vote::NoVote)))
    }

    /// Modules that were open at some point.
    pub fn opened(&self, m: usize) -> bool {
        self.status.iter().any(|s| s[m] != Status::Closed)
    }
}
