//! `ceasefire serve` over HTTP: every endpoint, bad and hostile requests, the limits, concurrent clients; the server
//! stays up through all of them.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use support::server::{Server, enc};

const IRAN: &str =
    "scenario=astana-2017&changes=actors.IRN.role%3Dobserver&label=Iran%20as%20observer";

fn still_up(s: &Server) {
    let (status, body) = s.json("/api/scenarios");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_page_and_its_assets_are_served_from_the_binary_with_no_outside_reference() {
    let s = Server::start(&[]);
    assert!(
        s.banner
            .starts_with("The classroom explorer is at http://127.0.0.1:"),
        "{}",
        s.banner
    );
    for (path, kind) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/fonts/DejaVuSans.ttf", "font/ttf"),
        ("/fonts/DejaVuSans-Bold.ttf", "font/ttf"),
    ] {
        let (status, head, body) = s.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.to_lowercase()
                .contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
        assert!(
            head.to_lowercase()
                .contains("content-security-policy: default-src 'self'"),
            "{head}"
        );
        if !path.ends_with(".ttf") {
            assert!(
                !body.contains("http://") && !body.contains("https://"),
                "{path} refers outside"
            );
        }
    }
    let (status, _, body) = s.get("/nothing/here");
    assert_eq!(status, 404);
    assert!(body.contains("the explorer is at /"), "{body}");
}

