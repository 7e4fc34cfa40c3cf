//! Time per step: each status change of a ticket (its `history:`, else its own dates read as
//! changes to Nouveau, En cours, Résolu and Clos) is mapped to the next step of its path that
//! carries that `status:`, without skipping a step that carries another status; the time from
//! one change to the next is spent in the step the first one entered, summed per ticket. A
//! change no later step takes goes back to the last earlier step with that status (En cours
//! again once the requester answered), else it is left out (En cours (planifié) on a workflow
//! without such a step).
//!
//! The stay a still open ticket is in has no end yet: it is left out of the figures (the
//! ticket counts in the backlog instead). Durations are business time when guichet.yaml has
//! a calendar, as the KPIs.

use crate::tickets::calendar;
use crate::tickets::sla::{self, SlaOutcome};
use crate::tickets::{Status, StatusChange, Ticket, TicketSettings, Timestamp};
use crate::workflow::Workflow;

use super::StepCount;

/// Median and P90 (nearest rank) of the time each ticket spent in one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepTime {
    /// Middle value, hours (mean of the two middle ones for an even count).
    pub median_hours: f64,
    /// Smallest value with at least 90 % of the values at or below it, hours.
    pub p90_hours: f64,
    /// Sum over the tickets, hours.
    pub total_hours: f64,
    /// How many tickets have a time in the step.
    pub n: usize,
}

/// Where the timestamps of the analysed tickets came from.
pub(crate) struct Timed {
    pub from_history: usize,
    pub from_dates: usize,
}

/// Gathers the stays of every ticket, then the figures per step.
pub(crate) struct Collector {
    stays: Vec<Vec<i64>>,
    tto_missed: Vec<usize>,
    ttr_missed: Vec<usize>,
    timed: Timed,
    // Reused between tickets: each status change of the current one with the step it
    // entered (None when no step of the path carries it).
    anchors: Vec<(Option<usize>, Timestamp)>,
    // Reused between tickets: the stays of the current one.
    buffer: Vec<Stay>,
}

/// One stay in a step: from the change that entered it to the next mapped change.
struct Stay {
    step: usize,
    start: Timestamp,
    seconds: i64,
    /// False in Pending, where the SLA clock is paused.
    clock_runs: bool,
}

impl Collector {
    pub(crate) fn new(steps: usize) -> Collector {
        Collector {
            stays: vec![Vec::new(); steps],
            tto_missed: vec![0; steps],
            ttr_missed: vec![0; steps],
            timed: Timed {
                from_history: 0,
                from_dates: 0,
            },
            anchors: Vec::new(),
            buffer: Vec::new(),
        }
    }

    /// Adds ticket `t`, whose path is `path` (step indices of `wf`).
    pub(crate) fn add(
        &mut self,
        wf: &Workflow,
        t: &Ticket,
        path: &[usize],
        settings: &TicketSettings,
        as_of: Timestamp,
    ) {
        let mut from_dates = [StatusChange {
            at: t.date,
            status: Status::New,
        }; 4];
        let changes: &[StatusChange] = if t.history.is_empty() {
            let n = dates_as_changes(t, &mut from_dates);
            &from_dates[..n]
        } else {
            &t.history
        };
        self.anchors.clear();
        let mut at_path: Option<usize> = None;
        for change in changes {
            let entered = next_step_with(wf, path, at_path.map_or(0, |p| p + 1), change.status);
            match entered {
                Some(j) => {
                    at_path = Some(j);
                    self.anchors.push((Some(path[j]), change.at));
                }
                None => {
                    // Back to a status an earlier step of the path set (En cours again after
                    // the requester answered): the time goes to that step.
                    let upto = at_path.map_or(0, |p| p + 1);
                    let earlier = (0..upto)
                        .rev()
                        .find(|&j| wf.steps[path[j]].status == Some(change.status));
                    self.anchors.push((earlier.map(|j| path[j]), change.at));
                }
            }
        }
        if self.anchors.iter().filter(|a| a.0.is_some()).count() < 2 {
            return;
        }
        if t.history.is_empty() {
            self.timed.from_dates += 1;
        } else {
            self.timed.from_history += 1;
        }
        let cal = settings.calendar.as_ref();
        // The ticket's time per step, summed over its stays; a ticket that comes back to a
        // step (a reopening) counts once, with all its time there.
        let mut stays = std::mem::take(&mut self.buffer);
        stays.clear();
        for w in self.anchors.windows(2) {
            let Some(step) = w[0].0 else {
                continue;
            };
            let seconds = calendar::duration(cal, w[0].1, w[1].1);
            match stays.iter_mut().find(|s| s.step == step) {
                Some(s) => s.seconds += seconds,
                None => stays.push(Stay {
                    step,
                    start: w[0].1,
                    seconds,
                    clock_runs: wf.steps[step].status != Some(Status::Waiting),
                }),
            }
        }
        // The last change of an open ticket starts a stay that has not ended: windows stop
        // at the last change, so that stay is not among them.
        for s in &stays {
            self.stays[s.step].push(s.seconds);
        }
        let priority = t.priority(&settings.priority_matrix);
        let deadlines = sla::deadlines(t, priority, &settings.sla, cal);
        let owned = t.takeintoaccountdate.filter(|d| *d <= as_of);
        let solved = t.solvedate.filter(|d| *d <= as_of);
        if sla::outcome(deadlines.time_to_own, owned, as_of) == SlaOutcome::Missed
            && let Some(step) = heaviest_before(&stays, owned.unwrap_or(as_of))
        {
            self.tto_missed[step] += 1;
        }
        if sla::outcome(deadlines.time_to_resolve, solved, as_of) == SlaOutcome::Missed
            && let Some(step) = heaviest_before(&stays, solved.unwrap_or(as_of))
        {
            self.ttr_missed[step] += 1;
        }
        self.buffer = stays;
    }

