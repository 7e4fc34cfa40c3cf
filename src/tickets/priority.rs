//! GLPI's priority: computed from urgency and impact through a configurable matrix, with its
//! labels and colours.

use serde::{Deserialize, Serialize};

use crate::language::Language;

/// The urgency × impact → priority table (rows = urgency 1..5, columns = impact 1..5).
///
/// GLPI lets administrators change it, so it is data with GLPI's default built in. A missing
/// cell (a short row) falls back to round((urgency + impact) / 2), as in GLPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Vec<MatrixCell>>", into = "Vec<Vec<u8>>")]
pub struct PriorityMatrix {
    rows: Vec<Vec<u8>>,
}

impl Default for PriorityMatrix {
    /// GLPI's default matrix (`install/empty_data.php`).
    fn default() -> Self {
        PriorityMatrix {
            rows: vec![
                vec![1, 1, 2, 2, 2],
                vec![1, 2, 2, 3, 3],
                vec![2, 2, 3, 4, 4],
                vec![2, 3, 4, 4, 5],
                vec![2, 3, 4, 5, 5],
            ],
        }
    }
}

/// One cell, checked on its own so that a bad value is reported at its position.
#[derive(Deserialize)]
#[serde(try_from = "i64")]
pub(crate) struct MatrixCell(u8);

impl TryFrom<i64> for MatrixCell {
    type Error = String;

    fn try_from(value: i64) -> Result<Self, String> {
        match value {
            1..=5 => Ok(MatrixCell(value as u8)),
            _ => Err(format!(
                "priority {value} is outside 1..5 (6 Majeure is only set by hand)"
            )),
        }
    }
}

impl TryFrom<Vec<Vec<MatrixCell>>> for PriorityMatrix {
    type Error = String;

    fn try_from(rows: Vec<Vec<MatrixCell>>) -> Result<Self, String> {
        if rows.len() > 5 || rows.iter().any(|r| r.len() > 5) {
            return Err(
                "priority_matrix has at most 5 rows (urgency 1..5) of at most 5 \
                        priorities (impact 1..5)"
                    .into(),
            );
        }
        let rows = rows
            .into_iter()
            .map(|row| row.into_iter().map(|cell| cell.0).collect())
            .collect();
        Ok(PriorityMatrix { rows })
    }
}

impl From<PriorityMatrix> for Vec<Vec<u8>> {
    fn from(m: PriorityMatrix) -> Self {
        m.rows
    }
}

impl PriorityMatrix {
    /// The priority for an urgency and an impact, both 1..5.
    pub(crate) fn priority(&self, urgency: u8, impact: u8) -> u8 {
        let cell = self
            .rows
            .get(usize::from(urgency).wrapping_sub(1))
            .and_then(|row| row.get(usize::from(impact).wrapping_sub(1)));
        match cell {
            Some(p) => *p,
            // PHP's round() takes .5 away from zero.
            None => (urgency + impact).div_ceil(2),
        }
    }
}

/// The label of a priority, urgency or impact level (1..6) in `lang`.
pub(crate) fn priority_label(priority: u8, lang: Language) -> &'static str {
    const FR: [&str; 6] = [
        "Très basse",
        "Basse",
        "Moyenne",
        "Haute",
        "Très haute",
        "Majeure",
    ];
    const EN: [&str; 6] = ["Very low", "Low", "Medium", "High", "Very high", "Major"];
    let table = if lang == Language::En { EN } else { FR };
    table
        .get(usize::from(priority).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// The label of an impact level (1..5): GLPI writes them in the masculine in French.
pub(crate) fn impact_label(impact: u8, lang: Language) -> &'static str {
    const FR: [&str; 5] = ["Très bas", "Bas", "Moyen", "Haut", "Très haut"];
    match (lang, FR.get(usize::from(impact).wrapping_sub(1))) {
        (Language::En, _) | (_, None) => priority_label(impact, lang),
        (_, Some(label)) => label,
    }
}

/// GLPI's background colour for a priority (1..6).
pub(crate) fn priority_colour(priority: u8) -> &'static str {
    const COLOURS: [&str; 6] = [
        "#fff2f2", "#ffe0e0", "#ffcece", "#ffbfbf", "#ffadad", "#ff5555",
    ];
    COLOURS
        .get(usize::from(priority).wrapping_sub(1))
        .copied()
        .unwrap_or("#ffffff")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matrix_is_glpis() {
        let m = PriorityMatrix::default();
        assert_eq!(m.priority(1, 1), 1);
        assert_eq!(m.priority(3, 3), 3);
        assert_eq!(m.priority(4, 2), 3);
        assert_eq!(m.priority(2, 4), 3);
        assert_eq!(m.priority(5, 5), 5);
        assert_eq!(m.priority(5, 1), 2);
    }

    #[test]
    fn missing_cells_fall_back_to_the_rounded_mean() {
        let m: PriorityMatrix = serde_yaml::from_str("- [1, 1]\n").unwrap();
        assert_eq!(m.priority(1, 2), 1);
        assert_eq!(m.priority(2, 3), 3);
        assert_eq!(m.priority(4, 4), 4);
        assert!(serde_yaml::from_str::<PriorityMatrix>("- [1, 6]\n").is_err());
    }

    #[test]
    fn labels_and_colours() {
        assert_eq!(priority_label(6, Language::Fr), "Majeure");
        assert_eq!(priority_label(4, Language::En), "High");
        assert_eq!(priority_colour(6), "#ff5555");
        assert_eq!(impact_label(4, Language::Fr), "Haut");
        assert_eq!(impact_label(4, Language::En), "High");
    }
}
