//! `[[dimensions]]`.

use super::context::*;
use crate::scenario::limits::*;
use crate::scenario::raw::*;
use crate::scenario::*;

/// The dimensions read, and whether every one was (later checks that look dimensions up by id need them all).
pub(super) struct Dimensions {
    pub list: Vec<Dimension>,
    pub complete: bool,
}

pub(super) fn dimensions(cx: &mut Ctx<'_>, raw: Vec<toml::Value>) -> Dimensions {
    // [[dimensions]]
    let dim_loc = Loc::root("dimensions");
    if raw.is_empty() {
        cx.err(
            &dim_loc,
            "missing [[dimensions]]; expected at least one negotiated dimension",
        );
    }
    if raw.len() > MAX_DIMENSIONS {
        cx.err(
            &dim_loc,
            format!(
                "expected at most {MAX_DIMENSIONS} dimensions, found {}",
                raw.len()
            ),
        );
    }
    let mut dimensions = Vec::new();
    // The id and the position in the file of each dimension read.
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut dims_ok = true;
    for (i, value) in raw.into_iter().enumerate().take(MAX_DIMENSIONS) {
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
        if !fields::IdRule::Lower.allows(&did) {
            cx.err(
                &at.field("id"),
                format!(
                    "expected {} (it names CSV columns), found \"{}\"",
                    fields::IdRule::Lower.describe(),
                    did.escape_debug()
                ),
            );
        }
        if let Some(&(_, first)) = seen.iter().find(|(id, _)| *id == did) {
            cx.duplicate(
                &at.field("id"),
                "dimension",
                &did,
                &format!("dimensions[{first}].id"),
            );
            dims_ok = false;
            continue;
        }
        seen.push((did.clone(), i));
        dimensions.push(Dimension {
            label: cx.text(&at.field("label"), d.label, &did),
            zero: cx.text(&at.field("zero"), d.zero, "0"),
            one: cx.text(&at.field("one"), d.one, "1"),
            id: did,
        });
    }
    Dimensions {
        list: dimensions,
        complete: dims_ok,
    }
}
