//! Orchestration: manuscript → model → the editions asked for → files in the output
//! directory. Each edition is rendered completely in memory before anything is written.

use crate::config::{Config, PrintConfig};
use crate::error::{Result, Warning};
use crate::layout::book::{Typeset, typeset_book};
use crate::layout::handout::typeset_handout;
use crate::layout::impose::impose_booklet;
use crate::layout::linebreak::BreakParams;
use crate::layout::page::Document;
use crate::layout::style::{EditionKind, Emphasis, Margins, NotePlacement, PrintStyle};
use crate::layout::units::{Pt, TrimSize};
use crate::model::Book;
use crate::pages::PageList;
use crate::text::font::FontSet;
use crate::text::hyphenate::{HyphenationRules, Hyphenator};
use std::path::{Path, PathBuf};

/// Which editions to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The EPUB 3 ebook.
    pub epub: bool,
    /// The print interior PDF.
    pub print: bool,
    /// The workshop handouts.
    pub handouts: bool,
    /// Also impose handouts as saddle-stitch booklets.
    pub booklet: bool,
    /// The paperback's wraparound cover.
    pub cover: bool,
    /// Also write the cover with trim, fold and safety lines, for proofing.
    pub cover_guides: bool,
}

impl Targets {
    /// Every edition.
    pub const ALL: Targets = Targets {
        epub: true,
        print: true,
        handouts: true,
        booklet: false,
        cover: true,
        cover_guides: false,
    };
}

/// What a build wrote and what it noticed.
#[derive(Debug, Default)]
pub struct Report {
    /// The files written, in order.
    pub written: Vec<PathBuf>,
    /// Warnings from every phase.
    pub warnings: Vec<Warning>,
    /// Words in the book.
    pub words: usize,
    /// The paperback's layout, when a watching build set it (the live preview draws its
    /// pages); `None` for a plain build, which lets it go as soon as it is drawn.
    pub paperback: Option<Typeset>,
    /// The book a watching build read (the live preview lists its chapters).
    pub book: Option<Book>,
}

/// The paperback's settings, resolved from `[print]` in `book.toml`.
pub fn print_style(config: &Config) -> Result<PrintStyle> {
    edition_style(config, &config.print)
}

/// A print edition's settings, resolved from `p` (`[print]`, or an edition's settings
/// over it) and the book-wide ones of `config`. The numbers were range-checked when the
/// configuration was loaded; a trim that does not read is an error here too, never a
/// silent default.
pub fn edition_style(config: &Config, p: &PrintConfig) -> Result<PrintStyle> {
    let size = Pt(*p.font_size.get_ref());
    let leading = Pt(*p.leading.get_ref());
    let margins = Margins::for_type(size, leading);
    let trim = TrimSize::parse(p.trim.get_ref())
        .map_err(|why| crate::error::Error::config(config.locate(&p.trim), why))?;
    let style = PrintStyle {
        kind: EditionKind::Book,
        trim,
        bleed: if p.bleed { Pt::inches(0.125) } else { Pt::ZERO },
        top: margins.top,
        bottom: margins.bottom,
        outside: margins.outside,
        // Added to KDP's minimum gutter, which depends on the page count.
        inside: margins.inside,
        size,
        leading,
        note_size: size,
        note_leading: leading,
        indent: size,
        hyphenate: p.hyphenate,
        breaking: BreakParams {
            pretolerance: *p.pretolerance.get_ref(),
            tolerance: *p.tolerance.get_ref(),
            emergency_stretch: size.0 * 1.5,
            double_hyphen_demerits: *p.consecutive_hyphen_demerits.get_ref(),
            // Far above TeX's 5 000: a paragraph never ends on the tail of a word broken
            // at the line before ("Insti-/tute."), unless no other breaking exists.
            final_hyphen_demerits: 10_000_000.0,
            expansion: *p.expansion.get_ref() / 100.0,
            // A paragraph that cannot be set clean otherwise may space its letters by up
            // to RESCUE_LETTER_SPACING of their advance besides the glyph expansion.
            rescue_expansion: (*p.expansion.get_ref() + RESCUE_LETTER_SPACING) / 100.0,
            ..BreakParams::default()
        },
        hyphen_penalty: *p.hyphen_penalty.get_ref(),
        protrusion: p.protrusion,
        notes: if p.notes.get_ref() == "endnotes" {
            NotePlacement::Endnotes
        } else {
            NotePlacement::Footnotes
        },
        drop_caps: p.drop_caps,
        writing_lines: config.writing_lines(),
        permission: config.handouts.permission.as_ref().map(|p| p.get_ref().clone()),
        fillable: config.handouts.fillable,
        notes_heading: config.words().notes,
        contents_leaders: p.contents_leaders,
        page_references: p.page_references,
        justify: p.justify,
        emphasis: if p.emphasis.get_ref() == "bold" {
            Emphasis::Bold
        } else {
            Emphasis::Italic
        },
        hyphenation_exceptions: p.hyphenation_exceptions.clone(),
        navigation: p.profile.get_ref() != "kdp",
        full_fonts: p.full_fonts,
    };
    Ok(style.with_type(size, leading))
}

