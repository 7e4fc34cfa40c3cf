//! Business time: which hours count when a calendar is set (GLPI's calendars), so that
//! durations and SLA deadlines skip nights, weekends and holidays.

use serde::{Deserialize, Serialize};

use super::datetime::{DAY, Date, Timestamp};

/// A business calendar: working days, working hours on those days, and holidays.
///
/// Without a calendar the service runs 24/7 (GLPI's default) and durations are elapsed time.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "CalendarFields")]
pub struct Calendar {
    /// Working days of the week.
    pub days: Vec<Weekday>,
    /// Working hours of each working day, sorted and not overlapping.
    pub hours: Vec<HourRange>,
    /// Days off, whatever their weekday.
    pub holidays: Vec<Date>,
}

/// The calendar as written in guichet.yaml, checked before it becomes a [`Calendar`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFields {
    days: Vec<Weekday>,
    hours: WorkingHours,
    #[serde(default)]
    holidays: Vec<Date>,
}

impl TryFrom<CalendarFields> for Calendar {
    type Error = String;

    fn try_from(fields: CalendarFields) -> Result<Self, String> {
        let hours = fields.hours.0;
        if fields.days.is_empty() {
            return Err("calendar `days` must list at least one working day".into());
        }
        let mut days = fields.days;
        days.sort();
        days.dedup();
        let mut holidays = fields.holidays;
        holidays.sort();
        holidays.dedup();
        Ok(Calendar {
            days,
            hours,
            holidays,
        })
    }
}

/// The hours of a day, sorted and checked on their own so that an overlap is reported at
/// the `hours` list.
#[derive(Deserialize)]
#[serde(try_from = "Vec<HourRange>")]
struct WorkingHours(Vec<HourRange>);

impl TryFrom<Vec<HourRange>> for WorkingHours {
    type Error = String;

    fn try_from(mut hours: Vec<HourRange>) -> Result<Self, String> {
        hours.sort();
        if hours.is_empty() {
            return Err("list at least one range such as `08:00-12:00`".into());
        }
        for pair in hours.windows(2) {
            if pair[1].start < pair[0].end {
                return Err(format!("hours `{}` and `{}` overlap", pair[0], pair[1]));
            }
        }
        Ok(WorkingHours(hours))
    }
}

/// A day of the week, written in French or English (`lundi` or `monday`, `lun` or `mon`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    #[serde(alias = "lun", alias = "monday", alias = "mon")]
    Lundi,
    #[serde(alias = "mar", alias = "tuesday", alias = "tue")]
    Mardi,
    #[serde(alias = "mer", alias = "wednesday", alias = "wed")]
    Mercredi,
    #[serde(alias = "jeu", alias = "thursday", alias = "thu")]
    Jeudi,
    #[serde(alias = "ven", alias = "friday", alias = "fri")]
    Vendredi,
    #[serde(alias = "sam", alias = "saturday", alias = "sat")]
    Samedi,
    #[serde(alias = "dim", alias = "sunday", alias = "sun")]
    Dimanche,
}

impl Weekday {
    /// 0 = Monday … 6 = Sunday, as [`Date::weekday`].
    pub(crate) fn index(self) -> u32 {
        self as u32
    }
}

/// Working hours within one day, `08:00-12:00` (seconds since midnight, end excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HourRange {
    /// Start, seconds since midnight.
    pub start: i64,
    /// End, seconds since midnight (86 400 for `24:00`).
    pub end: i64,
}

impl TryFrom<String> for HourRange {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a range of hours: expected `08:00-12:00`");
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        let start = clock(start.trim()).ok_or_else(bad)?;
        let end = clock(end.trim()).ok_or_else(bad)?;
        if start >= end {
            return Err(format!("`{text}`: the range must end after it starts"));
        }
        Ok(HourRange { start, end })
    }
}

impl From<HourRange> for String {
    fn from(range: HourRange) -> String {
        range.to_string()
    }
}

impl std::fmt::Display for HourRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hm = |s: i64| format!("{:02}:{:02}", s / 3600, (s / 60) % 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

/// `HH:MM` as seconds since midnight; `24:00` is the end of the day.
fn clock(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(DAY),
        (0..=23, 0..=59) => Some(h * 3600 + m * 60),
        _ => None,
    }
}

/// Gives up looking for business time after this many days (a calendar whose only working
/// days are all holidays would otherwise never end a deadline).
const SEARCH_LIMIT_DAYS: i64 = 366 * 20;

impl Calendar {
    /// True when `day` is a working day that is not a holiday.
    pub(crate) fn is_working_day(&self, day: Date) -> bool {
        self.days.iter().any(|d| d.index() == day.weekday())
            && self.holidays.binary_search(&day).is_err()
    }

