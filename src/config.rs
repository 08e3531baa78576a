//! `book.toml`: the typed, strict configuration of a manuscript.
//!
//! [`Config::load`] reads the file, rejects unknown keys and wrong types with the line and
//! column of the offending key, and checks values (dates, language tags, trim sizes, the
//! range of every number) once, so no later phase looks at raw strings or meets a number
//! it cannot use. Every problem the check finds is reported, not only the first.

use crate::error::{Error, LineIndex, Location, Result};
use crate::locale::LabelOverrides;
use crate::locale::numbers::NumberStyle;
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod numbers;

pub use numbers::MAX_WRITING_LINES;

/// The checked contents of `book.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `book.toml` is, for diagnostics.
    pub path: PathBuf,
    /// `[book]`: the metadata.
    pub book: BookConfig,
    /// `[contents]`: the chapter files in reading order.
    pub contents: Contents,
    /// `[print]`: the paperback edition.
    pub print: PrintConfig,
    /// `[handouts]`: the workshop handouts.
    pub handouts: HandoutConfig,
    /// `[epub]`: the ebook.
    pub epub: EpubConfig,
    /// `[labels]`: the author's own fixed words, over the language's.
    pub labels: LabelOverrides,
    /// The print editions besides the paperback (`[book] editions` and
    /// `[editions.NAME]`), each with its settings resolved over `[print]`, by name.
    pub editions: Vec<Edition>,
    /// `[cover]`: the ebook's cover and the paperback's wraparound cover.
    pub cover: CoverConfig,
}

/// A print edition besides the paperback: a name and its whole settings.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its name, in its file name: `out/<slug>-<name>.pdf`.
    pub name: String,
    /// `[print]`, with the edition's preset and then its own table over it.
    pub print: PrintConfig,
}

/// `[editions.NAME]`: an edition's own print settings; each key left out is the
/// paperback's (or the named preset's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EditionConfig {
    /// As `[print] trim`.
    pub trim: Option<Spanned<String>>,
    /// As `[print] font-size`.
    pub font_size: Option<Spanned<f64>>,
    /// As `[print] leading`.
    pub leading: Option<Spanned<f64>>,
    /// As `[print] justify`.
    pub justify: Option<bool>,
    /// As `[print] hyphenate`.
    pub hyphenate: Option<bool>,
    /// As `[print] emphasis`.
    pub emphasis: Option<Spanned<String>>,
    /// As `[print] bleed`.
    pub bleed: Option<bool>,
    /// As `[print] notes`.
    pub notes: Option<Spanned<String>>,
    /// As `[print] drop-caps`.
    pub drop_caps: Option<bool>,
    /// As `[print] profile`.
    pub profile: Option<Spanned<String>>,
    /// As `[print] full-fonts`.
    pub full_fonts: Option<bool>,
}

impl EditionConfig {
    /// The built-in preset of this name, if there is one.
    ///
    /// `large-print` follows the UK's "Clear and large print" guidance (RNIB, 2006) and
    /// the American Printing House for the Blind's large-print guidelines: type of at
    /// least 16 pt (17 here, between APH's 16 and the 18 some agencies prefer), generous
    /// leading (24 pt, 1.4 times the size), text ranged left with no hyphenation, and no
    /// italics for emphasis (bold instead); a 6 × 9 in page keeps the line near 45
    /// characters.
    pub fn preset(name: &str) -> Option<EditionConfig> {
        fn at<T>(value: T) -> Option<Spanned<T>> {
            Some(Spanned::new(0..0, value))
        }
        match name {
            "large-print" => Some(EditionConfig {
                trim: at("6x9".to_string()),
                font_size: at(17.0),
                leading: at(24.0),
                justify: Some(false),
                hyphenate: Some(false),
                emphasis: at("bold".to_string()),
                drop_caps: Some(false),
                ..EditionConfig::default()
            }),
            _ => None,
        }
    }

