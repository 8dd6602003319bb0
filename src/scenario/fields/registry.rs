//! The declaration of every field of the scenario format, table by table, in the order of
//! `docs/scenario-format.md`.

use super::*;
use crate::scenario::limits::{
    MAX_ACTORS, MAX_DIMENSIONS, MAX_EVENTS, MAX_HISTORY, MAX_MODULES, MAX_ROUNDS, MAX_STRING,
};
use crate::scenario::{EventKind, ProposalRule, Role, Side, SpoilerKind};

// ---- top level
pub const SCHEMA_VERSION: Field = Field {
    rule: "= 1",
    ..table_field(
        Table::Top,
        "schema_version",
        Kind::Integer,
        Default::Required,
        "the format version",
    )
};

// ---- [meta]
pub const META_ID: Field = Field {
    rule: "1–64 of `a-z 0-9 - _`, not starting with `-`",
    ..table_field(
        Table::Meta,
        "id",
        Kind::Id,
        Default::Required,
        "names the output folder `OUT/<id>/`",
    )
};

// ---- [simulation]
pub const ROUNDS: Field = Field {
    range: Some(Range::integers(1, MAX_ROUNDS as i64)),
    unit: "rounds",
    slider: slider(10.0, 200.0, 1.0),
    ..table_field(
        Table::Simulation,
        "rounds",
        Kind::Integer,
        Default::Required,
        "number of rounds T",
    )
};
pub const ROUND_LABEL: Field = table_field(
    Table::Simulation,
    "round_label",
    Kind::Text,
    Default::Text("round"),
    "what a round is called (\"week\", \"session\")",
);
pub const SEED: Field = Field {
    range: Some(Range::integers(0, i64::MAX)),
    ..table_field(
        Table::Simulation,
        "seed",
        Kind::Integer,
        Default::Integer(1),
        "seed used when `--seed` is not given (at most 9223372036854775807, the largest TOML integer; `--seed` takes up to 18446744073709551615)",
    )
};
pub const ZEUTHEN_STEP: Field = Field {
    range: Some(Range::open_low(0.0, 0.5)),
    slider: slider(0.005, 0.1, 0.005),
    meaning: "concession step of the `zeuthen` protocol",
    ..unit_number(Table::Simulation, "zeuthen_step", Kind::Number, 0.01)
};
pub const DRAFTER_BIAS: Field = Field {
    meaning: "b: pull of the text toward the drafter's position",
    ..unit_number(Table::Simulation, "drafter_bias", Kind::Number, 0.0)
};
pub const TEXT_INERTIA: Field = Field {
    range: Some(Range::open_low(0.0, 1.0)),
    slider: slider(0.05, 1.0, 0.05),
    meaning: "η: share of the way the text moves toward the new draft each round",
    ..unit_number(Table::Simulation, "text_inertia", Kind::Number, 1.0)
};
pub const ACCEPT_TEMPERATURE: Field = Field {
    range: Some(NON_NEG),
    slider: slider(0.0, 0.2, 0.005),
    meaning: "θ: 0 = deterministic votes, > 0 = logistic noise",
    ..unit_number(Table::Simulation, "accept_temperature", Kind::Number, 0.0)
};
pub const CONTEST_DECISIVENESS: Field = Field {
    range: Some(Range::closed(0.0, 100.0)),
    slider: slider(0.0, 5.0, 0.1),
    meaning: "γ of the contest success function",
    ..unit_number(Table::Simulation, "contest_decisiveness", Kind::Number, 1.0)
};
pub const STALEMATE_BAND: Field = Field {
    range: Some(Range::closed(0.0, 0.5)),
    slider: slider(0.0, 0.5, 0.01),
    meaning: "ripeness needs \\|p_gov − ½\\| ≤ band",
    ..unit_number(Table::Simulation, "stalemate_band", Kind::Number, 0.1)
};
pub const VIOLATION_HURT: Field = Field {
    range: Some(NON_NEG),
    slider: slider(0.0, 0.2, 0.005),
    meaning: "hurt added to each victim of a violation",
    ..unit_number(Table::Simulation, "violation_hurt", Kind::Number, 0.02)
};
pub const VIOLATION_DISTRUST: Field = Field {
    range: Some(NON_NEG),
    slider: slider(0.0, 0.5, 0.01),
    meaning: "distrust added to each victim of a violation",
    ..unit_number(Table::Simulation, "violation_distrust", Kind::Number, 0.05)
};
pub const ATTACK_HURT: Field = Field {
    range: Some(NON_NEG),
    slider: slider(0.0, 0.2, 0.005),
    meaning: "hurt added to each target of a spoiler attack",
    ..unit_number(Table::Simulation, "attack_hurt", Kind::Number, 0.02)
};
pub const ATTACK_DISTRUST: Field = Field {
    range: Some(NON_NEG),
    slider: slider(0.0, 0.5, 0.01),
    meaning: "distrust added to each target of a spoiler attack",
    ..unit_number(Table::Simulation, "attack_distrust", Kind::Number, 0.05)
};
pub const DISTRUST_DECAY: Field = Field {
    meaning: "share of accumulated distrust kept each round",
    ..unit_number(Table::Simulation, "distrust_decay", Kind::Number, 0.9)
};

