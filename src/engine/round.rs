//! The steps of one round, numbered as in `docs/model.md`'s "Fixed order of one round" (step 7, recording, is in
//! `record.rs`). Every formula is a call into `crate::model`; this file only decides who, in which order, and where
//! the result is kept.

use super::Run;
use super::index::{ActorIx, Place};
use super::plan::Plan;
use super::record::Recorder;
use super::state::{ActorState, RoundVoter, Slot, State};
use super::streams::Streams;
use crate::model::{
    aspiration, battlefield, commitment, compliance, concession, events, spoilers, text, utility,
    votes,
};
use crate::rng::{self, KeyedStream, fnv1a};
use crate::scenario::fields;
use crate::scenario::{EventKind, ProposalRule, Side, Timing};
use crate::trace::{EventKindRecord, EventRecord, Status, Vote};

/// What a round counts for the record.
#[derive(Default)]
pub(super) struct RoundTally {
    pub violations: u32,
    pub attacks: u32,
    /// Modules that collapsed this round.
    pub collapsed: Vec<usize>,
}

/// G_i for party `i`: the trust-weighted commitment of every guarantor.
fn guarantee_for(plan: &Plan, actors: &ActorState, i: usize) -> f64 {
    commitment::guarantee(plan.roster.guarantors.iter().map(|&(g, gamma)| {
        (
            actors.trust[i * plan.n + g.0],
            gamma,
            actors.capability[g.0],
        )
    }))
}

/// ε_i: party `i`'s fear that the text will not be honoured, given its base commitment risk.
pub(super) fn commitment_risk_of(plan: &Plan, actors: &ActorState, i: usize, base: f64) -> f64 {
    commitment::risk(base, guarantee_for(plan, actors, i), actors.distrust[i])
}

/// Step 1: events, scheduled then random in file order; then open the modules whose round has come.
pub(super) fn apply_events<R: Recorder>(
    run: &Run,
    st: &mut State,
    streams: &mut Streams,
    rec: &mut R,
    t: u32,
    tally: &mut RoundTally,
) {
    let sc = run.sc;
    for (index, e) in sc.events.iter().enumerate() {
        if let Timing::Round(r) = e.timing
            && r == t
        {
            fire(run, st, rec, tally, t, index, "scheduled");
        }
    }
    for (index, e) in sc.events.iter().enumerate() {
        if let Timing::Probability(_) = e.timing {
            let xi = rng::uniform(&mut streams.events);
            if events::fires(e.timing, t, xi) {
                fire(run, st, rec, tally, t, index, "random");
            }
        }
    }
    for (m, module) in sc.modules.iter().enumerate() {
        if module.open_round == t && st.talks.status[m] == Status::Closed {
            st.talks.status[m] = Status::Open;
        }
    }
}

/// Event `index` happens in round `t`.
fn fire<R: Recorder>(
    run: &Run,
    st: &mut State,
    rec: &mut R,
    tally: &mut RoundTally,
    t: u32,
    index: usize,
    cause: &str,
) {
    let sc = run.sc;
    let e = &sc.events[index];
    // Drawn within the field's range (a trust shock's narrower range bounds its centre; trust is clamped anyway).
    let (lo, hi) = fields::EVENT_MAGNITUDE.range().draw_bounds();
    let magnitude = if e.magnitude.is_random() {
        let key = fnv1a(&format!("event/{index}/{t}"));
        e.magnitude
            .draw(&mut KeyedStream::new(run.world.seed, key), lo, hi)
    } else {
        e.magnitude.centre()
    };
    let cause = || -> std::sync::Arc<str> { e.label.as_deref().unwrap_or(cause).into() };
    let i = e.target;
    let a = &mut st.actors;
    let (kind, value, other) = match e.kind {
        EventKind::CapabilityShift => {
            a.capability[i] = battlefield::shifted_capability(a.capability[i], magnitude);
            (EventKindRecord::CapabilityShift, magnitude, None)
        }
        EventKind::HurtShock => {
            a.shock_hurt[i] += magnitude;
            (EventKindRecord::HurtShock, magnitude, None)
        }
        EventKind::TrustShock => {
            let g = e.guarantor.unwrap_or(i);
            let cell = &mut a.trust[i * run.plan.n + g];
            *cell = commitment::shifted_trust(*cell, magnitude);
            (EventKindRecord::TrustShock, magnitude, Some(g))
        }
        EventKind::Boycott => {
            a.boycott_until[i] = events::boycott_until(a.boycott_until[i], t, e.duration);
            (EventKindRecord::Boycott, f64::from(e.duration), None)
        }
        EventKind::Violation => {
            tally.violations += 1;
            rec.event(|| EventRecord {
                round: t,
                kind: EventKindRecord::Violation,
                actor: Some(i),
                other: None,
                module: Some(sc.ceasefire_module),
                value: f64::NAN,
                cause: cause(),
            });
            harm_victims(run, a, sc.ceasefire_module, i);
            return;
        }
    };
    rec.event(|| EventRecord {
        round: t,
        kind,
        actor: Some(i),
        other,
        module: None,
        value,
        cause: cause(),
    });
}

