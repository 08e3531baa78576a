//! Chapter and part numbers as book labels print them: "Chapter Twenty-One",
//! "Kapitel Einundzwanzig", "Part III".
//!
//! Number words are written for English, German, French, Spanish, Italian, Portuguese and
//! Dutch, in the counting form a label uses after its noun ("Capítulo veintiuno",
//! "Capítulo vinte e um"), for every number up to 999,999; larger numbers are written in
//! digits, as no book has a millionth chapter and the million words of these languages
//! bring rules of their own. Spelling choices, each the standard of its language:
//!
//! - English: US style without "and" ("one hundred six", "two thousand twenty-six").
//! - German: "hunderteins", "tausend" and "hundert" for a single one at the start,
//!   "tausendeinhundert" after a thousand; `de-CH` and `de-LI` write "ss" for "ß".
//! - French: the traditional spelling, hyphens inside numbers below one hundred ("et"
//!   stands between words without hyphens) and spaces around "cent" and "mille", rather
//!   than the 1990 reform's hyphens everywhere.
//! - Spanish: the one-word forms to twenty-nine with their accents ("dieciséis",
//!   "veintidós"), and "un"/"veintiún" before "mil" ("veintiún mil").
//! - Italian: one word; the tens lose their last vowel before "uno" and "otto"
//!   ("ventuno", "trentotto"), the hundreds only before "ottanta" ("centottanta", but
//!   "centouno", "centootto"), "mille" never ("milleuno"); "ventunmila"; an accent on a
//!   final "tré" ("ventitré", "centotré").
//! - Portuguese: European spelling ("dezasseis") unless the tag's region is `BR`
//!   ("dezesseis", "quatorze").
//! - Dutch: written as one word up to the thousands, with a space after "duizend"
//!   ("tweeduizend zesentwintig"), and "een" without accents.

/// How chapter and part numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// Words in the book's language: "Twenty-One", "Einundzwanzig".
    Words,
    /// Arabic digits: "21".
    Digits,
    /// Upper-case roman numerals: "XXI".
    Roman,
    /// No number at all (the label stands alone, or nothing is printed).
    None,
}

impl NumberStyle {
    /// The style `book.toml` names: "words", "digits", "roman" or "none" (exactly, in
    /// lower case); anything else is `None` for the caller to report.
    pub fn parse(s: &str) -> Option<NumberStyle> {
        match s {
            "words" => Some(NumberStyle::Words),
            "digits" => Some(NumberStyle::Digits),
            "roman" => Some(NumberStyle::Roman),
            "none" => Some(NumberStyle::None),
            _ => None,
        }
    }
}

/// Largest number written in words; beyond it, digits.
const MAX_WORDS: u32 = 999_999;

/// `n` as written in `style` for language `lang` (a BCP 47 tag; only its primary subtag
/// matters, and the region for Portuguese and Swiss German), capitalised as it starts a
/// label word: English in title case like the label itself ("Twenty-One", "One Hundred
/// Six"), the other languages in sentence case, first letter only ("Einundzwanzig",
/// "Vingt et un"). Words for a language without number words here come out as digits
/// rather than as English in a foreign book. `None` for [`NumberStyle::None`].
pub fn format_number(n: u32, style: NumberStyle, lang: &str) -> Option<String> {
    match style {
        NumberStyle::None => None,
        NumberStyle::Digits => Some(n.to_string()),
        NumberStyle::Roman => Some(roman_upper(n)),
        NumberStyle::Words => Some(match Lang::of(lang) {
            Some(Lang::En) => title_case(&Lang::En.words(n)),
            Some(l) => sentence_case(&l.words(n)),
            None => n.to_string(),
        }),
    }
}

/// Cardinal number words for `n` in language `lang`, lower case (German's are lower case
/// too, as a number written out is not a noun): "twenty-one", "einundzwanzig",
/// "quatre-vingt-un". Up to 999,999; larger numbers are written in digits. A language
/// without number words here gets English.
pub fn cardinal_words(n: u32, lang: &str) -> String {
    Lang::of(lang).unwrap_or(Lang::En).words(n)
}

/// Upper-case roman numerals (I, IV, XLIX, MMXXVI); digits for 0 and above 3999, which
/// roman numerals cannot write without overlines.
pub fn roman_upper(n: u32) -> String {
    const STEPS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, numeral) in STEPS {
        while rest >= value {
            out.push_str(numeral);
            rest -= value;
        }
    }
    out
}

