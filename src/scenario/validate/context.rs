//! What every table's checks share: where a value is ([`Loc`]), the collected issues ([`Ctx`]) with the checks of
//! single values (numbers and integers against their registry range, text, actor references), and serde's errors
//! turned into issues at their place.

use serde::de::DeserializeOwned;

use crate::scenario::Role;
pub(super) use crate::scenario::error::closest;
use crate::scenario::error::{Issue, IssueKind};
use crate::scenario::fields::{Field, Range};
use crate::scenario::limits::MAX_STRING;
use crate::scenario::param::Param;
use crate::scenario::spans::Spans;

#[derive(Clone, Debug)]
pub(super) struct Loc {
    pub(super) index: String,
    pub(super) display: String,
}

impl Loc {
    pub(super) fn root(name: &str) -> Loc {
        Loc {
            index: name.to_string(),
            display: name.to_string(),
        }
    }

    pub(super) fn field(&self, name: &str) -> Loc {
        // Every field of a valid file gets a Loc too, so this is built by hand rather than with `format!`.
        let join = |p: &str| {
            let mut path = String::with_capacity(p.len() + 1 + name.len());
            path.push_str(p);
            if !p.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            path
        };
        Loc {
            index: join(&self.index),
            display: join(&self.display),
        }
    }

    /// A key the file chose (an unknown key, a dimension id in `ideal`): shown quoted when it is not a bare TOML key,
    /// so that `"rounds.x"` reads `simulation."rounds.x"`, not as two keys.
    pub(super) fn key(&self, name: &str) -> Loc {
        let mut loc = self.field(name);
        if !is_bare_key(name) {
            loc.display = self.field(&quoted_key(name)).display;
        }
        loc
    }

    pub(super) fn element(&self, i: usize, id: Option<&str>) -> Loc {
        Loc {
            index: format!("{}[{i}]", self.index),
            display: match id {
                Some(id) if !id.is_empty() => format!("{}.{id}", self.display),
                _ => format!("{}[{i}]", self.display),
            },
        }
    }
}

pub(super) struct Ctx<'a> {
    spans: &'a Spans,
    overridden: &'a [(String, String)],
    pub(super) issues: Vec<Issue>,
    /// Actors whose role is missing or unknown (reported once): references to them resolve to nothing, silently,
    /// since judging a reference by a guessed role would only echo that one fault.
    pub(super) unknown_roles: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(spans: &'a Spans, overridden: &'a [(String, String)]) -> Ctx<'a> {
        Ctx {
            spans,
            overridden,
            issues: Vec::new(),
            unknown_roles: Vec::new(),
        }
    }

    /// Whether an override (`--set`, `--rounds`) gave the value at `at`, or a table that holds it.
    pub(super) fn overridden(&self, at: &Loc) -> bool {
        overriding(self.overridden, &at.index).is_some()
    }

    pub(super) fn err(&mut self, at: &Loc, kind: impl Into<IssueKind>) {
        self.issues.push(locate(
            self.spans,
            self.overridden,
            &at.index,
            &at.display,
            kind.into(),
            false,
        ));
    }

    pub(super) fn err_key(&mut self, at: &Loc, kind: impl Into<IssueKind>) {
        self.issues.push(locate(
            self.spans,
            self.overridden,
            &at.index,
            &at.display,
            kind.into(),
            true,
        ));
    }

    /// `id`, a `what` ("actor", "dimension", "module") id, is given again at `at`; its first definition is at the
    /// index path `first`.
    pub(super) fn duplicate(&mut self, at: &Loc, what: &'static str, id: &str, first: &str) {
        let first_line = self.spans.line(first);
        self.err(
            at,
            IssueKind::Duplicate {
                what,
                id: id.to_string(),
                first_line,
            },
        );
    }

    /// `found` is not one of `words` (listed quoted or not, followed by `note`).
    pub(super) fn unknown_word(
        &mut self,
        at: &Loc,
        words: &[&str],
        quoted: bool,
        note: &'static str,
        found: &str,
    ) {
        self.err(
            at,
            IssueKind::UnknownWord {
                expected: either(words, quoted),
                note,
                found: found.to_string(),
                suggestion: closest(found, words.iter().copied()).map(str::to_string),
            },
        );
    }

    /// Deserialize one element into its raw type, reporting every unknown key and every value of the wrong type at
    /// its place: each is taken out and the rest read again. An element with unknown keys alone is checked further
    /// without them; one with a value of the wrong type is `None`, so that the checks that need it stay silent rather
    /// than echo the fault (a value taken out would be reported again as missing).
    pub(super) fn de<T: DeserializeOwned>(
        &mut self,
        at: &Loc,
        mut value: toml::Value,
    ) -> Option<T> {
        let mut mistyped = false;
        loop {
            match serde_path_to_error::deserialize::<_, T>(value.clone()) {
                Ok(v) => return (!mistyped).then_some(v),
                Err(e) => {
                    let unknown = unknown_key_path(&e);
                    let faulty = steps(e.path());
                    let issue = serde_issue_at(self.spans, self.overridden, at, e);
                    self.issues.push(issue);
                    // Each round takes one key out, so this ends.
                    match unknown {
                        Some(steps) if remove_at(&mut value, &steps) => {}
                        Some(_) => return None,
                        None if remove_at(&mut value, &faulty) => mistyped = true,
                        None => return None,
                    }
                }
            }
        }
    }
}

