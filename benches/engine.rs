//! Criterion benchmarks against the README's budgets: one astana-2017 run (≤ 20 µs median), a large scenario
//! (1,000 actors × 7 dimensions × 200 rounds, "well under a second"), the four charts of a run (≤ 0.5 s), and the
//! ensemble path of a 1,000-seed batch.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use ceasefire::engine;
use ceasefire::scenario;
use ceasefire::world::World;

fn astana(c: &mut Criterion) {
    let sc = scenario::load_path("astana-2017", &[]).expect("bundled scenario");
    let mut seed = 0u64;
    c.bench_function("astana-2017 one run (draws + 50 rounds)", |b| {
        b.iter(|| {
            seed = seed.wrapping_add(1);
            black_box(engine::run(&sc, black_box(seed)))
        })
    });
    let mut workspace = engine::Workspace::default();
    c.bench_function("astana-2017 one run, lean recording (as in batch)", |b| {
        b.iter(|| {
            seed = seed.wrapping_add(1);
            black_box(engine::outcome_in(&mut workspace, &sc, black_box(seed)))
        })
    });
    c.bench_function("astana-2017 draws only", |b| {
        b.iter(|| {
            seed = seed.wrapping_add(1);
            black_box(World::draw(&sc, black_box(seed)))
        })
    });
}

/// A scenario with `n` voters (guarantors, observers, two parties) over the seven Astana dimensions.
fn large_scenario(n: usize, rounds: u32) -> String {
    let base = scenario::bundled::text("astana-2017").expect("bundled");
    let cut = base.find("\n# Russia").expect("actors");
    let end = base.find("\n# Patron links").expect("links");
    let mut s = base[..cut].replace("rounds = 50", &format!("rounds = {rounds}"));
    let actors = &base[cut..end];
    s.push_str(actors);
    let dims = [
        "scope",
        "carveout",
        "monitoring",
        "humanitarian",
        "detainees",
        "transition",
        "kurds",
    ];
    for i in 0..n.saturating_sub(10) {
        let q = (i % 97) as f64 / 96.0;
        let ideal: Vec<String> = dims
            .iter()
            .map(|d| format!("{d} = {{ dist = \"normal\", mean = {q}, sd = 0.05 }}"))
            .collect();
        let sal: Vec<String> = dims.iter().map(|d| format!("{d} = 0.5")).collect();
        s.push_str(&format!(
            "\n[[actors]]\nid = \"X{i}\"\nrole = \"observer\"\nside = \"{}\"\nvoice = 0.1\ncapability = {{ dist = \"uniform\", low = 0.01, high = 0.05 }}\nideal = {{ {} }}\nsalience = {{ {} }}\nhurt = {{ initial = 0.02, growth = 0.003 }}\n",
            if i % 2 == 0 { "gov" } else { "opp" },
            ideal.join(", "),
            sal.join(", ")
        ));
    }
    s.push_str(&base[end..]);
    s
}

fn large(c: &mut Criterion) {
    let text = large_scenario(1000, 200);
    let sc = scenario::load_source("large.toml", &text, &[]).expect("large scenario");
    assert_eq!(sc.actors.len(), 1000);
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    group.bench_function("1000 actors x 7 dimensions x 200 rounds", |b| {
        b.iter(|| black_box(engine::run(&sc, 1)))
    });
    group.finish();
}

fn charts(c: &mut Criterion) {
    let sc = scenario::load_path("astana-2017", &[]).expect("bundled scenario");
    let trace = engine::run(&sc, 20170504);
    let summary = ceasefire::summary::Summary::new(&sc, &trace);
    let view = ceasefire::export::RunView {
        scenario: &sc,
        trace: &trace,
        summary: &summary,
    };
    let files = ceasefire::export::run_files(&view).expect("run files");
    let text = |n: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|f| f.name == n)
                .expect("file")
                .bytes
                .clone(),
        )
        .expect("utf8")
    };
    let data = ceasefire::chart::RunData::parse(
        &text("rounds.csv"),
        &text("actors.csv"),
        &text("events.csv"),
        &text("summary.json"),
        &text("drawn.toml"),
    )
    .expect("run data");
    let mut group = c.benchmark_group("charts");
    group.sample_size(10);
    group.bench_function("four charts of one run, PNG + SVG, 1600x900", |b| {
        b.iter(|| black_box(ceasefire::chart::run_charts(&data, (1600, 900)).expect("charts")))
    });
    group.finish();
}

/// The ensemble path of `batch` without the process around it: 1,000 seeds on every core, gathered in seed order
/// into bands (the README's budget is for the whole process; this isolates the library's part).
fn ensemble(c: &mut Criterion) {
    let sc = scenario::load_path("astana-2017", &[]).expect("bundled scenario");
    let variants = [sc];
    let rounds = variants[0].simulation.rounds as usize;
    let mut group = c.benchmark_group("ensemble");
    group.sample_size(10);
    group.bench_function("1000 astana-2017 seeds, all cores, into bands", |b| {
        b.iter(|| {
            let mut bands = ceasefire::ensemble::Bands::new(rounds);
            ceasefire::ensemble::sweep(&variants, 20170504, 1000, 0, |outcomes| {
                bands.add(&outcomes[0]);
                Ok(())
            })
            .expect("sweep");
            black_box(bands)
        })
    });
    group.finish();
}

