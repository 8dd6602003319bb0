//! What one run records: columnar arrays, one entry per round (or round × actor, round × module, round × dimension),
//! allocated once at the start so the round loop never allocates.

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// "scheduled", "random", "compliance", or a label from the scenario.
    pub cause: String,
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
            cause: cause.to_string(),
        }
    }
}

/// A whole run, columnar. Index helpers give the flat positions.
/// Equality compares numbers bit for bit, so NaN (undefined) equals NaN: two traces are equal when their outputs are.
#[derive(Clone, Debug)]
pub struct Trace {
    pub rounds: usize,
    pub actors: usize,
    pub dims: usize,
    pub modules: usize,
    pub world: World,

    // per round
    pub agreement: Vec<f64>,
    pub mean_utility: Vec<f64>,
    pub dispersion: Vec<f64>,
    /// NaN while the ceasefire module is closed.
    pub zopa_margin: Vec<f64>,
    pub ripe: Vec<bool>,
    /// NaN when no side is in use.
    pub p_gov: Vec<f64>,
    pub in_force: Vec<bool>,
    pub violations: Vec<u32>,
    pub attacks: Vec<u32>,
    /// The drafter of the round (index), or `usize::MAX` for none.
    pub drafter: Vec<usize>,
    // per round × module
    pub module_agreement: Vec<f64>,
    pub status: Vec<Status>,
    // per round × dimension
    pub text: Vec<f64>,
    /// The compromise m(t) (NaN when undefined).
    pub compromise: Vec<f64>,
    // per round × actor
    pub utility: Vec<f64>,
    pub reservation: Vec<f64>,
    pub aspiration: Vec<f64>,
    pub win_probability: Vec<f64>,
    pub capability: Vec<f64>,
    pub hurt: Vec<f64>,
    pub distrust: Vec<f64>,
    // per round × module × actor
    pub vote: Vec<Vote>,
    /// θ, per round × dimension × actor: each round holds one column per dimension, with actor i's value at
    /// `position_place[i]` in every column (see [`Trace::position_at`]). The engine keeps θ in this layout and
    /// records it with one copy.
    pub position: Vec<f64>,
    /// Where each actor's value sits in a column of `position` (the identity unless the engine orders it).
    pub position_place: Vec<usize>,

    pub events: Vec<EventRecord>,
}

impl Trace {
    /// Events reserved up front; a run with more grows the vector as usual.
    const EVENTS_RESERVED: usize = 16;

    /// Room for `rounds` rounds of everything.
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
            vote: Vec::with_capacity(ra * modules),
            position: Vec::with_capacity(ra * dims),
            position_place: (0..actors).collect(),
            // Room for a typical run's signatures, violations and attacks without regrowing.
            events: Vec::with_capacity(Self::EVENTS_RESERVED),
        }
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

    pub fn compromise_at(&self, round: usize, dim: usize) -> f64 {
        self.compromise[round * self.dims + dim]
    }

    pub fn vote_at(&self, round: usize, actor: usize, module: usize) -> Vote {
        self.vote[(round * self.modules + module) * self.actors + actor]
    }

    pub fn position_at(&self, round: usize, actor: usize, dim: usize) -> f64 {
        self.position[(round * self.dims + dim) * self.actors + self.position_place[actor]]
    }

    /// Index into per round × actor columns.
    pub fn ra(&self, round: usize, actor: usize) -> usize {
        round * self.actors + actor
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

fn same_bits(a: &[f64], b: &[f64]) -> bool {
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