/// Letter spacing, in per cent of each glyph's advance, that a paragraph may take only
/// when no setting avoids both a line beyond tolerance and a last line that is the tail
/// of a broken word (`BreakParams::rescue_expansion`; TYPOGRAPHY.md). On a letter half an
/// em wide 3.5 % is under 0.02 em, the few units a compositor tracks a paragraph by to
/// pull a line back. Measured on the generated 60k-word novel: 2.5 % left 5 of its 21
/// faults, 3.5 % none; other seeds keep a few that need more.
const RESCUE_LETTER_SPACING: f64 = 3.5;

/// Handout body type: larger than the book's, for readers of every age at a table.
const HANDOUT_SIZE: Pt = Pt(13.0);
/// Handout leading.
const HANDOUT_LEADING: Pt = Pt(18.0);
/// The handout's measure in ems of its type: about 63 characters a line, inside the
/// 45–75 that book typography asks for (Bringhurst, *The Elements of Typographic
/// Style*, 2.1.2). The rest of the sheet's width is a right margin for the reader's
/// own notes.
const HANDOUT_MEASURE_EMS: f64 = 26.0;
/// Handout footnote size.
const HANDOUT_NOTE_SIZE: Pt = Pt(12.0);
/// Handout footnote leading.
const HANDOUT_NOTE_LEADING: Pt = Pt(15.5);

/// The handouts' settings: office paper, 13 pt type on a measure of 26 ems, one inch
/// on the left and a wide note margin on the right.
pub fn handout_style(config: &Config) -> Result<PrintStyle> {
    let trim = handout_paper(config);
    let mut style = print_style(config)?
        .with_type(HANDOUT_SIZE, HANDOUT_LEADING)
        .with_margins(Pt::inches(0.9), Pt::inches(1.0), Pt::inches(1.0));
    style.outside = trim.width - style.inside - HANDOUT_SIZE * HANDOUT_MEASURE_EMS;
    // Notes a little smaller than the text, but not so small that the measure holds
    // more than 75 of their characters.
    style.note_size = HANDOUT_NOTE_SIZE;
    style.note_leading = HANDOUT_NOTE_LEADING;
    style.kind = EditionKind::Handout;
    style.trim = trim;
    style.bleed = Pt::ZERO;
    style.notes = NotePlacement::Footnotes;
    // Handouts are for the workshop table: justified and hyphenated as the book is,
    // with navigation, whatever the paperback's profile.
    style.navigation = true;
    Ok(style)
}

/// The handouts' settings for booklet pages: half the sheet, slightly smaller type.
pub fn booklet_style(config: &Config) -> Result<PrintStyle> {
    let sheet = handout_paper(config);
    let mut style = handout_style(config)?.with_type(Pt(10.5), Pt(13.5)).with_margins(
        Pt::inches(0.6),
        Pt::inches(0.75),
        Pt::inches(0.6),
    );
    style.trim = TrimSize { width: sheet.height / 2.0, height: sheet.width };
    // A booklet is for paper: its pages are imposed and folded, so fields make no sense.
    style.fillable = false;
    Ok(style)
}