// ---- [[modules]]
pub const OPEN_ROUND: Field = Field {
    range: Some(Range::integers(1, u32::MAX as i64)),
    unit: "round",
    slider: slider(1.0, 100.0, 1.0),
    ..table_field(
        Table::Modules,
        "open_round",
        Kind::Integer,
        Default::Integer(1),
        "round in which it opens (> rounds: never)",
    )
};
pub const PERSIST: Field = Field {
    range: Some(Range::integers(1, MAX_ROUNDS as i64)),
    unit: "rounds",
    slider: slider(1.0, 10.0, 1.0),
    ..table_field(
        Table::Modules,
        "persist",
        Kind::Integer,
        Default::Integer(1),
        "consecutive rounds of acceptance needed to sign",
    )
};
pub const COLLAPSE_PATIENCE: Field = Field {
    range: Some(Range::integers(1, MAX_ROUNDS as i64)),
    unit: "rounds",
    slider: slider(1.0, 20.0, 1.0),
    ..table_field(
        Table::Modules,
        "collapse_patience",
        Kind::Integer,
        Default::Integer(3),
        "rounds in a row a deal may be worse than fighting before it collapses",
    )
};
pub const COLLAPSE_MARGIN: Field = Field {
    meaning: "by how much fighting must beat the deal for a round to count",
    ..unit_number(Table::Modules, "collapse_margin", Kind::Number, 0.05)
};

// ---- [[actors]]
const fn actor_param(
    key: &'static str,
    range: Range,
    default: Default,
    meaning: &'static str,
) -> Field {
    Field {
        table: Table::Actors,
        key,
        kind: Kind::Param,
        range: Some(range),
        default,
        roles: ALL_BUT_HOST,
        meaning,
        slider: slider(range.lo, range.hi, 0.01),
        ..BLANK
    }
}

