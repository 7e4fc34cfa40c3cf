//! The service desk's KPIs, computed at build time with GLPI's definitions (docs/tickets.md):
//! MTTR, MTTA, SLA compliance, first-contact resolution, reopen rate, backlog and its ageing,
//! monthly flow, recurring incidents, CSAT and volumes.
//!
//! Everything is measured "as of" one instant (`kpi.as_of`, else the latest timestamp in the
//! tickets), never the clock, so a build is reproducible. A ticket opened after that instant
//! is ignored; one solved after it still counts as open.

use std::collections::BTreeMap;

use serde::Serialize;

use super::calendar;
use super::datetime::{DAY, Timestamp};
use super::model::{Ticket, TicketType};
use super::settings::TicketSettings;
use super::sla::{self, SlaOutcome};

/// Every KPI of the dashboard (serialised as site/indicateurs.json).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// Tickets opened up to `as_of`.
    pub tickets: usize,
    /// The instant the KPIs are taken at.
    pub as_of: Timestamp,
    /// From the earliest opening date to `as_of`.
    pub period: Period,
    /// True when durations count business time (a calendar is set).
    pub business_time: bool,
    /// Time to resolve, hours, waiting time subtracted, over solved tickets.
    pub mttr_hours: Stats,
    /// Time to own, minutes, over tickets taken into account.
    pub mtta_minutes: Stats,
    /// Share of tickets owned before their TTO deadline (0..1).
    pub sla_tto_rate: Option<f64>,
    /// Counts behind `sla_tto_rate`.
    pub sla_tto: Ratio,
    /// Share of solved tickets solved before their TTR deadline (0..1).
    pub sla_ttr_rate: Option<f64>,
    /// Counts behind `sla_ttr_rate`.
    pub sla_ttr: Ratio,
    /// Share of solved tickets solved at first contact (0..1).
    pub fcr_rate: Option<f64>,
    /// Counts behind `fcr_rate`.
    pub fcr: Ratio,
    /// Share of solved tickets reopened at least once (0..1).
    pub reopen_rate: Option<f64>,
    /// Counts behind `reopen_rate`.
    pub reopen: Ratio,
    /// Tickets open at `as_of` (statuses 1, 10, 2, 3, 4).
    pub backlog: usize,
    /// The backlog by age (elapsed days since opening).
    pub backlog_ageing: Vec<AgeBucket>,
    /// Ids of the open tickets, oldest first.
    pub backlog_ids: Vec<u64>,
    /// Mean satisfaction over answered surveys (1..5).
    pub csat_mean: Option<f64>,
    /// Share of answers ≥ 4 (0..1).
    pub csat_share_4plus: Option<f64>,
    /// Number of answered surveys.
    pub csat_n: usize,
    /// Opened, solved and closed per month, with the flow ratio closed / opened.
    pub flow: Vec<MonthFlow>,
    /// Categories or assets with at least `count` incidents within `days` days.
    pub recurring: Vec<Recurrence>,
    /// The rule used for `recurring`.
    pub recurring_rule: super::settings::RecurringRule,
    /// Ticket counts by category, type, source and priority.
    pub volumes: Volumes,
}

/// The time span the KPIs describe.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Period {
    /// Earliest opening date (equal to `to` when there is no ticket).
    pub from: Timestamp,
    /// `as_of`.
    pub to: Timestamp,
}

/// Mean, median and 90th percentile (nearest rank) of a set of durations, with its size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Middle value (mean of the two middle ones for an even count).
    pub median: Option<f64>,
    /// Smallest value with at least 90 % of the values at or below it.
    pub p90: Option<f64>,
    /// How many values.
    pub n: usize,
}

/// `count` out of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Ratio {
    /// Numerator.
    pub count: usize,
    /// Denominator.
    pub n: usize,
}

