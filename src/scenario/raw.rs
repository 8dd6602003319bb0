//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Nothing here is checked beyond its TOML type, and unknown keys are refused (`deny_unknown_fields`), so a typo is
//! an error and not a silently ignored field. Numeric actor fields stay `toml::Value` because each may be a number
//! or a distribution table; `validate` reads them. (`write.rs`, not these types, writes a scenario back as TOML.)

use serde::Deserialize;

pub type Num = Option<toml::Value>;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub schema_version: Option<i64>,
    /// Read as `RawMeta` and `RawSimulation` by the validator, so that a fault in one table does not hide the others.
    pub meta: Option<toml::Value>,
    pub simulation: Option<toml::Value>,
    #[serde(default)]
    pub dimensions: Vec<toml::Value>,
    #[serde(default)]
    pub modules: Vec<toml::Value>,
    #[serde(default)]
    pub actors: Vec<toml::Value>,
    #[serde(default)]
    pub patronage: Vec<toml::Value>,
    #[serde(default)]
    pub trust: Vec<toml::Value>,
    #[serde(default)]
    pub events: Vec<toml::Value>,
    #[serde(default)]
    pub history: Vec<toml::Value>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: Option<String>,
    pub title: Option<String>,
    pub lesson: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    pub tuning: Option<String>,
    pub variant: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub rounds: Option<i64>,
    pub round_label: Option<String>,
    pub seed: Option<u64>,
    pub proposal_rule: Option<String>,
    pub drafter: Option<String>,
    pub zeuthen_step: Option<f64>,
    pub drafter_bias: Option<f64>,
    pub text_inertia: Option<f64>,
    pub accept_temperature: Option<f64>,
    pub contest_decisiveness: Option<f64>,
    pub stalemate_band: Option<f64>,
    pub violation_hurt: Option<f64>,
    pub violation_distrust: Option<f64>,
    pub attack_hurt: Option<f64>,
    pub attack_distrust: Option<f64>,
    pub distrust_decay: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    pub id: Option<String>,
    pub label: Option<String>,
    pub zero: Option<String>,
    pub one: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    pub id: Option<String>,
    #[serde(default)]
    pub dimensions: Vec<String>,
    pub open_round: Option<i64>,
    #[serde(default)]
    pub signatories: Vec<String>,
    #[serde(default)]
    pub compliance: Vec<String>,
    pub ceasefire: Option<bool>,
    pub persist: Option<i64>,
    pub collapse_patience: Option<i64>,
    pub collapse_margin: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub side: Option<String>,
    pub principal: Option<bool>,
    pub voice: Num,
    pub capability: Num,
    pub capability_drift: Num,
    pub ideal: Option<toml::Table>,
    pub salience: Option<toml::Table>,
    pub risk: Num,
    pub reservation: Num,
    pub concession: Option<RawConcession>,
    pub hurt: Option<RawHurt>,
    pub military_commitment: Num,
    pub guarantee_commitment: Num,
    pub commitment_risk: Num,
    pub violation: Option<RawViolation>,
    pub discount: Num,
    pub spoiler: Option<RawSpoiler>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConcession {
    pub beta: Num,
    pub deadline: Num,
    pub kappa: Num,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHurt {
    pub initial: Num,
    pub growth: Num,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawViolation {
    pub base: Num,
    pub slope: Num,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpoiler {
    pub kind: Option<String>,
    pub base: Num,
    pub progress: Num,
    pub greed: Num,
    #[serde(default)]
    pub targets: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatronage {
    pub patron: Option<String>,
    pub client: Option<String>,
    pub leverage: Option<f64>,
    pub pull: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrust {
    pub party: Option<String>,
    pub guarantor: Option<String>,
    pub value: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub kind: Option<String>,
    pub target: Option<String>,
    pub round: Option<i64>,
    pub probability: Option<f64>,
    pub duration: Option<i64>,
    pub magnitude: Num,
    pub guarantor: Option<String>,
    pub label: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHistory {
    pub round: Option<i64>,
    pub label: Option<String>,
}