pub const VOICE: Field = Field {
    rule: "0 for spoilers",
    ..actor_param(
        "voice",
        UNIT,
        Default::Described("guarantor/party 1, observer/mediator 0.25, host/spoiler 0"),
        "weight of its vote and position",
    )
};
pub const CAPABILITY: Field = Field {
    slider: slider(0.0, 2.0, 0.01),
    ..actor_param(
        "capability",
        NON_NEG,
        Default::Described("required (not for hosts)"),
        "c: military and political weight",
    )
};
pub const CAPABILITY_DRIFT: Field = Field {
    unit: "per round",
    slider: slider(-0.05, 0.05, 0.001),
    ..actor_param(
        "capability_drift",
        SIGNED_UNIT,
        Default::Number(0.0),
        "added to capability each round",
    )
};
pub const IDEAL: Field = Field {
    kind: Kind::PerDimension,
    rule: "one per dimension",
    ..actor_param(
        "ideal",
        UNIT,
        Default::Described("required (not for hosts)"),
        "q: where it really wants each dimension",
    )
};
pub const SALIENCE: Field = Field {
    kind: Kind::PerDimension,
    rule: "one per dimension; a voter needs > 0 somewhere in each module",
    ..actor_param(
        "salience",
        UNIT,
        Default::Described("required (not for hosts)"),
        "s: how much each dimension matters",
    )
};
pub const RISK: Field = Field {
    slider: slider(-1.0, 1.0, 0.05),
    ..actor_param(
        "risk",
        SIGNED_UNIT,
        Default::Number(0.0),
        "R: risk attitude (0 linear, > 0 risk-averse)",
    )
};
pub const RESERVATION: Field = actor_param(
    "reservation",
    UNIT,
    Default::Absent,
    "fixed reservation; required for voters with side `none` and for limited and greedy spoilers",
);
pub const CONCESSION_BETA: Field = Field {
    slider: slider(0.1, 5.0, 0.05),
    ..actor_param(
        "concession.beta",
        Range::open_low(0.0, 1000.0),
        Default::Number(1.0),
        "β: < 1 Boulware, 1 linear, > 1 conceder",
    )
};
pub const CONCESSION_DEADLINE: Field = Field {
    rule: "rounded",
    unit: "round",
    slider: slider(1.0, 100.0, 1.0),
    ..actor_param(
        "concession.deadline",
        Range::closed(1.0, 1.0e6),
        Default::Described("`rounds`"),
        "T_i: round by which it concedes to its reservation",
    )
};
pub const CONCESSION_KAPPA: Field = actor_param(
    "concession.kappa",
    UNIT,
    Default::Number(0.0),
    "κ: initial concession",
);
pub const HURT_INITIAL: Field = Field {
    slider: slider(0.0, 1.0, 0.01),
    ..actor_param(
        "hurt.initial",
        NON_NEG,
        Default::Number(0.0),
        "h at round 0",
    )
};
pub const HURT_GROWTH: Field = Field {
    unit: "per round",
    slider: slider(0.0, 0.05, 0.001),
    ..actor_param(
        "hurt.growth",
        NON_NEG,
        Default::Number(0.0),
        "added to h each round",
    )
};
pub const MILITARY_COMMITMENT: Field = actor_param(
    "military_commitment",
    UNIT,
    Default::Described("parties 1, others 0"),
    "μ: share of its capability that counts in its side's strength",
);
pub const GUARANTEE_COMMITMENT: Field = Field {
    roles: &[Role::Guarantor, Role::Observer],
    ..actor_param(
        "guarantee_commitment",
        UNIT,
        Default::Number(0.5),
        "γ: how firmly it would enforce the deal (used while the actor is a guarantor)",
    )
};
pub const COMMITMENT_RISK: Field = Field {
    roles: PARTIES,
    ..actor_param(
        "commitment_risk",
        UNIT,
        Default::Number(0.0),
        "ε0: fear the other side will not honour the deal",
    )
};
pub const DISCOUNT: Field = Field {
    roles: PARTIES,
    slider: slider(0.5, 0.99, 0.01),
    ..actor_param(
        "discount",
        Range::open_low(0.0, 0.999_999),
        Default::Number(0.95),
        "δ: per-round discount factor in the `alternating` protocol",
    )
};
pub const VIOLATION_BASE: Field = Field {
    roles: PARTIES,
    slider: slider(0.0, 0.2, 0.005),
    ..actor_param(
        "violation.base",
        UNIT,
        Default::Number(0.0),
        "v0: base probability each round",
    )
};
pub const VIOLATION_SLOPE: Field = Field {
    roles: PARTIES,
    slider: slider(0.0, 10.0, 0.1),
    ..actor_param(
        "violation.slope",
        Range::closed(0.0, 1000.0),
        Default::Number(0.0),
        "added per unit by which fighting beats the deal",
    )
};
pub const SPOILER_BASE: Field = Field {
    roles: &[Role::Spoiler],
    slider: slider(0.0, 1.0, 0.01),
    ..actor_param(
        "spoiler.base",
        Range::closed(0.0, 1000.0),
        Default::Number(0.0),
        "base attack rate (times capability)",
    )
};
pub const SPOILER_PROGRESS: Field = Field {
    roles: &[Role::Spoiler],
    slider: slider(0.0, 2.0, 0.01),
    ..actor_param(
        "spoiler.progress",
        Range::closed(0.0, 1000.0),
        Default::Number(0.0),
        "extra attack rate per unit of last round's agreement",
    )
};
pub const SPOILER_GREED: Field = Field {
    roles: &[Role::Spoiler],
    rule: "greedy spoilers only",
    ..actor_param(
        "spoiler.greed",
        UNIT,
        Default::Number(0.0),
        "how its demand grows with agreement",
    )
};

// ---- [[patronage]], [[trust]]
pub const LEVERAGE: Field = Field {
    meaning: "λ: share of its committed strength it withdraws once it has accepted the text",
    ..unit_number(Table::Patronage, "leverage", Kind::Number, 0.0)
};
pub const PULL: Field = Field {
    rule: "Σ over a client's patrons ≤ 1",
    meaning: "ω: pull on the client's stated positions each round",
    ..unit_number(Table::Patronage, "pull", Kind::Number, 0.0)
};
pub const TRUST_VALUE: Field = Field {
    range: Some(SIGNED_UNIT),
    default: Default::Required,
    slider: slider(-1.0, 1.0, 0.05),
    meaning: "how far the party believes the guarantor will enforce the deal; pairs not listed are 0",
    ..unit_number(Table::Trust, "value", Kind::Number, 0.0)
};

