//! One seed's world: every distribution of a scenario replaced by the value drawn for that seed.
//!
//! Each drawn value has its own stream keyed by `"<ACTOR>/<field>"` (per-dimension fields add `/<dimension>`,
//! e.g. `"GOV/ideal/scope"`), so adding an actor, a field or a dimension never changes any other draw.
//! Draws are clamped to each field's legal range, read from the field registry as the validator reads it.

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