    /// `base` with this table's keys over it.
    pub fn over(&self, base: &PrintConfig) -> PrintConfig {
        let mut p = base.clone();
        fn set<T: Clone>(to: &mut T, from: &Option<T>) {
            if let Some(v) = from {
                *to = v.clone();
            }
        }
        set(&mut p.trim, &self.trim);
        set(&mut p.font_size, &self.font_size);
        set(&mut p.leading, &self.leading);
        set(&mut p.justify, &self.justify);
        set(&mut p.hyphenate, &self.hyphenate);
        set(&mut p.emphasis, &self.emphasis);
        set(&mut p.bleed, &self.bleed);
        set(&mut p.notes, &self.notes);
        set(&mut p.drop_caps, &self.drop_caps);
        set(&mut p.profile, &self.profile);
        set(&mut p.full_fonts, &self.full_fonts);
        p
    }
}

/// Names an edition may not have: they are other outputs' file names.
const RESERVED_EDITIONS: [&str; 3] = ["print", "cover", "leaders-guide"];

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    /// Main title.
    pub title: String,
    /// Optional subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// The author as credited.
    pub author: String,
    /// BCP 47 language tag, e.g. `en-US`.
    pub language: Spanned<String>,
    /// A stable identifier: `urn:uuid:…` or `urn:isbn:…`.
    pub identifier: Spanned<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Spanned<String>,
    /// Publisher or imprint.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Rights statement for the copyright page.
    #[serde(default)]
    pub rights: Option<String>,
    /// Store blurb.
    #[serde(default)]
    pub description: Option<String>,
    /// Subject headings.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Short name for output files; derived from the title when absent.
    #[serde(default)]
    pub slug: Option<String>,
    /// The word before a chapter's number ("Chapter", "Essay", "" for none); the
    /// language's word for "Chapter" when absent.
    #[serde(default)]
    pub chapter_label: Option<String>,
    /// How chapter numbers are written: `words`, `digits`, `roman` or `none`.
    #[serde(default)]
    pub chapter_numbers: Option<Spanned<String>>,
    /// The word before a part's number; the language's word for "Part" when absent.
    #[serde(default)]
    pub part_label: Option<String>,
    /// How part numbers are written: `words` (the default), `digits`, `roman` or `none`.
    #[serde(default)]
    pub part_numbers: Option<Spanned<String>>,
    /// Further paragraphs for the copyright page, after `rights`.
    #[serde(default)]
    pub copyright_notes: Vec<String>,
    /// Print editions to build besides the paperback: a built-in preset
    /// (`large-print`) or the name of an `[editions.NAME]` table.
    #[serde(default)]
    pub editions: Vec<Spanned<String>>,
}

/// `[contents]`: chapter files relative to the manuscript directory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Contents {
    /// Front matter (dedication, epigraph, a preface…), before the contents page.
    #[serde(default)]
    pub front: Vec<Spanned<String>>,
    /// The numbered chapters (`essays` is the same key under its older name).
    #[serde(default, alias = "essays")]
    pub chapters: Vec<Spanned<String>>,
    /// The numbered chapters grouped into parts, instead of `chapters`.
    #[serde(default)]
    pub parts: Vec<PartConfig>,
    /// Back matter (about the author, acknowledgements…).
    #[serde(default)]
    pub back: Vec<Spanned<String>>,
}

/// One entry of `[contents] parts`: a titled group of chapters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PartConfig {
    /// The part's title ("The Crossing"); its label ("Part One") is added.
    pub title: Spanned<String>,
    /// Its chapter files, in order.
    pub chapters: Vec<Spanned<String>>,
}

impl Contents {
    /// Every numbered chapter file, through the parts, in reading order.
    pub fn numbered(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.chapters.iter().chain(self.parts.iter().flat_map(|p| &p.chapters))
    }
}

