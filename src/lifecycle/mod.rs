//! Lifecycle analytics: the real paths of tickets on their logigramme.
//!
//! Runs in the validate stage, after the tickets were checked against their workflows (a
//! path that is not a path of its workflow is already an error there): [`analyse`] counts,
//! for one workflow, the tickets whose `path:` took each flow, the steps no ticket reached,
//! the most taken complete path, the time spent per step (from `history:`, else the
//! ticket's own dates, mapped to the steps that carry the matching `status:`), the SLA
//! misses per step, the escalation rate per category, and writes the findings
//! ([`findings`]). [`weighted`] decorates the already laid-out diagram with those counts;
//! [`html`] writes the tables, findings and the filter data the page script reads.

pub mod findings;
pub mod html;
mod settings;
mod timing;
pub mod weighted;

use std::collections::HashMap;

use crate::language::Language;
use crate::tickets::{Ticket, TicketSettings, Timestamp};
use crate::workflow::{Kind, Workflow};

pub use findings::{Finding, FindingKind};
pub use settings::LifecycleSettings;
pub use timing::StepTime;

/// One flow of the workflow (an exit of a step) with the tickets whose path took it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowCount {
    /// The source step's id.
    pub from: String,
    /// The target step's id.
    pub to: String,
    /// The exit's label as the workflow writes it (`yes`, `no` or a branch label), if any.
    pub label: Option<String>,
    /// Tickets whose path took this flow at least once.
    pub count: usize,
    /// True when the flow lies on a cycle of the workflow (a loop back).
    pub on_loop: bool,
}

/// What the tickets did at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepCount {
    /// The step's id.
    pub id: String,
    /// Tickets whose path reached the step.
    pub reached: usize,
    /// Open tickets whose path stops here (the backlog at this step).
    pub open_here: usize,
    /// Time spent in the step, when tickets carry timestamps mapped to it.
    pub time: Option<StepTime>,
    /// Missed TTO deadlines whose time went mostly in this step.
    pub tto_missed: usize,
    /// Missed TTR deadlines whose time went mostly in this step.
    pub ttr_missed: usize,
}

/// The escalation rate of one category (its first level, `Réseau` for `Réseau > Wi-Fi`).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryEscalation {
    /// The category's first level (empty for tickets without a category).
    pub category: String,
    /// Tickets of the category on this workflow.
    pub tickets: usize,
    /// Those escalated: their path went through a subprocess step, or their `level` is
    /// not `N1`.
    pub escalated: usize,
}

/// One distinct path taken by tickets: the flows and steps it took, counted once.
#[derive(Debug, Clone, PartialEq)]
pub struct PathVariant {
    /// The step ids, in order.
    pub steps_in_order: Vec<String>,
    /// Indices into [`Lifecycle::flows`] of the flows it took, ascending.
    pub flows: Vec<usize>,
    /// Indices into [`Lifecycle::steps`] of the steps it reached, ascending.
    pub steps: Vec<usize>,
    /// True when it ends on an `end` step.
    pub complete: bool,
    /// Tickets whose path is this one.
    pub tickets: usize,
}

/// Tickets alike for the page's filters: same opening month, type, category, priority and
/// path. The page recomputes the weights of a filter from these groups, whose number is
/// bounded by the combinations, not by the tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketGroup {
    /// Opening month, `YYYY-MM`.
    pub month: String,
    /// `incident` or `demande`.
    pub kind: &'static str,
    /// First level of the category ("" without one).
    pub category: String,
    /// Priority 1..6.
    pub priority: u8,
    /// Index into [`Lifecycle::variants`].
    pub variant: usize,
    /// How many tickets.
    pub tickets: usize,
}

/// The lifecycle analytics of one workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    /// The workflow's id.
    pub workflow: String,
    /// Tickets with a path on this workflow (the n of every share).
    pub tickets: usize,
    /// Those whose path stops before an end (still open): the backlog.
    pub open: usize,
    /// Every flow of the workflow, in the order of its steps and exits.
    pub flows: Vec<FlowCount>,
    /// Every step of the workflow (comments included, never reached), in file order.
    pub steps: Vec<StepCount>,
    /// The most taken complete path (step ids), empty when no path reached an end.
    pub main_path: Vec<String>,
    /// Tickets whose path is exactly [`Lifecycle::main_path`].
    pub main_path_count: usize,
    /// Tickets whose time per step comes from `history:`, and from their dates.
    pub timed_from_history: usize,
    /// Tickets whose time per step comes from their own dates.
    pub timed_from_dates: usize,
    /// Escalation rate per category, by category.
    pub escalation: Vec<CategoryEscalation>,
    /// The findings, computed with the thresholds of guichet.yaml.
    pub findings: Vec<Finding>,
    /// The distinct paths, in the order tickets first took them.
    pub variants: Vec<PathVariant>,
    /// The tickets grouped for the page's filters, sorted.
    pub groups: Vec<TicketGroup>,
}