/// The languages with number words, with the regional differences that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    /// `swiss`: Switzerland and Liechtenstein write "ss" for "ß".
    De {
        swiss: bool,
    },
    Fr,
    Es,
    It,
    /// `brazil`: Brazilian spelling ("dezesseis") instead of European ("dezasseis").
    Pt {
        brazil: bool,
    },
    Nl,
}

impl Lang {
    /// The language of a BCP 47 tag (`_` accepted as separator), or `None` when it has no
    /// number words here.
    fn of(tag: &str) -> Option<Lang> {
        let mut subtags = tag.split(['-', '_']);
        let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
        let mut region = subtags.filter(|s| s.len() == 2);
        let mut in_region = |codes: &[&str]| {
            region.any(|r| codes.iter().any(|c| r.eq_ignore_ascii_case(c)))
        };
        match primary.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De { swiss: in_region(&["ch", "li"]) }),
            "fr" => Some(Lang::Fr),
            "es" => Some(Lang::Es),
            "it" => Some(Lang::It),
            "pt" => Some(Lang::Pt { brazil: in_region(&["br"]) }),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// Lower-case cardinal words, digits above [`MAX_WORDS`].
    fn words(self, n: u32) -> String {
        if n > MAX_WORDS {
            return n.to_string();
        }
        match self {
            Lang::En => english(n),
            Lang::De { swiss: false } => german(n),
            Lang::De { swiss: true } => german(n).replace('ß', "ss"),
            Lang::Fr => french(n),
            Lang::Es => spanish(n),
            Lang::It => italian(n),
            Lang::Pt { brazil } => portuguese(n, brazil),
            Lang::Nl => dutch(n),
        }
    }
}

/// First letter upper case, the rest as it is.
fn sentence_case(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every word and every part of a hyphenated word starting upper case.
fn title_case(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut at_start = true;
    for c in words.chars() {
        if at_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_start = c == ' ' || c == '-';
    }
    out
}

/// Splits `n` (at most 999,999) into thousands and the rest below a thousand.
fn thousands(n: u32) -> (u32, u32) {
    (n / 1000, n % 1000)
}

// English -------------------------------------------------------------------------------

const EN_UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Whether `word` is an English number word of one part ("three", "Twelve", "forty"),
/// as a chapter heading may spell its number.
pub fn is_english_number_word(word: &str) -> bool {
    EN_UNITS[1..]
        .iter()
        .chain(EN_TENS.iter().filter(|w| !w.is_empty()))
        .any(|w| word.eq_ignore_ascii_case(w))
}

fn english(n: u32) -> String {
    let (t, r) = thousands(n);
    let mut out = String::new();
    if t > 0 {
        out = english_below_1000(t) + " thousand";
    }
    if r > 0 || t == 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out += &english_below_1000(r);
    }
    out
}

fn english_below_1000(n: u32) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut out = String::new();
    if h > 0 {
        out = format!("{} hundred", EN_UNITS[h as usize]);
        if r == 0 {
            return out;
        }
        out.push(' ');
    }
    out + &english_below_100(r)
}

fn english_below_100(n: u32) -> String {
    if n < 20 {
        return EN_UNITS[n as usize].to_string();
    }
    let (t, u) = (n / 10, n % 10);
    match u {
        0 => EN_TENS[t as usize].to_string(),
        _ => format!("{}-{}", EN_TENS[t as usize], EN_UNITS[u as usize]),
    }
}

// German --------------------------------------------------------------------------------

const DE_UNITS: [&str; 20] = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
];
const DE_TENS: [&str; 10] = [
    "", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
    "neunzig",
];

