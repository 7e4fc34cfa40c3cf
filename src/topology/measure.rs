//! Text widths for the layout, in DejaVu Sans (the font the diagrams name first).
//!
//! Advances are DejaVu Sans's own (units of 2048 per em) for ASCII; other characters count
//! as an average lowercase letter, which errs a little wide, the safe side for boxes.

/// The width of `text` at `size` px.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<u32>() as f32 / 2048.0 * size
}

fn advance(c: char) -> u32 {
    const UPPER: [u32; 26] = [
        1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
        1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403,
    ];
    const LOWER: [u32; 26] = [
        1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300,
        1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
    ];
    match c {
        'A'..='Z' => UPPER[c as usize - 'A' as usize],
        'a'..='z' => LOWER[c as usize - 'a' as usize],
        '0'..='9' => 1303,
        ' ' | '.' | ',' => 651,
        ':' | ';' | '/' => 690,
        '-' => 739,
        '(' | ')' | '[' | ']' => 799,
        '\'' => 563,
        '_' => 1024,
        '@' => 2048,
        '·' => 651,
        'é' | 'è' | 'ê' | 'ë' => 1260,
        'à' | 'â' => 1255,
        'É' => 1294,
        _ => 1300,
    }
}