/// Whether `key` can be written bare in TOML (`A-Z a-z 0-9 _ -`).
pub(super) fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `key` as a TOML path shows it: bare, or quoted (`"rounds.x"`).
pub(super) fn quoted_key(key: &str) -> String {
    if is_bare_key(key) {
        key.to_string()
    } else {
        format!("\"{}\"", key.escape_debug())
    }
}

/// A step of a path inside a value: a key of a table or a position in an array.
enum Step {
    Key(String),
    Index(usize),
}

/// The path (inside the value read) of the unknown key a serde error is about, the key included.
fn unknown_key_path(e: &serde_path_to_error::Error<toml::de::Error>) -> Option<Vec<Step>> {
    let message = e.inner().message();
    let key = message
        .trim()
        .strip_prefix("unknown field `")?
        .split_once('`')?
        .0;
    let mut path = steps(e.path());
    // serde_path_to_error's path usually ends with the unknown key already.
    if !matches!(path.last(), Some(Step::Key(k)) if k == key) {
        path.push(Step::Key(key.to_string()));
    }
    Some(path)
}

fn steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    path.iter()
        .filter_map(|seg| match seg {
            serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
            serde_path_to_error::Segment::Enum { variant } => Some(Step::Key(variant.clone())),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect()
}

/// Take the value at `path` out of `value`; whether there was one.
fn remove_at(value: &mut toml::Value, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for step in parents {
        let next = match (step, node) {
            (Step::Key(k), toml::Value::Table(t)) => t.get_mut(k),
            (Step::Index(i), toml::Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return false };
        node = next;
    }
    match (last, node) {
        (Step::Key(k), toml::Value::Table(t)) => t.remove(k).is_some(),
        _ => false,
    }
}

/// The last override that gave the value at the index path `index` (or a table holding it), if one did.
fn overriding<'o>(overridden: &'o [(String, String)], index: &str) -> Option<&'o (String, String)> {
    overridden.iter().rev().find(|(p, _)| {
        index == p || index.starts_with(&format!("{p}.")) || index.starts_with(&format!("{p}["))
    })
}

fn locate(
    spans: &Spans,
    overridden: &[(String, String)],
    index: &str,
    display: &str,
    kind: IssueKind,
    key: bool,
) -> Issue {
    let over = overriding(overridden, index);
    let span = match over {
        Some(_) => None,
        None if key => spans.key(index),
        None => spans.value(index),
    };
    Issue {
        path: display.to_string(),
        kind,
        set_by: over.map(|(_, text)| text.clone()),
        span,
    }
}

