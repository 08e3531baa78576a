//! Writes a deterministic, book-shaped manuscript for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- WORDS OUTDIR [--seed N] [--shape SHAPE]
//! quire build OUTDIR --out OUTDIR/out
//! ```
//!
//! OUTDIR gets a `book.toml` and one Markdown file per essay of about 4,000 words (see
//! `benches/common/corpus.rs` for what the text exercises). With `--shape novel`, `manual`
//! or `short` it gets a book of that shape instead, WORDS spread over its fixed number of
//! chapters (`benches/common/shapes.rs`). The same arguments give byte-identical files. Running it again on a folder it wrote replaces the chapters; a
//! folder holding another book's `book.toml` is refused.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_corpus WORDS OUTDIR [--seed N] [--shape essays|novel|manual|short]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut positional = Vec::new();
    let mut seed = 1u64;
    let mut shape = corpus::Shape::Essays;
    let parse_shape = |value: &str| {
        corpus::Shape::parse(value)
            .ok_or_else(|| format!("unknown shape {value:?}\n{USAGE}"))
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--seed" => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("--seed needs a value\n{USAGE}"))?;
                seed =
                    value.parse().map_err(|_| format!("bad seed {value:?}\n{USAGE}"))?;
            }
            _ if arg.starts_with("--seed=") => {
                let value = &arg["--seed=".len()..];
                seed =
                    value.parse().map_err(|_| format!("bad seed {value:?}\n{USAGE}"))?;
            }
            "--shape" => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("--shape needs a value\n{USAGE}"))?;
                shape = parse_shape(&value)?;
            }
            _ if arg.starts_with("--shape=") => {
                shape = parse_shape(&arg["--shape=".len()..])?;
            }
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return Err(format!("unknown option {arg:?}\n{USAGE}"));
            }
            _ => positional.push(arg),
        }
    }
    let [words, dir] = positional.as_slice() else {
        return Err(USAGE.into());
    };
    let words: usize =
        words.replace('_', "").parse().ok().filter(|&w| w > 0).ok_or_else(|| {
            format!("WORDS must be a positive number, not {words:?}\n{USAGE}")
        })?;
    let dir = PathBuf::from(dir);
    let summary = corpus::write_shape(shape, words, &dir, seed)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    eprintln!(
        "gen_corpus: {} chapters, {} words, {} footnotes, {} bytes of Markdown in {}",
        summary.chapters,
        summary.words,
        summary.notes,
        summary.bytes,
        dir.display()
    );
    Ok(())
}
