//! The book's fonts, compiled into the binary from `fonts/` so that output never depends
//! on the machine's fonts: Linux Libertine O in four styles (OFL) for the text, and Noto
//! Serif (OFL) as the fallback for characters Libertine lacks, and DejaVu Sans Mono
//! (Bitstream Vera licence) for code, which also backs both up (box drawing, arrows).

use harfrust::{Direction, Feature, Font, Script, ShapePlan, ShaperFont};
use std::str::FromStr;

/// Index of a face in the [`FontSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FontId(pub u8);

impl FontId {
    /// Linux Libertine O Regular.
    pub const REGULAR: FontId = FontId(0);
    /// Linux Libertine O Italic.
    pub const ITALIC: FontId = FontId(1);
    /// Linux Libertine O Bold.
    pub const BOLD: FontId = FontId(2);
    /// Linux Libertine O Bold Italic.
    pub const BOLD_ITALIC: FontId = FontId(3);
    /// Noto Serif Regular, the fallback for wide character coverage.
    pub const FALLBACK: FontId = FontId(4);
    /// DejaVu Sans Mono, for code; also the last fallback (box drawing and the like).
    pub const MONO: FontId = FontId(5);

    /// The book face for a weight and slant.
    pub fn for_style(bold: bool, italic: bool) -> FontId {
        match (bold, italic) {
            (false, false) => FontId::REGULAR,
            (false, true) => FontId::ITALIC,
            (true, false) => FontId::BOLD,
            (true, true) => FontId::BOLD_ITALIC,
        }
    }
}

/// OpenType feature sets a run can ask for; each has its own cached shaping plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Features {
    /// Kerning, standard ligatures and old-style figures: running text.
    Text,
    /// As `Text`, with small capitals for lower-case letters (`smcp`).
    SmallCaps,
    /// Kerning and ligatures with lining figures: folios, titles, note numbers.
    Lining,
}

impl Features {
    const ALL: [Features; 3] = [Features::Text, Features::SmallCaps, Features::Lining];

