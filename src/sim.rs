//! One run: the fixed round order of MODEL.md, in one function ([`run_world`]) that reads like its list.
//!
//! The run is single-threaded and takes its randomness only from streams keyed by (seed, purpose, actor), so the
//! same scenario and seed always give the same trace, and two variants of a scenario see the same luck.

use std::ops::Range;

use rand_chacha::ChaCha8Rng;

use crate::model::{
    aspiration, battlefield, commitment, compliance, concession, events, spoilers, text, utility,
    votes,
};
use crate::rng::{self, KeyedStream, fnv1a};
use crate::scenario::{EventKind, ProposalRule, Role, Scenario, Side, Timing};
use crate::trace::{EventKindRecord, EventRecord, Status, Trace, Vote};
use crate::world::World;

/// Run `scenario` with `seed`.
pub fn run(scenario: &Scenario, seed: u64) -> Trace {
    let world = World::draw(scenario, seed);
    run_world(scenario, world)
}

/// The scenario and what its draws fix for the whole run (the [`Plan`], read through `Deref`).
struct Setup<'a> {
    sc: &'a Scenario,
    plan: &'a Plan,
}

impl std::ops::Deref for Setup<'_> {
    type Target = Plan;

    fn deref(&self) -> &Plan {
        self.plan
    }
}

/// Everything about the scenario and its draws that does not change during the run. Its vectors live in the
/// [`Workspace`] and are refilled for every run.
#[derive(Default)]
struct Plan {
    n: usize,
    k: usize,
    /// Voters in voting order: guarantors, then mediators and observers, then parties, each in file order.
    vote_order: Vec<usize>,
    /// Voice per actor: the weight of a vote is voice × current capability.
    voice: Vec<f64>,
    /// Capability drift per round, per actor.
    drift: Vec<f64>,
    /// Guarantors in file order, each with its guarantee commitment.
    guarantors: Vec<(usize, f64)>,
    spoilers: Vec<usize>,
    hosts: Vec<usize>,
    /// The principal party of each side (gov, opp).
    principal: [Option<usize>; 2],
    /// Voters with patrons, in file order, each as its place in [`State::stated`]'s columns (its index in voting
    /// order) with the range of its patrons' (place, pull ω) in `pulls`.
    clients: Vec<(usize, Range<usize>)>,
    pulls: Vec<(usize, f64)>,
    /// Each actor's place in a column of [`State::stated`]: the voters in voting order, then the others in file
    /// order.
    place: Vec<usize>,
    /// Salience of every voter on every dimension, dimension-major in voting order: `k` columns of `voters` values.
    salience_columns: Vec<f64>,
    /// Utility of each side's victory for each actor and module: [(own win, other win)] at i * modules + m.
    victory_utility: Vec<(f64, f64)>,
    /// Dense trust matrix: trust[party * n + guarantor].
    trust0: Vec<f64>,
    /// The voters in voting order, and what each module's vote needs of them.
    voters: Vec<Voter>,
    /// The voters' patrons, each voter's in the range `Voter::patrons`.
    patrons: Vec<(usize, f64)>,
    /// Each voter's risk attitude, in voting order.
    risk: Vec<f64>,
    tables: Vec<ModuleTable>,
    /// Who counts in a side's strength: (actor, side index, principal?).
    fighters: Vec<(usize, usize, bool)>,
}

/// A voter as its votes need it.
struct Voter {
    /// Index in the scenario's actors.
    i: usize,
    /// Its patrons, a range of `Plan::patrons`: (patron, leverage × the patron's military commitment), the factor
    /// of the patron's capability that leaves the client's side when the patron accepts.
    patrons: Range<usize>,
    side: Option<usize>,
    /// The fixed reservation of a voter without a side (0 when not declared).
    reservation: f64,
    /// Its drawn concession deadline, β and κ (for α), hurt and commitment risk, copied here so the round
    /// reads them in voting order.
    deadline: f64,
    beta: f64,
    kappa: f64,
    hurt_initial: f64,
    hurt_growth: f64,
    commitment_risk: f64,
    /// A party with a side: it fears the text will not be honoured (commitment risk).
    fears_betrayal: bool,
}

/// One module's dimensions and, per voter in voting order, what the voter's distance to its text needs: the
/// ideal and squared salience on each of the module's dimensions (dimension-major: `voters` values per dimension),
/// their Σ s², and the utility of each side's victory. Gathered once per run so that the vote works on whole
/// columns: every voter's distance in one pass without branches, before the votes themselves.
#[derive(Default)]
struct ModuleTable {
    dims: Vec<usize>,
    ideal: Vec<f64>,
    s2: Vec<f64>,
    s2_sum: Vec<f64>,
    /// (own side wins, other side wins).
    victory: Vec<(f64, f64)>,
}

impl ModuleTable {
    /// d(x) for every voter, given the module's text `text`: the same sums, in the same order, as
    /// [`utility::distance`]. `num` is scratch of one value per voter.
    fn distances(&self, text: &[f64], num: &mut [f64], out: &mut [f64]) {
        let voters = out.len();
        num.fill(0.0);
        for (d, &dim) in self.dims.iter().enumerate() {
            let x = text[dim];
            let column = d * voters..(d + 1) * voters;
            for ((num, &q), &s2) in num
                .iter_mut()
                .zip(&self.ideal[column.clone()])
                .zip(&self.s2[column])
            {
                let gap = q - x;
                *num += s2 * gap * gap;
            }
        }
        for ((out, &num), &den) in out.iter_mut().zip(num.iter()).zip(&self.s2_sum) {
            *out = utility::distance_of_sums(num, den);
        }
    }
}

/// Parties with a side fear the text will not be honoured (commitment risk); others do not.
fn fears_betrayal(a: &crate::scenario::Actor) -> bool {
    a.role == Role::Party && a.side != Side::None
}

fn side_index(side: Side) -> Option<usize> {
    match side {
        Side::Gov => Some(0),
        Side::Opp => Some(1),
        Side::None => None,
    }
}

