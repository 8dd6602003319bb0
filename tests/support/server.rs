//! A `ceasefire serve` process for the HTTP and browser tests: started on a free port, stopped when dropped, and a
//! raw HTTP/1.1 client (so that tests can also send what no browser would).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// What the server printed on standard output before it listened.
    pub banner: String,
}

impl Server {
    /// `ceasefire serve --port 0 ARGS…`, once it prints its address.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ceasefire"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ceasefire serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("banner");
        let url = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let addr: SocketAddr = url.parse().expect("address");
        Server {
            child,
            addr,
            banner: line,
        }
    }

    /// Send `request` as is and read the whole answer: (status, headers, body).
    pub fn raw(&self, request: &[u8]) -> (u16, String, String) {
        raw(self.addr, request)
    }

    /// GET `path` (with its query): (status, headers, body).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        self.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        )
    }

    /// GET `path` and parse the JSON body.
    pub fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.get(path);
        let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        (status, value)
    }
}

impl Server {
    /// A GET client for another thread: (status, body).
    pub fn client(addr: SocketAddr) -> impl Fn(&str) -> (u16, String) {
        move |path| {
            let probe = Probe { addr };
            let (status, _, body) = probe.get(path);
            (status, body)
        }
    }
}

struct Probe {
    addr: SocketAddr,
}

impl Probe {
    fn get(&self, path: &str) -> (u16, String, String) {
        raw(
            self.addr,
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        )
    }
}

/// Send `request` to `addr` as is and read the whole answer: (status, headers, body).
pub fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    // A server may answer (and close) before reading all of a request it refuses.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Percent-encode a query value.
pub fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
