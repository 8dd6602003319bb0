//! Checks of the document as a whole, before it is read into its tables: keys at the top level that are not tables
//! of the format, and TOML dates and times, which no field takes (serde would read a date as the string of its
//! digits, so `title = 1979-05-27` would pass and `rounds = 1979-05-27` would be "found the string").

use super::context::{Ctx, Loc, closest, id_of};
use crate::scenario::error::{Issue, IssueKind};
use crate::scenario::fields::{self, Kind, Table};
use crate::scenario::spans::Spans;

/// Report every top-level key that is not a table of the format, each at its place, and take them out so that the
/// rest of the file is read and checked.
pub(in crate::scenario) fn unknown_top_keys(
    doc: &mut toml::Table,
    spans: &Spans,
    overridden: &[(String, String)],
) -> Vec<Issue> {
    let known: Vec<&str> = fields::of(Table::Top).map(|f| f.key).collect();
    let unknown: Vec<String> = doc
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .cloned()
        .collect();
    let mut cx = Ctx::new(spans, overridden);
    for key in unknown {
        doc.remove(&key);
        let expected = format!(
            "expected one of: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        cx.err_key(
            &Loc::root("").key(&key),
            IssueKind::UnknownKey {
                suggestion: closest(&key, known.iter().copied()).map(str::to_string),
                key,
                expected,
            },
        );
    }
    cx.issues
}

/// Report every TOML date or time in the document (a value no field takes), and replace it by the string of its
/// text so that the rest is read on; the caller drops the other issues at the same places, which would only echo it.
pub(in crate::scenario) fn dates(
    doc: &mut toml::Table,
    spans: &Spans,
    overridden: &[(String, String)],
) -> Vec<Issue> {
    let mut cx = Ctx::new(spans, overridden);
    for (key, value) in doc.iter_mut() {
        let table = top_table(key);
        let loc = Loc::root("").key(key);
        match (table, value) {
            (Some(t), toml::Value::Array(items)) if t != Table::Top => {
                for (i, item) in items.iter_mut().enumerate() {
                    let id = match t {
                        Table::Dimensions | Table::Modules | Table::Actors => {
                            id_of(item).map(str::to_string)
                        }
                        _ => None,
                    };
                    let at = loc.element(i, id.as_deref());
                    walk(&mut cx, &at, Some(t), "", item);
                }
            }
            (Some(Table::Top), v) => walk(&mut cx, &loc, Some(Table::Top), key, v),
            (t, v) => walk(&mut cx, &loc, t, "", v),
        }
    }
    cx.issues
}

/// The table a top-level key holds (`Top` for `schema_version`).
fn top_table(key: &str) -> Option<Table> {
    Some(match key {
        "schema_version" => Table::Top,
        "meta" => Table::Meta,
        "simulation" => Table::Simulation,
        "dimensions" => Table::Dimensions,
        "modules" => Table::Modules,
        "actors" => Table::Actors,
        "patronage" => Table::Patronage,
        "trust" => Table::Trust,
        "events" => Table::Events,
        "history" => Table::History,
        _ => return None,
    })
}

/// `key` is the dotted key of the value inside its table (`concession.beta`), for the registry.
fn walk(cx: &mut Ctx<'_>, at: &Loc, table: Option<Table>, key: &str, value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(d) => {
            let text = d.to_string();
            let found = format!(
                "{} {text}",
                crate::scenario::overrides::datetime_kind(d).replacen("a ", "the ", 1)
            );
            let message = match table.and_then(|t| expected(t, key)) {
                Some(want) if want == "a string" => {
                    format!("expected {want}, found {found}; write text in quotes: \"{text}\"")
                }
                Some(want) => format!("expected {want}, found {found}"),
                None => format!(
                    "found {found}, but no field of a scenario takes a date or time; write text in quotes: \"{text}\""
                ),
            };
            cx.err(at, message);
            *value = toml::Value::String(text);
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(cx, &at.element(i, None), table, &format!("{key}[]"), item);
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t.iter_mut() {
                let inner = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                walk(cx, &at.key(k), table, &inner, v);
            }
        }
        _ => {}
    }
}

/// What the field at `key` of `table` takes, as a message says it ("an integer", "a string"), where the registry
/// knows.
fn expected(table: Table, key: &str) -> Option<String> {
    if let Some(f) = fields::find(table, key) {
        let words = kind_words(f.kind);
        return Some(match (f.kind, f.range) {
            (Kind::Integer, Some(r)) => format!("{words} {}", r.describe_integers()),
            (Kind::Number, Some(r)) => format!("{words} {}", r.describe()),
            (Kind::Param, Some(r)) => format!("a number {} or a distribution table", r.describe()),
            _ => words.to_string(),
        });
    }
    // An element of an array field, an entry of a per-dimension table or of a distribution table.
    let (parent, last) = key.rsplit_once(['.', '['])?;
    let f = fields::find(table, parent.trim_end_matches("[]"))?;
    let words = match f.kind {
        Kind::ActorIds | Kind::DimensionIds | Kind::Strings => "a string",
        Kind::PerDimension => "a number or a distribution table",
        Kind::Param if last == "dist" => "a string",
        Kind::Param => "a number",
        _ => return None,
    };
    Some(words.to_string())
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "an integer",
        Kind::Number => "a number",
        Kind::Param => "a number or a distribution table",
        Kind::PerDimension => "a table of numbers, one per dimension",
        Kind::Text | Kind::Word(_) | Kind::Id | Kind::ActorId => "a string",
        Kind::Bool => "true or false",
        Kind::ActorIds | Kind::DimensionIds | Kind::Strings => "an array of strings",
        Kind::Table => "a table",
        Kind::Tables => "an array of tables",
    }
}