    /// Writes the figures into `steps`; returns where the timestamps came from.
    pub(crate) fn finish(self, steps: &mut [StepCount]) -> Timed {
        for (i, mut stays) in self.stays.into_iter().enumerate() {
            steps[i].tto_missed = self.tto_missed[i];
            steps[i].ttr_missed = self.ttr_missed[i];
            if stays.is_empty() {
                continue;
            }
            stays.sort_unstable();
            let n = stays.len();
            let hours = |s: i64| s as f64 / 3600.0;
            let median = if n % 2 == 1 {
                hours(stays[n / 2])
            } else {
                (hours(stays[n / 2 - 1]) + hours(stays[n / 2])) / 2.0
            };
            // Nearest rank: the ⌈0.9 n⌉-th value.
            let rank = (n * 9).div_ceil(10).max(1);
            steps[i].time = Some(StepTime {
                median_hours: median,
                p90_hours: hours(stays[rank - 1]),
                total_hours: stays.iter().map(|&s| hours(s)).sum(),
                n,
            });
        }
        self.timed
    }
}

/// The position of the step of `path`, from `from` on, that a change to `status` enters: the
/// next one carrying that status, provided no step carrying another status comes first (a
/// change never skips a status step the ticket has not been through).
fn next_step_with(wf: &Workflow, path: &[usize], from: usize, status: Status) -> Option<usize> {
    for (j, &step) in path.iter().enumerate().skip(from) {
        match wf.steps[step].status {
            Some(s) if s == status => return Some(j),
            Some(_) => return None,
            None => {}
        }
    }
    None
}

/// The ticket's own dates read as status changes: opened (Nouveau), taken into account
/// (En cours (attribué)), solved (Résolu), closed (Clos); written into `out`, how many
/// returned.
fn dates_as_changes(t: &Ticket, out: &mut [StatusChange; 4]) -> usize {
    let mut n = 0;
    for (at, status) in [
        (Some(t.date), Status::New),
        (t.takeintoaccountdate, Status::Assigned),
        (t.solvedate, Status::Solved),
        (t.closedate, Status::Closed),
    ] {
        if let Some(at) = at {
            out[n] = StatusChange { at, status };
            n += 1;
        }
    }
    n
}

/// The step where most of the SLA clock's time went before `until`: the longest stay with
/// the clock running that started before it. The first such step wins a tie.
fn heaviest_before(stays: &[Stay], until: Timestamp) -> Option<usize> {
    let mut best: Option<&Stay> = None;
    for s in stays.iter().filter(|s| s.clock_runs && s.start < until) {
        if best.is_none_or(|b| s.seconds > b.seconds) {
            best = Some(s);
        }
    }
    best.map(|s| s.step)
}
