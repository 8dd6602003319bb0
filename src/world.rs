//! One seed's world: every distribution of a scenario replaced by the value drawn for that seed.
//!
//! Each drawn value has its own stream keyed by `"<ACTOR>/<field>"` (per-dimension fields add `/<dimension>`,
//! e.g. `"GOV/ideal/scope"`), so adding an actor, a field or a dimension never changes any other draw.
//! Draws are clamped to each field's legal range, read from the field registry as the validator reads it.
//!
//! [`World::drawn`] lists what a world drew for the scenario's distributions, each under its `--set` path: the one
//! list of a seed's drawn inputs (the extra columns of `batch --drawn`).

use crate::rng::{KeyedStream, fnv1a};
use crate::scenario::fields::{self, Field};
use crate::scenario::{Param, Role, Scenario};

/// One actor's drawn values.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnActor {
    pub voice: f64,
    pub capability: f64,
    pub capability_drift: f64,
    pub risk: f64,
    /// Fixed reservation (actors with side "none", limited and greedy spoilers); `None` when not declared.
    pub reservation: Option<f64>,
    pub concession_beta: f64,
    /// Rounded to a whole number of rounds, at least 1.
    pub concession_deadline: f64,
    pub concession_kappa: f64,
    pub hurt_initial: f64,
    pub hurt_growth: f64,
    pub military_commitment: f64,
    pub guarantee_commitment: f64,
    pub commitment_risk: f64,
    pub violation_base: f64,
    pub violation_slope: f64,
    pub spoiler_base: f64,
    pub spoiler_progress: f64,
    pub spoiler_greed: f64,
    /// δ for alternating offers.
    pub discount: f64,
}

/// Ideals and saliences are kept in two actor-major matrices (one row of `dims` values per actor) rather than in
/// each actor: two allocations per seed instead of two per actor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct World {
    pub seed: u64,
    pub actors: Vec<DrawnActor>,
    /// The number of dimensions: the length of each actor's row.
    dims: usize,
    ideal: Vec<f64>,
    salience: Vec<f64>,
}

impl World {
    /// Actor `i`'s drawn ideal point, one value per dimension.
    pub fn ideal(&self, i: usize) -> &[f64] {
        &self.ideal[i * self.dims..(i + 1) * self.dims]
    }

    /// Actor `i`'s drawn saliences, one value per dimension.
    pub fn salience(&self, i: usize) -> &[f64] {
        &self.salience[i * self.dims..(i + 1) * self.dims]
    }
}

/// The `--set` path of a drawn field: `actors.<ID>.<field>`, or `actors.<ID>.<field>.<dimension>` for a
/// per-dimension field (`actors.GOV.capability`, `actors.GOV.concession.deadline`, `actors.GOV.ideal.scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawnPath<'a> {
    pub actor: &'a str,
    /// The field's key in the registry (dotted when nested: `concession.beta`).
    pub field: &'static str,
    pub dimension: Option<&'a str>,
}

impl std::fmt::Display for DrawnPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "actors.{}.{}", self.actor, self.field)?;
        if let Some(d) = self.dimension {
            write!(f, ".{d}")?;
        }
        Ok(())
    }
}

/// One field of an actor as [`World::drawn`] considers it: its key, its declared param (`None`: not declared) and
/// its dimension, and the value the world holds for it.
type Entry<'a> = (&'static str, Option<&'a Param>, Option<&'a str>, f64);

