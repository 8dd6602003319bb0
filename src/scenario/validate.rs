//! `RawScenario → Scenario`: every rule of the scenario format, checked once, every problem reported together.
//!
//! Each check names the field by its TOML path (actors by id: `actors.OPP.capability`) and finds its place in the
//! file through [`Spans`] (by index path: `actors[4].capability`). A field changed by `--set` is reported against
//! the override, since the file's text there is no longer what was read.

use serde::de::DeserializeOwned;

use super::error::Issue;
use super::fields::{self, Field, Range};
use super::limits::*;
use super::param::{Dist, Param};
use super::raw::*;
use super::spans::Spans;
use super::*;

/// Where a value is: the index path (for spans) and the path shown to the user.
#[derive(Clone, Debug)]
struct Loc {
    index: String,
    display: String,
}

impl Loc {
    fn root(name: &str) -> Loc {
        Loc {
            index: name.to_string(),
            display: name.to_string(),
        }
    }

    fn field(&self, name: &str) -> Loc {
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

    fn element(&self, i: usize, id: Option<&str>) -> Loc {
        Loc {
            index: format!("{}[{i}]", self.index),
            display: match id {
                Some(id) if !id.is_empty() => format!("{}.{id}", self.display),
                _ => format!("{}[{i}]", self.display),
            },
        }
    }
}

struct Ctx<'a> {
    spans: &'a Spans,
    overridden: &'a [(String, String)],
    issues: Vec<Issue>,
    /// Actors whose role is missing or unknown (reported once): references to them resolve to nothing, silently,
    /// since judging a reference by a guessed role would only echo that one fault.
    unknown_roles: Vec<String>,
}

impl Ctx<'_> {
    fn err(&mut self, at: &Loc, message: impl Into<String>) {
        self.issues.push(locate(
            self.spans,
            self.overridden,
            &at.index,
            &at.display,
            message.into(),
            false,
        ));
    }

    fn err_key(&mut self, at: &Loc, message: impl Into<String>) {
        self.issues.push(locate(
            self.spans,
            self.overridden,
            &at.index,
            &at.display,
            message.into(),
            true,
        ));
    }

    /// Deserialize one element into its raw type, reporting a type error or unknown key at its place.
    fn de<T: DeserializeOwned>(&mut self, at: &Loc, value: toml::Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let issue = serde_issue_at(self.spans, self.overridden, at, e);
                self.issues.push(issue);
                None
            }
        }
    }
}

fn locate(
    spans: &Spans,
    overridden: &[(String, String)],
    index: &str,
    display: &str,
    mut message: String,
    key: bool,
) -> Issue {
    let over = overridden.iter().rev().find(|(p, _)| {
        index == p || index.starts_with(&format!("{p}.")) || index.starts_with(&format!("{p}["))
    });
    let span = match over {
        Some((_, text)) => {
            message.push_str(&format!(" (set by --set {text})"));
            None
        }
        None if key => spans.key(index),
        None => spans.value(index),
    };
    Issue {
        path: display.to_string(),
        message,
        span,
    }
}

/// A serde error (wrong type, unknown key, missing table) as an issue at the top level.
pub(super) fn serde_issue(
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
    let inner = e.path().to_string();
    let message = e.inner().message().trim().to_string();
    let mut loc = at.clone();
    if inner != "." {
        for seg in inner.split('.') {
            // A sequence index prints as `[i]` glued to its field.
            match seg.split_once('[') {
                Some((name, idx)) => {
                    loc = loc.field(name);
                    loc.index.push('[');
                    loc.index.push_str(idx);
                    loc.display.push('[');
                    loc.display.push_str(idx);
                }
                None => loc = loc.field(seg),
            }
        }
    }
    // serde reports an unknown key at its parent; point at the key itself.
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        // serde_path_to_error's path already ends with the unknown key.
        let k = if inner.rsplit('.').next() == Some(key) {
            loc.clone()
        } else {
            loc.field(key)
        };
        let expected = expected
            .trim_start_matches(", ")
            .replace("expected one of", "expected one of:");
        return locate(
            spans,
            overridden,
            &k.index,
            &k.display,
            format!("unknown key `{key}`; {expected}"),
            true,
        );
    }
    locate(
        spans,
        overridden,
        &loc.index,
        &loc.display,
        tidy_serde(&message),
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

fn id_of(value: &toml::Value) -> Option<&str> {
    value.get("id").and_then(|v| v.as_str())
}

fn is_valid_id(id: &str, upper: bool) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| {
            c.is_ascii_digit()
                || c == '_'
                || (upper && c.is_ascii_uppercase())
                || (!upper && (c.is_ascii_lowercase() || c == '-'))
        })
}

/// A short description of a TOML value for "found …" messages.
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("the string \"{short}\"")
        }
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "an array".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}

fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

