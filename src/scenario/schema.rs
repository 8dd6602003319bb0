//! A JSON Schema of the scenario format, for editors: with a TOML language server (Taplo, "Even Better TOML")
//! fields complete and wrong types are flagged while typing. The loader stays the authority: a test keeps the
//! schema's fields equal to what the loader accepts.

use serde_json::{Map, Value, json};

fn param(description: &str) -> Value {
    json!({ "description": description, "anyOf": [{ "type": "number" }, { "$ref": "#/$defs/distribution" }] })
}

fn object(description: &str, required: &[&str], props: Vec<(&str, Value)>) -> Value {
    let mut p = Map::new();
    for (k, v) in props {
        p.insert(k.to_string(), v);
    }
    json!({ "type": "object", "description": description, "required": required, "additionalProperties": false, "properties": p })
}

fn text(d: &str) -> Value {
    json!({ "type": "string", "description": d })
}

fn number(d: &str, min: Option<f64>, max: Option<f64>) -> Value {
    let mut v = json!({ "type": "number", "description": d });
    if let Some(m) = min {
        v["minimum"] = json!(m);
    }
    if let Some(m) = max {
        v["maximum"] = json!(m);
    }
    v
}

fn integer(d: &str, min: i64) -> Value {
    json!({ "type": "integer", "description": d, "minimum": min })
}

fn one_of(d: &str, values: &[&str]) -> Value {
    json!({ "type": "string", "description": d, "enum": values })
}

fn ids(d: &str) -> Value {
    json!({ "type": "array", "description": d, "items": { "type": "string" } })
}

