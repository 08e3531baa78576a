//! Where a word may take a hyphen: the book's exception list first, then Liang's patterns
//! (through hypher, which embeds the TeX patterns and needs no loading). Offsets are byte
//! offsets into the word as written.

use std::cell::RefCell;
use std::collections::HashMap;

/// Fewest letters kept before a hyphen and carried to the next line in English (TeX's
/// `\lefthyphenmin` and `\righthyphenmin`); other languages use their patterns' own
/// bounds, as hypher gives them.
const ENGLISH_MIN: (usize, usize) = (2, 3);
/// Shorter runs of letters are never hyphenated: a word of five letters or fewer saves
/// too little to be worth a hyphen.
const MIN_WORD: usize = 6;

/// Characters that join the parts of a compound ("well-wishers", "London–Paris"). A word
/// holding one breaks only there, as in TeX: a second, pattern-made hyphen inside one of
/// its parts ("well-wish-/ers") reads as a misprint.
fn is_compound_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}')
}

/// Finds hyphenation points for one language.
#[derive(Debug, Clone)]
pub struct Hyphenator {
    rules: HyphenationRules,
    /// Points already found, by word: a book repeats its words, and patterns are costly.
    cache: RefCell<HashMap<String, Vec<usize>>>,
}

/// A hyphenator's rules without its cache: what a worker thread needs to make its own
/// hyphenator (the cache is not shared between threads).
#[derive(Debug, Clone)]
pub struct HyphenationRules {
    /// The patterns to use; `None` when the language has none compiled in.
    lang: Option<hypher::Lang>,
    /// Lower-cased words from `book.toml` with their allowed break offsets (in chars).
    exceptions: HashMap<String, Vec<usize>>,
}

impl HyphenationRules {
    /// The rules for a BCP 47 `language`, with exceptions written as `"man-u-script"`.
    /// Returns `None` in the second place when the language is supported, else a message.
    pub fn new(
        language: &str,
        exceptions: &[String],
    ) -> (HyphenationRules, Option<String>) {
        let primary = language.split('-').next().unwrap_or("").to_ascii_lowercase();
        // The TeX patterns hypher embeds, for the languages whose scripts the bundled
        // fonts cover (Latin, Greek, Cyrillic); two-letter ISO 639-1 codes.
        let lang =
            <[u8; 2]>::try_from(primary.as_bytes()).ok().and_then(hypher::Lang::from_iso);
        let note = lang.is_none().then(|| {
            format!("no hyphenation patterns for language {language:?}; lines will not be hyphenated")
        });
        let mut table = HashMap::new();
        for entry in exceptions {
            let mut points = Vec::new();
            let mut word = String::new();
            for c in entry.chars() {
                if c == '-' {
                    points.push(word.chars().count());
                } else {
                    word.extend(c.to_lowercase());
                }
            }
            table.insert(word, points);
        }
        (HyphenationRules { lang, exceptions: table }, note)
    }

    /// A hyphenator with these rules and an empty cache.
    pub fn build(&self) -> Hyphenator {
        Hyphenator { rules: self.clone(), cache: RefCell::default() }
    }
}

impl Hyphenator {
    /// This hyphenator's rules, for building one like it on another thread.
    pub fn rules(&self) -> HyphenationRules {
        self.rules.clone()
    }

    /// A hyphenator for a BCP 47 `language` (see [`HyphenationRules::new`]).
    pub fn new(language: &str, exceptions: &[String]) -> (Hyphenator, Option<String>) {
        let (rules, note) = HyphenationRules::new(language, exceptions);
        (rules.build(), note)
    }

    /// Byte offsets in `word` where a discretionary hyphen may go, in increasing order.
    /// Only runs of letters are hyphenated; offsets never fall next to punctuation, and a
    /// compound (a word that holds a hyphen or an en dash) gets none.
    pub fn points(&self, word: &str) -> Vec<usize> {
        if let Some(hit) = self.cache.borrow().get(word) {
            return hit.clone();
        }
        let points = self.find_points(word);
        self.cache.borrow_mut().insert(word.to_string(), points.clone());
        points
    }

