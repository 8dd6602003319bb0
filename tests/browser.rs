//! The classroom explorer in a real browser: Debian's headless Chromium driven through chromedriver (WebDriver) by
//! fantoccini, against a `ceasefire serve` on a free port. Without `/usr/bin/chromium` or `chromedriver` the test is
//! skipped with a message, unless `CI` is set, where it fails.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use support::server::Server;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Long enough for a debug build on a slow machine (1,000 seeds of both sides take ~2.5 s); never a speed check.
const PATIENCE: Duration = Duration::from_secs(60);

// ---- the browser ------------------------------------------------------------------------------------------------

/// `chromedriver` on the PATH (or in /usr/bin), if any.
fn chromedriver_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

/// The chromedriver to use, or None when the test is to be skipped (it panics instead when `CI` is set).
fn browser_or_skip() -> Option<PathBuf> {
    let driver = chromedriver_path();
    if Path::new(CHROMIUM).is_file()
        && let Some(driver) = driver
    {
        return Some(driver);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI is set but the browser test cannot run: {CHROMIUM} or chromedriver is missing; install them with \
             `apt-get install chromium chromium-driver`"
        );
    }
    eprintln!(
        "browser test skipped: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    );
    None
}

/// Whether chromedriver answers `GET /status` with ready (it keeps the connection open after its answer, so this
/// reads only until the answer says so).
fn ready(addr: SocketAddr) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(
        format!("GET /status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .is_err()
    {
        return false;
    }
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&seen).contains("\"ready\":true") {
            return true;
        }
    }
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver as a child process in a process group of its own, with a fresh Chromium profile directory. Dropping
/// it kills chromedriver, every process of its group and every process that uses the profile directory (the browser
/// and its helpers), and waits until they are gone: nothing is left behind, even when a step fails.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        use std::os::unix::process::CommandExt;
        let profile = tempfile::tempdir().expect("a profile directory");
        let port = free_port();
        let log =
            std::fs::File::create(profile.path().join("chromedriver.log")).expect("a log file");
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            port,
            profile,
        };
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let t0 = Instant::now();
        while !ready(addr) {
            assert!(
                t0.elapsed() < PATIENCE,
                "chromedriver did not answer on port {port} within {PATIENCE:?}: {}",
                driver.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromedriver.log")).unwrap_or_default()
    }

    /// The user data directory Chromium is started with (inside the profile directory, so it is fresh).
    fn user_data_dir(&self) -> PathBuf {
        self.profile.path().join("chromium")
    }

    /// A WebDriver session in headless Chromium, at 1600×1000.
    async fn client(&self) -> Client {
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1600,1000".into(),
            format!("--user-data-dir={}", self.user_data_dir().display()),
        ];
        let caps = json!({
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session: {e}\n{}", self.log()));
        // The window is 1600×1000 and then grown by what the browser's frame takes, so that the page itself (and
        // each screenshot) is 1600×1000.
        client
            .set_window_size(1600, 1000)
            .await
            .expect("window size");
        let inner = client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .expect("the viewport");
        let (w, h) = (
            inner[0].as_u64().unwrap_or(1600),
            inner[1].as_u64().unwrap_or(1000),
        );
        if (w, h) != (1600, 1000) {
            client
                .set_window_size(3200 - w as u32, 2000 - h as u32)
                .await
                .expect("window size");
        }
        client
    }

    /// Processes whose command line names this driver's profile directory (Chromium and its helpers).
    fn browser_pids(&self) -> Vec<u32> {
        let needle = self.profile.path().to_string_lossy().into_owned();
        let mut pids = Vec::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline"))
                && String::from_utf8_lossy(&cmdline).contains(&needle)
            {
                pids.push(pid);
            }
        }
        pids
    }
}

