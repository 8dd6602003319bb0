//! Step 7, recording the round, through one small trait: [`TraceRecorder`] keeps everything (`rounds.csv`,
//! `actors.csv`, `events.csv`), [`OutcomeRecorder`] only what an ensemble keeps of a run.
//!
//! A recorder reads a round through the [`Round`] trait, which the engine's rounds ([`RoundView`], whose measures
//! are computed only when asked for, so an ensemble does not pay for what only a full trace records) and the
//! textbook protocols' rounds both offer.

use super::Run;
use super::index::ActorIx;
use super::round::{RoundTally, commitment_risk_of};
use super::state::State;
use crate::ensemble::RunOutcome;
use crate::model::{battlefield, commitment, measures, ripeness, utility, votes};
use crate::scenario::{Role, Scenario, Side};
use crate::trace::{ActorRow, EventRecord, RoundRow, Status, Trace, Vote};
use crate::world::World;

/// What a run records.
pub(super) trait Recorder {
    /// Whether the recorder reads the compromise m(t) on every dimension; otherwise a round computes it only where
    /// the round itself uses it.
    const EVERY_COMPROMISE: bool;

    /// An event of the round, built only if the recorder keeps events.
    fn event(&mut self, event: impl FnOnce() -> EventRecord);

    /// The end of a round, before the concession step changes positions and capabilities.
    fn round(&mut self, round: &impl Round);
}

/// What a recorder reads of a round.
pub(super) trait Round {
    /// The round's number t, from 1.
    fn number(&self) -> u32;
    /// Each module's status at the end of the round.
    fn statuses(&self) -> &[Status];
    /// A(t): the agreement on the ceasefire module.
    fn agreement(&self) -> f64;
    /// The agreement on module `m`.
    fn module_agreement(&self, m: usize) -> f64;
    fn mean_utility(&self) -> f64;
    fn ripe(&self) -> bool;
    fn in_force(&self) -> bool;
    fn violations(&self) -> u32;
    fn attacks(&self) -> u32;
    /// Everything else of `rounds.csv` (`agreement` … `drafter`), for a full record.
    fn row(&self) -> RoundRow;
    fn text(&self) -> &[f64];
    fn compromise(&self) -> &[f64];
    /// Every actor's row of `actors.csv`, in file order.
    fn actor_rows(&self) -> impl Iterator<Item = ActorRow> + '_;
    /// Every vote, module by module, each module's in file order.
    fn votes(&self) -> impl Iterator<Item = Vote> + '_;
    /// Stated positions: one column of every actor per dimension, each actor at its place in a column.
    fn position_columns(&self) -> &[f64];
    /// Each actor's place in a column of `position_columns`.
    fn position_places(&self) -> impl Iterator<Item = usize> + '_;
    /// Actors that have no position on record (hosts).
    fn without_position(&self) -> impl Iterator<Item = usize> + '_;
}

/// A round as it stands after its votes, signatures, violations and attacks.
pub(super) struct RoundView<'a> {
    pub t: u32,
    pub run: &'a Run<'a>,
    pub st: &'a State,
    /// The round's drafter, if there is one.
    pub drafter: Option<ActorIx>,
    pub tally: &'a RoundTally,
    /// A(t): the agreement on the ceasefire module.
    pub agreement: f64,
}

/// Step 7: record the round; returns A(t).
pub(super) fn record<R: Recorder>(
    run: &Run,
    st: &State,
    rec: &mut R,
    t: u32,
    drafter: Option<ActorIx>,
    tally: &RoundTally,
) -> f64 {
    let mut view = RoundView {
        t,
        run,
        st,
        drafter,
        tally,
        agreement: 0.0,
    };
    view.agreement = view.module_agreement(run.sc.ceasefire_module);
    rec.round(&view);
    view.agreement
}

