//! The fixed words a book prints around the author's text — "Contents", "Chapter",
//! "Part", "Notes", the copyright lines, "page X of Y" — in the book's language.
//!
//! One table per language, chosen by the primary subtag of `[book] language`; English
//! for a language without a table. Every word can be overridden in `[labels]` of
//! `book.toml`, so a book in any language, or with a house style of its own, prints only
//! what its author chose. Number words for chapter labels live in [`numbers`].

pub mod numbers;

use serde::Serialize;

/// The book's fixed words, resolved for its language and overrides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Words {
    /// Heading of the table of contents.
    pub contents: String,
    /// The word before a chapter's number ("Chapter" in "Chapter One").
    pub chapter: String,
    /// The word before a part's number ("Part" in "Part Two").
    pub part: String,
    /// Heading of endnotes.
    pub notes: String,
    /// Navigation name of the title page.
    pub title_page: String,
    /// Navigation name of the ebook's cover page.
    pub cover: String,
    /// Navigation name of the copyright page.
    pub copyright: String,
    /// Navigation name of a dedication.
    pub dedication: String,
    /// Navigation name of an epigraph.
    pub epigraph: String,
    /// A handout's page count: `{page}` and `{pages}` are replaced.
    pub page_of: String,
    /// Copyright page: `{publisher}` is replaced.
    pub published_by: String,
    /// Copyright page: `{date}` is replaced by the publication date, written out.
    pub first_published: String,
    /// Copyright page: `{identifier}` is replaced.
    pub identifier: String,
    /// Copyright page: the closing credit.
    pub typeset_with: String,
    /// Month names, January first, as written inside a date.
    #[serde(skip)]
    months: [&'static str; 12],
    /// How a date is written: `{d}`, `{month}` and `{y}` are replaced.
    #[serde(skip)]
    date_pattern: &'static str,
}

/// One language's table.
struct Table {
    languages: &'static [&'static str],
    contents: &'static str,
    chapter: &'static str,
    part: &'static str,
    notes: &'static str,
    title_page: &'static str,
    cover: &'static str,
    copyright: &'static str,
    dedication: &'static str,
    epigraph: &'static str,
    page_of: &'static str,
    published_by: &'static str,
    first_published: &'static str,
    identifier: &'static str,
    typeset_with: &'static str,
    months: [&'static str; 12],
    date_pattern: &'static str,
}

const ENGLISH: Table = Table {
    languages: &["en"],
    contents: "Contents",
    chapter: "Chapter",
    part: "Part",
    notes: "Notes",
    title_page: "Title Page",
    cover: "Cover",
    copyright: "Copyright",
    dedication: "Dedication",
    epigraph: "Epigraph",
    page_of: "page {page} of {pages}",
    published_by: "Published by {publisher}.",
    first_published: "First published {date}.",
    identifier: "Identifier: {identifier}",
    typeset_with: "Typeset with quire.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date_pattern: "{month} {d}, {y}",
};

