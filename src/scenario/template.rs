//! The commented template that `ceasefire new NAME` writes: a small scenario that validates as written and says,
//! field by field, what each one means, so a student can start from it.

/// The template for a scenario with id `id` (already checked to be a valid id).
pub fn template(id: &str) -> String {
    TEMPLATE.replace("{{ID}}", id)
}

const TEMPLATE: &str = r#"# A ceasefire scenario for `ceasefire`. Numbers are teaching defaults, not forecasts.
# Check it with `ceasefire validate {{ID}}.toml`, run it with `ceasefire run {{ID}}.toml`.
# Every field is described in docs/scenario-format.md; the model in docs/model.md.
schema_version = 1

[meta]
id = "{{ID}}"                       # lowercase letters, digits, '-' and '_': names the output folder
title = "My ceasefire scenario"
lesson = "What this scenario should teach, in one sentence."
sources = ["Where the facts come from"]

[simulation]
rounds = 30                          # number of rounds (sessions)
round_label = "session"              # what a round is called on charts
seed = 1                             # used when --seed is not given
drafter = "MED"                      # who drafts the single negotiating text
drafter_bias = 0.1                   # 0 = the text is the compromise; 1 = the drafter's own position
text_inertia = 0.5                   # share of the way the text moves toward each new draft
accept_temperature = 0.0             # 0 = deterministic votes; > 0 = noisy votes

# Issues under negotiation: each a number from 0 to 1 with a meaning at each end.
[[dimensions]]
id = "scope"
label = "Ceasefire scope"
zero = "Local truces only"
one = "Nationwide cessation of hostilities"

[[dimensions]]
id = "monitoring"
label = "Monitoring"
zero = "The parties monitor themselves"
one = "Neutral international monitors"

# Packages of issues voted on together; exactly one is the ceasefire.
[[modules]]
id = "truce"
dimensions = ["scope", "monitoring"]
signatories = ["MED", "GOV", "REB"]  # all must accept for it to be signed
compliance = ["GOV", "REB"]          # the parties that must live with it
ceasefire = true

# The delegations. Any number may be a distribution, drawn anew for each seed,
# e.g. capability = { dist = "normal", mean = 1.0, sd = 0.1 }.
[[actors]]
id = "GOV"
name = "Government"
role = "party"
side = "gov"
principal = true                     # each side at war has one principal party
capability = { dist = "normal", mean = 1.0, sd = 0.1 }
ideal = { scope = 0.3, monitoring = 0.2 }        # where it really wants each issue
salience = { scope = 0.8, monitoring = 0.6 }     # how much each issue matters to it
concession = { beta = 0.7, deadline = 25, kappa = 0.2 }   # beta < 1: concedes late
hurt = { initial = 0.02, growth = 0.004 }        # the costs of war grow each round
commitment_risk = 0.2                # fear that the other side will not honour a deal
violation = { base = 0.01, slope = 0.5 }

[[actors]]
id = "REB"
name = "Rebels"
role = "party"
side = "opp"
principal = true
capability = { dist = "normal", mean = 0.6, sd = 0.1 }
ideal = { scope = 0.9, monitoring = 0.9 }
salience = { scope = 0.9, monitoring = 0.7 }
concession = { beta = 1.2, deadline = 25, kappa = 0.2 }   # beta > 1: concedes early
hurt = { initial = 0.02, growth = 0.006 }
commitment_risk = 0.3
violation = { base = 0.01, slope = 0.5 }

[[actors]]
id = "MED"
name = "Mediating state"
role = "guarantor"
side = "none"                        # not at war; falls back on a fixed reservation
capability = 0.8
ideal = { scope = 0.6, monitoring = 0.6 }
salience = { scope = 0.7, monitoring = 0.7 }
reservation = 0.3
guarantee_commitment = 0.7           # how firmly it would enforce the deal

[[actors]]
id = "HOST"
name = "Host country"
role = "host"                        # convenes the talks; takes only id, name and role

# How far each party trusts each guarantor to enforce the deal (-1..1).
[[trust]]
party = "GOV"
guarantor = "MED"
value = 0.5

[[trust]]
party = "REB"
guarantor = "MED"
value = 0.6

# Shocks: scheduled at a round, or with a probability each round.
[[events]]
kind = "hurt_shock"
target = "REB"
round = 10
magnitude = 0.05
label = "offensive"

# Real, dated events of the talks this scenario is about (optional): drawn on the agreement chart as marks beside
# the simulated run, never simulated. Give each the round it falls in, by the calendar you chose for a round.
# [[history]]
# round = 12
# label = "real talks: ceasefire announced"
"#;
