#!/usr/bin/env bash
# Regenerates the numbers quoted in docs/teaching-guide.md: every command the guide gives, over the same 1,000 seeds
# (20170504 onward), printing the lines of each compare.md and summary that the numbers come from.
# `cargo test --test teaching_guide` checks that the guide says exactly these numbers.
# Run from the repository root after `cargo build --release`.
set -euo pipefail
bin=${CEASEFIRE:-target/release/ceasefire}
out=${OUT:-output}
numbers() { grep -E '^\| |^- |^Results in |^P\(|^Ceasefire reached|^Final text' | grep -v '^|---' || true; }

echo "== astana-2017: one run and a batch"
"$bin" run --no-charts --out "$out" | numbers
"$bin" batch --runs 1000 --seed 20170504 --no-charts --out "$out" | numbers
for v in no-iran-guarantor us-active-party hardline-spoiler early-hurting-stalemate no-guarantor-pressure; do
  echo "== $v"
  "$bin" compare astana-2017 "$v" --runs 1000 --seed 20170504 --out "$out" | numbers
done
echo "== what the no-iran-guarantor shortcut changes"
"$bin" compare astana-2017 --runs 1000 --seed 20170504 --out "$out" \
  --vary 'Iran observer: actors.IRN.role="observer"' \
  --vary 'Iran observer, half the leverage: actors.IRN.role="observer"; patronage.IRN.GOV.leverage=0.1' \
  --vary 'Iran observer, half the leverage, signs nothing: actors.IRN.role="observer"; patronage.IRN.GOV.leverage=0.1; modules.deescalation.signatories=["RUS","TUR"]; modules.confidence.signatories=["RUS","TUR"]; modules.political.signatories=["RUS","TUR","GOV","OPP"]' \
  | numbers
echo "== sensitivity to the government's commitment risk"
"$bin" compare astana-2017 --runs 1000 --seed 20170504 --out "$out" \
  --vary 'GOV risk 0.25: actors.GOV.commitment_risk=0.25' --vary 'GOV risk 0.15: actors.GOV.commitment_risk=0.15' \
  | numbers
echo "== two-party-textbook: the default model, Zeuthen, alternating offers (the final text in full)"
for rule in default zeuthen alternating; do
  if [ "$rule" = default ]; then set -- ; folder=seed-1; else set -- --set "simulation.proposal_rule=$rule" --label "$rule"; folder="seed-1--$rule"; fi
  "$bin" run two-party-textbook "$@" --out "$out" | numbers
  grep -m1 '"pie"' "$out/two-party-textbook/$folder/summary.json"
done
echo "== one seed is an anecdote"
"$bin" compare astana-2017 --seeds 1,2,3 --out "$out" | numbers
echo "== how robust is each lesson: the baseline's Sobol and Morris analyses, then the sweeps (tables printed in full)"
"$bin" sensitivity experiments/astana-baseline.toml --method sobol --out "$out"
"$bin" sensitivity experiments/astana-baseline.toml --method morris --out "$out" | sed -n '1,14p'
for e in baseline-commitment-risk lessons-by-commitment-risk lessons-by-russian-guarantee; do
  "$bin" sweep "experiments/$e.toml" --out "$out" | head -3
  echo "(every row: $out/astana-2017/sweep--$e/sweep.csv)"
done
