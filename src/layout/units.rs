//! Typed lengths and page sizes. All layout works in PostScript points (1/72 in), top-left
//! origin, y growing downwards; the PDF writer flips y at its boundary and nowhere else.

use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A length in PostScript points.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, serde::Serialize)]
pub struct Pt(pub f64);

impl Pt {
    /// Zero length.
    pub const ZERO: Pt = Pt(0.0);

    /// `inches` inches.
    pub const fn inches(inches: f64) -> Pt {
        Pt(inches * 72.0)
    }

    /// `mm` millimetres.
    pub const fn mm(mm: f64) -> Pt {
        Pt(mm * 72.0 / 25.4)
    }

    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        if other.0 > self.0 { other } else { self }
    }

    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        if other.0 < self.0 { other } else { self }
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}
impl AddAssign for Pt {
    fn add_assign(&mut self, o: Pt) {
        self.0 += o.0;
    }
}
impl Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}
impl SubAssign for Pt {
    fn sub_assign(&mut self, o: Pt) {
        self.0 -= o.0;
    }
}
impl Mul<f64> for Pt {
    type Output = Pt;
    fn mul(self, k: f64) -> Pt {
        Pt(self.0 * k)
    }
}
impl Div<f64> for Pt {
    type Output = Pt;
    fn div(self, k: f64) -> Pt {
        Pt(self.0 / k)
    }
}
impl Neg for Pt {
    type Output = Pt;
    fn neg(self) -> Pt {
        Pt(-self.0)
    }
}

/// A trimmed page's width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrimSize {
    /// Width of the trimmed page.
    pub width: Pt,
    /// Height of the trimmed page.
    pub height: Pt,
}

impl TrimSize {
    /// US Letter, 8.5 × 11 in.
    pub const LETTER: TrimSize = TrimSize { width: Pt(612.0), height: Pt(792.0) };
    /// ISO A4, 210 × 297 mm.
    pub const A4: TrimSize = TrimSize { width: Pt(595.0), height: Pt(842.0) };

    /// Reads a preset name (`6x9`, `5x8`, `5.25x8`, `5.5x8.5`, `a5`, `b-format`, `letter`) or a
    /// custom size `WxHin` / `WxHmm`.
    pub fn parse(text: &str) -> Result<TrimSize, String> {
        let t = text.trim().to_ascii_lowercase();
        let inches =
            |w: f64, h: f64| TrimSize { width: Pt::inches(w), height: Pt::inches(h) };
        let preset = match t.as_str() {
            "6x9" => Some(inches(6.0, 9.0)),
            "5x8" => Some(inches(5.0, 8.0)),
            "5.25x8" => Some(inches(5.25, 8.0)),
            "5.5x8.5" => Some(inches(5.5, 8.5)),
            "letter" => Some(inches(8.5, 11.0)),
            "a5" => Some(TrimSize { width: Pt::mm(148.0), height: Pt::mm(210.0) }),
            "b-format" => Some(TrimSize { width: Pt::mm(129.0), height: Pt::mm(198.0) }),
            _ => None,
        };
        if let Some(size) = preset {
            return Ok(size);
        }
        let (numbers, unit): (&str, fn(f64) -> Pt) = if let Some(n) = t.strip_suffix("in")
        {
            (n, Pt::inches)
        } else if let Some(n) = t.strip_suffix("mm") {
            (n, Pt::mm)
        } else if dimensions(&t).is_some() {
            return Err(format!(
                "trim {text:?} has no unit: write it as \"{t}in\" or \"{t}mm\""
            ));
        } else {
            return Err(format!(
                "trim {text:?} is not a preset (6x9, 5x8, 5.25x8, 5.5x8.5, a5, b-format, letter) \
                 nor a custom size such as \"5.06x7.81in\" or \"140x216mm\""
            ));
        };
        match dimensions(numbers) {
            Some((w, h)) => {
                let size = TrimSize { width: unit(w), height: unit(h) };
                if size.width > TrimSize::LARGEST.width
                    || size.height > TrimSize::LARGEST.height
                {
                    Err(format!(
                        "trim {text:?} is larger than 17×22 in, the largest quire sets"
                    ))
                } else {
                    Ok(size)
                }
            }
            None => Err(format!(
                "trim {text:?}: write a custom size as WIDTHxHEIGHT with in or mm, e.g. \"6x9in\""
            )),
        }
    }

    /// The largest trim quire sets: 17 × 22 in (the smallest depends on the type; see
    /// [`crate::layout::style::smallest_book_trim`]).
    pub const LARGEST: TrimSize =
        TrimSize { width: Pt::inches(17.0), height: Pt::inches(22.0) };
}

/// Two positive finite numbers written `WxH`.
fn dimensions(text: &str) -> Option<(f64, f64)> {
    let (w, h) = text.split_once('x')?;
    let (w, h) = (w.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?);
    (w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::{Pt, TrimSize};

    #[test]
    fn presets_and_custom_sizes_parse() {
        assert_eq!(
            TrimSize::parse("6x9").unwrap(),
            TrimSize { width: Pt(432.0), height: Pt(648.0) }
        );
        let a5 = TrimSize::parse("A5").unwrap();
        assert!((a5.width.0 - 419.53).abs() < 0.01);
        assert_eq!(TrimSize::parse("5.5x8.5in").unwrap().width, Pt(396.0));
        assert!(TrimSize::parse("7x").is_err());
        assert!(TrimSize::parse("huge").is_err());
        // Tiny sizes parse: whether the type fits is checked with the configuration.
        assert_eq!(TrimSize::parse("1x1in").unwrap().width, Pt(72.0));
    }

    #[test]
    fn unusable_trims_say_what_to_write() {
        let no_unit = TrimSize::parse("1x1").unwrap_err();
        assert_eq!(no_unit, r#"trim "1x1" has no unit: write it as "1x1in" or "1x1mm""#);
        for text in ["0x9in", "-6x9in", "nanx9in", "infx9in", "6x9x2in"] {
            let message = TrimSize::parse(text).unwrap_err();
            assert!(message.contains("WIDTHxHEIGHT"), "{text}: {message}");
        }
        let huge = TrimSize::parse("18x9in").unwrap_err();
        assert!(huge.contains("larger than 17×22 in"), "{huge}");
    }
}
