//! Characters no bundled font can show: recorded while text is set, reported once as a
//! single warning naming where they occur.

use super::Flow;
use crate::error::{Location, Warning};
use crate::model::Inline;
use std::path::Path;

/// How many places a missing character's warning names.
const MISSING_PLACES_SHOWN: usize = 3;

impl<'a, 'f> Flow<'a, 'f> {
    /// Records the characters of `inlines` that no bundled face can show.
    pub(super) fn note_missing_glyphs(
        &mut self,
        inlines: &[Inline],
        source: &Path,
        line_no: usize,
    ) {
        let fonts = self.shaper.fonts();
        let text = crate::model::plain_text(inlines);
        for c in text.chars() {
            let shown =
                c.is_whitespace() || fonts.faces().any(|(_, face)| face.covers(c));
            if !shown {
                let entry = self.missing.entry(c).or_insert((0, Vec::new()));
                entry.0 += 1;
                let at = Location::new(&self.assets.join(source), line_no.max(1), 1);
                if entry.1.len() < MISSING_PLACES_SHOWN && !entry.1.contains(&at) {
                    entry.1.push(at);
                }
            }
        }
    }

    /// One warning listing every character no font could show, with where each occurs;
    /// empties the record.
    pub fn missing_glyph_warnings(&mut self) -> Option<Warning> {
        if self.missing.is_empty() {
            return None;
        }
        let list: Vec<String> = std::mem::take(&mut self.missing)
            .into_iter()
            .map(|(c, (count, places))| {
                let places: Vec<String> = places
                    .iter()
                    .map(|p| format!("{}:{}", p.path.display(), p.line))
                    .collect();
                format!("U+{:04X} {c:?} ×{count} ({})", c as u32, places.join(", "))
            })
            .collect();
        Some(Warning::general(format!(
            "no bundled font has these characters, so they print as blank boxes: {}",
            list.join("; ")
        )))
    }
}