/// US Letter or A4, portrait.
fn handout_paper(config: &Config) -> TrimSize {
    if config.handouts.paper.get_ref() == "a4" { TrimSize::A4 } else { TrimSize::LETTER }
}

/// The essays that get handouts.
pub fn handout_chapters(book: &Book) -> impl Iterator<Item = &crate::model::Chapter> {
    book.essays().filter(|c| c.handout)
}

/// The file name of an essay's handout, without extension: `03-fear-of-conflict`.
pub fn handout_name(chapter: &crate::model::Chapter) -> String {
    format!("{:02}-{}", chapter.number.unwrap_or(0), chapter.slug)
}

/// One essay's handout, set by a worker (and kept between watch rebuilds).
#[derive(Clone)]
struct SetHandout {
    name: String,
    warnings: Vec<Warning>,
    /// The pages, kept for the packet.
    document: Document,
    /// The half-size pages and their imposed booklet, when booklets are asked for.
    booklet: Option<(Document, Vec<u8>)>,
}

/// Renders handout PDFs (and, with `booklet`, their booklet impositions) for `chapters`,
/// plus the packet when `packet` is set, for `out/handouts/`. Handouts are set on every
/// core, then drawn with one embedding of their fonts shared by all of them, so that the
/// packet, which gathers their pages, is put together from the pages already drawn.
#[allow(clippy::too_many_arguments)]
fn render_handouts(
    fonts: &FontSet,
    config: &Config,
    book: &Book,
    dir: &Path,
    out: &Path,
    chapters: &[&crate::model::Chapter],
    packet: bool,
    booklet: bool,
    report: &mut Report,
    outputs: &mut Outputs,
    cache: Option<(&Cache, u64)>,
) -> Result<()> {
    let (rules, _) =
        HyphenationRules::new(&book.meta.language, &config.print.hyphenation_exceptions);
    let style = handout_style(config)?;
    let small = booklet_style(config)?;
    let sheet = handout_paper(config);
    let sheet = TrimSize { width: sheet.height, height: sheet.width };
    let folder = out.join("handouts");
    // A watching build's key of each handout, made once: it serializes the chapter.
    let kept = cache.map(|(cache, inputs)| {
        let keys: Vec<u64> =
            chapters.iter().map(|c| handout_key(inputs, book, c, booklet)).collect();
        (cache, keys)
    });
    let set = crate::parallel::map_with(
        chapters,
        // The hyphenator's cache is per thread: each worker makes its own.
        || rules.build(),
        |hyphenator, i, chapter| -> Result<SetHandout> {
            let key = kept.as_ref().map(|(cache, keys)| (*cache, keys[i]));
            if let Some((cache, key)) = key
                && let Some(handout) = lock(&cache.handouts).get(&key).cloned()
            {
                return Ok(handout);
            }
            let handout = typeset_handout(book, chapter, &style, fonts, hyphenator, dir);
            let booklet = if booklet {
                let pages =
                    typeset_handout(book, chapter, &small, fonts, hyphenator, dir)
                        .document;
                let imposed = crate::pdf::render(&impose_booklet(&pages, sheet), fonts)?;
                Some((pages, imposed))
            } else {
                None
            };
            let handout = SetHandout {
                name: handout_name(chapter),
                warnings: handout.warnings,
                document: handout.document,
                booklet,
            };
            if let Some((cache, key)) = key {
                lock(&cache.handouts).insert(key, handout.clone());
            }
            Ok(handout)
        },
    );
    if let Some((cache, keys)) = &kept {
        // Only what this build used is kept: an edited chapter's old handout goes.
        lock(&cache.handouts).retain(|k, _| keys.contains(k));
    }
    let set: Vec<SetHandout> = set.into_iter().collect::<Result<_>>()?;
    let documents: Vec<&Document> = set.iter().map(|h| &h.document).collect();
    let shared = crate::pdf::shared_fonts(&documents, style.full_fonts, fonts)?;
    let drawn = crate::parallel::map_with(
        &documents,
        || (),
        |_, _, document| -> Result<(Vec<u8>, Vec<crate::pdf::PageContent>)> {
            let contents = crate::pdf::draw_pages(document, &shared, Vec::new());
            let pdf = crate::pdf::assemble(document, &shared, contents.clone())?;
            Ok((pdf, contents))
        },
    );
    let mut whole = Document { full_fonts: style.full_fonts, ..Document::default() };
    // The packet's pages as drawn for its handouts (`None` for a blank page put in to
    // start a handout on a new sheet).
    let mut whole_contents: Vec<Option<crate::pdf::PageContent>> = Vec::new();
    let mut whole_booklet_pages = Document::default();
    for (mut handout, drawn) in set.into_iter().zip(drawn) {
        let (pdf, contents) = drawn?;
        report.warnings.append(&mut handout.warnings);
        let name = &handout.name;
        outputs.push((folder.join(format!("{name}.pdf")), pdf));
        if let Some((pages, imposed)) = handout.booklet {
            outputs.push((folder.join(format!("{name}-booklet.pdf")), imposed));
            if packet {
                whole_booklet_pages.append(pages, true);
            }
        }
        if packet {
            if whole.pages.is_empty() {
                whole.meta = handout.document.meta.clone();
                whole.meta.title = format!("{} — workshop handouts", book.meta.title);
                whole.meta.identifier = format!("{}#handouts", book.meta.identifier);
                whole.navigation = true;
            }
            let before = whole.pages.len();
            let pages = handout.document.pages.len();
            whole.append(handout.document, true);
            let blanks = whole.pages.len() - before - pages;
            whole_contents.extend(std::iter::repeat_with(|| None).take(blanks));
            whole_contents.extend(contents.into_iter().map(Some));
        }
    }
    if packet && !whole.pages.is_empty() {
        whole.page_labels = vec![crate::layout::page::PageLabel {
            from_page: 0,
            style: crate::layout::page::LabelStyle::Decimal,
            first: 1,
        }];
        let contents = crate::pdf::draw_pages(&whole, &shared, whole_contents);
        outputs.push((
            folder.join("packet.pdf"),
            crate::pdf::assemble(&whole, &shared, contents)?,
        ));
        if booklet {
            whole_booklet_pages.meta = whole.meta.clone();
            let imposed = impose_booklet(&whole_booklet_pages, sheet);
            outputs.push((
                folder.join("packet-booklet.pdf"),
                crate::pdf::render(&imposed, fonts)?,
            ));
        }
    }
    Ok(())
}