/// A serde error (wrong type, unknown key, missing table) as an issue at the top level.
pub(in crate::scenario) fn serde_issue(
    spans: &Spans,
    overridden: &[(String, String)],
    e: serde_path_to_error::Error<toml::de::Error>,
) -> Issue {
    serde_issue_at(spans, overridden, &Loc::root(""), e)
}

fn serde_issue_at(
    spans: &Spans,
    overridden: &[(String, String)],
    at: &Loc,
    e: serde_path_to_error::Error<toml::de::Error>,
) -> Issue {
    let message = e.inner().message().trim().to_string();
    let path = steps(e.path());
    let mut loc = at.clone();
    for step in &path {
        match step {
            Step::Key(k) => loc = loc.key(k),
            // A sequence index is glued to its field.
            Step::Index(i) => {
                let idx = format!("[{i}]");
                loc.index.push_str(&idx);
                loc.display.push_str(&idx);
            }
        }
    }
    // serde reports an unknown key at its parent; point at the key itself.
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        // serde_path_to_error's path usually ends with the unknown key already.
        let k = if matches!(path.last(), Some(Step::Key(last)) if last == key) {
            loc.clone()
        } else {
            loc.key(key)
        };
        let expected = expected
            .trim_start_matches(", ")
            .replace("expected one of", "expected one of:");
        // The allowed keys are the backticked words of serde's list.
        let keys = expected.split('`').skip(1).step_by(2);
        let suggestion = closest(key, keys).map(str::to_string);
        return locate(
            spans,
            overridden,
            &k.index,
            &k.display,
            IssueKind::UnknownKey {
                key: key.to_string(),
                suggestion,
                expected,
            },
            true,
        );
    }
    locate(
        spans,
        overridden,
        &loc.index,
        &loc.display,
        IssueKind::Rule(tidy_serde(&message)),
        false,
    )
}

fn tidy_serde(message: &str) -> String {
    let mut message = message.to_string();
    while let Some(i) = message.find("struct Raw") {
        let end = message[i..]
            .find(|c: char| !c.is_alphanumeric() && c != ' ')
            .map_or(message.len(), |e| i + e);
        let end = message[i + 7..end].find(' ').map_or(end, |e| i + 7 + e);
        message.replace_range(i..end, "a table");
    }
    message
        .replace("a sequence", "an array")
        .replace("invalid type: ", "wrong type: found ")
        .replace("i64", "an integer")
        .replace("u64", "a non-negative integer")
        .replace("f64", "a number")
}

pub(super) fn id_of(value: &toml::Value) -> Option<&str> {
    value.get("id").and_then(|v| v.as_str())
}

/// A short description of a TOML value for "found …" messages.
pub(super) fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("the string \"{short}\"")
        }
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => crate::input::compact_number(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "an array".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}

pub(super) fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

