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

/// One ticket as the page's filters see it: what to filter on and what its path took.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketTrace {
    /// GLPI ticket number.
    pub id: u64,
    /// Opening month, `YYYY-MM`.
    pub month: String,
    /// `incident` or `demande`.
    pub kind: &'static str,
    /// First level of the category ("" without one).
    pub category: String,
    /// Priority 1..6.
    pub priority: u8,
    /// Indices into [`Lifecycle::flows`] of the flows its path took, ascending.
    pub flows: Vec<usize>,
    /// Indices into [`Lifecycle::steps`] of the steps its path reached, ascending.
    pub steps: Vec<usize>,
    /// True when the path ends on an `end` step.
    pub complete: bool,
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
    /// Each ticket, for the page's filters.
    pub traces: Vec<TicketTrace>,
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
    let mut paths: HashMap<Vec<u16>, (usize, usize)> = HashMap::new();
    let mut escalation: HashMap<String, (usize, usize)> = HashMap::new();
    let mut traces = Vec::new();
    // Marks reset per ticket by a generation number, so no clearing pass is needed.
    let mut flow_seen = vec![usize::MAX; flows.len()];
    let mut step_seen = vec![usize::MAX; steps.len()];
    let mut open = 0;
    let mut order = 0usize;
    for t in tickets
        .iter()
        .filter(|t| t.workflow.as_deref() == Some(wf.id.as_str()) && !t.path.is_empty())
    {
        let Some(path) = t
            .path
            .iter()
            .map(|id| index.get(id.as_str()).copied())
            .collect::<Option<Vec<usize>>>()
        else {
            continue;
        };
        let stamp = order;
        order += 1;
        let mut trace_flows = Vec::new();
        let mut trace_steps = Vec::new();
        for &s in &path {
            if step_seen[s] != stamp {
                step_seen[s] = stamp;
                steps[s].reached += 1;
                trace_steps.push(s);
            }
        }
        for w in path.windows(2) {
            if let Some(f) = graph.flow(w[0], w[1])
                && flow_seen[f] != stamp
            {
                flow_seen[f] = stamp;
                flows[f].count += 1;
                trace_flows.push(f);
            }
        }
        let last = path[path.len() - 1];
        let complete = wf.steps[last].kind == Kind::End;
        if complete {
            let key: Vec<u16> = path.iter().map(|&s| s as u16).collect();
            let entry = paths.entry(key).or_insert((0, stamp));
            entry.0 += 1;
        } else {
            open += 1;
            steps[last].open_here += 1;
        }
        let escalated = path.iter().any(|&s| wf.steps[s].kind == Kind::Subprocess)
            || t.level.as_deref().is_some_and(|l| l != "N1");
        let category = first_level(t.category.as_deref());
        let e = escalation.entry(category.clone()).or_insert((0, 0));
        e.0 += 1;
        e.1 += usize::from(escalated);
        times.add(wf, t, &path, settings, as_of);
        trace_flows.sort_unstable();
        trace_steps.sort_unstable();
        traces.push(TicketTrace {
            id: t.id,
            month: month_of(t.date),
            kind: t.kind.key(),
            category,
            priority: t.priority(&settings.priority_matrix),
            flows: trace_flows,
            steps: trace_steps,
            complete,
        });
    }
    let timed = times.finish(&mut steps);
    // The most taken path; between equals, the one taken first (in the tickets' order).
    let main = paths
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)));
    let (main_path, main_path_count) = main
        .map(|(p, (n, _))| {
            (
                p.iter().map(|&s| wf.steps[s as usize].id.clone()).collect(),
                n,
            )
        })
        .unwrap_or_default();
    let mut escalation: Vec<CategoryEscalation> = escalation
        .into_iter()
        .map(|(category, (tickets, escalated))| CategoryEscalation {
            category,
            tickets,
            escalated,
        })
        .collect();
    escalation.sort_by(|a, b| a.category.cmp(&b.category));
    let mut lifecycle = Lifecycle {
        workflow: wf.id.clone(),
        tickets: order,
        open,
        flows,
        steps,
        main_path,
        main_path_count,
        timed_from_history: timed.from_history,
        timed_from_dates: timed.from_dates,
        escalation,
        findings: Vec::new(),
        traces,
    };
    lifecycle.findings = findings::compute(wf, &lifecycle, thresholds, lang);
    lifecycle
}

/// `Réseau` for `Réseau > Wi-Fi`, "" without a category.
fn first_level(category: Option<&str>) -> String {
    category
        .and_then(|c| c.split('>').next())
        .map(|c| c.trim().to_string())
        .unwrap_or_default()
}

fn month_of(t: Timestamp) -> String {
    // `YYYY-MM-DD HH:MM`: the month is its first seven characters.
    let mut s = t.display();
    s.truncate(7);
    s
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