impl RoundView<'_> {
    fn ceasefire_open(&self) -> bool {
        self.st.talks.status[self.run.sc.ceasefire_module] != Status::Closed
    }

    /// The dispersion of stated positions around m(t) on the ceasefire module's dimensions.
    fn dispersion(&self) -> f64 {
        let st = self.st;
        let dims = &self.run.sc.ceasefire().dimensions;
        let n = self.run.plan.n;
        measures::dispersion(
            dims.len(),
            st.round.vote_weight.iter().enumerate().map(|(v, &w)| {
                let mut squares = 0.0;
                for &dim in dims {
                    let gap = st.actors.stated[dim * n + v] - st.round.reference[dim];
                    squares += gap * gap;
                }
                (w, squares)
            }),
        )
    }

    /// min (U − r) over the ceasefire module's signatories and compliance parties; NaN while it is closed.
    fn zopa_margin(&self) -> f64 {
        if !self.ceasefire_open() {
            return f64::NAN;
        }
        let module = self.run.sc.ceasefire();
        let cf = &self.st.round.slots[self.run.sc.ceasefire_module * self.run.plan.n..];
        measures::zopa_margin(
            module
                .signatories
                .iter()
                .chain(module.compliance.iter())
                .map(|&i| (cf[i].utility, cf[i].reservation)),
        )
    }

    /// P(the government side wins) from undiscounted strengths; NaN when no side has a principal.
    fn p_gov(&self) -> f64 {
        let plan = self.run.plan;
        if plan.roster.principal.iter().all(Option::is_none) {
            return f64::NAN;
        }
        let [gov, opp] = self.st.round.strengths;
        battlefield::win_probability(gov, opp, self.run.sc.simulation.contest_decisiveness)
    }
}

