//! The teaching scenarios, compiled into the binary so the program works from any directory.

/// (name, TOML text) of every bundled scenario, in the order `ceasefire scenarios` lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "astana-2017",
        include_str!("../../scenarios/astana-2017.toml"),
    ),
    (
        "no-iran-guarantor",
        include_str!("../../scenarios/no-iran-guarantor.toml"),
    ),
    (
        "us-active-party",
        include_str!("../../scenarios/us-active-party.toml"),
    ),
    (
        "hardline-spoiler",
        include_str!("../../scenarios/hardline-spoiler.toml"),
    ),
    (
        "early-hurting-stalemate",
        include_str!("../../scenarios/early-hurting-stalemate.toml"),
    ),
    (
        "no-guarantor-pressure",
        include_str!("../../scenarios/no-guarantor-pressure.toml"),
    ),
    (
        "two-party-textbook",
        include_str!("../../scenarios/two-party-textbook.toml"),
    ),
];

/// The bundled scenario `name`, given with or without `.toml` (for `scenarios --show`).
pub fn text(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The bundled scenario named exactly `name` (no `.toml`): how a scenario argument is resolved.
pub fn exact(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

pub fn names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}
