//! What the charts of one run need, read back from the run's own files (`rounds.csv`, `actors.csv`, `events.csv`,
//! `summary.json`, `drawn.toml`). `run` draws from the bytes it has just written, and `ceasefire chart` from the
//! same files on disk, so both give identical charts.

use std::collections::HashMap;

use super::read::{ReadError, Table};
use crate::scenario::Role;
use crate::trace::{EventKindRecord, Status, Vote};

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
    pub role: Role,
}

#[derive(Clone, Debug)]
pub struct EventInfo {
    pub round: u32,
    pub kind: EventKindRecord,
    pub actor: String,
    pub module: String,
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

/// The text of `key` in a TOML table or JSON object, empty when absent.
fn text_of<V: Lookup>(v: &V, key: &str) -> String {
    v.text(key).unwrap_or_default().to_string()
}

/// What `text_of` needs of a TOML or JSON value.
trait Lookup {
    fn text(&self, key: &str) -> Option<&str>;
}

impl Lookup for toml::Value {
    fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.as_str())
    }
}

impl Lookup for serde_json::Value {
    fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.as_str())
    }
}

fn array<'a>(drawn: &'a toml::Table, key: &str) -> &'a [toml::Value] {
    drawn
        .get(key)
        .and_then(|v| v.as_array())
        .map_or(&[], Vec::as_slice)
}

impl RunData {
    /// Read a run from its files' text. Errors name the file, and the line and word of a table.
    pub fn parse(
        rounds_csv: &str,
        actors_csv: &str,
        events_csv: &str,
        summary_json: &str,
        drawn_toml: &str,
    ) -> Result<RunData, ReadError> {
        let summary: serde_json::Value =
            serde_json::from_str(summary_json).map_err(|source| ReadError::Json {
                file: "summary.json",
                source,
            })?;
        let drawn: toml::Table = toml::from_str(drawn_toml).map_err(|source| ReadError::Toml {
            file: "drawn.toml",
            source,
        })?;
        let mut data = RunData::from_drawn(&summary, &drawn)?;
        data.read_rounds(&Table::parse("rounds.csv", rounds_csv)?)?;
        data.read_actors(&Table::parse("actors.csv", actors_csv)?)?;
        data.read_outcome(&summary);
        data.read_events(&Table::parse("events.csv", events_csv)?)?;
        Ok(data)
    }

