//! `quire serve` and `quire build --watch` (issue 16), end to end: the real binary on a
//! generated book in a temporary folder, and for the page a real headless Chromium driven
//! over the DevTools protocol (its `--remote-debugging-pipe`: JSON messages ending in a
//! NUL byte on file descriptors 3 and 4, so no WebDriver and no WebSocket are needed).
//! Without Chromium the browser test says SKIPPED loudly, and fails under
//! `QUIRE_REQUIRE_VALIDATORS=1`.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Generous: this is not a timed test, and CI machines are shared.
const PATIENCE: Duration = Duration::from_secs(90);

/// A generated novel in `tmp/ms`, and its chapter files in reading order.
fn novel(tmp: &TempDir, words: usize, seed: u64) -> (PathBuf, Vec<PathBuf>) {
    let dir = tmp.join("ms");
    corpus::write_shape(corpus::Shape::Novel, words, &dir, seed)
        .unwrap_or_else(|e| panic!("cannot write the corpus: {e}"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    (dir, files)
}

/// Saves `text` as an editor that saves by rename does: a new file, renamed over the old.
fn save_by_rename(path: &Path, text: &str) {
    let staged = path.with_extension("md.swp-quire-test");
    std::fs::write(&staged, text).unwrap();
    std::fs::rename(&staged, path).unwrap();
}

/// Appends a paragraph to a chapter file, saving by rename.
fn append_paragraph(path: &Path, paragraph: &str) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str("\n\n");
    text.push_str(paragraph);
    text.push('\n');
    save_by_rename(path, &text);
}

/// A running `quire` process, its stderr gathered line by line, killed when dropped.
struct Running {
    child: Child,
    stderr: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> (Running, Option<ChildStdout>) {
        let mut child = quire()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start quire");
        let (tx, stderr) = channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stdout = child.stdout.take();
        (Running { child, stderr, seen: Vec::new() }, stdout)
    }

    /// Waits until stderr has shown `count` lines containing `needle`.
    fn wait_for_lines(&mut self, needle: &str, count: usize) {
        let end = Instant::now() + PATIENCE;
        while self.seen.iter().filter(|l| l.contains(needle)).count() < count {
            let left = end.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "quire did not print {count} × {needle:?}; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `quire build --watch DIR --out OUT`, running.
fn start_watch(dir: &Path, out: &Path) -> Running {
    let (running, _) = Running::start(&[
        "build",
        "--watch",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    running
}

#[test]
fn a_watch_rebuild_writes_the_bytes_of_a_clean_build() {
    let tmp = TempDir::new("watch-bytes");
    let (dir, chapters) = novel(&tmp, 8_000, 16);
    let out = tmp.join("out");
    let mut watch = start_watch(&dir, &out);
    watch.wait_for_lines("built in", 1);
    let edited = &chapters[chapters.len() / 2];
    append_paragraph(edited, "Wilhelmina counted eleven quiet herons beside the weir.");
    watch.wait_for_lines("built in", 2);
    // A second save, into another chapter: the rebuild after it must be as clean.
    append_paragraph(&chapters[0], "Ottoline mended the blue kite before the thaw.");
    watch.wait_for_lines("built in", 3);
    // A new title in book.toml: every handout prints it, so none may be kept from before.
    let config = dir.join("book.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let title = toml.lines().find(|l| l.starts_with("title = ")).expect("a title line");
    save_by_rename(&config, &toml.replacen(title, "title = \"Herons at the Weir\"", 1));
    watch.wait_for_lines("built in", 4);
    drop(watch);

    let clean = tmp.join("clean");
    let output = run(quire().args([
        "build",
        dir.to_str().unwrap(),
        "--out",
        clean.to_str().unwrap(),
    ]));
    assert_success("a clean build", &output);
    let (watched, built) = (files_under(&out), files_under(&clean));
    assert_eq!(
        watched.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>(),
        "the same files"
    );
    assert!(watched.keys().any(|n| n.ends_with(".epub")));
    assert!(watched.keys().any(|n| n.ends_with("-print.pdf")));
    for ((name, a), (_, b)) in watched.iter().zip(&built) {
        assert!(a == b, "{name} after the watch rebuild differs from a clean build's");
    }
    let packet = out.join("handouts/packet.pdf");
    let text = String::from_utf8_lossy(
        &run(Command::new("pdftotext").arg(&packet).arg("-")).stdout,
    )
    .into_owned();
    assert!(text.contains("Herons at the Weir"), "the handouts lack the new title");
    // And the edit is in them: the EPUB holds the new sentence.
    let epub = the_epub_in(&out);
    let entries = unzip_entries(&epub);
    assert!(
        entries.iter().any(|(_, bytes)| {
            String::from_utf8_lossy(bytes)
                .contains("Wilhelmina counted eleven quiet herons")
        }),
        "the EPUB after the rebuild lacks the new sentence"
    );
}

#[test]
fn a_watch_writing_inside_the_manuscript_folder_rebuilds_once_per_save() {
    let tmp = TempDir::new("watch-inside");
    let (dir, chapters) = novel(&tmp, 3_000, 7);
    // The outputs land in the watched folder: they must not start builds of their own.
    let out = dir.join("out");
    let mut watch = start_watch(&dir, &out);
    watch.wait_for_lines("built in", 1);
    append_paragraph(&chapters[0], "Anselm tied the green boat to the third post.");
    watch.wait_for_lines("built in", 2);
    // Give a rebuild the outputs might start ample time to show itself.
    std::thread::sleep(Duration::from_secs(3));
    while let Ok(line) = watch.stderr.try_recv() {
        watch.seen.push(line);
    }
    let builds = watch.seen.iter().filter(|l| l.contains("built in")).count();
    assert_eq!(
        builds,
        2,
        "one build and one rebuild expected:\n{}",
        watch.seen.join("\n")
    );
    assert!(the_epub_in(&out).is_file());
}

// ---------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------

/// Chromium, where Debian puts it (or `QUIRE_CHROMIUM`).
fn chromium() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("QUIRE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// A headless Chromium driven over the DevTools protocol on a pipe.
struct Browser {
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    next_id: u64,
    session: String,
    _profile: TempDir,
}

impl Browser {
    fn start(chromium: &Path, name: &str) -> Browser {
        let profile = TempDir::new(&format!("{name}-chromium-profile"));
        // The shell gives our two pipes to Chromium as its descriptors 3 (it reads
        // commands there) and 4 (it writes replies and events there).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$@\" 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null")
            .arg("sh")
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                "--window-size=1280,800",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("cannot start chromium");
        let to = child.stdin.take().unwrap();
        let from = BufReader::new(child.stdout.take().unwrap());
        let mut browser = Browser {
            child,
            to,
            from,
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target =
            browser.call("Target.createTarget", json!({"url": "about:blank"}), false);
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
            false,
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser
    }

    /// Sends a command and returns its result, skipping the events in between.
    fn call(&mut self, method: &str, params: Value, on_page: bool) -> Value {
        self.next_id += 1;
        let mut message = json!({"id": self.next_id, "method": method, "params": params});
        if on_page {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("chromium went away");
        loop {
            let mut reply = Vec::new();
            let n = self.from.read_until(0, &mut reply).expect("chromium went away");
            assert!(n > 0, "chromium closed its pipe during {method}");
            reply.pop();
            let reply: Value = serde_json::from_slice(&reply).unwrap();
            if reply["id"] == json!(self.next_id) {
                assert!(reply.get("error").is_none(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
        }
    }

    fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}), true);
    }

    /// Evaluates a JavaScript expression in the page; its value as JSON.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            true,
        );
        result["result"]["value"].clone()
    }

    /// Polls `expression` until it is truthy; `what` explains a timeout.
    fn wait_until(&mut self, expression: &str, what: &str) -> Value {
        let end = Instant::now() + PATIENCE;
        loop {
            let value = self.eval(expression);
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return value;
            }
            assert!(Instant::now() < end, "timed out waiting for {what} ({expression})");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}), true);
        let data = decode_base64(shot["data"].as_str().unwrap());
        std::fs::write(path, data).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Letters and digits only: the print view's text is set in runs, with hyphens where
/// lines break, so sentences are compared without spaces and hyphens.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// One GET over a raw socket, for requests a browser or curl would tidy up.
fn raw_get(address: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
}

/// The text of the ebook frame and of the print pages.
const EBOOK_TEXT: &str =
    "document.getElementById('ebook').contentDocument?.body?.innerText ?? ''";
const PRINT_TEXT: &str = "document.getElementById('print').textContent";

#[test]
fn the_preview_shows_both_views_follows_edits_and_keeps_the_last_good_one_on_error() {
    let chromium = chromium();
    if !require_validator("chromium", chromium.is_some()) {
        return;
    }
    let chromium = chromium.unwrap();
    let tmp = TempDir::new("serve-browser");
    let (dir, chapters) = novel(&tmp, 9_000, 61);
    let out = tmp.join("out");
    let (mut server, stdout) = Running::start(&[
        "serve",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--port",
        "0",
    ]);
    let mut first = String::new();
    BufReader::new(stdout.unwrap()).read_line(&mut first).unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim_end_matches('/')
        .to_string();
    // Only this machine may see the page unless --host says otherwise.
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let address = url.trim_start_matches("http://").to_string();
    // Requests cannot climb out of what they name, nor read what is not the manuscript's.
    assert!(raw_get(&address, "/epub/../book.toml").starts_with("HTTP/1.1 403"));
    assert!(raw_get(&address, "/source?file=../out/x").starts_with("HTTP/1.1 404"));
    let source = raw_get(&address, "/source?file=book.toml&line=2");
    assert!(source.starts_with("HTTP/1.1 200"), "{source}");

    // Every chapter listed, by the titles the EPUB gives them.
    let mut browser = Browser::start(&chromium, "serve-browser");
    let state: Value = {
        let reply = raw_get(&address, "/state.json");
        serde_json::from_str(reply.split("\r\n\r\n").nth(1).unwrap()).unwrap()
    };
    let listed: Vec<&Value> = state["chapters"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), chapters.len(), "one entry per chapter file");
    let chosen = chapters.len() / 2;
    let slug = listed[chosen]["slug"].as_str().unwrap().to_string();
    browser.navigate(&format!("{url}/#{slug}"));
    browser.wait_until("window.quireShown && quireShown.generation", "the first preview");
    let titles = browser
        .eval("[...document.querySelectorAll('#chapters li')].map(li => li.textContent)");
    let want: Vec<Value> = listed.iter().map(|c| c["title"].clone()).collect();
    assert_eq!(titles, Value::Array(want), "the chapter list");
    assert_eq!(
        browser.eval("document.querySelector('#chapters li.current').dataset.slug"),
        json!(slug)
    );

    // The ebook view holds the chapter's own text, the print view its pages.
    let source_text = std::fs::read_to_string(&chapters[chosen]).unwrap();
    let a_sentence = source_text
        .lines()
        .find(|l| {
            l.split_whitespace().count() > 12 && !l.starts_with(['#', '-', '>', '*'])
        })
        .and_then(|l| l.split(['.', '?', '!']).next())
        .unwrap()
        .replace(['*', '_'], "");
    let a_sentence = a_sentence.trim_start_matches(['“', '"']).to_string();
    let ebook = browser.wait_until(EBOOK_TEXT, "the ebook view");
    assert!(
        letters(ebook.as_str().unwrap()).contains(&letters(&a_sentence)),
        "the ebook view lacks {a_sentence:?}"
    );
    let pages = browser.eval("document.querySelectorAll('#print svg.page').length");
    assert!(pages.as_u64().unwrap() >= 1, "no print page shown");
    let print = browser.eval(PRINT_TEXT);
    assert!(
        letters(print.as_str().unwrap()).contains(&letters(&a_sentence)),
        "the print view lacks {a_sentence:?}"
    );
    // True proportions: the page's box is the paperback's trim (plus any bleed).
    let ratio = browser.eval(
        "(() => { const b = document.querySelector('#print svg.page').viewBox.baseVal; \
         return b.width / b.height })()",
    );
    assert!((0.5..0.8).contains(&ratio.as_f64().unwrap()), "page proportions {ratio}");
    // Each device preset sizes the ebook column.
    browser.eval(
        "(() => { const s = document.getElementById('device'); s.value = '375x667'; \
         s.dispatchEvent(new Event('change')); })()",
    );
    assert_eq!(browser.eval("document.getElementById('ebook').offsetWidth"), json!(375));

    // An edit appears in both views without reloading the page.
    browser.eval("window.notReloaded = 'yes'");
    let sentence = "Philomena carried seventeen lanterns across the frozen causeway.";
    append_paragraph(&chapters[chosen], sentence);
    browser.wait_until(
        &format!(
            "({EBOOK_TEXT}).replace(/[^\\p{{L}}\\p{{N}}]/gu, '').includes('{}')",
            letters(sentence)
        ),
        "the new sentence in the ebook view",
    );
    browser.wait_until(
        &format!(
            "({PRINT_TEXT}).replace(/[^\\p{{L}}\\p{{N}}]/gu, '').includes('{}')",
            letters(sentence)
        ),
        "the new sentence in the print view",
    );
    assert_eq!(browser.eval("window.notReloaded"), json!("yes"), "the page was reloaded");
    let good = browser.eval("quireShown.generation");

    // A broken manuscript: the error with its file and line, the last good preview kept.
    let config = dir.join("book.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let broken = format!("{toml}\nthis line is not toml\n");
    let bad_line = broken.lines().count();
    save_by_rename(&config, &broken);
    browser.wait_until(
        "document.getElementById('status').className === 'failed'",
        "the failed build's status",
    );
    let listed_errors =
        browser.eval("[...document.querySelectorAll('#diagnostics li.error')].map(li => li.textContent)");
    let errors = listed_errors.as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains(&format!("book.toml:{bad_line}"))),
        "no error at book.toml:{bad_line} in {listed_errors}"
    );
    let link = browser.eval("document.querySelector('#diagnostics li.error a').href");
    assert!(
        link.as_str().unwrap().contains(&format!("file=book.toml&line={bad_line}")),
        "{link}"
    );
    // The views still show the last good build.
    let kept = browser.eval(EBOOK_TEXT);
    assert!(
        letters(kept.as_str().unwrap()).contains(&letters(sentence)),
        "the ebook view was lost"
    );
    let kept = browser.eval(PRINT_TEXT);
    assert!(
        letters(kept.as_str().unwrap()).contains(&letters(sentence)),
        "the print view was lost"
    );
    assert!(
        browser.eval("document.querySelectorAll('#chapters li').length").as_u64()
            == Some(chapters.len() as u64)
    );

    // Mended, the next good build is shown again.
    save_by_rename(&config, &toml);
    browser.wait_until(
        &format!("document.getElementById('status').className === '' && quireShown.generation > {good}"),
        "the mended build",
    );
    let good = browser.eval("quireShown.generation");

    // A chapter file the reader refuses (a front-matter kind that does not exist, on its
    // line 2): the error names that file and line, the views keep the last good build.
    let chapter = &chapters[chosen];
    let text = std::fs::read_to_string(chapter).unwrap();
    let broken = match text.strip_prefix("---\n") {
        Some(rest) => format!("---\nkind: nonsense\n{rest}"),
        None => format!("---\nkind: nonsense\n---\n\n{text}"),
    };
    save_by_rename(chapter, &broken);
    browser.wait_until(
        "document.getElementById('status').className === 'failed'",
        "the failed build's status (a chapter file)",
    );
    let name = chapter.file_name().unwrap().to_str().unwrap();
    let listed_errors =
        browser.eval("[...document.querySelectorAll('#diagnostics li.error')].map(li => li.textContent)");
    assert!(
        listed_errors
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains(&format!("{name}:2"))),
        "no error at {name}:2 in {listed_errors}"
    );
    let kept = browser.eval(EBOOK_TEXT);
    assert!(
        letters(kept.as_str().unwrap()).contains(&letters(sentence)),
        "the ebook view was lost to a chapter error"
    );
    save_by_rename(chapter, &text);
    browser.wait_until(
        &format!("document.getElementById('status').className === '' && quireShown.generation > {good}"),
        "the build after the chapter is mended",
    );
    if let Ok(path) = std::env::var("QUIRE_SERVE_SCREENSHOT") {
        browser.eval(
            "(() => { const s = document.getElementById('device'); s.value = '600x800'; \
             s.dispatchEvent(new Event('change')); })()",
        );
        browser.screenshot(Path::new(&path));
    }
    drop(browser);
    server.wait_for_lines("build failed", 2);
}
