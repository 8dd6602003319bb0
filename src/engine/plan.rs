//! The plan of a run: everything about the scenario and its draws that does not change from round to round,
//! gathered once per seed into the orders the round reads (voting order, columns of θ).

use std::ops::Range;

use super::index::{ActorIx, Place, VoterIx};
use crate::model::utility;
use crate::scenario::{Role, Scenario, Side};
use crate::world::World;

/// Everything fixed for the run. Its vectors live in the [`super::Workspace`] and are refilled for every seed.
#[derive(Default)]
pub(super) struct Plan {
    /// Actors and dimensions.
    pub n: usize,
    pub k: usize,
    pub roster: Roster,
    pub voters: Voters,
    /// One table per module, in file order.
    pub tables: Vec<ModuleTable>,
    /// Salience of every voter on every dimension: `k` columns of one value per voter, in voting order.
    pub salience_columns: Vec<f64>,
    /// Per actor: voice (a vote's weight is voice × current capability) and capability drift per round.
    pub voice: Vec<f64>,
    pub drift: Vec<f64>,
    /// Trust at the start, dense: `trust0[party * n + guarantor]`.
    pub trust0: Vec<f64>,
}

/// Who is who.
#[derive(Default)]
pub(super) struct Roster {
    /// The voters in voting order: guarantors, then mediators and observers, then parties, each in file order.
    pub vote_order: Vec<ActorIx>,
    /// Each actor's place in a column of θ (see [`Place`]).
    pub place: Vec<Place>,
    /// Guarantors in file order, each with its guarantee commitment γ.
    pub guarantors: Vec<(ActorIx, f64)>,
    pub spoilers: Vec<ActorIx>,
    pub hosts: Vec<ActorIx>,
    /// The principal party of each side (gov, opp).
    pub principal: [Option<ActorIx>; 2],
    /// Who counts in a side's strength: (actor, side index, principal?).
    pub fighters: Vec<(ActorIx, usize, bool)>,
}

/// The voters in voting order, and their patrons.
#[derive(Default)]
pub(super) struct Voters {
    pub list: Vec<Voter>,
    /// Each voter's risk attitude R, in voting order (a column the vote and the concession step zip over).
    pub risk: Vec<f64>,
    /// Every voter's patrons, voter by voter in voting order (each voter's in the range [`Voter::patrons`]).
    pub patrons: Vec<Patron>,
    /// The voters with patrons, each with its range of `patrons`.
    pub clients: Vec<(VoterIx, Range<usize>)>,
}

/// A voter as its votes need it.
pub(super) struct Voter {
    pub actor: ActorIx,
    pub patrons: Range<usize>,
    pub side: Option<usize>,
    /// The fixed reservation of a voter without a side (0 when not declared).
    pub reservation: f64,
    /// Its drawn concession deadline, β and κ (for α), hurt and commitment risk, kept here so that the round reads
    /// them in voting order.
    pub deadline: f64,
    pub beta: f64,
    pub kappa: f64,
    pub hurt_initial: f64,
    pub hurt_growth: f64,
    pub commitment_risk: f64,
    /// A party with a side: it fears the text will not be honoured (commitment risk).
    pub fears_betrayal: bool,
}

/// One patron of a voter.
pub(super) struct Patron {
    pub actor: ActorIx,
    pub place: Place,
    /// Leverage λ × the patron's military commitment μ: the factor of the patron's capability that leaves the
    /// client's side when the patron accepts.
    pub withdrawal: f64,
    /// ω, how far the patron pulls the client's stated position each round.
    pub pull: f64,
}

/// One module's dimensions and, per voter in voting order, what the voter's distance to the module's text needs
/// (columns for [`utility::distances`]) and the utility of each side's victory.
#[derive(Default)]
pub(super) struct ModuleTable {
    pub dims: Vec<usize>,
    /// Ideal and squared salience on each of the module's dimensions: one column of voters per dimension.
    pub ideal: Vec<f64>,
    pub salience2: Vec<f64>,
    /// Σ s² over the module's dimensions, per voter.
    pub salience2_sum: Vec<f64>,
    /// (own side wins, other side wins) per voter; (0, 0) for a voter without a side.
    pub victory: Vec<(f64, f64)>,
}