impl Ctx<'_> {
    /// A plain number field with a legal range.
    pub(super) fn num(&mut self, at: &Loc, value: Option<f64>, default: f64, range: Range) -> f64 {
        value.map_or(default, |v| self.in_range(at, v, range).unwrap_or(default))
    }

    /// `v` when it is finite and within `range`; otherwise the problem is reported.
    pub(super) fn in_range(&mut self, at: &Loc, v: f64, range: Range) -> Option<f64> {
        if v.is_finite() && range.contains(v) {
            return Some(v);
        }
        let finite = v.is_finite();
        self.err(
            at,
            IssueKind::OutOfRange {
                range,
                found: v,
                finite,
            },
        );
        None
    }

    /// A plain number field of the registry, with its default and range.
    pub(super) fn field_num(&mut self, at: &Loc, value: Option<f64>, field: &Field) -> f64 {
        self.num(at, value, field.number_default(), field.range())
    }

    /// An integer field of the registry, with its default and range.
    pub(super) fn int(&mut self, at: &Loc, value: Option<i64>, field: &Field) -> i64 {
        let range = field.range();
        let default = field.number_default() as i64;
        let Some(v) = value else { return default };
        let (lo, hi) = range.integer_bounds();
        if v < lo || v > hi {
            let expected = range.describe_integers();
            self.err(at, IssueKind::IntegerOutOfRange { expected, found: v });
            return default;
        }
        v
    }

    /// A number-or-distribution field of the registry, with its default and range.
    pub(super) fn field_param(
        &mut self,
        at: &Loc,
        value: Option<&toml::Value>,
        field: &Field,
    ) -> Param {
        self.param(at, value, field.number_default(), field.range())
    }

    /// A one-line text (a title, a label, a name): at most [`MAX_STRING`] characters, no control characters.
    pub(super) fn text(&mut self, at: &Loc, value: Option<String>, default: &str) -> String {
        self.any_text(at, value, default, false)
    }

    /// A text that may run over several lines (a lesson, a description): line breaks and tabs are allowed, other
    /// control characters are not.
    pub(super) fn long_text(&mut self, at: &Loc, value: Option<String>, default: &str) -> String {
        self.any_text(at, value, default, true)
    }

    fn any_text(
        &mut self,
        at: &Loc,
        value: Option<String>,
        default: &str,
        multiline: bool,
    ) -> String {
        let v = value.unwrap_or_else(|| default.to_string());
        self.no_controls(at, &v, multiline);
        if v.chars().count() > MAX_STRING {
            self.err(
                at,
                format!(
                    "expected at most {MAX_STRING} characters, found {}",
                    v.chars().count()
                ),
            );
            return v.chars().take(MAX_STRING).collect();
        }
        v
    }

    /// Report the first control character of `text` (C0, DEL, C1; a line break or tab only where `multiline`): a
    /// terminal acts on them and an SVG holding one is not valid XML.
    pub(super) fn no_controls(&mut self, at: &Loc, text: &str, multiline: bool) {
        let allowed: &[char] = if multiline { &['\n', '\t'] } else { &[] };
        if let Some((position, found)) = crate::input::first_control(text, allowed) {
            self.err(
                at,
                IssueKind::ControlCharacter {
                    found,
                    position,
                    multiline,
                },
            );
        }
    }

    /// Report a reference to an actor whose role is not among `allowed` ("expected a party, found \"X\", a guarantor").
    pub(super) fn want_role(
        &mut self,
        at: &Loc,
        role: Role,
        allowed: &[Role],
        want: &str,
        id: &str,
    ) {
        if !allowed.contains(&role) {
            self.err(
                at,
                format!("expected {want}, found \"{id}\", {}", article(role)),
            );
        }
    }

    /// Resolve an actor id.
    pub(super) fn actor_ref(
        &mut self,
        at: &Loc,
        id: &str,
        actors: &[(String, Role)],
    ) -> Option<usize> {
        let found = actors.iter().position(|(a, _)| a == id);
        if found.is_some() && self.unknown_roles.iter().any(|x| x == id) {
            return None;
        }
        // With no actors at all, that one problem has been reported already.
        if found.is_none() && !actors.is_empty() {
            // Each id once, in file order (a duplicate id has been reported on its own).
            let mut known: Vec<String> = Vec::with_capacity(actors.len());
            for (a, _) in actors {
                if !known.contains(a) {
                    known.push(a.clone());
                }
            }
            let suggestion = closest(id, known.iter().map(String::as_str)).map(str::to_string);
            self.err(
                at,
                IssueKind::UnknownActor {
                    found: id.to_string(),
                    known,
                    suggestion,
                },
            );
        }
        found
    }
}

/// `; did you mean "x"?` when one of `candidates` is close to `word`, else nothing.
pub(super) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    closest(word, candidates).map_or(String::new(), |c| format!("; did you mean \"{c}\"?"))
}

/// The allowed words as a message lists them: `"a", "b" or "c"` (quoted) or `a, b or c`.
pub(super) fn either(words: &[&str], quoted: bool) -> String {
    let shown: Vec<String> = words
        .iter()
        .map(|w| {
            if quoted {
                format!("\"{w}\"")
            } else {
                (*w).to_string()
            }
        })
        .collect();
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// "a guarantor", "an observer".
pub(super) fn article(role: Role) -> String {
    let name = role.as_str();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}