/// What a watching build keeps from one build to the next (`quire serve`, `build
/// --watch`): each essay's handout as set, under a fingerprint of everything it is made
/// from, so that a save re-sets only the handouts of the chapters it changed (all are
/// drawn again: they share one embedding of their fonts).
#[derive(Default)]
pub struct Cache {
    handouts: std::sync::Mutex<std::collections::HashMap<u64, SetHandout>>,
    /// Called with the EPUB's bytes and the paperback's layout as soon as both are made,
    /// before the other editions (the live preview shows them early); not when the EPUB
    /// waits for the paperback's page list.
    pub early: Option<Box<EarlyPreview>>,
}

impl Cache {
    /// A cache whose builds call `early` with their EPUB and paperback (see
    /// [`Cache::early`]).
    pub fn with_early(early: Box<EarlyPreview>) -> Cache {
        Cache { early: Some(early), ..Cache::default() }
    }
}

/// See [`Cache::early`].
pub type EarlyPreview = dyn Fn(&Book, &[u8], &Typeset) + Send + Sync;

/// A lock that a panicked worker cannot poison for the others.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A fingerprint of what every handout is made from besides its own chapter: the
/// `book.toml` text (every setting), the book's metadata and fixed words, and the name,
/// size and modification time of every file in the manuscript folder other than the
/// chapter files and the output folder (images a chapter shows). Conservative: any change there re-sets every
/// handout.
fn inputs_fingerprint(dir: &Path, out: &Path, config: &Config, book: &Book) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    std::fs::read(&config.path).ok().hash(&mut h);
    serde_json::to_string(&book.meta).ok().hash(&mut h);
    serde_json::to_string(&book.words).ok().hash(&mut h);
    let chapters: std::collections::HashSet<PathBuf> =
        book.chapters.iter().map(|c| dir.join(&c.source)).collect();
    // An output folder inside the manuscript's is the build's own, not an input.
    let out = out.canonicalize().ok();
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        // An unreadable folder changes the fingerprint rather than hiding a change.
        let Ok(entries) = std::fs::read_dir(&folder) else {
            folder.hash(&mut h);
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if out.is_none() || path.canonicalize().ok() != out {
                    folders.push(path);
                }
            } else if !chapters.contains(&path) {
                files.push((path, meta.len(), meta.modified().ok()));
            }
        }
    }
    files.sort();
    files.hash(&mut h);
    h.finish()
}

