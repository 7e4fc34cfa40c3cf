//! The ticket settings of guichet.yaml: `priority_matrix`, `sla`, `calendar` and `kpi`.

use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::datetime::Timestamp;
use super::priority::PriorityMatrix;
use super::sla::SlaGrid;

/// Everything the ticket module reads from guichet.yaml. The site configuration embeds these
/// four values as its top-level keys of the same names; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TicketSettings {
    /// Urgency × impact → priority (GLPI's default when absent).
    pub priority_matrix: PriorityMatrix,
    /// TTO and TTR per priority (no SLA when absent).
    pub sla: SlaGrid,
    /// Business days, hours and holidays (24/7 when absent).
    pub calendar: Option<Calendar>,
    /// KPI options.
    pub kpi: KpiSettings,
}

/// Options of the KPI computation (`kpi:` in guichet.yaml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KpiSettings {
    /// The instant the backlog is measured at. Default: the latest timestamp in the tickets,
    /// never the clock, so that a build is reproducible.
    pub as_of: Option<Timestamp>,
    /// The recurring-incident rule.
    pub recurring: RecurringRule,
}

/// "`count` incidents or more within `days` days" on one category or asset: a candidate for
/// a Problem record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecurringRule {
    /// How many incidents make a recurrence (at least 2).
    pub count: u32,
    /// The window, in days.
    pub days: u32,
}

impl Default for RecurringRule {
    /// Three incidents within thirty days.
    fn default() -> Self {
        RecurringRule { count: 3, days: 30 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape() {
        let yaml = "priority_matrix:\n  - [1, 1, 2, 2, 2]\n  - [1, 2, 2, 3, 3]\n  - [2, 2, 3, 4, 4]\n  - [2, 3, 4, 4, 5]\n  - [2, 3, 4, 5, 5]\n\
                    sla:\n  5: {tto: 30m, ttr: 4h}\n  3: {tto: 2h, ttr: 16h}\n\
                    calendar:\n  days: [lundi, mardi, mercredi, jeudi, vendredi]\n  hours: [\"08:30-12:30\", \"13:30-17:30\"]\n  holidays: [2025-05-01, 2025-05-08]\n\
                    kpi:\n  as_of: 2025-06-30 18:00\n  recurring: {count: 3, days: 30}\n";
        let s: TicketSettings = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(s.priority_matrix, PriorityMatrix::default());
        assert_eq!(s.sla.target(3).unwrap().tto.unwrap().seconds, 7200);
        assert_eq!(s.calendar.as_ref().unwrap().holidays.len(), 2);
        assert_eq!(s.kpi.as_of.unwrap().display(), "2025-06-30 18:00");
        assert_eq!(s.kpi.recurring, RecurringRule::default());
        assert_eq!(
            serde_yaml::from_str::<TicketSettings>("{}").unwrap(),
            TicketSettings::default()
        );
    }
}