fn kill(target: &str) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", target])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group chromedriver leads (its own id), then chromedriver itself, then any browser process that
        // left the group, found by its profile directory.
        kill(&format!("-{}", self.child.id()));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let t0 = Instant::now();
        loop {
            let left = self.browser_pids();
            if left.is_empty() {
                break;
            }
            if t0.elapsed() > Duration::from_secs(10) {
                eprintln!("browser processes still running after 10 s: {left:?}");
                break;
            }
            for pid in left {
                kill(&pid.to_string());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/// Evaluate `script` (a function body that returns a value) until it returns something other than null, false or
/// undefined, and return that; panic with `what` and the last value after PATIENCE.
async fn wait_for(client: &Client, what: &str, script: &str, args: Vec<Value>) -> Value {
    let t0 = Instant::now();
    loop {
        let value = client
            .execute(script, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        if !matches!(value, Value::Null | Value::Bool(false)) {
            return value;
        }
        assert!(
            t0.elapsed() < PATIENCE,
            "waited {PATIENCE:?} for {what}; the page shows: {}",
            page_state(client).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a failing step's message shows: the sentence, the status line, the general error and window.explorer.
async fn page_state(client: &Client) -> String {
    client
        .execute(
            "return JSON.stringify({sentence: document.getElementById('sentence').textContent, \
             status: document.getElementById('status').textContent, \
             error: document.getElementById('general-error').textContent, \
             explorer: window.explorer, url: location.href});",
            vec![],
        )
        .await
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|e| format!("(cannot read the page: {e})"))
}

async fn explorer(client: &Client) -> Value {
    client
        .execute("return window.explorer;", vec![])
        .await
        .expect("window.explorer")
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn sentence(client: &Client) -> String {
    text_of(client, "#sentence").await
}

/// `fetch(href)` inside the page: (status, content type, body).
async fn fetch_in_page(client: &Client, href: &str) -> (u64, String, String) {
    let v = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0]).then(async (r) => done({status: r.status, type: r.headers.get('content-type') || '', \
             body: await r.text()})).catch((e) => done({status: 0, type: '', body: String(e)}));",
            vec![json!(href)],
        )
        .await
        .unwrap_or_else(|e| panic!("fetch {href}: {e}"));
    (
        v["status"].as_u64().unwrap_or(0),
        v["type"].as_str().unwrap_or_default().to_string(),
        v["body"].as_str().unwrap_or_default().to_string(),
    )
}

/// Where screenshots go: `$CARGO_TARGET_DIR/browser-screenshots/`, else `target/browser-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| manifest.join(t))
        .unwrap_or_else(|| manifest.join("target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory");
    dir
}

async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).expect("write the screenshot");
    eprintln!("screenshot: {}", path.display());
    path
}

/// The page loaded: the baseline's sentence and its three charts.
async fn first_answer(client: &Client, addr: SocketAddr, query: &str) {
    client
        .goto(&format!("http://{addr}/{query}"))
        .await
        .expect("load the page");
    wait_for(
        client,
        "the first answer (a sentence and three charts)",
        "const s = document.getElementById('sentence').textContent;\
         return window.explorer && window.explorer.answers >= 1 && s !== 'Loading…' \
           && ['#reached svg', '#fan-base svg', '#fan-variant svg'].every((c) => document.querySelector(c));",
        vec![],
    )
    .await;
}

// ---- the tests --------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_explores_a_variant_in_a_real_browser() {
    let Some(chromedriver) = browser_or_skip() else {
        return;
    };
    let server = Server::start(&[]);
    let driver = Driver::start(&chromedriver);
    let started = Instant::now();
    let client = driver.client().await;
    eprintln!("browser session in {} ms", started.elapsed().as_millis());

    // 1. The page loads and gives the baseline's chance, asking for a change, with its three charts.
    first_answer(&client, server.addr, "").await;
    let before = sentence(&client).await;
    assert!(
        before.replace('\u{a0}', " ").starts_with(
            "Baseline: 79 % [77, 82] chance of a ceasefire within 50 weeks (median week 21)"
        ) && before.ends_with("Change one thing to compare."),
        "{before}"
    );
    let seen = explorer(&client).await;
    assert!(seen["answers"].as_u64().unwrap() >= 1, "{seen}");
    assert_eq!(seen["errors"], json!(0), "{seen}");
    assert!(seen["lastMs"].as_f64().unwrap() > 0.0, "{seen}");
    assert!(seen["lastServerMs"].as_f64().unwrap() > 0.0, "{seen}");
    eprintln!(
        "first answer seen in {:.0} ms (server: {:.0} ms)",
        seen["lastMs"].as_f64().unwrap(),
        seen["lastServerMs"].as_f64().unwrap()
    );

    // 2. Iran becomes an observer: a new answer, a lower chance, the change in the address and in the list.
    let answers = seen["answers"].as_u64().unwrap();
    let role = client
        .find(Locator::Css("#c-actors_IRN_role select"))
        .await
        .expect("Iran's role select");
    let t0 = Instant::now();
    role.select_by_value("observer")
        .await
        .expect("select observer");
    wait_for(
        &client,
        "the answer for Iran as an observer",
        "return window.explorer.answers > arguments[0] \
           && document.getElementById('sentence').textContent !== arguments[1];",
        vec![json!(answers), json!(before)],
    )
    .await;
    let mine = t0.elapsed();
    let iran = sentence(&client).await;
    let change = iran
        .split_once(": ")
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("no change in {iran:?}"));
    assert!(iran.contains("IRN"), "{iran}");
    assert!(
        change.starts_with('−') && change.contains("points"),
        "a lower chance expected: {iran}"
    );
    let seen = explorer(&client).await;
    assert_eq!(seen["errors"], json!(0), "{seen}");
    eprintln!(
        "answer seen in {:.0} ms (the page's own count; server {:.0} ms; {} ms from the change to the new sentence, \
         timed by the test; a test build of ceasefire is unoptimised: the release path's time is `cargo bench \
         --bench engine -- serve`)",
        seen["lastMs"].as_f64().unwrap(),
        seen["lastServerMs"].as_f64().unwrap(),
        mine.as_millis()
    );
    let url = client.current_url().await.expect("the address");
    assert!(url.as_str().contains("changes=actors.IRN.role"), "{url}");
    let changes: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| k == "changes")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(changes, ["actors.IRN.role=observer"], "{url}");
    let list = text_of(&client, "#changes").await;
    assert!(list.contains("role = observer"), "{list}");
    assert!(list.contains("Iran") || list.contains("IRN"), "{list}");
    assert_eq!(text_of(&client, "#change-count").await, "(1)");
    let class = client
        .find(Locator::Css("#c-actors_IRN_role"))
        .await
        .unwrap()
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(class.split(' ').any(|c| c == "changed"), "{class}");

    // 8a. The full view, with a change made.
    wait_for(
        &client,
        "the history charts",
        "return !!document.querySelector('#agreement-base svg') && document.getElementById('run-seed').value !== '';",
        vec![],
    )
    .await;
    screenshot(&client, "full-view.png").await;

    // 3. A value out of range: the message beside the control, the last good answer stays.
    let errors = seen["errors"].as_u64().unwrap();
    let row = "#c-actors_GOV_commitment_risk";
    // GOV's group may be folded (the page opens the first three): open it as a teacher would, by its summary.
    let folded = client
        .execute(
            "return !document.querySelector(arguments[0]).closest('details').open;",
            vec![json!(row)],
        )
        .await
        .unwrap();
    if folded == json!(true) {
        client
            .find(Locator::Css(&format!("details:has({row}) > summary")))
            .await
            .expect("the summary of GOV's group")
            .click()
            .await
            .expect("open GOV's group");
    }
    let number = client
        .find(Locator::Css(&format!("{row} input.number")))
        .await
        .expect("GOV's commitment risk box");
    number.clear().await.expect("clear");
    number.send_keys("2").await.expect("type 2");
    client
        .execute(
            "arguments[0].dispatchEvent(new Event('change'));",
            vec![serde_json::to_value(&number).unwrap()],
        )
        .await
        .expect("fire change");
    let message = wait_for(
        &client,
        "the message beside GOV's commitment risk",
        "const e = document.querySelector(arguments[0] + ' .error');\
         return e && !e.hidden && e.offsetParent !== null && e.textContent.includes('expected a number in [0, 1]') \
           && window.explorer.errors > arguments[1] && e.textContent;",
        vec![json!(row), json!(errors)],
    )
    .await;
    assert!(message.as_str().unwrap().contains("found 2"), "{message}");
    assert!(
        client
            .find(Locator::Css(&format!("{row} .error")))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "the message is not displayed"
    );
    assert_eq!(sentence(&client).await, iran, "the last good answer stays");
    screenshot(&client, "bad-value.png").await;
    let status = text_of(&client, "#status").await;
    assert!(status.starts_with("not run"), "{status}");
    let url = client.current_url().await.unwrap();
    assert!(url.as_str().contains("actors.GOV.commitment_risk"), "{url}");

    // 4. Reset it: the message goes, Iran's change stays and is answered again.
    let answers = explorer(&client).await["answers"].as_u64().unwrap();
    client
        .find(Locator::Css(&format!("{row} .reset")))
        .await
        .expect("the reset button")
        .click()
        .await
        .expect("click reset");
    wait_for(
        &client,
        "the message to go after the reset",
        "const e = document.querySelector(arguments[0] + ' .error');\
         const r = document.querySelector(arguments[0]);\
         return e.hidden && e.textContent === '' && !r.classList.contains('bad') && !r.classList.contains('changed') \
           && window.explorer.answers > arguments[1];",
        vec![json!(row), json!(answers)],
    )
    .await;
    assert_eq!(
        sentence(&client).await,
        iran,
        "the same seeds, the same answer"
    );
    let url = client.current_url().await.unwrap();
    assert!(!url.as_str().contains("commitment_risk"), "{url}");
    assert_eq!(text_of(&client, "#change-count").await, "(1)");

    // 5. The projector view: the aside hidden, the sentence in large type; the key P brings the full view back.
    client
        .find(Locator::Css("#projector"))
        .await
        .unwrap()
        .click()
        .await
        .expect("press Projector view");
    let size = wait_for(
        &client,
        "the projector view",
        "const side = getComputedStyle(document.getElementById('side')).display;\
         const size = parseFloat(getComputedStyle(document.getElementById('sentence')).fontSize);\
         return document.body.classList.contains('projector') && side === 'none' && size;",
        vec![],
    )
    .await;
    assert!(size.as_f64().unwrap() >= 32.0, "sentence at {size} px");
    eprintln!("projector view: the sentence at {size} px");
    let url = client.current_url().await.unwrap();
    assert!(url.as_str().contains("view=projector"), "{url}");
    assert_eq!(sentence(&client).await, iran);
    screenshot(&client, "projector-view.png").await;
    client
        .find(Locator::Css("#projector"))
        .await
        .unwrap()
        .send_keys("p")
        .await
        .expect("press P");
    wait_for(
        &client,
        "the full view back after the key P",
        "return !document.body.classList.contains('projector') \
           && getComputedStyle(document.getElementById('side')).display !== 'none' \
           && parseFloat(getComputedStyle(document.getElementById('sentence')).fontSize) < 32;",
        vec![],
    )
    .await;
    let url = client.current_url().await.unwrap();
    assert!(!url.as_str().contains("view=projector"), "{url}");

    // 6. One history: ▸ moves to the next seed and redraws its charts.
    let old = wait_for(
        &client,
        "the history of one seed",
        "const s = document.querySelector('#agreement-base svg');\
         const v = document.getElementById('run-seed').value;\
         return s && v !== '' && {seed: v, svg: s.outerHTML};",
        vec![],
    )
    .await;
    // Let a history request of the view change settle before comparing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let old = client
        .execute(
            "return {seed: document.getElementById('run-seed').value, \
             svg: document.querySelector('#agreement-base svg').outerHTML};",
            vec![],
        )
        .await
        .unwrap_or(old);
    let seed: u64 = old["seed"].as_str().unwrap().parse().expect("a seed");
    client
        .find(Locator::Css("#seed-next"))
        .await
        .unwrap()
        .click()
        .await
        .expect("press ▸");
    wait_for(
        &client,
        "the next seed's charts",
        "const s = document.querySelector('#agreement-base svg');\
         return document.getElementById('run-seed').value === arguments[0] && s && s.outerHTML !== arguments[1];",
        vec![json!((seed + 1).to_string()), old["svg"].clone()],
    )
    .await;
    client
        .execute(
            "document.querySelector('section.history').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&client, "one-history.png").await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.as_str().contains(&format!("run_seed={}", seed + 1)),
        "{url}"
    );

    // 7. The scenario TOML of the variant: Iran is an observer in it.
    let href = client
        .find(Locator::Css("#toml"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("#toml has an href");
    assert!(href.starts_with("/api/scenario.toml?"), "{href}");
    let (status, _, text) = fetch_in_page(&client, &href).await;
    assert_eq!(status, 200, "{text}");
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let irn = doc["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_str() == Some("IRN"))
        .expect("IRN in the TOML");
    assert_eq!(irn["role"].as_str(), Some("observer"), "{irn}");
    let gov = doc["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_str() == Some("GOV"))
        .expect("GOV in the TOML");
    assert_ne!(
        gov.get("commitment_risk").and_then(|v| v.as_float()),
        Some(2.0),
        "the reset change is not in the TOML"
    );

    assert!(explorer(&client).await["errors"].as_u64().unwrap() >= 1);
    client.close().await.expect("close the session");
    drop(driver);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_downloads_the_handout() {
    let Some(chromedriver) = browser_or_skip() else {
        return;
    };
    let server = Server::start(&[]);
    let driver = Driver::start(&chromedriver);
    let client = driver.client().await;
    first_answer(
        &client,
        server.addr,
        "?scenario=astana-2017&changes=actors.IRN.role%3Dobserver&label=Iran%20as%20observer",
    )
    .await;
    let said = sentence(&client).await;
    assert!(said.contains("Iran as observer"), "{said}");
    let href = client
        .find(Locator::Css("#handout"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("#handout has an href");
    assert!(href.starts_with("/api/report?"), "{href}");
    let (status, kind, html) = fetch_in_page(&client, &href).await;
    assert_eq!(status, 200, "{html}");
    assert!(kind.starts_with("text/html"), "{kind}");
    let escaped = said
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let said = said.trim_end_matches('.');
    let escaped = escaped.trim_end_matches('.');
    assert!(
        html.contains(said) || html.contains(escaped),
        "the sentence {said:?} is not in the handout"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the handout refers outside"
    );
    client.close().await.expect("close the session");
    drop(driver);
    drop(server);
}
