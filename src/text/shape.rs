//! Text → glyphs with HarfRust (the HarfBuzz project's Rust port): kerning, ligatures,
//! small caps and old-style figures come from the font's OpenType tables.
//!
//! Words are shaped one at a time and cached by (face, features, text), so a build shapes
//! each distinct word once: each shaper keeps the words it used (no lock on a hit), and
//! every shaper over one [`FontSet`] shares the words any of them shaped
//! ([`SharedShapes`]), whatever edition, size or thread it sets. Characters the chosen
//! face lacks are shaped with the fallback face; characters no face has are recorded so
//! the build can name them in one warning.

use super::font::{Features, FontId, FontSet};
use harfrust::{Buffer, Direction, Script, ShapeOptions};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

/// Shaped words by face and features, then by text.
type WordCache = HashMap<(FontId, Features), HashMap<String, Arc<Shaped>>>;

/// The words every shaper of a font set has shaped, shared between threads (see
/// [`FontSet`]'s field). Shaping the same word twice gives the same glyphs, so which
/// thread's result is kept does not change any output.
#[derive(Default)]
pub struct SharedShapes(RwLock<WordCache>);

impl SharedShapes {
    fn get(&self, text: &str, font: FontId, features: Features) -> Option<Arc<Shaped>> {
        // A poisoned lock only means another thread panicked mid-insert; the map is
        // still a valid cache.
        let words = self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        words.get(&(font, features))?.get(text).cloned()
    }

    fn insert(&self, shaped: &Arc<Shaped>, features: Features) {
        let mut words = self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        words
            .entry((shaped.font, features))
            .or_default()
            .entry(shaped.text.clone())
            .or_insert_with(|| shaped.clone());
    }
}

/// One shaped glyph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in its face.
    pub id: u16,
    /// Advance in font units, kerning included.
    pub advance: i32,
    /// Byte offset in the shaped text of the cluster this glyph belongs to.
    pub cluster: u32,
}

/// A piece of text shaped in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    /// The face.
    pub font: FontId,
    /// The text shaped.
    pub text: String,
    /// Glyphs in visual (= logical, for Latin) order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of the advances, in font units (held at `i32::MAX` for a run longer than that).
    pub width: i32,
    /// The face's units per em, to convert to points.
    pub units_per_em: u16,
}

impl Shaped {
    /// Width in points at `size`.
    pub fn width_at(&self, size: f64) -> f64 {
        f64::from(self.width) * size / f64::from(self.units_per_em)
    }

    /// Advance in font units of the glyphs whose clusters start before byte `offset`.
    pub fn width_before(&self, offset: usize) -> i32 {
        self.glyphs
            .iter()
            .take_while(|g| (g.cluster as usize) < offset)
            .map(|g| g.advance)
            .sum()
    }

    /// True when byte `offset` is a cluster boundary, i.e. not inside a ligature.
    pub fn is_boundary(&self, offset: usize) -> bool {
        offset == 0
            || offset == self.text.len()
            || self.glyphs.iter().any(|g| g.cluster as usize == offset)
    }
}

/// Shapes text with a per-word cache.
pub struct Shaper<'f> {
    fonts: &'f FontSet,
    /// The words this shaper used, in front of the font set's shared cache.
    cache: WordCache,
    buffer: Option<Buffer>,
    /// Characters no bundled face can show, with how often each was met.
    missing: BTreeMap<char, usize>,
}

impl<'f> Shaper<'f> {
    /// A shaper over `fonts` with an empty cache.
    pub fn new(fonts: &'f FontSet) -> Self {
        Shaper {
            fonts,
            cache: HashMap::new(),
            buffer: Some(Buffer::new()),
            missing: BTreeMap::new(),
        }
    }

