//! Reading a scenario: find the text (a file or a bundled name), parse it, apply overrides, validate.

use std::path::Path;

use super::error::{Issue, IssueKind, ScenarioError, closest};
use super::limits::MAX_FILE_BYTES;
use super::overrides;
use super::raw::RawScenario;
use super::spans::Spans;
use super::validate::validate;
use super::{Scenario, bundled};
use crate::input::{self, InputError};

/// A scenario's text and the name to report it by.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Whether a scenario argument names a file rather than a bundled scenario: it ends in `.toml` or contains a path
/// separator (`./astana-2017`, `scenarios/x.toml`).
pub fn looks_like_path(name_or_path: &str) -> bool {
    name_or_path.ends_with(".toml") || name_or_path.chars().any(std::path::is_separator)
}

/// Find a scenario. An argument that [looks like a path](looks_like_path) is a file; any other is a bundled
/// scenario's name when one has that name (so a file or folder of that name in the current directory, such as the
/// results folder `astana-2017/` of `run --out .`, never shadows it), and a file otherwise.
pub fn resolve(name_or_path: &str) -> Result<Source, ScenarioError> {
    if !looks_like_path(name_or_path)
        && let Some(text) = bundled::exact(name_or_path)
    {
        return Ok(Source {
            name: format!("{name_or_path} (bundled)"),
            text: text.to_string(),
        });
    }
    let read_err = |reason: String| ScenarioError::Read {
        name: name_or_path.to_string(),
        reason,
    };
    match input::read_limited_text(Path::new(name_or_path), MAX_FILE_BYTES as u64) {
        Ok(text) => Ok(Source {
            name: name_or_path.to_string(),
            text,
        }),
        Err(InputError::NotUtf8 { valid_up_to, bytes }) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let at = String::from_utf8_lossy(&bytes[..valid_up_to]).len();
            Err(ScenarioError::Invalid {
                file: name_or_path.to_string(),
                source_text: text,
                issues: vec![Issue {
                    span: Some(at..at + 1),
                    ..Issue::new("", "the file is not valid UTF-8 text; save it as UTF-8")
                }],
            })
        }
        Err(InputError::NotFound) => Err(read_err(not_found(name_or_path))),
        Err(InputError::TooLarge { size, .. }) => Err(read_err(match size {
            Some(size) => {
                format!("the file is {size} bytes; scenarios are limited to {MAX_FILE_BYTES} bytes")
            }
            None => format!("the file is larger than the limit of {MAX_FILE_BYTES} bytes for scenarios"),
        })),
        Err(InputError::Directory) => Err(read_err(
            "it is a directory, not a .toml file (a results folder? give a scenario file or a bundled name)".into(),
        )),
        Err(e) => Err(read_err(e.to_string())),
    }
}

/// Why nothing was found for `name_or_path`, with the bundled scenario it probably meant.
fn not_found(name_or_path: &str) -> String {
    let names = bundled::names();
    let stem = name_or_path.strip_suffix(".toml").unwrap_or(name_or_path);
    if looks_like_path(name_or_path) {
        if bundled::exact(stem).is_some() {
            return format!(
                "no such file; the bundled scenario of that name is `{stem}`, without `.toml`"
            );
        }
        return "no such file".into();
    }
    let hint = closest(name_or_path, names.iter().copied())
        .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
    format!(
        "no such file, and no bundled scenario has that name{hint} (bundled: {})",
        names.join(", ")
    )
}

/// Load and validate a scenario from a path or bundled name, with `--set` overrides.
pub fn load_path(name_or_path: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let sets = overrides::Set::flags(sets);
    load_path_given(name_or_path, &sets)
}

/// [`load_path`] with overrides that name the option that gave each (`--rounds 5`, `--vary 'a=1'`).
pub fn load_path_given(
    name_or_path: &str,
    sets: &[overrides::Set],
) -> Result<Scenario, ScenarioError> {
    let source = resolve(name_or_path)?;
    load_source_given(&source.name, &source.text, sets)
}

/// Load and validate scenario text. `name` is only used in messages.
pub fn load_source(name: &str, text: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let sets = overrides::Set::flags(sets);
    load_source_given(name, text, &sets)
}

/// [`load_source`] with overrides that name the option that gave each.
pub fn load_source_given(
    name: &str,
    text: &str,
    given: &[overrides::Set],
) -> Result<Scenario, ScenarioError> {
    let invalid = |issues: Vec<Issue>| ScenarioError::Invalid {
        file: name.to_string(),
        source_text: text.to_string(),
        issues,
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(invalid(vec![Issue::new(
            "",
            format!(
                "the text is {} bytes; scenarios are limited to {MAX_FILE_BYTES} bytes",
                text.len()
            ),
        )]));
    }
    if text.trim().is_empty() {
        return Err(invalid(vec![Issue::new(
            "",
            "the file is empty; a scenario needs at least schema_version, [meta], [simulation], [[dimensions]], [[modules]] and [[actors]] (try `ceasefire new NAME` for a template)",
        )]));
    }
    let doc: toml::Table = match toml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            return Err(invalid(vec![Issue {
                span: e.span(),
                ..Issue::new(
                    "",
                    IssueKind::Syntax(syntax_message(text, e.message().trim(), e.span())),
                )
            }]));
        }
    };
    load_parsed_given(name, text, doc, given)
}

