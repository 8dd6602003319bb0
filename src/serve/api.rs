//! The explorer's API. Every endpoint is a GET whose query holds the page's whole state (the same query as the
//! page's own address, so a bookmark is a request): `scenario`, `start` (the variant's scenario before its changes;
//! the baseline when absent), `changes` (overrides separated by `;`, as in `--vary`), `label`, `runs`, `seed`;
//! `run_seed` for one history; `client`, so that a client's newer answer cancels its older one.
//!
//! A bad request gets a 4xx and `{"error": …, "issues": [{"path", "message"}]}`, the validator's own words.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::App;
use crate::classroom::{self, Question};
use crate::error::Error;
use crate::scenario::ScenarioError;

/// How long a request waits for a free computation before it is refused (503).
pub const WAIT: Duration = Duration::from_secs(20);

/// The longest `client` id the page sends.
const MAX_CLIENT: usize = 64;

/// The page's state, as its address and every request carry it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    pub scenario: Option<String>,
    pub start: Option<String>,
    pub changes: Option<String>,
    pub label: Option<String>,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub run_seed: Option<u64>,
    pub week: Option<u32>,
    pub actor: Option<String>,
    pub side: Option<String>,
    pub client: Option<String>,
}

/// The cancel flags of the answers being computed, by client: a client's newer answer sets its older one's flag.
#[derive(Default)]
pub struct Clients(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Clients {
    fn start(&self, client: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        if let Ok(mut map) = self.0.lock()
            && let Some(old) = map.insert(client.to_string(), flag.clone())
        {
            old.store(true, Ordering::Relaxed);
        }
        flag
    }

    fn finish(&self, client: &str, flag: &Arc<AtomicBool>) {
        if let Ok(mut map) = self.0.lock()
            && map.get(client).is_some_and(|f| Arc::ptr_eq(f, flag))
        {
            map.remove(client);
        }
    }
}

/// Sets the flag when dropped: when the client goes away, the server drops the request's future and with it this,
/// and the computation stops at its next look at the flag.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A refusal on its way out (boxed: a response is large).
type Refused = Box<Response>;

/// A refusal: `status` and `{"error": message, "issues": []}`.
pub fn refuse(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message, "issues": [] }))).into_response()
}