impl Plan {
    /// Fill the plan for `sc` and its draws `world`, in vectors that may hold a previous run's values.
    fn refill(&mut self, sc: &Scenario, world: &World) {
        let n = sc.actors.len();
        let k = sc.dimensions.len();
        let m = sc.modules.len();
        self.n = n;
        self.k = k;
        // Each vector is cleared and sized before it is filled: a fresh workspace (a one-off run) does not regrow
        // them, and a reused one keeps its allocations.
        self.vote_order.clear();
        self.vote_order.reserve(n);
        for group in [
            &[Role::Guarantor][..],
            &[Role::Mediator, Role::Observer],
            &[Role::Party],
        ] {
            for (i, a) in sc.actors.iter().enumerate() {
                if group.contains(&a.role) && a.is_voter() {
                    self.vote_order.push(i);
                }
            }
        }
        refill(&mut self.place, n, usize::MAX);
        for (v, &i) in self.vote_order.iter().enumerate() {
            self.place[i] = v;
        }
        let nv = self.vote_order.len();
        // Then the actors that do not vote, in file order.
        for (next, place) in (nv..).zip(self.place.iter_mut().filter(|p| **p == usize::MAX)) {
            *place = next;
        }
        self.salience_columns.clear();
        self.salience_columns.reserve(k * nv);
        for dim in 0..k {
            self.salience_columns
                .extend(self.vote_order.iter().map(|&i| world.salience(i)[dim]));
        }
        self.voice.clear();
        self.voice.extend(world.actors.iter().map(|d| d.voice));
        self.drift.clear();
        self.drift
            .extend(world.actors.iter().map(|d| d.capability_drift));
        let with_role = |role: Role| (0..n).filter(move |&i| sc.actors[i].role == role);
        self.guarantors.clear();
        self.guarantors.reserve(n);
        self.guarantors
            .extend(with_role(Role::Guarantor).map(|g| (g, world.actors[g].guarantee_commitment)));
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
                self.principal[s] = Some(i);
            }
        }
        let patronage_of = |client: usize| sc.patronage.iter().filter(move |p| p.client == client);
        self.clients.clear();
        self.clients.reserve(n);
        self.pulls.clear();
        self.pulls.reserve(sc.patronage.len());
        for i in (0..n).filter(|&i| sc.actors[i].is_voter()) {
            let from = self.pulls.len();
            let place = &self.place;
            self.pulls
                .extend(patronage_of(i).map(|p| (place[p.patron], p.pull)));
            if self.pulls.len() > from {
                self.clients.push((self.place[i], from..self.pulls.len()));
            }
        }
        self.victory_utility.clear();
        self.victory_utility.resize(n * m, (0.0, 0.0));
        for (i, a) in sc.actors.iter().enumerate() {
            let Some(own) = side_index(a.side) else {
                continue;
            };
            let d = &world.actors[i];
            for (mi, module) in sc.modules.iter().enumerate() {
                let u_of = |s: usize| match self.principal[s] {
                    Some(p) => utility::utility(
                        world.ideal(i),
                        world.salience(i),
                        d.risk,
                        world.ideal(p),
                        &module.dimensions,
                    ),
                    None => 0.0,
                };
                self.victory_utility[i * m + mi] = (u_of(own), u_of(1 - own));
            }
        }
        self.voters.clear();
        self.voters.reserve(n);
        self.patrons.clear();
        self.patrons.reserve(sc.patronage.len());
        for &i in &self.vote_order {
            let from = self.patrons.len();
            self.patrons.extend(patronage_of(i).map(|p| {
                (
                    p.patron,
                    p.leverage * world.actors[p.patron].military_commitment,
                )
            }));
            let d = &world.actors[i];
            self.voters.push(Voter {
                i,
                patrons: from..self.patrons.len(),
                side: side_index(sc.actors[i].side),
                reservation: d.reservation.unwrap_or(0.0),
                deadline: d.concession_deadline,
                beta: d.concession_beta,
                kappa: d.concession_kappa,
                hurt_initial: d.hurt_initial,
                hurt_growth: d.hurt_growth,
                commitment_risk: d.commitment_risk,
                fears_betrayal: fears_betrayal(&sc.actors[i]),
            });
        }
        self.tables.truncate(m);
        self.tables.resize_with(m, ModuleTable::default);
        for ((mi, module), table) in sc.modules.iter().enumerate().zip(&mut self.tables) {
            table.dims.clear();
            table.dims.extend_from_slice(&module.dimensions);
            table.ideal.clear();
            table.ideal.reserve(nv * module.dimensions.len());
            table.s2.clear();
            table.s2.reserve(nv * module.dimensions.len());
            table.victory.clear();
            table.victory.extend(
                self.voters
                    .iter()
                    .map(|v| self.victory_utility[v.i * m + mi]),
            );
            refill(&mut table.s2_sum, nv, 0.0);
            for &dim in &table.dims {
                for (v, s2_sum) in self.voters.iter().zip(table.s2_sum.iter_mut()) {
                    let s = world.salience(v.i)[dim];
                    table.ideal.push(world.ideal(v.i)[dim]);
                    table.s2.push(s * s);
                    *s2_sum += s * s;
                }
            }
        }
        self.risk.clear();
        self.risk
            .extend(self.voters.iter().map(|v| world.actors[v.i].risk));
        let principal = self.principal;
        self.fighters.clear();
        self.fighters.reserve(n);
        self.fighters.extend(
            sc.actors
                .iter()
                .enumerate()
                .filter(|(_, a)| !matches!(a.role, Role::Host | Role::Spoiler))
                .filter_map(|(i, a)| side_index(a.side).map(|s| (i, s, principal[s] == Some(i)))),
        );
        refill(&mut self.trust0, n * n, 0.0);
        for t in &sc.trust {
            self.trust0[t.party * n + t.guarantor] = t.value;
        }
    }
}