/// `[print]`: settings of the paperback interior.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrintConfig {
    /// Trim size: a preset (`6x9`, `5x8`, `5.25x8`, `5.5x8.5`, `a5`, `b-format`, `letter`)
    /// or a custom `WxHin` / `WxHmm`.
    pub trim: Spanned<String>,
    /// Body type size in points.
    pub font_size: Spanned<f64>,
    /// Baseline-to-baseline distance in points.
    pub leading: Spanned<f64>,
    /// Add 0.125 in bleed on the outside, top and bottom edges.
    pub bleed: bool,
    /// `standard`, or `kdp` (no bookmarks or link annotations, which KDP rejects).
    pub profile: Spanned<String>,
    /// Open each essay with a two-line drop cap.
    pub drop_caps: bool,
    /// `footnotes` (at the page foot) or `endnotes` (at the end of each essay).
    pub notes: Spanned<String>,
    /// Embed fonts whole instead of subsetting them.
    pub full_fonts: bool,
    /// Knuth–Plass tolerance of the hyphenating pass (TeX's `\tolerance`).
    pub tolerance: Spanned<f64>,
    /// Tolerance of the first pass, without hyphenation (TeX's `\pretolerance`).
    pub pretolerance: Spanned<f64>,
    /// Cost of breaking at a hyphenation point (TeX's `\hyphenpenalty`).
    pub hyphen_penalty: Spanned<f64>,
    /// Extra demerits for two hyphenated lines in a row (TeX's `\doublehyphendemerits`).
    pub consecutive_hyphen_demerits: Spanned<f64>,
    /// Font expansion of justified lines, in per cent of the glyphs' width (0 turns it
    /// off): how far a line's letters may widen or narrow along with its spaces.
    pub expansion: Spanned<f64>,
    /// Hang punctuation into the margins (optical margin alignment).
    pub protrusion: bool,
    /// Words with their only allowed break points, as `"man-u-script"`.
    pub hyphenation_exceptions: Vec<String>,
    /// Dot leaders between a contents entry and its page number.
    pub contents_leaders: bool,
    /// " (p. 42)" after each cross-reference, with the printed folio of its target's page.
    pub page_references: bool,
    /// The paperback's ISBN (ISBN-13 or ISBN-10, hyphens and spaces allowed): the
    /// EPUB names it as the source of its page numbers.
    pub isbn: Option<Spanned<String>>,
    /// Justify the text (both edges flush); `false` sets it ranged left.
    pub justify: bool,
    /// Hyphenate words at line ends.
    pub hyphenate: bool,
    /// How emphasis is set: `italic`, or `bold` (for readers who find italic hard).
    pub emphasis: Spanned<String>,
    /// The interior's paper, `white`, `cream` or `colour`: its thickness sets the
    /// cover's spine width.
    pub paper: Spanned<String>,
    /// The printer whose paper figures the spine is measured with: `kdp` or `ingram`.
    pub printer: Spanned<String>,
}

/// `[cover]`: the covers. Every key is optional; without an image quire draws a
/// typographic cover from the title, subtitle and author.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverConfig {
    /// The cover art, a PNG or JPEG inside the manuscript folder.
    pub image: Option<Spanned<String>>,
    /// The typographic cover's design: `classic`, `modern` or `minimal`.
    pub style: Spanned<String>,
    /// Its ground colour, `#rrggbb`; each style has its own when absent.
    pub background: Option<Spanned<String>>,
    /// Its type and rule colour, `#rrggbb`.
    pub foreground: Option<Spanned<String>>,
    /// Keep a white box clear for the barcode on the back cover.
    pub barcode: bool,
}

impl Default for CoverConfig {
    fn default() -> Self {
        Self {
            image: None,
            style: Spanned::new(0..0, "classic".into()),
            background: None,
            foreground: None,
            barcode: true,
        }
    }
}

/// `[epub]`: settings of the ebook.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubConfig {
    /// Carry the paperback's page numbers: page-break markers and a page list.
    pub page_list: bool,
}

impl Default for EpubConfig {
    fn default() -> Self {
        Self { page_list: true }
    }
}

/// Font expansion the paperback uses unless `book.toml` says otherwise, in per cent.
/// Microtype's default is 2 and Hàn Thế Thành's experiments found 2–3 % below what a
/// reader notices. Measured on generated novels full of long words, 2.5 % is what keeps
/// hyphenated lines under 3 % with every space within tolerance (TYPOGRAPHY.md).
pub const DEFAULT_EXPANSION: f64 = 2.5;

/// Cost of a hyphenation break unless `book.toml` says otherwise. TeX's 50 was tuned for
/// glue alone; with expansion a line can take up most misfits in its letters, so a
/// hyphen is worth much less than it was and costs six times as much.
pub const DEFAULT_HYPHEN_PENALTY: f64 = 300.0;

/// The most font expansion `book.toml` may ask for, in per cent: past this the letters'
/// shapes visibly change.
pub const MAX_EXPANSION: f64 = 5.0;