impl Ctx<'_> {
    /// A plain number field with a legal range.
    fn num(&mut self, at: &Loc, value: Option<f64>, default: f64, range: Range) -> f64 {
        let Some(v) = value else { return default };
        if !v.is_finite() {
            self.err(
                at,
                format!("expected a finite number {}, found {v}", range.describe()),
            );
            return default;
        }
        if !range.contains(v) {
            self.err(
                at,
                format!("expected a number {}, found {v}", range.describe()),
            );
            return default;
        }
        v
    }

    /// A plain number field of the registry, with its default and range.
    fn field_num(&mut self, at: &Loc, value: Option<f64>, field: &Field) -> f64 {
        self.num(at, value, field.number_default(), field.range())
    }

    /// An integer field of the registry, with its default and range.
    fn int(&mut self, at: &Loc, value: Option<i64>, field: &Field) -> i64 {
        let range = field.range();
        let default = field.number_default() as i64;
        let Some(v) = value else { return default };
        let (lo, hi) = range.integer_bounds();
        if v < lo || v > hi {
            let want = range.describe_integers();
            self.err(at, format!("expected an integer {want}, found {v}"));
            return default;
        }
        v
    }

    /// A number-or-distribution field of the registry, with its default and range.
    fn field_param(&mut self, at: &Loc, value: Option<&toml::Value>, field: &Field) -> Param {
        self.param(at, value, field.number_default(), field.range())
    }

    fn text(&mut self, at: &Loc, value: Option<String>, default: &str) -> String {
        let v = value.unwrap_or_else(|| default.to_string());
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
        if v.contains('\0') {
            self.err(at, "expected text without NUL characters");
        }
        v
    }

    /// A number or a distribution table, within `range`.
    fn param(
        &mut self,
        at: &Loc,
        value: Option<&toml::Value>,
        default: f64,
        range: Range,
    ) -> Param {
        match value {
            None => Param::Fixed(default),
            Some(v) => self
                .param_value(at, v, range)
                .unwrap_or(Param::Fixed(default)),
        }
    }

    fn param_value(&mut self, at: &Loc, value: &toml::Value, range: Range) -> Option<Param> {
        if let Some(v) = number(value) {
            if !v.is_finite() {
                self.err(
                    at,
                    format!("expected a finite number {}, found {v}", range.describe()),
                );
                return None;
            }
            if !range.contains(v) {
                self.err(
                    at,
                    format!("expected a number {}, found {v}", range.describe()),
                );
                return None;
            }
            return Some(Param::Fixed(v));
        }
        let toml::Value::Table(table) = value else {
            self.err(
                at,
                format!(
                    "expected a number {} or a distribution table such as {{ dist = \"normal\", mean = …, sd = … }}, found {}",
                    range.describe(),
                    describe(value)
                ),
            );
            return None;
        };
        let Some(kind) = table.get("dist") else {
            self.err(at, "a distribution table needs `dist`: \"normal\", \"uniform\", \"beta\" or \"triangular\"");
            return None;
        };
        let Some(kind) = kind.as_str() else {
            self.err(
                &at.field("dist"),
                format!(
                    "expected \"normal\", \"uniform\", \"beta\" or \"triangular\", found {}",
                    describe(kind)
                ),
            );
            return None;
        };
        let keys: &[&str] = match kind {
            "normal" => &["mean", "sd"],
            "uniform" => &["low", "high"],
            "beta" => &["mean", "concentration"],
            "triangular" => &["low", "mode", "high"],
            other => {
                self.err(&at.field("dist"), format!("expected \"normal\", \"uniform\", \"beta\" or \"triangular\", found \"{other}\""));
                return None;
            }
        };
        let mut ok = true;
        for key in table.keys() {
            if key != "dist" && key != "clamp" && !keys.contains(&key.as_str()) {
                self.err_key(&at.field(key), format!("unknown key `{key}` in a {kind} distribution; expected {} and optionally clamp", keys.join(", ")));
                ok = false;
            }
        }
        let mut vals = Vec::with_capacity(keys.len());
        for key in keys {
            let here = at.field(key);
            match table.get(*key) {
                None => {
                    self.err(
                        at,
                        format!("a {kind} distribution needs `{key}` ({})", keys.join(", ")),
                    );
                    ok = false;
                }
                Some(v) => match number(v) {
                    Some(x) if x.is_finite() => vals.push(x),
                    Some(x) => {
                        self.err(&here, format!("expected a finite number, found {x}"));
                        ok = false;
                    }
                    None => {
                        self.err(&here, format!("expected a number, found {}", describe(v)));
                        ok = false;
                    }
                },
            }
        }
        let clamp = match table.get("clamp") {
            None => None,
            Some(c) => {
                let pair = c.as_array().and_then(|a| {
                    if a.len() == 2 {
                        Some((number(&a[0])?, number(&a[1])?))
                    } else {
                        None
                    }
                });
                match pair {
                    Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo <= hi => {
                        Some((lo, hi))
                    }
                    Some((lo, hi)) => {
                        self.err(
                            &at.field("clamp"),
                            format!(
                                "expected clamp = [lo, hi] with finite lo ≤ hi, found [{lo}, {hi}]"
                            ),
                        );
                        ok = false;
                        None
                    }
                    None => {
                        self.err(
                            &at.field("clamp"),
                            format!(
                                "expected clamp = [lo, hi], two numbers, found {}",
                                describe(c)
                            ),
                        );
                        ok = false;
                        None
                    }
                }
            }
        };
        if !ok {
            return None;
        }
        let dist = match kind {
            "normal" => {
                if vals[1] < 0.0 {
                    self.err(
                        &at.field("sd"),
                        format!("expected a standard deviation ≥ 0, found {}", vals[1]),
                    );
                    return None;
                }
                Dist::Normal {
                    mean: vals[0],
                    sd: vals[1],
                }
            }
            "uniform" => {
                if vals[0] > vals[1] {
                    self.err(
                        at,
                        format!(
                            "expected low ≤ high, found low = {} and high = {}",
                            vals[0], vals[1]
                        ),
                    );
                    return None;
                }
                Dist::Uniform {
                    low: vals[0],
                    high: vals[1],
                }
            }
            "beta" => {
                if !(vals[0] > 0.0 && vals[0] < 1.0) {
                    self.err(
                        &at.field("mean"),
                        format!(
                            "expected a beta mean strictly between 0 and 1, found {}",
                            vals[0]
                        ),
                    );
                    return None;
                }
                if vals[1] <= 0.0 {
                    self.err(
                        &at.field("concentration"),
                        format!("expected a concentration > 0, found {}", vals[1]),
                    );
                    return None;
                }
                Dist::Beta {
                    mean: vals[0],
                    concentration: vals[1],
                }
            }
            _ => {
                if !(vals[0] <= vals[1] && vals[1] <= vals[2]) {
                    self.err(
                        at,
                        format!(
                            "expected low ≤ mode ≤ high, found {}, {}, {}",
                            vals[0], vals[1], vals[2]
                        ),
                    );
                    return None;
                }
                Dist::Triangular {
                    low: vals[0],
                    mode: vals[1],
                    high: vals[2],
                }
            }
        };
        let p = Param::Random { dist, clamp };
        let centre = p.centre();
        if !range.contains(centre) {
            self.err(at, format!("this distribution is centred on {centre}, outside the field's legal range ({})", range.describe()));
            return None;
        }
        Some(p)
    }

    /// Report a reference to an actor whose role is not among `allowed` ("expected a party, found \"X\", a guarantor").
    fn want_role(&mut self, at: &Loc, role: Role, allowed: &[Role], want: &str, id: &str) {
        if !allowed.contains(&role) {
            self.err(
                at,
                format!("expected {want}, found \"{id}\", {}", article(role)),
            );
        }
    }

    /// Resolve an actor id.
    fn actor_ref(&mut self, at: &Loc, id: &str, actors: &[(String, Role)]) -> Option<usize> {
        let found = actors.iter().position(|(a, _)| a == id);
        if found.is_some() && self.unknown_roles.iter().any(|x| x == id) {
            return None;
        }
        // With no actors at all, that one problem has been reported already.
        if found.is_none() && !actors.is_empty() {
            let ids: Vec<&str> = actors.iter().map(|(a, _)| a.as_str()).collect();
            self.err(
                at,
                format!(
                    "expected the id of an actor ({}), found \"{id}\"",
                    ids.join(", ")
                ),
            );
        }
        found
    }
}