impl Round for RoundView<'_> {
    fn number(&self) -> u32 {
        self.t
    }

    fn statuses(&self) -> &[Status] {
        &self.st.talks.status
    }

    fn agreement(&self) -> f64 {
        self.agreement
    }

    /// The voice-and-capability-weighted share of voters accepting module `m`'s text (0 while it is closed).
    fn module_agreement(&self, m: usize) -> f64 {
        let st = self.st;
        if st.talks.status[m] == Status::Closed {
            return 0.0;
        }
        let n = self.run.plan.n;
        let slots = &st.round.slots[m * n..(m + 1) * n];
        votes::share(
            self.run
                .plan
                .roster
                .vote_order
                .iter()
                .zip(&st.round.vote_weight)
                .filter(|&(&i, _)| matches!(slots[i.0].vote, Vote::Accept | Vote::Reject))
                .map(|(&i, &w)| (w, slots[i.0].accepted())),
        )
    }

    /// The capability-weighted mean of U(x̄) on the ceasefire module over the voters.
    fn mean_utility(&self) -> f64 {
        let (plan, st) = (self.run.plan, self.st);
        let cf = &st.round.slots[self.run.sc.ceasefire_module * plan.n..];
        measures::weighted_mean(
            plan.roster
                .vote_order
                .iter()
                .map(|&i| (st.actors.capability[i.0], cf[i.0].utility))
                .filter(|(_, u)| !u.is_nan()),
        )
    }

    /// Whether the round is ripe: a stalemate in which every compliance party prefers m(t) to fighting on.
    fn ripe(&self) -> bool {
        let (sc, world, plan, st) = (self.run.sc, self.run.world, self.run.plan, self.st);
        let cf = sc.ceasefire_module;
        let module = sc.ceasefire();
        let parties = module.compliance.iter().map(|&c| {
            let d = &world.actors[c];
            let u = utility::utility(
                world.ideal(c),
                world.salience(c),
                d.risk,
                &st.round.reference,
                &module.dimensions,
            );
            // Compliance parties are parties, so voters.
            let big_u = match plan.roster.voter_of(ActorIx(c)) {
                Some(v) if plan.voters.list[v.0].fears_betrayal => {
                    let eps = commitment_risk_of(plan, &st.actors, c, d.commitment_risk);
                    commitment::committed_utility(eps, u, plan.tables[cf].victory[v.0].1)
                }
                _ => u,
            };
            (big_u, st.round.slots[cf * plan.n + c].reservation)
        });
        ripeness::ripe(
            self.ceasefire_open(),
            self.p_gov(),
            sc.simulation.stalemate_band,
            parties,
        )
    }

    fn in_force(&self) -> bool {
        self.st.talks.status[self.run.sc.ceasefire_module] == Status::Signed
    }

    fn violations(&self) -> u32 {
        self.tally.violations
    }

    fn attacks(&self) -> u32 {
        self.tally.attacks
    }

    fn row(&self) -> RoundRow {
        RoundRow {
            agreement: self.agreement,
            mean_utility: self.mean_utility(),
            dispersion: self.dispersion(),
            zopa_margin: self.zopa_margin(),
            ripe: self.ripe(),
            p_gov: self.p_gov(),
            in_force: self.in_force(),
            violations: self.tally.violations,
            attacks: self.tally.attacks,
            drafter: self.drafter.map(|d| d.0),
        }
    }

    fn text(&self) -> &[f64] {
        &self.st.talks.text
    }

    fn compromise(&self) -> &[f64] {
        &self.st.round.compromise
    }

    fn actor_rows(&self) -> impl Iterator<Item = ActorRow> + '_ {
        let (sc, world, st) = (self.run.sc, self.run.world, self.st);
        let n = self.run.plan.n;
        // The round's slots hold exactly what is recorded (NaN where undefined).
        let cf_slots = &st.round.slots[sc.ceasefire_module * n..(sc.ceasefire_module + 1) * n];
        let tf = f64::from(self.t);
        sc.actors
            .iter()
            .enumerate()
            .zip(cf_slots)
            .map(move |((i, a), slot)| {
                let d = &world.actors[i];
                let shocks = st.actors.shock_hurt[i];
                ActorRow {
                    utility: slot.utility,
                    reservation: slot.reservation,
                    aspiration: slot.threshold,
                    win_probability: slot.win,
                    // A host has no capability on record.
                    capability: if a.role == Role::Host {
                        f64::NAN
                    } else {
                        st.actors.capability[i]
                    },
                    hurt: if a.side == Side::None {
                        shocks
                    } else {
                        battlefield::hurt(d.hurt_initial, d.hurt_growth, tf, shocks)
                    },
                    distrust: st.actors.distrust[i],
                    // The round's ε of a voter (0 when it fears no betrayal); a non-voter has none.
                    commitment_risk: self
                        .run
                        .plan
                        .roster
                        .voter_of(ActorIx(i))
                        .and_then(|v| st.round.voters.get(v.0))
                        .map_or(f64::NAN, |v| v.epsilon),
                }
            })
    }

    fn votes(&self) -> impl Iterator<Item = Vote> + '_ {
        self.st.round.slots.iter().map(|s| s.vote)
    }

    /// θ in the state's own layout, so that a full record takes it with one copy.
    fn position_columns(&self) -> &[f64] {
        &self.st.actors.stated
    }

    fn position_places(&self) -> impl Iterator<Item = usize> + '_ {
        self.run.plan.roster.place.iter().map(|p| p.0)
    }

    fn without_position(&self) -> impl Iterator<Item = usize> + '_ {
        self.run.plan.roster.hosts.iter().map(|h| h.0)
    }
}

/// Which module each dimension belongs to (None: to none).
fn dimension_modules(sc: &Scenario) -> Vec<Option<usize>> {
    (0..sc.dimensions.len())
        .map(|k| sc.modules.iter().position(|m| m.dimensions.contains(&k)))
        .collect()
}

/// A round's text as it is recorded: each dimension's value once its module has opened, NaN ("not defined") while
/// it has not — a module that never opens has no text, whatever placeholder the engine holds for it.
fn text_on_table<'a>(
    round: &'a impl Round,
    dimension_module: &'a [Option<usize>],
) -> impl Iterator<Item = f64> + 'a {
    let statuses = round.statuses();
    round
        .text()
        .iter()
        .zip(dimension_module)
        .map(|(&x, m)| match m {
            Some(m) if statuses[*m] != Status::Closed => x,
            _ => f64::NAN,
        })
}

/// Records everything, into a [`Trace`].
pub(super) struct TraceRecorder {
    trace: Trace,
    dimension_module: Vec<Option<usize>>,
}