impl Default for PrintConfig {
    fn default() -> Self {
        Self {
            trim: Spanned::new(0..0, "6x9".into()),
            font_size: Spanned::new(0..0, 11.0),
            leading: Spanned::new(0..0, 14.5),
            bleed: false,
            profile: Spanned::new(0..0, "standard".into()),
            drop_caps: false,
            notes: Spanned::new(0..0, "footnotes".into()),
            full_fonts: false,
            tolerance: Spanned::new(0..0, 200.0),
            pretolerance: Spanned::new(0..0, 100.0),
            hyphen_penalty: Spanned::new(0..0, DEFAULT_HYPHEN_PENALTY),
            consecutive_hyphen_demerits: Spanned::new(0..0, 10_000.0),
            expansion: Spanned::new(0..0, DEFAULT_EXPANSION),
            protrusion: true,
            hyphenation_exceptions: Vec::new(),
            contents_leaders: false,
            page_references: false,
            isbn: None,
            justify: true,
            hyphenate: true,
            emphasis: Spanned::new(0..0, "italic".into()),
            paper: Spanned::new(0..0, "white".into()),
            printer: Spanned::new(0..0, "kdp".into()),
        }
    }
}

/// `[handouts]`: workshop handouts.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HandoutConfig {
    /// `letter` or `a4`.
    pub paper: Spanned<String>,
    /// Ruled writing lines after each reflection question. Read as any number, so that
    /// `4e9` or `2.5` get the same message as `-1`; see [`Config::writing_lines`].
    pub lines_per_question: Spanned<f64>,
    /// Permission line printed in every handout's footer; at most
    /// [`MAX_PERMISSION_CHARS`], which set in two lines of the footer.
    pub permission: Option<Spanned<String>>,
    /// A PDF text field over each question's writing lines, so that answers can be
    /// typed in any PDF reader (booklets never get them).
    pub fillable: bool,
    /// The length of one group session, in minutes, for the leader's guide's plan.
    pub session_minutes: Spanned<f64>,
}

