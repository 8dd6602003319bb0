//! What the charts of one run need, read back from the run's own files (`rounds.csv`, `actors.csv`, `events.csv`,
//! `summary.json`, `drawn.toml`). `run` draws from the bytes it has just written, and `ceasefire chart` from the
//! same files on disk, so both give identical charts.

use std::collections::HashMap;

use super::read::{ReadError, Row, Table};
use super::theme::role_rank;
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
    /// The actor and the module, as indices into [`RunData::names`] (events repeat a few ids many times).
    pub actor: u32,
    pub module: u32,
}

/// The actors a chart shows one by one when there are more than it can show: a run of more than this many actors
/// is charted as its first this many by role (parties, then guarantors, mediators, observers, spoilers, hosts) and
/// a summary of the others.
pub const NAMED: usize = 16;

/// What the charts show of one actor charted one by one, round by round (index 0 = round 1).
#[derive(Clone, Debug)]
pub struct ActorSeries {
    pub utility: Vec<f64>,
    pub reservation: Vec<f64>,
    pub aspiration: Vec<f64>,
    /// [round × modules + module]
    pub votes: Vec<Vote>,
    /// [round × dimensions + dimension]
    pub positions: Vec<f64>,
}

/// The actors not charted one by one, summarised round by round: how many of them gave each vote, and the range
/// of the voters' positions.
#[derive(Clone, Debug, Default)]
pub struct Others {
    /// How many actors this summarises.
    pub count: usize,
    /// [round × modules + module]: how many gave each vote, in the order of [`Others::VOTES`]; empty when no row
    /// of theirs was read.
    pub votes: Vec<[u16; 5]>,
    /// [round × dimensions + dimension]: the least and the greatest stated position among those that voted; NaN
    /// when none did (empty when no row was read).
    pub low: Vec<f32>,
    pub high: Vec<f32>,
}

impl Others {
    pub const VOTES: [Vote; 5] = [
        Vote::Accept,
        Vote::Reject,
        Vote::Absent,
        Vote::NoVote,
        Vote::Closed,
    ];

    fn vote_index(v: Vote) -> usize {
        match v {
            Vote::Accept => 0,
            Vote::Reject => 1,
            Vote::Absent => 2,
            Vote::NoVote => 3,
            Vote::Closed => 4,
        }
    }
}

/// One run, as the charts see it. Per-round vectors have one entry per round (index 0 = round 1). What is kept
/// per actor is bounded: [`NAMED`] actors round by round, and a summary of the others ([`Others`]), so the charts
/// of 2,000 actors cost about what those of 17 do.
#[derive(Clone, Debug)]
pub struct RunData {
    pub title: String,
    /// What was changed from the scenario as written (its label or its overrides); empty when nothing was.
    pub changed: String,
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
    /// [round][dimension]: the text on the table; NaN where it is not defined (an empty `text_*` cell: its module
    /// not yet opened).
    pub text: Vec<Vec<f64>>,
    /// [round][dimension]: the compromise, defined in every round.
    pub compromise: Vec<Vec<f64>>,
    /// The actors charted one by one, in file order: every actor when there are at most [`NAMED`].
    pub named: Vec<usize>,
    /// Per actor: its series if it is named and `actors.csv` has rows of it.
    series: Vec<Option<Box<ActorSeries>>>,
    /// Per actor: whether it voted (some vote other than "none").
    voter: Vec<bool>,
    /// The actors not named.
    pub others: Others,
    pub events: Vec<EventInfo>,
    /// The actor and module ids that events name (see [`EventInfo`]).
    pub names: Vec<String>,
    /// Two-party outcome marks: actor index → (utility at the Nash point, utility at the compromise point).
    pub outcome_marks: Vec<(usize, Option<f64>, f64)>,
    /// Real, dated events (`[[history]]` of drawn.toml): (round, label), in file order. Never simulated.
    pub history: Vec<(u32, String)>,
    /// The ceasefire module's collapse rule (drawn.toml): `collapse_margin` and `collapse_patience`.
    pub collapse: Option<Collapse>,
    /// The names of the ceasefire module's signatories (drawn.toml), in file order: whose acceptance signs it.
    pub signatories: Vec<String>,
}