/// What changes during a run.
#[derive(Default)]
struct State {
    capability: Vec<f64>,
    /// H: hurt from shocks, violations and attacks (never decays).
    shock_hurt: Vec<f64>,
    /// D: distrust from violations and attacks (decays each round).
    distrust: Vec<f64>,
    /// Last round of a boycott (0 = none).
    boycott_until: Vec<u32>,
    trust: Vec<f64>,
    /// θ, dimension-major: `k` columns of `n` values, each actor at its [`Plan::place`] (the voters first, in
    /// voting order, so that the voters of a dimension are one slice). An actor that does not vote stays at its
    /// ideal.
    stated: Vec<f64>,
    /// x̄, one per dimension.
    text: Vec<f64>,
    text_started: Vec<bool>,
    status: Vec<Status>,
    streak: Vec<u32>,
    /// Rounds in a row each compliance party found the deal worse than fighting, modules × n.
    strain: Vec<u32>,
    /// A(t−1), for the spoilers.
    last_agreement: f64,
    /// Scratch of the round: one slot per module and actor, modules × n.
    slots: Vec<Slot>,
    compromise: Vec<f64>,
    /// α_i(t+1), per voter in voting order, computed between rounds (then the next round's α_i(t)).
    alpha_next: Vec<f64>,
    /// Undiscounted side strengths of the round (gov, opp).
    strengths: [f64; 2],
    /// What each voter (in voting order) brings to every module's vote this round.
    round_voters: Vec<RoundVoter>,
    /// Per module and voter in voting order (modules × voters): d(x̄) of the round's vote, which the concession
    /// step reads in the same order.
    voter_distance: Vec<f64>,
    /// Per voter in voting order, scratch of the round: the sums of d(x̄), u(x̄), and the concession share λ.
    distance_sums: Vec<f64>,
    voter_utility: Vec<f64>,
    lambda: Vec<f64>,
    /// Whether the round needs m(t) on each dimension.
    dim_needed: Vec<bool>,
    /// m(t) where defined, else the text: what ripeness judges.
    reference: Vec<f64>,
    /// Per voter in voting order: voice × capability, the weight of its vote and of its position in m(t). Set
    /// when drafting; capabilities do not change again before the round is recorded.
    vote_weight: Vec<f64>,
    /// Per voter in voting order: capability (recognition).
    weights: Vec<f64>,
    violators: Vec<(usize, usize)>,
}

/// What the round's vote left for one actor on one module: r, U, τ, P(own side wins) (NaN where
/// undefined) and the vote. Kept together so a vote writes one place; "accepted" is `vote == Accept`.
#[derive(Clone, Copy)]
struct Slot {
    reservation: f64,
    utility: f64,
    threshold: f64,
    win: f64,
    vote: Vote,
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

    fn accepted(&self) -> bool {
        self.vote == Vote::Accept
    }
}

/// A voter's α_i(t), hurt, commitment risk ε and boycott in the round being voted.
struct RoundVoter {
    alpha: f64,
    hurt: f64,
    epsilon: f64,
    boycott: bool,
}

struct Streams {
    events: ChaCha8Rng,
    recognition: ChaCha8Rng,
    /// Voters, compliance parties and spoilers draw, each from its own stream. Votes draw only when they are
    /// noisy (accept temperature > 0); otherwise there are no vote streams.
    votes: Option<PerActor>,
    violations: PerActor,
    attacks: PerActor,
}

/// One purpose's streams: one per actor that draws for it, keyed "<purpose>/<ACTOR>", and one unused stream
/// (keyed "<purpose>/") for every actor that never draws for it.
struct PerActor {
    streams: Vec<ChaCha8Rng>,
    /// The index in `streams` of each actor's stream (0, the unused one, for actors that never draw).
    slot: Vec<usize>,
}

impl PerActor {
    fn new(sc: &Scenario, seed: u64, purpose: &str, wanted: impl Fn(usize) -> bool) -> PerActor {
        let prefix = rng::fnv1a_extend(fnv1a(purpose), "/");
        let drawing = (0..sc.actors.len()).filter(|&i| wanted(i)).count();
        let mut streams = Vec::with_capacity(1 + drawing);
        streams.push(rng::chacha(seed, prefix));
        let slot = (0..sc.actors.len())
            .map(|i| {
                if wanted(i) {
                    streams.push(rng::chacha(
                        seed,
                        rng::fnv1a_extend(prefix, &sc.actors[i].id),
                    ));
                    streams.len() - 1
                } else {
                    0
                }
            })
            .collect();
        PerActor { streams, slot }
    }

    fn of(&mut self, i: usize) -> &mut ChaCha8Rng {
        &mut self.streams[self.slot[i]]
    }
}

impl Streams {
    fn new(sc: &Scenario, seed: u64) -> Streams {
        let role = |i: usize| sc.actors[i].role;
        Streams {
            events: rng::chacha(seed, fnv1a("events")),
            recognition: rng::chacha(seed, fnv1a("recognition")),
            votes: votes::noisy(sc.simulation.accept_temperature)
                .then(|| PerActor::new(sc, seed, "votes", |i| sc.actors[i].is_voter())),
            violations: PerActor::new(sc, seed, "violations", |i| role(i) == Role::Party),
            attacks: PerActor::new(sc, seed, "attacks", |i| role(i) == Role::Spoiler),
        }
    }
}

/// Run one seed's world through every round.
pub fn run_world(sc: &Scenario, world: World) -> Trace {
    run_recording(&mut Workspace::default(), sc, world, Recording::Full)
}

/// What a run records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Recording {
    /// Everything: per-round series, per-actor rows, events.
    Full,
    /// What ensembles keep: per round the agreement A(t), every module's status, mean utility, ripeness, the
    /// ceasefire in force, violations and attacks; the events; and the text of the last round only. The other
    /// modules' agreement, dispersion, ZOPA margin, P(gov), drafter, compromise and per-actor rows stay empty.
    Lean,
}

/// Run `scenario` with `seed`, recording only what ensembles keep (see `Recording::Lean`). Every recorded value
/// is identical to [`run`]'s; `text` holds the last round's text only.
pub fn run_lean(scenario: &Scenario, seed: u64) -> Trace {
    run_lean_in(&mut Workspace::default(), scenario, seed)
}

