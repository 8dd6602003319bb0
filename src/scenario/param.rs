//! Numeric fields that may be a number or a distribution, and their draws.
//!
//! A scenario states uncertainty as a distribution (`{ dist = "normal", mean = 0.7, sd = 0.05 }`); each seed draws
//! one value from its own keyed stream ([`crate::rng::KeyedStream`]), applies the optional `clamp` and then the field's
//! legal range. A fixed number draws nothing, so a fixed field costs nothing and never consumes randomness.

use rand_distr::{Beta, Distribution, Normal, Triangular};
use serde::Serialize;

use crate::rng::{KeyedStream, uniform};

/// The distributions a param may take, and the keys of each (besides `dist` and an optional `clamp`).
pub const DISTRIBUTIONS: [(&str, &[&str]); 4] = [
    ("normal", &["mean", "sd"]),
    ("uniform", &["low", "high"]),
    ("beta", &["mean", "concentration"]),
    ("triangular", &["low", "mode", "high"]),
];

/// The shape of a distribution.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
    Beta { mean: f64, concentration: f64 },
    Triangular { low: f64, mode: f64, high: f64 },
}

/// A number, or a distribution with an optional clamp.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    Fixed(f64),
    Random {
        dist: Dist,
        clamp: Option<(f64, f64)>,
    },
}

impl Param {
    /// The value for this seed: fixed values as they are, distributions drawn from `stream`; then the user's clamp
    /// and the legal range `[lo, hi]`. Validation has already checked the distribution's parameters.
    pub fn draw(&self, stream: &mut KeyedStream, lo: f64, hi: f64) -> f64 {
        let raw = match self {
            Param::Fixed(v) => *v,
            Param::Random { dist, clamp } => {
                let v = sample(dist, stream);
                match clamp {
                    Some((a, b)) => v.clamp(*a, *b),
                    None => v,
                }
            }
        };
        if raw.is_nan() { lo } else { raw.clamp(lo, hi) }
    }

    pub fn is_random(&self) -> bool {
        matches!(self, Param::Random { .. })
    }

    /// The value a fixed parameter has, or the centre of a distribution: what a reader expects "the" value to be.
    pub fn centre(&self) -> f64 {
        match self {
            Param::Fixed(v) => *v,
            Param::Random { dist, clamp } => {
                let c = match dist {
                    Dist::Normal { mean, .. } | Dist::Beta { mean, .. } => *mean,
                    Dist::Uniform { low, high } => 0.5 * (low + high),
                    Dist::Triangular { low, mode, high } => (low + mode + high) / 3.0,
                };
                match clamp {
                    Some((a, b)) => c.clamp(*a, *b),
                    None => c,
                }
            }
        }
    }

    /// The TOML form of the parameter, as a scenario file writes it.
    pub fn to_toml(&self) -> toml::Value {
        match self {
            Param::Fixed(v) => toml::Value::Float(*v),
            Param::Random { dist, clamp } => {
                let mut t = toml::Table::new();
                let mut put = |k: &str, v: f64| {
                    t.insert(k.to_string(), toml::Value::Float(v));
                };
                let name = match dist {
                    Dist::Normal { mean, sd } => {
                        put("mean", *mean);
                        put("sd", *sd);
                        "normal"
                    }
                    Dist::Uniform { low, high } => {
                        put("low", *low);
                        put("high", *high);
                        "uniform"
                    }
                    Dist::Beta {
                        mean,
                        concentration,
                    } => {
                        put("mean", *mean);
                        put("concentration", *concentration);
                        "beta"
                    }
                    Dist::Triangular { low, mode, high } => {
                        put("low", *low);
                        put("mode", *mode);
                        put("high", *high);
                        "triangular"
                    }
                };
                t.insert("dist".into(), toml::Value::String(name.into()));
                if let Some((a, b)) = clamp {
                    t.insert(
                        "clamp".into(),
                        toml::Value::Array(vec![toml::Value::Float(*a), toml::Value::Float(*b)]),
                    );
                }
                toml::Value::Table(t)
            }
        }
    }
}

impl Serialize for Param {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_toml().serialize(s)
    }
}

fn sample(dist: &Dist, stream: &mut KeyedStream) -> f64 {
    match *dist {
        Dist::Normal { mean, sd } => match Normal::new(mean, sd) {
            Ok(d) => d.sample(stream),
            Err(_) => mean,
        },
        Dist::Uniform { low, high } => low + (high - low) * uniform(stream),
        Dist::Beta {
            mean,
            concentration,
        } => match Beta::new(mean * concentration, (1.0 - mean) * concentration) {
            Ok(d) => d.sample(stream),
            Err(_) => mean,
        },
        Dist::Triangular { low, mode, high } => {
            if high > low {
                match Triangular::new(low, high, mode) {
                    Ok(d) => d.sample(stream),
                    Err(_) => mode,
                }
            } else {
                mode
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::fnv1a;

    fn draws(p: &Param, n: u64, lo: f64, hi: f64) -> Vec<f64> {
        (0..n)
            .map(|s| p.draw(&mut KeyedStream::new(s, fnv1a("k")), lo, hi))
            .collect()
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    #[test]
    fn fixed_values_draw_themselves_within_the_legal_range() {
        assert_eq!(draws(&Param::Fixed(0.3), 3, 0.0, 1.0), vec![0.3; 3]);
        assert_eq!(draws(&Param::Fixed(2.0), 1, 0.0, 1.0), vec![1.0]);
    }

    #[test]
    fn each_distribution_has_its_mean_and_stays_in_range() {
        let cases = [
            (Dist::Normal { mean: 0.5, sd: 0.1 }, 0.5),
            (
                Dist::Uniform {
                    low: 0.2,
                    high: 0.6,
                },
                0.4,
            ),
            (
                Dist::Beta {
                    mean: 0.3,
                    concentration: 10.0,
                },
                0.3,
            ),
            (
                Dist::Triangular {
                    low: 0.0,
                    mode: 0.3,
                    high: 0.9,
                },
                0.4,
            ),
        ];
        for (dist, expected) in cases {
            let p = Param::Random { dist, clamp: None };
            let v = draws(&p, 20_000, 0.0, 1.0);
            assert!((mean(&v) - expected).abs() < 0.01, "{p:?}: {}", mean(&v));
            assert!(v.iter().all(|x| (0.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn clamp_bounds_every_draw() {
        let p = Param::Random {
            dist: Dist::Normal { mean: 0.5, sd: 1.0 },
            clamp: Some((0.4, 0.6)),
        };
        let v = draws(&p, 2_000, 0.0, 1.0);
        assert!(v.iter().all(|x| (0.4..=0.6).contains(x)));
        assert!(v.contains(&0.4) && v.contains(&0.6));
    }
}