impl TraceRecorder {
    pub fn new(sc: &Scenario) -> TraceRecorder {
        let trace = Trace::with_capacity(
            sc.simulation.rounds as usize,
            sc.actors.len(),
            sc.dimensions.len(),
            sc.modules.len(),
            World::default(),
        );
        TraceRecorder {
            trace,
            dimension_module: dimension_modules(sc),
        }
    }

    /// The trace, with the world it was run in.
    pub fn finish(mut self, world: World) -> Trace {
        self.trace.set_world(world);
        self.trace
    }
}

impl Recorder for TraceRecorder {
    const EVERY_COMPROMISE: bool = true;

    fn event(&mut self, event: impl FnOnce() -> EventRecord) {
        self.trace.push_event(event());
    }

    fn round(&mut self, round: &impl Round) {
        let trace = &mut self.trace;
        if round.number() == 1 {
            // The trace keeps θ in the writer's columns (see `push_positions` below).
            trace.set_position_places(round.position_places());
        }
        let modules = round.statuses().len();
        trace.push_round(
            round.number(),
            round.row(),
            (0..modules).map(|m| round.module_agreement(m)),
            round.statuses(),
            text_on_table(round, &self.dimension_module),
            round.compromise(),
        );
        trace.push_actors(round.actor_rows());
        trace.push_votes(round.votes());
        trace.push_positions(round.position_columns());
        for actor in round.without_position() {
            trace.hide_positions(actor);
        }
    }
}

/// Records what an ensemble keeps of a run, straight into a [`RunOutcome`].
pub(super) struct OutcomeRecorder {
    outcome: RunOutcome,
    /// The rounds of the run: the text is kept from the last one.
    rounds: u32,
    /// Each module's status in the previous round, to find its first signature.
    previous: Vec<Status>,
    dimension_module: Vec<Option<usize>>,
}

impl OutcomeRecorder {
    pub fn new(sc: &Scenario, seed: u64) -> OutcomeRecorder {
        let rounds = sc.simulation.rounds;
        let capacity = rounds as usize;
        let modules = sc.modules.len();
        OutcomeRecorder {
            outcome: RunOutcome {
                seed,
                ceasefire_round: None,
                first_signed: vec![None; modules],
                collapses: 0,
                final_agreement: 0.0,
                mean_agreement: 0.0,
                in_force_at_end: false,
                violations: 0,
                attacks: 0,
                ripe_rounds: 0,
                final_text: Vec::with_capacity(sc.dimensions.len()),
                agreement: Vec::with_capacity(capacity),
                mean_utility: Vec::with_capacity(capacity),
                in_force: Vec::with_capacity(capacity),
            },
            rounds,
            previous: vec![Status::Closed; modules],
            dimension_module: dimension_modules(sc),
        }
    }

    pub fn finish(self, ceasefire_module: usize) -> RunOutcome {
        let mut o = self.outcome;
        o.ceasefire_round = o.first_signed[ceasefire_module];
        o.final_agreement = o.agreement.last().copied().unwrap_or(0.0);
        o.mean_agreement = RunOutcome::mean_agreement_of(&o.agreement);
        o.in_force_at_end = o.in_force.last().copied().unwrap_or(false);
        o
    }
}

impl Recorder for OutcomeRecorder {
    const EVERY_COMPROMISE: bool = false;

    fn event(&mut self, _event: impl FnOnce() -> EventRecord) {}

    fn round(&mut self, round: &impl Round) {
        let o = &mut self.outcome;
        for ((m, &status), previous) in round
            .statuses()
            .iter()
            .enumerate()
            .zip(self.previous.iter_mut())
        {
            if status == Status::Signed
                && *previous != Status::Signed
                && o.first_signed[m].is_none()
            {
                o.first_signed[m] = Some(round.number());
            }
            if status == Status::Collapsed {
                o.collapses += 1;
            }
            *previous = status;
        }
        o.agreement.push(round.agreement());
        o.mean_utility.push(round.mean_utility());
        o.in_force.push(round.in_force());
        o.ripe_rounds += u32::from(round.ripe());
        o.violations += round.violations();
        o.attacks += round.attacks();
        if round.number() == self.rounds {
            o.final_text
                .extend(text_on_table(round, &self.dimension_module));
        }
    }
}