fn german(n: u32) -> String {
    if n == 0 {
        return DE_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    let mut out = match t {
        0 => String::new(),
        1 => "tausend".to_string(),
        // "einundzwanzigtausend", "hunderteintausend": a one before "tausend" is "ein".
        _ => german_below_1000(t, "ein", false) + "tausend",
    };
    if r > 0 {
        out += &german_below_1000(r, "eins", t > 0);
    }
    out
}

/// `one` is how a final 1 reads ("eins" at the end, "ein" before "tausend");
/// `after_thousand` writes a single hundred "einhundert" ("tausendeinhundert").
fn german_below_1000(n: u32, one: &str, after_thousand: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut out = match h {
        0 => String::new(),
        1 if after_thousand => "einhundert".to_string(),
        1 => "hundert".to_string(),
        _ => format!("{}hundert", DE_UNITS[h as usize]),
    };
    if r > 0 {
        out += &german_below_100(r, one);
    }
    out
}

fn german_below_100(n: u32, one: &str) -> String {
    if n == 1 {
        return one.to_string();
    }
    if n < 20 {
        return DE_UNITS[n as usize].to_string();
    }
    let (t, u) = (n / 10, n % 10);
    match u {
        0 => DE_TENS[t as usize].to_string(),
        1 => format!("einund{}", DE_TENS[t as usize]),
        _ => format!("{}und{}", DE_UNITS[u as usize], DE_TENS[t as usize]),
    }
}

// French --------------------------------------------------------------------------------

const FR_UNITS: [&str; 20] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
    "dix-huit", "dix-neuf",
];
const FR_TENS: [&str; 7] =
    ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];

fn french(n: u32) -> String {
    if n == 0 {
        return FR_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    // "mille" never takes "un" before it nor an "s"; "vingt" and "cent" before it stay
    // singular ("quatre-vingt mille", "deux cent mille").
    let mut out = match t {
        0 => String::new(),
        1 => "mille".to_string(),
        _ => french_below_1000(t, false) + " mille",
    };
    if r > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out += &french_below_1000(r, true);
    }
    out
}

/// `last`: nothing follows, so a multiplied round "vingt" or "cent" takes its plural "s".
fn french_below_1000(n: u32, last: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut out = match h {
        0 => String::new(),
        1 => "cent".to_string(),
        _ if r == 0 && last => format!("{} cents", FR_UNITS[h as usize]),
        _ => format!("{} cent", FR_UNITS[h as usize]),
    };
    if r > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out += &french_below_100(r, last);
    }
    out
}

fn french_below_100(n: u32, last: bool) -> String {
    if n < 20 {
        return FR_UNITS[n as usize].to_string();
    }
    let (t, u) = (n / 10, n % 10);
    match t {
        2..=6 => match u {
            0 => FR_TENS[t as usize].to_string(),
            1 => format!("{} et un", FR_TENS[t as usize]),
            _ => format!("{}-{}", FR_TENS[t as usize], FR_UNITS[u as usize]),
        },
        // Sixty and ten to nineteen: "soixante-dix", "soixante et onze".
        7 if u == 1 => "soixante et onze".to_string(),
        7 => format!("soixante-{}", FR_UNITS[(n - 60) as usize]),
        // Four twenties, never with "et": "quatre-vingts", "quatre-vingt-un",
        // "quatre-vingt-onze".
        _ if n == 80 && last => "quatre-vingts".to_string(),
        _ if n == 80 => "quatre-vingt".to_string(),
        _ => format!("quatre-vingt-{}", FR_UNITS[(n - 80) as usize]),
    }
}

// Spanish -------------------------------------------------------------------------------

const ES_UNITS: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
const ES_TENS: [&str; 10] = [
    "",
    "",
    "",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
const ES_HUNDREDS: [&str; 10] = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
];

fn spanish(n: u32) -> String {
    if n == 0 {
        return ES_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    let mut out = match t {
        0 => String::new(),
        1 => "mil".to_string(),
        _ => spanish_below_1000(t, true) + " mil",
    };
    if r > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out += &spanish_below_1000(r, false);
    }
    out
}

/// `before_noun`: "uno" shortens to "un" before "mil" ("veintiún mil", "ciento un mil").
fn spanish_below_1000(n: u32, before_noun: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    if h == 1 && r == 0 {
        return "cien".to_string();
    }
    let mut out = ES_HUNDREDS[h as usize].to_string();
    if r > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out += &spanish_below_100(r, before_noun);
    }
    out
}

fn spanish_below_100(n: u32, before_noun: bool) -> String {
    let words = if n < 30 {
        ES_UNITS[n as usize].to_string()
    } else {
        let (t, u) = (n / 10, n % 10);
        match u {
            0 => ES_TENS[t as usize].to_string(),
            _ => format!("{} y {}", ES_TENS[t as usize], ES_UNITS[u as usize]),
        }
    };
    match words.strip_suffix("uno") {
        Some("veinti") if before_noun => "veintiún".to_string(),
        Some(stem) if before_noun => format!("{stem}un"),
        _ => words,
    }
}

