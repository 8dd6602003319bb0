//! Scenario errors: every problem of a file at once, each pointing at its place.
//!
//! An [`Issue`] names the TOML path of the field, says what was expected and what was found, and carries the byte
//! span in the source when the fault has a place (a `--set` override has none: it names the override instead).
//! The `Display` form is the one users read and the snapshot tests pin: `file:line:column: path: message`,
//! followed by the offending source line and a caret.

use std::fmt;
use std::ops::Range;

use crate::input::{visible, visible_line};

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// TOML path, e.g. `actors.OPP.capability.sd` or `simulation.rounds`; empty for the whole file.
    pub path: String,
    /// What kind of problem it is, with what was expected and what was found.
    pub kind: IssueKind,
    /// The `--set` override that put the faulty value there, when one did (the file's text is then not what was read).
    pub set_by: Option<String>,
    /// Byte range in the source, when the problem has a place there.
    pub span: Option<Range<usize>>,
}

impl Issue {
    pub fn new(path: impl Into<String>, kind: impl Into<IssueKind>) -> Self {
        Self {
            path: path.into(),
            kind: kind.into(),
            set_by: None,
            span: None,
        }
    }

    /// What was expected and what was found, as the user reads it.
    pub fn message(&self) -> String {
        match &self.set_by {
            Some(text) => format!("{} (set by {text})", self.kind),
            None => self.kind.to_string(),
        }
    }
}

/// The kinds of problem a scenario can have. The checks shared by every table have a kind of their own, with the
/// values a caller (a test, the classroom explorer) can read; the rules particular to one table are `Rule`, in words.
#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// A number outside its field's legal range (`finite`: the number was NaN or infinite).
    OutOfRange {
        range: crate::scenario::fields::Range,
        found: f64,
        finite: bool,
    },
    /// An integer outside its field's range, described as `expected` ("in 1..=100000", "≥ 1").
    IntegerOutOfRange { expected: String, found: i64 },
    /// A value that is neither a number nor a distribution table.
    NotAParam { expected: String, found: String },
    /// A key the table does not have; `expected` lists the keys it has.
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        expected: String,
    },
    /// A reference to an actor that is not in the file.
    UnknownActor {
        found: String,
        known: Vec<String>,
        suggestion: Option<String>,
    },
    /// A word that is not one of the allowed ones (listed in `expected`), with a note such as "(Stedman's types)".
    UnknownWord {
        expected: String,
        note: &'static str,
        found: String,
        suggestion: Option<String>,
    },
    /// An id given twice; `what` is "actor", "dimension" or "module".
    Duplicate {
        what: &'static str,
        id: String,
        first_line: Option<usize>,
    },
    /// A control character in a text: the character and its position in the text (in characters, from 0);
    /// `multiline`: the field allows line breaks and tabs.
    ControlCharacter {
        found: char,
        position: usize,
        multiline: bool,
    },
    /// The TOML parser's complaint.
    Syntax(String),
    /// A rule particular to one table, in words.
    Rule(String),
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let did_you_mean = |s: &Option<String>| {
            s.as_ref()
                .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"))
        };
        match self {
            IssueKind::OutOfRange {
                range,
                found,
                finite,
            } => {
                let finite = if *finite { "" } else { "finite " };
                write!(
                    f,
                    "expected a {finite}number {}, found {}",
                    range.describe(),
                    crate::input::Compact(*found)
                )
            }
            IssueKind::IntegerOutOfRange { expected, found } => {
                write!(f, "expected an integer {expected}, found {found}")
            }
            IssueKind::NotAParam { expected, found } => write!(
                f,
                "expected a number {expected} or a distribution table such as {{ dist = \"normal\", mean = …, sd = … }}, found {found}"
            ),
            IssueKind::UnknownKey {
                key,
                suggestion,
                expected,
            } => {
                let hint = suggestion
                    .as_ref()
                    .map_or(String::new(), |k| format!(" (did you mean `{k}`?)"));
                write!(f, "unknown key `{key}`{hint}; {expected}")
            }
            IssueKind::UnknownActor {
                found,
                known,
                suggestion,
            } => write!(
                f,
                "expected the id of an actor ({}), found \"{found}\"{}",
                known.join(", "),
                did_you_mean(suggestion)
            ),
            IssueKind::UnknownWord {
                expected,
                note,
                found,
                suggestion,
            } => {
                let note = if note.is_empty() {
                    String::new()
                } else {
                    format!(" {note}")
                };
                write!(
                    f,
                    "expected {expected}{note}, found \"{found}\"{}",
                    did_you_mean(suggestion)
                )
            }
            IssueKind::Duplicate {
                what,
                id,
                first_line,
            } => {
                let first =
                    first_line.map_or(String::new(), |l| format!(" (first defined on line {l})"));
                write!(f, "duplicate {what} id \"{id}\"{first}")
            }
            IssueKind::ControlCharacter {
                found,
                position,
                multiline,
            } => {
                let (others, note) = if *multiline {
                    (" other than line breaks and tabs", "")
                } else {
                    (
                        "",
                        " (line breaks and tabs are allowed only in meta.lesson, meta.description and meta.tuning)",
                    )
                };
                write!(
                    f,
                    "expected text without control characters{others}, found {} at character {}; remove it{note}",
                    crate::input::char_name(*found),
                    position + 1
                )
            }
            IssueKind::Syntax(message) | IssueKind::Rule(message) => f.write_str(message),
        }
    }
}

