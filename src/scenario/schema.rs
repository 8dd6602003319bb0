//! A JSON Schema of the scenario format, for editors: with a TOML language server (Taplo, "Even Better TOML")
//! fields complete and wrong types are flagged while typing. It is generated from the field registry
//! ([`super::fields`]), so its fields, ranges and descriptions are the validator's; the loader stays the authority
//! for the rules across tables, and a test keeps the schema's fields equal to what the loader accepts.

use serde_json::{Map, Value, json};

use super::fields::{self, Default, Field, IdRule, Kind, Table};
use super::param::DISTRIBUTIONS;

/// The description an editor shows: the meaning, then the range cell of the docs.
fn description(f: &Field) -> String {
    let range = f.range_cell();
    match (f.meaning.is_empty(), range.is_empty()) {
        (false, false) => format!("{}; {range}", f.meaning),
        (false, true) => f.meaning.to_string(),
        _ => range,
    }
}

/// Minimum and maximum of a numeric field (integers written as integers).
fn bounds(v: &mut Value, f: &Field) {
    let Some(r) = f.range else { return };
    let number = |x: f64| {
        if f.kind == Kind::Integer {
            json!(x as i64)
        } else {
            json!(x)
        }
    };
    if r.lo.is_finite() {
        let key = if r.lo_open {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        v[key] = number(r.lo);
    }
    if r.hi.is_finite() && r.hi < i64::MAX as f64 {
        v["maximum"] = number(r.hi);
    }
}

/// The schema of one leaf field.
fn leaf(f: &Field) -> Value {
    let d = description(f);
    let strings = json!({ "type": "array", "description": d, "items": { "type": "string" } });
    let mut plain = json!({ "type": "number" });
    bounds(&mut plain, f);
    let param = json!({ "description": d, "anyOf": [plain, { "$ref": "#/$defs/distribution" }] });
    let mut v = match f.kind {
        Kind::Integer => json!({ "type": "integer", "description": d }),
        Kind::Number => json!({ "type": "number", "description": d }),
        Kind::Param => param,
        Kind::PerDimension => {
            json!({ "type": "object", "description": d, "additionalProperties": param })
        }
        Kind::Text | Kind::ActorId => json!({ "type": "string", "description": d }),
        Kind::Id => {
            let rule = match f.table {
                Table::Actors => IdRule::Actor,
                Table::Meta => IdRule::Scenario,
                _ => IdRule::Lower,
            };
            let pattern = rule.pattern();
            json!({ "type": "string", "description": d, "pattern": pattern })
        }
        Kind::Bool => json!({ "type": "boolean", "description": d }),
        Kind::Word(words) => json!({ "type": "string", "description": d, "enum": words }),
        Kind::ActorIds | Kind::DimensionIds | Kind::Strings => strings,
        Kind::Table | Kind::Tables => json!({ "type": "object", "description": d }),
    };
    if matches!(f.kind, Kind::Integer | Kind::Number) {
        bounds(&mut v, f);
    }
    v
}

/// An object with `props`, requiring those whose default is "required".
fn object(description: String, props: Vec<(&str, Value, bool)>) -> Value {
    let mut p = Map::new();
    let mut required = Vec::new();
    for (k, v, req) in props {
        if req {
            required.push(k.to_string());
        }
        p.insert(k.to_string(), v);
    }
    json!({ "type": "object", "description": description, "required": required, "additionalProperties": false, "properties": p })
}

/// The object of one table: its fields, with nested tables (`concession.beta`) as objects of their own.
fn table_object(table: Table, description: &str) -> Value {
    let mut props: Vec<(&str, Value, bool)> = Vec::new();
    for f in fields::of(table).filter(|f| !f.key.contains('.')) {
        let required = f.default == Default::Required;
        let value = if f.kind == Kind::Table {
            let prefix = format!("{}.", f.key);
            let nested = fields::of(table)
                .filter_map(|g| {
                    g.key
                        .strip_prefix(&prefix)
                        .map(|k| (k, leaf(g), g.default == Default::Required))
                })
                .collect();
            self::object(self::description(f), nested)
        } else {
            leaf(f)
        };
        props.push((f.key, value, required));
    }
    object(description.to_string(), props)
}

/// The JSON Schema (draft 2020-12) of scenario files.
pub fn json_schema() -> Value {
    let dist = |name: &str, keys: &[&str]| {
        let mut props = vec![
            ("dist", json!({ "const": name }), true),
            (
                "clamp",
                json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }),
                false,
            ),
        ];
        for k in keys {
            props.push((k, json!({ "type": "number" }), true));
        }
        object(format!("a {name} distribution"), props)
    };
    let array = |item: Value| json!({ "type": "array", "items": item });
    let mut props: Vec<(&str, Value, bool)> = Vec::new();
    for f in fields::of(Table::Top) {
        let value = match f.key {
            "schema_version" => json!({ "const": super::SCHEMA_VERSION }),
            "meta" => table_object(Table::Meta, f.meaning),
            "simulation" => table_object(Table::Simulation, f.meaning),
            "dimensions" => array(table_object(Table::Dimensions, f.meaning)),
            "modules" => array(table_object(Table::Modules, f.meaning)),
            "actors" => array(table_object(Table::Actors, f.meaning)),
            "patronage" => array(table_object(Table::Patronage, f.meaning)),
            "trust" => array(table_object(Table::Trust, f.meaning)),
            "events" => array(table_object(Table::Events, f.meaning)),
            _ => array(table_object(Table::History, f.meaning)),
        };
        props.push((f.key, value, f.default == Default::Required));
    }
    let mut root = object("A ceasefire scenario (schema version 1)".into(), props);
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["title"] = json!("ceasefire scenario");
    let distributions: Vec<Value> = DISTRIBUTIONS
        .iter()
        .map(|(name, keys)| dist(name, keys))
        .collect();
    root["$defs"] = json!({ "distribution": { "oneOf": distributions } });
    root
}
