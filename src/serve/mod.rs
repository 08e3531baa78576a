//! `quire serve` and `quire build --watch`: build, watch the manuscript folder, rebuild
//! on every save. `serve` also shows the book in a browser: the ebook view of a chapter
//! (the EPUB's own XHTML and stylesheet) beside its print pages (the paperback's layout
//! drawn as SVG), with the diagnostics, updated by server-sent events as builds finish.
//!
//! Outputs are written by the same [`crate::build::build_with`] as `quire build`, so
//! after any rebuild they are the bytes a clean build writes. The font set (faces and
//! shaping plans) and each essay's handout ([`crate::build::Cache`]) are kept from one
//! build to the next. A build that fails writes nothing; the page shows its errors and
//! keeps the last good preview.

pub mod http;
pub mod preview;
pub mod svg;
pub mod watch;

use crate::build::{Cache, Targets, build_with};
use crate::error::{Error, Result};
use crate::text::font::FontSet;
use http::{Request, Response};
use preview::{Diagnostic, Preview};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const PAGE_HTML: &str = include_str!("page.html");
const PAGE_JS: &str = include_str!("page.js");
const PAGE_CSS: &str = include_str!("page.css");
/// The configuration's file name in the manuscript folder.
const CONFIG_FILE: &str = "book.toml";

/// What a build gave, for the page and the terminal.
#[derive(Clone, serde::Serialize)]
pub struct Outcome {
    /// Counts builds, good or bad, from 1.
    pub generation: u64,
    /// Whether the build succeeded (its outputs are on disk).
    pub ok: bool,
    /// Errors (when it failed) and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// How long the build took, in milliseconds.
    pub build_ms: f64,
    /// The build is still making the other editions: the preview already shows its
    /// EPUB and paperback, the outputs are not written yet.
    pub building: bool,
    /// When it finished, in milliseconds since the Unix epoch (benchmarks compare it
    /// with the time of a save).
    pub finished_at: f64,
}

/// One build of the editions into `out`, as `quire build` makes them.
pub fn build_once(
    fonts: &FontSet,
    cache: &Cache,
    dir: &Path,
    out: &Path,
    generation: u64,
) -> (Outcome, Option<Preview>) {
    let started = Instant::now();
    // A bug that panics in one build must not end the preview: it is reported as the
    // build's error, and the last good build stays on the page and on disk.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_with(fonts, Some(cache), dir, out, Targets::ALL, false)
    }));
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    let finished_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let outcome = |ok: bool, diagnostics: Vec<Diagnostic>| Outcome {
        generation,
        ok,
        diagnostics,
        build_ms,
        finished_at,
        building: false,
    };
    let result = match result {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let text = format!(
                "quire failed inside this build (a bug; please report it): {why}"
            );
            let diagnostics =
                vec![Diagnostic { level: "error", text, file: None, line: 0 }];
            return (outcome(false, diagnostics), None);
        }
    };
    match result {
        Ok(mut report) => {
            let mut diagnostics: Vec<Diagnostic> =
                report.warnings.iter().map(|w| Diagnostic::warning(w, dir)).collect();
            // The outputs are written: a preview that cannot be made is only a warning.
            let preview = preview_of(&mut report).unwrap_or_else(|e| {
                let text = format!("the preview could not be made: {e}");
                diagnostics.push(Diagnostic {
                    level: "warning",
                    text,
                    file: None,
                    line: 0,
                });
                None
            });
            (outcome(true, diagnostics), preview)
        }
        Err(err) => {
            let mut diagnostics = Diagnostic::errors(&err, dir);
            if let Error::Denied { warnings, .. } = &err {
                diagnostics.extend(warnings.iter().map(|w| Diagnostic::warning(w, dir)));
            }
            (outcome(false, diagnostics), None)
        }
    }
}

/// The preview of a good build: its EPUB read back from the output folder.
fn preview_of(report: &mut crate::build::Report) -> Result<Option<Preview>> {
    let (Some(book), Some(typeset)) = (report.book.take(), report.paperback.take())
    else {
        return Ok(None);
    };
    let Some(epub) =
        report.written.iter().find(|p| p.extension().is_some_and(|e| e == "epub"))
    else {
        return Ok(None);
    };
    let bytes = std::fs::read(epub)
        .map_err(|source| Error::Read { path: epub.clone(), source })?;
    Preview::new(&book, &bytes, typeset, CONFIG_FILE).map(Some)
}

/// Prints a build's outcome to the terminal.
fn report(outcome: &Outcome) {
    for d in &outcome.diagnostics {
        eprintln!("{}: {}", d.level, d.text);
    }
    if outcome.ok {
        eprintln!("built in {:.0} ms", outcome.build_ms);
    } else {
        eprintln!(
            "build failed ({:.0} ms); the last good outputs are kept",
            outcome.build_ms
        );
    }
}