/// [`run_lean`] working in `workspace`: a thread that runs many seeds keeps one workspace and allocates the run's
/// working vectors once instead of once per seed. The result does not depend on what the workspace held before.
pub fn run_lean_in(workspace: &mut Workspace, scenario: &Scenario, seed: u64) -> Trace {
    run_recording(
        workspace,
        scenario,
        World::draw(scenario, seed),
        Recording::Lean,
    )
}

/// The working vectors of a run, kept between runs (see [`run_lean_in`]). Every run resets all of them.
#[derive(Default)]
pub struct Workspace {
    plan: Plan,
    state: State,
}

/// Empty `v` and fill it with `len` copies of `value`, keeping its allocation.
fn refill<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}

impl State {
    /// θ_i on dimension `dim`.
    fn position(&self, setup: &Setup, i: usize, dim: usize) -> f64 {
        self.stated[dim * setup.n + setup.place[i]]
    }

    /// The state before round 1, in vectors that may hold a previous run's values.
    fn reset(&mut self, sc: &Scenario, setup: &Setup, world: &World) {
        let (n, k, mcount, nv) = (setup.n, setup.k, sc.modules.len(), setup.voters.len());
        self.capability.clear();
        self.capability
            .extend(world.actors.iter().map(|d| d.capability));
        refill(&mut self.shock_hurt, n, 0.0);
        refill(&mut self.distrust, n, 0.0);
        refill(&mut self.boycott_until, n, 0);
        self.trust.clear();
        self.trust.extend_from_slice(&setup.trust0);
        refill(&mut self.stated, k * n, 0.0);
        for (i, &place) in setup.place.iter().enumerate() {
            for (dim, &q) in world.ideal(i).iter().enumerate() {
                self.stated[dim * n + place] = q;
            }
        }
        refill(&mut self.text, k, 0.5);
        refill(&mut self.text_started, mcount, false);
        refill(&mut self.status, mcount, Status::Closed);
        refill(&mut self.streak, mcount, 0);
        refill(&mut self.strain, mcount * n, 0);
        self.last_agreement = 0.0;
        // A voter's slots of a module not yet open read "closed" (and NaN, not accepted) until it opens.
        self.slots.clear();
        self.slots
            .extend((0..mcount * n).map(|slot| Slot::new(sc.actors[slot % n].is_voter())));
        refill(&mut self.compromise, k, f64::NAN);
        refill(&mut self.reference, k, 0.5);
        refill(&mut self.voter_distance, mcount * nv, 0.0);
        refill(&mut self.distance_sums, nv, 0.0);
        refill(&mut self.voter_utility, nv, 0.0);
        refill(&mut self.lambda, nv, 0.0);
        refill(&mut self.dim_needed, k, true);
        refill(&mut self.alpha_next, nv, f64::NAN);
        self.strengths = [0.0, 0.0];
        // Filled during each round.
        self.round_voters.clear();
        self.round_voters.reserve(n);
        self.weights.clear();
        self.weights.reserve(n);
        self.vote_weight.clear();
        self.vote_weight.reserve(n);
        self.violators.clear();
        self.violators.reserve(n);
    }
}

fn run_recording(
    workspace: &mut Workspace,
    sc: &Scenario,
    world: World,
    recording: Recording,
) -> Trace {
    if matches!(
        sc.simulation.proposal_rule,
        ProposalRule::Zeuthen | ProposalRule::Alternating
    ) {
        return crate::protocols::run(sc, world);
    }
    workspace.plan.refill(sc, &world);
    let setup = Setup {
        sc,
        plan: &workspace.plan,
    };
    let (n, k, mcount) = (setup.n, setup.k, sc.modules.len());
    let rounds = sc.simulation.rounds as usize;
    let mut streams = Streams::new(sc, world.seed);
    let st = &mut workspace.state;
    st.reset(sc, &setup, &world);
    let full = recording == Recording::Full;
    let mut trace = Trace::with_capacity(rounds, n, k, mcount, world, full);
    trace.position_place.clear();
    trace.position_place.extend_from_slice(&setup.place);

    for t in 1..=rounds as u32 {
        let mut round = RoundTally::default();
        apply_events(&setup, st, &mut streams, &mut trace, t, &mut round); // 1
        let drafter = draft_texts(&setup, st, &mut streams, full); // 2
        cast_votes(&setup, st, &mut streams, &trace.world, t); // 3
        sign_modules(&setup, st, &mut trace, t); // 4
        hold_or_collapse(&setup, st, &mut streams, &mut trace, t, &mut round); // 5
        spoiler_attacks(&setup, st, &mut streams, &mut trace, t, &mut round); // 6
        // 8 (recorded before step 7 changes them): positions and capabilities as stated and held in round t.
        record(&setup, st, &mut trace, t, drafter, &round, recording);
        let agreement = trace.agreement[t as usize - 1];
        between_rounds(&setup, st, t, agreement); // 7
    }
    trace
}

#[derive(Default)]
struct RoundTally {
    violations: u32,
    attacks: u32,
    collapsed: Vec<usize>,
}

