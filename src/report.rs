//! The handout of `ceasefire report`: one self-contained HTML page for a class, from what [`crate::classroom`]
//! computes (the sentence, the numbers with their intervals, the charts, one seed of both sides).
//!
//! The page refers to nothing outside itself: the charts are inline SVG (without their `xmlns`, which inline SVG in
//! HTML does not need), the style is one `<style>` element, and there is no script, no link, no font to fetch. Every
//! text that comes from a scenario or the command line (titles, labels, lessons, overrides) is escaped, so scenario
//! text is never markup, and no `://` survives in it, so not even a scenario's text can put an address in the page.
//! Nothing in it depends on the date or the machine: the same inputs give the same bytes.

use crate::classroom::{Answer, Numbers, OneHistory, OneRun};
use crate::summary::DISCLAIMER;

/// One scenario the handout was made from.
#[derive(Clone, Debug)]
pub struct ScenarioRef {
    /// As given on the command line (a bundled name or a path).
    pub given: String,
    pub id: String,
    /// FNV-1a 64 of the scenario's text.
    pub hash: u64,
}

/// Why the parties voted as they did in one round of the history's seed, on both sides, in plain words
/// ([`crate::why`]).
#[derive(Clone, Debug)]
pub struct WhyPart {
    /// The round explained (from 1): the one the baseline's ceasefire was signed in, else its last.
    pub round: u32,
    /// Whether `round` is the baseline's signing round (else its last).
    pub signed: bool,
    /// One sentence for each party, baseline then variant.
    pub base: Vec<String>,
    pub variant: Vec<String>,
}

/// One variant against the baseline.
#[derive(Clone, Debug)]
pub struct Section {
    /// The variant's name in words ("Iran as observer").
    pub label: String,
    /// What it changes, one line each (`actors.IRN.role=observer`, or "the scenario `x` instead of `y`").
    pub changed: Vec<String>,
    /// The lesson of a variant that is another scenario (its id and `meta.lesson`).
    pub lesson: Option<(String, String)>,
    pub answer: Answer,
    pub history: OneHistory,
    /// The "why" of the history's seed; `None` leaves the part out.
    pub why: Option<WhyPart>,
}

/// Everything a handout shows.
#[derive(Clone, Debug)]
pub struct Handout {
    pub title: String,
    pub lesson: String,
    /// The baseline's id, as the tables name it.
    pub base_id: String,
    /// The round's name ("week").
    pub round_label: String,
    pub sections: Vec<Section>,
    /// The baseline first, then every other scenario given.
    pub scenarios: Vec<ScenarioRef>,
    pub first_seed: u64,
    pub runs: u64,
    /// `--set` overrides of every side, as typed.
    pub sets: Vec<String>,
    pub version: String,
    /// The command that makes this handout again.
    pub command: String,
    /// When the command makes the same numbers but not the same bytes, what differs (the explorer's variant of
    /// another scenario, changed further, is named by the file it saves); `None`: the same bytes.
    pub command_note: Option<String>,
}

/// Text made safe for HTML, in an element or a quoted attribute: `& < > " '` escaped, and the colon of any `://`
/// written as a character reference, so that no address appears in the page's bytes (it reads the same).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.replace("://", "&#58;//")
}

/// An SVG of the chart code, ready to sit inside the page: the namespace attributes dropped (the HTML parser puts an
/// inline `<svg>` in the SVG namespace by itself) and any `://` in its texts written as a character reference. The
/// chart code escapes its texts, so a title cannot become markup.
pub fn inline_svg(svg: &str) -> String {
    svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "")
        .replace("://", "&#58;//")
}

const STYLE: &str = r#"
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, "Bitstream Vera Sans", sans-serif; font-size: 12pt; line-height: 1.45;
  color: #1a1a1a; background: #fff; max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.8em; margin: 0 0 0.2em; line-height: 1.2; }