const TABLES: &[Table] = &[
    ENGLISH,
    Table {
        languages: &["de"],
        contents: "Inhalt",
        chapter: "Kapitel",
        part: "Teil",
        notes: "Anmerkungen",
        title_page: "Titelseite",
        cover: "Umschlag",
        copyright: "Impressum",
        dedication: "Widmung",
        epigraph: "Motto",
        page_of: "Seite {page} von {pages}",
        published_by: "Erschienen bei {publisher}.",
        first_published: "Erstausgabe {date}.",
        identifier: "Kennung: {identifier}",
        typeset_with: "Gesetzt mit quire.",
        months: [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        date_pattern: "{d}. {month} {y}",
    },
    Table {
        languages: &["fr"],
        contents: "Table des matières",
        chapter: "Chapitre",
        part: "Partie",
        notes: "Notes",
        title_page: "Page de titre",
        cover: "Couverture",
        copyright: "Droits d’auteur",
        dedication: "Dédicace",
        epigraph: "Épigraphe",
        page_of: "page {page} sur {pages}",
        published_by: "Publié par {publisher}.",
        first_published: "Première publication : {date}.",
        identifier: "Identifiant : {identifier}",
        typeset_with: "Composé avec quire.",
        months: [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        date_pattern: "{d} {month} {y}",
    },
    Table {
        languages: &["es"],
        contents: "Índice",
        chapter: "Capítulo",
        part: "Parte",
        notes: "Notas",
        title_page: "Portada",
        cover: "Cubierta",
        copyright: "Créditos",
        dedication: "Dedicatoria",
        epigraph: "Epígrafe",
        page_of: "página {page} de {pages}",
        published_by: "Publicado por {publisher}.",
        first_published: "Primera edición: {date}.",
        identifier: "Identificador: {identifier}",
        typeset_with: "Compuesto con quire.",
        months: [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        date_pattern: "{d} de {month} de {y}",
    },
    Table {
        languages: &["it"],
        contents: "Indice",
        chapter: "Capitolo",
        part: "Parte",
        notes: "Note",
        title_page: "Frontespizio",
        cover: "Copertina",
        copyright: "Copyright",
        dedication: "Dedica",
        epigraph: "Epigrafe",
        page_of: "pagina {page} di {pages}",
        published_by: "Pubblicato da {publisher}.",
        first_published: "Prima edizione: {date}.",
        identifier: "Identificativo: {identifier}",
        typeset_with: "Composto con quire.",
        months: [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
        date_pattern: "{d} {month} {y}",
    },
    Table {
        languages: &["pt"],
        contents: "Sumário",
        chapter: "Capítulo",
        part: "Parte",
        notes: "Notas",
        title_page: "Folha de rosto",
        cover: "Capa",
        copyright: "Direitos autorais",
        dedication: "Dedicatória",
        epigraph: "Epígrafe",
        page_of: "página {page} de {pages}",
        published_by: "Publicado por {publisher}.",
        first_published: "Primeira edição: {date}.",
        identifier: "Identificador: {identifier}",
        typeset_with: "Composto com quire.",
        months: [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
        date_pattern: "{d} de {month} de {y}",
    },
    Table {
        languages: &["nl"],
        contents: "Inhoud",
        chapter: "Hoofdstuk",
        part: "Deel",
        notes: "Noten",
        title_page: "Titelpagina",
        cover: "Omslag",
        copyright: "Colofon",
        dedication: "Opdracht",
        epigraph: "Motto",
        page_of: "pagina {page} van {pages}",
        published_by: "Uitgegeven door {publisher}.",
        first_published: "Eerste uitgave: {date}.",
        identifier: "Kenmerk: {identifier}",
        typeset_with: "Gezet met quire.",
        months: [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        date_pattern: "{d} {month} {y}",
    },
];

/// The primary subtag of a BCP 47 tag, lower case: `pt` of `pt-BR`.
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Whether quire has a table of its own for the language of `tag`.
pub fn has_table(tag: &str) -> bool {
    let primary = primary_language(tag);
    TABLES.iter().any(|t| t.languages.contains(&primary.as_str()))
}

/// Overrides of the language's words, from `[labels]` in `book.toml`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LabelOverrides {
    /// "Contents".
    pub contents: Option<String>,
    /// "Notes" (endnotes heading).
    pub notes: Option<String>,
    /// "Title Page".
    pub title_page: Option<String>,
    /// "Copyright".
    pub copyright: Option<String>,
    /// "Dedication".
    pub dedication: Option<String>,
    /// "Epigraph".
    pub epigraph: Option<String>,
    /// "page {page} of {pages}".
    pub page_of: Option<String>,
    /// "Published by {publisher}."
    pub published_by: Option<String>,
    /// "First published {date}."
    pub first_published: Option<String>,
    /// "Identifier: {identifier}".
    pub identifier: Option<String>,
    /// "Typeset with quire."
    pub typeset_with: Option<String>,
}

impl Words {
    /// The words for the language of `tag` (English when quire has no table for it).
    pub fn for_language(tag: &str) -> Words {
        let primary = primary_language(tag);
        let t = TABLES
            .iter()
            .find(|t| t.languages.contains(&primary.as_str()))
            .unwrap_or(&ENGLISH);
        Words {
            contents: t.contents.into(),
            chapter: t.chapter.into(),
            part: t.part.into(),
            notes: t.notes.into(),
            title_page: t.title_page.into(),
            cover: t.cover.into(),
            copyright: t.copyright.into(),
            dedication: t.dedication.into(),
            epigraph: t.epigraph.into(),
            page_of: t.page_of.into(),
            published_by: t.published_by.into(),
            first_published: t.first_published.into(),
            identifier: t.identifier.into(),
            typeset_with: t.typeset_with.into(),
            months: t.months,
            date_pattern: t.date_pattern,
        }
    }

    /// These words with the author's overrides applied; `chapter` and `part` come from
    /// `[book] chapter-label` and `part-label` when set.
    pub fn with_overrides(
        mut self,
        labels: &LabelOverrides,
        chapter: Option<&str>,
        part: Option<&str>,
    ) -> Words {
        let pairs: [(&mut String, &Option<String>); 11] = [
            (&mut self.contents, &labels.contents),
            (&mut self.notes, &labels.notes),
            (&mut self.title_page, &labels.title_page),
            (&mut self.copyright, &labels.copyright),
            (&mut self.dedication, &labels.dedication),
            (&mut self.epigraph, &labels.epigraph),
            (&mut self.page_of, &labels.page_of),
            (&mut self.published_by, &labels.published_by),
            (&mut self.first_published, &labels.first_published),
            (&mut self.identifier, &labels.identifier),
            (&mut self.typeset_with, &labels.typeset_with),
        ];
        for (word, given) in pairs {
            if let Some(given) = given {
                *word = given.clone();
            }
        }
        if let Some(chapter) = chapter {
            self.chapter = chapter.to_string();
        }
        if let Some(part) = part {
            self.part = part.to_string();
        }
        self
    }

    /// "page 2 of 5", in the book's language.
    pub fn page_of(&self, page: usize, pages: usize) -> String {
        self.page_of
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    }

    /// A `YYYY-MM-DD` date written out ("November 1, 2026"); the date as given when it
    /// is not in that form.
    pub fn date(&self, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next())
        else {
            return iso.to_string();
        };
        let (Ok(month), Ok(day)) = (m.parse::<usize>(), d.parse::<u32>()) else {
            return iso.to_string();
        };
        let Some(name) = month.checked_sub(1).and_then(|i| self.months.get(i)) else {
            return iso.to_string();
        };
        self.date_pattern
            .replace("{d}", &day.to_string())
            .replace("{month}", name)
            .replace("{y}", y)
    }
}

/// Replaces `{key}` in `pattern` with `value`.
pub fn fill(pattern: &str, key: &str, value: &str) -> String {
    pattern.replace(&format!("{{{key}}}"), value)
}

#[cfg(test)]
mod tests {
    use super::{LabelOverrides, Words, has_table};

    #[test]
    fn each_language_has_its_own_words() {
        assert_eq!(Words::for_language("de-DE").contents, "Inhalt");
        assert_eq!(Words::for_language("de").chapter, "Kapitel");
        assert_eq!(Words::for_language("fr-CA").chapter, "Chapitre");
        assert_eq!(Words::for_language("es").contents, "Índice");
        assert_eq!(Words::for_language("it").part, "Parte");
        assert_eq!(Words::for_language("pt-BR").chapter, "Capítulo");
        assert_eq!(Words::for_language("nl").chapter, "Hoofdstuk");
        assert_eq!(Words::for_language("en-GB").contents, "Contents");
        assert_eq!(Words::for_language("fi").contents, "Contents");
        assert!(has_table("nl-BE") && !has_table("fi"));
    }

    #[test]
    fn overrides_win() {
        let labels = LabelOverrides {
            contents: Some("Table of Contents".into()),
            ..Default::default()
        };
        let words =
            Words::for_language("en").with_overrides(&labels, Some("Essay"), None);
        assert_eq!(words.contents, "Table of Contents");
        assert_eq!(words.chapter, "Essay");
        assert_eq!(words.part, "Part");
    }

    #[test]
    fn dates_and_page_counts_are_written_out() {
        assert_eq!(Words::for_language("en-US").date("2026-11-01"), "November 1, 2026");
        assert_eq!(Words::for_language("de").date("2026-03-09"), "9. März 2026");
        assert_eq!(Words::for_language("es").date("2026-03-09"), "9 de marzo de 2026");
        assert_eq!(Words::for_language("en").date("2026"), "2026");
        assert_eq!(Words::for_language("fr").page_of(2, 5), "page 2 sur 5");
    }
}