impl Ratio {
    /// count / n, or `None` when n is 0.
    pub(crate) fn rate(self) -> Option<f64> {
        (self.n > 0).then(|| self.count as f64 / self.n as f64)
    }
}

/// Open tickets whose age is in [`from_days`, `to_days`) days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgeBucket {
    /// Lower bound, days, included.
    pub from_days: u32,
    /// Upper bound, days, excluded; `None` for the last bucket.
    pub to_days: Option<u32>,
    /// Open tickets in the bucket.
    pub count: usize,
}

/// One month of the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthFlow {
    /// `YYYY-MM`.
    pub month: String,
    /// Tickets opened in the month.
    pub opened: usize,
    /// Tickets solved in the month.
    pub solved: usize,
    /// Tickets closed in the month.
    pub closed: usize,
    /// closed / opened (< 1: the backlog grows); `None` when nothing was opened.
    pub ratio: Option<f64>,
}

/// A category or asset with repeated incidents: a candidate for a Problem record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recurrence {
    /// `category` or `asset`.
    pub kind: &'static str,
    /// The category path or the asset name.
    pub name: String,
    /// Incidents in the busiest window.
    pub count: usize,
    /// Opening date of the window's first incident.
    pub from: Timestamp,
    /// Opening date of the window's last incident.
    pub to: Timestamp,
    /// The incidents of the window, by opening date.
    pub ids: Vec<u64>,
}

/// Ticket counts by dimension (keys sorted; missing values under `""`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Volumes {
    /// By category path.
    pub category: BTreeMap<String, usize>,
    /// By type key (`incident`, `demande`).
    pub r#type: BTreeMap<String, usize>,
    /// By request source key (`helpdesk`, `email`…).
    pub source: BTreeMap<String, usize>,
    /// By priority 1..6.
    pub priority: BTreeMap<u8, usize>,
}

/// Upper bounds of the backlog ageing buckets, in days.
const AGE_BOUNDS: [u32; 4] = [1, 3, 7, 30];

/// Computes every KPI of `tickets` (drafts should be left out by the caller).
pub fn compute_kpis(tickets: &[Ticket], settings: &TicketSettings) -> Kpis {
    let as_of = settings
        .kpi
        .as_of
        .unwrap_or_else(|| latest_timestamp(tickets));
    let cal = settings.calendar.as_ref();
    let seen: Vec<&Ticket> = tickets.iter().filter(|t| t.date <= as_of).collect();
    let solved_at = |t: &Ticket| t.solvedate.filter(|s| *s <= as_of);
    let solved: Vec<&Ticket> = seen
        .iter()
        .copied()
        .filter(|t| solved_at(t).is_some())
        .collect();

    let mut resolution = Vec::with_capacity(solved.len());
    let mut owning = Vec::with_capacity(seen.len());
    let (mut tto, mut ttr, mut fcr, mut reopen) = (
        Ratio::default(),
        Ratio::default(),
        Ratio::default(),
        Ratio::default(),
    );
    for t in &seen {
        let priority = t.priority(&settings.priority_matrix);
        let deadlines = sla::deadlines(t, priority, &settings.sla, cal);
        let owned = t.takeintoaccountdate.filter(|d| *d <= as_of);
        if let Some(owned) = owned {
            owning.push(calendar::duration(cal, t.date, owned));
            count_outcome(
                &mut tto,
                sla::outcome(deadlines.time_to_own, Some(owned), as_of),
            );
        }
        if let Some(done) = solved_at(t) {
            let worked = calendar::duration(cal, t.date, done) - t.waiting_duration as i64;
            resolution.push(worked.max(0));
            count_outcome(
                &mut ttr,
                sla::outcome(deadlines.time_to_resolve, Some(done), as_of),
            );
            fcr.n += 1;
            fcr.count += usize::from(t.first_contact);
            reopen.n += 1;
            reopen.count += usize::from(t.reopened > 0);
        }
    }

    let mut open: Vec<&Ticket> = seen
        .iter()
        .copied()
        .filter(|t| solved_at(t).is_none())
        .collect();
    open.sort_by_key(|t| (t.date, t.id));
    let surveys: Vec<u8> = seen.iter().filter_map(|t| t.satisfaction).collect();

    Kpis {
        tickets: seen.len(),
        as_of,
        period: Period {
            from: seen.iter().map(|t| t.date).min().unwrap_or(as_of),
            to: as_of,
        },
        business_time: cal.is_some(),
        mttr_hours: stats(resolution, 3600.0),
        mtta_minutes: stats(owning, 60.0),
        sla_tto_rate: tto.rate(),
        sla_tto: tto,
        sla_ttr_rate: ttr.rate(),
        sla_ttr: ttr,
        fcr_rate: fcr.rate(),
        fcr,
        reopen_rate: reopen.rate(),
        reopen,
        backlog: open.len(),
        backlog_ageing: ageing(&open, as_of),
        backlog_ids: open.iter().map(|t| t.id).collect(),
        csat_mean: mean(surveys.iter().map(|s| f64::from(*s))),
        csat_share_4plus: Ratio {
            count: surveys.iter().filter(|s| **s >= 4).count(),
            n: surveys.len(),
        }
        .rate(),
        csat_n: surveys.len(),
        flow: monthly_flow(&seen, as_of),
        recurring: recurring(&seen, settings),
        recurring_rule: settings.kpi.recurring,
        volumes: volumes(&seen, settings),
    }
}