// ---- [[events]]
pub const EVENT_ROUND: Field = Field {
    range: Some(Range::integers(1, u32::MAX as i64)),
    unit: "round",
    ..table_field(
        Table::Events,
        "round",
        Kind::Integer,
        Default::Described(""),
        "a scheduled round …",
    )
};
pub const EVENT_PROBABILITY: Field = Field {
    default: Default::Described(""),
    slider: slider(0.0, 1.0, 0.01),
    meaning: "… or a chance each round (exactly one of the two)",
    ..unit_number(Table::Events, "probability", Kind::Number, 0.0)
};
pub const EVENT_DURATION: Field = Field {
    range: Some(Range::integers(1, MAX_ROUNDS as i64)),
    rule: "boycotts only",
    unit: "rounds",
    slider: slider(1.0, 20.0, 1.0),
    ..table_field(
        Table::Events,
        "duration",
        Kind::Integer,
        Default::Integer(1),
        "rounds without a vote",
    )
};
pub const EVENT_MAGNITUDE: Field = Field {
    range: Some(Range::closed(-1000.0, 1000.0)),
    rule: "a `trust_shock`'s within [−2, 2]",
    slider: slider(-1.0, 1.0, 0.01),
    ..table_field(
        Table::Events,
        "magnitude",
        Kind::Param,
        Default::Described("required for shifts and shocks"),
        "what is added",
    )
};
/// A trust shock's magnitude is narrower than other events'.
pub const TRUST_SHOCK_MAGNITUDE: Range = Range::closed(-2.0, 2.0);

// ---- [[history]]
pub const HISTORY_ROUND: Field = Field {
    range: Some(Range::integers(1, MAX_ROUNDS as i64)),
    rule: "≤ `simulation.rounds`",
    unit: "round",
    ..table_field(
        Table::History,
        "round",
        Kind::Integer,
        Default::Required,
        "the round in which the real event happened, by the scenario's own calendar (say it in a comment)",
    )
};
pub const HISTORY_LABEL: Field = Field {
    rule: "non-empty; ≤ 4096 characters",
    ..table_field(
        Table::History,
        "label",
        Kind::Text,
        Default::Required,
        "what happened, as the agreement chart labels it (\"2017: memorandum signed\")",
    )
};

const STRING_RULE: &str = "≤ 4096 characters";
const _: () = assert!(MAX_STRING == 4096);