/// `quire build --watch`: builds, then rebuilds on every change until interrupted.
pub fn watch(dir: &Path, out: &Path) -> Result<()> {
    let fonts = FontSet::builtin();
    let cache = Cache::default();
    let changes = watch::FolderWatch::new(dir, out)?;
    let mut generation = 1;
    report(&build_once(&fonts, &cache, dir, out, generation).0);
    while changes.next_change().is_some() {
        generation += 1;
        report(&build_once(&fonts, &cache, dir, out, generation).0);
    }
    Ok(())
}

/// Where `quire serve` listens and what it does on start.
pub struct Options {
    /// The manuscript folder.
    pub dir: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// The address to listen on: 127.0.0.1 unless asked otherwise.
    pub host: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the page in the default browser.
    pub open: bool,
}

/// What the server knows: the last build, the last good preview, the open event streams.
struct Shared {
    dir: PathBuf,
    /// Kept for every build and for drawing the print pages.
    fonts: FontSet,
    outcome: Mutex<Outcome>,
    preview: Mutex<Option<Arc<Preview>>>,
    listeners: Mutex<Vec<TcpStream>>,
    /// The generation of the build under way (or the last one).
    building: std::sync::atomic::AtomicU64,
}

/// `quire serve`: builds, serves the preview page, rebuilds on every change. Runs until
/// interrupted.
pub fn serve(options: &Options) -> Result<()> {
    let listener =
        TcpListener::bind((options.host.as_str(), options.port)).map_err(|e| {
            Error::Read {
                path: PathBuf::from(format!("{}:{}", options.host, options.port)),
                source: std::io::Error::new(e.kind(), format!("cannot listen: {e}")),
            }
        })?;
    let changes = watch::FolderWatch::new(&options.dir, &options.out)?;
    let shared = Arc::new(Shared {
        dir: options.dir.clone(),
        fonts: FontSet::builtin(),
        outcome: Mutex::new(Outcome {
            generation: 0,
            ok: true,
            diagnostics: Vec::new(),
            build_ms: 0.0,
            finished_at: 0.0,
            building: true,
        }),
        preview: Mutex::new(None),
        listeners: Mutex::new(Vec::new()),
        building: std::sync::atomic::AtomicU64::new(1),
    });
    // The page shows a build's ebook and paperback as soon as they are made, while the
    // other editions are still being made.
    let early = Arc::clone(&shared);
    let cache = Cache::with_early(Box::new(move |book, epub, typeset| {
        if let Ok(preview) = Preview::new(book, epub, typeset.clone(), CONFIG_FILE) {
            *lock(&early.preview) = Some(Arc::new(preview));
            {
                let mut outcome = lock(&early.outcome);
                outcome.generation =
                    early.building.load(std::sync::atomic::Ordering::SeqCst);
                outcome.building = true;
            }
            announce(&early);
        }
    }));
    let (outcome, preview) =
        build_once(&shared.fonts, &cache, &options.dir, &options.out, 1);
    report(&outcome);
    if let Some(preview) = preview {
        *lock(&shared.preview) = Some(Arc::new(preview));
    }
    *lock(&shared.outcome) = outcome;
    let address = listener
        .local_addr()
        .map_err(|source| Error::Read { path: PathBuf::from(&options.host), source })?;
    let url = format!("http://{address}/");
    // The line tests and scripts wait for; printed once the first build is done.
    println!("serving {} at {url}", options.dir.display());
    if options.open {
        open_browser(&url);
    }
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || answer(&shared, stream));
            }
        });
    }
    let mut generation = 1;
    while changes.next_change().is_some() {
        generation += 1;
        shared.building.store(generation, std::sync::atomic::Ordering::SeqCst);
        let (outcome, preview) =
            build_once(&shared.fonts, &cache, &options.dir, &options.out, generation);
        report(&outcome);
        if let Some(preview) = preview {
            *lock(&shared.preview) = Some(Arc::new(preview));
        }
        *lock(&shared.outcome) = outcome;
        announce(&shared);
    }
    Ok(())
}

/// A lock that a panicked thread cannot poison for the others.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Tells every open page that a build finished; pages that went away are dropped.
fn announce(shared: &Shared) {
    let state = state_json(shared);
    lock(&shared.listeners).retain(|s| http::send_event(s, "build", &state).is_ok());
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {e}); open {url}");
    }
}

/// The state the page draws from: the last build's outcome and the good preview's
/// chapters.
fn state_json(shared: &Shared) -> String {
    let outcome = lock(&shared.outcome).clone();
    let preview = lock(&shared.preview).clone();
    let (title, chapters) = match &preview {
        Some(p) => (p.title.clone(), p.chapters.clone()),
        None => (String::new(), Vec::new()),
    };
    serde_json::json!({
        "outcome": outcome,
        "title": title,
        "chapters": chapters,
    })
    .to_string()
}