/// The cache key of one essay's handout: the shared inputs and the chapter itself.
fn handout_key(
    inputs: u64,
    book: &Book,
    chapter: &crate::model::Chapter,
    booklet: bool,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    inputs.hash(&mut h);
    booklet.hash(&mut h);
    serde_json::to_string(chapter).ok().hash(&mut h);
    // Its number among the essays and its place in the book.
    book.chapters.iter().position(|c| c.slug == chapter.slug).hash(&mut h);
    h.finish()
}

/// The group leader's guide, `out/<slug>-leaders-guide.pdf`, in the handouts' page and
/// type, pointing into the paperback at `folios`.
fn leaders_guide(
    fonts: &FontSet,
    config: &Config,
    book: &Book,
    dir: &Path,
    out: &Path,
    folios: &crate::layout::book::PageRefs,
) -> Result<(PathBuf, Vec<u8>)> {
    let style = handout_style(config)?;
    let (hyphenator, _) =
        Hyphenator::new(&book.meta.language, &style.hyphenation_exceptions);
    let guide = crate::layout::guide::typeset_leaders_guide(
        book,
        &style,
        fonts,
        &hyphenator,
        dir,
        folios,
        config.session_minutes(),
    );
    let pdf = crate::pdf::render(&guide.document, fonts)?;
    Ok((out.join(format!("{}-leaders-guide.pdf", book.meta.slug)), pdf))
}

/// Builds the handout of one essay, found by its slug.
pub fn build_handout(
    dir: &Path,
    out: &Path,
    slug: &str,
    booklet: bool,
) -> Result<Report> {
    let mut outputs = Outputs::new();
    let fonts = FontSet::builtin();
    let (config, book, warnings) = load_checked(dir, &fonts)?;
    let mut report = Report { warnings, words: book.word_count(), ..Report::default() };
    let chapter = book.essays().find(|c| c.slug == slug).ok_or_else(|| {
        let known: Vec<&str> = book.essays().map(|c| c.slug.as_str()).collect();
        crate::error::Error::config(
            crate::error::Location::file(&config.path),
            format!(
                "no essay has the slug {slug:?}; the essays are: {}",
                known.join(", ")
            ),
        )
    })?;
    if !chapter.handout {
        report.warnings.push(Warning::at(
            crate::error::Location::file(&dir.join(&chapter.source)),
            format!(
                "this essay is marked `handout = false`, so `quire build` leaves it out \
                 of the handouts; building the handout of {slug:?} because it was asked for \
                 by name"
            ),
        ));
    }
    render_handouts(
        &fonts,
        &config,
        &book,
        dir,
        out,
        &[chapter],
        false,
        booklet,
        &mut report,
        &mut outputs,
        None,
    )?;
    finish(out, outputs, report, false)
}

