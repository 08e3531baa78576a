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
        /// Also write each handout (and the packet) as a saddle-stitch booklet.
        #[arg(long)]
        booklet: bool,
        /// Also write the wraparound cover with trim, fold and safety lines drawn on it
        /// (`<slug>-cover-guides.pdf`), for proofing.
        #[arg(long)]
        cover_guides: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Keep running: rebuild every edition whenever a file in the manuscript
        /// folder changes.
        #[arg(long, conflicts_with_all = ["format", "booklet", "cover_guides", "deny_warnings"])]
        watch: bool,
    },
    /// Build, then show the book in a browser, the ebook beside the print pages, and
    /// rebuild and update the page on every save.
    Serve {
        /// The manuscript directory (holding book.toml).
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
        /// Where to write the editions.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; only this machine can see the page unless another
        /// is given (0.0.0.0 for every network).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the workshop handout of one essay.
    Handout {
        /// The essay's slug (see `quire check`), e.g. `fear-of-conflict`.
        slug: String,
        /// The manuscript directory.
        #[arg(long, default_value = "manuscript")]
        dir: PathBuf,
        /// Where to write it (in a `handouts` folder).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Also write it as a booklet.
        #[arg(long)]
        booklet: bool,
    },
    /// Read the manuscript and report problems without writing anything.
    Check {
        /// The manuscript directory.
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
    },
    /// Print the chapter model as JSON, or with --layout the print layout, a line per line.
    Dump {
        /// The manuscript directory.
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
        /// Dump the print edition's layout instead of the model.
        #[arg(long)]
        layout: bool,
    },
    /// Turn a Word document (.docx) into a manuscript folder, reporting what was not
    /// carried over.
    Import {
        /// The Word document.
        docx: PathBuf,
        /// The manuscript folder to create (must not exist or be empty); default: a
        /// folder named after the document, beside it.
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// The paperback's wraparound cover (the paperback is laid out to count its pages).
    Cover,
    /// Every edition.
    All,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if let quire::Error::Denied { warnings, .. } = &err {
                print_warnings(warnings);
            }
            for e in err.each() {
                eprintln!("error: {e}");
            }
            if let quire::Error::Many { errors, more } = &err {
                if *more > 0 {
                    eprintln!("error: … and {more} more");
                }
                eprintln!("{} errors; nothing was written", errors.len() + more);
            }
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(warnings: &[quire::Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Writes a dump to standard output. A reader that stops early (`| head`) is not an
/// error: the dump simply ends there, as with any Unix filter.
fn emit(text: &str) -> quire::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(quire::Error::Write { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> quire::Result<ExitCode> {
    match cli.command {
        Command::Handout { slug, dir, out, booklet } => {
            let report = quire::build::build_handout(&dir, &out, &slug, booklet)?;
            print_warnings(&report.warnings);
            for path in &report.written {
                println!("wrote {}", path.display());
            }
        }
        Command::Build { dir, out, watch: true, .. } => quire::serve::watch(&dir, &out)?,
        Command::Serve { dir, out, port, host, open } => {
            quire::serve::serve(&quire::serve::Options { dir, out, host, port, open })?
        }
        Command::Build {
            dir, out, format, booklet, cover_guides, deny_warnings, ..
        } => {
            let none = Targets {
                epub: false,
                print: false,
                handouts: false,
                booklet,
                cover: false,
                cover_guides,
            };
            let targets = match format {
                Format::Epub => Targets { epub: true, ..none },
                Format::Pdf => Targets { print: true, ..none },
                Format::Handouts => Targets { handouts: true, ..none },
                Format::Cover => Targets { cover: true, ..none },
                Format::All => Targets { booklet, cover_guides, ..Targets::ALL },
            };
            let report = build(&dir, &out, targets, deny_warnings)?;
            print_warnings(&report.warnings);
            for path in &report.written {
                println!("wrote {}", path.display());
            }
        }
        Command::Check { dir } => {
            let fonts = quire::text::font::FontSet::builtin();
            let (config, book, mut warnings) = quire::build::load_checked(&dir, &fonts)?;
            // The paperback is laid out too: what only its setting finds (words too
            // long for a line, lines looser than the tolerance) belongs in the check.
            let mut typeset = quire::build::typeset_print(
                &quire::build::print_style(&config)?,
                &book,
                &dir,
                &fonts,
            );
            warnings.append(&mut typeset.warnings);
            print_warnings(&warnings);
            let trim = quire::build::print_style(&config)?.trim;
            let settings = quire::cover::Settings::from_config(&config);
            let wrap = quire::cover::spine::Wrap::new(
                trim,
                typeset.document.pages.len(),
                settings.paper,
                settings.printer,
            );
            let inches = |pt: quire::layout::units::Pt| pt.0 / 72.0;
            println!(
                "cover: {} pages, spine {:.4} in, cover {:.3} × {:.3} in with bleed{}",
                wrap.pages,
                inches(wrap.spine),
                inches(wrap.width()),
                inches(wrap.height()),
                if wrap.spine_has_text() {
                    ""
                } else {
                    ", no spine text (under 80 pages)"
                }
            );
            println!(
                "{}: {} chapters ({} numbered), {} words, {} warning(s), {} line(s) beyond tolerance",
                dir.display(),
                book.chapters.len(),
                book.essays().count(),
                book.word_count(),
                warnings.len(),
                typeset.lines_beyond_tolerance()
            );
        }
        Command::Dump { dir, layout: true } => {
            let fonts = quire::text::font::FontSet::builtin();
            let (config, book, mut warnings) = quire::build::load_checked(&dir, &fonts)?;
            let mut typeset = quire::build::typeset_print(
                &quire::build::print_style(&config)?,
                &book,
                &dir,
                &fonts,
            );
            warnings.append(&mut typeset.warnings);
            print_warnings(&warnings);
            emit(&typeset.dump())?;
        }
        Command::Dump { dir, layout: false } => {
            let (_, book, warnings) = load(&dir)?;
            print_warnings(&warnings);
            let json = serde_json::to_string_pretty(&book)
                .map_err(|e| quire::Error::Epub(e.to_string()))?;
            emit(&json)?;
            emit("\n")?;
        }
        Command::Import { docx, out } => {
            let out = out.unwrap_or_else(|| quire::import::default_out(&docx));
            let imported = quire::import::import(&docx, &out)?;
            print!("{}", imported.report.render());
            println!(
                "the report is saved as {}; build the book with: quire build {}",
                imported.dir.join("import-report.txt").display(),
                imported.dir.display()
            );
        }
        Command::New { dir } => {
            quire::scaffold::create(&dir)?;
            println!(
                "created {}; build it with: quire build {}",
                dir.display(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
