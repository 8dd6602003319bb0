//! Scenario errors: every problem of a file at once, each pointing at its place.
//!
//! An [`Issue`] names the TOML path of the field, says what was expected and what was found, and carries the byte
//! span in the source when the fault has a place (a `--set` override has none: it names the override instead).
//! The `Display` form is the one users read and the snapshot tests pin: `file:line:column: path: message`,
//! followed by the offending source line and a caret.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// TOML path, e.g. `actors.OPP.capability.sd` or `simulation.rounds`; empty for the whole file.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
    /// Byte range in the source, when the problem has a place there.
    pub span: Option<Range<usize>>,
}

impl Issue {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            span: None,
        }
    }
}

/// Why a scenario could not be loaded. All of these are the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScenarioError {
    #[error("cannot read scenario `{name}`: {reason}")]
    #[diagnostic(code(ceasefire::scenario::read))]
    Read { name: String, reason: String },

    #[error("{}", render(file, source_text, issues))]
    #[diagnostic(code(ceasefire::scenario::invalid))]
    Invalid {
        file: String,
        source_text: String,
        issues: Vec<Issue>,
    },

    #[error("--set {text}: {message}")]
    #[diagnostic(code(ceasefire::scenario::set))]
    Override { text: String, message: String },
}

impl ScenarioError {
    /// The issues of an invalid scenario (empty for the other kinds).
    pub fn issues(&self) -> &[Issue] {
        match self {
            ScenarioError::Invalid { issues, .. } => issues,
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
    let mut out = String::new();
    let n = issues.len();
    out.push_str(&format!(
        "scenario `{file}` is invalid ({n} problem{}):",
        if n == 1 { "" } else { "s" }
    ));
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
            out.push_str(&format!(
                "  {file}:{line}:{column}: {path}{}",
                issue.message
            ));
            if let Some(src_line) = text.lines().nth(line - 1) {
                let shown: String = src_line.chars().take(160).collect();
                let width = text[start..end]
                    .lines()
                    .next()
                    .map_or(1, |l| l.chars().count().max(1))
                    .min(shown.chars().count().saturating_sub(column - 1).max(1));
                let gutter = line.to_string();
                out.push_str(&format!(
                    "\n  {gutter} | {shown}\n  {} | {}{}",
                    " ".repeat(gutter.len()),
                    " ".repeat(column - 1),
                    "^".repeat(width)
                ));
            }
        }
        None => out.push_str(&format!("  {file}: {path}{}", issue.message)),
    }
    out
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
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