impl Default for HandoutConfig {
    fn default() -> Self {
        Self {
            paper: Spanned::new(0..0, "letter".into()),
            lines_per_question: Spanned::new(0..0, 4.0),
            permission: None,
            fillable: false,
            session_minutes: Spanned::new(0..0, 90.0),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: BookConfig,
    #[serde(default)]
    contents: Contents,
    #[serde(default)]
    print: PrintConfig,
    #[serde(default)]
    handouts: HandoutConfig,
    #[serde(default)]
    epub: EpubConfig,
    #[serde(default)]
    labels: LabelOverrides,
    #[serde(default)]
    cover: CoverConfig,
    #[serde(default)]
    editions: std::collections::BTreeMap<String, Spanned<EditionConfig>>,
}

/// The print editions besides the paperback: those `[book] editions` names, then those
/// with a table of their own not named there, each over its preset if it has one.
fn resolve_editions(
    config: &Config,
    tables: &std::collections::BTreeMap<String, Spanned<EditionConfig>>,
    problems: &mut Problems<'_>,
) -> Vec<Edition> {
    let mut names: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for name in &config.book.editions {
        if names.iter().any(|(n, _)| n == name.get_ref()) {
            problems.add(
                name.span(),
                format!("edition {:?} is listed twice", name.get_ref()),
            );
        } else {
            names.push((name.get_ref().clone(), name.span()));
        }
    }
    for (name, table) in tables {
        if !names.iter().any(|(n, _)| n == name) {
            names.push((name.clone(), table.span()));
        }
    }
    let mut editions = Vec::new();
    for (name, span) in names {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.starts_with('-');
        if !valid {
            problems.add(
                span,
                format!(
                    "edition name {name:?} must be lower-case letters, digits and hyphens \
                     (it is part of the file name)"
                ),
            );
            continue;
        }
        if RESERVED_EDITIONS.contains(&name.as_str()) {
            problems.add(
                span,
                format!("edition name {name:?} is another output's; choose another name"),
            );
            continue;
        }
        let preset = EditionConfig::preset(&name);
        let table = tables.get(&name).map(Spanned::get_ref);
        if preset.is_none() && table.is_none() {
            problems.add(
                span,
                format!(
                    "edition {name:?} is not a built-in one (large-print) and has no \
                     [editions.{name}] table giving its settings"
                ),
            );
            continue;
        }
        let mut print = config.print.clone();
        for layer in preset.iter().chain(table) {
            print = layer.over(&print);
        }
        editions.push(Edition { name, print });
    }
    editions
}

/// The longest handout permission line: two lines of the footer at its smallest size.
pub const MAX_PERMISSION_CHARS: usize = 200;

/// The name of the configuration file inside a manuscript directory.
pub const CONFIG_FILE: &str = "book.toml";

impl Config {
    /// Reads and checks `dir/book.toml`.
    pub fn load(dir: &Path) -> Result<Config> {
        if !dir.is_dir() {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "manuscript directory not found",
                ),
            });
        }
        let path = dir.join(CONFIG_FILE);
        let manuscript = crate::input::Manuscript::open(dir)
            .map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
        let bytes = manuscript.read(Path::new(CONFIG_FILE)).map_err(|why| match why {
            crate::input::Refusal::NotFound => Error::config(
                Location::file(&path),
                format!(
                    "the manuscript folder {} has no {CONFIG_FILE}; every book needs one \
                     (`quire new DIR` makes a manuscript to start from)",
                    dir.display()
                ),
            ),
            why => Error::config(Location::file(&path), format!("{CONFIG_FILE} {why}")),
        })?;
        let (text, removed) =
            crate::markdown::source::decode_with_warnings(&path, &bytes)?;
        // Dropping a character here would silently change a file name or a setting.
        if let Some(at) = removed.into_iter().find_map(|w| w.at) {
            return Err(Error::config(
                at,
                "a control character or noncharacter is here (an invisible character such \
                 as NUL); delete it",
            ));
        }
        Self::parse(&path, &text)
    }

    /// Parses and checks the text of a `book.toml` read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let index = LineIndex::new(text);
        let at = |span: Range<usize>| {
            let (line, column) = index.line_col(text, span.start);
            Location::new(path, line, column)
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            Error::config(at(span), e.message().trim().to_string())
        })?;
        let config = Config {
            path: path.to_path_buf(),
            book: raw.book,
            contents: raw.contents,
            print: raw.print,
            handouts: raw.handouts,
            epub: raw.epub,
            labels: raw.labels,
            editions: Vec::new(),
            cover: raw.cover,
        };
        let mut problems = Problems { at: &at, text, errors: Vec::new() };
        let editions = resolve_editions(&config, &raw.editions, &mut problems);
        let config = Config { editions, ..config };
        config.check(&mut problems);
        Error::many(problems.errors)?;
        Ok(config)
    }

    /// Checks values that serde's types cannot express, and reports every problem found.
    fn check(&self, problems: &mut Problems<'_>) {
        let b = &self.book;
        if chrono::NaiveDate::parse_from_str(b.date.get_ref(), "%Y-%m-%d").is_err() {
            problems.add(
                b.date.span(),
                format!(
                    "date {:?} is not a calendar date in the form YYYY-MM-DD",
                    b.date.get_ref()
                ),
            );
        }
        if !is_language_tag(b.language.get_ref()) {
            problems.add(
                b.language.span(),
                format!(
                    "language {:?} is not a BCP 47 tag such as \"en-US\"",
                    b.language.get_ref()
                ),
            );
        }
        let id = b.identifier.get_ref();
        if let Some(uuid) = id.strip_prefix("urn:uuid:") {
            if uuid::Uuid::parse_str(uuid).is_err() {
                problems.add(
                    b.identifier.span(),
                    format!("identifier {id:?} does not hold a valid UUID"),
                );
            }
        } else if id.trim().is_empty() {
            problems.add(b.identifier.span(), "identifier is empty");
        }
        if b.title.trim().is_empty() {
            problems.add(0..0, "[book] title is empty");
        }
        let p = &self.print;
        let editions = self.editions.iter().map(|e| &e.print);
        let choices = std::iter::once(p)
            .chain(editions)
            .flat_map(|p| {
                [
                    (&p.profile, &["standard", "kdp"][..]),
                    (&p.notes, &["footnotes", "endnotes"][..]),
                    (&p.emphasis, &["italic", "bold"][..]),
                    (&p.paper, &["white", "cream", "colour"][..]),
                    (&p.printer, &["kdp", "ingram"][..]),
                ]
            })
            .chain([(&self.cover.style, &["classic", "modern", "minimal"][..])]);
        let mut seen = std::collections::HashSet::new();
        for (value, allowed) in choices {
            // An edition's value taken from `[print]` was already checked there.
            if !seen.insert((value.span(), value.get_ref().clone())) {
                continue;
            }
            if !allowed.contains(&value.get_ref().as_str()) {
                problems.add(
                    value.span(),
                    format!("{:?} is not one of {}", value.get_ref(), allowed.join(", ")),
                );
            }
        }
        if let Some(isbn) = &p.isbn
            && let Err(why) = parse_isbn(isbn.get_ref())
        {
            problems.add(isbn.span(), format!("isbn {:?} {why}", isbn.get_ref()));
        }
        numbers::check(self, problems);
        let cover = &self.cover;
        for colour in [&cover.background, &cover.foreground].into_iter().flatten() {
            if crate::layout::page::Rgb::parse(colour.get_ref()).is_none() {
                problems.add(
                    colour.span(),
                    format!(
                        "colour {:?} is not a hex colour such as \"#1b2a41\"",
                        colour.get_ref()
                    ),
                );
            }
        }
        if let Some(image) = &cover.image {
            let name = image.get_ref().to_ascii_lowercase();
            if ![".png", ".jpg", ".jpeg"].iter().any(|ext| name.ends_with(ext)) {
                problems.add(
                    image.span(),
                    format!(
                        "cover image {:?} is not a .png, .jpg or .jpeg file; stores take \
                         JPEG or PNG covers",
                        image.get_ref()
                    ),
                );
            }
        }
        let h = &self.handouts;
        if let Some(permission) = &h.permission {
            let chars = permission.get_ref().chars().count();
            if chars > MAX_PERMISSION_CHARS {
                problems.add(
                    permission.span(),
                    format!(
                        "permission is {chars} characters; a handout's footer holds at most \
                         {MAX_PERMISSION_CHARS}: shorten it"
                    ),
                );
            }
        }
        if !["letter", "a4"].contains(&h.paper.get_ref().as_str()) {
            problems.add(
                h.paper.span(),
                format!("paper {:?} is not \"letter\" or \"a4\"", h.paper.get_ref()),
            );
        }
        for value in [&b.chapter_numbers, &b.part_numbers].into_iter().flatten() {
            if NumberStyle::parse(value.get_ref()).is_none() {
                problems.add(
                    value.span(),
                    format!(
                        "{:?} is not one of words, digits, roman, none",
                        value.get_ref()
                    ),
                );
            }
        }
        let c = &self.contents;
        if !c.chapters.is_empty() && !c.parts.is_empty() {
            problems.add(
                c.parts[0].title.span(),
                "[contents] lists both `chapters` and `parts`; put every chapter in a part",
            );
        }
        for part in &c.parts {
            if part.title.get_ref().trim().is_empty() {
                problems.add(part.title.span(), "a part's title is empty");
            }
            if part.chapters.is_empty() {
                problems.add(
                    part.title.span(),
                    format!("part {:?} lists no chapter files", part.title.get_ref()),
                );
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for file in c.front.iter().chain(c.numbered()).chain(&c.back) {
            if !seen.insert(file.get_ref().clone()) {
                problems.add(
                    file.span(),
                    format!("chapter file {:?} is listed twice", file.get_ref()),
                );
            }
        }
        if c.numbered().next().is_none() {
            problems.add(
                0..0,
                "[contents] lists no chapter files: give `chapters` (or `parts`)",
            );
        }
    }

    /// The location of a spanned value in `book.toml`, for errors found after loading.
    pub fn locate<T>(&self, value: &Spanned<T>) -> Location {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        let (line, column) = LineIndex::new(&text).line_col(&text, value.span().start);
        Location::new(&self.path, line, column)
    }

    /// The print edition the EPUB's page numbers are those of (`dc:source`): the
    /// paperback's ISBN as `urn:isbn:…` (its digits, as checked), else the book's
    /// identifier.
    pub fn print_source(&self) -> String {
        self.print
            .isbn
            .as_ref()
            .and_then(|isbn| parse_isbn(isbn.get_ref()).ok())
            .map_or_else(
                || self.book.identifier.get_ref().clone(),
                |digits| format!("urn:isbn:{digits}"),
            )
    }

    /// The book's fixed words: its language's, with the author's overrides.
    pub fn words(&self) -> crate::locale::Words {
        crate::locale::Words::for_language(self.book.language.get_ref()).with_overrides(
            &self.labels,
            self.book.chapter_label.as_deref(),
            self.book.part_label.as_deref(),
        )
    }

    /// Ruled writing lines after each handout question, as checked (0 to
    /// [`MAX_WRITING_LINES`]).
    pub fn writing_lines(&self) -> u32 {
        // Checked when loaded: a whole number in range, so the conversion is exact.
        (*self.handouts.lines_per_question.get_ref()).clamp(0.0, MAX_WRITING_LINES.into())
            as u32
    }

    /// The length of one group session in minutes, as checked (20 to 480).
    pub fn session_minutes(&self) -> u32 {
        // Checked when loaded: a whole number in range, so the conversion is exact.
        (*self.handouts.session_minutes.get_ref()).clamp(20.0, 480.0) as u32
    }

    /// How chapter numbers are written (`digits` when not set).
    pub fn chapter_numbers(&self) -> NumberStyle {
        number_style(&self.book.chapter_numbers, NumberStyle::Digits)
    }

    /// How part numbers are written (`words` when not set).
    pub fn part_numbers(&self) -> NumberStyle {
        number_style(&self.book.part_numbers, NumberStyle::Words)
    }

    /// The output slug: `[book] slug`, or the title made file-name-safe.
    pub fn slug(&self) -> String {
        match &self.book.slug {
            Some(s) => slugify(s),
            None => slugify(&self.book.title),
        }
    }
}

/// The problems [`Config::check`] finds, each placed in `book.toml`, all reported at once.
struct Problems<'a> {
    /// The place of a byte range of `book.toml`.
    at: &'a dyn Fn(Range<usize>) -> Location,
    /// The text of `book.toml`, to quote values as they were written.
    text: &'a str,
    /// What was found so far.
    errors: Vec<Error>,
}