    fn tags(self) -> &'static [&'static str] {
        match self {
            Features::Text => &["kern", "liga", "onum"],
            Features::SmallCaps => &["kern", "liga", "onum", "smcp"],
            Features::Lining => &["kern", "liga", "lnum"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One font file, parsed once, with its shaping plans.
pub struct Face {
    /// The font file's bytes.
    pub data: &'static [u8],
    /// PostScript name, for the PDF's `/BaseFont`.
    pub postscript_name: &'static str,
    /// Design units per em.
    pub units_per_em: u16,
    /// The parsed font.
    pub font: Font,
    /// Shaping plans, indexed by [`Features`].
    plans: Vec<ShapePlan>,
    /// Feature lists, indexed like `plans`.
    features: Vec<Vec<Feature>>,
    /// Which code points below [`COVERAGE_LIMIT`] the face has, one bit each: every word
    /// is checked for coverage, and the cmap lookup is too slow to repeat per character.
    coverage: Vec<u64>,
    /// Code point ranges (inclusive) the face is not used for although it has glyphs.
    excluded: &'static [(u32, u32)],
}

/// Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation
/// forms): DejaVu Sans Mono has Arabic letters, but quire shapes left to right as Latin,
/// so they would print in the wrong order and unjoined; better reported as missing.
const RIGHT_TO_LEFT: &[(u32, u32)] =
    &[(0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF)];

/// Code points whose coverage is precomputed: Latin, Greek, Cyrillic, punctuation.
const COVERAGE_LIMIT: u32 = 0x2200;

impl Face {
    fn load(data: &'static [u8], postscript_name: &'static str) -> Face {
        Face::load_without(data, postscript_name, &[])
    }

    /// [`Face::load`], leaving out the code points of `excluded`.
    fn load_without(
        data: &'static [u8],
        postscript_name: &'static str,
        excluded: &'static [(u32, u32)],
    ) -> Face {
        // The fonts are compiled in and known to parse; a failure here is a build defect.
        let font = Font::new(data, 0).expect("bundled font parses");
        let units_per_em = font.units_per_em();
        let mut plans = Vec::new();
        let mut features = Vec::new();
        for set in Features::ALL {
            let feats: Vec<Feature> =
                set.tags().iter().filter_map(|t| Feature::from_str(t).ok()).collect();
            plans.push(ShapePlan::new(
                &font,
                Direction::LeftToRight,
                Some(Script::LATIN),
                None,
                &feats,
            ));
            features.push(feats);
        }
        let charmap = font.charmap();
        let mut coverage = vec![0u64; (COVERAGE_LIMIT as usize).div_ceil(64)];
        for cp in 0..COVERAGE_LIMIT {
            if charmap.map_unicode(cp).is_some() && !in_ranges(cp, excluded) {
                coverage[(cp / 64) as usize] |= 1 << (cp % 64);
            }
        }
        Face {
            data,
            postscript_name,
            units_per_em,
            font,
            plans,
            features,
            coverage,
            excluded,
        }
    }

    /// The shaping plan and feature list for a feature set.
    pub fn plan(&self, features: Features) -> (&ShapePlan, &[Feature]) {
        (&self.plans[features.index()], &self.features[features.index()])
    }

    /// A shaper view of this face (cheap: layout tables are cached in the font).
    pub fn shaper(&self) -> ShaperFont<'_, '_> {
        ShaperFont::new(&self.font)
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let cp = c as u32;
        if cp < COVERAGE_LIMIT {
            return self.coverage[(cp / 64) as usize] & (1 << (cp % 64)) != 0;
        }
        !in_ranges(cp, self.excluded) && self.font.charmap().map_unicode(cp).is_some()
    }
}

fn in_ranges(cp: u32, ranges: &[(u32, u32)]) -> bool {
    ranges.iter().any(|&(from, to)| (from..=to).contains(&cp))
}

/// The faces a book is set in, and the words shaped in them so far.
pub struct FontSet {
    faces: Vec<Face>,
    /// Shaped words shared by every [`super::shape::Shaper`] over this set: shaping
    /// depends on the face, features and text, not on the size or the measure, so all
    /// editions of a build (paperback, large print, handouts, guide, covers) shape each
    /// distinct word once between them, on whichever thread meets it first.
    pub(super) shaped: super::shape::SharedShapes,
}

impl FontSet {
    /// The fonts bundled with quire.
    pub fn builtin() -> FontSet {
        let faces = vec![
            Face::load(include_bytes!("../../fonts/LinLibertine_R.otf"), "LinLibertineO"),
            Face::load(
                include_bytes!("../../fonts/LinLibertine_RI.otf"),
                "LinLibertineOI",
            ),
            Face::load(
                include_bytes!("../../fonts/LinLibertine_RB.otf"),
                "LinLibertineOB",
            ),
            Face::load(
                include_bytes!("../../fonts/LinLibertine_RBI.otf"),
                "LinLibertineOBI",
            ),
            Face::load(include_bytes!("../../fonts/NotoSerif-Regular.ttf"), "NotoSerif"),
            Face::load_without(
                include_bytes!("../../fonts/DejaVuSansMono.ttf"),
                "DejaVuSansMono",
                RIGHT_TO_LEFT,
            ),
        ];
        FontSet { faces, shaped: Default::default() }
    }

    /// The face with this id.
    pub fn face(&self, id: FontId) -> &Face {
        &self.faces[usize::from(id.0).min(self.faces.len() - 1)]
    }

    /// Every face with its id.
    pub fn faces(&self) -> impl Iterator<Item = (FontId, &Face)> {
        self.faces.iter().enumerate().map(|(i, f)| (FontId(i as u8), f))
    }
}

#[cfg(test)]
mod tests {
    use super::{FontId, FontSet};

    #[test]
    fn bundled_faces_load_and_cover_what_they_should() {
        let fonts = FontSet::builtin();
        let regular = fonts.face(FontId::REGULAR);
        assert_eq!(regular.units_per_em, 1000);
        assert!(regular.covers('é') && regular.covers('—') && regular.covers('“'));
        assert!(fonts.face(FontId::FALLBACK).covers('Ж'));
        let mono = fonts.face(FontId::MONO);
        for c in ['─', '│', '├', '└', '↪', 'Ж', 'λ', '0'] {
            assert!(mono.covers(c), "{c}");
        }
        // It has Arabic, but is not used for it (shaped left to right it would be wrong).
        assert!(!mono.covers('\u{0645}') && !mono.covers('\u{FEE1}'));
    }
}