/// The JSON Schema (draft 2020-12) of scenario files.
pub fn json_schema() -> Value {
    let dist = |name: &str, keys: &[&str]| {
        let mut props = vec![
            ("dist", json!({ "const": name })),
            (
                "clamp",
                json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }),
            ),
        ];
        for k in keys {
            props.push((k, json!({ "type": "number" })));
        }
        let mut req = vec!["dist"];
        req.extend_from_slice(keys);
        object(&format!("a {name} distribution"), &req, props)
    };
    let per_dimension = |d: &str| json!({ "type": "object", "description": d, "additionalProperties": param("a value in [0, 1]") });
    let meta = object(
        "what the scenario is and teaches",
        &["id", "title"],
        vec![
            (
                "id",
                json!({ "type": "string", "pattern": "^[a-z0-9_][a-z0-9_-]{0,63}$", "description": "names the output folder" }),
            ),
            ("title", text("title of charts and summaries")),
            ("lesson", text("what the scenario teaches")),
            ("description", text("longer description")),
            (
                "sources",
                json!({ "type": "array", "items": { "type": "string" } }),
            ),
            ("tuning", text("what was tuned and why")),
        ],
    );
    let simulation = object(
        "how the run goes",
        &["rounds"],
        vec![
            (
                "rounds",
                json!({ "type": "integer", "minimum": 1, "maximum": 100000 }),
            ),
            ("round_label", text("what a round is called")),
            ("seed", integer("seed used when --seed is not given", 0)),
            (
                "proposal_rule",
                one_of(
                    "how texts are proposed",
                    &["single_text", "recognition", "zeuthen", "alternating"],
                ),
            ),
            ("drafter", text("actor id of the drafter")),
            (
                "zeuthen_step",
                number("Zeuthen concession step", Some(0.0), Some(0.5)),
            ),
            ("drafter_bias", number("b", Some(0.0), Some(1.0))),
            ("text_inertia", number("η in (0, 1]", Some(0.0), Some(1.0))),
            ("accept_temperature", number("θ ≥ 0", Some(0.0), None)),
            ("contest_decisiveness", number("γ", Some(0.0), Some(100.0))),
            (
                "stalemate_band",
                number("ripeness band", Some(0.0), Some(0.5)),
            ),
            (
                "violation_hurt",
                number("hurt per violation", Some(0.0), None),
            ),
            (
                "violation_distrust",
                number("distrust per violation", Some(0.0), None),
            ),
            ("attack_hurt", number("hurt per attack", Some(0.0), None)),
            (
                "attack_distrust",
                number("distrust per attack", Some(0.0), None),
            ),
            (
                "distrust_decay",
                number("share of distrust kept each round", Some(0.0), Some(1.0)),
            ),
        ],
    );
    let dimension = object(
        "a negotiated issue from 0 to 1",
        &["id"],
        vec![
            ("id", text("dimension id")),
            ("label", text("name")),
            ("zero", text("what 0 means")),
            ("one", text("what 1 means")),
        ],
    );
    let module = object(
        "dimensions voted on as one package",
        &["id", "dimensions", "signatories"],
        vec![
            ("id", text("module id")),
            ("dimensions", ids("dimension ids")),
            ("open_round", integer("round it opens", 1)),
            ("signatories", ids("voters who must accept")),
            ("compliance", ids("parties that must live with it")),
            ("ceasefire", json!({ "type": "boolean" })),
            ("persist", integer("rounds of acceptance needed", 1)),
            (
                "collapse_patience",
                integer("rounds of strain before collapse", 1),
            ),
            ("collapse_margin", number("margin", Some(0.0), Some(1.0))),
        ],
    );
    let actor = object(
        "a delegation",
        &["id", "role"],
        vec![
            (
                "id",
                json!({ "type": "string", "pattern": "^[A-Z0-9_]{1,64}$" }),
            ),
            ("name", text("display name")),
            (
                "role",
                one_of(
                    "role",
                    &[
                        "guarantor",
                        "party",
                        "observer",
                        "mediator",
                        "host",
                        "spoiler",
                    ],
                ),
            ),
            ("side", one_of("side", &["gov", "opp", "none"])),
            ("principal", json!({ "type": "boolean" })),
            ("voice", param("weight of its vote, [0, 1]")),
            ("capability", param("capability ≥ 0")),
            ("capability_drift", param("added each round, [-1, 1]")),
            ("ideal", per_dimension("ideal point per dimension")),
            ("salience", per_dimension("salience per dimension")),
            ("risk", param("risk attitude, [-1, 1]")),
            ("reservation", param("fixed reservation, [0, 1]")),
            (
                "concession",
                object(
                    "Faratin's tactic",
                    &[],
                    vec![
                        ("beta", param("β > 0")),
                        ("deadline", param("T ≥ 1")),
                        ("kappa", param("κ in [0, 1]")),
                    ],
                ),
            ),
            (
                "hurt",
                object(
                    "costs of war",
                    &[],
                    vec![("initial", param("≥ 0")), ("growth", param("≥ 0"))],
                ),
            ),
            ("military_commitment", param("μ in [0, 1]")),
            ("guarantee_commitment", param("γ in [0, 1]")),
            ("commitment_risk", param("ε0 in [0, 1]")),
            ("discount", param("δ in (0, 1), alternating offers")),
            (
                "violation",
                object(
                    "violations of a signed module",
                    &[],
                    vec![("base", param("v0")), ("slope", param("slope"))],
                ),
            ),
            (
                "spoiler",
                object(
                    "Stedman's spoiler",
                    &["kind"],
                    vec![
                        ("kind", one_of("type", &["limited", "greedy", "total"])),
                        ("base", param("base rate")),
                        ("progress", param("rate per unit of agreement")),
                        ("greed", param("greedy only")),
                        ("targets", ids("parties attacked")),
                    ],
                ),
            ),
        ],
    );
    let patronage = object(
        "a patron-client link",
        &["patron", "client"],
        vec![
            ("patron", text("guarantor or observer id")),
            ("client", text("party id")),
            ("leverage", number("λ", Some(0.0), Some(1.0))),
            ("pull", number("ω", Some(0.0), Some(1.0))),
        ],
    );
    let trust = object(
        "a party's trust in a guarantor",
        &["party", "guarantor", "value"],
        vec![
            ("party", text("party id")),
            ("guarantor", text("guarantor id")),
            ("value", number("trust", Some(-1.0), Some(1.0))),
        ],
    );
    let event = object(
        "a scheduled or random shock",
        &["kind", "target"],
        vec![
            (
                "kind",
                one_of(
                    "what happens",
                    &[
                        "capability_shift",
                        "hurt_shock",
                        "trust_shock",
                        "boycott",
                        "violation",
                    ],
                ),
            ),
            ("target", text("actor id")),
            ("round", integer("scheduled round", 1)),
            (
                "probability",
                number("chance each round", Some(0.0), Some(1.0)),
            ),
            ("duration", integer("boycott length", 1)),
            ("magnitude", param("what is added")),
            ("guarantor", text("trust_shock only")),
            ("label", text("shown in events.csv and charts")),
        ],
    );
    let array = |item: Value| json!({ "type": "array", "items": item });
    let mut root = object(
        "A ceasefire scenario (schema version 1)",
        &[
            "schema_version",
            "meta",
            "simulation",
            "dimensions",
            "modules",
            "actors",
        ],
        vec![
            ("schema_version", json!({ "const": 1 })),
            ("meta", meta),
            ("simulation", simulation),
            ("dimensions", array(dimension)),
            ("modules", array(module)),
            ("actors", array(actor)),
            ("patronage", array(patronage)),
            ("trust", array(trust)),
            ("events", array(event)),
        ],
    );
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["title"] = json!("ceasefire scenario");
    root["$defs"] = json!({
        "distribution": {
            "oneOf": [
                dist("normal", &["mean", "sd"]),
                dist("uniform", &["low", "high"]),
                dist("beta", &["mean", "concentration"]),
                dist("triangular", &["low", "mode", "high"]),
            ]
        }
    });
    root
}