/// A violation of module `m` by `violator`: the compliance parties on the other side get hurt and distrust.
fn harm_victims(run: &Run, actors: &mut ActorState, m: usize, violator: usize) {
    let sc = run.sc;
    let side = sc.actors[violator].side;
    if side == Side::None {
        return;
    }
    for &v in &sc.modules[m].compliance {
        if sc.actors[v].side == side.other() {
            actors.shock_hurt[v] += sc.simulation.violation_hurt;
            actors.distrust[v] += sc.simulation.violation_distrust;
        }
    }
}

/// Step 2: the drafter updates the text of every open, unsigned module. Returns the drafter, if there is one. The compromise m(t) is computed on every dimension when `every_compromise` (a full record keeps it),
/// otherwise only on those the round uses: the open modules' (drafting) and the ceasefire module's (ripeness).
pub(super) fn draft_texts(
    run: &Run,
    st: &mut State,
    streams: &mut Streams,
    every_compromise: bool,
) -> Option<ActorIx> {
    let (sc, plan) = (run.sc, run.plan);
    let (n, nv) = (plan.n, plan.voters.list.len());
    let (actors, talks, r) = (&st.actors, &mut st.talks, &mut st.round);
    r.dim_needed.fill(every_compromise);
    if !every_compromise {
        for (m, module) in sc.modules.iter().enumerate() {
            if talks.status[m] == Status::Open || m == sc.ceasefire_module {
                for &dim in &module.dimensions {
                    r.dim_needed[dim] = true;
                }
            }
        }
    }
    r.vote_weight.clear();
    r.vote_weight.extend(
        plan.roster
            .vote_order
            .iter()
            .map(|&i| votes::weight(plan.voice[i.0], actors.capability[i.0])),
    );
    for dim in 0..plan.k {
        if !r.dim_needed[dim] {
            continue;
        }
        let saliences = &plan.salience_columns[dim * nv..(dim + 1) * nv];
        let positions = &actors.stated[dim * n..dim * n + nv];
        let terms = r
            .vote_weight
            .iter()
            .zip(saliences)
            .zip(positions)
            .map(|((&w, &s), &theta)| (w, s, theta));
        let m = text::compromise(terms);
        r.compromise[dim] = m.unwrap_or(f64::NAN);
        r.reference[dim] = m.unwrap_or(talks.text[dim]);
    }
    let drafter = match sc.simulation.proposal_rule {
        ProposalRule::SingleText | ProposalRule::Zeuthen | ProposalRule::Alternating => {
            sc.simulation.drafter.map(ActorIx)
        }
        ProposalRule::Recognition => {
            let xi = rng::uniform(&mut streams.recognition);
            r.recognition_weight.clear();
            r.recognition_weight.extend(
                plan.roster
                    .vote_order
                    .iter()
                    .map(|&i| actors.capability[i.0]),
            );
            text::recognise(&r.recognition_weight, xi).map(|j| plan.roster.vote_order[j])
        }
    };
    let (bias, inertia) = (sc.simulation.drafter_bias, sc.simulation.text_inertia);
    for (m, module) in sc.modules.iter().enumerate() {
        if talks.status[m] != Status::Open {
            continue;
        }
        let mut any = false;
        for &dim in &module.dimensions {
            let mk = r.compromise[dim];
            if mk.is_nan() {
                continue;
            }
            any = true;
            let theta_d = match drafter {
                Some(d) => st.actors.stated[dim * n + plan.roster.place[d.0].0],
                None => mk,
            };
            let proposal = text::draft(mk, theta_d, bias);
            talks.text[dim] = if talks.text_started[m] {
                text::step(talks.text[dim], proposal, inertia)
            } else {
                proposal
            };
        }
        if any {
            talks.text_started[m] = true;
        }
    }
    drafter
}