#[test]
fn scenarios_and_controls_come_from_the_bundle_and_the_registry() {
    let s = Server::start(&[]);
    let (status, list) = s.json("/api/scenarios");
    assert_eq!(status, 200);
    let names: Vec<&str> = list["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ceasefire::scenario::bundled::names());
    assert_eq!(list["default"], "astana-2017");
    assert_eq!(list["runs"], 1000);
    let (status, c) = s.json("/api/controls?scenario=astana-2017");
    assert_eq!(status, 200);
    let paths: Vec<&str> = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["controls"].as_array().unwrap())
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    for want in [
        "actors.IRN.role",
        "actors.GOV.commitment_risk",
        "simulation.rounds",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    assert_eq!(c["events"][0]["off"], "events.0.round=4294967295");
    assert!(
        !paths.contains(&"actors.GOV.discount"),
        "discount matters only in alternating offers"
    );
    assert!(!paths.contains(&"simulation.zeuthen_step"));
    // With a change, each control shows the variant's value (`now`) beside the value as written: an observer's voice
    // follows its role.
    let (status, c) =
        s.json("/api/controls?scenario=astana-2017&changes=actors.IRN.role%3Dobserver");
    assert_eq!(status, 200);
    let iran = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["actor"] == "IRN")
        .unwrap();
    assert!(
        iran["heading"].as_str().unwrap().contains("observer"),
        "{iran}"
    );
    let voice = iran["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "voice")
        .unwrap();
    assert_eq!(
        (voice["value"].as_f64(), voice["now"].as_f64()),
        (Some(1.0), Some(0.25)),
        "{voice}"
    );
}

#[test]
fn an_answer_is_what_the_library_computes_for_the_same_seeds() {
    let s = Server::start(&[]);
    let (status, a) = s.json(&format!("/api/answer?{IRAN}&runs=400&seed=11"));
    assert_eq!(status, 200, "{a}");
    let base = support::astana(&[]);
    let variant = support::astana(&["actors.IRN.role=observer"]);
    let e = ceasefire::explore::explore(&base, &variant, 11, 400, &AtomicBool::new(false)).unwrap();
    assert_eq!(a["sentence"], e.sentence("Iran as observer", "week"));
    assert_eq!(a["seeds"], "400 seeds, 11..410");
    let p = a["base"]["p_reached"].as_array().unwrap();
    assert_eq!(p[0].as_f64().unwrap(), e.base.p_reached_ci().0);
    for chart in ["reached", "fan_base", "fan_variant"] {
        let svg = a["charts"][chart].as_str().unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }
    // One history of both sides, the same seed.
    let (status, h) = s.json(&format!("/api/history?{IRAN}&run_seed=20170504"));
    assert_eq!(status, 200, "{h}");
    assert_eq!(h["base"]["ceasefire_round"], 19);
    assert!(h["variant"]["votes"].as_str().unwrap().starts_with("<svg"));
    // Why, from the numbers the engine used: the library's sentence for the same run.
    let (status, w) = s.json(&format!(
        "/api/why?{IRAN}&run_seed=20170504&week=12&actor=GOV"
    ));
    assert_eq!(status, 200, "{w}");
    let want = ceasefire::why::why(&base, 20170504, 12, "GOV").unwrap();
    assert_eq!(w["sentence"], want.sentence);
    assert!(
        w["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Syrian government (GOV) rejects in week 12")
    );
    let (status, w) = s.json(&format!(
        "/api/why?{IRAN}&run_seed=20170504&week=12&actor=IRN&side=variant"
    ));
    assert_eq!(status, 200, "{w}");
    assert_eq!(
        w["sentence"],
        ceasefire::why::why(&variant, 20170504, 12, "IRN")
            .unwrap()
            .sentence
    );
    for (query, says) in [
        ("week=0&actor=GOV", "week"),
        ("week=51&actor=GOV", "51"),
        ("week=3&actor=GVO", "GOV"),
        ("week=3&actor=KAZ", "never votes"),
        ("week=3", "actor"),
        (
            "week=3&actor=GOV&side=other",
            "`side` is `base` or `variant`",
        ),
    ] {
        let (status, e) = s.json(&format!("/api/why?{IRAN}&{query}"));
        assert_eq!(status, 400, "{query}: {e}");
        assert!(e["error"].as_str().unwrap().contains(says), "{query}: {e}");
    }
}

#[test]
fn the_downloaded_variant_runs_as_the_variant_into_its_own_folder() {
    let s = Server::start(&[]);
    let (status, head, toml) = s.get(&format!("/api/scenario.toml?{IRAN}"));
    assert_eq!(status, 200);
    assert!(
        head.contains("filename=\"astana-2017--iran-as-observer.toml\""),
        "{head}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.toml");
    std::fs::write(&file, &toml).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args([
            "run",
            file.to_str().unwrap(),
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args([
            "run",
            "astana-2017",
            "--set",
            "actors.IRN.role=observer",
            "--no-charts",
        ])
        .args([
            "--label",
            "Iran as observer",
            "--out",
            dir.path().join("cli").to_str().unwrap(),
        ])
        .assert()
        .success();
    let folder = "astana-2017/seed-20170504--iran-as-observer";
    for table in ["rounds.csv", "actors.csv", "events.csv"] {
        let a = std::fs::read(out.join(folder).join(table)).unwrap();
        let b = std::fs::read(dir.path().join("cli").join(folder).join(table)).unwrap();
        assert!(
            a == b,
            "{table} differs between the download and the command line"
        );
    }
    assert!(
        !out.join("astana-2017/seed-20170504").exists(),
        "the baseline's folder was written"
    );
}

#[test]
fn a_bad_value_gets_the_validators_message_for_its_field() {
    let s = Server::start(&[]);
    let (status, e) = s.json("/api/answer?changes=actors.GOV.commitment_risk%3D2");
    assert_eq!(status, 400);
    assert_eq!(e["issues"][0]["path"], "actors.GOV.commitment_risk");
    assert!(
        e["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected a number in [0, 1], found 2"),
        "{e}"
    );
    let (status, e) = s.json("/api/answer?changes=actors.GVO.role%3Dobserver");
    assert_eq!(status, 400);
    assert!(
        e["error"].as_str().unwrap().contains("GOV"),
        "a suggestion: {e}"
    );
    let (status, e) = s.json("/api/answer?changes=actors.IRN.role%3Dking");
    assert_eq!(status, 400, "{e}");
    still_up(&s);
}

#[test]
fn hostile_and_malformed_requests_get_a_4xx_and_the_server_stays_up() {
    let s = Server::start(&[]);
    let cases: Vec<(String, u16, &str)> = vec![
        (
            "/api/answer?scenario=..%2F..%2Fetc%2Fpasswd".into(),
            400,
            "no scenario",
        ),
        (
            "/api/answer?scenario=%2Fetc%2Fpasswd".into(),
            400,
            "no scenario",
        ),
        (
            "/api/answer?scenario=astana-2071".into(),
            400,
            "did you mean `astana-2017`",
        ),
        ("/api/answer?start=x.toml".into(), 400, "no scenario"),
        ("/api/answer?bogus=1".into(), 400, "unknown field `bogus`"),
        ("/api/answer?runs=0".into(), 400, "between 1 and 10000"),
        ("/api/answer?runs=10001".into(), 400, "between 1 and 10000"),
        ("/api/answer?runs=-5".into(), 400, "runs"),
        ("/api/answer?runs=abc".into(), 400, "runs"),
        (
            "/api/answer?seed=18446744073709551615&runs=2".into(),
            400,
            "past the largest seed",
        ),
        (
            "/api/answer?changes=simulation.rounds%3D5000&runs=1000".into(),
            400,
            "one live answer may simulate",
        ),
        (
            "/api/answer?changes=simulation.rounds%3D100000&runs=1".into(),
            400,
            "10000 rounds",
        ),
        (
            format!("/api/answer?label={}", enc("a\u{7}b")),
            400,
            "label",
        ),
        (
            format!("/api/answer?label={}", "x".repeat(61)),
            400,
            "label",
        ),
        (
            format!("/api/answer?client={}", enc("<script>")),
            400,
            "client",
        ),
        ("/api/answer?changes=%3B%3B%3D%3D".into(), 400, ""),
        (
            "/api/answer?changes=meta.id%3D%22..%2F..%2Fx%22".into(),
            400,
            "",
        ),
        ("/api/history?run_seed=-1".into(), 400, "run_seed"),
        (
            format!("/api/answer?changes={}", "x".repeat(20_000)),
            414,
            "at most 16384",
        ),
    ];
    for (path, status, says) in &cases {
        let (got, _, body) = s.get(path);
        assert_eq!(got, *status, "{path}: {body}");
        assert!(body.contains(says), "{path}: {body}");
        let v: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"));
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{path}: {body}"
        );
    }
    // What no page sends.
    let (status, _, body) = s.raw(b"POST /api/answer HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assert_eq!(status, 405, "{body}");
    let (status, _, _) = s.raw(b"GET /api/answer HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assert_eq!(status, 413);
    let (status, _, _) = s.raw(b"\x00\x01garbage\r\n\r\n");
    assert!(status == 0 || (400..500).contains(&status), "{status}");
    let (status, _, _) =
        s.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX: \xff\xfe\r\nConnection: close\r\n\r\n");
    assert!(status == 200 || (400..500).contains(&status), "{status}");
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\nConnection: close\r\n\r\n",
        "y".repeat(1 << 20)
    );
    let (status, _, _) = s.raw(huge_header.as_bytes());
    assert!(status == 0 || (400..500).contains(&status), "{status}");
    // A client that connects and says nothing, then leaves.
    drop(std::net::TcpStream::connect(s.addr).unwrap());
    still_up(&s);
}

#[test]
fn scenario_text_is_never_markup_in_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    let text = support::astana_text().replace(
        "title = \"Astana talks, 2017\"",
        "title = \"<script>alert(1)</script> & <b>bold</b>\"",
    );
    std::fs::write(&file, text).unwrap();
    let s = Server::start(&[file.to_str().unwrap()]);
    let (_, list) = s.json("/api/scenarios");
    assert_eq!(list["default"], file.to_str().unwrap());
    let (status, a) = s.json(&format!(
        "/api/answer?runs=50&label={}",
        enc("<img src=x onerror=alert(1)>")
    ));
    assert_eq!(status, 200, "{a}");
    for chart in ["reached", "fan_base", "fan_variant"] {
        let svg = a["charts"][chart].as_str().unwrap();
        assert!(
            !svg.contains("<script") && !svg.contains("<b>") && !svg.contains("<img"),
            "{chart}: markup from the scenario"
        );
        assert!(
            svg.contains("&lt;script&gt;"),
            "{chart}: the title is drawn as text"
        );
    }
}

#[test]
fn concurrent_clients_all_get_their_answers() {
    let s = Server::start(&[]);
    let addr = s.addr;
    let threads: Vec<_> = (0..6)
        .map(|i| {
            std::thread::spawn(move || {
                let probe = Server::client(addr);
                probe(&format!("/api/answer?{IRAN}&runs=200&seed={i}&client=c{i}"))
            })
        })
        .collect();
    for t in threads {
        let (status, body) = t.join().unwrap();
        assert_eq!(status, 200, "{body}");
    }
    still_up(&s);
}

#[test]
fn a_newer_answer_for_the_same_page_cancels_the_older() {
    let s = Server::start(&[]);
    let addr = s.addr;
    let slow = std::thread::spawn(move || {
        let probe = Server::client(addr);
        probe(&format!("/api/answer?{IRAN}&runs=10000&client=page1"))
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    let (status, a) = s.json(&format!("/api/answer?{IRAN}&runs=20&client=page1"));
    assert_eq!(status, 200, "{a}");
    let (status, body) = slow.join().unwrap();
    assert_eq!(status, 409, "the older answer was not superseded: {body}");
    assert!(body.contains("superseded"), "{body}");
}

#[test]
fn a_bad_file_stops_the_server_before_it_starts_and_bind_elsewhere_warns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "schema_version = 1\n[meta]\nid = 3\n").unwrap();
    let out = Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["serve", file.to_str().unwrap(), "--port", "0"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("bad.toml"), "{err}");
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args(["serve", "--runs", "0", "--port", "0"])
        .assert()
        .code(2);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ceasefire"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("anyone on this network can use the explorer"),
        "{err}"
    );
    let banner = String::from_utf8_lossy(&output.stdout);
    assert!(banner.contains("http://127.0.0.1:"), "{banner}");
}

#[test]
fn the_handout_button_gives_the_bytes_of_ceasefire_report() {
    let s = Server::start(&[]);
    let (status, head, page) = s.get(&format!("/api/report?{IRAN}&runs=200&seed=5"));
    assert_eq!(status, 200, "{page}");
    assert!(head.contains("text/html"), "{head}");
    assert!(
        head.contains("filename=\"astana-2017--report--iran-as-observer--seed-5-200.html\""),
        "{head}"
    );
    assert!(!page.contains("http://") && !page.contains("https://"));
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("ceasefire")
        .unwrap()
        .args([
            "report",
            "astana-2017",
            "--vary",
            "Iran as observer: actors.IRN.role=observer",
        ])
        .args([
            "--runs",
            "200",
            "--seed",
            "5",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .assert()
        .success();
    let written = std::fs::read_to_string(
        dir.path()
            .join("astana-2017/report--iran-as-observer--seed-5-200.html"),
    )
    .unwrap();
    assert!(
        written == page,
        "the page's handout differs from `ceasefire report`'s"
    );
    let (status, e) = s.json("/api/report?runs=200");
    assert_eq!(status, 400, "nothing changed: {e}");
}

/// Any query on any endpoint gets an answer below 500, JSON with an `error` when refused, and the server stays up.
/// (`runs=3` is appended, so that a generated `runs` makes the request a duplicate-field 400 rather than a long one.)
#[test]
fn any_query_gets_a_4xx_or_an_answer_and_the_server_stays_up() {
    use proptest::prelude::*;
    let s = Server::start(&[]);
    let endpoints = vec![
        "answer",
        "history",
        "why",
        "controls",
        "scenario.toml",
        "report",
        "scenarios",
        "nope",
    ];
    let keys = vec![
        "scenario", "start", "changes", "label", "seed", "run_seed", "week", "actor", "side",
        "client", "x", "",
    ];
    let strategy = (
        proptest::sample::select(endpoints),
        proptest::collection::vec((proptest::sample::select(keys), "[ -~]{0,24}"), 0..5),
    );
    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&strategy, |(endpoint, pairs)| {
        let mut q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        q.push("runs=3".into());
        let path = format!("/api/{endpoint}?{}", q.join("&"));
        let (status, head, body) = s.get(&path);
        prop_assert!((200..500).contains(&status), "{path}: {status} {body}");
        if status >= 400 && head.contains("application/json") {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            prop_assert!(
                v["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{path}: {body}"
            );
        }
        let (status, _) = s.json("/api/scenarios");
        prop_assert_eq!(status, 200);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
