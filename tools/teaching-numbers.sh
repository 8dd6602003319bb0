#!/usr/bin/env bash
# Regenerates the numbers quoted in docs/teaching-guide.md: each teaching variant against astana-2017 over the same
# 1,000 seeds (20170504 onward). Run from the repository root after `cargo build --release`.
set -euo pipefail
bin=${CEASEFIRE:-target/release/ceasefire}
for v in no-iran-guarantor us-active-party hardline-spoiler early-hurting-stalemate no-guarantor-pressure; do
  "$bin" compare astana-2017 "$v" --runs 1000 --seed 20170504 --out "${OUT:-output}"
done