impl From<String> for IssueKind {
    fn from(message: String) -> IssueKind {
        IssueKind::Rule(message)
    }
}

impl From<&str> for IssueKind {
    fn from(message: &str) -> IssueKind {
        IssueKind::Rule(message.to_string())
    }
}

/// Why a scenario could not be loaded. All of these are the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScenarioError {
    #[error("cannot read scenario `{}`: {}", visible(name), visible(reason))]
    #[diagnostic(code(ceasefire::scenario::read))]
    Read { name: String, reason: String },

    #[error("{}", render(file, source_text, issues))]
    #[diagnostic(code(ceasefire::scenario::invalid))]
    Invalid {
        file: String,
        source_text: String,
        issues: Vec<Issue>,
    },

    /// An experiment file (`ceasefire sweep`, `ceasefire sensitivity`) that cannot be read.
    #[error("cannot read experiment `{}`: {}", visible(name), visible(reason))]
    #[diagnostic(code(ceasefire::experiment::read))]
    ReadExperiment { name: String, reason: String },

    /// An experiment file with problems, each with its place, as a scenario's are reported.
    #[error("{}", render_as("experiment", file, source_text, issues))]
    #[diagnostic(code(ceasefire::experiment::invalid))]
    Experiment {
        file: String,
        source_text: String,
        issues: Vec<Issue>,
    },

    /// `text` is the override as the option that gave it (`--set a=1`, `--rounds 5`, `--vary 'a=1'`).
    #[error("{}: {}", visible(text), visible(message))]
    #[diagnostic(code(ceasefire::scenario::set))]
    Override { text: String, message: String },
}

impl ScenarioError {
    /// The issues of an invalid scenario (empty for the other kinds).
    pub fn issues(&self) -> &[Issue] {
        match self {
            ScenarioError::Invalid { issues, .. } | ScenarioError::Experiment { issues, .. } => {
                issues
            }
            _ => &[],
        }
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely misspelling (at most one edit in three
/// characters, counting a swap of two neighbours as one).
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let allowed = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn render(file: &str, text: &str, issues: &[Issue]) -> String {
    render_as("scenario", file, text, issues)
}

/// The problems of a `what` ("scenario", "experiment") file, each with its place.
fn render_as(what: &str, file: &str, text: &str, issues: &[Issue]) -> String {
    let mut out = String::new();
    let n = issues.len();
    out.push_str(&visible(&format!(
        "{what} `{file}` is invalid ({n} problem{}):",
        if n == 1 { "" } else { "s" }
    )));
    for issue in issues {
        out.push('\n');
        out.push_str(&render_issue(file, text, issue));
    }
    out
}

fn render_issue(file: &str, text: &str, issue: &Issue) -> String {
    let mut out = String::new();
    let path = if issue.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", issue.path)
    };
    match &issue.span {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            let mut start = span.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = span.end.clamp(start, text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            out.push_str(&visible(&format!(
                "  {file}:{line}:{column}: {path}{}",
                issue.message()
            )));
            if let Some(src_line) = text.lines().nth(line - 1) {
                let shown: String = src_line.chars().take(160).collect();
                let width = text[start..end]
                    .lines()
                    .next()
                    .map_or(1, |l| l.chars().count().max(1))
                    .min(shown.chars().count().saturating_sub(column - 1).max(1));
                let gutter = line.to_string();
                out.push_str(&format!(
                    "\n  {gutter} | {}\n  {} | {}{}",
                    visible_line(&shown),
                    " ".repeat(gutter.len()),
                    " ".repeat(column - 1),
                    "^".repeat(width)
                ));
            }
        }
        None => out.push_str(&visible(&format!("  {file}: {path}{}", issue.message()))),
    }
    out
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 10), (2, 4));
        assert_eq!(line_column(text, 1000), (3, 1));
    }
}