/// Step 1: events, scheduled then random in file order; then open the modules whose round has come.
fn apply_events(
    setup: &Setup,
    st: &mut State,
    streams: &mut Streams,
    trace: &mut Trace,
    t: u32,
    round: &mut RoundTally,
) {
    let sc = setup.sc;
    let seed = trace.world.seed;
    let fire =
        |index: usize, cause: &str, st: &mut State, trace: &mut Trace, round: &mut RoundTally| {
            let e = &sc.events[index];
            let magnitude = if e.magnitude.is_random() {
                let key = fnv1a(&format!("event/{index}/{t}"));
                e.magnitude
                    .draw(&mut KeyedStream::new(seed, key), -1000.0, 1000.0)
            } else {
                e.magnitude.centre()
            };
            let cause = e.label.clone().unwrap_or_else(|| cause.to_string());
            let i = e.target;
            let (kind, value, other) = match e.kind {
                EventKind::CapabilityShift => {
                    st.capability[i] = (st.capability[i] + magnitude).max(0.0);
                    (EventKindRecord::CapabilityShift, magnitude, None)
                }
                EventKind::HurtShock => {
                    st.shock_hurt[i] += magnitude;
                    (EventKindRecord::HurtShock, magnitude, None)
                }
                EventKind::TrustShock => {
                    let g = e.guarantor.unwrap_or(i);
                    let cell = &mut st.trust[i * setup.n + g];
                    *cell = (*cell + magnitude).clamp(-1.0, 1.0);
                    (EventKindRecord::TrustShock, magnitude, Some(g))
                }
                EventKind::Boycott => {
                    st.boycott_until[i] = st.boycott_until[i].max(t + e.duration - 1);
                    (EventKindRecord::Boycott, f64::from(e.duration), None)
                }
                EventKind::Violation => {
                    round.violations += 1;
                    trace.events.push(EventRecord {
                        round: t,
                        kind: EventKindRecord::Violation,
                        actor: Some(i),
                        other: None,
                        module: Some(sc.ceasefire_module),
                        value: f64::NAN,
                        cause: cause.clone(),
                    });
                    harm_victims(setup, st, sc.ceasefire_module, i);
                    return;
                }
            };
            trace.events.push(EventRecord {
                round: t,
                kind,
                actor: Some(i),
                other,
                module: None,
                value,
                cause,
            });
        };
    for (index, e) in sc.events.iter().enumerate() {
        if let Timing::Round(r) = e.timing
            && r == t
        {
            fire(index, "scheduled", st, trace, round);
        }
    }
    for (index, e) in sc.events.iter().enumerate() {
        if let Timing::Probability(_) = e.timing {
            let xi = rng::uniform(&mut streams.events);
            if events::fires(e.timing, t, xi) {
                fire(index, "random", st, trace, round);
            }
        }
    }
    for (m, module) in sc.modules.iter().enumerate() {
        if module.open_round == t && st.status[m] == Status::Closed {
            st.status[m] = Status::Open;
        }
    }
}

/// A violation of module `m` by `violator`: the compliance parties on the other side get hurt and distrust.
fn harm_victims(setup: &Setup, st: &mut State, m: usize, violator: usize) {
    let sc = setup.sc;
    let side = sc.actors[violator].side;
    if side == Side::None {
        return;
    }
    for &v in &sc.modules[m].compliance {
        if sc.actors[v].side == side.other() {
            st.shock_hurt[v] += sc.simulation.violation_hurt;
            st.distrust[v] += sc.simulation.violation_distrust;
        }
    }
}

/// Step 2: the drafter updates the text of every open, unsigned module. Returns the drafter.
fn draft_texts(setup: &Setup, st: &mut State, streams: &mut Streams, full: bool) -> usize {
    let sc = setup.sc;
    let nv = setup.voters.len();
    // m(t): the sums of `text::compromise`, voter by voter in voting order, over each dimension's columns. A
    // full trace records it on every dimension; a lean run needs it only on the open modules' dimensions
    // (drafting) and the ceasefire module's (ripeness), and skips the others.
    let k = setup.k;
    st.dim_needed.fill(full);
    if !full {
        for (m, module) in sc.modules.iter().enumerate() {
            if st.status[m] == Status::Open || m == sc.ceasefire_module {
                for &dim in &module.dimensions {
                    st.dim_needed[dim] = true;
                }
            }
        }
    }
    st.vote_weight.clear();
    st.vote_weight.extend(
        setup
            .vote_order
            .iter()
            .map(|&i| setup.voice[i] * st.capability[i]),
    );
    for dim in 0..k {
        if !st.dim_needed[dim] {
            continue;
        }
        let (mut num, mut den) = (0.0, 0.0);
        for ((&w, &s), &theta) in st
            .vote_weight
            .iter()
            .zip(&setup.salience_columns[dim * nv..(dim + 1) * nv])
            .zip(&st.stated[dim * setup.n..dim * setup.n + nv])
        {
            num += w * s * theta;
            den += w * s;
        }
        st.compromise[dim] = if den > 0.0 {
            (num / den).clamp(0.0, 1.0)
        } else {
            f64::NAN
        };
        st.reference[dim] = if st.compromise[dim].is_nan() {
            st.text[dim]
        } else {
            st.compromise[dim]
        };
    }
    let drafter = match sc.simulation.proposal_rule {
        ProposalRule::SingleText | ProposalRule::Zeuthen | ProposalRule::Alternating => {
            sc.simulation.drafter.unwrap_or(usize::MAX)
        }
        ProposalRule::Recognition => {
            let xi = rng::uniform(&mut streams.recognition);
            st.weights.clear();
            st.weights
                .extend(setup.vote_order.iter().map(|&i| st.capability[i]));
            text::recognise(&st.weights, xi).map_or(usize::MAX, |j| setup.vote_order[j])
        }
    };
    let bias = sc.simulation.drafter_bias;
    let inertia = sc.simulation.text_inertia;
    for (m, module) in sc.modules.iter().enumerate() {
        if st.status[m] != Status::Open {
            continue;
        }
        let mut any = false;
        for &dim in &module.dimensions {
            let mk = st.compromise[dim];
            if mk.is_nan() {
                continue;
            }
            any = true;
            let theta_d = if drafter < setup.n {
                st.position(setup, drafter, dim)
            } else {
                mk
            };
            let proposal = text::draft(mk, theta_d, bias);
            st.text[dim] = if st.text_started[m] {
                text::step(st.text[dim], proposal, inertia)
            } else {
                proposal
            };
        }
        if any {
            st.text_started[m] = true;
        }
    }
    drafter
}

/// Side strengths from current capabilities: principal in full, others on the side by their military commitment.
fn side_strengths(setup: &Setup, st: &State, world: &World) -> [f64; 2] {
    let mut s = [0.0, 0.0];
    for &(i, side, principal) in &setup.fighters {
        s[side] += if principal {
            st.capability[i]
        } else {
            world.actors[i].military_commitment * st.capability[i]
        };
    }
    s
}