impl Problems<'_> {
    /// A problem with the value at `span` (`0..0` for the file as a whole).
    fn add(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(Error::config((self.at)(span), message));
    }

    /// A number as written in `book.toml`, or as quire writes it when it is a default.
    fn written(&self, value: &Spanned<f64>) -> String {
        match self.text.get(value.span()) {
            Some(written) if !written.trim().is_empty() => written.trim().to_string(),
            _ => numbers::show(*value.get_ref()),
        }
    }
}

/// A checked number style, or `default` when the key is absent.
/// An ISBN's digits (and a final `X` of an ISBN-10) with hyphens and spaces taken out,
/// when it has the length and check digit of an ISBN-13 or an ISBN-10; otherwise what is
/// wrong with it.
fn parse_isbn(text: &str) -> std::result::Result<String, String> {
    let digits: String = text
        .chars()
        .filter(|c| *c != '-' && *c != ' ')
        .collect::<String>()
        .to_uppercase();
    let value = |c: char| c.to_digit(10);
    match digits.len() {
        13 => {
            let Some(values) = digits.chars().map(value).collect::<Option<Vec<u32>>>()
            else {
                return Err("has a character that is not a digit".into());
            };
            let sum: u32 = values
                .iter()
                .enumerate()
                .map(|(i, v)| if i % 2 == 0 { *v } else { v * 3 })
                .sum();
            if !sum.is_multiple_of(10) {
                return Err("has a wrong check digit (the last digit): check it".into());
            }
        }
        10 => {
            let mut sum = 0;
            for (i, c) in digits.chars().enumerate() {
                let v = match (value(c), c, i) {
                    (Some(v), _, _) => v,
                    (None, 'X', 9) => 10,
                    _ => return Err("has a character that is not a digit".into()),
                };
                sum += v * (10 - i as u32);
            }
            if !sum.is_multiple_of(11) {
                return Err("has a wrong check digit (the last digit): check it".into());
            }
        }
        n => {
            return Err(format!(
                "has {n} digits; an ISBN has 13 (or 10, for an old ISBN-10)"
            ));
        }
    }
    Ok(digits)
}

