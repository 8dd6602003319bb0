//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Nothing here is checked beyond its TOML type, and unknown keys are refused (`deny_unknown_fields`), so a typo is
//! an error and not a silently ignored field. Numeric actor fields stay `toml::Value` because each may be a number
//! or a distribution table; `validate` reads them. The same types serialise a scenario back to TOML (`drawn.toml`).

use serde::{Deserialize, Serialize};

pub type Num = Option<toml::Value>;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub schema_version: Option<i64>,
    /// Read as `RawMeta` and `RawSimulation` by the validator, so that a fault in one table does not hide the others.
    pub meta: Option<toml::Value>,
    pub simulation: Option<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patronage: Vec<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust: Vec<toml::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<toml::Value>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: Option<String>,
    pub title: Option<String>,
    pub lesson: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuning: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub rounds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal_rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drafter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zeuthen_step: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drafter_bias: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_inertia: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contest_decisiveness: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stalemate_band: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation_hurt: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation_distrust: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack_hurt: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack_distrust: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distrust_decay: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    pub id: Option<String>,
    #[serde(default)]
    pub dimensions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_round: Option<i64>,
    #[serde(default)]
    pub signatories: Vec<String>,
    #[serde(default)]
    pub compliance: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceasefire: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persist: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapse_patience: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapse_margin: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_drift: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ideal: Option<toml::Table>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salience: Option<toml::Table>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concession: Option<RawConcession>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hurt: Option<RawHurt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub military_commitment: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guarantee_commitment: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_risk: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation: Option<RawViolation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoiler: Option<RawSpoiler>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConcession {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kappa: Num,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHurt {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth: Num,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawViolation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slope: Num,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpoiler {
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub greed: Num,
    #[serde(default)]
    pub targets: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatronage {
    pub patron: Option<String>,
    pub client: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrust {
    pub party: Option<String>,
    pub guarantor: Option<String>,
    pub value: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub kind: Option<String>,
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub magnitude: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guarantor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}