/// Every field, table by table, in the order of `docs/scenario-format.md`.
pub const FIELDS: &[Field] = &[
    // top level
    SCHEMA_VERSION,
    table_field(
        Table::Top,
        "meta",
        Kind::Table,
        Default::Required,
        "what the scenario is and teaches",
    ),
    table_field(
        Table::Top,
        "simulation",
        Kind::Table,
        Default::Required,
        "how the run goes",
    ),
    Field {
        range: Some(Range::integers(1, MAX_DIMENSIONS as i64)),
        ..table_field(
            Table::Top,
            "dimensions",
            Kind::Tables,
            Default::Required,
            "the negotiated issues, in vector order",
        )
    },
    Field {
        range: Some(Range::integers(1, MAX_MODULES as i64)),
        ..table_field(
            Table::Top,
            "modules",
            Kind::Tables,
            Default::Required,
            "packages of dimensions voted on together",
        )
    },
    Field {
        range: Some(Range::integers(1, MAX_ACTORS as i64)),
        ..table_field(
            Table::Top,
            "actors",
            Kind::Tables,
            Default::Required,
            "the delegations",
        )
    },
    table_field(
        Table::Top,
        "patronage",
        Kind::Tables,
        Default::Absent,
        "patron–client links",
    ),
    table_field(
        Table::Top,
        "trust",
        Kind::Tables,
        Default::Absent,
        "parties' trust in guarantors",
    ),
    Field {
        range: Some(Range::integers(0, MAX_EVENTS as i64)),
        ..table_field(
            Table::Top,
            "events",
            Kind::Tables,
            Default::Absent,
            "scheduled or random shocks",
        )
    },
    Field {
        range: Some(Range::integers(0, MAX_HISTORY as i64)),
        ..table_field(
            Table::Top,
            "history",
            Kind::Tables,
            Default::Absent,
            "real, dated events, drawn on the agreement chart for comparison; never simulated",
        )
    },
    // [meta]
    META_ID,
    Field {
        rule: STRING_RULE,
        ..table_field(
            Table::Meta,
            "title",
            Kind::Text,
            Default::Required,
            "title of charts and summaries",
        )
    },
    Field {
        rule: STRING_RULE,
        ..table_field(
            Table::Meta,
            "lesson",
            Kind::Text,
            Default::Text(""),
            "what the scenario teaches",
        )
    },
    Field {
        rule: STRING_RULE,
        ..table_field(
            Table::Meta,
            "description",
            Kind::Text,
            Default::Absent,
            "longer description",
        )
    },
    table_field(
        Table::Meta,
        "sources",
        Kind::Strings,
        Default::EmptyList,
        "where the facts come from",
    ),
    table_field(
        Table::Meta,
        "tuning",
        Kind::Text,
        Default::Absent,
        "what was tuned and why (for variants)",
    ),
    table_field(
        Table::Meta,
        "variant",
        Kind::Text,
        Default::Absent,
        "the name of a variant, at most 60 characters (as `--label` gives it): its runs go to `seed-N--<name>`, its charts and summary carry it; a variant's `drawn.toml` sets it",
    ),
    // [simulation]
    ROUNDS,
    ROUND_LABEL,
    SEED,
    table_field(
        Table::Simulation,
        "proposal_rule",
        Kind::Word(&ProposalRule::WORDS),
        Default::Described("`single_text`"),
        "fixed drafter; a drafter drawn each round ∝ capability; or a textbook protocol for two parties alone on one dimension (Zeuthen's concessions; Rubinstein's alternating offers — see model.md)",
    ),
    ZEUTHEN_STEP,
    Field {
        rule: "a voter",
        ..table_field(
            Table::Simulation,
            "drafter",
            Kind::ActorId,
            Default::Described("required for `single_text`"),
            "who drafts the text (D)",
        )
    },
    DRAFTER_BIAS,
    TEXT_INERTIA,
    ACCEPT_TEMPERATURE,
    CONTEST_DECISIVENESS,
    STALEMATE_BAND,
    VIOLATION_HURT,
    VIOLATION_DISTRUST,
    ATTACK_HURT,
    ATTACK_DISTRUST,
    DISTRUST_DECAY,
    // [[dimensions]]
    Field {
        rule: ID_RULE_LOWER,
        ..table_field(
            Table::Dimensions,
            "id",
            Kind::Id,
            Default::Required,
            "used in CSV columns `text_<id>`, `position_<id>`",
        )
    },
    table_field(
        Table::Dimensions,
        "label",
        Kind::Text,
        Default::Described("the id"),
        "name on charts",
    ),
    table_field(
        Table::Dimensions,
        "zero",
        Kind::Text,
        Default::Text("0"),
        "what 0 means",
    ),
    table_field(
        Table::Dimensions,
        "one",
        Kind::Text,
        Default::Text("1"),
        "what 1 means",
    ),
    // [[modules]]
    Field {
        rule: ID_RULE_LOWER,
        ..table_field(
            Table::Modules,
            "id",
            Kind::Id,
            Default::Required,
            "module name",
        )
    },
    Field {
        rule: "non-empty; a dimension in at most one module",
        ..table_field(
            Table::Modules,
            "dimensions",
            Kind::DimensionIds,
            Default::Required,
            "what the module packages",
        )
    },
    OPEN_ROUND,
    Field {
        rule: "non-empty; voters only",
        ..table_field(
            Table::Modules,
            "signatories",
            Kind::ActorIds,
            Default::Required,
            "who must accept for it to be signed",
        )
    },
    Field {
        rule: "parties only",
        ..table_field(
            Table::Modules,
            "compliance",
            Kind::ActorIds,
            Default::EmptyList,
            "who must live with it (willingness, violations, collapse)",
        )
    },
    Field {
        rule: "exactly one module is `true`",
        ..table_field(
            Table::Modules,
            "ceasefire",
            Kind::Bool,
            Default::Bool(false),
            "the module whose signature is \"the ceasefire\"",
        )
    },
    PERSIST,
    COLLAPSE_PATIENCE,
    COLLAPSE_MARGIN,
    // [[actors]]
    Field {
        rule: "1–64 of `A-Z 0-9 _`, unique",
        ..table_field(Table::Actors, "id", Kind::Id, Default::Required, "actor id")
    },
    table_field(
        Table::Actors,
        "name",
        Kind::Text,
        Default::Described("the id"),
        "display name",
    ),
    table_field(
        Table::Actors,
        "role",
        Kind::Word(&Role::WORDS),
        Default::Required,
        "role at the table",
    ),
    Field {
        rule: "a side in use needs exactly one principal party and the other side",
        ..table_field(
            Table::Actors,
            "side",
            Kind::Word(&Side::WORDS),
            Default::Text("none"),
            "side in the war",
        )
    },
    Field {
        roles: PARTIES,
        ..table_field(
            Table::Actors,
            "principal",
            Kind::Bool,
            Default::Bool(false),
            "the side's principal: its ideal is that side's victor's peace",
        )
    },
    VOICE,
    CAPABILITY,
    CAPABILITY_DRIFT,
    IDEAL,
    SALIENCE,
    RISK,
    RESERVATION,
    Field {
        roles: ALL_BUT_HOST,
        ..table_field(
            Table::Actors,
            "concession",
            Kind::Table,
            Default::Described(""),
            "Faratin's tactic",
        )
    },
    CONCESSION_BETA,
    CONCESSION_DEADLINE,
    CONCESSION_KAPPA,
    Field {
        roles: ALL_BUT_HOST,
        ..table_field(
            Table::Actors,
            "hurt",
            Kind::Table,
            Default::Described(""),
            "costs of war",
        )
    },
    HURT_INITIAL,
    HURT_GROWTH,
    MILITARY_COMMITMENT,
    GUARANTEE_COMMITMENT,
    COMMITMENT_RISK,
    DISCOUNT,
    Field {
        roles: PARTIES,
        ..table_field(
            Table::Actors,
            "violation",
            Kind::Table,
            Default::Described(""),
            "violations of a signed module",
        )
    },
    VIOLATION_BASE,
    VIOLATION_SLOPE,
    Field {
        roles: &[Role::Spoiler],
        rule: "required for spoilers",
        ..table_field(
            Table::Actors,
            "spoiler",
            Kind::Table,
            Default::Described(""),
            "Stedman's spoiler",
        )
    },
    Field {
        roles: &[Role::Spoiler],
        ..table_field(
            Table::Actors,
            "spoiler.kind",
            Kind::Word(&SpoilerKind::WORDS),
            Default::Required,
            "when it holds fire",
        )
    },
    SPOILER_BASE,
    SPOILER_PROGRESS,
    SPOILER_GREED,
    Field {
        roles: &[Role::Spoiler],
        rule: "non-empty; each a party",
        ..table_field(
            Table::Actors,
            "spoiler.targets",
            Kind::ActorIds,
            Default::Required,
            "whom it attacks",
        )
    },
    // [[patronage]]
    Field {
        rule: "a guarantor or observer",
        ..table_field(
            Table::Patronage,
            "patron",
            Kind::ActorId,
            Default::Required,
            "the patron",
        )
    },
    Field {
        rule: "a party",
        ..table_field(
            Table::Patronage,
            "client",
            Kind::ActorId,
            Default::Required,
            "the client",
        )
    },
    LEVERAGE,
    PULL,
    // [[trust]]
    Field {
        rule: "a party",
        ..table_field(
            Table::Trust,
            "party",
            Kind::ActorId,
            Default::Required,
            "who trusts",
        )
    },
    Field {
        rule: "a guarantor (or an observer: counted only while a guarantor)",
        ..table_field(
            Table::Trust,
            "guarantor",
            Kind::ActorId,
            Default::Required,
            "whom",
        )
    },
    TRUST_VALUE,
    // [[events]]
    table_field(
        Table::Events,
        "kind",
        Kind::Word(&EventKind::WORDS),
        Default::Required,
        "what happens",
    ),
    Field {
        rule: "a party for `trust_shock` and `violation`, a voter for `boycott`, not the host otherwise",
        ..table_field(
            Table::Events,
            "target",
            Kind::ActorId,
            Default::Required,
            "to whom",
        )
    },
    EVENT_ROUND,
    EVENT_PROBABILITY,
    EVENT_DURATION,
    EVENT_MAGNITUDE,
    Field {
        rule: "a guarantor; `trust_shock` only",
        ..table_field(
            Table::Events,
            "guarantor",
            Kind::ActorId,
            Default::Described("required for `trust_shock`"),
            "whose trust changes",
        )
    },
    table_field(
        Table::Events,
        "label",
        Kind::Text,
        Default::Absent,
        "shown in `events.csv` and on charts",
    ),
    // [[history]]
    HISTORY_ROUND,
    HISTORY_LABEL,
];
