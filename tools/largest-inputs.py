#!/usr/bin/env python3
"""Write the largest valid scenarios, for measuring the cost of a run against the README's "Limits".

    python3 tools/largest-inputs.py DIR

writes into DIR:

- crowd.toml: 2,000 actors x 2 dimensions (2 modules) x 2,500 rounds -- 5,000,000 rows of actors.csv (the limit)
  and 10,000,000 positions (the limit) -- with 792 hurt shocks of probability 1, labelled with 33 characters:
  2,000,000 event rows counted up front (the limit) and 64 MiB of labels at most;
- long.toml: 50 actors x 2 dimensions x 100,000 rounds (the round limit), 12 labelled shocks: the same limits
  reached with few actors;
- crowd-1d.toml: 2,000 actors x 1 dimension x 2,500 rounds, no events.

Each validates as written (`ceasefire validate DIR/*.toml`).
"""
import sys
from pathlib import Path


def scenario(sid, actors, rounds, dims, modules, events, label):
    ds = [f"d{k}" for k in range(dims)]
    out = [f'schema_version = 1\n[meta]\nid = "{sid}"\ntitle = "Largest input: {sid}"\nlesson = "cost"\n'
           f'sources = ["tools/largest-inputs.py"]\n\n[simulation]\nrounds = {rounds}\nround_label = "round"\n'
           f'seed = 1\ndrafter = "MED"\n']
    for d in ds:
        out.append(f'[[dimensions]]\nid = "{d}"\nlabel = "{d.upper()}"\nzero = "no"\none = "yes"\n')
    for i in range(modules):
        members = ", ".join(f'"{d}"' for d in ds[i::modules])
        out.append(f'[[modules]]\nid = "m{i}"\ndimensions = [{members}]\nsignatories = ["MED", "GOV", "REB"]\n'
                   f'compliance = ["GOV", "REB"]\nceasefire = {"true" if i == 0 else "false"}\n')

    def table(value):
        return "{ " + ", ".join(f"{d} = {value(k)}" for k, d in enumerate(ds)) + " }"

    for aid, name, side, capability, ideal in [("GOV", "Government", "gov", 1.0, 0.3),
                                               ("REB", "Rebels", "opp", 0.6, 0.9)]:
        out.append(f'[[actors]]\nid = "{aid}"\nname = "{name}"\nrole = "party"\nside = "{side}"\n'
                   f'principal = true\ncapability = {capability}\nideal = {table(lambda k: ideal)}\n'
                   f'salience = {table(lambda k: 0.5)}\n')
    out.append(f'[[actors]]\nid = "MED"\nname = "Mediator"\nrole = "guarantor"\nside = "none"\ncapability = 0.8\n'
               f'ideal = {table(lambda k: 0.5)}\nsalience = {table(lambda k: 0.5)}\nreservation = 0.3\n')
    for i in range(actors - 3):
        out.append(f'[[actors]]\nid = "A{i}"\nname = "Observer {i}"\nrole = "observer"\ncapability = 0.1\n'
                   f'reservation = 0.2\nvoice = 0.25\n'
                   f'ideal = {table(lambda k: ((i * 37 + k * 11) % 100) / 100)}\n'
                   f'salience = {table(lambda k: 0.5)}\n')
    text = f'label = "{"x" * label}"\n' if label else ""
    for _ in range(events):
        out.append(f'[[events]]\nkind = "hurt_shock"\ntarget = "REB"\nprobability = 1.0\nmagnitude = 0.0001\n{text}')
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, args in [("crowd", (2000, 2500, 2, 2, 792, 33)),
                       ("long", (50, 100_000, 2, 2, 12, 55)),
                       ("crowd-1d", (2000, 2500, 1, 1, 0, 0))]:
        (folder / f"{name}.toml").write_text(scenario(name, *args))


if __name__ == "__main__":
    main()