/// Typesets a print edition of the book (the paperback, or another edition) in
/// `style`: the layout, before drawing.
pub fn typeset_print(
    style: &PrintStyle,
    book: &Book,
    dir: &Path,
    fonts: &FontSet,
) -> Typeset {
    // A missing pattern table is reported by `load`, for every edition alike.
    let (hyphenator, _) =
        Hyphenator::new(&book.meta.language, &style.hyphenation_exceptions);
    typeset_book(book, style, fonts, &hyphenator, dir)
}

/// Loads the manuscript in `dir`, with the warnings about it that do not depend on
/// which editions are made (see [`load_checked`] for the ones that need the fonts).
pub fn load(dir: &Path) -> Result<(Config, Book, Vec<Warning>)> {
    let config = Config::load(dir)?;
    let (book, mut warnings) = crate::markdown::load_with(dir, &config)?;
    let (_, note) = HyphenationRules::new(&book.meta.language, &[]);
    if let Some(note) = note {
        warnings.insert(0, Warning::at(config.locate(&config.book.language), note));
    }
    Ok((config, book, warnings))
}

/// [`load`], plus the characters no bundled font has: every command that reads a
/// manuscript reports the same warnings, whichever editions it makes.
pub fn load_checked(dir: &Path, fonts: &FontSet) -> Result<(Config, Book, Vec<Warning>)> {
    let (config, book, mut warnings) = load(dir)?;
    let missing =
        crate::layout::coverage::missing_glyphs(&book, fonts, dir, &config.path);
    warnings.extend(missing);
    Ok((config, book, warnings))
}

/// Files rendered in memory, written only once every edition has succeeded.
type Outputs = Vec<(PathBuf, Vec<u8>)>;

/// What making some of the editions gave: their warnings and their files.
type Made = (Vec<Warning>, Outputs);

/// Writes rendered files (each atomically) unless warnings are denied and there are some.
fn finish(
    out: &Path,
    outputs: Outputs,
    mut report: Report,
    deny_warnings: bool,
) -> Result<Report> {
    // Re-breaking a paragraph (to balance a spread) can repeat its warning: keep the first.
    let mut seen = std::collections::HashSet::new();
    report.warnings.retain(|w| seen.insert(w.to_string()));
    if deny_warnings && !report.warnings.is_empty() {
        return Err(crate::error::Error::Denied {
            count: report.warnings.len(),
            warnings: report.warnings,
        });
    }
    crate::output::write_all_atomically(out, &outputs)?;
    report.written.extend(outputs.into_iter().map(|(path, _)| path));
    Ok(report)
}

/// Builds the editions in `targets` from the manuscript in `dir` into `out`. Nothing is
/// written unless every edition renders (and, with `deny_warnings`, without a warning).
pub fn build(
    dir: &Path,
    out: &Path,
    targets: Targets,
    deny_warnings: bool,
) -> Result<Report> {
    build_with(&FontSet::builtin(), None, dir, out, targets, deny_warnings)
}