pub(super) fn validate(
    raw: RawScenario,
    spans: &Spans,
    overridden: &[(String, String)],
    sets: &[String],
) -> Result<Scenario, Vec<Issue>> {
    let mut cx = Ctx {
        spans,
        overridden,
        issues: Vec::new(),
        unknown_roles: Vec::new(),
    };
    let root = Loc::root("");

    // schema_version
    match raw.schema_version {
        None => cx.err(&root.field("schema_version"), format!("missing `schema_version`; expected `schema_version = {SCHEMA_VERSION}` at the top of the file")),
        Some(SCHEMA_VERSION) => {}
        Some(v) => cx.err(&root.field("schema_version"), format!("expected {SCHEMA_VERSION}, found {v}")),
    }

    // [meta]
    let meta_loc = Loc::root("meta");
    let meta = match raw.meta {
        None => {
            cx.err(
                &meta_loc,
                "missing table [meta]; expected at least id and title",
            );
            RawMeta::default()
        }
        Some(m) => cx.de::<RawMeta>(&meta_loc, m).unwrap_or_default(),
    };
    let id = match meta.id {
        None => {
            if cx.issues.iter().all(|i| !i.path.starts_with("meta")) {
                cx.err(&meta_loc, "missing `id`; expected lowercase letters, digits and '-', e.g. id = \"my-scenario\"");
            }
            "scenario".to_string()
        }
        Some(id) => {
            if !is_valid_id(&id, false) || id.starts_with('-') {
                let shown: String = id.chars().take(40).collect();
                cx.err(&meta_loc.field("id"), format!("expected 1 to 64 of a-z, 0-9, '-', '_' (it names the output folder, so nothing else is allowed), found \"{}\"", shown.escape_debug()));
            }
            id
        }
    };
    let title_given = meta.title.is_some();
    let title = cx.text(&meta_loc.field("title"), meta.title, &id);
    if !title_given && cx.issues.iter().all(|i| !i.path.starts_with("meta")) {
        cx.err(&meta_loc, "missing `title`; expected a short title for charts, e.g. title = \"Astana talks, 2017\"");
    }
    let meta = Meta {
        id,
        title,
        lesson: cx.text(&meta_loc.field("lesson"), meta.lesson, ""),
        description: meta
            .description
            .map(|d| cx.text(&meta_loc.field("description"), Some(d), "")),
        sources: meta.sources,
        tuning: meta.tuning,
    };

    // [[dimensions]]
    let dim_loc = Loc::root("dimensions");
    if raw.dimensions.is_empty() {
        cx.err(
            &dim_loc,
            "missing [[dimensions]]; expected at least one negotiated dimension",
        );
    }
    if raw.dimensions.len() > MAX_DIMENSIONS {
        cx.err(
            &dim_loc,
            format!(
                "expected at most {MAX_DIMENSIONS} dimensions, found {}",
                raw.dimensions.len()
            ),
        );
    }
    let mut dimensions = Vec::new();
    let mut dims_ok = true;
    for (i, value) in raw.dimensions.into_iter().enumerate().take(MAX_DIMENSIONS) {
        let at = dim_loc.element(i, id_of(&value));
        let Some(d) = cx.de::<RawDimension>(&at, value) else {
            dims_ok = false;
            continue;
        };
        let Some(did) = d.id else {
            cx.err(
                &at,
                "missing `id`; expected lowercase letters, digits, '_' or '-'",
            );
            dims_ok = false;
            continue;
        };
        if !is_valid_id(&did, false) {
            cx.err(
                &at.field("id"),
                format!(
                    "expected 1 to 64 of a-z, 0-9, '_', '-' (it names CSV columns), found \"{}\"",
                    did.escape_debug()
                ),
            );
        }
        if dimensions.iter().any(|x: &Dimension| x.id == did) {
            cx.err(&at.field("id"), format!("duplicate dimension id \"{did}\""));
            dims_ok = false;
            continue;
        }
        dimensions.push(Dimension {
            label: cx.text(&at.field("label"), d.label, &did),
            zero: cx.text(&at.field("zero"), d.zero, "0"),
            one: cx.text(&at.field("one"), d.one, "1"),
            id: did,
        });
    }
    let ndim = dimensions.len();

    // Actor ids and roles first: modules, patronage and events refer to them.
    let act_loc = Loc::root("actors");
    // Cross-checks that would only echo an earlier fault are skipped when a table failed to parse.
    let mut roster_ok = true;
    if raw.actors.is_empty() {
        cx.err(
            &act_loc,
            "missing [[actors]]; expected the delegations at the table",
        );
    }
    if raw.actors.len() > MAX_ACTORS {
        cx.err(
            &act_loc,
            format!(
                "expected at most {MAX_ACTORS} actors, found {}",
                raw.actors.len()
            ),
        );
    }
    let mut raw_actors: Vec<(Loc, Option<RawActor>)> = Vec::new();
    let mut roster: Vec<(String, Role)> = Vec::new();
    for (i, value) in raw.actors.into_iter().enumerate().take(MAX_ACTORS) {
        let at = act_loc.element(i, id_of(&value));
        // Ids and roles are read even from an actor with other faults, so references to it still resolve.
        let id = id_of(&value).unwrap_or_default().to_string();
        let role = value
            .get("role")
            .and_then(|r| r.as_str())
            .and_then(Role::parse);
        let a = cx.de::<RawActor>(&at, value);
        if a.is_none() {
            roster_ok = false;
            if role.is_none() {
                cx.unknown_roles.push(id.clone());
            }
        }
        let fallback = (id, role.unwrap_or(Role::Host));
        raw_actors.push((at, a));
        roster.push(fallback);
    }
    let parsed_roster = std::mem::take(&mut roster);
    for (i, (at, a)) in raw_actors.iter().enumerate() {
        let Some(a) = a else {
            roster.push(parsed_roster[i].clone());
            continue;
        };
        let aid = match &a.id {
            None => {
                cx.err(
                    at,
                    "missing `id`; expected upper-case letters, digits and '_', e.g. id = \"GOV\"",
                );
                String::new()
            }
            Some(aid) => {
                if !is_valid_id(aid, true) {
                    cx.err(
                        &at.field("id"),
                        format!(
                            "expected 1 to 64 of A-Z, 0-9, '_', found \"{}\"",
                            aid.escape_debug()
                        ),
                    );
                }
                if roster.iter().any(|(x, _)| x == aid) {
                    cx.err(&at.field("id"), format!("duplicate actor id \"{aid}\""));
                }
                aid.clone()
            }
        };
        let role = match a.role.as_deref() {
            None => {
                cx.err(at, "missing `role`; expected guarantor, party, observer, mediator, host or spoiler");
                None
            }
            Some(r) => Role::parse(r).or_else(|| {
                cx.err(&at.field("role"), format!("expected guarantor, party, observer, mediator, host or spoiler, found \"{r}\""));
                None
            }),
        };
        // Without a role the actor's fields and the sides cannot be judged: that waits for the role.
        if role.is_none() {
            roster_ok = false;
            cx.unknown_roles.push(aid.clone());
        }
        let role = role.unwrap_or(Role::Host);
        roster.push((aid, role));
    }

    // [simulation]
    let sim_loc = Loc::root("simulation");
    let s = match raw.simulation {
        None => {
            cx.err(
                &sim_loc,
                "missing table [simulation]; expected at least `rounds`",
            );
            RawSimulation::default()
        }
        Some(s) => cx.de::<RawSimulation>(&sim_loc, s).unwrap_or_default(),
    };
    let rounds = match s.rounds {
        None => {
            if cx.issues.iter().all(|i| !i.path.starts_with("simulation")) {
                cx.err(
                    &sim_loc,
                    format!("missing `rounds`; expected an integer in 1..={MAX_ROUNDS}"),
                );
            }
            1
        }
        Some(r) => cx.int(&sim_loc.field("rounds"), Some(r), &fields::ROUNDS) as u32,
    };
    let proposal_rule = match s.proposal_rule.as_deref() {
        None | Some("single_text") => ProposalRule::SingleText,
        Some("recognition") => ProposalRule::Recognition,
        Some("zeuthen") => ProposalRule::Zeuthen,
        Some("alternating") => ProposalRule::Alternating,
        Some(other) => {
            cx.err(
                &sim_loc.field("proposal_rule"),
                format!("expected \"single_text\", \"recognition\", \"zeuthen\" or \"alternating\", found \"{other}\""),
            );
            ProposalRule::SingleText
        }
    };
    // A [simulation] that is missing or failed to parse has been reported; do not echo it as a missing drafter.
    let sim_ok = cx.issues.iter().all(|i| !i.path.starts_with("simulation"));
    let drafter = match &s.drafter {
        None => {
            if proposal_rule == ProposalRule::SingleText && sim_ok {
                cx.err(&sim_loc, "missing `drafter`; proposal_rule = \"single_text\" needs the id of the actor who drafts the text");
            }
            None
        }
        Some(d) => {
            let at = sim_loc.field("drafter");
            let idx = cx.actor_ref(&at, d, &roster);
            if let Some(i) = idx {
                let role = roster[i].1;
                if matches!(role, Role::Host | Role::Spoiler) {
                    cx.err(
                        &at,
                        format!(
                            "expected a voter as drafter, found \"{d}\", {}",
                            article(role)
                        ),
                    );
                }
            }
            idx
        }
    };
    let simulation = Simulation {
        rounds,
        round_label: cx.text(&sim_loc.field("round_label"), s.round_label, "round"),
        seed: s.seed.unwrap_or(1),
        proposal_rule,
        zeuthen_step: cx.field_num(
            &sim_loc.field("zeuthen_step"),
            s.zeuthen_step,
            &fields::ZEUTHEN_STEP,
        ),
        drafter,
        drafter_bias: cx.field_num(
            &sim_loc.field("drafter_bias"),
            s.drafter_bias,
            &fields::DRAFTER_BIAS,
        ),
        text_inertia: cx.field_num(
            &sim_loc.field("text_inertia"),
            s.text_inertia,
            &fields::TEXT_INERTIA,
        ),
        accept_temperature: cx.field_num(
            &sim_loc.field("accept_temperature"),
            s.accept_temperature,
            &fields::ACCEPT_TEMPERATURE,
        ),
        contest_decisiveness: cx.field_num(
            &sim_loc.field("contest_decisiveness"),
            s.contest_decisiveness,
            &fields::CONTEST_DECISIVENESS,
        ),
        stalemate_band: cx.field_num(
            &sim_loc.field("stalemate_band"),
            s.stalemate_band,
            &fields::STALEMATE_BAND,
        ),
        violation_hurt: cx.field_num(
            &sim_loc.field("violation_hurt"),
            s.violation_hurt,
            &fields::VIOLATION_HURT,
        ),
        violation_distrust: cx.field_num(
            &sim_loc.field("violation_distrust"),
            s.violation_distrust,
            &fields::VIOLATION_DISTRUST,
        ),
        attack_hurt: cx.field_num(
            &sim_loc.field("attack_hurt"),
            s.attack_hurt,
            &fields::ATTACK_HURT,
        ),
        attack_distrust: cx.field_num(
            &sim_loc.field("attack_distrust"),
            s.attack_distrust,
            &fields::ATTACK_DISTRUST,
        ),
        distrust_decay: cx.field_num(
            &sim_loc.field("distrust_decay"),
            s.distrust_decay,
            &fields::DISTRUST_DECAY,
        ),
    };

    // Actors in full. The structure of the sides is judged only when every side is a known word.
    let sides_ok = raw_actors.iter().all(|(_, a)| {
        a.as_ref()
            .is_none_or(|a| Side::parse_declared(a.side.as_deref()).is_some())
    });
    let mut actors = Vec::new();
    for (i, (at, a)) in raw_actors.into_iter().enumerate() {
        let Some(a) = a else { continue };
        let (aid, role) = roster[i].clone();
        if cx.unknown_roles.contains(&aid) {
            continue;
        }
        actors.push(actor(
            &mut cx,
            &at,
            a,
            aid,
            role,
            &dimensions,
            dims_ok,
            &roster,
            rounds,
        ));
    }

    // Sides: every side in use has exactly one principal party, and a contest needs both sides.
    let fights_on =
        |a: &Actor, side: Side| a.side == side && !matches!(a.role, Role::Host | Role::Spoiler);
    let in_use = |side: Side| actors.iter().any(|a| fights_on(a, side));
    for side in [Side::Gov, Side::Opp] {
        if !in_use(side) || !roster_ok || !sides_ok {
            continue;
        }
        let principals: Vec<usize> = (0..actors.len())
            .filter(|&i| actors[i].side == side && actors[i].principal)
            .collect();
        if principals.len() != 1 {
            let names: Vec<&str> = principals.iter().map(|&i| actors[i].id.as_str()).collect();
            // Point at the second principal, or at the first actor on the side when there is none.
            let (i, field, found) = match principals.get(1) {
                Some(&i) => (i, "principal", names.join(", ")),
                None => {
                    let first = actors.iter().position(|a| fights_on(a, side)).unwrap_or(0);
                    (first, "side", "none".to_string())
                }
            };
            let at = act_loc.element(i, Some(&actors[i].id)).field(field);
            cx.err(&at, format!("side \"{}\" is in use, so it needs exactly one party with principal = true; found {found}", side.as_str()));
        }
        if !in_use(side.other()) {
            let first = actors.iter().position(|a| fights_on(a, side)).unwrap_or(0);
            let at = act_loc
                .element(first, Some(&actors[first].id))
                .field("side");
            cx.err(&at, format!("side \"{}\" is in use but side \"{}\" is not: fighting on needs two sides (use side = \"none\" and a reservation for actors outside the war)", side.as_str(), side.other().as_str()));
        }
    }

    // [[modules]]
    let mod_loc = Loc::root("modules");
    if raw.modules.is_empty() {
        cx.err(
            &mod_loc,
            "missing [[modules]]; expected at least one module, exactly one with ceasefire = true",
        );
    }
    if raw.modules.len() > MAX_MODULES {
        cx.err(
            &mod_loc,
            format!(
                "expected at most {MAX_MODULES} modules, found {}",
                raw.modules.len()
            ),
        );
    }
    let mut modules: Vec<Module> = Vec::new();
    let mut owner: Vec<Option<String>> = vec![None; ndim];
    let mut ceasefires = Vec::new();
    let mut modules_ok = true;
    for (i, value) in raw.modules.into_iter().enumerate().take(MAX_MODULES) {
        let at = mod_loc.element(i, id_of(&value));
        let Some(m) = cx.de::<RawModule>(&at, value) else {
            modules_ok = false;
            continue;
        };
        let mid = match m.id {
            None => {
                cx.err(&at, "missing `id`");
                format!("module{i}")
            }
            Some(mid) => {
                if !is_valid_id(&mid, false) {
                    cx.err(
                        &at.field("id"),
                        format!(
                            "expected 1 to 64 of a-z, 0-9, '_', '-', found \"{}\"",
                            mid.escape_debug()
                        ),
                    );
                }
                if modules.iter().any(|x| x.id == mid) {
                    cx.err(&at.field("id"), format!("duplicate module id \"{mid}\""));
                }
                mid
            }
        };
        if m.dimensions.is_empty() {
            cx.err(&at, "missing or empty `dimensions`; expected the ids of the dimensions this module packages");
        }
        let mut dims = Vec::new();
        for (j, d) in m.dimensions.iter().enumerate() {
            let here = at.field("dimensions").element(j, None);
            match dimensions.iter().position(|x| &x.id == d) {
                None => {
                    if dims_ok {
                        let ids: Vec<&str> = dimensions.iter().map(|x| x.id.as_str()).collect();
                        cx.err(
                            &here,
                            format!(
                                "expected the id of a dimension ({}), found \"{d}\"",
                                ids.join(", ")
                            ),
                        );
                    }
                }
                Some(k) => {
                    if let Some(other) = &owner[k] {
                        cx.err(&here, format!("dimension \"{d}\" is already in module \"{other}\"; a dimension belongs to at most one module"));
                    } else {
                        owner[k] = Some(mid.clone());
                        dims.push(k);
                    }
                }
            }
        }
        let mut signatories = Vec::new();
        if m.signatories.is_empty() {
            cx.err(
                &at,
                "missing or empty `signatories`; expected the ids of the voters who must accept",
            );
        }
        for (j, sid) in m.signatories.iter().enumerate() {
            let here = at.field("signatories").element(j, None);
            if let Some(k) = cx.actor_ref(&here, sid, &roster) {
                if let Some(a) = actors.iter().find(|a| a.id == *sid)
                    && !a.is_voter()
                {
                    cx.err(&here, format!("expected a voter (guarantor, party, or observer/mediator with voice > 0), found \"{sid}\", a {} with no vote", a.role.as_str()));
                }
                if signatories.contains(&k) {
                    cx.err(&here, format!("\"{sid}\" is listed twice"));
                }
                signatories.push(k);
            }
        }
        let mut compliance = Vec::new();
        for (j, cid) in m.compliance.iter().enumerate() {
            let here = at.field("compliance").element(j, None);
            if let Some(k) = cx.actor_ref(&here, cid, &roster) {
                cx.want_role(&here, roster[k].1, &[Role::Party], "a party", cid);
                if compliance.contains(&k) {
                    cx.err(&here, format!("\"{cid}\" is listed twice"));
                }
                compliance.push(k);
            }
        }
        let ceasefire = m.ceasefire.unwrap_or(false);
        if ceasefire {
            ceasefires.push(modules.len());
        }
        modules.push(Module {
            id: mid,
            dimensions: dims,
            open_round: cx.int(&at.field("open_round"), m.open_round, &fields::OPEN_ROUND) as u32,
            signatories,
            compliance,
            ceasefire,
            persist: cx.int(&at.field("persist"), m.persist, &fields::PERSIST) as u32,
            collapse_patience: cx.int(
                &at.field("collapse_patience"),
                m.collapse_patience,
                &fields::COLLAPSE_PATIENCE,
            ) as u32,
            collapse_margin: cx.field_num(
                &at.field("collapse_margin"),
                m.collapse_margin,
                &fields::COLLAPSE_MARGIN,
            ),
        });
    }
    if modules_ok && !modules.is_empty() && ceasefires.len() != 1 {
        let found = if ceasefires.is_empty() {
            "none".to_string()
        } else {
            ceasefires
                .iter()
                .map(|&i| modules[i].id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        cx.err(
            &mod_loc,
            format!("expected exactly one module with ceasefire = true, found {found}"),
        );
    }
    // Voters need some salience in each module (else every text is perfect to them).
    for a in &actors {
        if !a.is_voter() || a.salience.len() != ndim {
            continue;
        }
        for m in &modules {
            let i = roster.iter().position(|(x, _)| *x == a.id).unwrap_or(0);
            let here = act_loc.element(i, Some(&a.id)).field("salience");
            let faulty = cx.issues.iter().any(|x| x.path.starts_with(&here.display));
            if !faulty
                && !m.dimensions.is_empty()
                && m.dimensions.iter().all(|&k| a.salience[k].centre() <= 0.0)
            {
                cx.err(
                    &here,
                    format!(
                        "a voter needs salience > 0 on some dimension of module \"{}\"",
                        m.id
                    ),
                );
            }
        }
    }

    // [[patronage]]
    let pat_loc = Loc::root("patronage");
    let mut patronage: Vec<Patronage> = Vec::new();
    for (i, value) in raw.patronage.into_iter().enumerate() {
        let at = pat_loc.element(i, None);
        let Some(p) = cx.de::<RawPatronage>(&at, value) else {
            continue;
        };
        let (Some(pid), Some(cid)) = (p.patron, p.client) else {
            cx.err(&at, "expected both `patron` and `client`");
            continue;
        };
        let patron = cx.actor_ref(&at.field("patron"), &pid, &roster);
        let client = cx.actor_ref(&at.field("client"), &cid, &roster);
        let (Some(patron), Some(client)) = (patron, client) else {
            continue;
        };
        cx.want_role(
            &at.field("patron"),
            roster[patron].1,
            &[Role::Guarantor, Role::Observer],
            "a guarantor or an observer",
            &pid,
        );
        cx.want_role(
            &at.field("client"),
            roster[client].1,
            &[Role::Party],
            "a party",
            &cid,
        );
        if patronage
            .iter()
            .any(|x| x.patron == patron && x.client == client)
        {
            cx.err(&at, format!("the link {pid} → {cid} is declared twice"));
        }
        patronage.push(Patronage {
            patron,
            client,
            leverage: cx.field_num(&at.field("leverage"), p.leverage, &fields::LEVERAGE),
            pull: cx.field_num(&at.field("pull"), p.pull, &fields::PULL),
        });
    }
    for (client, _) in roster.iter().enumerate() {
        let total: f64 = patronage
            .iter()
            .filter(|p| p.client == client)
            .map(|p| p.pull)
            .sum();
        if total > 1.0 + 1e-12 {
            cx.err(
                &pat_loc,
                format!(
                    "the pulls on \"{}\" add up to {total}; expected at most 1",
                    roster[client].0
                ),
            );
        }
    }

    // [[trust]]
    let trust_loc = Loc::root("trust");
    let mut trust: Vec<Trust> = Vec::new();
    for (i, value) in raw.trust.into_iter().enumerate() {
        let at = trust_loc.element(i, None);
        let Some(t) = cx.de::<RawTrust>(&at, value) else {
            continue;
        };
        let (Some(pid), Some(gid)) = (t.party, t.guarantor) else {
            cx.err(&at, "expected `party`, `guarantor` and `value`");
            continue;
        };
        let party = cx.actor_ref(&at.field("party"), &pid, &roster);
        let guarantor = cx.actor_ref(&at.field("guarantor"), &gid, &roster);
        let (Some(party), Some(guarantor)) = (party, guarantor) else {
            continue;
        };
        cx.want_role(
            &at.field("party"),
            roster[party].1,
            &[Role::Party],
            "a party",
            &pid,
        );
        // Trust in an observer is allowed (it counts only while the actor is a guarantor), so a variant that turns
        // a guarantor into an observer stays valid.
        cx.want_role(
            &at.field("guarantor"),
            roster[guarantor].1,
            &[Role::Guarantor, Role::Observer],
            "a guarantor (or an observer)",
            &gid,
        );
        if trust
            .iter()
            .any(|x| x.party == party && x.guarantor == guarantor)
        {
            cx.err(&at, format!("trust of {pid} in {gid} is declared twice"));
        }
        if t.value.is_none() {
            cx.err(&at, "missing `value`; expected a number in [-1, 1]");
        }
        trust.push(Trust {
            party,
            guarantor,
            value: cx.field_num(&at.field("value"), t.value, &fields::TRUST_VALUE),
        });
    }

    // [[events]]
    let ev_loc = Loc::root("events");
    if raw_events_too_many(&raw.events) {
        cx.err(
            &ev_loc,
            format!(
                "expected at most {MAX_EVENTS} events, found {}",
                raw.events.len()
            ),
        );
    }
    let mut events = Vec::new();
    for (i, value) in raw.events.into_iter().enumerate().take(MAX_EVENTS) {
        let at = ev_loc.element(i, None);
        let Some(e) = cx.de::<RawEvent>(&at, value) else {
            continue;
        };
        if let Some(ev) = event(&mut cx, &at, e, &roster) {
            events.push(ev);
        }
    }

    // The textbook protocols: two parties alone, one dimension, fixed reservations.
    if matches!(
        proposal_rule,
        ProposalRule::Zeuthen | ProposalRule::Alternating
    ) && roster_ok
        && modules_ok
    {
        let rule = proposal_rule.as_str();
        let parties: Vec<&Actor> = actors.iter().filter(|a| a.role == Role::Party).collect();
        let others: Vec<&str> = actors
            .iter()
            .filter(|a| !matches!(a.role, Role::Party | Role::Host))
            .map(|a| a.id.as_str())
            .collect();
        let at = sim_loc.field("proposal_rule");
        if parties.len() != 2 {
            cx.err(
                &at,
                format!(
                    "proposal_rule = \"{rule}\" is for exactly two parties; found {}",
                    parties.len()
                ),
            );
        }
        if !others.is_empty() {
            cx.err(&at, format!("proposal_rule = \"{rule}\" is for two parties alone (a host may convene); remove or make hosts of: {}", others.join(", ")));
        }
        for p in &parties {
            if p.side != Side::None {
                cx.err(&at, format!("proposal_rule = \"{rule}\" uses fixed reservations: give party \"{}\" side = \"none\" and a reservation", p.id));
            }
        }
        if let Some(&c) = ceasefires.first()
            && modules[c].dimensions.len() != 1
        {
            cx.err(&at, format!("proposal_rule = \"{rule}\" bargains over one dimension; the ceasefire module \"{}\" has {}", modules[c].id, modules[c].dimensions.len()));
        }
    }

    let cells = u64::from(rounds) * (actors.len() as u64) * (ndim.max(1) as u64);
    if cells > MAX_CELLS {
        cx.err(&sim_loc.field("rounds"), format!("rounds × actors × dimensions = {cells} exceeds the limit of {MAX_CELLS} recorded values; use fewer rounds or actors"));
    }

    if !cx.issues.is_empty() {
        return Err(cx.issues);
    }
    Ok(Scenario {
        meta,
        simulation,
        dimensions,
        modules,
        actors,
        patronage,
        trust,
        events,
        ceasefire_module: ceasefires[0],
        overrides: sets.to_vec(),
    })
}

fn raw_events_too_many(events: &[toml::Value]) -> bool {
    events.len() > MAX_EVENTS
}

#[allow(clippy::too_many_arguments)]
fn actor(
    cx: &mut Ctx<'_>,
    at: &Loc,
    a: RawActor,
    id: String,
    role: Role,
    dimensions: &[Dimension],
    dims_ok: bool,
    roster: &[(String, Role)],
    rounds: u32,
) -> Actor {
    // An unknown side is reported once; the checks that depend on the side are then skipped (`side_ok`).
    let parsed = Side::parse_declared(a.side.as_deref());
    if parsed.is_none() {
        cx.err(
            &at.field("side"),
            format!(
                "expected \"gov\", \"opp\" or \"none\", found \"{}\"",
                a.side.as_deref().unwrap_or_default()
            ),
        );
    }
    let side_ok = parsed.is_some();
    let side = parsed.unwrap_or(Side::None);
    let is = |r: Role| role == r;
    // Fields that only some roles take.
    let only = |cx: &mut Ctx<'_>, name: &str, present: bool, allowed: bool, who: &str| {
        if present && !allowed {
            cx.err_key(
                &at.field(name),
                format!(
                    "`{name}` is for {who} only; this actor is {}",
                    article(role)
                ),
            );
        }
    };
    if is(Role::Host) {
        let extra = [
            ("side", a.side.is_some() && side != Side::None),
            ("principal", a.principal.is_some()),
            ("voice", a.voice.is_some()),
            ("capability", a.capability.is_some()),
            ("capability_drift", a.capability_drift.is_some()),
            ("ideal", a.ideal.is_some()),
            ("salience", a.salience.is_some()),
            ("risk", a.risk.is_some()),
            ("reservation", a.reservation.is_some()),
            ("concession", a.concession.is_some()),
            ("hurt", a.hurt.is_some()),
            ("military_commitment", a.military_commitment.is_some()),
            ("guarantee_commitment", a.guarantee_commitment.is_some()),
            ("commitment_risk", a.commitment_risk.is_some()),
            ("violation", a.violation.is_some()),
            ("spoiler", a.spoiler.is_some()),
        ];
        for (name, present) in extra {
            if present {
                cx.err_key(&at.field(name), format!("a host takes only id, name and role (it convenes and does not negotiate); remove `{name}`"));
            }
        }
    }
    // Fields that the registry limits to some roles (beyond the host's): reported when another role sets them.
    for (name, present) in [
        ("principal", a.principal == Some(true)),
        ("guarantee_commitment", a.guarantee_commitment.is_some()),
        ("commitment_risk", a.commitment_risk.is_some()),
        ("violation", a.violation.is_some()),
        ("discount", a.discount.is_some()),
        ("spoiler", a.spoiler.is_some()),
    ] {
        if let Some(field) = fields::find(fields::Table::Actors, name) {
            only(cx, name, present, field.allows(role), &field.who());
        }
    }
    let principal = a.principal.unwrap_or(false);
    if principal && side == Side::None && side_ok {
        cx.err(
            &at.field("principal"),
            "a principal party needs side = \"gov\" or \"opp\"",
        );
    }

    let voice = match (&a.voice, role) {
        (Some(v), Role::Host | Role::Spoiler) => {
            if number(v) != Some(0.0) {
                cx.err(
                    &at.field("voice"),
                    format!("a {} never votes; expected no voice (or 0)", role.as_str()),
                );
            }
            Param::Fixed(0.0)
        }
        (v, _) => {
            let p = cx.param(
                &at.field("voice"),
                v.as_ref(),
                role.default_voice(),
                fields::VOICE.range(),
            );
            if p.is_random() && p.centre() <= 0.0 {
                cx.err(
                    &at.field("voice"),
                    "a random voice must be centred above 0 (use voice = 0 for no vote)",
                );
            }
            p
        }
    };
    if !is(Role::Host) && a.capability.is_none() {
        cx.err(
            at,
            "missing `capability`; expected a number ≥ 0 or a distribution",
        );
    }
    let capability = cx.field_param(
        &at.field("capability"),
        a.capability.as_ref(),
        &fields::CAPABILITY,
    );
    let capability_drift = cx.field_param(
        &at.field("capability_drift"),
        a.capability_drift.as_ref(),
        &fields::CAPABILITY_DRIFT,
    );

    let per_dim =
        |cx: &mut Ctx<'_>, name: &str, table: Option<toml::Table>, default: f64| -> Vec<Param> {
            let here = at.field(name);
            let Some(table) = table else {
                if !is(Role::Host) {
                    let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
                    cx.err(
                        at,
                        format!(
                            "missing `{name}`; expected a value in [0, 1] for every dimension: {}",
                            ids.join(", ")
                        ),
                    );
                }
                return vec![Param::Fixed(default); dimensions.len()];
            };
            for key in table.keys() {
                if dims_ok && !dimensions.iter().any(|d| &d.id == key) {
                    let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
                    cx.err_key(
                        &here.field(key),
                        format!(
                            "unknown dimension `{key}`; expected one of: {}",
                            ids.join(", ")
                        ),
                    );
                }
            }
            dimensions
                .iter()
                .map(|d| match table.get(&d.id) {
                    None if !dims_ok => Param::Fixed(default),
                    None => {
                        cx.err(
                            &here,
                            format!(
                                "missing `{}`; expected a value in [0, 1] for every dimension",
                                d.id
                            ),
                        );
                        Param::Fixed(default)
                    }
                    Some(v) => cx.param(&here.field(&d.id), Some(v), default, fields::UNIT),
                })
                .collect()
        };
    let ideal = per_dim(cx, "ideal", a.ideal, 0.5);
    let salience = per_dim(cx, "salience", a.salience, 0.0);
    let risk = cx.field_param(&at.field("risk"), a.risk.as_ref(), &fields::RISK);
    let reservation = a
        .reservation
        .as_ref()
        .map(|v| cx.field_param(&at.field("reservation"), Some(v), &fields::RESERVATION));
    let voter = match role {
        Role::Guarantor | Role::Party => true,
        Role::Observer | Role::Mediator => voice.centre() > 0.0,
        _ => false,
    };
    if voter && side == Side::None && reservation.is_none() && side_ok {
        cx.err(at, "missing `reservation`; an actor with side = \"none\" that votes needs a fixed reservation value in [0, 1] (it does not fight, so it has no contest to fall back on)");
    }

    let c = a.concession.unwrap_or_default();
    let cl = at.field("concession");
    let concession_beta =
        cx.field_param(&cl.field("beta"), c.beta.as_ref(), &fields::CONCESSION_BETA);
    let concession_deadline = cx.param(
        &cl.field("deadline"),
        c.deadline.as_ref(),
        f64::from(rounds),
        fields::CONCESSION_DEADLINE.range(),
    );
    let concession_kappa = cx.field_param(
        &cl.field("kappa"),
        c.kappa.as_ref(),
        &fields::CONCESSION_KAPPA,
    );
    let h = a.hurt.unwrap_or_default();
    let hurt_initial = cx.field_param(
        &at.field("hurt").field("initial"),
        h.initial.as_ref(),
        &fields::HURT_INITIAL,
    );
    let hurt_growth = cx.field_param(
        &at.field("hurt").field("growth"),
        h.growth.as_ref(),
        &fields::HURT_GROWTH,
    );
    let mu_default = if is(Role::Party) { 1.0 } else { 0.0 };
    let military_commitment = cx.param(
        &at.field("military_commitment"),
        a.military_commitment.as_ref(),
        mu_default,
        fields::MILITARY_COMMITMENT.range(),
    );
    let guarantee_commitment = cx.field_param(
        &at.field("guarantee_commitment"),
        a.guarantee_commitment.as_ref(),
        &fields::GUARANTEE_COMMITMENT,
    );
    let commitment_risk = cx.field_param(
        &at.field("commitment_risk"),
        a.commitment_risk.as_ref(),
        &fields::COMMITMENT_RISK,
    );
    let v = a.violation.unwrap_or_default();
    let violation_base = cx.field_param(
        &at.field("violation").field("base"),
        v.base.as_ref(),
        &fields::VIOLATION_BASE,
    );
    let discount = cx.field_param(
        &at.field("discount"),
        a.discount.as_ref(),
        &fields::DISCOUNT,
    );
    let violation_slope = cx.field_param(
        &at.field("violation").field("slope"),
        v.slope.as_ref(),
        &fields::VIOLATION_SLOPE,
    );

    let spoiler = match (a.spoiler, role) {
        (None, Role::Spoiler) => {
            cx.err(at, "missing `spoiler`; expected spoiler = { kind = \"total\", base = …, progress = …, targets = [...] }");
            None
        }
        (Some(sp), Role::Spoiler) => {
            let sl = at.field("spoiler");
            let kind = match sp.kind.as_deref() {
                Some("limited") => SpoilerKind::Limited,
                Some("greedy") => SpoilerKind::Greedy,
                Some("total") => SpoilerKind::Total,
                Some(other) => {
                    cx.err(&sl.field("kind"), format!("expected \"limited\", \"greedy\" or \"total\" (Stedman's types), found \"{other}\""));
                    SpoilerKind::Total
                }
                None => {
                    cx.err(
                        &sl,
                        "missing `kind`; expected \"limited\", \"greedy\" or \"total\"",
                    );
                    SpoilerKind::Total
                }
            };
            if kind != SpoilerKind::Total && reservation.is_none() {
                cx.err(at, format!("a {} spoiler needs `reservation` (it stops attacking when the text is worth at least that)", kind.as_str()));
            }
            if kind != SpoilerKind::Greedy && sp.greed.is_some() {
                cx.err_key(&sl.field("greed"), "`greed` is for greedy spoilers only");
            }
            if sp.targets.is_empty() {
                cx.err(
                    &sl,
                    "missing or empty `targets`; expected the ids of the parties it attacks",
                );
            }
            let mut targets = Vec::new();
            for (j, t) in sp.targets.iter().enumerate() {
                let here = sl.field("targets").element(j, None);
                if let Some(k) = cx.actor_ref(&here, t, roster) {
                    cx.want_role(&here, roster[k].1, &[Role::Party], "a party", t);
                    targets.push(k);
                }
            }
            Some(SpoilerSpec {
                kind,
                base: cx.field_param(&sl.field("base"), sp.base.as_ref(), &fields::SPOILER_BASE),
                progress: cx.field_param(
                    &sl.field("progress"),
                    sp.progress.as_ref(),
                    &fields::SPOILER_PROGRESS,
                ),
                greed: cx.field_param(
                    &sl.field("greed"),
                    sp.greed.as_ref(),
                    &fields::SPOILER_GREED,
                ),
                targets,
            })
        }
        _ => None,
    };

    Actor {
        name: cx.text(&at.field("name"), a.name, &id),
        id,
        role,
        side,
        principal,
        voice,
        capability,
        capability_drift,
        ideal,
        salience,
        risk,
        reservation,
        concession_beta,
        concession_deadline,
        concession_kappa,
        hurt_initial,
        hurt_growth,
        military_commitment,
        guarantee_commitment,
        commitment_risk,
        violation_base,
        violation_slope,
        discount,
        spoiler,
    }
}