/// A library error as a 4xx (the user's to fix) or a 500.
fn refuse_error(e: &Error) -> Response {
    let status = match e.exit_code() {
        2 => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let issues: Vec<Value> = match e {
        Error::Scenario(ScenarioError::Override { text, message }) => {
            let path = text
                .trim_start_matches("--set ")
                .split('=')
                .next()
                .unwrap_or("")
                .trim();
            vec![json!({ "path": path, "message": message })]
        }
        Error::Scenario(s) => s
            .issues()
            .iter()
            .map(|i| json!({ "path": i.path, "message": i.message() }))
            .collect(),
        _ => Vec::new(),
    };
    (
        status,
        Json(json!({ "error": crate::input::visible(&e.to_string()), "issues": issues })),
    )
        .into_response()
}

fn query(q: std::result::Result<Query<Ask>, QueryRejection>) -> std::result::Result<Ask, Refused> {
    q.map(|Query(a)| a).map_err(|e| {
        Box::new(refuse(
            StatusCode::BAD_REQUEST,
            e.body_text()
                .replace("Failed to deserialize query string: ", "bad request: "),
        ))
    })
}

/// The overrides of a request's `changes`, separated by `;` as in `--vary`.
fn changes_of(a: &Ask) -> Vec<String> {
    a.changes
        .as_deref()
        .map(|c| {
            crate::scenario::overrides::split_vary(c)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The question a request asks (scenario, start, changes, label, seeds), checked as `compare` checks its own.
fn question(app: &App, a: &Ask, runs: u64) -> std::result::Result<Question, Refused> {
    let pick = |name: &str| {
        app.find(name).ok_or_else(|| {
            let names: Vec<&str> = app.sources.iter().map(|s| s.name.as_str()).collect();
            let hint = crate::scenario::error::closest(name, names.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Box::new(refuse(
                StatusCode::BAD_REQUEST,
                format!(
                    "no scenario `{}` here{hint}; this explorer offers {}",
                    crate::input::visible(name),
                    names.join(", ")
                ),
            ))
        })
    };
    let base = pick(a.scenario.as_deref().unwrap_or(&app.default))?;
    let start = a
        .start
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(pick)
        .transpose()?;
    let sets = changes_of(a);
    Question::new(
        &base.source,
        start.map(|s| &s.source),
        a.label.as_deref(),
        &sets,
        a.seed,
        runs,
    )
    .map_err(|e| Box::new(refuse_error(&e)))
}

/// The query of a request and the question it asks, with `runs(ask)` seeds.
fn asked(
    app: &App,
    q: std::result::Result<Query<Ask>, QueryRejection>,
    runs: impl FnOnce(&Ask) -> u64,
) -> std::result::Result<(Ask, Question), Refused> {
    let a = query(q)?;
    let q = question(app, &a, runs(&a))?;
    Ok((a, q))
}

/// A file to save: its type, its name and its bytes.
fn attachment(content_type: &str, file: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Wait for a free computation, then run `work` on a blocking thread.
async fn compute<T: Send + 'static>(
    app: &App,
    heavy: bool,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::result::Result<T, Refused> {
    // Answers and handouts (many seeds) and one-seed work (a history, a why) wait in separate queues, so that a
    // click on Why? never waits behind ensembles.
    let queue = if heavy { &app.computing } else { &app.light };
    let permit = tokio::time::timeout(WAIT, queue.clone().acquire_owned())
        .await
        .map_err(|_| {
            Box::new(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the explorer is busy with {} other answers; try again in a moment",
                    super::MAX_COMPUTING
                ),
            ))
        })?
        .map_err(|_| {
            Box::new(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is stopping".into(),
            ))
        })?;
    let out = tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|e| {
        Box::new(refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the computation failed: {e}"),
        ))
    })?;
    Ok(out)
}

/// `GET /api/scenarios`: the scenarios offered, the default one and the default seeds.
pub async fn scenarios(State(app): State<Arc<App>>) -> Response {
    let list: Vec<Value> = app
        .sources
        .iter()
        .map(|s| json!({ "name": s.name, "title": s.title, "bundled": s.bundled }))
        .collect();
    Json(json!({
        "scenarios": list,
        "default": app.default,
        "runs": app.runs,
        "max_runs": classroom::MAX_RUNS,
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

/// `GET /api/controls?scenario=…[&start=…]`: the controls of the variant's scenario before its changes, with the
/// values it gives them.
pub async fn controls(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let a = match query(q) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let name = a
        .start
        .as_deref()
        .filter(|s| !s.is_empty())
        .or(a.scenario.as_deref())
        .unwrap_or(&app.default)
        .to_string();
    let Some(offered) = app.find(&name) else {
        return question(&app, &a, 1).err().map_or_else(
            || refuse(StatusCode::BAD_REQUEST, "no such scenario".into()),
            |r| *r,
        );
    };
    let text = &offered.source.text;
    let written = match crate::scenario::load_source(&offered.source.name, text, &[]) {
        Ok(sc) => super::controls::controls(&sc, text),
        Err(e) => return refuse_error(&e.into()),
    };
    // With the page's changes, each control also carries the variant's value (`now`); changes the validator refuses
    // leave the controls as written (the answer shows the message).
    let sets = changes_of(&a);
    let variant = (!sets.is_empty())
        .then(|| {
            let mut doc: toml::Table = toml::from_str(text).ok()?;
            for set in &sets {
                let ov = crate::scenario::overrides::parse(set).ok()?;
                crate::scenario::overrides::apply(&mut doc, &ov).ok()?;
            }
            let sc = crate::scenario::load_source(&offered.source.name, text, &sets).ok()?;
            Some(super::controls::controls_of(&sc, &doc))
        })
        .flatten();
    match variant {
        Some(v) => Json(super::controls::with_changes(&written, v)).into_response(),
        None => Json(written).into_response(),
    }
}

/// `GET /api/answer?…`: both sides over the seeds: the sentence, the numbers and three SVG charts. A newer answer
/// for the same `client` cancels this one (409).
pub async fn answer(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let a = match query(q) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let client = a.client.clone().unwrap_or_default();
    if client.len() > MAX_CLIENT
        || !client
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("`client` is 0 to {MAX_CLIENT} letters, digits or '-'"),
        );
    }
    let q = match question(&app, &a, a.runs.unwrap_or(app.runs)) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    let flag = if client.is_empty() {
        Arc::new(AtomicBool::new(false))
    } else {
        app.clients.start(&client)
    };
    let _cancel_if_gone = CancelOnDrop(flag.clone());
    let started = Instant::now();
    let work_flag = flag.clone();
    let result = compute(&app, true, move || {
        classroom::answer(&q, &work_flag).map(|a| (q, a))
    })
    .await;
    if !client.is_empty() {
        app.clients.finish(&client, &flag);
    }
    match result {
        Err(r) => *r,
        Ok(Err(e)) => refuse_error(&e),
        Ok(Ok((_, None))) => refuse(
            StatusCode::CONFLICT,
            "superseded by a newer request of the same page".into(),
        ),
        Ok(Ok((q, Some(answer)))) => Json(json!({
            "sentence": answer.sentence,
            "label": q.label,
            "seeds": answer.seeds,
            "round_label": q.base.simulation.round_label,
            "rounds": q.base.simulation.rounds,
            "base": answer.base,
            "variant": answer.variant,
            "delta": answer.delta,
            "charts": {
                "reached": answer.reached_svg,
                "fan_base": answer.fan_base_svg,
                "fan_variant": answer.fan_variant_svg,
            },
            "ms": started.elapsed().as_secs_f64() * 1000.0,
        }))
        .into_response(),
    }
}

/// `GET /api/history?…&run_seed=N`: seed N of both sides, their agreement and votes charts and summaries.
pub async fn history(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let (a, q) = match asked(&app, q, |_| 1) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let seed = a.run_seed.unwrap_or(q.first_seed);
    let result = compute(&app, false, move || classroom::one_history(&q, seed)).await;
    match result {
        Err(r) => *r,
        Ok(Err(e)) => refuse_error(&e),
        Ok(Ok(h)) => {
            let side = |r: &classroom::OneRun| {
                json!({
                    "agreement": r.agreement_svg,
                    "votes": r.votes_svg,
                    "text": r.text,
                    "ceasefire_round": r.ceasefire_round,
                })
            };
            Json(json!({ "seed": h.seed, "base": side(&h.base), "variant": side(&h.variant) }))
                .into_response()
        }
    }
}

/// `GET /api/why?…&run_seed=N&week=W&actor=ID&side=base|variant`: why that actor voted as it did in week W of seed
/// N, in plain words from the numbers the engine used.
pub async fn why(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let (a, q) = match asked(&app, q, |_| 1) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let sc = match a.side.as_deref() {
        None | Some("base" | "baseline") => q.base,
        Some("variant") => q.variant,
        Some(other) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!(
                    "`side` is `base` or `variant`, found `{}`",
                    crate::input::visible(other)
                ),
            );
        }
    };
    let seed = a.run_seed.unwrap_or(q.first_seed);
    let (Some(week), Some(actor)) = (a.week, a.actor) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!(
                "a why needs a {} (`week`) and an actor (`actor`)",
                sc.simulation.round_label
            ),
        );
    };
    let result = compute(&app, false, move || {
        crate::why::why(&sc, seed, week, &actor)
    })
    .await;
    match result {
        Err(r) => *r,
        Ok(Err(e @ crate::why::WhyError::TraceMismatch(_))) => {
            refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        }
        Ok(Err(e)) => refuse(StatusCode::BAD_REQUEST, e.to_string()),
        Ok(Ok(w)) => Json(json!({
            "sentence": w.sentence,
            "actor": w.actor,
            "round": w.round,
            "seed": seed,
            "utility": w.utility,
            "aspiration": w.aspiration,
            "reservation": w.reservation,
            "commitment_risk": w.commitment_risk,
            "win_probability": w.win_probability,
            "patrons_accepted": w.patrons_accepted,
        }))
        .into_response(),
    }
}