    fn find_points(&self, word: &str) -> Vec<usize> {
        let mut points = Vec::new();
        let Some(lang) = self.rules.lang else { return points };
        if word.chars().any(is_compound_joiner) {
            return points;
        }
        // Hyphenate each maximal run of letters separately ("couple’s", "and/or").
        let mut run_start: Option<usize> = None;
        let mut chars = word.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let letter = c.is_alphabetic();
            if letter && run_start.is_none() {
                run_start = Some(i);
            }
            let at_end = chars.peek().is_none_or(|(_, n)| !n.is_alphabetic());
            if letter
                && at_end
                && let Some(start) = run_start.take()
            {
                let end = i + c.len_utf8();
                self.run_points(&word[start..end], start, lang, &mut points);
            }
        }
        points
    }

    fn run_points(
        &self,
        run: &str,
        base: usize,
        lang: hypher::Lang,
        out: &mut Vec<usize>,
    ) {
        let letters = run.chars().count();
        if letters < MIN_WORD {
            return;
        }
        let lower = run.to_lowercase();
        let (left_min, right_min) =
            if lang == hypher::Lang::English { ENGLISH_MIN } else { lang.bounds() };
        // Char offsets of each break, from the exception list or the patterns.
        let char_points: Vec<usize> = match self.rules.exceptions.get(&lower) {
            Some(points) => points.clone(),
            None => {
                let mut acc = 0;
                let mut pts = Vec::new();
                for syllable in
                    hypher::hyphenate_bounded(&lower, lang, left_min, right_min)
                {
                    if acc > 0 {
                        pts.push(acc);
                    }
                    acc += syllable.chars().count();
                }
                // Lower-casing can change the number of chars (rarely); then trust nothing.
                if acc != letters {
                    return;
                }
                pts
            }
        };
        let offsets: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
        for p in char_points {
            if p > 0 && p < letters {
                out.push(base + offsets[p]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Hyphenator;

    fn split(h: &Hyphenator, word: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for p in h.points(word) {
            out.push_str(&word[last..p]);
            out.push('-');
            last = p;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn english_patterns_and_limits() {
        let (h, note) = Hyphenator::new("en-US", &[]);
        assert!(note.is_none());
        assert_eq!(split(&h, "hyphenation"), "hy-phen-ation");
        assert_eq!(split(&h, "Uncharacteristically"), "Un-char-ac-ter-is-ti-cally");
        assert_eq!(split(&h, "love"), "love");
        // Five letters or fewer are never split; six may be.
        assert_eq!(split(&h, "fewer"), "fewer");
        assert_eq!(split(&h, "window"), "win-dow");
        assert_eq!(split(&h, "partner’s"), "part-ner’s");
    }

    #[test]
    fn a_compound_breaks_only_at_its_own_hyphen() {
        let (h, _) = Hyphenator::new("en-US", &[]);
        for word in ["re-education", "well-wishers", "good-natured", "London–Paris"] {
            assert!(h.points(word).is_empty(), "{word}: {}", split(&h, word));
        }
        // Without the hyphen the same letters are hyphenated as usual.
        assert_ne!(split(&h, "reeducation"), "reeducation");
    }

    #[test]
    fn exceptions_override_patterns() {
        let (h, _) = Hyphenator::new("en-GB", &["ma-nu-script".into()]);
        assert_eq!(split(&h, "manuscript"), "ma-nu-script");
        assert_eq!(split(&h, "Manuscript,"), "Ma-nu-script,");
    }

    #[test]
    fn other_languages_use_their_own_patterns() {
        for (language, word) in [
            ("de-DE", "Silbentrennung"),
            ("fr", "hyphénation"),
            ("es-ES", "separación"),
            ("it", "sillabazione"),
            ("nl", "woordafbreking"),
            ("pt-BR", "translineação"),
            ("sv", "avstavning"),
            ("pl", "przenoszenie"),
            ("ru", "переносить"),
            ("el", "συλλαβισμός"),
        ] {
            let (h, note) = Hyphenator::new(language, &[]);
            assert!(note.is_none(), "{language}: {note:?}");
            let split = split(&h, word);
            assert!(
                split.matches('-').count() > word.matches('-').count(),
                "{language}: {split}"
            );
        }
        let (german, _) = Hyphenator::new("de", &[]);
        assert_eq!(split(&german, "Silbentrennung"), "Sil-ben-tren-nung");
        // German patterns carry two letters over, where English insists on three.
        assert_eq!(split(&german, "Wohnungen"), "Woh-nun-gen");
        assert_eq!(split(&german, "Sonnen"), "Son-nen");
        // Five letters or fewer stay whole in every language.
        assert_eq!(split(&german, "Sonne"), "Sonne");
    }

    #[test]
    fn unknown_language_does_not_hyphenate() {
        for language in ["xx", "ja-JP", "hi", ""] {
            let (h, note) = Hyphenator::new(language, &[]);
            assert!(note.is_some(), "{language}");
            assert!(h.points("extraordinary").is_empty(), "{language}");
        }
    }
}
