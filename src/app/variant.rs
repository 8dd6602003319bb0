//! Variants and their names: a run or batch with overrides never shares a folder with the scenario as written, and a
//! teacher may name a variant (`--label`, or `--vary 'LABEL: PATH=VALUE; …'`) so that folders, legends and tables
//! say what it is.
//!
//! The rule, for every command:
//! - the scenario as written, no label: `seed-N`, `batch-S-R`;
//! - with a label: `seed-N--<slug of the label>` (`--label "Iran observer"` → `seed-N--iran-observer`);
//! - overrides (`--set`, `--rounds`) and no label: `seed-N--variant-<8 hex digits of a hash of the overrides>`;
//! - a scenario file that names itself a variant (`meta.variant`, as a variant's `drawn.toml` does): as a label.

use crate::error::{Result, UsageError};
use crate::rng::fnv1a;
use crate::scenario::Scenario;

/// The longest label, in characters: it has to fit in a chart's legend and a folder name.
pub const MAX_LABEL: usize = 60;

/// The longest slug (part of a folder or file name) made from a label or overrides before a hash replaces its end.
const MAX_SLUG: usize = 40;

/// Check a label given on the command line: some visible text, at most [`MAX_LABEL`] characters, no control
/// characters. Returns it trimmed.
pub fn check_label(label: &str) -> Result<String> {
    let trimmed = label.trim();
    let problem = if trimmed.is_empty() {
        Some(
            "it is empty; give a few words that say what the variant is, e.g. \"Iran as observer\""
                .to_string(),
        )
    } else if trimmed.chars().count() > MAX_LABEL {
        Some(format!(
            "it has {} characters; a label has at most {MAX_LABEL}, so that it fits in legends and folder names",
            trimmed.chars().count()
        ))
    } else {
        crate::input::first_control(trimmed, &[]).map(|(at, c)| {
            format!(
                "it holds {} at character {}, a control character",
                crate::input::char_name(c),
                at + 1
            )
        })
    };
    match problem {
        Some(why) => Err(UsageError::Label {
            label: crate::input::visible(label).into_owned(),
            why,
        }
        .into()),
        None => Ok(trimmed.to_string()),
    }
}

/// A file-name-safe form of `text`: lowercase ASCII letters and digits, runs of anything else as one `-`; at most
/// [`MAX_SLUG`] bytes. A longer one, or one that dropped letters of another script, ends with a hash of the whole
/// text (one with nothing left is the hash alone), so that different texts keep different names.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let hash = format!("{:08x}", fnv1a(text) as u32);
    // Letters of other scripts ("Иран", the "ü" of "Türkiye") are dropped above: the hash keeps apart the texts that
    // differ only in them.
    let dropped = text
        .chars()
        .any(|c| c.is_alphanumeric() && !c.is_ascii_alphanumeric());
    if out.is_empty() {
        hash
    } else if out.len() > MAX_SLUG || dropped {
        let keep = out.len().min(MAX_SLUG - 9);
        format!("{}-{hash}", out[..keep].trim_end_matches('-'))
    } else {
        out.to_string()
    }
}

/// What follows a results folder's name for this scenario: `--<slug of the label>`, `--variant-<hash of the
/// overrides>` for a variant without a name, or nothing for the scenario as written.
pub fn folder_suffix(sc: &Scenario) -> String {
    match &sc.label {
        Some(label) => format!("--{}", slug(label)),
        None if sc.overrides.is_empty() => String::new(),
        None => format!(
            "--{}",
            slug(&crate::scenario::unnamed_variant(&sc.overrides))
        ),
    }
}

/// A `--vary` argument: an optional label before `: `, then overrides separated by `;`
/// (`'Iran observer: actors.IRN.role="observer"'`). A colon counts as the label's end only when what comes before it
/// holds no `=` and no quote, so a value with a colon in it (`meta.title="A: B"`) is not taken for a label.
pub struct Vary {
    pub label: Option<String>,
    pub overrides: Vec<String>,
}

/// Read a `--vary` argument (see [`Vary`]).
pub fn parse_vary(text: &str) -> Result<Vary> {
    let (label, rest) = match text.split_once(':') {
        Some((head, rest)) if !head.contains(['=', '"', '\'']) => (Some(check_label(head)?), rest),
        _ => (None, text),
    };
    let overrides: Vec<String> = crate::scenario::overrides::split_vary(rest)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if overrides.is_empty() {
        return Err(UsageError::EmptyVary { vary: text.into() }.into());
    }
    // "Iran observer actors.IRN.role=observer": a label whose colon was forgotten.
    if label.is_none()
        && let Some((path, _)) = overrides[0].split_once('=')
        && let Some((words, field)) = path.trim().rsplit_once(' ')
    {
        return Err(UsageError::LabelColon {
            vary: text.into(),
            label: words.trim().into(),
            field: field.into(),
        }
        .into());
    }
    Ok(Vary { label, overrides })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slug("Iran as observer"), "iran-as-observer");
        assert_eq!(slug("  GOV risk = 0.25! "), "gov-risk-0-25");
        assert_eq!(
            slug("actors.IRN.role=\"observer\""),
            "actors-irn-role-observer"
        );
    }

    #[test]
    fn slugs_of_other_scripts_or_long_texts_keep_texts_apart() {
        let (a, b) = (slug("Иран наблюдатель"), slug("Иран гарант"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 8);
        let (a, b) = (slug("Иран, observer"), slug("Ирак, observer"));
        assert_ne!(a, b);
        assert!(a.starts_with("observer-"), "{a}");
        assert!(slug("Türkiye as observer").starts_with("t-rkiye-as-observer-"));
        let long = "a very long label that goes on and on about what was changed";
        let s = slug(long);
        assert!(s.len() <= MAX_SLUG, "{s}");
        assert_ne!(s, slug(&format!("{long}!")));
        for text in ["x", "-", "é", long, "a--b", "--", "0"] {
            let s = slug(text);
            assert!(!s.is_empty() && s.len() <= MAX_SLUG, "{text}: {s}");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{text}: {s}"
            );
            assert!(!s.starts_with('-') && !s.ends_with('-'), "{text}: {s}");
        }
    }

    #[test]
    fn a_vary_label_ends_at_the_first_colon_only_before_any_value() {
        let v = parse_vary("Iran observer: actors.IRN.role=\"observer\"; actors.IRN.voice=0.5")
            .unwrap();
        assert_eq!(v.label.as_deref(), Some("Iran observer"));
        assert_eq!(
            v.overrides,
            ["actors.IRN.role=\"observer\"", "actors.IRN.voice=0.5"]
        );
        let v = parse_vary("meta.title=\"A: B\"").unwrap();
        assert_eq!(v.label, None);
        assert_eq!(v.overrides, ["meta.title=\"A: B\""]);
        assert!(parse_vary("Iran observer:").is_err());
        let forgot = parse_vary("Iran observer actors.IRN.role=observer")
            .err()
            .unwrap();
        assert!(
            forgot
                .to_string()
                .contains("--vary 'Iran observer: actors.IRN.role=…'"),
            "{forgot}"
        );
        assert!(parse_vary(" : actors.IRN.role=observer").is_err());
    }

    #[test]
    fn labels_are_checked() {
        assert_eq!(
            check_label("  Iran as observer ").unwrap(),
            "Iran as observer"
        );
        assert!(check_label("").is_err());
        assert!(check_label("a\u{7}b").is_err());
        assert!(check_label(&"x".repeat(MAX_LABEL + 1)).is_err());
        assert!(check_label(&"é".repeat(MAX_LABEL)).is_ok());
    }
}