/// [`load_source_given`] of text already parsed into `doc` (which must be `text` parsed): a caller that loads one
/// text with many sets of overrides (the design points of an experiment) parses it once.
pub fn load_parsed_given(
    name: &str,
    text: &str,
    mut doc: toml::Table,
    given: &[overrides::Set],
) -> Result<Scenario, ScenarioError> {
    let texts: Vec<String> = given.iter().map(|s| s.text.clone()).collect();
    let sets = texts.as_slice();
    let invalid = |issues: Vec<Issue>| ScenarioError::Invalid {
        file: name.to_string(),
        source_text: text.to_string(),
        issues,
    };
    let mut overridden = Vec::new();
    let parsed: Vec<overrides::Override> = given
        .iter()
        .map(overrides::parse_set)
        .collect::<Result<_, _>>()?;
    for ov in &parsed {
        let index_path = overrides::apply(&mut doc, ov)?;
        overridden.push((index_path, ov.shown.clone()));
    }
    let spans = Spans::index(text);
    // Unknown top-level keys and dates are reported, taken out (or made strings), and the rest read on.
    let unknown = super::validate::unknown_top_keys(&mut doc, &spans, &overridden);
    let dates = super::validate::dates(&mut doc, &spans, &overridden);
    let raw: RawScenario = match serde_path_to_error::deserialize(toml::Value::Table(doc)) {
        Ok(raw) => raw,
        Err(e) => {
            let issue = super::validate::serde_issue(&spans, &overridden, e);
            return Err(invalid(in_file_order(
                [unknown, dates, vec![issue]].concat(),
            )));
        }
    };
    let issues = match validate(raw, &spans, &overridden, sets) {
        Ok(sc) if unknown.is_empty() && dates.is_empty() => return Ok(sc),
        Ok(_) => Vec::new(),
        Err(issues) => issues,
    };
    // Drop what only echoes an earlier issue: a complaint about a value that was a date (the date is the problem),
    // and a missing table that an unknown key probably meant (`[simulaton]`).
    let echo = |i: &Issue| {
        dates.iter().any(|d| {
            d.span.is_some() && d.span == i.span || d.set_by.is_some() && d.set_by == i.set_by
        }) || (i.span.is_none()
            && i.set_by.is_none()
            && unknown.iter().any(|u| match &u.kind {
                IssueKind::UnknownKey {
                    suggestion: Some(s),
                    ..
                } => *s == i.path,
                _ => false,
            }))
    };
    let issues: Vec<Issue> = issues.into_iter().filter(|i| !echo(i)).collect();
    Err(invalid(in_file_order([unknown, dates, issues].concat())))
}

/// In file order; problems without a place (missing tables, overrides) first.
fn in_file_order(mut issues: Vec<Issue>) -> Vec<Issue> {
    issues.sort_by_key(|i| i.span.as_ref().map_or(0, |s| s.start + 1));
    issues
}

/// The TOML parser's message, or a plainer one when a value is a bare word such as `rounds = fifty`, which the
/// parser reports as a broken boolean, float or string.
fn syntax_message(text: &str, message: &str, span: Option<std::ops::Range<usize>>) -> String {
    let word: String = span
        .as_ref()
        .and_then(|s| text.get(s.start..))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
                .collect()
        })
        .unwrap_or_default();
    let raw_control = span
        .as_ref()
        .and_then(|s| text.get(s.start..))
        .and_then(|rest| rest.chars().next())
        .filter(|c| crate::input::is_control(*c) && !matches!(c, '\t' | '\n' | '\r'));
    if let Some(c) = raw_control {
        return format!(
            "TOML syntax error: a raw {} here; control characters cannot be written in a TOML file, and no field of a scenario takes one",
            crate::input::char_name(c)
        );
    }
    let literal = span
        .as_ref()
        .and_then(|s| text.get(s.clone()))
        .unwrap_or_default()
        .trim();
    if message.contains(" as i128,")
        || message.starts_with("integer number overflowed")
        || message.starts_with("u64 value was too large")
    {
        return format!(
            "TOML syntax error: {}",
            overrides::integer_too_large(literal)
        );
    }
    if message.starts_with("floating-point number overflowed") {
        return format!(
            "TOML syntax error: {}",
            overrides::number_too_large(literal)
        );
    }
    let about_a_value = message.starts_with("invalid boolean")
        || message.starts_with("string values must be quoted")
        || (message.starts_with("invalid float")
            && (message.contains("nan") || message.contains("inf")));
    let bare = about_a_value
        && word.chars().next().is_some_and(char::is_alphabetic)
        && !matches!(word.as_str(), "true" | "false" | "nan" | "inf");
    if bare {
        format!(
            "TOML syntax error: `{word}` is not a value: write text in quotes (\"{word}\"), numbers with digits, and booleans as true or false"
        )
    } else if message.starts_with("duplicate key")
        && let Some(start) = span.as_ref().map(|s| s.start)
        && let Some(table) = enclosing_array_table(text, start)
    {
        format!(
            "TOML syntax error: duplicate key `{word}` in one [[{table}]] entry; did you forget a `[[{table}]]` line before it, to start the next one?"
        )
    } else {
        format!("TOML syntax error: {message}")
    }
}

/// The name of the array of tables (`[[actors]]`) whose entry holds byte `offset`, if the nearest header above it is
/// one.
fn enclosing_array_table(text: &str, offset: usize) -> Option<&str> {
    let header = text.get(..offset)?.lines().rev().find_map(|line| {
        let line = line.trim();
        line.starts_with('[').then_some(line)
    })?;
    header
        .strip_prefix("[[")?
        .split_once("]]")
        .map(|(name, _)| name.trim())
}