/// Answers one connection.
fn answer(shared: &Shared, stream: TcpStream) {
    let request = match http::read_request(&stream) {
        Ok(r) => r,
        Err(status) => {
            let _ = http::write_body(&stream, status, "text/plain", b"refused\n");
            return;
        }
    };
    match route(shared, &request) {
        Response::Body { status, content_type, body } => {
            let _ = http::write_body(&stream, status, content_type, &body);
        }
        Response::Events => {
            if http::start_events(&stream).is_ok()
                && http::send_event(&stream, "build", &state_json(shared)).is_ok()
                && let Ok(kept) = stream.try_clone()
            {
                lock(&shared.listeners).push(kept);
            }
        }
    }
}

/// What each path serves.
fn route(shared: &Shared, request: &Request) -> Response {
    let path = request.path.as_str();
    // No path may climb out of what it names.
    if path.split('/').any(|s| s == "..") || path.contains('\\') {
        return Response::error(403, "no\n");
    }
    match path {
        "/" => Response::ok("text/html; charset=utf-8", PAGE_HTML),
        "/page.js" => Response::ok("text/javascript; charset=utf-8", PAGE_JS),
        "/page.css" => Response::ok("text/css; charset=utf-8", PAGE_CSS),
        "/events" => Response::Events,
        "/state.json" => Response::ok("application/json", state_json(shared)),
        "/source" => source(shared, request),
        _ => {
            let Some(preview) = lock(&shared.preview).clone() else {
                return Response::error(404, "no good build yet\n");
            };
            if let Some(name) = path.strip_prefix("/epub/") {
                match preview.epub.get(name) {
                    Some(bytes) => {
                        Response::ok(preview::content_type(name), bytes.clone())
                    }
                    None => Response::error(404, "not in the EPUB\n"),
                }
            } else if let Some(slug) = path.strip_prefix("/print/chapter/") {
                print_chapter(&preview, slug, &shared.fonts)
            } else if let Some(n) = path.strip_prefix("/print/page/") {
                match n.parse::<usize>() {
                    Ok(i) if i < preview.document.pages.len() => Response::ok(
                        "text/html; charset=utf-8",
                        sheet(&preview, i, &shared.fonts),
                    ),
                    _ => Response::error(404, "no such page\n"),
                }
            } else if let Some(n) = path.strip_prefix("/print/image/") {
                match n.parse::<usize>().ok().and_then(|n| preview.document.images.get(n))
                {
                    Some(image) => {
                        Response::ok(image_type(&image.bytes), image.bytes.clone())
                    }
                    None => Response::error(404, "no such image\n"),
                }
            } else {
                Response::error(404, "not found\n")
            }
        }
    }
}

fn image_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" }
}

/// A chapter's print pages, each an SVG with its folio.
fn print_chapter(preview: &Preview, slug: &str, fonts: &FontSet) -> Response {
    let Some(chapter) = preview.chapters.iter().find(|c| c.slug == slug) else {
        return Response::error(404, "no such chapter\n");
    };
    let html: String = chapter.pages.clone().map(|i| sheet(preview, i, fonts)).collect();
    Response::ok("text/html; charset=utf-8", html)
}

/// Page `i` (0-based) as the page shows it: the SVG and a caption with its folio.
fn sheet(preview: &Preview, i: usize, fonts: &FontSet) -> String {
    let folio = &preview.folios[i];
    format!(
        "<figure class=\"sheet\" data-page=\"{i}\">{}<figcaption>page {}{}</figcaption></figure>",
        svg::page(&preview.document.pages[i], fonts, &format!("p{i}"), &|n| {
            format!("/print/image/{n}")
        }),
        i + 1,
        if folio.is_empty() {
            String::new()
        } else {
            format!(" · folio {}", svg::escape(folio))
        }
    )
}

/// A manuscript file with numbered lines, the one asked for marked. Only book.toml and
/// the chapter files of the last good build are shown, so no request reads anything
/// else.
fn source(shared: &Shared, request: &Request) -> Response {
    let file = request.param("file").unwrap_or_default();
    let line: usize = request.param("line").and_then(|l| l.parse().ok()).unwrap_or(0);
    let known = lock(&shared.preview).as_ref().is_some_and(|p| p.sources.contains(&file))
        || file == CONFIG_FILE;
    if !known {
        return Response::error(404, "not a manuscript file\n");
    }
    let Ok(text) = std::fs::read_to_string(shared.dir.join(&file)) else {
        return Response::error(404, "cannot read it\n");
    };
    let mut html = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{0}</title>\
         <link rel=\"stylesheet\" href=\"/page.css\"><body class=\"source\"><h1>{0}</h1><ol>",
        svg::escape(&file)
    );
    for (i, l) in text.lines().enumerate() {
        let mark = if i + 1 == line { " class=\"marked\"" } else { "" };
        html.push_str(&format!("<li id=\"L{}\"{mark}>{}</li>", i + 1, svg::escape(l)));
    }
    html.push_str("</ol><script>document.querySelector('.marked')?.scrollIntoView({block:'center'})</script>");
    Response::ok("text/html; charset=utf-8", html)
}
