//! One seed's world: every distribution of a scenario replaced by the value drawn for that seed.
//!
//! Each drawn value has its own stream keyed by `"<ACTOR>/<field>"` (per-dimension fields add `/<dimension>`,
//! e.g. `"GOV/ideal/scope"`), so adding an actor, a field or a dimension never changes any other draw.
//! Draws are clamped to each field's legal range, the same ranges the validator enforces.

use crate::rng::{KeyedStream, fnv1a};
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
    fn draw(&self, field: &str, p: &Param, lo: f64, hi: f64) -> f64 {
        match p {
            Param::Fixed(v) => v.clamp(lo, hi),
            Param::Random { .. } => {
                let key = extend(extend(self.actor_hash, "/"), field);
                p.draw(&mut KeyedStream::new(self.seed, key), lo, hi)
            }
        }
    }

    fn draw_dim(&self, field: &str, dim: &str, p: &Param, lo: f64, hi: f64) -> f64 {
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
                        .map(|(p, dim)| d.draw_dim("ideal", &dim.id, p, 0.0, 1.0)),
                );
                salience.extend(
                    a.salience
                        .iter()
                        .zip(dims)
                        .map(|(p, dim)| d.draw_dim("salience", &dim.id, p, 0.0, 1.0)),
                );
                ideal.resize((i + 1) * dims.len(), 0.5);
                salience.resize((i + 1) * dims.len(), 0.0);
                let (sb, sp, sg) = match &a.spoiler {
                    Some(s) => (
                        d.draw("spoiler.base", &s.base, 0.0, 1000.0),
                        d.draw("spoiler.progress", &s.progress, 0.0, 1000.0),
                        d.draw("spoiler.greed", &s.greed, 0.0, 1.0),
                    ),
                    None => (0.0, 0.0, 0.0),
                };
                let voice = if a.role == Role::Host || a.role == Role::Spoiler {
                    0.0
                } else {
                    d.draw("voice", &a.voice, 0.0, 1.0)
                };
                DrawnActor {
                    voice,
                    capability: d.draw("capability", &a.capability, 0.0, 1.0e6),
                    capability_drift: d.draw("capability_drift", &a.capability_drift, -1.0, 1.0),
                    risk: d.draw("risk", &a.risk, -1.0, 1.0),
                    reservation: a
                        .reservation
                        .as_ref()
                        .map(|p| d.draw("reservation", p, 0.0, 1.0)),
                    concession_beta: d.draw("concession.beta", &a.concession_beta, 1e-6, 1000.0),
                    concession_deadline: d
                        .draw("concession.deadline", &a.concession_deadline, 1.0, 1.0e6)
                        .round()
                        .max(1.0),
                    concession_kappa: d.draw("concession.kappa", &a.concession_kappa, 0.0, 1.0),
                    hurt_initial: d.draw("hurt.initial", &a.hurt_initial, 0.0, 1.0e6),
                    hurt_growth: d.draw("hurt.growth", &a.hurt_growth, 0.0, 1.0e6),
                    military_commitment: d.draw(
                        "military_commitment",
                        &a.military_commitment,
                        0.0,
                        1.0,
                    ),
                    guarantee_commitment: d.draw(
                        "guarantee_commitment",
                        &a.guarantee_commitment,
                        0.0,
                        1.0,
                    ),
                    commitment_risk: d.draw("commitment_risk", &a.commitment_risk, 0.0, 1.0),
                    violation_base: d.draw("violation.base", &a.violation_base, 0.0, 1.0),
                    violation_slope: d.draw("violation.slope", &a.violation_slope, 0.0, 1000.0),
                    spoiler_base: sb,
                    spoiler_progress: sp,
                    spoiler_greed: sg,
                    discount: d.draw("discount", &a.discount, 1e-6, 0.999_999),
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