fn event(cx: &mut Ctx<'_>, at: &Loc, e: RawEvent, roster: &[(String, Role)]) -> Option<Event> {
    let kind = match e.kind.as_deref() {
        Some("capability_shift") => EventKind::CapabilityShift,
        Some("hurt_shock") => EventKind::HurtShock,
        Some("trust_shock") => EventKind::TrustShock,
        Some("boycott") => EventKind::Boycott,
        Some("violation") => EventKind::Violation,
        Some(other) => {
            cx.err(&at.field("kind"), format!("expected capability_shift, hurt_shock, trust_shock, boycott or violation, found \"{other}\""));
            return None;
        }
        None => {
            cx.err(at, "missing `kind`; expected capability_shift, hurt_shock, trust_shock, boycott or violation");
            return None;
        }
    };
    let target = match &e.target {
        None => {
            cx.err(at, "missing `target`; expected an actor id");
            None
        }
        Some(t) => cx.actor_ref(&at.field("target"), t, roster),
    };
    let timing = match (e.round, e.probability) {
        (Some(_), Some(_)) => {
            cx.err(at, "expected either `round` (scheduled) or `probability` (a chance each round), not both");
            None
        }
        (None, None) => {
            cx.err(
                at,
                "missing `round` or `probability`; expected exactly one of the two",
            );
            None
        }
        (Some(r), None) => {
            Some(Timing::Round(
                cx.int(&at.field("round"), Some(r), &fields::EVENT_ROUND) as u32,
            ))
        }
        (None, Some(p)) => Some(Timing::Probability(cx.field_num(
            &at.field("probability"),
            Some(p),
            &fields::EVENT_PROBABILITY,
        ))),
    };
    if e.duration.is_some() && kind != EventKind::Boycott {
        cx.err_key(&at.field("duration"), "`duration` is for boycotts only");
    }
    let duration = cx.int(&at.field("duration"), e.duration, &fields::EVENT_DURATION) as u32;
    let needs_magnitude = matches!(
        kind,
        EventKind::CapabilityShift | EventKind::HurtShock | EventKind::TrustShock
    );
    let magnitude = match (&e.magnitude, needs_magnitude) {
        (None, true) => {
            cx.err(
                at,
                format!(
                    "missing `magnitude`; a {} needs a number or a distribution",
                    kind.as_str()
                ),
            );
            Param::Fixed(0.0)
        }
        (Some(_), false) => {
            cx.err_key(
                &at.field("magnitude"),
                format!("a {} has no magnitude", kind.as_str()),
            );
            Param::Fixed(0.0)
        }
        (m, _) => {
            let range = if kind == EventKind::TrustShock {
                fields::TRUST_SHOCK_MAGNITUDE
            } else {
                fields::EVENT_MAGNITUDE.range()
            };
            cx.param(&at.field("magnitude"), m.as_ref(), 0.0, range)
        }
    };
    let guarantor = match (&e.guarantor, kind) {
        (None, EventKind::TrustShock) => {
            cx.err(
                at,
                "missing `guarantor`; a trust_shock changes a party's trust in one guarantor",
            );
            None
        }
        (Some(_), k) if k != EventKind::TrustShock => {
            cx.err_key(
                &at.field("guarantor"),
                "`guarantor` is for trust_shock events only",
            );
            None
        }
        (Some(g), _) => {
            let gi = cx.actor_ref(&at.field("guarantor"), g, roster);
            if let Some(k) = gi {
                cx.want_role(
                    &at.field("guarantor"),
                    roster[k].1,
                    &[Role::Guarantor],
                    "a guarantor",
                    g,
                );
            }
            gi
        }
        (None, _) => None,
    };
    let target = target?;
    let trole = roster[target].1;
    let ok = match kind {
        EventKind::TrustShock | EventKind::Violation => trole == Role::Party,
        EventKind::Boycott => matches!(
            trole,
            Role::Guarantor | Role::Party | Role::Observer | Role::Mediator
        ),
        EventKind::CapabilityShift | EventKind::HurtShock => trole != Role::Host,
    };
    if !ok {
        let want = match kind {
            EventKind::TrustShock | EventKind::Violation => "a party",
            EventKind::Boycott => "a voter",
            _ => "an actor other than the host",
        };
        cx.err(
            &at.field("target"),
            format!(
                "a {} needs {want} as target, found \"{}\", {}",
                kind.as_str(),
                roster[target].0,
                article(trole)
            ),
        );
    }
    Some(Event {
        kind,
        target,
        timing: timing?,
        duration,
        magnitude,
        guarantor,
        label: e.label,
    })
}

/// "a guarantor", "an observer".
fn article(role: Role) -> String {
    let name = role.as_str();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}