impl World {
    /// Every distribution-valued field of `scenario` (a `{ dist = … }`, not a fixed number) with the value this
    /// world drew for it: clamped to the field's range (and a deadline rounded), the value the run used and its
    /// `drawn.toml` holds. `self` must be drawn from `scenario`.
    ///
    /// Order: actors in file order; within an actor, the order of the registry (and of the actors' table of
    /// docs/scenario-format.md): `voice`, `capability`, `capability_drift`, `ideal.<dim>` and then `salience.<dim>`
    /// (each in dimension order), `risk`, `reservation`, `concession.beta`, `concession.deadline`,
    /// `concession.kappa`, `hurt.initial`, `hurt.growth`, `military_commitment`, `guarantee_commitment`,
    /// `commitment_risk`, `discount`, `violation.base`, `violation.slope`, `spoiler.base`, `spoiler.progress`,
    /// `spoiler.greed`. Fixed fields are left out. An event's magnitude is drawn anew each time the event fires,
    /// not once per seed, so it is not a drawn input of the world and is not listed.
    pub fn drawn<'a>(
        &'a self,
        scenario: &'a Scenario,
    ) -> impl Iterator<Item = (DrawnPath<'a>, f64)> + 'a {
        let dims = &scenario.dimensions;
        scenario
            .actors
            .iter()
            .zip(&self.actors)
            .enumerate()
            .flat_map(move |(i, (a, d))| {
                let one = |field: &Field, p: &'a Param, v: f64| -> Entry<'a> {
                    (field.key, Some(p), None, v)
                };
                let per_dim =
                    move |field: &Field, params: &'a [Param], values: &'a [f64]| {
                        let key = field.key;
                        params.iter().zip(values).zip(dims).map(
                            move |((p, &v), dim)| -> Entry<'a> {
                                (key, Some(p), Some(dim.id.as_str()), v)
                            },
                        )
                    };
                let spoiler = a.spoiler.as_ref();
                let head = [
                    one(&fields::VOICE, &a.voice, d.voice),
                    one(&fields::CAPABILITY, &a.capability, d.capability),
                    one(
                        &fields::CAPABILITY_DRIFT,
                        &a.capability_drift,
                        d.capability_drift,
                    ),
                ];
                let tail: [Entry<'a>; 16] = [
                    one(&fields::RISK, &a.risk, d.risk),
                    (
                        fields::RESERVATION.key,
                        a.reservation.as_ref(),
                        None,
                        d.reservation.unwrap_or(f64::NAN),
                    ),
                    one(
                        &fields::CONCESSION_BETA,
                        &a.concession_beta,
                        d.concession_beta,
                    ),
                    one(
                        &fields::CONCESSION_DEADLINE,
                        &a.concession_deadline,
                        d.concession_deadline,
                    ),
                    one(
                        &fields::CONCESSION_KAPPA,
                        &a.concession_kappa,
                        d.concession_kappa,
                    ),
                    one(&fields::HURT_INITIAL, &a.hurt_initial, d.hurt_initial),
                    one(&fields::HURT_GROWTH, &a.hurt_growth, d.hurt_growth),
                    one(
                        &fields::MILITARY_COMMITMENT,
                        &a.military_commitment,
                        d.military_commitment,
                    ),
                    one(
                        &fields::GUARANTEE_COMMITMENT,
                        &a.guarantee_commitment,
                        d.guarantee_commitment,
                    ),
                    one(
                        &fields::COMMITMENT_RISK,
                        &a.commitment_risk,
                        d.commitment_risk,
                    ),
                    one(&fields::DISCOUNT, &a.discount, d.discount),
                    one(&fields::VIOLATION_BASE, &a.violation_base, d.violation_base),
                    one(
                        &fields::VIOLATION_SLOPE,
                        &a.violation_slope,
                        d.violation_slope,
                    ),
                    (
                        fields::SPOILER_BASE.key,
                        spoiler.map(|s| &s.base),
                        None,
                        d.spoiler_base,
                    ),
                    (
                        fields::SPOILER_PROGRESS.key,
                        spoiler.map(|s| &s.progress),
                        None,
                        d.spoiler_progress,
                    ),
                    (
                        fields::SPOILER_GREED.key,
                        spoiler.map(|s| &s.greed),
                        None,
                        d.spoiler_greed,
                    ),
                ];
                head.into_iter()
                    .chain(per_dim(&fields::IDEAL, &a.ideal, self.ideal(i)))
                    .chain(per_dim(&fields::SALIENCE, &a.salience, self.salience(i)))
                    .chain(tail)
                    .filter(|(_, p, _, _)| p.is_some_and(Param::is_random))
                    .map(move |(field, _, dimension, v)| {
                        (
                            DrawnPath {
                                actor: &a.id,
                                field,
                                dimension,
                            },
                            v,
                        )
                    })
            })
    }
}

use crate::rng::fnv1a_extend as extend;

struct Drawer {
    seed: u64,
    actor_hash: u64,
}

impl Drawer {
    /// Draw `p`, the value of `field`, in the field's legal range; the stream is keyed by the field's key.
    fn draw(&self, field: &Field, p: &Param) -> f64 {
        let (lo, hi) = field.range().draw_bounds();
        let field = field.key;
        match p {
            Param::Fixed(v) => v.clamp(lo, hi),
            Param::Random { .. } => {
                let key = extend(extend(self.actor_hash, "/"), field);
                p.draw(&mut KeyedStream::new(self.seed, key), lo, hi)
            }
        }
    }