/// [`build`] with fonts already loaded and, for a watching build, what it kept from the
/// last build: its font set (faces and shaping plans) and its [`Cache`]. The files
/// written are the same bytes either way.
pub fn build_with(
    fonts: &FontSet,
    cache: Option<&Cache>,
    dir: &Path,
    out: &Path,
    targets: Targets,
    deny_warnings: bool,
) -> Result<Report> {
    let (config, book, warnings) = load_checked(dir, fonts)?;
    let mut report = Report { warnings, words: book.word_count(), ..Report::default() };
    // Everything runs on the one pool of `parallel`. The ebook is made beside the
    // paperback and then the handouts, which keep every core busy themselves (chapters,
    // handouts and page streams are jobs on the same pool), so the two side by side gain
    // little time; results are gathered in a fixed order, so output and warnings do not
    // depend on timing.
    //
    // With `[epub] page-list`, the ebook carries the paperback's page breaks, so the
    // paperback is laid out first (once, whether or not its PDF is asked for), and the
    // ebook is then made beside the drawing of the PDF. The EPUB never depends on which
    // editions were asked for.
    let page_list = targets.epub && config.epub.page_list;
    let paperback = print_style(&config)?;
    // Editions are laid out for their PDFs and for their own covers.
    let editions: Vec<(String, PrintStyle)> = if targets.print || targets.cover {
        config
            .editions
            .iter()
            .map(|e| Ok((e.name.clone(), edition_style(&config, &e.print)?)))
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    // The leader's guide sends readers to the paperback's pages.
    let guide =
        targets.handouts && crate::layout::guide::guided_essays(&book).next().is_some();
    let covers = crate::cover::Settings::from_config(&config);
    let book = &book;
    // The ebook, with its cover (and the cover's warnings).
    let ebook = |pages: Option<&PageList>| -> Result<(Vec<u8>, Vec<Warning>)> {
        let (image, warnings) = crate::cover::ebook(book, &covers, dir, fonts)?;
        let bytes = crate::epub::render_with_pages(book, dir, pages, Some(&image))?;
        Ok((bytes, warnings))
    };
    // A wraparound cover, `out/<slug>-<name>.pdf`, for an edition of `style` laid out
    // in `pages` pages: its spine is as thick as the edition has pages, so the two
    // never disagree.
    let cover_of = |name: &str, style: &PrintStyle, pages: usize| -> Result<Made> {
        let cover = crate::cover::print(
            book,
            &covers,
            dir,
            fonts,
            (style.trim, pages),
            targets.cover_guides,
            style.full_fonts,
        )?;
        let slug = &book.meta.slug;
        let mut files = vec![(out.join(format!("{slug}-{name}.pdf")), cover.pdf)];
        if let Some(guides) = cover.guides {
            files.push((out.join(format!("{slug}-{name}-guides.pdf")), guides));
        }
        Ok((cover.warnings, files))
    };
    let (early_epub, typeset) = crate::parallel::join(
        || (targets.epub && !page_list).then(|| ebook(None)),
        || {
            // The cover's spine needs the paperback laid out too, even when its PDF is
            // not asked for.
            (targets.print || page_list || guide || targets.cover)
                .then(|| typeset_print(&paperback, book, dir, fonts))
        },
    );
    // Whatever the paperback was laid out for (its PDF, its cover, the EPUB's page list,
    // the guide's page numbers), its warnings are the book's: every format that lays it
    // out reports them.
    let mut typeset = typeset;
    let paperback_warnings =
        typeset.as_mut().map(|t| std::mem::take(&mut t.warnings)).unwrap_or_default();
    if let (Some(cache), Some(Ok((epub, _))), Some(typeset)) =
        (cache, &early_epub, &typeset)
        && let Some(show) = &cache.early
    {
        show(book, epub, typeset);
    }
    let pages = typeset.as_ref().filter(|_| page_list).map(|t| PageList {
        breaks: t.page_breaks.clone(),
        source: config.print_source(),
    });
    let folios = typeset.as_ref().map(|t| t.folios.clone()).unwrap_or_default();
    // With the page list, the early preview's EPUB is made beside the other editions,
    // which take the paperback: the preview gets its own copy.
    let early = cache.and_then(|c| c.early.as_deref());
    let early_typeset =
        typeset.as_ref().filter(|_| page_list && early.is_some()).cloned();
    let (late_epub, (print, handouts)) = crate::parallel::join(
        || {
            (targets.epub && page_list).then(|| {
                let made = ebook(pages.as_ref());
                if let (Ok((epub, _)), Some(typeset), Some(show)) =
                    (&made, &early_typeset, early)
                {
                    show(book, epub, typeset);
                }
                made
            })
        },
        || {
            // The paperback and each edition: its PDF and its cover, as asked for.
            let print =
                typeset.filter(|_| targets.print || targets.cover).map(|typeset| {
                    let mut made: Made = (Vec::new(), Vec::new());
                    let mut add = |(mut warnings, mut files): Made| {
                        made.0.append(&mut warnings);
                        made.1.append(&mut files);
                    };
                    let pages = typeset.document.pages.len();
                    if targets.print {
                        let pdf = crate::pdf::render(&typeset.document, fonts)?;
                        add((
                            vec![],
                            vec![(
                                out.join(format!("{}-print.pdf", book.meta.slug)),
                                pdf,
                            )],
                        ));
                    }
                    if targets.cover {
                        add(cover_of("cover", &paperback, pages)?);
                    }
                    for (name, style) in &editions {
                        let edition = typeset_print(style, book, dir, fonts);
                        let pages = edition.document.pages.len();
                        let mut files = Vec::new();
                        if targets.print {
                            let pdf = crate::pdf::render(&edition.document, fonts)?;
                            files.push((
                                out.join(format!("{}-{name}.pdf", book.meta.slug)),
                                pdf,
                            ));
                        }
                        add((edition.warnings, files));
                        if targets.cover {
                            add(cover_of(&format!("{name}-cover"), style, pages)?);
                        }
                    }
                    // Kept only for a watching build's preview; otherwise its pages go
                    // now, before the handouts are set.
                    Ok((made, cache.is_some().then_some(typeset)))
                });
            let handouts = targets.handouts.then(|| {
                let chapters: Vec<_> = handout_chapters(book).collect();
                let mut part = Report::default();
                let mut files = Outputs::new();
                render_handouts(
                    fonts,
                    &config,
                    book,
                    dir,
                    out,
                    &chapters,
                    true,
                    targets.booklet,
                    &mut part,
                    &mut files,
                    cache.map(|c| (c, inputs_fingerprint(dir, out, &config, book))),
                )?;
                if guide {
                    files.push(leaders_guide(fonts, &config, book, dir, out, &folios)?);
                }
                Ok((part.warnings, files))
            });
            (print, handouts)
        },
    );
    let epub = early_epub.or(late_epub);
    let mut outputs = Outputs::new();
    if let Some(epub) = epub {
        let (bytes, mut warnings) = epub?;
        report.warnings.append(&mut warnings);
        outputs.push((out.join(format!("{}.epub", book.meta.slug)), bytes));
    }
    report.warnings.extend(paperback_warnings);
    let print = match print {
        Some(part) => {
            let (made, typeset) = part?;
            report.paperback = typeset;
            Some(Ok(made))
        }
        None => None,
    };
    let made: [Option<Result<Made>>; 2] = [print, handouts];
    for part in made.into_iter().flatten() {
        let (mut warnings, mut files) = part?;
        report.warnings.append(&mut warnings);
        outputs.append(&mut files);
    }
    let mut report = finish(out, outputs, report, deny_warnings)?;
    if cache.is_some() {
        report.book = Some(book.clone());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::{booklet_style, handout_style};
    use crate::config::{Config, MAX_WRITING_LINES};
    use std::path::Path;

    #[test]
    fn most_writing_lines_fit_on_the_smallest_handout_page() {
        for paper in ["letter", "a4"] {
            let text = format!(
                "[book]\ntitle = \"T\"\nauthor = \"A\"\nlanguage = \"en\"\n\
                 identifier = \"x\"\ndate = \"2026-01-02\"\n[contents]\nchapters = [\"a.md\"]\n\
                 [handouts]\npaper = {paper:?}\nlines-per-question = {MAX_WRITING_LINES}\n"
            );
            let config = Config::parse(Path::new("book.toml"), &text).unwrap();
            for style in
                [handout_style(&config).unwrap(), booklet_style(&config).unwrap()]
            {
                // A question of four lines, its first writing line (two slots), the
                // other writing lines, and the gap after them, on one page.
                let needed = 4 + 2 + (MAX_WRITING_LINES as usize - 1) + 1;
                assert!(
                    style.lines_per_page() >= needed,
                    "{paper}: {}",
                    style.lines_per_page()
                );
            }
        }
    }
}