/// Parties with a side fear the text will not be honoured (commitment risk); others do not.
pub(super) fn fears_betrayal(a: &crate::scenario::Actor) -> bool {
    a.role == Role::Party && a.side != Side::None
}

pub(super) fn side_index(side: Side) -> Option<usize> {
    match side {
        Side::Gov => Some(0),
        Side::Opp => Some(1),
        Side::None => None,
    }
}

/// Empty `v` and fill it with `len` copies of `value`, keeping its allocation.
pub(super) fn refill<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}

impl Plan {
    /// Fill the plan for `sc` and its draws `world`, in vectors that may hold a previous run's values. Each vector
    /// is cleared and sized before it is filled: a fresh workspace does not regrow them, a reused one keeps them.
    pub fn refill(&mut self, sc: &Scenario, world: &World) {
        self.n = sc.actors.len();
        self.k = sc.dimensions.len();
        self.roster.refill(sc, world);
        self.voters.refill(sc, world, &self.roster);
        let (k, nv) = (self.k, self.voters.list.len());
        self.salience_columns.clear();
        self.salience_columns.reserve(k * nv);
        for dim in 0..k {
            self.salience_columns.extend(
                self.roster
                    .vote_order
                    .iter()
                    .map(|&i| world.salience(i.0)[dim]),
            );
        }
        self.voice.clear();
        self.voice.extend(world.actors.iter().map(|d| d.voice));
        self.drift.clear();
        self.drift
            .extend(world.actors.iter().map(|d| d.capability_drift));
        let m = sc.modules.len();
        self.tables.truncate(m);
        self.tables.resize_with(m, ModuleTable::default);
        for (module, table) in sc.modules.iter().zip(&mut self.tables) {
            table.refill(&module.dimensions, world, &self.voters, &self.roster);
        }
        refill(&mut self.trust0, self.n * self.n, 0.0);
        for t in &sc.trust {
            self.trust0[t.party * self.n + t.guarantor] = t.value;
        }
    }
}

impl Roster {
    /// Actor `i`'s index in voting order, if it votes (the voters sit first in the columns, in voting order).
    pub fn voter_of(&self, i: ActorIx) -> Option<VoterIx> {
        let Place(place) = self.place[i.0];
        (place < self.vote_order.len()).then_some(VoterIx(place))
    }

    fn refill(&mut self, sc: &Scenario, world: &World) {
        let n = sc.actors.len();
        self.vote_order.clear();
        self.vote_order.reserve(n);
        for group in [
            &[Role::Guarantor][..],
            &[Role::Mediator, Role::Observer],
            &[Role::Party],
        ] {
            for (i, a) in sc.actors.iter().enumerate() {
                if group.contains(&a.role) && a.is_voter() {
                    self.vote_order.push(ActorIx(i));
                }
            }
        }
        let unplaced = Place(usize::MAX);
        refill(&mut self.place, n, unplaced);
        for (v, &i) in self.vote_order.iter().enumerate() {
            self.place[i.0] = VoterIx(v).into();
        }
        // Then the actors that do not vote, in file order.
        let nv = self.vote_order.len();
        for (next, place) in (nv..).zip(self.place.iter_mut().filter(|p| **p == unplaced)) {
            *place = Place(next);
        }
        let with_role = |role: Role| {
            (0..n)
                .filter(move |&i| sc.actors[i].role == role)
                .map(ActorIx)
        };
        self.guarantors.clear();
        self.guarantors.reserve(n);
        self.guarantors.extend(
            with_role(Role::Guarantor).map(|g| (g, world.actors[g.0].guarantee_commitment)),
        );
        self.spoilers.clear();
        self.spoilers.reserve(n);
        self.spoilers.extend(with_role(Role::Spoiler));
        self.hosts.clear();
        self.hosts.reserve(n);
        self.hosts.extend(with_role(Role::Host));
        self.principal = [None, None];
        for (i, a) in sc.actors.iter().enumerate() {
            if a.principal
                && let Some(s) = side_index(a.side)
            {
                self.principal[s] = Some(ActorIx(i));
            }
        }
        let principal = self.principal;
        self.fighters.clear();
        self.fighters.reserve(n);
        self.fighters.extend(
            sc.actors
                .iter()
                .enumerate()
                .filter(|(_, a)| !matches!(a.role, Role::Host | Role::Spoiler))
                .filter_map(|(i, a)| {
                    side_index(a.side).map(|s| (ActorIx(i), s, principal[s] == Some(ActorIx(i))))
                }),
        );
    }
}

