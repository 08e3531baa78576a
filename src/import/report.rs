//! The import report: everything the Word document held that the manuscript does not
//! carry over, or carries over changed, counted by kind with the first places it occurs,
//! so the author knows what to check. Filled by every phase; printed by `main` and saved
//! as `import-report.txt` beside the manuscript.

use std::collections::BTreeMap;
use std::fmt::Write;

/// How many first places each kind lists.
const FIRST_PLACES: usize = 3;

/// A kind of thing not carried over (or changed); its description is what the report
/// says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Loss {
    /// Insertions of tracked changes: their text kept (accepted).
    TrackedInsertion,
    /// Deletions of tracked changes: their text dropped (accepted).
    TrackedDeletion,
    /// Comments, dropped.
    Comment,
    /// Text boxes and shapes with text, dropped with their text.
    TextBox,
    /// Fields (page numbers, cross-references, dates…): their shown text kept.
    Field,
    /// Direct fonts, sizes, colours, highlighting.
    FontOrColour,
    /// Underlined text, kept as plain text.
    Underline,
    /// Paragraph styles quire does not know, read as plain paragraphs.
    UnknownStyle,
    /// Page breaks inside a chapter (those before a chapter are simply dropped).
    PageBreak,
    /// Links to places inside the document, kept as text.
    InternalLink,
    /// Images in a format quire cannot use (GIF, EMF, TIFF…), or linked from outside.
    Image,
    /// Tables of contents, dropped: quire makes its own.
    Contents,
    /// Tables with merged or nested cells, flattened.
    TableLayout,
    /// Symbols from symbol fonts (`w:sym`), dropped.
    Symbol,
    /// Equations, dropped.
    Equation,
    /// Headers and footers, never read: quire sets its own running heads.
    HeaderFooter,
    /// Anything else not carried over.
    Other,
}

impl Loss {
    /// What the report says about this kind.
    fn describe(self) -> &'static str {
        match self {
            Loss::TrackedInsertion => "tracked insertions (accepted: their text is kept)",
            Loss::TrackedDeletion => {
                "tracked deletions (accepted: their text is dropped)"
            }
            Loss::Comment => "comments (dropped)",
            Loss::TextBox => "text boxes and shapes (dropped with their text)",
            Loss::Field => {
                "fields such as dates and cross-references (their shown text is kept)"
            }
            Loss::FontOrColour => {
                "runs with their own font, size, colour or highlight (quire sets the type)"
            }
            Loss::Underline => "underlined runs (kept as plain text)",
            Loss::UnknownStyle => {
                "paragraphs in styles quire does not know (read as plain paragraphs)"
            }
            Loss::PageBreak => "page breaks inside a chapter (dropped)",
            Loss::InternalLink => "links to places inside the document (kept as text)",
            Loss::Image => {
                "images not carried over (not PNG or JPEG, or linked from outside)"
            }
            Loss::Contents => "tables of contents (dropped: quire makes its own)",
            Loss::TableLayout => "tables with merged or nested cells (flattened)",
            Loss::Symbol => "symbols from symbol fonts (dropped)",
            Loss::Equation => "equations (dropped)",
            Loss::HeaderFooter => "headers and footers (not read: quire sets its own)",
            Loss::Other => "other content not carried over",
        }
    }
}

/// Counts and first places of one kind.
#[derive(Debug, Clone, Default)]
struct Tally {
    count: usize,
    places: Vec<String>,
    /// For unknown styles: the style names seen, with counts.
    names: BTreeMap<String, usize>,
}

/// What was not carried over, and notes on what was guessed.
#[derive(Debug, Clone, Default)]
pub struct Report {
    tallies: BTreeMap<Loss, Tally>,
    /// Sentences about guesses and placeholders ("no title in the document…").
    notes: Vec<String>,
    /// One line per file written, for the summary.
    summary: Vec<String>,
}

impl Report {
    /// Counts one occurrence of `loss` at `place` ("paragraph 12").
    pub fn count(&mut self, loss: Loss, place: impl FnOnce() -> String) {
        let tally = self.tallies.entry(loss).or_default();
        tally.count += 1;
        if tally.places.len() < FIRST_PLACES {
            let place = place();
            if !tally.places.contains(&place) {
                tally.places.push(place);
            }
        }
    }

    /// Counts a paragraph in the unknown style `name`.
    pub fn unknown_style(&mut self, name: &str, place: impl FnOnce() -> String) {
        self.count(Loss::UnknownStyle, place);
        if let Some(t) = self.tallies.get_mut(&Loss::UnknownStyle) {
            *t.names.entry(name.to_string()).or_default() += 1;
        }
    }

    /// Adds a note about something guessed or filled in.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Adds a line to the summary of what was written.
    pub fn summary(&mut self, text: impl Into<String>) {
        self.summary.push(text.into());
    }

    /// How many of `loss` were counted.
    pub fn total(&self, loss: Loss) -> usize {
        self.tallies.get(&loss).map_or(0, |t| t.count)
    }

    /// Replaces the places with what `rename` makes of them (paragraph numbers become
    /// chapter files once chapters are known).
    pub fn rename_places(&mut self, rename: impl Fn(&str) -> String) {
        for tally in self.tallies.values_mut() {
            for place in &mut tally.places {
                *place = rename(place);
            }
        }
    }

    /// The report as text, as printed and saved.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.summary {
            let _ = writeln!(out, "{line}");
        }
        if self.tallies.is_empty() {
            let _ = writeln!(out, "\nEverything in the document was carried over.");
        } else {
            let _ = writeln!(out, "\nNot carried over, or changed (check these places):");
            for (loss, tally) in &self.tallies {
                let _ = write!(out, "- {} × {}", tally.count, loss.describe());
                if !tally.names.is_empty() {
                    let names: Vec<String> = tally
                        .names
                        .iter()
                        .map(|(n, c)| format!("\"{n}\" ({c})"))
                        .collect();
                    let _ = write!(out, ": {}", names.join(", "));
                }
                let _ = writeln!(out);
                if !tally.places.is_empty() {
                    let more =
                        if tally.count > tally.places.len() { ", …" } else { "" };
                    let _ =
                        writeln!(out, "    first at {}{more}", tally.places.join("; "));
                }
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\nNotes:");
            for note in &self.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Loss, Report};

    #[test]
    fn counts_every_occurrence_and_keeps_the_first_places() {
        let mut r = Report::default();
        for i in 1..=5 {
            r.count(Loss::Comment, || format!("paragraph {i}"));
        }
        r.unknown_style("Fancy", || "paragraph 9".into());
        let text = r.render();
        assert!(text.contains("5 × comments (dropped)"), "{text}");
        assert!(
            text.contains("first at paragraph 1; paragraph 2; paragraph 3, …"),
            "{text}"
        );
        assert!(text.contains("\"Fancy\" (1)"), "{text}");
        assert_eq!(r.total(Loss::Comment), 5);
    }
}