h2 { font-size: 1.35em; margin: 1.4em 0 0.4em; border-bottom: 2px solid #d0d0d0; padding-bottom: 0.15em; }
h3 { font-size: 1.12em; margin: 1.2em 0 0.4em; }
h4 { font-size: 1em; margin: 0.3em 0; }
.disclaimer { font-style: italic; color: #555; margin-top: 0; }
.lesson { font-size: 1.05em; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
code { background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
ul.changed { margin: 0.3em 0 0.8em; }
.sentence { font-size: 1.5em; font-weight: bold; line-height: 1.3; margin: 0.6em 0; padding: 0.5em 0.7em;
  border-left: 6px solid #3b6ea5; background: #f1f5fa; }
table { border-collapse: collapse; margin: 0.6em 0 1em; width: 100%; }
th, td { border: 1px solid #c8c8c8; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #eef0f3; }
td.num { white-space: nowrap; }
figure { margin: 0.8em 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #e2e2e2; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.2em; }
svg text { font-family: "DejaVu Sans", Verdana, "Bitstream Vera Sans", sans-serif; }
.pair, .fans { display: flex; gap: 1rem; align-items: flex-start; }
.fans > figure { flex: 1 1 0; min-width: 0; }
.pair > .panel { flex: 1 1 0; min-width: 0; }
.pair figure { margin: 0.4em 0; }
pre.run { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; border: 1px solid #e2e2e2;
  padding: 0.5em; font-size: 0.78em; line-height: 1.35; margin: 0.4em 0; }
.why ul { padding-left: 1.1em; margin: 0.3em 0; }
.why li { margin-bottom: 0.5em; font-size: 0.92em; }
.provenance { font-size: 0.9em; }
.provenance td, .provenance th { font-size: 0.95em; }
.provenance pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; border: 1px solid #e2e2e2;
  padding: 0.5em; }
.provenance .w { white-space: nowrap; }
.keep { break-inside: avoid; page-break-inside: avoid; }
@media screen and (max-width: 45rem) { .pair, .fans { flex-direction: column; } }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .variant + .variant { break-before: page; page-break-before: always; }
  /* On paper the two sides of the history stack, each chart the page's full width, so that their text stays
     readable: the agreement of both on one page, the votes of both on the next. */
  .history .pair.charts { flex-direction: column; gap: 2mm; break-inside: avoid; page-break-inside: avoid; }
  .history .pair.charts .panel { width: 100%; break-inside: avoid; page-break-inside: avoid; }
  .history .charts + .charts { break-before: page; page-break-before: always; }
  .history .pair.texts { break-inside: avoid; page-break-inside: avoid; }
  .why li { break-inside: avoid; page-break-inside: avoid; }
  .provenance { break-inside: avoid; page-break-inside: avoid; }
  .sentence { font-size: 1.35em; }
  code { background: none; padding: 0; }
  .pair, .fans { gap: 5mm; }
  pre.run { font-size: 7.5pt; }
}
"#;

/// The handout, a complete HTML page.
pub fn handout(h: &Handout) -> String {
    let mut o = String::with_capacity(1 << 20);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(&format!(
        "<title>{} — ceasefire handout</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&h.title)
    ));
    o.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p class=\"disclaimer\">Simulated with teaching defaults, not a forecast: \
         the numbers show what the model's assumptions imply, not what happened or will happen.</p>\n</header>\n",
        escape(&h.title)
    ));
    o.push_str(&format!(
        "<section class=\"lesson\">\n<h2>The lesson</h2>\n<p>{}</p>\n</section>\n",
        escape(&h.lesson)
    ));
    for (i, s) in h.sections.iter().enumerate() {
        section(&mut o, h, s, i);
    }
    provenance(&mut o, h);
    o.push_str("</body>\n</html>\n");
    o
}

fn section(o: &mut String, h: &Handout, s: &Section, i: usize) {
    let a = &s.answer;
    let label = escape(&s.label);
    let n = h.sections.len();
    let of = if n > 1 {
        format!(" (variant {} of {n})", i + 1)
    } else {
        String::new()
    };
    o.push_str(&format!(
        "<section class=\"variant\" id=\"variant-{}\">\n<h2>What was changed: {label}{of}</h2>\n",
        i + 1
    ));
    o.push_str(&format!(
        "<p>The baseline is <code>{}</code> as written{}; the variant <strong>{label}</strong> changes:</p>\n<ul class=\"changed\">\n",
        escape(&h.base_id),
        if h.sets.is_empty() {
            String::new()
        } else {
            format!(
                ", with {} on both sides",
                h.sets
                    .iter()
                    .map(|s| format!("<code>{}</code>", escape(s)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    for c in &s.changed {
        o.push_str(&format!("<li><code>{}</code></li>\n", escape(c)));
    }
    o.push_str("</ul>\n");
    if let Some((id, lesson)) = &s.lesson {
        o.push_str(&format!(
            "<p class=\"lesson\">The lesson of <code>{}</code>: {}</p>\n",
            escape(id),
            escape(lesson)
        ));
    }
    let (d, dlo, dhi) = a.delta;
    o.push_str(&format!(
        "<p class=\"sentence\" data-delta=\"{}\" data-delta-lo=\"{}\" data-delta-hi=\"{}\">{}</p>\n",
        num(d),
        num(dlo),
        num(dhi),
        escape(&a.sentence)
    ));
    o.push_str(&format!(
        "<p>Over {}, the same seeds for both: each difference is the change, not the luck. \
         The brackets are 95 % intervals.</p>\n",
        escape(&a.seeds)
    ));
    numbers_table(o, h, &s.label, &a.base, &a.variant);
    let wk = escape(&h.round_label);
    o.push_str(&format!(
        "<figure>\n{}\n<figcaption>The chance that a ceasefire has been signed by each {wk}, baseline and \
         {label}, with 95 % bands.</figcaption>\n</figure>\n",
        inline_svg(&a.reached_svg)
    ));
    o.push_str("<div class=\"fans\">\n");
    o.push_str(&format!(
        "<figure>\n{}\n<figcaption>Baseline: the agreement on the table {wk} by {wk}, across all seeds \
         (median and bands).</figcaption>\n</figure>\n",
        inline_svg(&a.fan_base_svg)
    ));
    o.push_str(&format!(
        "<figure>\n{}\n<figcaption>{label}: the same, across the same seeds.</figcaption>\n</figure>\n",
        inline_svg(&a.fan_variant_svg)
    ));
    o.push_str("</div>\n");
    history(o, h, s);
    o.push_str("</section>\n");
}

fn numbers_table(o: &mut String, h: &Handout, label: &str, b: &Numbers, v: &Numbers) {
    let wk = escape(&h.round_label);
    o.push_str(&format!(
        "<table class=\"numbers keep\">\n<thead><tr><th></th><th>Baseline</th><th>{}</th></tr></thead>\n<tbody>\n",
        escape(label)
    ));
    let p = |(e, lo, hi): (f64, f64, f64)| {
        format!(
            "<td class=\"num\" data-value=\"{}\" data-lo=\"{}\" data-hi=\"{}\">{} [{}, {}]</td>",
            num(e),
            num(lo),
            num(hi),
            percent(e),
            percent(lo),
            percent(hi)
        )
    };
    o.push_str(&format!(
        "<tr data-measure=\"p_reached\"><th>P(ceasefire reached)</th>{}{}</tr>\n",
        p(b.p_reached),
        p(v.p_reached)
    ));
    o.push_str(&format!(
        "<tr data-measure=\"p_in_force_at_end\"><th>P(ceasefire in force at the end)</th>{}{}</tr>\n",
        p(b.p_in_force_at_end),
        p(v.p_in_force_at_end)
    ));
    let median = |m: Option<u32>| match m {
        Some(r) => format!("<td class=\"num\" data-value=\"{r}\">{wk} {r}</td>"),
        None => "<td class=\"num\" data-value=\"\">— (never reached)</td>".to_string(),
    };
    o.push_str(&format!(
        "<tr data-measure=\"median_ceasefire_round\"><th>Median {wk} of the ceasefire (among seeds that reach one)</th>{}{}</tr>\n",
        median(b.median_round),
        median(v.median_round)
    ));
    let mean = |x: f64| format!("<td class=\"num\" data-value=\"{}\">{x:.3}</td>", num(x));
    o.push_str(&format!(
        "<tr data-measure=\"mean_final_agreement\"><th>Mean final agreement (0 to 1)</th>{}{}</tr>\n",
        mean(b.mean_final_agreement),
        mean(v.mean_final_agreement)
    ));
    o.push_str("</tbody>\n</table>\n");
}

fn history(o: &mut String, h: &Handout, s: &Section) {
    let hist = &s.history;
    let label = escape(&s.label);
    o.push_str(&format!(
        "<div class=\"history\">\n<h3>One history: seed {}, baseline beside {label}</h3>\n\
         <p>The same seed, so the same luck on both sides: where the two stories part, the change made the \
         difference.</p>\n",
        hist.seed
    ));
    // One pair of charts per row: the agreement of both, then the votes of both.
    let sides = [("Baseline", &hist.base), (label.as_str(), &hist.variant)];
    for (what, chart) in [
        (
            "agreement",
            (|r: &OneRun| r.agreement_svg.as_str()) as fn(&OneRun) -> &str,
        ),
        ("votes", |r: &OneRun| r.votes_svg.as_str()),
    ] {
        o.push_str("<div class=\"pair charts\">\n");
        for (name, run) in sides {
            o.push_str(&format!(
                "<div class=\"panel\">\n<h4>{name}: {what}</h4>\n<figure>\n{}\n</figure>\n</div>\n",
                inline_svg(chart(run))
            ));
        }
        o.push_str("</div>\n");
    }
    o.push_str("<div class=\"pair texts\">\n");
    for (name, run) in [("Baseline", &hist.base), (label.as_str(), &hist.variant)] {
        o.push_str(&format!(
            "<div class=\"panel\">\n<h4>{name}: the run in words</h4>\n<pre class=\"run\">{}</pre>\n</div>\n",
            escape(run.text.trim_end())
        ));
    }
    o.push_str("</div>\n");
    if let Some(why) = &s.why {
        let wk = escape(&h.round_label);
        let when = if why.signed {
            format!(
                "{wk} {}, when the baseline's ceasefire was signed",
                why.round
            )
        } else {
            format!(
                "{wk} {}, the last (the baseline signs no ceasefire in this seed)",
                why.round
            )
        };
        o.push_str(&format!(
            "<div class=\"why\">\n<h3>Why: the parties' votes in seed {}, {when}</h3>\n<div class=\"pair\">\n",
            hist.seed
        ));
        for (name, lines) in [("Baseline", &why.base), (label.as_str(), &why.variant)] {
            o.push_str(&format!("<div class=\"panel\">\n<h4>{name}</h4>\n<ul>\n"));
            for line in lines {
                o.push_str(&format!("<li>{}</li>\n", escape(line)));
            }
            o.push_str("</ul>\n</div>\n");
        }
        o.push_str("</div>\n</div>\n");
    }
    o.push_str("</div>\n");
}

fn provenance(o: &mut String, h: &Handout) {
    o.push_str("<section class=\"provenance\">\n<h2>Where these numbers come from</h2>\n");
    o.push_str(&format!(
        "<p>Made by <code>ceasefire</code> {} from the scenarios below ({DISCLAIMER}). Content hashes are FNV-1a 64 \
         of each scenario's text: the same hash, the same scenario.</p>\n",
        escape(&h.version)
    ));
    o.push_str(
        "<table>\n<thead><tr><th>Scenario</th><th>Id</th><th>FNV-1a 64</th></tr></thead>\n<tbody>\n",
    );
    for s in &h.scenarios {
        o.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code class=\"hash\">{:016x}</code></td></tr>\n",
            escape(&s.given),
            escape(&s.id),
            s.hash
        ));
    }
    o.push_str("</tbody>\n</table>\n");
    let last = h.first_seed.saturating_add(h.runs.saturating_sub(1));
    let history_seeds: Vec<String> = h
        .sections
        .iter()
        .map(|s| s.history.seed.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    o.push_str(&format!(
        "<p>Seeds {} to {last} ({} runs of every side, the same seeds for all); the history shown is seed {}.</p>\n",
        h.first_seed,
        h.runs,
        history_seeds.join(", ")
    ));
    o.push_str("<p>Overrides:</p>\n<ul>\n");
    if h.sets.is_empty() && h.sections.iter().all(|s| s.changed.is_empty()) {
        o.push_str("<li>none</li>\n");
    }
    for s in &h.sets {
        o.push_str(&format!(
            "<li>every side: <code>--set {}</code></li>\n",
            escape(s)
        ));
    }
    for s in &h.sections {
        for c in &s.changed {
            o.push_str(&format!(
                "<li>{}: <code>{}</code></li>\n",
                escape(&s.label),
                escape(c)
            ));
        }
    }
    o.push_str("</ul>\n");
    let how = match &h.command_note {
        None => "it gives the same bytes".to_string(),
        Some(note) => escape(note),
    };
    o.push_str(&format!(
        "<p>To make this handout again ({how}; add <code>--out DIR</code> to choose the \
         folder):</p>\n<pre class=\"command\">{}</pre>\n</section>\n",
        command_html(&h.command)
    ));
}

/// The command, each word kept on one line when the line wraps (a word holds no space unless quoted; a quoted one
/// may still wrap at its spaces).
fn command_html(command: &str) -> String {
    command
        .split(' ')
        .map(|w| format!("<span class=\"w\">{}</span>", escape(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number as the CSV files write it (shortest text that reads back the same; empty when undefined).
fn num(v: f64) -> String {
    crate::export::csv::num(v)
}

fn percent(p: f64) -> String {
    if p.is_finite() {
        format!("{:.1} %", 100.0 * p)
    } else {
        "—".to_string()
    }
}

/// A word for a shell, quoted only when it must be: `'…'` with any `'` written `'\''`.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_carries_no_address() {
        assert_eq!(
            escape("<script>alert(1)</script> & \"x\" 'y'"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
        );
        assert_eq!(
            escape("see https://example.org"),
            "see https&#58;//example.org"
        );
        assert!(
            !inline_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>ftp://x</text></svg>")
                .contains("://")
        );
    }

    #[test]
    fn shell_words_are_quoted_when_they_must_be() {
        assert_eq!(shell_word("astana-2017"), "astana-2017");
        assert_eq!(
            shell_word("actors.IRN.role=observer"),
            "actors.IRN.role=observer"
        );
        assert_eq!(
            shell_word("Iran as observer: actors.IRN.role=observer"),
            "'Iran as observer: actors.IRN.role=observer'"
        );
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
