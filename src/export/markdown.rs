//! `compare.md`: a comparison as Markdown tables with a verdict per variant, also what `compare` prints.

use super::results::{Comparison, SeedsComparison};
use super::{Export, ExportError};
use crate::summary::DISCLAIMER;

fn pct(p: f64) -> String {
    format!("{:.1} %", 100.0 * p)
}

fn signed_points(d: f64) -> String {
    format!("{:+.1}", 100.0 * d)
}

/// Text for a Markdown table cell: a `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `compare.md` of variants over the same seeds.
pub struct CompareMarkdown;

impl CompareMarkdown {
    /// The document, as text.
    pub fn text(c: &Comparison<'_>) -> String {
        let base = c.baseline();
        let label = &base.scenario.simulation.round_label;
        let labels: Vec<&str> = c.variants.iter().map(|v| v.label).collect();
        let mut md = format!("# Comparison: {}\n\n", labels.join(" vs "));
        md.push_str(&format!(
            "{}, the same for every variant (common random numbers: each difference is the change, not the luck). \
             {DISCLAIMER}.\n\n",
            c.seeds_text()
        ));
        md.push_str("Variants:\n\n");
        for (i, v) in c.variants.iter().enumerate() {
            // A variant's own overrides follow the `--set` ones that every variant shares.
            let own = v.scenario.overrides.get(c.sets.len()..).unwrap_or_default();
            let what = if own.is_empty() {
                format!(
                    "`{}` as written ({})",
                    v.scenario.meta.id, v.scenario.meta.title
                )
            } else {
                format!("`{}` with `{}`", v.scenario.meta.id, own.join("; "))
            };
            let role = if i == 0 { " (the baseline)" } else { "" };
            md.push_str(&format!("- **{}**{role}: {what}\n", v.label));
        }
        if !c.sets.is_empty() {
            md.push_str(&format!(
                "\nEvery variant also with `--set {}`.\n",
                c.sets.join("`, `--set ")
            ));
        }
        md.push('\n');
        md.push_str(&format!(
            "| variant | P(ceasefire reached) [95 % CI] | median {label} reached | P(in force at end) | mean final agreement |\n|---|---|---|---|---|\n"
        ));
        for v in &c.variants {
            let b = v.bands;
            let (p, lo, hi) = b.p_reached_ci();
            md.push_str(&format!(
                "| {} | {} [{} – {}] | {} | {} | {:.3} |\n",
                cell(v.label),
                pct(p),
                pct(lo),
                pct(hi),
                b.median_ceasefire_round()
                    .map_or("—".into(), |r| r.to_string()),
                pct(b.p_in_force_at_end().0),
                b.mean_final_agreement()
            ));
        }
        md.push_str(&format!(
            "\n## Paired differences against {} (variant − baseline, same seeds)\n\n",
            base.label
        ));
        md.push_str(&format!(
            "| variant | Δ P(ceasefire reached), points [95 % CI] | Δ median {label} | Δ mean final agreement [95 % CI] |\n|---|---|---|---|\n"
        ));
        let deltas: Vec<_> = (0..c.variants.len())
            .filter_map(|i| c.deltas(i).map(|d| (&c.variants[i], d)))
            .collect();
        for (v, d) in &deltas {
            let (dp, dpl, dph) = d.reached;
            let (da, dal, dah) = d.agreement;
            let dm = d.median_round.map_or("—".into(), |m| format!("{m:+}"));
            md.push_str(&format!(
                "| {} | {} [{} – {}] | {dm} | {da:+.3} [{dal:+.3} – {dah:+.3}] |\n",
                cell(v.label),
                signed_points(dp),
                signed_points(dpl),
                signed_points(dph),
            ));
        }
        md.push('\n');
        for (v, d) in &deltas {
            let (dp, dpl, dph) = d.reached;
            let verdict = if dpl > 0.0 {
                "raises"
            } else if dph < 0.0 {
                "lowers"
            } else {
                "does not clearly change"
            };
            md.push_str(&format!(
                "- {}: {verdict} the chance of a ceasefire ({} points; 95 % CI {} to {}).\n",
                v.label,
                signed_points(dp),
                signed_points(dpl),
                signed_points(dph)
            ));
        }
        md.push_str(
            "\nIntervals: Wilson score for each probability; Agresti–Min for paired differences of probabilities; \
             normal approximation for the mean paired difference of final agreement.\n",
        );
        md
    }
}

impl Export<Comparison<'_>> for CompareMarkdown {
    fn file_name(&self) -> &'static str {
        "compare.md"
    }

    fn serialize(&self, c: &Comparison<'_>) -> Result<Vec<u8>, ExportError> {
        Ok(CompareMarkdown::text(c).into_bytes())
    }
}

/// `compare.md` of one scenario's seeds side by side.
pub struct SeedsMarkdown;

impl SeedsMarkdown {
    /// The document, as text.
    pub fn text(c: &SeedsComparison<'_>) -> String {
        let sc = c.scenario;
        let label = &sc.simulation.round_label;
        let mut md = format!(
            "# {}: {} seeds side by side\n\n{DISCLAIMER}.\n\n",
            sc.meta.title,
            c.outcomes.len()
        );
        md.push_str(&format!("| seed | ceasefire {label} | in force at end | collapses | final agreement |\n|---|---|---|---|---|\n"));
        for o in c.outcomes {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {:.3} |\n",
                o.seed,
                o.ceasefire_round.map_or("—".into(), |r| r.to_string()),
                if o.in_force_at_end { "yes" } else { "no" },
                o.collapses,
                o.final_agreement
            ));
        }
        md
    }
}

impl Export<SeedsComparison<'_>> for SeedsMarkdown {
    fn file_name(&self) -> &'static str {
        "compare.md"
    }

    fn serialize(&self, c: &SeedsComparison<'_>) -> Result<Vec<u8>, ExportError> {
        Ok(SeedsMarkdown::text(c).into_bytes())
    }
}