fn number_style(value: &Option<Spanned<String>>, default: NumberStyle) -> NumberStyle {
    value.as_ref().and_then(|v| NumberStyle::parse(v.get_ref())).unwrap_or(default)
}

/// The longest slug: output files and EPUB documents are named after slugs, and a name
/// must stay well under the file systems' 255-byte limit with its prefix and extension.
pub const MAX_SLUG: usize = 80;

/// Lower-case ASCII letters and digits joined by single hyphens, at most [`MAX_SLUG`]
/// long (cut at a word boundary when there is one in the second half).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG {
        let cut = slug[..=MAX_SLUG].rfind('-').filter(|&i| i >= MAX_SLUG / 2);
        slug.truncate(cut.unwrap_or(MAX_SLUG));
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "book".into() } else { slug }
}

/// A plausible BCP 47 tag: a 2–3 letter primary subtag and alphanumeric subtags.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| {
            (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::{Config, parse_isbn, slugify};
    use std::path::Path;

    const MINIMAL: &str = r#"
[book]
title = "T"
author = "A"
language = "en-US"
identifier = "urn:uuid:6f1c2a4e-3b9d-5e27-9a41-0c7d58e2b613"
date = "2026-01-02"
[contents]
essays = ["a.md"]
"#;

    #[test]
    fn isbns_are_checked() {
        assert_eq!(parse_isbn("978-0-306-40615-7").as_deref(), Ok("9780306406157"));
        assert_eq!(parse_isbn("0 8044 2957 x").as_deref(), Ok("080442957X"));
        assert!(parse_isbn("978-0-306-40615-8").unwrap_err().contains("check digit"));
        assert!(parse_isbn("080442957-5").unwrap_err().contains("check digit"));
        assert!(parse_isbn("97803064061").unwrap_err().contains("11 digits"));
        assert!(parse_isbn("978030640615X").unwrap_err().contains("not a digit"));
    }

    #[test]
    fn a_bad_isbn_is_located_and_a_good_one_is_the_page_source() {
        let bad = format!("{MINIMAL}[print]\nisbn = \"978-0-306-40615-8\"\n");
        let err = Config::parse(Path::new("book.toml"), &bad).unwrap_err().to_string();
        assert!(err.contains("book.toml:11:8"), "{err}");
        assert!(err.contains("check digit"), "{err}");
        let good = format!("{MINIMAL}[print]\nisbn = \"978-0-306-40615-7\"\n");
        let c = Config::parse(Path::new("book.toml"), &good).unwrap();
        assert_eq!(c.print_source(), "urn:isbn:9780306406157");
        let c = Config::parse(Path::new("book.toml"), MINIMAL).unwrap();
        assert_eq!(c.print_source(), "urn:uuid:6f1c2a4e-3b9d-5e27-9a41-0c7d58e2b613");
        assert!(c.epub.page_list);
        let off = format!("{MINIMAL}[epub]\npage-list = false\n");
        assert!(!Config::parse(Path::new("book.toml"), &off).unwrap().epub.page_list);
        let unknown = format!("{MINIMAL}[epub]\npagelist = false\n");
        assert!(Config::parse(Path::new("book.toml"), &unknown).is_err());
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(Path::new("book.toml"), MINIMAL).unwrap();
        assert_eq!(c.print.trim.get_ref(), "6x9");
        assert_eq!(c.writing_lines(), 4);
        assert_eq!(c.slug(), "t");
    }

    #[test]
    fn unknown_key_is_rejected_with_its_line() {
        let text = MINIMAL.replace("author = \"A\"", "author = \"A\"\nauthour = \"B\"");
        let err = Config::parse(Path::new("book.toml"), &text).unwrap_err().to_string();
        assert!(err.starts_with("book.toml:5:1: unknown field `authour`"), "{err}");
    }

    #[test]
    fn bad_date_and_duplicate_chapter_are_located() {
        let text = MINIMAL.replace("2026-01-02", "2026-13-02");
        let err = Config::parse(Path::new("book.toml"), &text).unwrap_err().to_string();
        assert!(err.starts_with("book.toml:7:8:"), "{err}");
        let text = MINIMAL.replace("[\"a.md\"]", "[\"a.md\", \"a.md\"]");
        let err = Config::parse(Path::new("book.toml"), &text).unwrap_err().to_string();
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slugify("The Quiet Room: Essays!"), "the-quiet-room-essays");
        let long = slugify(&"word ".repeat(100));
        assert!(long.len() <= super::MAX_SLUG && long.ends_with("word"), "{long}");
        assert_eq!(slugify(&"x".repeat(300)).len(), super::MAX_SLUG);
    }
}