/// Step 3: votes, module by module, in voting order (a client sees its patron's vote).
pub(super) fn cast_votes(run: &Run, st: &mut State, streams: &mut Streams, t: u32) {
    let (sc, plan) = (run.sc, run.plan);
    let strengths =
        battlefield::side_strengths(plan.roster.fighters.iter().map(|&(i, side, principal)| {
            let commitment = run.world.actors[i.0].military_commitment;
            (side, principal, commitment, st.actors.capability[i.0])
        }));
    st.round.strengths = strengths;
    round_voters(run, st, t);
    let gamma = sc.simulation.contest_decisiveness;
    // Each side's chance when no patron of the voter has accepted (most voters): once per round, not per vote.
    let base_p = [
        battlefield::win_probability(strengths[0].max(0.0), strengths[1], gamma),
        battlefield::win_probability(strengths[1].max(0.0), strengths[0], gamma),
    ];
    let (n, nv) = (plan.n, plan.voters.list.len());
    let (actors, talks, r) = (&st.actors, &st.talks, &mut st.round);
    // Module by module, in voting order: every patron votes before its clients. Each voter's stream gives one
    // uniform per module in module order, whatever the module's status. Deterministic votes (temperature 0)
    // never read it and nothing else draws from it, so they skip the draws: the outcome is the same.
    for (m, table) in plan.tables.iter().enumerate() {
        if talks.status[m] == Status::Closed {
            // Its slots still hold their initial "closed" values: a module never closes again once open.
            if let Some(vote_streams) = streams.votes.as_mut() {
                for &i in &plan.roster.vote_order {
                    rng::uniform(vote_streams.of(i.0));
                }
            }
            continue;
        }
        // Every voter's d(x̄) and u first, in one pass without branches; then the votes, in voting order.
        let distances = &mut r.voter_distance[m * nv..(m + 1) * nv];
        utility::distances(
            &talks.text,
            &table.dims,
            &table.ideal,
            &table.salience2,
            &table.salience2_sum,
            &mut r.distance_sums,
            distances,
        );
        for ((u, &d), &risk) in r
            .voter_utility
            .iter_mut()
            .zip(distances.iter())
            .zip(&plan.voters.risk)
        {
            *u = utility::of_distance(d, risk);
        }
        let slots = &mut r.slots[m * n..(m + 1) * n];
        for (v, (voter, now)) in plan.voters.list.iter().zip(&r.voters).enumerate() {
            let i = voter.actor.0;
            let xi = streams
                .votes
                .as_mut()
                .map_or(0.0, |s| rng::uniform(s.of(i)));
            let u = r.voter_utility[v];
            let (reservation, p, big_u) = match voter.side {
                Some(own) => {
                    let patrons = &plan.voters.patrons[voter.patrons.clone()];
                    let mut withdrawn = patrons
                        .iter()
                        .filter(|p| slots[p.actor.0].accepted())
                        .map(|p| p.withdrawal * actors.capability[p.actor.0])
                        .peekable();
                    let p = if withdrawn.peek().is_none() {
                        base_p[own]
                    } else {
                        let own_strength = battlefield::client_strength(strengths[own], withdrawn);
                        battlefield::win_probability(own_strength, strengths[1 - own], gamma)
                    };
                    let (u_win, u_lose) = table.victory[v];
                    let fight = battlefield::fight_value(p, u_win, u_lose, now.hurt);
                    let big_u = commitment::committed_utility(now.epsilon, u, u_lose);
                    (battlefield::reservation(fight), p, big_u)
                }
                None => (voter.reservation, f64::NAN, u),
            };
            let tau = aspiration::threshold(now.alpha, reservation);
            let vote = if now.boycott {
                Vote::Absent
            } else if votes::accepts(big_u, tau, sc.simulation.accept_temperature, xi) {
                Vote::Accept
            } else {
                Vote::Reject
            };
            slots[i] = Slot {
                reservation,
                utility: big_u,
                threshold: tau,
                win: p,
                vote,
            };
        }
    }
}

