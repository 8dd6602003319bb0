//! A number or a distribution table: every distribution's keys, parameters and clamp checked, and its centre
//! inside the field's legal range.

use super::context::{Ctx, Loc, describe, either, number};
use crate::input::Compact;
use crate::scenario::error::IssueKind;

use crate::scenario::fields::Range;
use crate::scenario::param::{DISTRIBUTIONS, Dist, Param};

impl Ctx<'_> {
    /// A number or a distribution table, within `range`.
    pub(super) fn param(
        &mut self,
        at: &Loc,
        value: Option<&toml::Value>,
        default: f64,
        range: Range,
    ) -> Param {
        match value {
            None => Param::Fixed(default),
            Some(v) => self
                .param_value(at, v, range)
                .unwrap_or(Param::Fixed(default)),
        }
    }

    fn param_value(&mut self, at: &Loc, value: &toml::Value, range: Range) -> Option<Param> {
        if let Some(v) = number(value) {
            return self.in_range(at, v, range).map(Param::Fixed);
        }
        let toml::Value::Table(table) = value else {
            self.err(
                at,
                IssueKind::NotAParam {
                    expected: range.describe(),
                    found: describe(value),
                },
            );
            return None;
        };
        // Built only for a message: most params are read without one.
        let names = || {
            DISTRIBUTIONS
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
        };
        let expected = || either(&names(), true);
        let Some(kind) = table.get("dist") else {
            self.err(
                at,
                format!("a distribution table needs `dist`: {}", expected()),
            );
            return None;
        };
        let Some(kind) = kind.as_str() else {
            self.err(
                &at.field("dist"),
                format!("expected {}, found {}", expected(), describe(kind)),
            );
            return None;
        };
        let Some(&(_, keys)) = DISTRIBUTIONS.iter().find(|(name, _)| *name == kind) else {
            self.unknown_word(&at.field("dist"), &names(), true, "", kind);
            return None;
        };
        let vals = self.parameters(at, table, kind, keys);
        let clamp = self.clamp(at, table.get("clamp"));
        let (Some(vals), Some(clamp)) = (vals, clamp) else {
            return None;
        };
        let dist = self.distribution(at, kind, &vals)?;
        let p = Param::Random { dist, clamp };
        let centre = p.centre();
        if !range.contains(centre) {
            self.err(
                at,
                format!(
                    "this distribution is centred on {}, outside the field's legal range ({})",
                    Compact(centre),
                    range.describe()
                ),
            );
            return None;
        }
        Some(p)
    }

    /// The distribution's parameters, in the order of its keys, each a finite number; unknown keys reported.
    fn parameters(
        &mut self,
        at: &Loc,
        table: &toml::Table,
        kind: &str,
        keys: &[&str],
    ) -> Option<Vec<f64>> {
        let mut ok = true;
        for key in table.keys() {
            if key != "dist" && key != "clamp" && !keys.contains(&key.as_str()) {
                let known = keys.iter().copied().chain(["clamp"]);
                self.err_key(
                    &at.key(key),
                    IssueKind::UnknownKey {
                        key: key.clone(),
                        suggestion: crate::scenario::error::closest(key, known).map(str::to_string),
                        expected: format!(
                            "a {kind} distribution takes {} and optionally clamp",
                            keys.join(", ")
                        ),
                    },
                );
                ok = false;
            }
        }
        let mut vals = Vec::with_capacity(keys.len());
        for key in keys {
            let here = at.field(key);
            match table.get(*key) {
                None => {
                    self.err(
                        at,
                        format!("a {kind} distribution needs `{key}` ({})", keys.join(", ")),
                    );
                    ok = false;
                }
                Some(v) => match number(v) {
                    Some(x) if x.is_finite() => vals.push(x),
                    Some(x) => {
                        self.err(
                            &here,
                            format!("expected a finite number, found {}", Compact(x)),
                        );
                        ok = false;
                    }
                    None => {
                        self.err(&here, format!("expected a number, found {}", describe(v)));
                        ok = false;
                    }
                },
            }
        }
        ok.then_some(vals)
    }

    /// The optional `clamp = [lo, hi]`: `Some(None)` when absent, `None` when it is faulty (and reported).
    fn clamp(&mut self, at: &Loc, clamp: Option<&toml::Value>) -> Option<Option<(f64, f64)>> {
        let Some(c) = clamp else {
            return Some(None);
        };
        let pair = c.as_array().and_then(|a| {
            if a.len() == 2 {
                Some((number(&a[0])?, number(&a[1])?))
            } else {
                None
            }
        });
        match pair {
            Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo <= hi => Some(Some((lo, hi))),
            Some((lo, hi)) => {
                self.err(
                    &at.field("clamp"),
                    format!(
                        "expected clamp = [lo, hi] with finite lo ≤ hi, found [{}, {}]",
                        Compact(lo),
                        Compact(hi)
                    ),
                );
                None
            }
            None => {
                self.err(
                    &at.field("clamp"),
                    format!(
                        "expected clamp = [lo, hi], two numbers, found {}",
                        describe(c)
                    ),
                );
                None
            }
        }
    }

    /// The distribution of `kind` with parameters `vals`, each shape's own rule checked.
    fn distribution(&mut self, at: &Loc, kind: &str, vals: &[f64]) -> Option<Dist> {
        let dist = match kind {
            "normal" => {
                if vals[1] < 0.0 {
                    self.err(
                        &at.field("sd"),
                        format!(
                            "expected a standard deviation ≥ 0, found {}",
                            Compact(vals[1])
                        ),
                    );
                    return None;
                }
                Dist::Normal {
                    mean: vals[0],
                    sd: vals[1],
                }
            }
            "uniform" => {
                if vals[0] > vals[1] {
                    self.err(
                        at,
                        format!(
                            "expected low ≤ high, found low = {} and high = {}",
                            Compact(vals[0]),
                            Compact(vals[1])
                        ),
                    );
                    return None;
                }
                Dist::Uniform {
                    low: vals[0],
                    high: vals[1],
                }
            }
            "beta" => {
                if !(vals[0] > 0.0 && vals[0] < 1.0) {
                    self.err(
                        &at.field("mean"),
                        format!(
                            "expected a beta mean strictly between 0 and 1, found {}",
                            Compact(vals[0])
                        ),
                    );
                    return None;
                }
                if vals[1] <= 0.0 {
                    self.err(
                        &at.field("concentration"),
                        format!("expected a concentration > 0, found {}", Compact(vals[1])),
                    );
                    return None;
                }
                Dist::Beta {
                    mean: vals[0],
                    concentration: vals[1],
                }
            }
            _ => {
                if !(vals[0] <= vals[1] && vals[1] <= vals[2]) {
                    self.err(
                        at,
                        format!(
                            "expected low ≤ mode ≤ high, found {}, {}, {}",
                            Compact(vals[0]),
                            Compact(vals[1]),
                            Compact(vals[2])
                        ),
                    );
                    return None;
                }
                Dist::Triangular {
                    low: vals[0],
                    mode: vals[1],
                    high: vals[2],
                }
            }
        };
        Some(dist)
    }
}
