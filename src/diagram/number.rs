//! How the diagrams write a number into SVG: shared by the shapes, the diagram writer and the
//! topology icons, so every coordinate of every diagram is written alike.

use std::fmt;

/// A coordinate written with at most two decimals and no trailing zeros (formatted in place,
/// without allocating: a diagram writes thousands of them).
pub(crate) fn num(v: f32) -> Num {
    Num(v)
}

/// A number as written in SVG attributes; see [`num`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(f32);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 as f64 * 100.0).round() as i64;
        let (sign, abs) = if hundredths < 0 {
            ("-", -hundredths)
        } else {
            ("", hundredths)
        };
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            _ if frac % 10 == 0 => write!(f, "{sign}{whole}.{}", frac / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0).to_string(), "12");
        assert_eq!(num(12.5).to_string(), "12.5");
        assert_eq!(num(-0.001).to_string(), "0");
        assert_eq!(num(1.256).to_string(), "1.26");
        assert_eq!(num(-3.05).to_string(), "-3.05");
    }
}
