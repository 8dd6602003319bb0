//! One run under a textbook protocol (`proposal_rule = "zeuthen"` or `"alternating"`): two parties bargain over the
//! one dimension of the ceasefire module, and the run is recorded in the same trace, with the same columns, as the
//! default model, through the same recorders (`record.rs`), so every table, chart and ensemble works unchanged.
//!
//! - Zeuthen (1930): each party holds an offer, starting at its ideal; each round, a party accepts the other's offer
//!   if it is worth at least its own; otherwise the party with the smaller risk limit concedes `zeuthen_step` toward
//!   the other (both on a tie), never below its reservation. Harsanyi (1956): this ends near the Nash solution.
//! - Alternating offers (Rubinstein 1982): the first party in the file opens; with discount factors δ1 (opener) and
//!   δ2, its share of the pie — the distance toward its own ideal end — is found by backward induction and equals
//!   `(1 − δ2)/(1 − δ1 δ2)`; the responder accepts at once. Utility is linear in the share and disagreement is worth
//!   0, as in Rubinstein's model: risk and reservations are not used.

use super::record::{Recorder, Round};
use crate::model::{measures, textbook, utility};
use crate::scenario::{ProposalRule, Role, Scenario};
use crate::trace::{ActorRow, EventKindRecord, EventRecord, RoundRow, Status, Vote};
use crate::world::World;

/// The two parties, in file order.
fn parties(sc: &Scenario) -> (usize, usize) {
    let mut it = sc
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Party)
        .map(|(i, _)| i);
    let a = it.next().unwrap_or(0);
    let b = it.next().unwrap_or(a);
    (a, b)
}

struct Exchange {
    offers: [f64; 2],
    text: f64,
    agreed: bool,
    signed_now: bool,
}

/// Run a textbook protocol, recording each round in `rec`.
pub(super) fn run<R: Recorder>(sc: &Scenario, world: &World, rec: &mut R) {
    let rounds = sc.simulation.rounds as usize;
    let cf = sc.ceasefire_module;
    let dim = sc.modules[cf].dimensions.first().copied().unwrap_or(0);
    let (a, b) = parties(sc);
    let ids = [a, b];
    let q = [world.ideal(a)[dim], world.ideal(b)[dim]];
    let risk = [world.actors[a].risk, world.actors[b].risk];
    let res = [
        world.actors[a].reservation.unwrap_or(0.0),
        world.actors[b].reservation.unwrap_or(0.0),
    ];
    let u = |p: usize, x: f64| utility::of_distance(utility::distance_on_one(q[p], x), risk[p]);
    // How far from its ideal each party may go and still beat conflict.
    let reach = [
        utility::distance_for(res[0], risk[0]),
        utility::distance_for(res[1], risk[1]),
    ];
    let bound = |p: usize, x: f64| {
        let lo = q[p] - reach[p];
        let hi = q[p] + reach[p];
        x.clamp(lo.max(0.0), hi.min(1.0))
    };
    let mut offers = q;
    let mut text = 0.5 * (q[0] + q[1]);
    let mut agreed = false;
    for t in 1..=rounds as u32 {
        let mut round = Exchange {
            offers,
            text,
            agreed,
            signed_now: false,
        };
        if !agreed {
            match sc.simulation.proposal_rule {
                ProposalRule::Alternating => {
                    let (d1, d2) = (world.actors[a].discount, world.actors[b].discount);
                    let share = textbook::backward_induction_share(d1, d2, 10_000_000);
                    // The opener's share is the distance from the other's ideal end toward its own.
                    let x = q[1] + share * (q[0] - q[1]);
                    round.offers = [x, x];
                    round.text = x;
                    round.agreed = true;
                    round.signed_now = true;
                }
                _ => {
                    let a_takes = u(0, offers[1]) >= u(0, offers[0]);
                    let b_takes = u(1, offers[0]) >= u(1, offers[1]);
                    if a_takes || b_takes {
                        round.text = match (a_takes, b_takes) {
                            (true, true) => 0.5 * (offers[0] + offers[1]),
                            (true, false) => offers[1],
                            _ => offers[0],
                        };
                        round.agreed = true;
                        round.signed_now = true;
                    } else {
                        let limits = [
                            textbook::risk_limit(u(0, offers[0]), u(0, offers[1]), res[0]),
                            textbook::risk_limit(u(1, offers[1]), u(1, offers[0]), res[1]),
                        ];
                        let (ca, cb) = textbook::zeuthen_concedes(limits[0], limits[1]);
                        let step = sc.simulation.zeuthen_step;
                        let mut next = offers;
                        if ca {
                            next[0] = bound(0, textbook::concede(offers[0], offers[1], step));
                        }
                        if cb {
                            next[1] = bound(1, textbook::concede(offers[1], offers[0], step));
                        }
                        round.text = 0.5 * (offers[0] + offers[1]);
                        offers = next;
                    }
                }
            }
        }
        if round.agreed {
            agreed = true;
            text = round.text;
            offers = [text, text];
        }
        record(sc, world, rec, t, &round, ids, dim, &u, res);
    }
}

