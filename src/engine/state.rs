//! What changes during a run: the actors' condition, the texts and the modules, and the round's scratch.

use super::plan::{Plan, refill};
use crate::scenario::Scenario;
use crate::trace::{Status, Vote};
use crate::world::World;

/// The state of the talks, carried from round to round.
#[derive(Default)]
pub(super) struct State {
    pub actors: ActorState,
    pub talks: Talks,
    /// What the current round computes and later steps read.
    pub round: RoundScratch,
}

/// Per actor, in file order (trust: party × guarantor).
#[derive(Default)]
pub(super) struct ActorState {
    pub capability: Vec<f64>,
    /// H: hurt from shocks, violations and attacks (never decays).
    pub shock_hurt: Vec<f64>,
    /// D: distrust from violations and attacks (decays each round).
    pub distrust: Vec<f64>,
    /// Last round of a boycott (0 = none).
    pub boycott_until: Vec<u32>,
    pub trust: Vec<f64>,
    /// θ, dimension-major: `k` columns of `n` values, each actor at its [`super::index::Place`] (the voters first,
    /// in voting order, so that the voters of a dimension are one slice). An actor that does not vote stays at its
    /// ideal.
    pub stated: Vec<f64>,
}

/// The texts and the modules.
#[derive(Default)]
pub(super) struct Talks {
    /// x̄, one per dimension.
    pub text: Vec<f64>,
    /// Per module: whether its text has been drafted once.
    pub text_started: Vec<bool>,
    pub status: Vec<Status>,
    /// Per module: rounds in a row in which every signatory accepted.
    pub streak: Vec<u32>,
    /// Rounds in a row each compliance party found the deal worse than fighting, modules × n.
    pub strain: Vec<u32>,
    /// A(t−1), for the spoilers.
    pub last_agreement: f64,
    /// α_i(t+1), per voter in voting order, computed between rounds (then the next round's α_i(t)).
    pub alpha_next: Vec<f64>,
}

/// The round's working values.
#[derive(Default)]
pub(super) struct RoundScratch {
    /// One slot per module and actor, modules × n.
    pub slots: Vec<Slot>,
    /// m(t) per dimension (NaN where undefined or not computed).
    pub compromise: Vec<f64>,
    /// m(t) where defined, else the text: what ripeness judges.
    pub reference: Vec<f64>,
    /// Whether the round needs m(t) on each dimension.
    pub dim_needed: Vec<bool>,
    /// Undiscounted side strengths of the round (gov, opp).
    pub strengths: [f64; 2],
    /// What each voter (in voting order) brings to every module's vote this round.
    pub voters: Vec<RoundVoter>,
    /// Per voter in voting order: voice × capability, the weight of its vote and of its position in m(t). Set
    /// when drafting; capabilities do not change again before the round is recorded.
    pub vote_weight: Vec<f64>,
    /// Per voter in voting order: capability (recognition).
    pub recognition_weight: Vec<f64>,
    /// Per module and voter in voting order (modules × voters): d(x̄) of the round's vote, which the concession
    /// step reads in the same order.
    pub voter_distance: Vec<f64>,
    /// Per voter in voting order: scratch for the sums of d(x̄), then u(x̄), then the concession share λ.
    pub distance_sums: Vec<f64>,
    pub voter_utility: Vec<f64>,
    pub lambda: Vec<f64>,
    /// (module, violator) of the round's violations, in the order they are decided.
    pub violators: Vec<(usize, usize)>,
}

/// What the round's vote left for one actor on one module: r, U, τ, P(own side wins) (NaN where undefined) and
/// the vote. Kept together so that a vote writes one place.
#[derive(Clone, Copy)]
pub(super) struct Slot {
    pub reservation: f64,
    pub utility: f64,
    pub threshold: f64,
    pub win: f64,
    pub vote: Vote,
}

impl Slot {
    fn new(voter: bool) -> Slot {
        Slot {
            reservation: f64::NAN,
            utility: f64::NAN,
            threshold: f64::NAN,
            win: f64::NAN,
            vote: if voter { Vote::Closed } else { Vote::NoVote },
        }
    }

    pub fn accepted(&self) -> bool {
        self.vote == Vote::Accept
    }
}

/// A voter's α_i(t), hurt, commitment risk ε and boycott in the round being voted.
pub(super) struct RoundVoter {
    pub alpha: f64,
    pub hurt: f64,
    pub epsilon: f64,
    pub boycott: bool,
}

impl State {
    /// The state before round 1, in vectors that may hold a previous run's values.
    pub fn reset(&mut self, sc: &Scenario, plan: &Plan, world: &World) {
        let (n, k, nv) = (plan.n, plan.k, plan.voters.list.len());
        let mcount = sc.modules.len();
        let a = &mut self.actors;
        a.capability.clear();
        a.capability
            .extend(world.actors.iter().map(|d| d.capability));
        refill(&mut a.shock_hurt, n, 0.0);
        refill(&mut a.distrust, n, 0.0);
        refill(&mut a.boycott_until, n, 0);
        a.trust.clear();
        a.trust.extend_from_slice(&plan.trust0);
        refill(&mut a.stated, k * n, 0.0);
        for (i, &place) in plan.roster.place.iter().enumerate() {
            for (dim, &q) in world.ideal(i).iter().enumerate() {
                a.stated[dim * n + place.0] = q;
            }
        }
        let talks = &mut self.talks;
        refill(&mut talks.text, k, 0.5);
        refill(&mut talks.text_started, mcount, false);
        refill(&mut talks.status, mcount, Status::Closed);
        refill(&mut talks.streak, mcount, 0);
        refill(&mut talks.strain, mcount * n, 0);
        talks.last_agreement = 0.0;
        refill(&mut talks.alpha_next, nv, f64::NAN);
        let r = &mut self.round;
        // A voter's slots of a module not yet open read "closed" (and NaN, not accepted) until it opens.
        r.slots.clear();
        r.slots
            .extend((0..mcount * n).map(|slot| Slot::new(sc.actors[slot % n].is_voter())));
        refill(&mut r.compromise, k, f64::NAN);
        refill(&mut r.reference, k, 0.5);
        refill(&mut r.dim_needed, k, true);
        refill(&mut r.voter_distance, mcount * nv, 0.0);
        refill(&mut r.distance_sums, nv, 0.0);
        refill(&mut r.voter_utility, nv, 0.0);
        refill(&mut r.lambda, nv, 0.0);
        r.strengths = [0.0, 0.0];
        // Filled during each round.
        r.voters.clear();
        r.voters.reserve(n);
        r.recognition_weight.clear();
        r.recognition_weight.reserve(n);
        r.vote_weight.clear();
        r.vote_weight.reserve(n);
        r.violators.clear();
        r.violators.reserve(n);
    }
}