/// Step 3: votes, module by module, in voting order (a client sees its patron's vote).
fn cast_votes(setup: &Setup, st: &mut State, streams: &mut Streams, world: &World, t: u32) {
    let sc = setup.sc;
    let sim = &sc.simulation;
    let n = setup.n;
    let mcount = sc.modules.len();
    let strengths = side_strengths(setup, st, world);
    st.strengths = strengths;
    let gamma = sim.contest_decisiveness;
    // Each side's chance when no patron of the voter has accepted (most voters): once per round, not per vote.
    let base_p = [
        battlefield::win_probability(strengths[0].max(0.0), strengths[1], gamma),
        battlefield::win_probability(strengths[1].max(0.0), strengths[0], gamma),
    ];
    let tf = f64::from(t);
    // What each voter brings to every module this round: α(t), hurt, commitment risk ε, boycott.
    st.round_voters.clear();
    for (voter, &alpha_next) in setup.voters.iter().zip(&st.alpha_next) {
        let i = voter.i;
        // α(t) was computed at the end of the last round as α(t+1); compute it only in round 1.
        let alpha = if alpha_next.is_nan() {
            aspiration::alpha(tf, voter.deadline, voter.beta, voter.kappa)
        } else {
            alpha_next
        };
        let epsilon = if voter.fears_betrayal {
            let g = guarantee_for(setup, &st.capability, &st.trust, i);
            commitment::risk(voter.commitment_risk, g, st.distrust[i])
        } else {
            0.0
        };
        st.round_voters.push(RoundVoter {
            alpha,
            hurt: battlefield::hurt(voter.hurt_initial, voter.hurt_growth, tf, st.shock_hurt[i]),
            epsilon,
            boycott: t <= st.boycott_until[i],
        });
    }
    // Module by module, in voting order: every patron votes before its clients. Each voter's stream gives one
    // uniform per module in module order, whatever the module's status. Deterministic votes (temperature 0)
    // never read it and nothing else draws from it, so they skip the draws: the outcome is the same.
    for m in 0..mcount {
        if st.status[m] == Status::Closed {
            // Its slots still hold their initial "closed" values: a module never closes again once open.
            if let Some(vote_streams) = streams.votes.as_mut() {
                for &i in &setup.vote_order {
                    rng::uniform(vote_streams.of(i));
                }
            }
            continue;
        }
        let table = &setup.tables[m];
        let nv = setup.voters.len();
        // Every voter's d(x̄) and u first, in one pass without branches; then the votes, in voting order.
        let distances = &mut st.voter_distance[m * nv..(m + 1) * nv];
        table.distances(&st.text, &mut st.distance_sums, distances);
        for ((u, &d), &risk) in st
            .voter_utility
            .iter_mut()
            .zip(distances.iter())
            .zip(&setup.risk)
        {
            *u = utility::of_distance(d, risk);
        }
        let slots = &mut st.slots[m * n..(m + 1) * n];
        for (v, (voter, now)) in setup.voters.iter().zip(&st.round_voters).enumerate() {
            let i = voter.i;
            let xi = streams
                .votes
                .as_mut()
                .map_or(0.0, |v| rng::uniform(v.of(i)));
            let u = st.voter_utility[v];
            let (r, p, big_u) = match voter.side {
                Some(own) => {
                    let mut own_strength = strengths[own];
                    let mut pulled = false;
                    for &(p, leverage_mc) in &setup.patrons[voter.patrons.clone()] {
                        if slots[p].accepted() {
                            own_strength -= leverage_mc * st.capability[p];
                            pulled = true;
                        }
                    }
                    let p = if pulled {
                        battlefield::win_probability(
                            own_strength.max(0.0),
                            strengths[1 - own],
                            gamma,
                        )
                    } else {
                        base_p[own]
                    };
                    let (u_win, u_lose) = table.victory[v];
                    let r = battlefield::reservation(battlefield::fight_value(
                        p, u_win, u_lose, now.hurt,
                    ));
                    // Parties fear the other side will not honour the text (commitment risk); others do not.
                    let epsilon = now.epsilon;
                    let big_u = if epsilon > 0.0 {
                        commitment::committed_utility(epsilon, u, u_lose)
                    } else {
                        u
                    };
                    (r, p, big_u)
                }
                None => (voter.reservation, f64::NAN, u),
            };
            let tau = aspiration::threshold(now.alpha, r);
            let vote = if now.boycott {
                Vote::Absent
            } else if votes::accepts(big_u, tau, sim.accept_temperature, xi) {
                Vote::Accept
            } else {
                Vote::Reject
            };
            slots[i] = Slot {
                reservation: r,
                utility: big_u,
                threshold: tau,
                win: p,
                vote,
            };
        }
    }
}

