//! `--set PATH=VALUE`: change one field before validation, so a teacher can vary a scenario without a new file.
//!
//! Paths address tables by id rather than position, the way people talk about a scenario:
//! `simulation.rounds`, `actors.IRN.capability`, `actors.IRN.ideal.scope`, `modules.deescalation.persist`,
//! `dimensions.scope.label`, `patronage.RUS.GOV.leverage` (patron, client), `trust.OPP.IRN.value` (party,
//! guarantor), `events.0.round` and `history.0.round` (position in file order, from 0). Values are TOML (`0.4`, `"observer"`, `[1, 2]`,
//! `{ dist = "normal", mean = 1, sd = 0.1 }`); a bare word such as `observer` is read as a string.

use super::error::ScenarioError;
use super::error::closest;

/// One parsed override.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// As the user typed it.
    pub text: String,
    /// How messages name it: the option that gave it (`--set a=1`, `--rounds 5`, `--vary 'a=1'`).
    pub shown: String,
    pub path: Vec<String>,
    pub value: toml::Value,
}

/// A `PATH=VALUE` override and how messages name it (see [`Override::shown`]).
#[derive(Clone, Debug)]
pub struct Set {
    pub text: String,
    pub shown: String,
}

impl Set {
    /// An override given as `--set TEXT`.
    pub fn flag(text: &str) -> Set {
        Set {
            text: text.to_string(),
            shown: format!("--set {text}"),
        }
    }

    /// Overrides given as `--set TEXT`, one per text.
    pub fn flags(texts: &[String]) -> Vec<Set> {
        texts.iter().map(|t| Set::flag(t)).collect()
    }
}

/// Parse `PATH=VALUE`, given as `--set PATH=VALUE`.
pub fn parse(text: &str) -> Result<Override, ScenarioError> {
    parse_set(&Set::flag(text))
}

/// Parse `PATH=VALUE`, named in messages as `set.shown`.
pub fn parse_set(set: &Set) -> Result<Override, ScenarioError> {
    let text = set.text.as_str();
    let fail = |message: String| ScenarioError::Override {
        text: set.shown.clone(),
        message,
    };
    let Some((path, value)) = text.split_once('=') else {
        return Err(fail(
            "expected PATH=VALUE, e.g. actors.IRN.capability=0.4".into(),
        ));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(fail("the path before `=` is empty".into()));
    }
    let segments: Vec<String> = split_path(path);
    if segments.iter().any(|s| s.is_empty()) {
        return Err(fail(format!("`{path}` has an empty segment")));
    }
    if let Some((at, c)) = crate::input::first_control(text, &[]) {
        return Err(fail(format!(
            "it holds {} at character {}, a control character, which no field of a scenario takes",
            crate::input::char_name(c),
            at + 1
        )));
    }
    let value = parse_value(path, value.trim()).map_err(fail)?;
    Ok(Override {
        text: text.to_string(),
        shown: set.shown.clone(),
        path: segments,
        value,
    })
}

fn split_path(path: &str) -> Vec<String> {
    // `events[0].round` and `events.0.round` mean the same.
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .map(|s| s.trim().to_string())
        .collect()
}

/// The value of an override: TOML, or a bare word read as a string. A value TOML cannot hold (an integer beyond
/// 64 bits) or that no field takes (a date) is refused with what it is.
fn parse_value(path: &str, text: &str) -> Result<toml::Value, String> {
    if text.is_empty() {
        return Err(format!(
            "the value after `=` is empty; give one, e.g. {path}=0.5 or {path}=\"text\""
        ));
    }
    let doc = format!("v = {text}");
    match toml::from_str::<toml::Table>(&doc) {
        Ok(mut table) => match table.remove("v") {
            Some(toml::Value::Datetime(d)) => Err(format!(
                "`{text}` is {}, and no field of a scenario takes one; to give it as text, quote it: {path}=\"{text}\"",
                datetime_kind(&d)
            )),
            Some(v) => Ok(v),
            None => Err(unreadable(text)),
        },
        Err(_) if is_integer_literal(text) => Err(integer_too_large(text)),
        Err(_) if text.parse::<f64>().is_ok_and(f64::is_infinite) => Err(number_too_large(text)),
        Err(_) => {
            let bare = text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if bare {
                Ok(toml::Value::String(text.to_string()))
            } else {
                Err(unreadable(text))
            }
        }
    }
}