// Italian -------------------------------------------------------------------------------

const IT_UNITS: [&str; 20] = [
    "zero",
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
];
const IT_TENS: [&str; 10] = [
    "",
    "",
    "venti",
    "trenta",
    "quaranta",
    "cinquanta",
    "sessanta",
    "settanta",
    "ottanta",
    "novanta",
];

fn italian(n: u32) -> String {
    if n == 0 {
        return IT_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    let mut out = match t {
        0 => String::new(),
        1 => "mille".to_string(),
        _ => {
            // "ventunmila", "centounmila": a final "uno" loses its vowel before "mila".
            let count = italian_below_1000(t);
            match count.strip_suffix("uno") {
                Some(stem) => format!("{stem}unmila"),
                None => count + "mila",
            }
        }
    };
    if r > 0 {
        out += &italian_below_1000(r);
    }
    // A compound ending in "tre" carries the accent: "ventitré", "centotré", "milletré".
    if n > 10 && out.ends_with("tre") {
        out.pop();
        out.pop();
        out.push_str("ré");
    }
    out
}

fn italian_below_1000(n: u32) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut out = match h {
        0 => String::new(),
        1 => "cento".to_string(),
        _ => format!("{}cento", IT_UNITS[h as usize]),
    };
    if r > 0 {
        // "centottanta", "duecentottanta"; but "centouno", "centootto" in full.
        if (80..90).contains(&r) {
            out.pop();
        }
        out += &italian_below_100(r);
    }
    out
}

fn italian_below_100(n: u32) -> String {
    if n < 20 {
        return IT_UNITS[n as usize].to_string();
    }
    let (t, u) = (n / 10, n % 10);
    let tens = IT_TENS[t as usize];
    match u {
        0 => tens.to_string(),
        // The tens lose their final vowel before a vowel: "ventuno", "trentotto".
        1 | 8 => format!("{}{}", &tens[..tens.len() - 1], IT_UNITS[u as usize]),
        _ => format!("{tens}{}", IT_UNITS[u as usize]),
    }
}

// Portuguese ----------------------------------------------------------------------------

const PT_UNITS: [&str; 20] = [
    "zero",
    "um",
    "dois",
    "três",
    "quatro",
    "cinco",
    "seis",
    "sete",
    "oito",
    "nove",
    "dez",
    "onze",
    "doze",
    "treze",
    "catorze",
    "quinze",
    "dezasseis",
    "dezassete",
    "dezoito",
    "dezanove",
];
/// Brazil's spelling of 14, 16, 17 and 19.
const PT_BR_TEENS: [(u32, &str); 4] =
    [(14, "quatorze"), (16, "dezesseis"), (17, "dezessete"), (19, "dezenove")];
const PT_TENS: [&str; 10] = [
    "",
    "",
    "vinte",
    "trinta",
    "quarenta",
    "cinquenta",
    "sessenta",
    "setenta",
    "oitenta",
    "noventa",
];
const PT_HUNDREDS: [&str; 10] = [
    "",
    "cento",
    "duzentos",
    "trezentos",
    "quatrocentos",
    "quinhentos",
    "seiscentos",
    "setecentos",
    "oitocentos",
    "novecentos",
];