impl Voters {
    fn refill(&mut self, sc: &Scenario, world: &World, roster: &Roster) {
        let n = sc.actors.len();
        self.list.clear();
        self.list.reserve(n);
        self.patrons.clear();
        self.patrons.reserve(sc.patronage.len());
        self.clients.clear();
        self.clients.reserve(n);
        for (v, &i) in roster.vote_order.iter().enumerate() {
            let from = self.patrons.len();
            self.patrons.extend(
                sc.patronage
                    .iter()
                    .filter(|p| p.client == i.0)
                    .map(|p| Patron {
                        actor: ActorIx(p.patron),
                        place: roster.place[p.patron],
                        withdrawal: p.leverage * world.actors[p.patron].military_commitment,
                        pull: p.pull,
                    }),
            );
            let patrons = from..self.patrons.len();
            if !patrons.is_empty() {
                self.clients.push((VoterIx(v), patrons.clone()));
            }
            let d = &world.actors[i.0];
            self.list.push(Voter {
                actor: i,
                patrons,
                side: side_index(sc.actors[i.0].side),
                reservation: d.reservation.unwrap_or(0.0),
                deadline: d.concession_deadline,
                beta: d.concession_beta,
                kappa: d.concession_kappa,
                hurt_initial: d.hurt_initial,
                hurt_growth: d.hurt_growth,
                commitment_risk: d.commitment_risk,
                fears_betrayal: fears_betrayal(&sc.actors[i.0]),
            });
        }
        self.risk.clear();
        self.risk
            .extend(self.list.iter().map(|v| world.actors[v.actor.0].risk));
    }
}

impl ModuleTable {
    fn refill(&mut self, dims: &[usize], world: &World, voters: &Voters, roster: &Roster) {
        let nv = voters.list.len();
        self.dims.clear();
        self.dims.extend_from_slice(dims);
        self.ideal.clear();
        self.ideal.reserve(nv * dims.len());
        self.salience2.clear();
        self.salience2.reserve(nv * dims.len());
        refill(&mut self.salience2_sum, nv, 0.0);
        for &dim in dims {
            for (v, sum) in voters.list.iter().zip(self.salience2_sum.iter_mut()) {
                let s = world.salience(v.actor.0)[dim];
                self.ideal.push(world.ideal(v.actor.0)[dim]);
                self.salience2.push(s * s);
                *sum += s * s;
            }
        }
        // The utility of a victor's peace: the ideal of the winning side's principal, on this module.
        self.victory.clear();
        self.victory.extend(voters.list.iter().map(|v| {
            let Some(own) = v.side else {
                return (0.0, 0.0);
            };
            let i = v.actor.0;
            let u_of = |s: usize| match roster.principal[s] {
                Some(p) => utility::utility(
                    world.ideal(i),
                    world.salience(i),
                    world.actors[i].risk,
                    world.ideal(p.0),
                    dims,
                ),
                None => 0.0,
            };
            (u_of(own), u_of(1 - own))
        }));
    }
}
