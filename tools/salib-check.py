#!/usr/bin/env python3
"""Check a `ceasefire sensitivity` folder against SALib.

    python3 tools/salib-check.py output/astana-2017/sobol-256--astana-baseline

Reads problem.json, samples.csv and outputs.csv as SALib reads them, runs SALib's own analysis
(SALib.analyze.sobol.analyze with calc_second_order=False, or SALib.analyze.morris.analyze), and compares SALib's point
estimates with the `estimate` column of indices.csv. Prints one line per output and exits 1 if any estimate differs by
more than 1e-9 (the two compute in a different order, so the last bits may differ). Needs SALib 1.6 (pip install SALib).
"""

import csv
import json
import math
import sys
from pathlib import Path


def read_columns(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, body


def number(cell):
    return float(cell) if cell != "" else math.nan


def main(folder):
    import numpy as np
    from SALib.analyze import morris, sobol

    folder = Path(folder)
    summary = json.loads((folder / "summary.json").read_text())
    problem = json.loads((folder / "problem.json").read_text())
    out_header, out_rows = read_columns(folder / "outputs.csv")
    _, sample_rows = read_columns(folder / "samples.csv")
    X = np.array([[number(c) for c in r] for r in sample_rows])
    _, index_rows = read_columns(folder / "indices.csv")
    ours = {(r[0], r[1], r[2]): number(r[3]) for r in index_rows}
    method = summary["method"]
    worst = 0.0
    checked = 0
    for k, name in enumerate(out_header):
        Y = np.array([number(r[k]) for r in out_rows])
        if not any(key[0] == name for key in ours):
            print(f"{name}: no indices in indices.csv (undefined or constant), skipped")
            continue
        if method == "sobol":
            S = sobol.analyze(problem, Y, calc_second_order=False, print_to_console=False)
            theirs = {"S1": S["S1"], "ST": S["ST"]}
        else:
            S = morris.analyze(problem, X, Y, num_levels=summary["levels"], print_to_console=False)
            theirs = {"mu": S["mu"], "mu_star": S["mu_star"], "sigma": S["sigma"]}
        diff = 0.0
        for index, values in theirs.items():
            for factor, v in zip(problem["names"], values):
                diff = max(diff, abs(float(v) - ours[(name, factor, index)]))
                checked += 1
        worst = max(worst, diff)
        print(f"{name}: SALib {method} and ceasefire differ by at most {diff:.3g}")
    print(f"{checked} estimates checked; largest difference {worst:.3g}")
    return 0 if checked > 0 and worst <= 1e-9 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