    /// Draw `p`, the value of a per-dimension `field` on dimension `dim`.
    fn draw_dim(&self, field: &Field, dim: &str, p: &Param) -> f64 {
        let (lo, hi) = field.range().draw_bounds();
        let field = field.key;
        match p {
            Param::Fixed(v) => v.clamp(lo, hi),
            Param::Random { .. } => {
                let key = extend(
                    extend(extend(extend(self.actor_hash, "/"), field), "/"),
                    dim,
                );
                p.draw(&mut KeyedStream::new(self.seed, key), lo, hi)
            }
        }
    }
}

impl World {
    pub fn draw(scenario: &Scenario, seed: u64) -> World {
        let dims = &scenario.dimensions;
        let n = scenario.actors.len();
        let mut ideal = Vec::with_capacity(n * dims.len());
        let mut salience = Vec::with_capacity(n * dims.len());
        let actors = scenario
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let d = Drawer {
                    seed,
                    actor_hash: fnv1a(&a.id),
                };
                // A validated scenario holds one ideal and one salience per dimension for every actor; the rows are
                // kept `dims` long whatever the input, so every actor's row stays where the accessors look.
                ideal.extend(
                    a.ideal
                        .iter()
                        .zip(dims)
                        .map(|(p, dim)| d.draw_dim(&fields::IDEAL, &dim.id, p)),
                );
                salience.extend(
                    a.salience
                        .iter()
                        .zip(dims)
                        .map(|(p, dim)| d.draw_dim(&fields::SALIENCE, &dim.id, p)),
                );
                ideal.resize((i + 1) * dims.len(), 0.5);
                salience.resize((i + 1) * dims.len(), 0.0);
                let (sb, sp, sg) = match &a.spoiler {
                    Some(s) => (
                        d.draw(&fields::SPOILER_BASE, &s.base),
                        d.draw(&fields::SPOILER_PROGRESS, &s.progress),
                        d.draw(&fields::SPOILER_GREED, &s.greed),
                    ),
                    None => (0.0, 0.0, 0.0),
                };
                let voice = if a.role == Role::Host || a.role == Role::Spoiler {
                    0.0
                } else {
                    d.draw(&fields::VOICE, &a.voice)
                };
                DrawnActor {
                    voice,
                    capability: d.draw(&fields::CAPABILITY, &a.capability),
                    capability_drift: d.draw(&fields::CAPABILITY_DRIFT, &a.capability_drift),
                    risk: d.draw(&fields::RISK, &a.risk),
                    reservation: a
                        .reservation
                        .as_ref()
                        .map(|p| d.draw(&fields::RESERVATION, p)),
                    concession_beta: d.draw(&fields::CONCESSION_BETA, &a.concession_beta),
                    concession_deadline: d
                        .draw(&fields::CONCESSION_DEADLINE, &a.concession_deadline)
                        .round()
                        .max(1.0),
                    concession_kappa: d.draw(&fields::CONCESSION_KAPPA, &a.concession_kappa),
                    hurt_initial: d.draw(&fields::HURT_INITIAL, &a.hurt_initial),
                    hurt_growth: d.draw(&fields::HURT_GROWTH, &a.hurt_growth),
                    military_commitment: d
                        .draw(&fields::MILITARY_COMMITMENT, &a.military_commitment),
                    guarantee_commitment: d
                        .draw(&fields::GUARANTEE_COMMITMENT, &a.guarantee_commitment),
                    commitment_risk: d.draw(&fields::COMMITMENT_RISK, &a.commitment_risk),
                    violation_base: d.draw(&fields::VIOLATION_BASE, &a.violation_base),
                    violation_slope: d.draw(&fields::VIOLATION_SLOPE, &a.violation_slope),
                    spoiler_base: sb,
                    spoiler_progress: sp,
                    spoiler_greed: sg,
                    discount: d.draw(&fields::DISCOUNT, &a.discount),
                }
            })
            .collect();
        World {
            seed,
            actors,
            dims: dims.len(),
            ideal,
            salience,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_fnv_equals_fnv_of_the_joined_key() {
        assert_eq!(
            extend(extend(extend(fnv1a("GOV"), "/"), "ideal/"), "scope"),
            fnv1a("GOV/ideal/scope")
        );
    }
}