fn portuguese(n: u32, brazil: bool) -> String {
    if n == 0 {
        return PT_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    let mut out = match t {
        0 => String::new(),
        1 => "mil".to_string(),
        _ => portuguese_below_1000(t, brazil) + " mil",
    };
    if r > 0 {
        if !out.is_empty() {
            // "e" after "mil" only before a round hundred or a number below a hundred:
            // "mil e um", "mil e cem", "mil duzentos e trinta".
            out += if r < 100 || r % 100 == 0 { " e " } else { " " };
        }
        out += &portuguese_below_1000(r, brazil);
    }
    out
}

fn portuguese_below_1000(n: u32, brazil: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    if h == 1 && r == 0 {
        return "cem".to_string();
    }
    let mut out = PT_HUNDREDS[h as usize].to_string();
    if r > 0 {
        if !out.is_empty() {
            out += " e ";
        }
        out += &portuguese_below_100(r, brazil);
    }
    out
}

fn portuguese_below_100(n: u32, brazil: bool) -> String {
    let unit = |u: u32| match PT_BR_TEENS.iter().find(|(k, _)| brazil && *k == u) {
        Some((_, word)) => *word,
        None => PT_UNITS[u as usize],
    };
    if n < 20 {
        return unit(n).to_string();
    }
    let (t, u) = (n / 10, n % 10);
    match u {
        0 => PT_TENS[t as usize].to_string(),
        _ => format!("{} e {}", PT_TENS[t as usize], unit(u)),
    }
}

// Dutch ---------------------------------------------------------------------------------

const NL_UNITS: [&str; 20] = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
];
const NL_TENS: [&str; 10] = [
    "", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
    "negentig",
];

fn dutch(n: u32) -> String {
    if n == 0 {
        return NL_UNITS[0].to_string();
    }
    let (t, r) = thousands(n);
    let mut out = match t {
        0 => String::new(),
        1 => "duizend".to_string(),
        _ => dutch_below_1000(t) + "duizend",
    };
    if r > 0 {
        // One word up to the thousands, a space after "duizend".
        if !out.is_empty() {
            out.push(' ');
        }
        out += &dutch_below_1000(r);
    }
    out
}

fn dutch_below_1000(n: u32) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut out = match h {
        0 => String::new(),
        1 => "honderd".to_string(),
        _ => format!("{}honderd", NL_UNITS[h as usize]),
    };
    if r > 0 {
        out += &dutch_below_100(r);
    }
    out
}

