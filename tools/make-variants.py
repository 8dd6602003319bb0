#!/usr/bin/env python3
"""Writes the teaching variants of astana-2017 from its text, so each differs from the baseline in exactly the lines
listed in its header. Run from the repository root: python3 tools/make-variants.py"""
import re

BASE = open("scenarios/astana-2017.toml").read()


def actor_block(text, actor):
    start = text.index(f'[[actors]]\nid = "{actor}"')
    end = text.index("\n\n", start)
    return start, end


def edit_actor(text, actor, fn):
    s, e = actor_block(text, actor)
    return text[:s] + fn(text[s:e]) + text[e:]


def sub1(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def meta(text, vid, title, lesson, changes, tuning):
    text = sub1(text, 'id = "astana-2017"', f'id = "{vid}"')
    text = sub1(text, 'title = "Astana talks, 2017"', f'title = "{title}"')
    text = re.sub(r'lesson = ".*?"\n', f'lesson = "{lesson}"\n', text, count=1)
    text = sub1(text, "sources = [", f'tuning = "{tuning}"\nsources = [')
    header = (
        f"# {title}: a teaching variant of astana-2017 (teaching defaults, not a forecast).\n"
        f"# Lesson: {lesson}\n# Changes from astana-2017:\n"
        + "".join(f"#   - {c}\n" for c in changes)
        + f"# Tuned: {tuning}\n# Compare: ceasefire compare astana-2017 {vid} --runs 1000\n"
    )
    body = text.split("schema_version = 1", 1)[1]
    return header + "schema_version = 1" + body


def remove_trust(text, party, guarantor):
    return sub1(text, f'[[trust]]\nparty = "{party}"\nguarantor = "{guarantor}"\n', "[[trust]]\nREMOVE\n").replace(
        "[[trust]]\nREMOVE\n", "", 1
    )


def no_iran():
    t = BASE
    t = edit_actor(t, "IRN", lambda b: b.replace('role = "guarantor"', 'role = "observer"\nvoice = 0.25').replace("guarantee_commitment = 0.6\n", "").rstrip("\n").replace("\nguarantee_commitment = 0.6", ""))
    t = sub1(t, 'signatories = ["RUS", "IRN", "TUR"]     # signed by the three guarantors alone', 'signatories = ["RUS", "TUR"]            # Iran no longer signs')
    t = sub1(t, 'id = "confidence"\ndimensions = ["humanitarian", "detainees"]\nopen_round = 1\nsignatories = ["RUS", "IRN", "TUR"]', 'id = "confidence"\ndimensions = ["humanitarian", "detainees"]\nopen_round = 1\nsignatories = ["RUS", "TUR"]')
    t = sub1(t, 'signatories = ["RUS", "IRN", "TUR", "GOV", "OPP"]', 'signatories = ["RUS", "TUR", "GOV", "OPP"]')
    for party in ["OPP", "GOV"]:
        s = t.index(f'[[trust]]\nparty = "{party}"\nguarantor = "IRN"')
        e = t.index("\n\n", s) + 2
        t = t[:s] + t[e:]
    t = sub1(t, 'patron = "IRN"\nclient = "GOV"\nleverage = 0.2', 'patron = "IRN"\nclient = "GOV"\nleverage = 0.1')
    return meta(
        t,
        "no-iran-guarantor",
        "Astana without Iran as a guarantor",
        "Who guarantees matters (Walter): with Iran an observer the opposition trusts the guarantors more, but the government, the party that binds, trusts them less, so a ceasefire becomes less likely; removing a veto player (Tsebelis) is not automatically faster.",
        [
            "IRN is an observer (voice 0.25), not a signatory of any module, with no guarantee commitment",
            "the trust table no longer lists Iran (OPP -0.6, GOV 0.9 removed)",
            "Iran's leverage on the government falls from 0.2 to 0.1 (its military commitment and pull are kept)",
        ],
        "nothing beyond the change the lesson names: the effect is large without tuning",
    )


def us_active():
    t = BASE
    t = edit_actor(t, "USA", lambda b: b.replace('role = "observer"', 'role = "guarantor"').replace("voice = 0.25", "voice = 1.0").rstrip() + "\nguarantee_commitment = 0.6")
    t = sub1(t, 'signatories = ["RUS", "IRN", "TUR"]     # signed by the three guarantors alone', 'signatories = ["RUS", "IRN", "TUR", "USA"]')
    t = sub1(t, 'id = "confidence"\ndimensions = ["humanitarian", "detainees"]\nopen_round = 1\nsignatories = ["RUS", "IRN", "TUR"]', 'id = "confidence"\ndimensions = ["humanitarian", "detainees"]\nopen_round = 1\nsignatories = ["RUS", "IRN", "TUR", "USA"]')
    t = sub1(t, 'patron = "USA"\nclient = "OPP"\nleverage = 0.15', 'patron = "USA"\nclient = "OPP"\nleverage = 0.3')
    t = sub1(t, "# Round 3 (14-15 March 2017)", '[[trust]]\nparty = "OPP"\nguarantor = "USA"\nvalue = 0.7\n\n[[trust]]\nparty = "GOV"\nguarantor = "USA"\nvalue = -0.5\n\n# Round 3 (14-15 March 2017)')
    return meta(
        t,
        "us-active-party",
        "Astana with the United States as a co-guarantor",
        "A powerful veto player with a distant ideal point shrinks the win-set (Tsebelis) and, distrusted by the government, weakens the guarantee that binds it: the ceasefire becomes less likely even though the opposition trusts the guarantors more. Compare the real US-Russia-Jordan southwest deal of July 2017, made outside Astana.",
        [
            "USA is a guarantor with voice 1 and guarantee commitment 0.6, and a signatory of deescalation and confidence",
            "US leverage on the opposition rises from 0.15 to 0.3",
            "trust: OPP in USA 0.7, GOV in USA -0.5",
        ],
        "nothing beyond the change the lesson names",
    )


def hardline():
    t = BASE
    t = edit_actor(t, "HTS", lambda b: b.replace('capability = { dist = "normal", mean = 0.3, sd = 0.05 }', 'capability = { dist = "normal", mean = 0.45, sd = 0.05 }').replace("progress = 0.3", "progress = 0.8"))
    t = edit_actor(t, "OPP", lambda b: b.replace('capability = { dist = "normal", mean = 0.35, sd = 0.05 }', 'capability = { dist = "normal", mean = 0.23, sd = 0.05 }'))
    s, e = actor_block(t, "OPP")
    opp = t[s:e]
    ideal = "\n".join(l for l in opp.splitlines() if l.startswith("ideal."))
    sal = next(l for l in opp.splitlines() if l.startswith("salience"))
    opph = (
        "\n\n# Opposition hardliners: split from the opposition; a greedy spoiler that can be co-opted (Stedman).\n"
        '[[actors]]\nid = "OPPH"\nname = "Opposition hardliners"\nrole = "spoiler"\n'
        'capability = { dist = "normal", mean = 0.12, sd = 0.03 }\n'
        + ideal + "\n" + sal + "\nreservation = 0.45\n"
        'spoiler = { kind = "greedy", greed = 0.2, base = 0.1, progress = 0.5, targets = ["GOV"] }'
    )
    s, e = actor_block(t, "HTS")
    t = t[:e] + opph + t[e:]
    return meta(
        t,
        "hardline-spoiler",
        "Astana with hardline spoilers",
        "Spoilers strike as peace nears (Kydd & Walter): a stronger total spoiler whose attacks grow with agreement, and a greedy faction split from the opposition, add distrust that makes the ceasefire less likely and less durable (Stedman's typology: a greedy spoiler can be induced, a total one only coerced).",
        [
            "HTS capability 0.45 (was 0.3) and progress term 0.8 (was 0.3)",
            "the opposition loses its hardliners: capability 0.23 (was 0.35)",
            "new OPPH: a greedy spoiler with the opposition's preferences, capability 0.12 (sd 0.03), reservation 0.45, greed 0.2, base 0.1, progress 0.5, attacking the government",
        ],
        "nothing beyond the change the lesson names",
    )


def stalemate():
    t = BASE
    t = edit_actor(t, "GOV", lambda b: b.replace("capability_drift = 0.01\n", "capability_drift = 0.0\n").replace('high = 0.0005', 'high = 0.0015'))
    t = edit_actor(t, "OPP", lambda b: b.replace('capability = { dist = "normal", mean = 0.35, sd = 0.05 }', 'capability = { dist = "normal", mean = 1.56, sd = 0.05 }'))
    t = t.replace('growth = { dist = "uniform", low = 0.002, high = 0.006 }', 'growth = { dist = "uniform", low = 0.006, high = 0.018 }')
    return meta(
        t,
        "early-hurting-stalemate",
        "Astana in an early hurting stalemate",
        "Ripeness (Zartman): when neither side expects to win and both hurt, a mutually hurting stalemate appears early, and the ceasefire comes sooner and holds longer.",
        [
            "the government no longer grows stronger (capability drift 0, was +0.01 a week)",
            "the opposition's capability is 1.56 (was 0.35), so that with the patrons' committed strength p_gov is about 0.5",
            "every hurt growth is three times the baseline's",
        ],
        "the opposition capability was set so that the side strengths are about equal, as the lesson describes",
    )


def no_pressure():
    t = BASE
    t = re.sub(r"leverage = [0-9.]+", "leverage = 0.0", t)
    t = re.sub(r"pull = [0-9.]+", "pull = 0.0", t)
    t = re.sub(r"guarantee_commitment = [0-9.]+", "guarantee_commitment = 0.0", t)
    t = sub1(t, 'drafter = "RUS"              # Russia drafted the memorandum', 'drafter = "UN"               # the UN envoy drafts, unbiased')
    t = sub1(t, "drafter_bias = 0.25", "drafter_bias = 0.0")
    return meta(
        t,
        "no-guarantor-pressure",
        "Astana without guarantor pressure",
        "The commitment problem without third parties (Fearon; Walter): with no patron leverage or pull and no guarantees, parties fear the other side will not honour a deal and the talks stall, as Geneva did.",
        [
            "every patron's leverage and pull is 0",
            "every guarantor's guarantee commitment is 0",
            "the UN envoy drafts the text, without bias (was Russia, bias 0.25)",
        ],
        "nothing beyond the change the lesson names",
    )


for name, fn in [
    ("no-iran-guarantor", no_iran),
    ("us-active-party", us_active),
    ("hardline-spoiler", hardline),
    ("early-hurting-stalemate", stalemate),
    ("no-guarantor-pressure", no_pressure),
]:
    open(f"scenarios/{name}.toml", "w").write(fn())
    print("wrote", name)
