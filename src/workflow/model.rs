//! The checked workflow: steps with their exits resolved, ready for layout and text output.

use std::path::PathBuf;

use super::status::Status;

/// A logigramme read from `workflows/<id>.yaml` and checked against docs/diagrams.md §1.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    /// The file stem, `[a-z0-9][a-z0-9-]*`.
    pub id: String,
    /// The file it was read from (for messages).
    pub path: PathBuf,
    /// The title (required).
    pub title: String,
    /// One or two sentences (optional).
    pub description: Option<String>,
    /// Swimlanes, in display order (may be empty).
    pub lanes: Vec<Lane>,
    /// The steps, in file order.
    pub steps: Vec<Step>,
}

/// A swimlane: one actor of the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The id steps name in `lane:`.
    pub id: String,
    /// The title shown at the top of the lane.
    pub label: String,
}

/// The kind of a step, which selects its ISO 5807 symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Where the process starts (exactly one).
    Start,
    /// Where the process ends (at least one).
    End,
    /// Something someone does.
    Action,
    /// A question with two or more answers.
    Decision,
    /// A document produced or read.
    Document,
    /// Data entered or given out.
    Data,
    /// Another workflow, run as one step.
    Subprocess,
    /// A named junction, to join flows.
    Connector,
    /// A remark about another step, drawn beside it.
    Comment,
}

impl Kind {
    /// Every kind, in the order they are documented.
    pub(crate) const ALL: [Kind; 9] = [
        Kind::Start,
        Kind::End,
        Kind::Action,
        Kind::Decision,
        Kind::Document,
        Kind::Data,
        Kind::Subprocess,
        Kind::Connector,
        Kind::Comment,
    ];

    /// The key written in YAML and in `data-kind`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Start => "start",
            Kind::End => "end",
            Kind::Action => "action",
            Kind::Decision => "decision",
            Kind::Document => "document",
            Kind::Data => "data",
            Kind::Subprocess => "subprocess",
            Kind::Connector => "connector",
            Kind::Comment => "comment",
        }
    }

    /// The kind written `key` in YAML.
    pub(crate) fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// True when the step flows on to the next step in the list unless it says `next:`.
    pub(crate) fn flows_on(self) -> bool {
        !matches!(self, Kind::End | Kind::Decision | Kind::Comment)
    }
}

/// An SLA clock target shown on a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sla {
    /// Time to own (prise en charge).
    Tto,
    /// Time to resolve (résolution).
    Ttr,
}

impl Sla {
    /// `TTO` or `TTR`, as printed on the clock mark.
    pub(crate) fn caption(self) -> &'static str {
        match self {
            Sla::Tto => "TTO",
            Sla::Ttr => "TTR",
        }
    }
}

/// How an exit is labelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitLabel {
    /// A decision's `yes:` (Oui / Yes).
    Yes,
    /// A decision's `no:` (Non / No).
    No,
    /// A `branches:` entry's label.
    Text(String),
}

/// One outgoing flow of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// The target step's id.
    pub to: String,
    /// The label, for a decision's exits.
    pub label: Option<ExitLabel>,
}

/// One step of a workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The id, unique in the workflow.
    pub id: String,
    /// The kind (symbol).
    pub kind: Kind,
    /// The label, plain text of any length.
    pub label: String,
    /// The lane as written (None: stays in the lane of the step above it).
    pub lane: Option<String>,
    /// The GLPI status reached by this step.
    pub status: Option<Status>,
    /// The SLA clock shown on this step.
    pub sla: Option<Sla>,
    /// A content page path (under content/), linked from the text version.
    pub link: Option<String>,
    /// For a subprocess: the workflow it runs.
    pub workflow: Option<String>,
    /// The outgoing flows, in order (implicit `next` already resolved).
    pub exits: Vec<Exit>,
    /// For a comment: the step it is about.
    pub about: Option<String>,
}

impl Workflow {
    /// The step with id `id`.
    pub(crate) fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The ids the step `id` flows to, in order (empty for an end, a comment or an unknown id).
    pub(crate) fn successors(&self, id: &str) -> Vec<&str> {
        self.step(id)
            .map(|s| s.exits.iter().map(|e| e.to.as_str()).collect())
            .unwrap_or_default()
    }

    /// The start step (validation guarantees there is exactly one).
    pub(crate) fn start(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.kind == Kind::Start)
    }

    /// The lane each step is drawn in: its own, else the lane of the nearest step above it
    /// in the file, else the first lane; None for every step when there are no lanes.
    pub(crate) fn effective_lanes(&self) -> Vec<Option<String>> {
        let mut current = self.lanes.first().map(|l| l.id.clone());
        let mut out = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            if self.lanes.is_empty() {
                out.push(None);
                continue;
            }
            if let Some(l) = &step.lane {
                current = Some(l.clone());
            }
            out.push(current.clone());
        }
        // A comment is drawn beside its step, so it lives in that step's lane.
        for (i, step) in self.steps.iter().enumerate() {
            if let Some(about) = &step.about
                && let Some(j) = self.steps.iter().position(|s| &s.id == about)
            {
                out[i] = out[j].clone();
            }
        }
        out
    }
}