    /// The font set shaped with.
    pub fn fonts(&self) -> &'f FontSet {
        self.fonts
    }

    /// Characters that no face could show so far.
    pub fn missing(&self) -> &BTreeMap<char, usize> {
        &self.missing
    }

    /// Shapes `text` in `font`, splitting off runs the face cannot show into the fallback
    /// faces (Noto Serif, then DejaVu Sans Mono for box drawing and the like). Most words
    /// come back as a single run.
    pub fn shape(
        &mut self,
        text: &str,
        font: FontId,
        features: Features,
    ) -> Vec<Arc<Shaped>> {
        let face = self.fonts.face(font);
        let (first, second) = (FontId::FALLBACK, FontId::MONO);
        let fallback = self.fonts.face(first);
        let last = self.fonts.face(second);
        // Fast path: the face covers every character.
        if text.chars().all(|c| c.is_whitespace() || face.covers(c)) {
            return vec![self.shape_in(text, font, features)];
        }
        let mut runs = Vec::new();
        let mut start = 0;
        let mut current: Option<FontId> = None;
        for (i, c) in text.char_indices() {
            let wanted = if c.is_whitespace() || face.covers(c) {
                font
            } else if fallback.covers(c) {
                first
            } else if last.covers(c) {
                second
            } else {
                *self.missing.entry(c).or_insert(0) += 1;
                font
            };
            match current {
                Some(f) if f != wanted => {
                    runs.push(self.shape_in(&text[start..i], f, features));
                    start = i;
                    current = Some(wanted);
                }
                None => current = Some(wanted),
                _ => {}
            }
        }
        if let Some(f) = current {
            runs.push(self.shape_in(&text[start..], f, features));
        }
        runs
    }

    /// Shapes `text` entirely in `font`, through the cache.
    fn shape_in(&mut self, text: &str, font: FontId, features: Features) -> Arc<Shaped> {
        let per_face = self.cache.entry((font, features)).or_default();
        if let Some(hit) = per_face.get(text) {
            return hit.clone();
        }
        if let Some(shared) = self.fonts.shaped.get(text, font, features) {
            per_face.insert(text.to_string(), shared.clone());
            return shared;
        }
        let face = self.fonts.face(font);
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(Some(Script::LATIN));
        let (plan, feats) = face.plan(features);
        let shaper = face.shaper();
        let options = ShapeOptions::new().plan(Some(plan)).features(feats);
        let glyphs: Vec<ShapedGlyph> =
            match harfrust::shape(&shaper, &mut buffer, options) {
                Ok(()) => buffer
                    .glyph_infos()
                    .iter()
                    .zip(buffer.glyph_positions())
                    .map(|(info, pos)| ShapedGlyph {
                        id: u16::try_from(info.glyph_id).unwrap_or(0),
                        advance: pos.x_advance,
                        cluster: info.cluster,
                    })
                    .collect(),
                // Shaping only fails on misuse of the buffer; show nothing rather than panic.
                Err(_) => Vec::new(),
            };
        self.buffer = Some(buffer);
        // Summed wide: a run of some million glyphs would overflow an i32 and wrap.
        let width = glyphs.iter().map(|g| i64::from(g.advance)).sum::<i64>();
        let width = width.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
        let shaped = Arc::new(Shaped {
            font,
            text: text.to_string(),
            glyphs,
            width,
            units_per_em: face.units_per_em,
        });
        self.fonts.shaped.insert(&shaped, features);
        self.cache
            .entry((font, features))
            .or_default()
            .insert(text.to_string(), shaped.clone());
        shaped
    }
}

#[cfg(test)]
mod tests {
    use super::Shaper;
    use crate::text::font::{Features, FontId, FontSet};

    #[test]
    fn ligatures_and_clusters() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let runs = shaper.shape("office", FontId::REGULAR, Features::Text);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        // "ffi" is one ligature glyph whose cluster starts at byte 1.
        assert_eq!(run.glyphs.len(), 4, "{:?}", run.glyphs);
        assert_eq!(run.glyphs[1].cluster, 1);
        assert_eq!(run.glyphs[2].cluster, 4);
        assert!(!run.is_boundary(2) && run.is_boundary(4));
    }

    #[test]
    fn fallback_face_and_missing_characters() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let runs = shaper.shape("aЖb", FontId::REGULAR, Features::Text);
        let faces: Vec<_> = runs.iter().map(|r| r.font).collect();
        assert!(faces.contains(&FontId::FALLBACK) || runs.len() == 1);
        // Box drawing: neither Libertine nor Noto Serif has it; the monospace face does.
        let runs = shaper.shape("a\u{251C}\u{2500}b", FontId::REGULAR, Features::Text);
        let faces: Vec<_> = runs.iter().map(|r| r.font).collect();
        assert_eq!(faces, [FontId::REGULAR, FontId::MONO, FontId::REGULAR]);
        let _ = shaper.shape("a\u{1F600}", FontId::REGULAR, Features::Text);
        assert!(shaper.missing().contains_key(&'\u{1F600}'));
    }
}