/// The computation of a live "change one thing" view: the baseline and a variant (Iran as observer) over the same
/// 1,000 seeds, with their bands, the paired difference and its sentence (budget: 100 ms on this 2-core machine).
fn explore(c: &mut Criterion) {
    let base = scenario::load_path("astana-2017", &[]).expect("bundled scenario");
    let variant = scenario::load_path("astana-2017", &["actors.IRN.role=observer".to_string()])
        .expect("variant");
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut group = c.benchmark_group("explore");
    group.sample_size(10);
    group.bench_function("baseline and variant, 1000 seeds, all cores", |b| {
        b.iter(|| {
            let e = ceasefire::explore::explore(&base, &variant, 20170504, 1000, &never)
                .expect("not cancelled");
            black_box(e.sentence("Iran as observer", "week"))
        })
    });
    let q = ceasefire::classroom::Question::new(
        &scenario::resolve("astana-2017").expect("bundled"),
        None,
        Some("Iran as observer"),
        &["actors.IRN.role=observer".to_string()],
        None,
        1000,
    )
    .expect("question");
    let e =
        ceasefire::explore::explore(&q.base, &q.variant, q.first_seed, 1000, &never).expect("run");
    group.bench_function(
        "drawing the answer: bands.csv of both, three SVG charts",
        |b| b.iter(|| black_box(ceasefire::classroom::answer_of(&q, &e).expect("answer"))),
    );
    group.finish();
}

/// The request path of a live answer in `ceasefire serve`: one GET /api/answer over loopback (Iran as observer,
/// 1,000 seeds of both sides: validation, both ensembles, three SVG charts, JSON), to a server in this process.
/// Budget: 100 ms on this 2-core machine.
fn serve(c: &mut Criterion) {
    use std::io::{Read, Write};
    let app = std::sync::Arc::new(ceasefire::serve::App::new(None, 1000).expect("app"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            listener.set_nonblocking(true).expect("nonblocking");
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, ceasefire::serve::router(app))
                .await
                .expect("serve");
        });
    });
    let mut seed = 0u64;
    let mut group = c.benchmark_group("serve");
    group.sample_size(20);
    group.bench_function("GET /api/answer, Iran as observer, 1000 seeds of both", |b| {
        b.iter(|| {
            // A new first seed each time, as a teacher's next question would be (nothing is cached).
            seed += 1;
            let mut s = std::net::TcpStream::connect(addr).expect("connect");
            write!(
                s,
                "GET /api/answer?changes=actors.IRN.role%3Dobserver&label=Iran&runs=1000&seed={seed} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            .expect("send");
            let mut out = Vec::new();
            s.read_to_end(&mut out).expect("read");
            assert!(out.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&out));
            black_box(out.len())
        })
    });
    group.finish();
}

/// Experiments: design points × seeds at the batch rate (budget: ≥ 40,000 astana-2017 runs a second on this 2-core
/// machine), and the whole Sobol analysis of `experiments/astana-baseline.toml` (8 factors and the dummy, N = 256
/// base rows, 200 seeds a point: 2,816 points, 563,200 runs; budget: about 15 s).
fn experiments(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("experiments/astana-baseline.toml");
    let exp = ceasefire::experiment::load(file.to_str().expect("utf-8 path")).expect("experiment");
    let mut group = c.benchmark_group("experiments");
    group.sample_size(10);
    // 64 design points of the baseline experiment's Sobol design × 200 seeds = 12,800 runs.
    let unit = ceasefire::app::sensitivity::unit_design(
        &exp,
        ceasefire::app::sensitivity::Method::Sobol,
        8,
    )
    .expect("design");
    let points = ceasefire::app::sensitivity::design_points(&exp, &unit[..64]);
    group.throughput(criterion::Throughput::Elements(
        points.len() as u64 * exp.seeds,
    ));
    group.bench_function("64 design points x 200 seeds, all cores", |b| {
        b.iter(|| {
            black_box(
                ceasefire::experiment::evaluate(&exp, &points, 0, &|_, _| {}).expect("evaluate"),
            )
        })
    });
    let out = tempfile::tempdir().expect("temporary folder");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(120));
    group.throughput(criterion::Throughput::Elements(256 * 11 * exp.seeds));
    group.bench_function(
        "sobol, 8 factors, N = 256, 200 seeds a point, files without charts",
        |b| {
            b.iter(|| {
                ceasefire::app::sensitivity::sensitivity(
                    &ceasefire::app::sensitivity::SensitivityOptions {
                        experiment: file.to_string_lossy().into_owned(),
                        method: ceasefire::app::sensitivity::Method::Sobol,
                        samples: Some(256),
                        threads: 0,
                        shard: None,
                        output: ceasefire::app::Output {
                            out: out.path().to_path_buf(),
                            charts: false,
                            size: (1600, 900),
                        },
                    },
                    &|_, _| {},
                )
                .expect("sensitivity")
            })
        },
    );
    group.finish();
}

criterion_group!(
    benches,
    astana,
    large,
    charts,
    ensemble,
    explore,
    serve,
    experiments
);
criterion_main!(benches);