/// What each voter brings to every module's vote this round: α(t), hurt, commitment risk ε, boycott.
fn round_voters(run: &Run, st: &mut State, t: u32) {
    let tf = f64::from(t);
    let (actors, talks, r) = (&st.actors, &st.talks, &mut st.round);
    r.voters.clear();
    for (voter, &alpha_next) in run.plan.voters.list.iter().zip(&talks.alpha_next) {
        let i = voter.actor.0;
        // α(t) was computed at the end of the last round as α(t+1); compute it only in round 1.
        let alpha = if alpha_next.is_nan() {
            aspiration::alpha(tf, voter.deadline, voter.beta, voter.kappa)
        } else {
            alpha_next
        };
        let epsilon = if voter.fears_betrayal {
            commitment_risk_of(run.plan, actors, i, voter.commitment_risk)
        } else {
            0.0
        };
        r.voters.push(RoundVoter {
            alpha,
            hurt: battlefield::hurt(
                voter.hurt_initial,
                voter.hurt_growth,
                tf,
                actors.shock_hurt[i],
            ),
            epsilon,
            boycott: t <= actors.boycott_until[i],
        });
    }
}

/// Step 4: a module is signed in the round that completes `persist` rounds in which every signatory accepted,
/// provided every compliance party is willing (U ≥ r) in that round.
pub(super) fn sign_modules<R: Recorder>(run: &Run, st: &mut State, rec: &mut R, t: u32) {
    let n = run.plan.n;
    let (talks, slots) = (&mut st.talks, &st.round.slots);
    for (m, module) in run.sc.modules.iter().enumerate() {
        if talks.status[m] != Status::Open {
            continue;
        }
        let slot = |i: usize| &slots[m * n + i];
        if module.signatories.iter().all(|&s| slot(s).accepted()) {
            talks.streak[m] += 1;
        } else {
            talks.streak[m] = 0;
        }
        let willing = module.compliance.iter().all(|&c| {
            let s = slot(c);
            compliance::willing(s.utility, s.reservation)
        });
        if talks.streak[m] >= module.persist && willing {
            talks.status[m] = Status::Signed;
            talks.strain[m * n..(m + 1) * n].fill(0);
            rec.event(|| {
                EventRecord::module(t, EventKindRecord::Signature, m, "all signatories accepted")
            });
        }
    }
}

/// Step 5: compliance parties of signed modules decide whether to violate and whether the deal still holds; the
/// effects on victims come after every party has decided.
pub(super) fn hold_or_collapse<R: Recorder>(
    run: &Run,
    st: &mut State,
    streams: &mut Streams,
    rec: &mut R,
    t: u32,
    tally: &mut RoundTally,
) {
    let n = run.plan.n;
    let (actors, talks, r) = (&mut st.actors, &mut st.talks, &mut st.round);
    r.violators.clear();
    tally.collapsed.clear();
    for (m, module) in run.sc.modules.iter().enumerate() {
        if talks.status[m] != Status::Signed {
            continue;
        }
        let mut collapse = false;
        for &c in &module.compliance {
            let xi = rng::uniform(streams.violations.of(c));
            let d = &run.world.actors[c];
            let slot = &r.slots[m * n + c];
            let (u, reservation) = (slot.utility, slot.reservation);
            let p = compliance::violation_probability(
                d.violation_base,
                d.violation_slope,
                reservation,
                u,
            );
            if xi < p {
                r.violators.push((m, c));
            }
            let strain = &mut talks.strain[m * n + c];
            if compliance::strained(u, reservation, module.collapse_margin) {
                *strain += 1;
                if *strain >= module.collapse_patience {
                    collapse = true;
                }
            } else {
                *strain = 0;
            }
        }
        if collapse {
            tally.collapsed.push(m);
        }
    }
    for &(m, c) in &r.violators {
        tally.violations += 1;
        rec.event(|| EventRecord {
            round: t,
            kind: EventKindRecord::Violation,
            actor: Some(c),
            other: None,
            module: Some(m),
            value: f64::NAN,
            cause: "compliance".into(),
        });
        harm_victims(run, actors, m, c);
    }
    for &m in &tally.collapsed {
        talks.status[m] = Status::Collapsed;
        talks.streak[m] = 0;
        talks.strain[m * n..(m + 1) * n].fill(0);
        rec.event(|| {
            EventRecord::module(t, EventKindRecord::Collapse, m, "fighting on beat the deal")
        });
    }
}