fn dutch_below_100(n: u32) -> String {
    if n < 20 {
        return NL_UNITS[n as usize].to_string();
    }
    let (t, u) = (n / 10, n % 10);
    let unit = NL_UNITS[u as usize];
    match u {
        0 => NL_TENS[t as usize].to_string(),
        // A unit ending in "e" puts a diaeresis on "en": "tweeëntwintig", "drieëndertig".
        _ if unit.ends_with('e') => format!("{unit}ën{}", NL_TENS[t as usize]),
        _ => format!("{unit}en{}", NL_TENS[t as usize]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts `cardinal_words` for each `(n, words)` pair in `lang`.
    fn check(lang: &str, cases: &[(u32, &str)]) {
        for &(n, want) in cases {
            assert_eq!(cardinal_words(n, lang), want, "{lang} {n}");
        }
    }

    /// Every number from 1 to 21, in order and separated by commas, for `lang`.
    fn check_first(lang: &str, words: &str) {
        let words: Vec<&str> = words.split(", ").collect();
        assert_eq!(words.len(), 21);
        for (n, want) in (1..).zip(words) {
            assert_eq!(cardinal_words(n, lang), want, "{lang} {n}");
        }
    }

    #[test]
    fn english_words() {
        check_first(
            "en-US",
            "one, two, three, four, five, six, seven, eight, nine, ten, eleven, \
             twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen, \
             nineteen, twenty, twenty-one",
        );
        check(
            "en",
            &[
                (0, "zero"),
                (30, "thirty"),
                (31, "thirty-one"),
                (40, "forty"),
                (70, "seventy"),
                (71, "seventy-one"),
                (80, "eighty"),
                (81, "eighty-one"),
                (90, "ninety"),
                (91, "ninety-one"),
                (92, "ninety-two"),
                (93, "ninety-three"),
                (94, "ninety-four"),
                (95, "ninety-five"),
                (96, "ninety-six"),
                (97, "ninety-seven"),
                (98, "ninety-eight"),
                (99, "ninety-nine"),
                (100, "one hundred"),
                (101, "one hundred one"),
                (106, "one hundred six"),
                (111, "one hundred eleven"),
                (121, "one hundred twenty-one"),
                (200, "two hundred"),
                (999, "nine hundred ninety-nine"),
                (1000, "one thousand"),
                (1001, "one thousand one"),
                (1100, "one thousand one hundred"),
                (2026, "two thousand twenty-six"),
                (21_000, "twenty-one thousand"),
                (100_000, "one hundred thousand"),
                (999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine"),
            ],
        );
    }

    #[test]
    fn german_words() {
        check_first(
            "de-DE",
            "eins, zwei, drei, vier, fünf, sechs, sieben, acht, neun, zehn, elf, \
             zwölf, dreizehn, vierzehn, fünfzehn, sechzehn, siebzehn, achtzehn, \
             neunzehn, zwanzig, einundzwanzig",
        );
        check(
            "de",
            &[
                (0, "null"),
                (30, "dreißig"),
                (31, "einunddreißig"),
                (70, "siebzig"),
                (71, "einundsiebzig"),
                (77, "siebenundsiebzig"),
                (80, "achtzig"),
                (81, "einundachtzig"),
                (90, "neunzig"),
                (91, "einundneunzig"),
                (92, "zweiundneunzig"),
                (93, "dreiundneunzig"),
                (94, "vierundneunzig"),
                (95, "fünfundneunzig"),
                (96, "sechsundneunzig"),
                (97, "siebenundneunzig"),
                (98, "achtundneunzig"),
                (99, "neunundneunzig"),
                (100, "hundert"),
                (101, "hunderteins"),
                (111, "hundertelf"),
                (121, "hunderteinundzwanzig"),
                (200, "zweihundert"),
                (999, "neunhundertneunundneunzig"),
                (1000, "tausend"),
                (1001, "tausendeins"),
                (1100, "tausendeinhundert"),
                (2026, "zweitausendsechsundzwanzig"),
                (21_000, "einundzwanzigtausend"),
                (101_001, "hunderteintausendeins"),
                (999_999, "neunhundertneunundneunzigtausendneunhundertneunundneunzig"),
            ],
        );
        check("de-CH", &[(30, "dreissig"), (31, "einunddreissig")]);
    }

    #[test]
    fn french_words() {
        check_first(
            "fr-FR",
            "un, deux, trois, quatre, cinq, six, sept, huit, neuf, dix, onze, douze, \
             treize, quatorze, quinze, seize, dix-sept, dix-huit, dix-neuf, vingt, \
             vingt et un",
        );
        check(
            "fr",
            &[
                (0, "zéro"),
                (22, "vingt-deux"),
                (30, "trente"),
                (31, "trente et un"),
                (61, "soixante et un"),
                (70, "soixante-dix"),
                (71, "soixante et onze"),
                (72, "soixante-douze"),
                (79, "soixante-dix-neuf"),
                (80, "quatre-vingts"),
                (81, "quatre-vingt-un"),
                (90, "quatre-vingt-dix"),
                (91, "quatre-vingt-onze"),
                (92, "quatre-vingt-douze"),
                (93, "quatre-vingt-treize"),
                (94, "quatre-vingt-quatorze"),
                (95, "quatre-vingt-quinze"),
                (96, "quatre-vingt-seize"),
                (97, "quatre-vingt-dix-sept"),
                (98, "quatre-vingt-dix-huit"),
                (99, "quatre-vingt-dix-neuf"),
                (100, "cent"),
                (101, "cent un"),
                (111, "cent onze"),
                (121, "cent vingt et un"),
                (180, "cent quatre-vingts"),
                (200, "deux cents"),
                (201, "deux cent un"),
                (999, "neuf cent quatre-vingt-dix-neuf"),
                (1000, "mille"),
                (1001, "mille un"),
                (2026, "deux mille vingt-six"),
                (21_000, "vingt et un mille"),
                (80_000, "quatre-vingt mille"),
                (200_000, "deux cent mille"),
                (280_080, "deux cent quatre-vingt mille quatre-vingts"),
                (1080, "mille quatre-vingts"),
            ],
        );
    }

    #[test]
    fn spanish_words() {
        check_first(
            "es-ES",
            "uno, dos, tres, cuatro, cinco, seis, siete, ocho, nueve, diez, once, \
             doce, trece, catorce, quince, dieciséis, diecisiete, dieciocho, \
             diecinueve, veinte, veintiuno",
        );
        check(
            "es",
            &[
                (0, "cero"),
                (22, "veintidós"),
                (23, "veintitrés"),
                (26, "veintiséis"),
                (29, "veintinueve"),
                (30, "treinta"),
                (31, "treinta y uno"),
                (70, "setenta"),
                (71, "setenta y uno"),
                (80, "ochenta"),
                (81, "ochenta y uno"),
                (90, "noventa"),
                (91, "noventa y uno"),
                (92, "noventa y dos"),
                (93, "noventa y tres"),
                (94, "noventa y cuatro"),
                (95, "noventa y cinco"),
                (96, "noventa y seis"),
                (97, "noventa y siete"),
                (98, "noventa y ocho"),
                (99, "noventa y nueve"),
                (100, "cien"),
                (101, "ciento uno"),
                (111, "ciento once"),
                (121, "ciento veintiuno"),
                (200, "doscientos"),
                (500, "quinientos"),
                (700, "setecientos"),
                (900, "novecientos"),
                (999, "novecientos noventa y nueve"),
                (1000, "mil"),
                (1001, "mil uno"),
                (2026, "dos mil veintiséis"),
                (21_000, "veintiún mil"),
                (31_000, "treinta y un mil"),
                (100_000, "cien mil"),
                (101_000, "ciento un mil"),
                (121_000, "ciento veintiún mil"),
                (21_021, "veintiún mil veintiuno"),
            ],
        );
    }

    #[test]
    fn italian_words() {
        check_first(
            "it-IT",
            "uno, due, tre, quattro, cinque, sei, sette, otto, nove, dieci, undici, \
             dodici, tredici, quattordici, quindici, sedici, diciassette, diciotto, \
             diciannove, venti, ventuno",
        );
        check(
            "it",
            &[
                (0, "zero"),
                (23, "ventitré"),
                (28, "ventotto"),
                (30, "trenta"),
                (31, "trentuno"),
                (38, "trentotto"),
                (70, "settanta"),
                (71, "settantuno"),
                (80, "ottanta"),
                (81, "ottantuno"),
                (90, "novanta"),
                (91, "novantuno"),
                (92, "novantadue"),
                (93, "novantatré"),
                (94, "novantaquattro"),
                (95, "novantacinque"),
                (96, "novantasei"),
                (97, "novantasette"),
                (98, "novantotto"),
                (99, "novantanove"),
                (100, "cento"),
                (101, "centouno"),
                (103, "centotré"),
                (108, "centootto"),
                (111, "centoundici"),
                (121, "centoventuno"),
                (180, "centottanta"),
                (200, "duecento"),
                (999, "novecentonovantanove"),
                (1000, "mille"),
                (1001, "milleuno"),
                (1003, "milletré"),
                (2000, "duemila"),
                (2026, "duemilaventisei"),
                (3000, "tremila"),
                (21_000, "ventunmila"),
                (23_000, "ventitremila"),
                (101_000, "centounmila"),
                (1080, "milleottanta"),
            ],
        );
    }

    #[test]
    fn portuguese_words() {
        check_first(
            "pt-PT",
            "um, dois, três, quatro, cinco, seis, sete, oito, nove, dez, onze, doze, \
             treze, catorze, quinze, dezasseis, dezassete, dezoito, dezanove, vinte, \
             vinte e um",
        );
        check(
            "pt",
            &[
                (0, "zero"),
                (30, "trinta"),
                (31, "trinta e um"),
                (70, "setenta"),
                (71, "setenta e um"),
                (80, "oitenta"),
                (81, "oitenta e um"),
                (90, "noventa"),
                (91, "noventa e um"),
                (92, "noventa e dois"),
                (93, "noventa e três"),
                (94, "noventa e quatro"),
                (95, "noventa e cinco"),
                (96, "noventa e seis"),
                (97, "noventa e sete"),
                (98, "noventa e oito"),
                (99, "noventa e nove"),
                (100, "cem"),
                (101, "cento e um"),
                (111, "cento e onze"),
                (121, "cento e vinte e um"),
                (200, "duzentos"),
                (500, "quinhentos"),
                (999, "novecentos e noventa e nove"),
                (1000, "mil"),
                (1001, "mil e um"),
                (1100, "mil e cem"),
                (1234, "mil duzentos e trinta e quatro"),
                (2026, "dois mil e vinte e seis"),
                (100_000, "cem mil"),
                (101_101, "cento e um mil cento e um"),
                (21_021, "vinte e um mil e vinte e um"),
            ],
        );
        check(
            "pt-BR",
            &[
                (14, "quatorze"),
                (16, "dezesseis"),
                (17, "dezessete"),
                (19, "dezenove"),
                (116, "cento e dezesseis"),
                (21, "vinte e um"),
            ],
        );
    }

    #[test]
    fn dutch_words() {
        check_first(
            "nl-NL",
            "een, twee, drie, vier, vijf, zes, zeven, acht, negen, tien, elf, twaalf, \
             dertien, veertien, vijftien, zestien, zeventien, achttien, negentien, \
             twintig, eenentwintig",
        );
        check(
            "nl",
            &[
                (0, "nul"),
                (22, "tweeëntwintig"),
                (23, "drieëntwintig"),
                (24, "vierentwintig"),
                (30, "dertig"),
                (31, "eenendertig"),
                (70, "zeventig"),
                (71, "eenenzeventig"),
                (80, "tachtig"),
                (81, "eenentachtig"),
                (90, "negentig"),
                (91, "eenennegentig"),
                (92, "tweeënnegentig"),
                (93, "drieënnegentig"),
                (94, "vierennegentig"),
                (95, "vijfennegentig"),
                (96, "zesennegentig"),
                (97, "zevenennegentig"),
                (98, "achtennegentig"),
                (99, "negenennegentig"),
                (100, "honderd"),
                (101, "honderdeen"),
                (111, "honderdelf"),
                (121, "honderdeenentwintig"),
                (200, "tweehonderd"),
                (999, "negenhonderdnegenennegentig"),
                (1000, "duizend"),
                (1001, "duizend een"),
                (2026, "tweeduizend zesentwintig"),
                (22_000, "tweeëntwintigduizend"),
                (1100, "duizend honderd"),
            ],
        );
    }

    #[test]
    fn past_the_words_come_digits() {
        assert_eq!(cardinal_words(1_000_000, "en"), "1000000");
        assert_eq!(cardinal_words(u32::MAX, "de"), u32::MAX.to_string());
    }

    #[test]
    fn unknown_languages_count_in_english_but_label_in_digits() {
        assert_eq!(cardinal_words(21, "fi"), "twenty-one");
        assert_eq!(cardinal_words(21, ""), "twenty-one");
        assert_eq!(format_number(21, NumberStyle::Words, "fi-FI").as_deref(), Some("21"));
    }

    #[test]
    fn labels_are_capitalised() {
        let words = |n, lang| format_number(n, NumberStyle::Words, lang).unwrap();
        assert_eq!(words(21, "en-GB"), "Twenty-One");
        assert_eq!(words(106, "en"), "One Hundred Six");
        assert_eq!(words(21, "de"), "Einundzwanzig");
        assert_eq!(words(21, "fr-CA"), "Vingt et un");
        assert_eq!(words(16, "es"), "Dieciséis");
        assert_eq!(words(16, "pt_BR"), "Dezesseis");
        assert_eq!(words(22, "NL"), "Tweeëntwintig");
        assert_eq!(format_number(21, NumberStyle::Digits, "de").as_deref(), Some("21"));
        assert_eq!(format_number(21, NumberStyle::Roman, "de").as_deref(), Some("XXI"));
        assert_eq!(format_number(21, NumberStyle::None, "de"), None);
    }

    #[test]
    fn roman_numerals() {
        for (n, want) in [
            (1, "I"),
            (2, "II"),
            (3, "III"),
            (4, "IV"),
            (9, "IX"),
            (14, "XIV"),
            (40, "XL"),
            (49, "XLIX"),
            (90, "XC"),
            (400, "CD"),
            (1994, "MCMXCIV"),
            (2026, "MMXXVI"),
            (3999, "MMMCMXCIX"),
            (0, "0"),
            (4000, "4000"),
        ] {
            assert_eq!(roman_upper(n), want, "{n}");
        }
    }

    #[test]
    fn styles_parse() {
        assert_eq!(NumberStyle::parse("words"), Some(NumberStyle::Words));
        assert_eq!(NumberStyle::parse("digits"), Some(NumberStyle::Digits));
        assert_eq!(NumberStyle::parse("roman"), Some(NumberStyle::Roman));
        assert_eq!(NumberStyle::parse("none"), Some(NumberStyle::None));
        assert_eq!(NumberStyle::parse("Words"), None);
        assert_eq!(NumberStyle::parse("arabic"), None);
        assert_eq!(NumberStyle::parse(""), None);
    }
}