/// G_i for party `i`: trust-weighted commitment of all guarantors.
fn guarantee_for(setup: &Setup, capability: &[f64], trust: &[f64], i: usize) -> f64 {
    let mut weighted = 0.0;
    let mut total = 0.0;
    for &(g, commitment) in &setup.guarantors {
        let c = capability[g];
        weighted += trust[i * setup.n + g] * commitment * c;
        total += c;
    }
    if total > 0.0 {
        (weighted / total).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Step 4: a module is signed in the round that completes `persist` rounds in which every signatory accepted,
/// provided every compliance party is willing (U ≥ r) in that round.
fn sign_modules(setup: &Setup, st: &mut State, trace: &mut Trace, t: u32) {
    let sc = setup.sc;
    let n = setup.n;
    for (m, module) in sc.modules.iter().enumerate() {
        if st.status[m] != Status::Open {
            continue;
        }
        if module
            .signatories
            .iter()
            .all(|&s| st.slots[m * n + s].accepted())
        {
            st.streak[m] += 1;
        } else {
            st.streak[m] = 0;
        }
        let willing = module.compliance.iter().all(|&c| {
            let slot = &st.slots[m * n + c];
            compliance::willing(slot.utility, slot.reservation)
        });
        if st.streak[m] >= module.persist && willing {
            st.status[m] = Status::Signed;
            for s in 0..n {
                st.strain[m * n + s] = 0;
            }
            trace.events.push(EventRecord::module(
                t,
                EventKindRecord::Signature,
                m,
                "all signatories accepted",
            ));
        }
    }
}

/// Step 5: compliance parties of signed modules decide whether to violate and whether the deal still holds; the
/// effects on victims come after every party has decided.
fn hold_or_collapse(
    setup: &Setup,
    st: &mut State,
    streams: &mut Streams,
    trace: &mut Trace,
    t: u32,
    round: &mut RoundTally,
) {
    let sc = setup.sc;
    let n = setup.n;
    st.violators.clear();
    round.collapsed.clear();
    for (m, module) in sc.modules.iter().enumerate() {
        if st.status[m] != Status::Signed {
            continue;
        }
        let mut collapse = false;
        for &c in &module.compliance {
            let xi = rng::uniform(streams.violations.of(c));
            let d = &trace.world.actors[c];
            let (u, r) = (st.slots[m * n + c].utility, st.slots[m * n + c].reservation);
            if xi < compliance::violation_probability(d.violation_base, d.violation_slope, r, u) {
                st.violators.push((m, c));
            }
            let strain = &mut st.strain[m * n + c];
            if compliance::strained(u, r, module.collapse_margin) {
                *strain += 1;
                if *strain >= module.collapse_patience {
                    collapse = true;
                }
            } else {
                *strain = 0;
            }
        }
        if collapse {
            round.collapsed.push(m);
        }
    }
    let violators = std::mem::take(&mut st.violators);
    for &(m, c) in &violators {
        round.violations += 1;
        trace.events.push(EventRecord {
            round: t,
            kind: EventKindRecord::Violation,
            actor: Some(c),
            other: None,
            module: Some(m),
            value: f64::NAN,
            cause: "compliance".into(),
        });
        harm_victims(setup, st, m, c);
    }
    st.violators = violators;
    for &m in &round.collapsed {
        st.status[m] = Status::Collapsed;
        st.streak[m] = 0;
        for s in 0..n {
            st.strain[m * n + s] = 0;
        }
        trace.events.push(EventRecord::module(
            t,
            EventKindRecord::Collapse,
            m,
            "fighting on beat the deal",
        ));
    }
}

/// Step 6: spoilers attack, more often as the previous round's agreement rises.
fn spoiler_attacks(
    setup: &Setup,
    st: &mut State,
    streams: &mut Streams,
    trace: &mut Trace,
    t: u32,
    round: &mut RoundTally,
) {
    let sc = setup.sc;
    let cf = sc.ceasefire();
    for &s in &setup.spoilers {
        let xi = rng::uniform(streams.attacks.of(s));
        let Some(spec) = &sc.actors[s].spoiler else {
            continue;
        };
        let d = &trace.world.actors[s];
        let p = spoilers::attack_probability(
            st.capability[s],
            d.spoiler_base,
            d.spoiler_progress,
            st.last_agreement,
        );
        let world = &trace.world;
        let u = utility::utility(
            world.ideal(s),
            world.salience(s),
            d.risk,
            &st.text,
            &cf.dimensions,
        );
        let r = d.reservation.unwrap_or(0.0);
        let slot = &mut st.slots[sc.ceasefire_module * setup.n + s];
        slot.utility = u;
        slot.reservation = d.reservation.unwrap_or(f64::NAN);
        if spoilers::restrained(spec.kind, u, r, d.spoiler_greed, st.last_agreement) || xi >= p {
            continue;
        }
        round.attacks += 1;
        for &target in &spec.targets {
            st.shock_hurt[target] += sc.simulation.attack_hurt;
            st.distrust[target] += sc.simulation.attack_distrust;
            trace.events.push(EventRecord {
                round: t,
                kind: EventKindRecord::Attack,
                actor: Some(s),
                other: Some(target),
                module: None,
                value: p,
                cause: spec.kind.as_str().into(),
            });
        }
    }
}

/// Step 7: concession toward the text, patron pull, capability drift, distrust decay.
fn between_rounds(setup: &Setup, st: &mut State, t: u32, agreement: f64) {
    let sc = setup.sc;
    let n = setup.n;
    let next = f64::from(t + 1);
    for (voter, alpha_next) in setup.voters.iter().zip(st.alpha_next.iter_mut()) {
        *alpha_next = aspiration::alpha(next, voter.deadline, voter.beta, voter.kappa);
    }
    for (m, table) in setup.tables.iter().enumerate() {
        // Open modules only: a closed module's positions stay at the ideal, a signed one's text is frozen.
        if st.status[m] != Status::Open {
            continue;
        }
        // Every voter's share λ first, then the positions, dimension by dimension.
        let nv = setup.voters.len();
        let distances = &st.voter_distance[m * nv..(m + 1) * nv];
        let slots = &st.slots[m * setup.n..(m + 1) * setup.n];
        for ((((lambda, voter), &alpha_next), &risk), &d) in st
            .lambda
            .iter_mut()
            .zip(&setup.voters)
            .zip(&st.alpha_next)
            .zip(&setup.risk)
            .zip(distances)
        {
            let tau_next = aspiration::threshold(alpha_next, slots[voter.i].reservation);
            *lambda = concession::step_share(tau_next, risk, d);
        }
        for (di, &dim) in table.dims.iter().enumerate() {
            let x = st.text[dim];
            let ideals = &table.ideal[di * nv..(di + 1) * nv];
            let column = &mut st.stated[dim * n..dim * n + nv];
            for ((theta, &lambda), &q) in column.iter_mut().zip(&st.lambda).zip(ideals) {
                *theta = q + lambda * (x - q);
            }
        }
        // Then clients move toward their patrons on this module's dimensions (their own, moved above).
        for (client, patrons) in &setup.clients {
            let patrons = &setup.pulls[patrons.clone()];
            for &dim in &table.dims {
                let column = &mut st.stated[dim * n..(dim + 1) * n];
                let pulled = concession::pull(
                    column[*client],
                    patrons.iter().map(|&(p, omega)| (omega, column[p])),
                );
                column[*client] = pulled;
            }
        }
    }
    let decay = sc.simulation.distrust_decay;
    for (capability, drift) in st.capability.iter_mut().zip(&setup.drift) {
        *capability = (*capability + drift).max(0.0);
    }
    for distrust in st.distrust.iter_mut() {
        *distrust *= decay;
    }
    // A(t) becomes the spoilers' A(t−1); a module that collapsed this round is open again.
    st.last_agreement = agreement;
    for status in st.status.iter_mut() {
        if *status == Status::Collapsed {
            *status = Status::Open;
        }
    }
}

/// Step 8: record the round.
fn record(
    setup: &Setup,
    st: &State,
    trace: &mut Trace,
    t: u32,
    drafter: usize,
    round: &RoundTally,
    recording: Recording,
) {
    let sc = setup.sc;
    let (n, k) = (setup.n, setup.k);
    let world = &trace.world;
    let cf = sc.ceasefire_module;
    let cfm = sc.ceasefire();
    let mcount = sc.modules.len();
    let full = recording == Recording::Full;
    let module_agreement = |m: usize| {
        if st.status[m] == Status::Closed && !round.collapsed.contains(&m) {
            0.0
        } else {
            let slots = &st.slots[m * n..(m + 1) * n];
            votes::share(
                setup
                    .vote_order
                    .iter()
                    .zip(&st.vote_weight)
                    .filter(|&(&i, _)| matches!(slots[i].vote, Vote::Accept | Vote::Reject))
                    .map(|(&i, &w)| (w, slots[i].accepted())),
            )
        }
    };
    // A lean run keeps the ceasefire module's agreement only (A(t)); a full one every module's.
    if full {
        for m in 0..mcount {
            trace.module_agreement.push(module_agreement(m));
        }
    }
    trace.status.extend_from_slice(&st.status);
    trace.agreement.push(module_agreement(cf));

    let open = st.status[cf] != Status::Closed;
    let (mut cu, mut cw) = (0.0, 0.0);
    for &i in &setup.vote_order {
        let u = st.slots[cf * n + i].utility;
        if !u.is_nan() {
            cu += st.capability[i] * u;
            cw += st.capability[i];
        }
    }
    trace
        .mean_utility
        .push(if cw > 0.0 { cu / cw } else { 0.0 });

    if full {
        // Dispersion of stated positions around m(t) on the ceasefire module's dimensions.
        let (mut dv, mut dw) = (0.0, 0.0);
        for (v, &w) in st.vote_weight.iter().enumerate() {
            let mut sq = 0.0;
            for &dim in &cfm.dimensions {
                let gap = st.stated[dim * n + v] - st.reference[dim];
                sq += gap * gap;
            }
            dv += w * sq / cfm.dimensions.len().max(1) as f64;
            dw += w;
        }
        trace
            .dispersion
            .push(if dw > 0.0 { (dv / dw).sqrt() } else { 0.0 });

        let zopa = if open {
            cfm.signatories
                .iter()
                .chain(cfm.compliance.iter())
                .map(|&i| st.slots[cf * n + i].utility - st.slots[cf * n + i].reservation)
                .fold(f64::INFINITY, f64::min)
        } else {
            f64::NAN
        };
        trace
            .zopa_margin
            .push(if zopa.is_finite() { zopa } else { f64::NAN });
    }

    let strengths = st.strengths;
    let p_gov = if setup.principal[0].is_some() || setup.principal[1].is_some() {
        battlefield::win_probability(
            strengths[0],
            strengths[1],
            sc.simulation.contest_decisiveness,
        )
    } else {
        f64::NAN
    };
    if full {
        trace.p_gov.push(p_gov);
    }
    let ripe = open
        && !p_gov.is_nan()
        && battlefield::is_stalemate(p_gov, sc.simulation.stalemate_band)
        && cfm.compliance.iter().all(|&c| {
            let d = &world.actors[c];
            let u = utility::utility(
                world.ideal(c),
                world.salience(c),
                d.risk,
                &st.reference,
                &cfm.dimensions,
            );
            let big_u = if fears_betrayal(&sc.actors[c]) {
                let g = guarantee_for(setup, &st.capability, &st.trust, c);
                let eps = commitment::risk(d.commitment_risk, g, st.distrust[c]);
                commitment::committed_utility(eps, u, setup.victory_utility[c * mcount + cf].1)
            } else {
                u
            };
            big_u >= st.slots[cf * n + c].reservation
        });
    trace.ripe.push(ripe);
    trace.in_force.push(st.status[cf] == Status::Signed);
    trace.violations.push(round.violations);
    trace.attacks.push(round.attacks);
    trace.rounds = t as usize;
    if !full {
        if t == sc.simulation.rounds {
            trace.text.extend_from_slice(&st.text);
        }
        return;
    }
    trace.drafter.push(drafter);
    trace.text.extend_from_slice(&st.text);
    trace.compromise.extend_from_slice(&st.compromise);
    // Per actor: the round's slots hold exactly what is recorded (NaN where undefined), so they are copied as is.
    let row = trace.utility.len();
    let cf_slots = &st.slots[cf * n..(cf + 1) * n];
    trace.utility.extend(cf_slots.iter().map(|s| s.utility));
    trace
        .reservation
        .extend(cf_slots.iter().map(|s| s.reservation));
    trace
        .aspiration
        .extend(cf_slots.iter().map(|s| s.threshold));
    trace.win_probability.extend(cf_slots.iter().map(|s| s.win));
    trace.capability.extend_from_slice(&st.capability);
    trace.distrust.extend_from_slice(&st.distrust);
    trace.vote.extend(st.slots.iter().map(|s| s.vote));
    // θ in the state's own layout: one copy (the trace carries each actor's place in a column).
    let pos = trace.position.len();
    trace.position.extend_from_slice(&st.stated);
    for &h in &setup.hosts {
        trace.capability[row + h] = f64::NAN;
        for dim in 0..k {
            trace.position[pos + dim * n + setup.place[h]] = f64::NAN;
        }
    }
    let tf = f64::from(t);
    for (i, a) in sc.actors.iter().enumerate() {
        let d = &world.actors[i];
        trace.hurt.push(if a.side == Side::None {
            st.shock_hurt[i]
        } else {
            battlefield::hurt(d.hurt_initial, d.hurt_growth, tf, st.shock_hurt[i])
        });
    }
}