/// Step 6: spoilers attack, more often as the previous round's agreement rises.
pub(super) fn spoiler_attacks<R: Recorder>(
    run: &Run,
    st: &mut State,
    streams: &mut Streams,
    rec: &mut R,
    t: u32,
    tally: &mut RoundTally,
) {
    let (sc, world) = (run.sc, run.world);
    let cf = sc.ceasefire();
    let (actors, talks, r) = (&mut st.actors, &st.talks, &mut st.round);
    for &ActorIx(s) in &run.plan.roster.spoilers {
        let xi = rng::uniform(streams.attacks.of(s));
        let Some(spec) = &sc.actors[s].spoiler else {
            continue;
        };
        let d = &world.actors[s];
        let p = spoilers::attack_probability(
            actors.capability[s],
            d.spoiler_base,
            d.spoiler_progress,
            talks.last_agreement,
        );
        let u = utility::utility(
            world.ideal(s),
            world.salience(s),
            d.risk,
            &talks.text,
            &cf.dimensions,
        );
        let slot = &mut r.slots[sc.ceasefire_module * run.plan.n + s];
        slot.utility = u;
        slot.reservation = d.reservation.unwrap_or(f64::NAN);
        let reservation = d.reservation.unwrap_or(0.0);
        let calm = spoilers::restrained(
            spec.kind,
            u,
            reservation,
            d.spoiler_greed,
            talks.last_agreement,
        );
        if calm || xi >= p {
            continue;
        }
        tally.attacks += 1;
        for &target in &spec.targets {
            actors.shock_hurt[target] += sc.simulation.attack_hurt;
            actors.distrust[target] += sc.simulation.attack_distrust;
            rec.event(|| EventRecord {
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

/// Step 8: concession toward the text, patron pull, capability drift, distrust decay; A(t) becomes the
/// spoilers' A(t−1).
pub(super) fn between_rounds(run: &Run, st: &mut State, t: u32, agreement: f64) {
    let plan = run.plan;
    let (n, nv) = (plan.n, plan.voters.list.len());
    let next = f64::from(t + 1);
    let (actors, talks, r) = (&mut st.actors, &mut st.talks, &mut st.round);
    for (voter, alpha_next) in plan.voters.list.iter().zip(talks.alpha_next.iter_mut()) {
        *alpha_next = aspiration::alpha(next, voter.deadline, voter.beta, voter.kappa);
    }
    for (m, table) in plan.tables.iter().enumerate() {
        // Open modules only: a closed module's positions stay at the ideal, a signed one's text is frozen.
        if talks.status[m] != Status::Open {
            continue;
        }
        // Every voter's share λ first, then the positions, dimension by dimension.
        let distances = &r.voter_distance[m * nv..(m + 1) * nv];
        let slots = &r.slots[m * n..(m + 1) * n];
        for ((((lambda, voter), &alpha_next), &risk), &d) in r
            .lambda
            .iter_mut()
            .zip(&plan.voters.list)
            .zip(&talks.alpha_next)
            .zip(&plan.voters.risk)
            .zip(distances)
        {
            let tau_next = aspiration::threshold(alpha_next, slots[voter.actor.0].reservation);
            *lambda = concession::step_share(tau_next, risk, d);
        }
        for (j, &dim) in table.dims.iter().enumerate() {
            let x = talks.text[dim];
            let ideals = &table.ideal[j * nv..(j + 1) * nv];
            let column = &mut actors.stated[dim * n..dim * n + nv];
            for ((theta, &lambda), &q) in column.iter_mut().zip(&r.lambda).zip(ideals) {
                *theta = concession::restate(q, lambda, x);
            }
        }
        // Then clients move toward their patrons on this module's dimensions (their own, moved above).
        for (client, range) in &plan.voters.clients {
            let patrons = &plan.voters.patrons[range.clone()];
            let Place(client) = Place::from(*client);
            for &dim in &table.dims {
                let column = &mut actors.stated[dim * n..(dim + 1) * n];
                let pulled = concession::pull(
                    column[client],
                    patrons.iter().map(|p| (p.pull, column[p.place.0])),
                );
                column[client] = pulled;
            }
        }
    }
    for (capability, &drift) in actors.capability.iter_mut().zip(&plan.drift) {
        *capability = battlefield::shifted_capability(*capability, drift);
    }
    let decay = run.sc.simulation.distrust_decay;
    for distrust in actors.distrust.iter_mut() {
        *distrust = commitment::decayed_distrust(*distrust, decay);
    }
    talks.last_agreement = agreement;
    // A module that collapsed this round is open again.
    for status in talks.status.iter_mut() {
        if *status == Status::Collapsed {
            *status = Status::Open;
        }
    }
}