/// The latest date of any kind written in the tickets (the default `as_of`).
pub fn latest_timestamp(tickets: &[Ticket]) -> Timestamp {
    tickets
        .iter()
        .flat_map(|t| {
            [
                Some(t.date),
                t.takeintoaccountdate,
                t.solvedate,
                t.closedate,
            ]
        })
        .flatten()
        .max()
        .unwrap_or_default()
}

/// Tickets without a target are left out of the SLA rates.
fn count_outcome(ratio: &mut Ratio, outcome: SlaOutcome) {
    match outcome {
        SlaOutcome::Met => {
            ratio.n += 1;
            ratio.count += 1;
        }
        SlaOutcome::Missed => ratio.n += 1,
        SlaOutcome::Running | SlaOutcome::None => {}
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Mean, median and P90 of durations in seconds, expressed in units of `unit` seconds.
fn stats(mut seconds: Vec<i64>, unit: f64) -> Stats {
    seconds.sort_unstable();
    let n = seconds.len();
    let value = |i: usize| seconds[i] as f64 / unit;
    Stats {
        mean: (n > 0).then(|| seconds.iter().map(|s| *s as f64).sum::<f64>() / n as f64 / unit),
        median: match n {
            0 => None,
            n if n % 2 == 1 => Some(value(n / 2)),
            n => Some((value(n / 2 - 1) + value(n / 2)) / 2.0),
        },
        p90: (n > 0).then(|| value((n * 9).div_ceil(10) - 1)),
        n,
    }
}

fn ageing(open: &[&Ticket], as_of: Timestamp) -> Vec<AgeBucket> {
    let mut buckets: Vec<AgeBucket> = std::iter::once(0)
        .chain(AGE_BOUNDS)
        .zip(AGE_BOUNDS.map(Some).into_iter().chain([None]))
        .map(|(from_days, to_days)| AgeBucket {
            from_days,
            to_days,
            count: 0,
        })
        .collect();
    for t in open {
        let age = (as_of.0 - t.date.0).max(0);
        let index = AGE_BOUNDS
            .iter()
            .position(|bound| age < i64::from(*bound) * DAY)
            .unwrap_or(AGE_BOUNDS.len());
        buckets[index].count += 1;
    }
    buckets
}

fn monthly_flow(seen: &[&Ticket], as_of: Timestamp) -> Vec<MonthFlow> {
    // Months as (year, month) numbers while counting: formatting a key per ticket would
    // dominate the time on large sites.
    let month_of = |t: Timestamp| {
        let (y, m, _) = t.date().civil();
        (y, m)
    };
    let mut months: BTreeMap<(i64, u32), (usize, usize, usize)> = BTreeMap::new();
    let Some(first) = seen.iter().map(|t| t.date).min() else {
        return Vec::new();
    };
    let (mut y, mut m) = month_of(first);
    let last = month_of(as_of);
    while (y, m) <= last {
        months.insert((y, m), (0, 0, 0));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let within = |d: Option<Timestamp>| d.filter(|d| *d <= as_of).map(month_of);
    for t in seen {
        if let Some(e) = months.get_mut(&month_of(t.date)) {
            e.0 += 1;
        }
        if let Some(e) = within(t.solvedate).and_then(|k| months.get_mut(&k)) {
            e.1 += 1;
        }
        if let Some(e) = within(t.closedate).and_then(|k| months.get_mut(&k)) {
            e.2 += 1;
        }
    }
    months
        .into_iter()
        .map(|((y, m), (opened, solved, closed))| MonthFlow {
            month: format!("{y:04}-{m:02}"),
            opened,
            solved,
            closed,
            ratio: Ratio {
                count: closed,
                n: opened,
            }
            .rate(),
        })
        .collect()
}

/// For each category and asset, the busiest window of `days` days (first incident to last
/// at most `days` apart); reported when it holds at least `count` incidents.
fn recurring(seen: &[&Ticket], settings: &TicketSettings) -> Vec<Recurrence> {
    let rule = settings.kpi.recurring;
    let mut groups: BTreeMap<(&'static str, &str), Vec<(Timestamp, u64)>> = BTreeMap::new();
    for t in seen.iter().filter(|t| t.kind == TicketType::Incident) {
        if let Some(c) = &t.category {
            groups
                .entry(("category", c))
                .or_default()
                .push((t.date, t.id));
        }
        for a in &t.assets {
            groups.entry(("asset", a)).or_default().push((t.date, t.id));
        }
    }
    let window = i64::from(rule.days) * DAY;
    let mut found = Vec::new();
    for ((kind, name), mut incidents) in groups {
        incidents.sort_unstable();
        let (mut best_start, mut best_len, mut end) = (0, 0, 0);
        for start in 0..incidents.len() {
            while end < incidents.len() && incidents[end].0.0 - incidents[start].0.0 <= window {
                end += 1;
            }
            if end - start > best_len {
                (best_start, best_len) = (start, end - start);
            }
        }
        if best_len >= rule.count.max(1) as usize {
            let slice = &incidents[best_start..best_start + best_len];
            found.push(Recurrence {
                kind,
                name: name.to_string(),
                count: best_len,
                from: slice[0].0,
                to: slice[best_len - 1].0,
                ids: slice.iter().map(|(_, id)| *id).collect(),
            });
        }
    }
    found.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (a.kind, &a.name).cmp(&(b.kind, &b.name)))
    });
    found
}

fn volumes(seen: &[&Ticket], settings: &TicketSettings) -> Volumes {
    // Counted on borrowed keys, then copied once per distinct value.
    let mut category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut source: BTreeMap<&str, usize> = BTreeMap::new();
    let mut priority: BTreeMap<u8, usize> = BTreeMap::new();
    for t in seen {
        *category
            .entry(t.category.as_deref().unwrap_or(""))
            .or_default() += 1;
        *kind.entry(t.kind.key()).or_default() += 1;
        *source
            .entry(t.requesttype.map(|r| r.key()).unwrap_or(""))
            .or_default() += 1;
        *priority
            .entry(t.priority(&settings.priority_matrix))
            .or_default() += 1;
    }
    let owned =
        |map: BTreeMap<&str, usize>| map.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
    Volumes {
        category: owned(category),
        r#type: owned(kind),
        source: owned(source),
        priority,
    }
}