    /// Business seconds between `from` and `to` (0 when `to` is not after `from`).
    pub(crate) fn business_seconds(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let mut day = from.date();
        while day <= to.date() {
            if self.is_working_day(day) {
                let midnight = day.start().0;
                for range in &self.hours {
                    let start = (midnight + range.start).max(from.0);
                    let end = (midnight + range.end).min(to.0);
                    total += (end - start).max(0);
                }
            }
            day = Date(day.0 + 1);
        }
        total
    }

    /// The instant at which `seconds` of business time have passed since `from`;
    /// `None` when the calendar has no working time left within twenty years.
    pub(crate) fn add_business_seconds(&self, from: Timestamp, seconds: i64) -> Option<Timestamp> {
        let mut left = seconds.max(0);
        let mut day = from.date();
        let last = Date(day.0 + SEARCH_LIMIT_DAYS);
        while day <= last {
            if self.is_working_day(day) {
                let midnight = day.start().0;
                for range in &self.hours {
                    let start = (midnight + range.start).max(from.0);
                    let end = midnight + range.end;
                    if end <= start {
                        continue;
                    }
                    // A zero duration lands on the next business instant.
                    if left <= end - start {
                        return Some(Timestamp(start + left));
                    }
                    left -= end - start;
                }
            }
            day = Date(day.0 + 1);
        }
        None
    }
}

/// Business seconds between two instants, or elapsed seconds without a calendar.
pub(crate) fn duration(calendar: Option<&Calendar>, from: Timestamp, to: Timestamp) -> i64 {
    match calendar {
        Some(c) => c.business_seconds(from, to),
        None => (to.0 - from.0).max(0),
    }
}

/// The deadline `seconds` after `from`, in business time with a calendar.
pub(crate) fn deadline(
    calendar: Option<&Calendar>,
    from: Timestamp,
    seconds: i64,
) -> Option<Timestamp> {
    match calendar {
        Some(c) => c.add_business_seconds(from, seconds),
        None => Some(Timestamp(from.0 + seconds)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    /// Monday to Friday, 08:00-12:00 and 14:00-18:00, with Thursday 1 May 2025 off.
    fn office() -> Calendar {
        serde_yaml::from_str(
            "days: [lundi, mardi, mercredi, jeudi, vendredi]\n\
             hours: [\"14:00-18:00\", \"08:00-12:00\"]\n\
             holidays: [2025-05-01]\n",
        )
        .unwrap()
    }

    #[test]
    fn counts_only_working_hours_across_a_weekend() {
        // Friday 2025-04-25 17:00 -> Monday 2025-04-28 09:30: 1 h on Friday, 1 h 30 on Monday.
        let c = office();
        assert_eq!(
            c.business_seconds(ts("2025-04-25 17:00"), ts("2025-04-28 09:30")),
            9000
        );
        // The lunch break does not count.
        assert_eq!(
            c.business_seconds(ts("2025-04-28 11:00"), ts("2025-04-28 15:00")),
            7200
        );
    }

    #[test]
    fn skips_a_holiday() {
        // Wednesday 30 April 16:00 -> Friday 2 May 10:00: 2 h + (1 May off) + 2 h.
        let c = office();
        assert_eq!(
            c.business_seconds(ts("2025-04-30 16:00"), ts("2025-05-02 10:00")),
            4 * 3600
        );
    }

    #[test]
    fn deadlines_land_in_business_time() {
        let c = office();
        // 4 business hours from Wednesday 30 April 16:00: 2 h left that day, then Friday 10:00.
        assert_eq!(
            c.add_business_seconds(ts("2025-04-30 16:00"), 4 * 3600),
            Some(ts("2025-05-02 10:00"))
        );
        // Opened on Saturday: the clock starts on Monday at 08:00.
        assert_eq!(
            c.add_business_seconds(ts("2025-04-26 10:00"), 3600),
            Some(ts("2025-04-28 09:00"))
        );
        // Exactly the end of a range stays on that range's end.
        assert_eq!(
            c.add_business_seconds(ts("2025-04-28 08:00"), 4 * 3600),
            Some(ts("2025-04-28 12:00"))
        );
    }

    #[test]
    fn rejects_overlapping_or_malformed_hours() {
        let err = serde_yaml::from_str::<Calendar>(
            "days: [lundi]\nhours: [\"08:00-12:00\", \"11:00-13:00\"]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("overlap"), "{err}");
        assert!(serde_yaml::from_str::<Calendar>("days: [lundi]\nhours: [\"8h-12h\"]\n").is_err());
        assert!(
            serde_yaml::from_str::<Calendar>("days: [funday]\nhours: [\"08:00-12:00\"]\n").is_err()
        );
    }
}