/// "`99999999999999999999` is an integer too large for 64 bits (…)".
pub(super) fn integer_too_large(literal: &str) -> String {
    format!(
        "`{literal}` is an integer too large for 64 bits (TOML integers run from {} to {})",
        i64::MIN,
        i64::MAX
    )
}

/// "`1e400` is a number too large (…)".
pub(super) fn number_too_large(literal: &str) -> String {
    format!(
        "`{literal}` is a number too large (beyond ±{:e}, the largest a TOML float holds)",
        f64::MAX
    )
}

fn unreadable(text: &str) -> String {
    format!(
        "cannot read `{text}` as a TOML value (strings need quotes when they contain spaces or symbols)"
    )
}

/// "a TOML date", "a TOML time" or "a TOML date-time".
pub(super) fn datetime_kind(d: &toml::value::Datetime) -> &'static str {
    match (d.date.is_some(), d.time.is_some()) {
        (true, false) => "a TOML date",
        (false, true) => "a TOML time",
        _ => "a TOML date-time",
    }
}

/// Whether `text` is written as a TOML integer (decimal with an optional sign and underscores, or hexadecimal,
/// octal or binary), whatever its size.
pub(crate) fn is_integer_literal(text: &str) -> bool {
    let digits =
        |s: &str, ok: fn(char) -> bool| !s.is_empty() && s.chars().all(|c| ok(c) || c == '_');
    if let Some(rest) = text.strip_prefix("0x") {
        return digits(rest, |c| c.is_ascii_hexdigit());
    }
    if let Some(rest) = text.strip_prefix("0o") {
        return digits(rest, |c| matches!(c, '0'..='7'));
    }
    if let Some(rest) = text.strip_prefix("0b") {
        return digits(rest, |c| matches!(c, '0' | '1'));
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    digits(unsigned, |c| c.is_ascii_digit())
}

/// The overrides of one `--vary`: its text split at each `;` that is not inside a quoted TOML string (`"…"` with
/// its escapes, or `'…'`), so that `meta.title="a;b"` stays whole.
pub fn split_vary(text: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ';' => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter()
}

/// Apply `ov` to the document; returns the index path of the changed value (`actors[3].capability`).
pub fn apply(doc: &mut toml::Table, ov: &Override) -> Result<String, ScenarioError> {
    let fail = |message: String| ScenarioError::Override {
        text: ov.shown.clone(),
        message,
    };
    let segs = &ov.path;
    let first = segs[0].as_str();
    let mut index_path = first.to_string();
    let mut rest: &[String] = &segs[1..];

    let target: &mut toml::Value = match first {
        "actors" | "dimensions" | "modules" | "patronage" | "trust" | "events" | "history" => {
            let Some(toml::Value::Array(items)) = doc.get_mut(first) else {
                return Err(fail(format!("the scenario has no `{first}` to change")));
            };
            let (pos, used) = find_element(first, items, rest).map_err(fail)?;
            index_path.push_str(&format!("[{pos}]"));
            rest = &rest[used..];
            &mut items[pos]
        }
        "meta" | "simulation" => {
            if rest.is_empty() {
                return Err(fail(format!(
                    "name a field of `{first}`, e.g. {first}.{}",
                    example_field(first)
                )));
            }
            doc.entry(first.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        }
        "schema_version" => {
            if !rest.is_empty() {
                return Err(fail("`schema_version` is a number, not a table".into()));
            }
            doc.insert(first.to_string(), ov.value.clone());
            return Ok(index_path);
        }
        other => {
            const TABLES: [&str; 9] = [
                "meta",
                "simulation",
                "dimensions",
                "modules",
                "actors",
                "patronage",
                "trust",
                "events",
                "history",
            ];
            let hint =
                closest(other, TABLES).map_or(String::new(), |t| format!(" (did you mean `{t}`?)"));
            return Err(fail(format!(
                "unknown table `{other}`{hint}; expected one of {}",
                TABLES.join(", ")
            )));
        }
    };

    if rest.is_empty() {
        return Err(fail(format!(
            "`{}` names a whole table; name one of its fields",
            ov.path.join(".")
        )));
    }
    let mut node = target;
    for (i, seg) in rest.iter().enumerate() {
        index_path.push('.');
        index_path.push_str(seg);
        let toml::Value::Table(table) = node else {
            // Named as the user wrote it (`actors.GOV.commitment_risk`), not by position.
            let above = ov.path[..ov.path.len() - rest.len() + i].join(".");
            let hint = if matches!(node, toml::Value::Integer(_) | toml::Value::Float(_)) {
                format!(
                    "; it is a fixed number here (only a distribution, `{{ dist = … }}`, has parameters such as `{seg}`): set `{above}` itself"
                )
            } else {
                String::new()
            };
            return Err(fail(format!(
                "`{above}` is not a table, so it has no field `{seg}`{hint}"
            )));
        };
        if i + 1 == rest.len() {
            table.insert(seg.clone(), ov.value.clone());
            return Ok(index_path);
        }
        node = table
            .entry(seg.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    }
    Ok(index_path)
}

fn example_field(table: &str) -> &'static str {
    if table == "meta" { "title" } else { "rounds" }
}

/// The value at a `--set` path in the document as written, if the file gives one (`None` for a field left to its
/// default, or a path the document does not have). Paths are read as [`apply`] reads them.
pub fn lookup(doc: &toml::Table, path: &str) -> Option<toml::Value> {
    let segs = split_path(path);
    let (first, rest) = segs.split_first()?;
    let (mut node, rest): (&toml::Value, &[String]) = match first.as_str() {
        "actors" | "dimensions" | "modules" | "patronage" | "trust" | "events" | "history" => {
            let items = doc.get(first)?.as_array()?;
            let (pos, used) = find_element(first, items, rest).ok()?;
            (&items[pos], &rest[used..])
        }
        _ => (doc.get(first)?, rest),
    };
    for seg in rest {
        node = node.as_table()?.get(seg)?;
    }
    Some(node.clone())
}

/// Which element of the array `name` the path addresses, and how many segments that took.
fn find_element(
    name: &str,
    items: &[toml::Value],
    rest: &[String],
) -> Result<(usize, usize), String> {
    let get = |item: &toml::Value, key: &str| -> Option<String> {
        item.get(key).and_then(|v| v.as_str()).map(str::to_string)
    };
    let Some(first) = rest.first() else {
        return Err(format!("name one of the `{name}` by its id"));
    };
    if let Ok(pos) = first.parse::<usize>() {
        return if pos < items.len() {
            Ok((pos, 1))
        } else {
            Err(format!(
                "`{name}` has {} entries; there is no entry {pos} (counting from 0)",
                items.len()
            ))
        };
    }
    match name {
        "events" | "history" => Err(format!(
            "address an entry of `{name}` by its position in the file, from 0: {name}.0.round"
        )),
        "patronage" | "trust" => {
            let (ka, kb) = if name == "patronage" {
                ("patron", "client")
            } else {
                ("party", "guarantor")
            };
            let Some(second) = rest.get(1) else {
                return Err(format!(
                    "address a `{name}` entry as {name}.<{ka}>.<{kb}>.<field>"
                ));
            };
            items
                .iter()
                .position(|it| {
                    get(it, ka).as_deref() == Some(first) && get(it, kb).as_deref() == Some(second)
                })
                .map(|p| (p, 2))
                .ok_or_else(|| {
                    format!("no `{name}` entry with {ka} = \"{first}\" and {kb} = \"{second}\"")
                })
        }
        _ => {
            let singular = name.trim_end_matches('s');
            items
                .iter()
                .position(|it| get(it, "id").as_deref() == Some(first))
                .map(|p| (p, 1))
                .ok_or_else(|| {
                    let ids: Vec<String> = items.iter().filter_map(|it| get(it, "id")).collect();
                    let hint = closest(first, ids.iter().map(String::as_str))
                        .map_or(String::new(), |id| format!("; did you mean `{id}`?"));
                    format!(
                        "no {singular} with id `{first}`; the scenario has {}{hint}",
                        ids.join(", ")
                    )
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        toml::from_str(
            r#"
            [simulation]
            rounds = 10
            [[actors]]
            id = "A"
            capability = 1.0
            [[actors]]
            id = "B"
            [[patronage]]
            patron = "A"
            client = "B"
            leverage = 0.5
            "#,
        )
        .unwrap()
    }

    #[test]
    fn lookup_reads_what_apply_writes() {
        let mut d = doc();
        for (path, value) in [
            ("actors.A.capability", "0.25"),
            ("patronage.A.B.leverage", "0.75"),
            ("simulation.rounds", "7"),
        ] {
            assert_ne!(
                lookup(&d, path).map(|v| v.to_string()).as_deref(),
                Some(value)
            );
            apply(&mut d, &parse(&format!("{path}={value}")).unwrap()).unwrap();
            assert_eq!(
                lookup(&d, path).map(|v| v.to_string()).as_deref(),
                Some(value),
                "{path}"
            );
        }
        assert_eq!(lookup(&d, "actors.NOPE.capability"), None);
        assert_eq!(lookup(&d, "actors.A.capability.mean"), None);
        assert_eq!(
            lookup(&d, "actors.B.capability"),
            None,
            "left to its default"
        );
    }

    #[test]
    fn sets_fields_by_id_and_by_pair() {
        let mut d = doc();
        let p = apply(&mut d, &parse("actors.B.capability=0.4").unwrap()).unwrap();
        assert_eq!(p, "actors[1].capability");
        assert_eq!(d["actors"][1]["capability"].as_float(), Some(0.4));
        apply(&mut d, &parse("patronage.A.B.leverage=0").unwrap()).unwrap();
        assert_eq!(d["patronage"][0]["leverage"].as_integer(), Some(0));
        apply(&mut d, &parse("actors.A.role=observer").unwrap()).unwrap();
        assert_eq!(d["actors"][0]["role"].as_str(), Some("observer"));
        apply(&mut d, &parse("actors.A.ideal.scope=0.2").unwrap()).unwrap();
        assert_eq!(d["actors"][0]["ideal"]["scope"].as_float(), Some(0.2));
        apply(&mut d, &parse("simulation.rounds=80").unwrap()).unwrap();
        assert_eq!(d["simulation"]["rounds"].as_integer(), Some(80));
    }

    #[test]
    fn a_vary_splits_at_semicolons_outside_quotes() {
        let parts = |t| split_vary(t).collect::<Vec<_>>();
        assert_eq!(parts("a=1;b=2"), ["a=1", "b=2"]);
        assert_eq!(
            parts(r#"meta.title="a;b";x=1"#),
            [r#"meta.title="a;b""#, "x=1"]
        );
        assert_eq!(
            parts(r#"t="say \"a;b\"";u='c;d'"#),
            [r#"t="say \"a;b\"""#, "u='c;d'"]
        );
        assert_eq!(parts(r#"t='a\';b"#), [r#"t='a\'"#, "b"]);
        assert_eq!(parts(""), [""]);
    }

    #[test]
    fn values_toml_cannot_hold_or_no_field_takes_are_named() {
        let e = parse("simulation.rounds=99999999999999999999").unwrap_err();
        assert!(
            e.to_string().contains("an integer too large for 64 bits"),
            "{e}"
        );
        let e = parse("meta.title=1979-05-27").unwrap_err();
        assert!(
            e.to_string().contains(
                "`1979-05-27` is a TOML date, and no field of a scenario takes one; to give it as text, quote it: meta.title=\"1979-05-27\""
            ),
            "{e}"
        );
        let e = parse("x=1e400").unwrap_err();
        assert!(e.to_string().contains("a number too large"), "{e}");
        assert!(is_integer_literal("-1_000") && is_integer_literal("0xff"));
        assert!(
            !is_integer_literal("1e5") && !is_integer_literal("-") && !is_integer_literal("abc")
        );
    }

    #[test]
    fn unknown_ids_and_bad_values_are_errors() {
        let mut d = doc();
        let e = apply(&mut d, &parse("actors.ZZZ.capability=1").unwrap()).unwrap_err();
        assert!(e.to_string().contains("no actor with id `ZZZ`"), "{e}");
        assert!(parse("actors.A.capability").is_err());
        assert!(parse("actors.A.name=two words").is_err());
        let e = apply(&mut d, &parse("nosuch.x=1").unwrap()).unwrap_err();
        assert!(e.to_string().contains("unknown table"));
    }
}
