//! Service levels: the TTO/TTR grid per priority, the deadlines it gives a ticket and whether
//! the ticket met them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::{self, Calendar};
use super::datetime::Timestamp;
use super::model::Ticket;

/// TTO and TTR targets per priority (1..6); a priority without an entry has no SLA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<u8, SlaTarget>", into = "BTreeMap<u8, SlaTarget>")]
pub struct SlaGrid {
    targets: BTreeMap<u8, SlaTarget>,
}

impl TryFrom<BTreeMap<u8, SlaTarget>> for SlaGrid {
    type Error = String;

    fn try_from(targets: BTreeMap<u8, SlaTarget>) -> Result<Self, String> {
        match targets.keys().find(|p| !(1..=6).contains(*p)) {
            Some(p) => Err(format!("sla: priority {p} is outside 1..6")),
            None => Ok(SlaGrid { targets }),
        }
    }
}

impl From<SlaGrid> for BTreeMap<u8, SlaTarget> {
    fn from(grid: SlaGrid) -> Self {
        grid.targets
    }
}

impl SlaGrid {
    /// The targets for a priority, if the grid has them.
    pub(crate) fn target(&self, priority: u8) -> Option<&SlaTarget> {
        self.targets.get(&priority)
    }
}

/// The time to own and the time to resolve of one priority.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    /// Time to own ("prise en charge").
    pub tto: Option<SlaDuration>,
    /// Time to resolve ("résolution").
    pub ttr: Option<SlaDuration>,
}

/// A target duration written `30m`, `4h`, `1h30m` or `90min` (business time with a calendar).
///
/// Days are not accepted: with a business calendar "one day" could mean 24 hours or one
/// working day, so targets are written in hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SlaDuration {
    /// Seconds.
    pub seconds: i64,
}

impl TryFrom<String> for SlaDuration {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        parse_duration(&text).map(|seconds| SlaDuration { seconds }).ok_or_else(|| {
            format!("`{text}` is not a duration: write hours and minutes such as `4h`, `30m` or `1h30m`")
        })
    }
}

impl From<SlaDuration> for String {
    fn from(d: SlaDuration) -> String {
        let (h, m) = (d.seconds / 3600, (d.seconds / 60) % 60);
        match (h, m) {
            (0, m) => format!("{m}m"),
            (h, 0) => format!("{h}h"),
            (h, m) => format!("{h}h{m}m"),
        }
    }
}

fn parse_duration(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match rest[..unit_len].trim() {
            "h" => 3600,
            "m" | "min" => 60,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    (total > 0).then_some(total)
}

/// Whether a ticket met one of its SLA targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaOutcome {
    /// Done before the deadline.
    Met,
    /// Done after the deadline, or still not done after it.
    Missed,
    /// Not done yet, deadline still ahead.
    Running,
    /// No target for this ticket.
    None,
}

/// The deadlines of a ticket: as written in its front matter, else computed from the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Deadlines {
    /// Time to own deadline.
    pub time_to_own: Option<Timestamp>,
    /// Time to resolve deadline (pushed back by the time spent pending, as GLPI does).
    pub time_to_resolve: Option<Timestamp>,
}

/// The ticket's deadlines: given ones win; otherwise opening date + the grid's target for its
/// priority, in business time with a calendar (`cal`); the TTR also moves by
/// `waiting_duration`.
pub(crate) fn deadlines(
    ticket: &Ticket,
    priority: u8,
    grid: &SlaGrid,
    cal: Option<&Calendar>,
) -> Deadlines {
    let target = grid.target(priority);
    let computed = |d: Option<SlaDuration>, extra: i64| {
        d.and_then(|d| calendar::deadline(cal, ticket.date, d.seconds + extra))
    };
    Deadlines {
        time_to_own: ticket
            .time_to_own
            .or_else(|| computed(target.and_then(|t| t.tto), 0)),
        time_to_resolve: ticket
            .time_to_resolve
            .or_else(|| computed(target.and_then(|t| t.ttr), ticket.waiting_duration as i64)),
    }
}

/// Met, missed or running, given the deadline, the instant the work was done (if it was) and
/// the instant the KPIs are taken at.
pub(crate) fn outcome(
    deadline: Option<Timestamp>,
    done: Option<Timestamp>,
    as_of: Timestamp,
) -> SlaOutcome {
    match (deadline, done) {
        (None, _) => SlaOutcome::None,
        (Some(limit), Some(at)) if at <= as_of => {
            if at <= limit {
                SlaOutcome::Met
            } else {
                SlaOutcome::Missed
            }
        }
        (Some(limit), _) if as_of > limit => SlaOutcome::Missed,
        (Some(_), _) => SlaOutcome::Running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_hours_and_minutes() {
        assert_eq!(parse_duration("4h"), Some(14_400));
        assert_eq!(parse_duration("30m"), Some(1800));
        assert_eq!(parse_duration("90min"), Some(5400));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("2d"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("0m"), None);
        assert_eq!(String::from(SlaDuration { seconds: 5400 }), "1h30m");
    }

    #[test]
    fn grid_keys_are_priorities() {
        let grid: SlaGrid = serde_yaml::from_str("5: {tto: 30m, ttr: 4h}\n").unwrap();
        assert_eq!(grid.target(5).unwrap().ttr.unwrap().seconds, 14_400);
        assert!(grid.target(3).is_none());
        assert!(serde_yaml::from_str::<SlaGrid>("7: {tto: 30m}\n").is_err());
        assert!(serde_yaml::from_str::<SlaGrid>("3: {tto: 30m, delay: 1h}\n").is_err());
    }
}