    /// The scenario's modules, dimensions and actors (from drawn.toml) and the headline (from summary.json); no
    /// rounds yet.
    fn from_drawn(summary: &serde_json::Value, drawn: &toml::Table) -> Result<RunData, ReadError> {
        let module_tables = array(drawn, "modules");
        // One entry per module table, even one without an id (its columns are then missing): the ceasefire
        // module's index must stay an index into `modules`.
        let modules: Vec<String> = module_tables.iter().map(|m| text_of(m, "id")).collect();
        let ceasefire_module = module_tables
            .iter()
            .position(|m| m.get("ceasefire").and_then(|v| v.as_bool()) == Some(true))
            .ok_or(ReadError::NoCeasefireModule)?;
        let dimensions: Vec<DimensionInfo> = array(drawn, "dimensions")
            .iter()
            .map(|d| DimensionInfo {
                id: text_of(d, "id"),
                label: text_of(d, "label"),
                zero: text_of(d, "zero"),
                one: text_of(d, "one"),
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
        let actors: Vec<ActorInfo> = array(drawn, "actors")
            .iter()
            .map(|a| {
                let (id, word) = (text_of(a, "id"), text_of(a, "role"));
                let role = Role::parse(&word).ok_or_else(|| ReadError::UnknownRole {
                    actor: id.clone(),
                    word,
                })?;
                Ok(ActorInfo {
                    id,
                    name: text_of(a, "name"),
                    role,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        Ok(RunData {
            title: text_of(summary, "title"),
            scenario: text_of(summary, "scenario"),
            seed: summary.get("seed").and_then(|v| v.as_u64()).unwrap_or(0),
            round_label: text_of(summary, "round_label"),
            rounds: 0,
            ceasefire_round: summary
                .get("ceasefire_round")
                .and_then(|v| v.as_u64())
                .map(|r| r as u32),
            agreement: Vec::new(),
            mean_utility: Vec::new(),
            zopa_margin: Vec::new(),
            ripe: Vec::new(),
            status: Vec::new(),
            text: Vec::new(),
            compromise: Vec::new(),
            utility: Vec::new(),
            reservation: Vec::new(),
            aspiration: Vec::new(),
            votes: Vec::new(),
            positions: Vec::new(),
            events: Vec::new(),
            outcome_marks: Vec::new(),
            modules,
            ceasefire_module,
            dimensions,
            dimension_module,
            actors,
        })
    }

    /// `rounds.csv`: one row per round. Sizes the per-actor tables, which `read_actors` fills.
    fn read_rounds(&mut self, t: &Table) -> Result<(), ReadError> {
        let (ca, cm, cz, cr) = (
            t.col("agreement")?,
            t.col("mean_utility")?,
            t.col("zopa_margin")?,
            t.col("ripe")?,
        );
        let cols = |prefix: &str, ids: &mut dyn Iterator<Item = &String>| {
            ids.map(|id| t.col(&format!("{prefix}_{id}")))
                .collect::<Result<Vec<usize>, _>>()
        };
        let status_cols = cols("status", &mut self.modules.iter())?;
        let text_cols = cols("text", &mut self.dimensions.iter().map(|d| &d.id))?;
        let comp_cols = cols("compromise", &mut self.dimensions.iter().map(|d| &d.id))?;
        for r in &t.rows {
            self.agreement.push(t.num(r, ca)?);
            self.mean_utility.push(t.num(r, cm)?);
            self.zopa_margin.push(t.num(r, cz)?);
            self.ripe.push(t.boolean(r, cr)?);
            self.status.push(
                status_cols
                    .iter()
                    .map(|&i| t.word(r, i, "status", Status::parse))
                    .collect::<Result<_, _>>()?,
            );
            self.text.push(
                text_cols
                    .iter()
                    .map(|&i| t.num(r, i))
                    .collect::<Result<_, _>>()?,
            );
            self.compromise.push(
                comp_cols
                    .iter()
                    .map(|&i| t.num(r, i))
                    .collect::<Result<_, _>>()?,
            );
        }
        let (n, actors) = (t.rows.len(), self.actors.len());
        self.rounds = n;
        self.utility = vec![vec![f64::NAN; actors]; n];
        self.reservation = vec![vec![f64::NAN; actors]; n];
        self.aspiration = vec![vec![f64::NAN; actors]; n];
        self.votes = vec![vec![vec![Vote::NoVote; self.modules.len()]; actors]; n];
        self.positions = vec![vec![vec![f64::NAN; self.dimensions.len()]; actors]; n];
        Ok(())
    }

    /// `actors.csv`: one row per round × actor.
    fn read_actors(&mut self, t: &Table) -> Result<(), ReadError> {
        let (cround, cactor, crole, cu, cres, casp) = (
            t.col("round")?,
            t.col("actor")?,
            t.col("role")?,
            t.col("utility")?,
            t.col("reservation")?,
            t.col("aspiration")?,
        );
        let vote_cols: Vec<usize> = self
            .modules
            .iter()
            .map(|m| t.col(&format!("vote_{m}")))
            .collect::<Result<_, _>>()?;
        let pos_cols: Vec<usize> = self
            .dimensions
            .iter()
            .map(|d| t.col(&format!("position_{}", d.id)))
            .collect::<Result<_, _>>()?;
        let index: HashMap<&str, usize> = self
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        for r in &t.rows {
            let round: usize = t.count(r, cround)?;
            let actor = &r.cells[cactor];
            let Some(&i) = index.get(actor.as_str()) else {
                return Err(ReadError::UnknownActor {
                    file: t.file,
                    line: r.line,
                    actor: actor.clone(),
                });
            };
            let role = t.word(r, crole, "role", Role::parse)?;
            if role != self.actors[i].role {
                return Err(ReadError::RoleMismatch {
                    file: t.file,
                    line: r.line,
                    actor: actor.clone(),
                    found: role.as_str().into(),
                    expected: self.actors[i].role.as_str().into(),
                });
            }
            if round == 0 || round > self.rounds {
                return Err(ReadError::RoundOutOfRange {
                    file: t.file,
                    line: r.line,
                    round,
                    rounds: self.rounds,
                });
            }
            let k = round - 1;
            self.utility[k][i] = t.num(r, cu)?;
            self.reservation[k][i] = t.num(r, cres)?;
            self.aspiration[k][i] = t.num(r, casp)?;
            for (m, &cv) in vote_cols.iter().enumerate() {
                self.votes[k][i][m] = t.word(r, cv, "vote", Vote::parse)?;
            }
            for (d, &cp) in pos_cols.iter().enumerate() {
                self.positions[k][i][d] = t.num(r, cp)?;
            }
        }
        Ok(())
    }

    /// Two-party outcome marks, from summary.json.
    fn read_outcome(&mut self, summary: &serde_json::Value) {
        let Some(o) = summary.get("outcome").filter(|o| !o.is_null()) else {
            return;
        };
        let ids: Vec<&str> = o["parties"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        for (j, id) in ids.iter().enumerate() {
            if let Some(i) = self.actors.iter().position(|a| a.id == *id) {
                let nash = o["utility_at_nash"].get(j).and_then(|v| v.as_f64());
                let comp = o["utility_at_compromise"]
                    .get(j)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN);
                self.outcome_marks.push((i, nash, comp));
            }
        }
    }

    /// `events.csv`: one row per event.
    fn read_events(&mut self, t: &Table) -> Result<(), ReadError> {
        let (cr, ck, ca, cm) = (
            t.col("round")?,
            t.col("kind")?,
            t.col("actor")?,
            t.col("module")?,
        );
        // Not drawn, but part of what `ceasefire` writes.
        t.col("cause")?;
        for r in &t.rows {
            self.events.push(EventInfo {
                round: t.count(r, cr)?,
                kind: t.word(r, ck, "event kind", EventKindRecord::parse)?,
                actor: r.cells[ca].clone(),
                module: r.cells[cm].clone(),
            });
        }
        Ok(())
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
