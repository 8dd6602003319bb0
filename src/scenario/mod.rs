//! Scenarios: what a file says, checked once, with every id resolved to an index.
//!
//! The path is `text → RawScenario (serde, raw.rs) → Scenario (validate.rs)`; nothing downstream re-checks input.
//! A `Scenario` still holds distributions; one seed's draws live in [`crate::world::World`].

/// An enum of the format's words, each declared once: the variants with their words, `ALL` (in order), `WORDS`
/// (the words in the same order), `as_str` and `parse`.
macro_rules! words {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vm])* $variant,)+
        }

        impl $name {
            pub const ALL: [$name; [$($word),+].len()] = [$($name::$variant),+];
            pub const WORDS: [&'static str; [$($word),+].len()] = [$($word),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The variant of `word`, if it is one of [`Self::WORDS`].
            pub fn parse(word: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.as_str() == word)
            }
        }
    };
}

pub mod bundled;
pub mod error;
pub mod fields;
pub mod load;
pub mod overrides;
pub mod param;
pub mod raw;
pub mod schema;
pub(crate) mod spans;
pub mod template;
mod validate;
pub mod write;

pub use error::{Issue, IssueKind, ScenarioError};
pub use load::{load_path, load_path_given, load_source, load_source_given, resolve};
pub use param::{Dist, Param};

/// The only schema version this program reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Limits that keep a scenario's cost bounded (documented in the README).
pub mod limits {
    pub const MAX_ROUNDS: u32 = 100_000;
    pub const MAX_DIMENSIONS: usize = 32;
    pub const MAX_ACTORS: usize = 2_000;
    pub const MAX_MODULES: usize = 32;
    pub const MAX_EVENTS: usize = 1_000;
    /// `[[history]]` entries: real events drawn on the agreement chart (one line per pixel column at most).
    pub const MAX_HISTORY: usize = 1_000;
    pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
    pub const MAX_STRING: usize = 4_096;
    /// rounds × actors × dimensions, the stated positions a run records (`position_<dimension>` in `actors.csv`).
    pub const MAX_CELLS: u64 = 10_000_000;
    /// rounds × actors, the rows of `actors.csv`. With [`MAX_CELLS`], this keeps the largest run within 2 GB and a
    /// minute on a small machine, charts included (the README's "Limits" gives the measurements).
    pub const MAX_ACTOR_ROWS: u64 = 5_000_000;
    /// Rows `events.csv` may hold, counted up front from what can happen in every round.
    pub const MAX_EVENT_ROWS: u64 = 2_000_000;
    /// Bytes of event labels `events.csv` may hold (each row repeats its event's label), counted the same way.
    pub const MAX_EVENT_LABEL_BYTES: u64 = 64 << 20;
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub meta: Meta,
    pub simulation: Simulation,
    pub dimensions: Vec<Dimension>,
    pub modules: Vec<Module>,
    pub actors: Vec<Actor>,
    pub patronage: Vec<Patronage>,
    pub trust: Vec<Trust>,
    pub events: Vec<Event>,
    /// Real, dated events (`[[history]]`), in file order: drawn on the agreement chart, never simulated.
    pub history: Vec<History>,
    /// Index of the one module with `ceasefire = true`.
    pub ceasefire_module: usize,
    /// The `--set` overrides applied, as typed, in order.
    pub overrides: Vec<String>,
    /// The name a teacher gave this variant (`--label`, the label of a `--vary`, or `meta.variant` in the file); None
    /// for an unnamed one.
    pub label: Option<String>,
}

impl Scenario {
    /// What was changed from the scenario as written, in words for a chart's subtitle: the label when there is one
    /// ("Iran observer"), otherwise the overrides ("with actors.IRN.role=observer"); empty when nothing was.
    pub fn changes(&self) -> String {
        changes_text(self.label.as_deref(), &self.overrides)
    }
}

/// The name of a variant that was given none: "variant" and a hash of its overrides ("variant 3df3f86d"), so that
/// different overrides get different names and the same ones the same name.
pub fn unnamed_variant(overrides: &[String]) -> String {
    format!(
        "variant {:08x}",
        crate::rng::fnv1a(&overrides.join("\n")) as u32
    )
}