/// When a signed module collapses: when a compliance party's `U − r` stays below `−margin` for `patience` rounds in
/// a row (model.md, "Signing, holding, collapse").
#[derive(Clone, Debug, PartialEq)]
pub struct Collapse {
    pub margin: f64,
    pub patience: u32,
    /// The compliance parties, by id.
    pub compliance: Vec<String>,
}

/// A table read row by row, never held whole: its header (as a [`Table`] without rows, for its typed cells) and
/// the reader.
struct Rows<'a> {
    table: Table,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
}

impl<'a> Rows<'a> {
    fn open(file: &'static str, text: &'a str) -> Result<Rows<'a>, ReadError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|source| ReadError::Csv { file, source })?
            .iter()
            .map(str::to_string)
            .collect::<Vec<String>>();
        super::read::check_header(file, &header)?;
        Ok(Rows {
            table: Table {
                file,
                header,
                rows: Vec::new(),
            },
            reader,
            record: csv::StringRecord::new(),
        })
    }

    /// The next row into `row` (its cells' strings reused); false at the end.
    fn next(&mut self, row: &mut Row) -> Result<bool, ReadError> {
        let file = self.table.file;
        if !self
            .reader
            .read_record(&mut self.record)
            .map_err(|source| ReadError::Csv { file, source })?
        {
            return Ok(false);
        }
        row.line = self.record.position().map_or(0, |p| p.line());
        super::read::check_record(file, &self.table.header, row.line, &self.record)?;
        row.cells.truncate(self.record.len());
        for (i, cell) in self.record.iter().enumerate() {
            match row.cells.get_mut(i) {
                Some(c) => {
                    c.clear();
                    c.push_str(cell);
                }
                None => row.cells.push(cell.to_string()),
            }
        }
        Ok(true)
    }
}

fn empty_row() -> Row {
    Row {
        line: 0,
        cells: Vec::new(),
    }
}

/// What was changed, from a `summary.json`'s `label` and `overrides` (see [`crate::scenario::changes_text`]).
pub fn changes_of(summary: &serde_json::Value) -> String {
    let overrides: Vec<String> = summary
        .get("overrides")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let label = summary.get("label").and_then(|v| v.as_str());
    crate::scenario::changes_text(label, &overrides)
}

/// The text of `key` in a TOML table or JSON object, empty when absent.
pub(crate) fn text_of<V: Lookup>(v: &V, key: &str) -> String {
    v.text(key).unwrap_or_default().to_string()
}

