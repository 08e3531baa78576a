//! The `quire` command line: parses arguments, calls the library, prints warnings and
//! errors, and chooses the exit code. No book logic lives here.

use clap::{Parser, Subcommand, ValueEnum};
use quire::build::{Targets, build, load};
use std::path::PathBuf;
use std::process::ExitCode;

/// quire: a Markdown manuscript in, a finished book out (EPUB 3, print PDF, handouts).
#[derive(Parser)]
#[command(name = "quire", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book's editions into the output directory.
    Build {
        /// The manuscript directory (holding book.toml).
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
        /// Where to write the editions.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Which editions to build.
        #[arg(long, value_enum, default_value_t = Format::All)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Read the manuscript and report problems without writing anything.
    Check {
        /// The manuscript directory.
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
    },
    /// Print the chapter model as JSON.
    Dump {
        /// The manuscript directory.
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
    },
    /// Create a small manuscript to start a new book from.
    New {
        /// The directory to create (must not exist or be empty).
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The EPUB 3 ebook.
    Epub,
    /// The print interior PDF.
    Pdf,
    /// The workshop handouts.
    Handouts,
    /// Every edition.
    All,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(warnings: &[quire::Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn run(cli: Cli) -> quire::Result<ExitCode> {
    match cli.command {
        Command::Build { dir, out, format, deny_warnings } => {
            let targets = match format {
                Format::Epub => Targets { epub: true, print: false, handouts: false },
                Format::Pdf => Targets { epub: false, print: true, handouts: false },
                Format::Handouts => Targets { epub: false, print: false, handouts: true },
                Format::All => Targets::ALL,
            };
            let report = build(&dir, &out, targets)?;
            print_warnings(&report.warnings);
            for path in &report.written {
                println!("wrote {}", path.display());
            }
            if deny_warnings && !report.warnings.is_empty() {
                eprintln!("error: {} warning(s) and --deny-warnings", report.warnings.len());
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Check { dir } => {
            let (_, book, warnings) = load(&dir)?;
            print_warnings(&warnings);
            println!(
                "{}: {} chapters ({} essays), {} words, {} warning(s)",
                dir.display(),
                book.chapters.len(),
                book.essays().count(),
                book.word_count(),
                warnings.len()
            );
        }
        Command::Dump { dir } => {
            let (_, book, warnings) = load(&dir)?;
            print_warnings(&warnings);
            let json = serde_json::to_string_pretty(&book).map_err(|e| quire::Error::Epub(e.to_string()))?;
            println!("{json}");
        }
        Command::New { dir } => {
            quire::scaffold::create(&dir)?;
            println!("created {}; build it with: quire build {}", dir.display(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