/// See [`Scenario::changes`]; also used by charts redrawn from `summary.json`.
pub fn changes_text(label: Option<&str>, overrides: &[String]) -> String {
    match label {
        Some(l) if !l.is_empty() => l.to_string(),
        _ if overrides.is_empty() => String::new(),
        _ => format!("with {}", overrides.join("; ")),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub lesson: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub tuning: Option<String>,
    /// The variant's name given in the file (see [`Scenario::label`], which it sets).
    pub variant: Option<String>,
}

words! {
    /// How texts are proposed.
    pub enum ProposalRule {
        SingleText = "single_text",
        Recognition = "recognition",
        /// Zeuthen (1930): the party with the smaller risk limit concedes a step; two parties, one dimension.
        Zeuthen = "zeuthen",
        /// Rubinstein (1982) alternating offers with discount factors; two parties, one dimension.
        Alternating = "alternating",
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub rounds: u32,
    pub round_label: String,
    pub seed: u64,
    pub proposal_rule: ProposalRule,
    /// Concession step of the Zeuthen protocol, on the dimension's scale.
    pub zeuthen_step: f64,
    pub drafter: Option<usize>,
    pub drafter_bias: f64,
    pub text_inertia: f64,
    pub accept_temperature: f64,
    pub contest_decisiveness: f64,
    pub stalemate_band: f64,
    pub violation_hurt: f64,
    pub violation_distrust: f64,
    pub attack_hurt: f64,
    pub attack_distrust: f64,
    pub distrust_decay: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dimension {
    pub id: String,
    pub label: String,
    pub zero: String,
    pub one: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub id: String,
    pub dimensions: Vec<usize>,
    pub open_round: u32,
    pub signatories: Vec<usize>,
    pub compliance: Vec<usize>,
    pub ceasefire: bool,
    pub persist: u32,
    pub collapse_patience: u32,
    pub collapse_margin: f64,
}

words! {
    /// An actor's role at the table.
    pub enum Role {
        Guarantor = "guarantor",
        Party = "party",
        Observer = "observer",
        Mediator = "mediator",
        Host = "host",
        Spoiler = "spoiler",
    }
}

impl Role {
    /// "guarantors", "parties".
    pub fn plural(self) -> &'static str {
        match self {
            Role::Guarantor => "guarantors",
            Role::Party => "parties",
            Role::Observer => "observers",
            Role::Mediator => "mediators",
            Role::Host => "hosts",
            Role::Spoiler => "spoilers",
        }
    }

    /// Voice when the file gives none.
    pub fn default_voice(self) -> f64 {
        match self {
            Role::Guarantor | Role::Party => 1.0,
            Role::Observer | Role::Mediator => 0.25,
            Role::Host | Role::Spoiler => 0.0,
        }
    }
}

words! {
    /// A side in the war.
    pub enum Side {
        Gov = "gov",
        Opp = "opp",
        None = "none",
    }
}

impl Side {
    /// The side a scenario names: absent means "none"; `None` for an unknown word.
    pub fn parse_declared(s: Option<&str>) -> Option<Side> {
        s.map_or(Some(Side::None), Side::parse)
    }

    pub fn other(self) -> Side {
        match self {
            Side::Gov => Side::Opp,
            Side::Opp => Side::Gov,
            Side::None => Side::None,
        }
    }
}

words! {
    /// Stedman's spoiler types: when a spoiler holds fire.
    pub enum SpoilerKind {
        Limited = "limited",
        Greedy = "greedy",
        Total = "total",
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpoilerSpec {
    pub kind: SpoilerKind,
    pub base: Param,
    pub progress: Param,
    pub greed: Param,
    pub targets: Vec<usize>,
}

/// One actor as declared: every numeric field a [`Param`], defaults already filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub side: Side,
    pub principal: bool,
    pub voice: Param,
    pub capability: Param,
    pub capability_drift: Param,
    /// One per dimension, in dimension order.
    pub ideal: Vec<Param>,
    pub salience: Vec<Param>,
    pub risk: Param,
    pub reservation: Option<Param>,
    pub concession_beta: Param,
    pub concession_deadline: Param,
    pub concession_kappa: Param,
    pub hurt_initial: Param,
    pub hurt_growth: Param,
    pub military_commitment: Param,
    pub guarantee_commitment: Param,
    pub commitment_risk: Param,
    pub violation_base: Param,
    pub violation_slope: Param,
    /// δ for alternating offers, in (0, 1).
    pub discount: Param,
    pub spoiler: Option<SpoilerSpec>,
}

impl Actor {
    /// Guarantors, parties, and observers or mediators with a voice > 0 (judged on the declared voice's centre;
    /// validation makes a random voice strictly positive or fixed 0).
    pub fn is_voter(&self) -> bool {
        match self.role {
            Role::Guarantor | Role::Party => true,
            Role::Observer | Role::Mediator => self.voice.centre() > 0.0,
            Role::Host | Role::Spoiler => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Patronage {
    pub patron: usize,
    pub client: usize,
    pub leverage: f64,
    pub pull: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trust {
    pub party: usize,
    pub guarantor: usize,
    pub value: f64,
}

words! {
    /// What a scheduled or random event does.
    pub enum EventKind {
        CapabilityShift = "capability_shift",
        HurtShock = "hurt_shock",
        TrustShock = "trust_shock",
        Boycott = "boycott",
        Violation = "violation",
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Timing {
    Round(u32),
    Probability(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub target: usize,
    pub timing: Timing,
    pub duration: u32,
    pub magnitude: Param,
    pub guarantor: Option<usize>,
    pub label: Option<String>,
}

/// A real event of the history the scenario is about (`[[history]]`): where it falls on the scenario's calendar and
/// what it was. Charts draw it beside the simulated run; the simulation never reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// A round within `1..=simulation.rounds`.
    pub round: u32,
    pub label: String,
}

impl Scenario {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    pub fn dimension_index(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    /// The ceasefire module.
    pub fn ceasefire(&self) -> &Module {
        &self.modules[self.ceasefire_module]
    }
}
