//! What one run records: columnar arrays, one entry per round (or round × actor, round × module, round × dimension),
//! allocated once at the start so the round loop never allocates.

use std::collections::HashSet;
use std::sync::Arc;

use crate::world::World;

/// A voter's response to a module's text in one round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vote {
    Accept,
    Reject,
    /// On boycott: does not vote, left out of the agreement share.
    Absent,
    /// Hosts, spoilers and voiceless observers never vote.
    NoVote,
    /// The module is not open yet.
    Closed,
}

impl Vote {
    pub fn as_str(self) -> &'static str {
        match self {
            Vote::Accept => "accept",
            Vote::Reject => "reject",
            Vote::Absent => "absent",
            Vote::NoVote => "none",
            Vote::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Vote> {
        [
            Vote::Accept,
            Vote::Reject,
            Vote::Absent,
            Vote::NoVote,
            Vote::Closed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A module's status as recorded at the end of a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Closed,
    Open,
    Signed,
    /// Only in the round of the collapse; `Open` after.
    Collapsed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Closed => "closed",
            Status::Open => "open",
            Status::Signed => "signed",
            Status::Collapsed => "collapsed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Closed,
            Status::Open,
            Status::Signed,
            Status::Collapsed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKindRecord {
    CapabilityShift,
    HurtShock,
    TrustShock,
    Boycott,
    Violation,
    Attack,
    Signature,
    Collapse,
}

impl EventKindRecord {
    pub const ALL: [EventKindRecord; 8] = [
        EventKindRecord::CapabilityShift,
        EventKindRecord::HurtShock,
        EventKindRecord::TrustShock,
        EventKindRecord::Boycott,
        EventKindRecord::Violation,
        EventKindRecord::Attack,
        EventKindRecord::Signature,
        EventKindRecord::Collapse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKindRecord::CapabilityShift => "capability_shift",
            EventKindRecord::HurtShock => "hurt_shock",
            EventKindRecord::TrustShock => "trust_shock",
            EventKindRecord::Boycott => "boycott",
            EventKindRecord::Violation => "violation",
            EventKindRecord::Attack => "attack",
            EventKindRecord::Signature => "signature",
            EventKindRecord::Collapse => "collapse",
        }
    }

    /// The kind written `s` in `events.csv` (the word [`EventKindRecord::as_str`] gives), if any.
    pub fn parse(s: &str) -> Option<EventKindRecord> {
        EventKindRecord::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One row of `events.csv`.
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub round: u32,
    pub kind: EventKindRecord,
    /// Who acted (the target of a scheduled event, the violator, the attacker).
    pub actor: Option<usize>,
    /// Who bore it (victim of a violation or attack; the guarantor of a trust shock).
    pub other: Option<usize>,
    pub module: Option<usize>,
    /// Magnitude, duration, probability: whatever number the event carries; NaN when none.
    pub value: f64,
    /// "scheduled", "random", "compliance", or a label from the scenario. Shared: a trace keeps one copy of each
    /// distinct cause, however many rows repeat it.
    pub cause: Arc<str>,
}

impl EventRecord {
    /// An event about a module as a whole (a signature, a collapse).
    pub fn module(round: u32, kind: EventKindRecord, module: usize, cause: &str) -> EventRecord {
        EventRecord {
            round,
            kind,
            actor: None,
            other: None,
            module: Some(module),
            value: f64::NAN,
            cause: cause.into(),
        }
    }
}

/// A whole run, columnar: one entry per round (or round × actor, round × module, round × dimension), read through
/// typed accessors. Only the engine's recorder and the textbook protocols write it, through the `push_*` methods.
/// Equality compares numbers bit for bit, so NaN (undefined) equals NaN: two traces are equal when their outputs are.
#[derive(Clone, Debug)]
pub struct Trace {
    rounds: usize,
    actors: usize,
    dims: usize,
    modules: usize,
    world: World,

    // per round
    agreement: Vec<f64>,
    mean_utility: Vec<f64>,
    dispersion: Vec<f64>,
    /// NaN while the ceasefire module is closed.
    zopa_margin: Vec<f64>,
    ripe: Vec<bool>,
    /// NaN when no side is in use.
    p_gov: Vec<f64>,
    in_force: Vec<bool>,
    violations: Vec<u32>,
    attacks: Vec<u32>,
    drafter: Vec<Option<usize>>,
    // per round × module
    module_agreement: Vec<f64>,
    status: Vec<Status>,
    // per round × dimension
    text: Vec<f64>,
    /// The compromise m(t) (NaN when undefined).
    compromise: Vec<f64>,
    // per round × actor
    utility: Vec<f64>,
    reservation: Vec<f64>,
    aspiration: Vec<f64>,
    win_probability: Vec<f64>,
    capability: Vec<f64>,
    hurt: Vec<f64>,
    distrust: Vec<f64>,
    commitment_risk: Vec<f64>,
    // per round × module × actor
    vote: Vec<Vote>,
    /// θ, per round × dimension × actor: each round holds one column per dimension, with actor i's value at
    /// `position_place[i]` in every column (the identity unless the writer keeps its columns in another order).
    position: Vec<f64>,
    position_place: Vec<usize>,

    events: Vec<EventRecord>,
    /// One copy of each distinct cause of `events`.
    causes: HashSet<Arc<str>>,
}

/// One round's values that come once per round (`rounds.csv`).
#[derive(Clone, Copy, Debug)]
pub struct RoundRow {
    /// A(t), on the ceasefire module.
    pub agreement: f64,
    pub mean_utility: f64,
    pub dispersion: f64,
    pub zopa_margin: f64,
    pub ripe: bool,
    pub p_gov: f64,
    pub in_force: bool,
    pub violations: u32,
    pub attacks: u32,
    pub drafter: Option<usize>,
}

/// One actor's values in one round (`actors.csv`); the first four are on the ceasefire module.
#[derive(Clone, Copy, Debug)]
pub struct ActorRow {
    pub utility: f64,
    pub reservation: f64,
    pub aspiration: f64,
    pub win_probability: f64,
    pub capability: f64,
    pub hurt: f64,
    pub distrust: f64,
    /// ε, its fear that the deal will not be kept (0 for a voter that fears no betrayal; NaN for a non-voter).
    pub commitment_risk: f64,
}

impl Trace {
    /// Events reserved up front; a run with more grows the vector as usual.
    const EVENTS_RESERVED: usize = 16;

    /// An empty trace with room for `rounds` rounds of everything.
    pub fn with_capacity(
        rounds: usize,
        actors: usize,
        dims: usize,
        modules: usize,
        world: World,
    ) -> Trace {
        let (r, ra) = (rounds, rounds * actors);
        Trace {
            rounds: 0,
            actors,
            dims,
            modules,
            world,
            agreement: Vec::with_capacity(r),
            mean_utility: Vec::with_capacity(r),
            dispersion: Vec::with_capacity(r),
            zopa_margin: Vec::with_capacity(r),
            ripe: Vec::with_capacity(r),
            p_gov: Vec::with_capacity(r),
            in_force: Vec::with_capacity(r),
            violations: Vec::with_capacity(r),
            attacks: Vec::with_capacity(r),
            drafter: Vec::with_capacity(r),
            module_agreement: Vec::with_capacity(r * modules),
            status: Vec::with_capacity(r * modules),
            text: Vec::with_capacity(r * dims),
            compromise: Vec::with_capacity(r * dims),
            utility: Vec::with_capacity(ra),
            reservation: Vec::with_capacity(ra),
            aspiration: Vec::with_capacity(ra),
            win_probability: Vec::with_capacity(ra),
            capability: Vec::with_capacity(ra),
            hurt: Vec::with_capacity(ra),
            distrust: Vec::with_capacity(ra),
            commitment_risk: Vec::with_capacity(ra),
            vote: Vec::with_capacity(ra * modules),
            position: Vec::with_capacity(ra * dims),
            position_place: (0..actors).collect(),
            // Room for a typical run's signatures, violations and attacks without regrowing.
            events: Vec::with_capacity(Self::EVENTS_RESERVED),
            causes: HashSet::new(),
        }
    }

    // ---- writing, round by round (the engine's recorder and the textbook protocols)

    /// The world the run was drawn in (known to the writer only at the end of the run).
    pub(crate) fn set_world(&mut self, world: World) {
        self.world = world;
    }

    /// Where each actor sits in the position columns the writer pushes (`place[actor]`).
    pub(crate) fn set_position_places(&mut self, place: impl IntoIterator<Item = usize>) {
        self.position_place.clear();
        self.position_place.extend(place);
    }

    /// Start round `t`: its per-round values, each module's agreement and status, the text and the compromise.
    pub(crate) fn push_round(
        &mut self,
        t: u32,
        row: RoundRow,
        module_agreement: impl IntoIterator<Item = f64>,
        status: &[Status],
        text: impl IntoIterator<Item = f64>,
        compromise: &[f64],
    ) {
        self.rounds = t as usize;
        self.agreement.push(row.agreement);
        self.mean_utility.push(row.mean_utility);
        self.dispersion.push(row.dispersion);
        self.zopa_margin.push(row.zopa_margin);
        self.ripe.push(row.ripe);
        self.p_gov.push(row.p_gov);
        self.in_force.push(row.in_force);
        self.violations.push(row.violations);
        self.attacks.push(row.attacks);
        self.drafter.push(row.drafter);
        self.module_agreement.extend(module_agreement);
        self.status.extend_from_slice(status);
        self.text.extend(text);
        self.compromise.extend_from_slice(compromise);
    }

    /// The round's row of every actor, in file order.
    pub(crate) fn push_actors(&mut self, rows: impl IntoIterator<Item = ActorRow>) {
        for row in rows {
            self.utility.push(row.utility);
            self.reservation.push(row.reservation);
            self.aspiration.push(row.aspiration);
            self.win_probability.push(row.win_probability);
            self.capability.push(row.capability);
            self.hurt.push(row.hurt);
            self.distrust.push(row.distrust);
            self.commitment_risk.push(row.commitment_risk);
        }
    }

    /// The round's votes, module by module, each module's in file order.
    pub(crate) fn push_votes(&mut self, votes: impl IntoIterator<Item = Vote>) {
        self.vote.extend(votes);
    }

    /// The round's stated positions: one column of every actor per dimension, each actor at its place.
    pub(crate) fn push_positions(&mut self, columns: &[f64]) {
        self.position.extend_from_slice(columns);
    }

    /// Blank the positions of `actor` in the last round pushed (an actor that has none, such as a host).
    pub(crate) fn hide_positions(&mut self, actor: usize) {
        let column = self.actors;
        let round = self.position.len() - self.dims * column;
        for dim in 0..self.dims {
            self.position[round + dim * column + self.position_place[actor]] = f64::NAN;
        }
    }

    pub(crate) fn push_event(&mut self, mut event: EventRecord) {
        match self.causes.get(&event.cause) {
            Some(cause) => event.cause = Arc::clone(cause),
            None => {
                self.causes.insert(Arc::clone(&event.cause));
            }
        }
        self.events.push(event);
    }

    // ---- reading

    /// The number of rounds recorded.
    pub fn rounds(&self) -> usize {
        self.rounds
    }

    pub fn actors(&self) -> usize {
        self.actors
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn modules(&self) -> usize {
        self.modules
    }

    /// The draws of the run's seed.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// A(t), one per round.
    pub fn agreement(&self) -> &[f64] {
        &self.agreement
    }

    pub fn mean_utility(&self) -> &[f64] {
        &self.mean_utility
    }

    pub fn dispersion(&self) -> &[f64] {
        &self.dispersion
    }

    /// The zone-of-agreement margin, NaN while the ceasefire module is closed.
    pub fn zopa_margin(&self) -> &[f64] {
        &self.zopa_margin
    }

    pub fn ripe(&self) -> &[bool] {
        &self.ripe
    }

    /// P(the government side wins), NaN when no side is in use.
    pub fn p_gov(&self) -> &[f64] {
        &self.p_gov
    }

    /// Whether the ceasefire is in force, one per round.
    pub fn in_force(&self) -> &[bool] {
        &self.in_force
    }

    pub fn violations(&self) -> &[u32] {
        &self.violations
    }

    pub fn attacks(&self) -> &[u32] {
        &self.attacks
    }

    /// The drafter of each round, if there was one.
    pub fn drafter(&self) -> &[Option<usize>] {
        &self.drafter
    }

    pub fn events(&self) -> &[EventRecord] {
        &self.events
    }

    /// Round index (0-based) × module.
    pub fn status_at(&self, round: usize, module: usize) -> Status {
        self.status[round * self.modules + module]
    }

    pub fn module_agreement_at(&self, round: usize, module: usize) -> f64 {
        self.module_agreement[round * self.modules + module]
    }

    pub fn text_at(&self, round: usize, dim: usize) -> f64 {
        self.text[round * self.dims + dim]
    }

    /// The text of the last round.
    pub fn final_text(&self) -> &[f64] {
        &self.text[self.text.len().saturating_sub(self.dims)..]
    }

    pub fn compromise_at(&self, round: usize, dim: usize) -> f64 {
        self.compromise[round * self.dims + dim]
    }

    pub fn vote_at(&self, round: usize, actor: usize, module: usize) -> Vote {
        self.vote[(round * self.modules + module) * self.actors + actor]
    }

    pub fn position_at(&self, round: usize, actor: usize, dim: usize) -> f64 {
        self.position[(round * self.dims + dim) * self.actors + self.position_place[actor]]
    }

    /// Actor `actor`'s row in round `round` (0-based).
    pub fn actor_at(&self, round: usize, actor: usize) -> ActorRow {
        let i = round * self.actors + actor;
        ActorRow {
            utility: self.utility[i],
            reservation: self.reservation[i],
            aspiration: self.aspiration[i],
            win_probability: self.win_probability[i],
            capability: self.capability[i],
            hurt: self.hurt[i],
            distrust: self.distrust[i],
            commitment_risk: self.commitment_risk[i],
        }
    }

    /// Every round's text, round by round (`dims` values per round).
    pub fn texts(&self) -> &[f64] {
        &self.text
    }

    /// Every round's module statuses, round by round (`modules` per round).
    pub fn statuses(&self) -> &[Status] {
        &self.status
    }

    /// Every round's module agreements, round by round (`modules` per round).
    pub fn module_agreements(&self) -> &[f64] {
        &self.module_agreement
    }

    /// Every stated position of the run, in no particular order (for checks over all of them).
    pub fn positions(&self) -> &[f64] {
        &self.position
    }

    /// Every actor's row in every round, round by round, each round's in file order.
    pub fn actor_rows(&self) -> impl Iterator<Item = ActorRow> + '_ {
        (0..self.rounds).flat_map(move |r| (0..self.actors).map(move |i| self.actor_at(r, i)))
    }

    /// First round (1-based) in which module `m` was signed.
    pub fn first_signed(&self, m: usize) -> Option<u32> {
        (0..self.rounds)
            .find(|&r| {
                self.status_at(r, m) == Status::Signed
                    && (r == 0 || self.status_at(r - 1, m) != Status::Signed)
            })
            .map(|r| r as u32 + 1)
    }

    /// Number of collapses of any module.
    pub fn collapses(&self) -> usize {
        self.status
            .iter()
            .filter(|s| **s == Status::Collapsed)
            .count()
    }
}

/// Whether two series hold the same numbers bit for bit (so NaN, "not defined", equals NaN).
pub fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

impl PartialEq for EventRecord {
    fn eq(&self, o: &Self) -> bool {
        self.round == o.round
            && self.kind == o.kind
            && self.actor == o.actor
            && self.other == o.other
            && self.module == o.module
            && self.value.to_bits() == o.value.to_bits()
            && self.cause == o.cause
    }
}

impl PartialEq for Trace {
    fn eq(&self, o: &Self) -> bool {
        self.rounds == o.rounds
            && self.actors == o.actors
            && self.dims == o.dims
            && self.modules == o.modules
            && self.world == o.world
            && self.position_place == o.position_place
            && [
                (&self.agreement, &o.agreement),
                (&self.mean_utility, &o.mean_utility),
                (&self.dispersion, &o.dispersion),
                (&self.zopa_margin, &o.zopa_margin),
                (&self.p_gov, &o.p_gov),
                (&self.module_agreement, &o.module_agreement),
                (&self.text, &o.text),
                (&self.compromise, &o.compromise),
                (&self.utility, &o.utility),
                (&self.reservation, &o.reservation),
                (&self.aspiration, &o.aspiration),
                (&self.win_probability, &o.win_probability),
                (&self.capability, &o.capability),
                (&self.hurt, &o.hurt),
                (&self.distrust, &o.distrust),
                (&self.commitment_risk, &o.commitment_risk),
                (&self.position, &o.position),
            ]
            .iter()
            .all(|(a, b)| same_bits(a, b))
            && self.ripe == o.ripe
            && self.in_force == o.in_force
            && self.violations == o.violations
            && self.attacks == o.attacks
            && self.drafter == o.drafter
            && self.status == o.status
            && self.vote == o.vote
            && self.events == o.events
    }
}