#[allow(clippy::too_many_arguments)]
fn record<R: Recorder>(
    sc: &Scenario,
    world: &World,
    rec: &mut R,
    t: u32,
    r: &Exchange,
    ids: [usize; 2],
    dim: usize,
    u: &dyn Fn(usize, f64) -> f64,
    res: [f64; 2],
) {
    let (n, k, mcount) = (sc.actors.len(), sc.dimensions.len(), sc.modules.len());
    let cf = sc.ceasefire_module;
    let signed = r.agreed;
    let share = if signed { 1.0 } else { 0.0 };
    let caps = ids.map(|i| world.actors[i].capability);
    let utils = [u(0, r.text), u(1, r.text)];
    let total: f64 = caps.iter().sum();
    let mid = 0.5 * (r.offers[0] + r.offers[1]);
    let square = |x: f64| x * x;
    let row = RoundRow {
        agreement: share,
        // Two bargainers without capability still bargain: their plain mean.
        mean_utility: if total > 0.0 {
            measures::weighted_mean([(caps[0], utils[0]), (caps[1], utils[1])])
        } else {
            0.5 * (utils[0] + utils[1])
        },
        // The offers' spread around their midpoint, each bargainer weighing the same.
        dispersion: measures::dispersion(
            1,
            [
                (1.0, square(r.offers[0] - mid)),
                (1.0, square(r.offers[1] - mid)),
            ],
        ),
        zopa_margin: measures::zopa_margin([(utils[0], res[0]), (utils[1], res[1])]),
        ripe: false,
        p_gov: f64::NAN,
        in_force: signed,
        violations: 0,
        attacks: 0,
        drafter: None,
    };
    let status: Vec<Status> = (0..mcount)
        .map(|m| {
            if m != cf {
                Status::Closed
            } else if signed {
                Status::Signed
            } else {
                Status::Open
            }
        })
        .collect();
    let text: Vec<f64> = (0..k)
        .map(|d| if d == dim { r.text } else { 0.5 })
        .collect();
    let compromise: Vec<f64> = (0..k)
        .map(|d| if d == dim { mid } else { f64::NAN })
        .collect();
    let module_agreement = (0..mcount)
        .map(|m| if m == cf { share } else { 0.0 })
        .collect();
    // Each actor's index among the two bargainers, if it is one.
    let bargainer: Vec<Option<usize>> = (0..n).map(|i| ids.iter().position(|&x| x == i)).collect();
    let votes = (0..mcount)
        .flat_map(|m| {
            bargainer.iter().map(move |p| match (p, m == cf) {
                (Some(_), false) => Vote::Closed,
                (Some(_), true) if signed => Vote::Accept,
                (Some(_), true) => Vote::Reject,
                _ => Vote::NoVote,
            })
        })
        .collect();
    let actors = sc
        .actors
        .iter()
        .enumerate()
        .zip(&bargainer)
        .map(|((i, a), &p)| {
            let (utility, reservation, aspiration) = match p {
                // What it demands: the utility of its own standing offer.
                Some(p) => (utils[p], res[p], u(p, r.offers[p])),
                None => (f64::NAN, f64::NAN, f64::NAN),
            };
            ActorRow {
                utility,
                reservation,
                aspiration,
                win_probability: f64::NAN,
                capability: if a.role == Role::Host {
                    f64::NAN
                } else {
                    world.actors[i].capability
                },
                hurt: 0.0,
                distrust: 0.0,
                // Two parties with side "none": neither fears betrayal (U = u).
                commitment_risk: if p.is_some() { 0.0 } else { f64::NAN },
            }
        })
        .collect();
    // θ dimension by dimension, each actor at its own index.
    let mut positions = Vec::with_capacity(k * n);
    for d in 0..k {
        for (i, &p) in bargainer.iter().enumerate() {
            positions.push(match p {
                Some(p) if d == dim => r.offers[p],
                Some(_) => world.ideal(i)[d],
                None => f64::NAN,
            });
        }
    }
    if r.signed_now {
        let cause = format!("{} protocol", sc.simulation.proposal_rule.as_str());
        rec.event(|| EventRecord::module(t, EventKindRecord::Signature, cf, &cause));
    }
    rec.round(&TextbookRound {
        t,
        row,
        status,
        module_agreement,
        text,
        compromise,
        actors,
        votes,
        positions,
    });
}

/// A textbook round, computed whole, as the recorders read it.
struct TextbookRound {
    t: u32,
    row: RoundRow,
    status: Vec<Status>,
    module_agreement: Vec<f64>,
    text: Vec<f64>,
    compromise: Vec<f64>,
    actors: Vec<ActorRow>,
    votes: Vec<Vote>,
    /// θ, one column per dimension, each actor at its own index.
    positions: Vec<f64>,
}

impl Round for TextbookRound {
    fn number(&self) -> u32 {
        self.t
    }

    fn statuses(&self) -> &[Status] {
        &self.status
    }

    fn agreement(&self) -> f64 {
        self.row.agreement
    }

    fn module_agreement(&self, m: usize) -> f64 {
        self.module_agreement[m]
    }

    fn mean_utility(&self) -> f64 {
        self.row.mean_utility
    }

    fn ripe(&self) -> bool {
        self.row.ripe
    }

    fn in_force(&self) -> bool {
        self.row.in_force
    }

    fn violations(&self) -> u32 {
        self.row.violations
    }

    fn attacks(&self) -> u32 {
        self.row.attacks
    }

    fn row(&self) -> RoundRow {
        self.row
    }

    fn text(&self) -> &[f64] {
        &self.text
    }

    fn compromise(&self) -> &[f64] {
        &self.compromise
    }

    fn actor_rows(&self) -> impl Iterator<Item = ActorRow> + '_ {
        self.actors.iter().copied()
    }

    fn votes(&self) -> impl Iterator<Item = Vote> + '_ {
        self.votes.iter().copied()
    }

    fn position_columns(&self) -> &[f64] {
        &self.positions
    }

    fn position_places(&self) -> impl Iterator<Item = usize> + '_ {
        0..self.actors.len()
    }

    fn without_position(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::empty()
    }
}