/// What `text_of` needs of a TOML or JSON value.
pub(crate) trait Lookup {
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
    /// Read a run from its files' text. Errors name the file, and the line and word of a table. Tables are read
    /// row by row, so what is kept is what the charts need, not the tables.
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
        data.read_history(&drawn);
        data.read_rounds(Rows::open("rounds.csv", rounds_csv)?)?;
        data.read_actors(Rows::open("actors.csv", actors_csv)?)?;
        data.read_outcome(&summary);
        data.read_events(Rows::open("events.csv", events_csv)?)?;
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
        let named = named(&actors);
        Ok(RunData {
            title: text_of(summary, "title"),
            changed: changes_of(summary),
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
            series: vec![None; actors.len()],
            voter: vec![false; actors.len()],
            others: Others {
                count: actors.len() - named.len(),
                ..Others::default()
            },
            named,
            events: Vec::new(),
            names: Vec::new(),
            outcome_marks: Vec::new(),
            history: Vec::new(),
            collapse: None,
            signatories: Vec::new(),
            modules,
            ceasefire_module,
            dimensions,
            dimension_module,
            actors,
        })
    }

    /// From drawn.toml: the real, dated events (`[[history]]`) and the ceasefire module's collapse rule. An entry
    /// without a round or a label is left out (a run writes neither).
    fn read_history(&mut self, drawn: &toml::Table) {
        self.history = array(drawn, "history")
            .iter()
            .filter_map(|h| {
                let round = h.get("round")?.as_integer()?;
                let label = h.get("label")?.as_str()?;
                Some((u32::try_from(round).ok()?, label.to_string()))
            })
            .collect();
        let module = array(drawn, "modules").get(self.ceasefire_module);
        let name_of = |id: &str| {
            self.actors
                .iter()
                .find(|a| a.id == id)
                .map_or(id.to_string(), |a| a.name.clone())
        };
        self.signatories = module
            .and_then(|m| m.get("signatories"))
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).map(name_of).collect())
            .unwrap_or_default();
        self.collapse = module.and_then(|m| {
            let margin = m.get("collapse_margin")?;
            let margin = margin
                .as_float()
                .or_else(|| margin.as_integer().map(|i| i as f64))?;
            let patience = u32::try_from(m.get("collapse_patience")?.as_integer()?).ok()?;
            let compliance = m
                .get("compliance")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            Some(Collapse {
                margin,
                patience,
                compliance,
            })
        });
    }

    /// `rounds.csv`: one row per round.
    fn read_rounds(&mut self, mut rows: Rows<'_>) -> Result<(), ReadError> {
        let t = &rows.table;
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
        let mut r = empty_row();
        while rows.next(&mut r)? {
            let t = &rows.table;
            self.agreement.push(t.num(&r, ca)?);
            self.mean_utility.push(t.num(&r, cm)?);
            self.zopa_margin.push(t.num(&r, cz)?);
            self.ripe.push(t.boolean(&r, cr)?);
            self.status.push(
                status_cols
                    .iter()
                    .map(|&i| t.word(&r, i, "status", Status::parse))
                    .collect::<Result<_, _>>()?,
            );
            // An empty cell (a text not defined) reads as NaN, as every empty number does.
            self.text.push(
                text_cols
                    .iter()
                    .map(|&i| t.num(&r, i))
                    .collect::<Result<_, _>>()?,
            );
            self.compromise.push(
                comp_cols
                    .iter()
                    .map(|&i| t.num(&r, i))
                    .collect::<Result<_, _>>()?,
            );
        }
        self.rounds = self.agreement.len();
        Ok(())
    }

    /// `actors.csv`: one row per round × actor. Named actors' rows are kept; the others' are summarised.
    fn read_actors(&mut self, mut rows: Rows<'_>) -> Result<(), ReadError> {
        let t = &rows.table;
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
        let mut is_named = vec![false; self.actors.len()];
        for &i in &self.named {
            is_named[i] = true;
        }
        let (n, nm, nd) = (self.rounds, self.modules.len(), self.dimensions.len());
        let (mut votes, mut positions) = (Vec::with_capacity(nm), Vec::with_capacity(nd));
        let mut r = empty_row();
        while rows.next(&mut r)? {
            let t = &rows.table;
            let round: usize = t.count(&r, cround)?;
            let actor = &r.cells[cactor];
            let Some(&i) = index.get(actor.as_str()) else {
                return Err(ReadError::UnknownActor {
                    file: t.file,
                    line: r.line,
                    actor: actor.clone(),
                });
            };
            let role = t.word(&r, crole, "role", Role::parse)?;
            if role != self.actors[i].role {
                return Err(ReadError::RoleMismatch {
                    file: t.file,
                    line: r.line,
                    actor: actor.clone(),
                    found: role.as_str().into(),
                    expected: self.actors[i].role.as_str().into(),
                });
            }
            if round == 0 || round > n {
                return Err(ReadError::RoundOutOfRange {
                    file: t.file,
                    line: r.line,
                    round,
                    rounds: n,
                });
            }
            let k = round - 1;
            let (u, res, asp) = (t.num(&r, cu)?, t.num(&r, cres)?, t.num(&r, casp)?);
            votes.clear();
            for &cv in &vote_cols {
                votes.push(t.word(&r, cv, "vote", Vote::parse)?);
            }
            positions.clear();
            for &cp in &pos_cols {
                positions.push(t.num(&r, cp)?);
            }
            let voted = votes.iter().any(|v| *v != Vote::NoVote);
            self.voter[i] |= voted;
            if is_named[i] {
                let s = self.series[i].get_or_insert_with(|| {
                    Box::new(ActorSeries {
                        utility: vec![f64::NAN; n],
                        reservation: vec![f64::NAN; n],
                        aspiration: vec![f64::NAN; n],
                        votes: vec![Vote::NoVote; n * nm],
                        positions: vec![f64::NAN; n * nd],
                    })
                });
                s.utility[k] = u;
                s.reservation[k] = res;
                s.aspiration[k] = asp;
                s.votes[k * nm..(k + 1) * nm].copy_from_slice(&votes);
                s.positions[k * nd..(k + 1) * nd].copy_from_slice(&positions);
                continue;
            }
            let o = &mut self.others;
            if o.votes.is_empty() {
                o.votes = vec![[0; 5]; n * nm];
                o.low = vec![f32::NAN; n * nd];
                o.high = vec![f32::NAN; n * nd];
            }
            for (m, v) in votes.iter().enumerate() {
                let count = &mut o.votes[k * nm + m][Others::vote_index(*v)];
                *count = count.saturating_add(1);
            }
            if voted {
                for (d, p) in positions.iter().enumerate() {
                    if p.is_finite() {
                        let p = *p as f32;
                        let (lo, hi) = (&mut o.low[k * nd + d], &mut o.high[k * nd + d]);
                        // NaN (none yet) gives way to any number.
                        *lo = if lo.is_nan() { p } else { lo.min(p) };
                        *hi = if hi.is_nan() { p } else { hi.max(p) };
                    }
                }
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
    fn read_events(&mut self, mut rows: Rows<'_>) -> Result<(), ReadError> {
        let t = &rows.table;
        let (cr, ck, ca, cm) = (
            t.col("round")?,
            t.col("kind")?,
            t.col("actor")?,
            t.col("module")?,
        );
        // Not drawn, but part of what `ceasefire` writes.
        t.col("cause")?;
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut r = empty_row();
        while rows.next(&mut r)? {
            let t = &rows.table;
            let mut id = |name: &str| -> u32 {
                if let Some(&i) = ids.get(name) {
                    return i;
                }
                let i = self.names.len() as u32;
                self.names.push(name.to_string());
                ids.insert(name.to_string(), i);
                i
            };
            let (actor, module) = (id(&r.cells[ca]), id(&r.cells[cm]));
            self.events.push(EventInfo {
                round: t.count(&r, cr)?,
                kind: t.word(&r, ck, "event kind", EventKindRecord::parse)?,
                actor,
                module,
            });
        }
        Ok(())
    }

    /// The id an event names (see [`EventInfo`]).
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// Actors that state positions and vote (guarantors, parties, observers and mediators with a vote).
    pub fn is_voter(&self, i: usize) -> bool {
        self.voter[i]
    }

    /// The series of a named actor (None for another, or for one without rows in `actors.csv`).
    pub fn series(&self, i: usize) -> Option<&ActorSeries> {
        self.series.get(i).and_then(|s| s.as_deref())
    }

    /// Actor `i`'s vote on module `m` in round index `t` (a named actor's; "none" without one).
    pub fn vote(&self, i: usize, t: usize, m: usize) -> Vote {
        self.series(i)
            .map_or(Vote::NoVote, |s| s.votes[t * self.modules.len() + m])
    }

    /// Actor `i`'s stated position on dimension `d` in round index `t` (a named actor's; NaN without one).
    pub fn position(&self, i: usize, t: usize, d: usize) -> f64 {
        self.series(i)
            .map_or(f64::NAN, |s| s.positions[t * self.dimensions.len() + d])
    }

    /// Modules that were open at some point.
    pub fn opened(&self, m: usize) -> bool {
        self.status.iter().any(|s| s[m] != Status::Closed)
    }
}

/// The actors charted one by one: all of them when there are at most [`NAMED`]; otherwise the first [`NAMED`] by
/// role (parties first, then guarantors, mediators, observers, spoilers, hosts) and file order. In file order.
fn named(actors: &[ActorInfo]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..actors.len()).collect();
    if actors.len() > NAMED {
        order.sort_by_key(|&i| (role_rank(actors[i].role), i));
        order.truncate(NAMED);
        order.sort_unstable();
    }
    order
}
