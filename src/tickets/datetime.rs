//! Timestamps and dates as GLPI writes them, parsed by hand so that no date crate is needed.
//!
//! A [`Timestamp`] counts seconds since 1970-01-01 00:00 on the service desk's wall clock:
//! GLPI stores local times without a zone, and business calendars are written in local time
//! too. A value written with `Z` or an offset (`+01:00`) is converted to UTC, so a site
//! should write all its timestamps the same way.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds in one day.
pub(crate) const DAY: i64 = 86_400;

/// A point in time: seconds since 1970-01-01 00:00 (wall clock of the service desk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

/// A calendar day: days since 1970-01-01 (used for holidays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(pub i64);

impl Timestamp {
    /// Parses `YYYY-MM-DD HH:MM`, with optional `:SS` and fraction, `T` instead of the space,
    /// and an optional `Z` or `±HH:MM` / `±HHMM` suffix (ISO 8601).
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        parse_timestamp(text.trim()).ok_or_else(|| {
            format!(
                "`{}` is not a date and time: expected `YYYY-MM-DD HH:MM` (seconds and ISO 8601 \
                 such as `2025-03-04T14:02:00` are accepted)",
                text.trim()
            )
        })
    }

    /// The day this instant falls on.
    pub(crate) fn date(self) -> Date {
        Date(self.0.div_euclid(DAY))
    }

    /// Seconds since midnight.
    pub(crate) fn seconds_of_day(self) -> i64 {
        self.0.rem_euclid(DAY)
    }

    /// `YYYY-MM-DD HH:MM`, the way GLPI displays dates.
    pub fn display(self) -> String {
        let s = self.seconds_of_day();
        format!("{} {:02}:{:02}", self.date(), s / 3600, (s / 60) % 60)
    }

    /// `YYYY-MM`, the month key used by the monthly flow.
    #[cfg(test)]
    pub(crate) fn month(self) -> String {
        let (y, m, _) = self.date().civil();
        format!("{y:04}-{m:02}")
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 without zone: `2025-03-04T14:02:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.seconds_of_day();
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date(),
            s / 3600,
            (s / 60) % 60,
            s % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Date {
    /// Builds a date from year, month (1–12) and day; `None` when it does not exist.
    pub(crate) fn from_civil(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let mut cursor = Cursor::new(text.trim());
        let date = cursor.date().filter(|_| cursor.done());
        date.ok_or_else(|| format!("`{}` is not a date: expected `YYYY-MM-DD`", text.trim()))
    }

    /// Year, month and day.
    pub(crate) fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub(crate) fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// Midnight at the start of this day.
    pub(crate) fn start(self) -> Timestamp {
        Timestamp(self.0 * DAY)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let mut cursor = Cursor::new(text);
    let date = cursor.date()?;
    if !(cursor.eat(b' ') || cursor.eat(b'T')) {
        return None;
    }
    let hour = cursor.number(2)?;
    cursor.expect(b':')?;
    let minute = cursor.number(2)?;
    let second = if cursor.eat(b':') {
        let s = cursor.number(2)?;
        if cursor.eat(b'.') || cursor.eat(b',') {
            cursor.digits()?;
        }
        s
    } else {
        0
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let local = Timestamp(date.start().0 + hour * 3600 + minute * 60 + second);
    let offset = cursor.offset()?;
    cursor.done().then_some(Timestamp(local.0 - offset))
}

/// A byte cursor over ASCII date text.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Exactly `width` ASCII digits.
    fn number(&mut self, width: usize) -> Option<i64> {
        let slice = self.bytes.get(self.at..self.at + width)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += width;
        Some(
            slice
                .iter()
                .fold(0, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    }

    /// One or more digits, skipped (fractions of a second).
    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    fn date(&mut self) -> Option<Date> {
        let year = self.number(4)?;
        self.expect(b'-')?;
        let month = self.number(2)?;
        self.expect(b'-')?;
        let day = self.number(2)?;
        Date::from_civil(year, month as u32, day as u32)
    }

    /// The zone suffix as seconds east of UTC: none, `Z`, `±HH:MM` or `±HHMM`.
    fn offset(&mut self) -> Option<i64> {
        if self.done() {
            return Some(0);
        }
        if self.eat(b'Z') {
            return Some(0);
        }
        let sign = if self.eat(b'+') {
            1
        } else if self.eat(b'-') {
            -1
        } else {
            return None;
        };
        let hours = self.number(2)?;
        self.eat(b':');
        let minutes = self.number(2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (hours * 3600 + minutes * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn accepts_glpi_seconds_and_iso_forms() {
        let base = ts("2025-03-04 14:02");
        assert_eq!(base.0, 1_741_096_920);
        assert_eq!(ts("2025-03-04 14:02:00"), base);
        assert_eq!(ts("2025-03-04T14:02:00"), base);
        assert_eq!(ts("2025-03-04T14:02:00.250"), base);
        assert_eq!(ts("2025-03-04T14:02:00Z"), base);
        assert_eq!(ts("2025-03-04T15:02:00+01:00"), base);
        assert_eq!(ts("2025-03-04T12:32:00-0130"), base);
        assert_eq!(ts("2025-03-04 14:02:59").0, base.0 + 59);
    }

    #[test]
    fn rejects_impossible_and_malformed_values() {
        for bad in [
            "2025-02-29 10:00",
            "2025-13-01 10:00",
            "2025-03-04 24:00",
            "2025-03-04",
            "2025-3-4 10:00",
            "2025-03-04T10:00+1",
            "hier",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        assert!(Timestamp::parse("2024-02-29 10:00").is_ok());
    }

    #[test]
    fn civil_round_trip_and_weekdays() {
        let d = Date::parse("2025-03-04").unwrap();
        assert_eq!(d.civil(), (2025, 3, 4));
        assert_eq!(d.weekday(), 1); // a Tuesday
        assert_eq!(Date::parse("2000-02-29").unwrap().civil(), (2000, 2, 29));
        assert_eq!(Date(0).weekday(), 3);
        assert_eq!(ts("2025-03-04 14:02").display(), "2025-03-04 14:02");
        assert_eq!(ts("2025-03-04 14:02:05").to_string(), "2025-03-04T14:02:05");
        assert_eq!(ts("2025-12-31 23:59").month(), "2025-12");
    }
}