impl Lifecycle {
    /// The count of the flow `from` → `to`, 0 when the workflow has no such flow.
    pub fn flow_count(&self, from: &str, to: &str) -> usize {
        self.flows
            .iter()
            .find(|f| f.from == from && f.to == to)
            .map_or(0, |f| f.count)
    }

    /// The step `id`'s figures.
    pub fn step(&self, id: &str) -> Option<&StepCount> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// Analyses the tickets of `wf`: every ticket whose `workflow:` is `wf.id` and that has a
/// `path:` (checked beforehand). `as_of` is the KPIs' instant (SLA outcomes); the findings
/// are written in `lang`.
pub fn analyse(
    wf: &Workflow,
    tickets: &[Ticket],
    settings: &TicketSettings,
    thresholds: &LifecycleSettings,
    as_of: Timestamp,
    lang: Language,
) -> Lifecycle {
    let index: HashMap<&str, usize> = wf
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let graph = FlowTable::new(wf, &index);
    let mut flows: Vec<FlowCount> = graph
        .pairs
        .iter()
        .map(|&(a, b, ref label)| FlowCount {
            from: wf.steps[a].id.clone(),
            to: wf.steps[b].id.clone(),
            label: label.clone(),
            count: 0,
            on_loop: graph.on_loop(a, b),
        })
        .collect();
    let mut steps: Vec<StepCount> = wf
        .steps
        .iter()
        .map(|s| StepCount {
            id: s.id.clone(),
            reached: 0,
            open_here: 0,
            time: None,
            tto_missed: 0,
            ttr_missed: 0,
        })
        .collect();
    let mut times = timing::Collector::new(wf.steps.len());
    // Tickets are counted per distinct path, then per path variant for flows and steps:
    // far fewer variants than tickets, and no set to clear per ticket.
    let mut variant_of: HashMap<Vec<u16>, usize> = HashMap::new();
    let mut variant_paths: Vec<(Vec<u16>, usize)> = Vec::new();
    let mut group_of: HashMap<(u32, &'static str, &str, u8, usize), usize> = HashMap::new();
    let mut escalation: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut key: Vec<u16> = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    let mut count = 0;
    'tickets: for t in tickets
        .iter()
        .filter(|t| t.workflow.as_deref() == Some(wf.id.as_str()) && !t.path.is_empty())
    {
        path.clear();
        key.clear();
        for id in &t.path {
            // Paths were checked against the workflow; one that names a missing step (its
            // error already reported) is left out of the figures.
            let Some(&i) = index.get(id.as_str()) else {
                continue 'tickets;
            };
            path.push(i);
            key.push(i as u16);
        }
        count += 1;
        let variant = match variant_of.get(key.as_slice()) {
            Some(&v) => v,
            None => {
                let v = variant_paths.len();
                variant_of.insert(key.clone(), v);
                variant_paths.push((key.clone(), 0));
                v
            }
        };
        variant_paths[variant].1 += 1;
        let escalated = path.iter().any(|&s| wf.steps[s].kind == Kind::Subprocess)
            || t.level.as_deref().is_some_and(|l| l != "N1");
        let category = first_level(t.category.as_deref());
        let e = escalation.entry(category).or_insert((0, 0));
        e.0 += 1;
        e.1 += usize::from(escalated);
        let group = (
            month_key(t.date),
            t.kind.key(),
            category,
            t.priority(&settings.priority_matrix),
            variant,
        );
        *group_of.entry(group).or_insert(0) += 1;
        times.add(wf, t, &path, settings, as_of);
    }
    let timed = times.finish(&mut steps);
    let mut open = 0;
    let variants: Vec<PathVariant> = variant_paths
        .into_iter()
        .map(|(p, n)| {
            let p: Vec<usize> = p.into_iter().map(usize::from).collect();
            let mut vflows: Vec<usize> = p
                .windows(2)
                .filter_map(|w| graph.flow(w[0], w[1]))
                .collect();
            vflows.sort_unstable();
            vflows.dedup();
            let mut vsteps = p.clone();
            vsteps.sort_unstable();
            vsteps.dedup();
            for &f in &vflows {
                flows[f].count += n;
            }
            for &s in &vsteps {
                steps[s].reached += n;
            }
            let last = p[p.len() - 1];
            let complete = wf.steps[last].kind == Kind::End;
            if !complete {
                open += n;
                steps[last].open_here += n;
            }
            PathVariant {
                steps_in_order: p.iter().map(|&s| wf.steps[s].id.clone()).collect(),
                flows: vflows,
                steps: vsteps,
                complete,
                tickets: n,
            }
        })
        .collect();
    // The most taken complete path; between equals, the one taken first.
    let main = variants
        .iter()
        .filter(|v| v.complete)
        .fold(None::<&PathVariant>, |best, v| match best {
            Some(b) if b.tickets >= v.tickets => Some(b),
            _ => Some(v),
        });
    let (main_path, main_path_count) =
        main.map_or((Vec::new(), 0), |v| (v.steps_in_order.clone(), v.tickets));
    let mut groups: Vec<TicketGroup> = group_of
        .into_iter()
        .map(
            |((month, kind, category, priority, variant), n)| TicketGroup {
                month: format!("{:04}-{:02}", month / 100, month % 100),
                kind,
                category: category.to_string(),
                priority,
                variant,
                tickets: n,
            },
        )
        .collect();
    groups.sort_by(|a, b| {
        (&a.month, a.kind, &a.category, a.priority, a.variant).cmp(&(
            &b.month,
            b.kind,
            &b.category,
            b.priority,
            b.variant,
        ))
    });
    let mut escalation: Vec<CategoryEscalation> = escalation
        .into_iter()
        .map(|(category, (tickets, escalated))| CategoryEscalation {
            category: category.to_string(),
            tickets,
            escalated,
        })
        .collect();
    escalation.sort_by(|a, b| a.category.cmp(&b.category));
    let mut lifecycle = Lifecycle {
        workflow: wf.id.clone(),
        tickets: count,
        open,
        flows,
        steps,
        main_path,
        main_path_count,
        timed_from_history: timed.from_history,
        timed_from_dates: timed.from_dates,
        escalation,
        findings: Vec::new(),
        variants,
        groups,
    };
    lifecycle.findings = findings::compute(wf, &lifecycle, thresholds, lang);
    lifecycle
}

/// `Réseau` for `Réseau > Wi-Fi`, "" without a category.
fn first_level(category: Option<&str>) -> &str {
    category
        .and_then(|c| c.split('>').next())
        .map(str::trim)
        .unwrap_or_default()
}

/// `yyyymm` of an instant: a number, so that grouping tickets formats no string.
fn month_key(t: Timestamp) -> u32 {
    let (y, m, _) = t.date().civil();
    y as u32 * 100 + m
}

/// The flows of a workflow as a dense table: step × step → flow index, with which flows lie
/// on a cycle.
struct FlowTable {
    /// (from, to, label) per flow, in step and exit order.
    pairs: Vec<(usize, usize, Option<String>)>,
    /// `n × n` flow indices, `u32::MAX` where there is no flow.
    dense: Vec<u32>,
    /// `reach[a * n + b]`: b can be reached from a.
    reach: Vec<bool>,
    n: usize,
}

impl FlowTable {
    fn new(wf: &Workflow, index: &HashMap<&str, usize>) -> FlowTable {
        let n = wf.steps.len();
        let mut pairs = Vec::new();
        let mut dense = vec![u32::MAX; n * n];
        for (a, step) in wf.steps.iter().enumerate() {
            for exit in &step.exits {
                let Some(&b) = index.get(exit.to.as_str()) else {
                    continue;
                };
                if dense[a * n + b] == u32::MAX {
                    dense[a * n + b] = pairs.len() as u32;
                    let label = exit.label.as_ref().map(|l| match l {
                        crate::workflow::ExitLabel::Yes => "yes".to_string(),
                        crate::workflow::ExitLabel::No => "no".to_string(),
                        crate::workflow::ExitLabel::Text(t) => t.clone(),
                    });
                    pairs.push((a, b, label));
                }
            }
        }
        // Reachability by a search from each step: workflows have tens of steps.
        let mut reach = vec![false; n * n];
        for a in 0..n {
            let mut stack = vec![a];
            while let Some(x) = stack.pop() {
                for &(p, q, _) in pairs.iter().filter(|f| f.0 == x) {
                    debug_assert_eq!(p, x);
                    if !reach[a * n + q] {
                        reach[a * n + q] = true;
                        stack.push(q);
                    }
                }
            }
        }
        FlowTable {
            pairs,
            dense,
            reach,
            n,
        }
    }

    fn flow(&self, a: usize, b: usize) -> Option<usize> {
        let f = self.dense[a * self.n + b];
        (f != u32::MAX).then_some(f as usize)
    }

    /// A flow a → b is on a cycle when a can be reached again from b.
    fn on_loop(&self, a: usize, b: usize) -> bool {
        a == b || self.reach[b * self.n + a]
    }
}
