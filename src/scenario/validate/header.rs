//! The top of the file: `schema_version` and `[meta]`.

use super::context::*;
use crate::scenario::raw::*;
use crate::scenario::*;

pub(super) fn schema_version(cx: &mut Ctx<'_>, version: Option<i64>) {
    let root = Loc::root("");
    match version {
        None => cx.err(&root.field("schema_version"), format!("missing `schema_version`; expected `schema_version = {SCHEMA_VERSION}` at the top of the file")),
        Some(SCHEMA_VERSION) => {}
        Some(v) => cx.err(&root.field("schema_version"), format!("expected {SCHEMA_VERSION}, found {v}")),
    }
}

/// `[meta]`. A missing `id` or `title` is reported only when the table itself was read without fault.
pub(super) fn meta(cx: &mut Ctx<'_>, raw: Option<toml::Value>) -> Meta {
    // [meta]
    let meta_loc = Loc::root("meta");
    let before = cx.issues.len();
    let meta = match raw {
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
            if cx.issues.len() == before {
                cx.err(
                    &meta_loc,
                    format!(
                        "missing `id`; expected {}, e.g. id = \"my-scenario\"",
                        fields::IdRule::Scenario.describe()
                    ),
                );
            }
            "scenario".to_string()
        }
        Some(id) => {
            if !fields::IdRule::Scenario.allows(&id) {
                let shown: String = id.chars().take(40).collect();
                cx.err(&meta_loc.field("id"), format!("expected {} (it names the output folder, so nothing else is allowed), found \"{}\"", fields::IdRule::Scenario.describe(), shown.escape_debug()));
            }
            id
        }
    };
    let title_given = meta.title.is_some();
    let title = cx.text(&meta_loc.field("title"), meta.title, &id);
    if !title_given && cx.issues.iter().all(|i| !i.path.starts_with("meta")) {
        cx.err(&meta_loc, "missing `title`; expected a short title for charts, e.g. title = \"Astana talks, 2017\"");
    }
    Meta {
        id,
        title,
        lesson: cx.long_text(&meta_loc.field("lesson"), meta.lesson, ""),
        description: meta
            .description
            .map(|d| cx.long_text(&meta_loc.field("description"), Some(d), "")),
        sources: sources(cx, &meta_loc.field("sources"), meta.sources),
        tuning: meta
            .tuning
            .map(|t| cx.long_text(&meta_loc.field("tuning"), Some(t), "")),
        variant: meta.variant.map(|v| {
            let at = meta_loc.field("variant");
            let v = cx.text(&at, Some(v), "");
            let n = v.trim().chars().count();
            if n == 0 || n > MAX_VARIANT {
                cx.err(&at, format!("expected the name of a variant, 1 to {MAX_VARIANT} characters (it names the results folder), found {n} characters"));
            }
            v.trim().to_string()
        }),
    }
}

/// The longest `meta.variant`, in characters: the longest `--label`.
pub const MAX_VARIANT: usize = 60;

/// `meta.sources`: one line each, without control characters.
fn sources(cx: &mut Ctx<'_>, at: &Loc, sources: Vec<String>) -> Vec<String> {
    for (i, source) in sources.iter().enumerate() {
        cx.no_controls(&at.element(i, None), source, false);
    }
    sources
}