/// `GET /api/report?…`: the handout of this view, as `ceasefire report` writes it, to save.
pub async fn report(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let (a, q) = match asked(&app, q, |a| a.runs.unwrap_or(app.runs)) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let pick = |name: &str| {
        app.find(name)
            .map(|o| (o.name.clone(), o.source.text.clone()))
    };
    let Some(base) = pick(a.scenario.as_deref().unwrap_or(&app.default)) else {
        return refuse(StatusCode::BAD_REQUEST, "no such scenario".into());
    };
    let start = a.start.as_deref().filter(|s| !s.is_empty()).and_then(pick);
    let changes = q.variant.overrides.clone();
    let label = a.label.clone().filter(|l| !l.trim().is_empty());
    // The first seed's history, as `ceasefire report` shows, so that the handout's command makes the same page.
    let seed = q.first_seed;
    let result = compute(&app, true, move || {
        crate::app::report::explorer_handout(&crate::app::report::ExplorerView {
            question: &q,
            base: (&base.0, &base.1),
            start: start.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            changes: &changes,
            label: label.as_deref().map(str::trim),
            history_seed: seed,
        })
    })
    .await;
    match result {
        Err(r) => *r,
        Ok(Err(e)) => refuse_error(&e),
        Ok(Ok((file, page))) => attachment("text/html; charset=utf-8", &file, page),
    }
}

/// `GET /api/scenario.toml?…`: the variant as a scenario file that `ceasefire run` accepts and reproduces exactly
/// (its changes applied, its name in `meta.variant`, so that its runs go to the variant's own folders).
pub async fn scenario_toml(
    State(app): State<Arc<App>>,
    q: std::result::Result<Query<Ask>, QueryRejection>,
) -> Response {
    let (_, q) = match asked(&app, q, |_| 1) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut variant = q.variant;
    if variant.label.is_none() && !variant.overrides.is_empty() {
        variant.label = Some(crate::scenario::unnamed_variant(&variant.overrides));
    }
    let mut text = format!(
        "# {} — a variant made in the classroom explorer (ceasefire {}); teaching defaults, not a forecast.\n",
        crate::input::visible(&variant.meta.title),
        env!("CARGO_PKG_VERSION")
    );
    if !variant.overrides.is_empty() {
        text.push_str(&format!(
            "# Changed from the scenario as written (already applied below): {}\n",
            crate::input::visible(&variant.overrides.join("; "))
        ));
    }
    text.push_str(&crate::scenario::write::to_toml(&variant, None));
    let file = format!(
        "{}{}.toml",
        variant.meta.id,
        crate::app::variant::folder_suffix(&variant)
    );
    attachment("application/toml; charset=utf-8", &file, text)
}
