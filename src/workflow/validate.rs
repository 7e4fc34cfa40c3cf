//! Every rule of docs/diagrams.md §1, checked at once on the raw model, each error pointing at the
//! exact line and column of the offending key or value.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use super::model::{Exit, ExitLabel, Kind, Lane, Sla, Step, Workflow};
use super::parse::{RawStep, RawWorkflow};
use super::status::Status;
use crate::diagnostics::Diagnostic;
use crate::yaml::Spans;

/// What validation needs to know beyond the file: which content pages and which other
/// workflows exist. `None` leaves that rule unchecked (e.g. `guichet render` outside a site).
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    /// True when `content/<link>` exists.
    pub page_exists: Option<&'a dyn Fn(&str) -> bool>,
    /// The ids of the workflows a subprocess may name.
    pub workflow_ids: Option<&'a BTreeSet<String>>,
    /// For texts written per language (`{fr: …, en: …}`): which to take. `None` takes the
    /// French words, else the first written.
    pub languages: Option<super::languages::Languages>,
}

/// True for an id of the form `[a-z0-9][a-z0-9-]*`.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    spans: &'a Spans,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, at: &str, message: String, help: Option<String>) {
        let pos = self.spans.at(at);
        let mut d =
            Diagnostic::error(self.path, pos.line, pos.column, message).with_source(self.text);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    fn key_error(&mut self, at: &str, message: String, help: Option<String>) {
        let pos = self.spans.key(at).unwrap_or_else(|| self.spans.at(at));
        let mut d =
            Diagnostic::error(self.path, pos.line, pos.column, message).with_source(self.text);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }
}

/// Checks the raw workflow read from `path` and builds the [`Workflow`] with the warnings
/// about its labels, or returns every error found, sorted by line.
pub(crate) fn validate(
    id: &str,
    path: &Path,
    text: &str,
    raw: &RawWorkflow,
    spans: &Spans,
    ctx: &Context,
) -> Result<(Workflow, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut c = Checker {
        path,
        text,
        spans,
        errors: Vec::new(),
    };
    if !is_valid_id(id) {
        c.errors.push(
            Diagnostic::file_error(path, format!("the file name `{id}` is not a valid workflow id"))
                .with_help("rename the file with lowercase letters, digits and hyphens, e.g. cycle-incident.yaml"),
        );
    }
    if raw.title.trim().is_empty() {
        c.error("title", "the title is empty".into(), None);
    }
    let lane_ids = check_lanes(&mut c, raw);
    let ids = check_ids(&mut c, raw);
    let kinds: Vec<Option<Kind>> = raw
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| check_step_fields(&mut c, i, s, &lane_ids, ctx))
        .collect();
    let exits = resolve_exits(&mut c, raw, &kinds, &ids);
    check_start_and_end(&mut c, raw, &kinds);
    if c.errors.is_empty() {
        check_paths(&mut c, raw, &kinds, &exits);
    }
    if !c.errors.is_empty() {
        c.errors.sort_by_key(|d| (d.line, d.column));
        return Err(c.errors);
    }
    let warnings = super::labels::label_warnings(path, text, raw, spans);
    Ok((build(id, path, raw, &kinds, exits), warnings))
}

fn check_lanes(c: &mut Checker, raw: &RawWorkflow) -> BTreeSet<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, lane) in raw.lanes.iter().enumerate() {
        let at = format!("lanes.{i}.id");
        if !is_valid_id(&lane.id) {
            c.error(
                &at,
                format!("invalid lane id `{}`", lane.id),
                Some("ids use lowercase letters, digits and hyphens, e.g. `n1`".into()),
            );
        }
        if let Some(first) = seen.get(lane.id.as_str()) {
            let line = c.spans.at(&format!("lanes.{first}.id")).line;
            c.error(
                &at,
                format!(
                    "duplicate lane id `{}` (first declared on line {line})",
                    lane.id
                ),
                None,
            );
        } else {
            seen.insert(&lane.id, i);
        }
    }
    raw.lanes.iter().map(|l| l.id.clone()).collect()
}

fn check_ids(c: &mut Checker, raw: &RawWorkflow) -> BTreeMap<String, usize> {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (i, step) in raw.steps.iter().enumerate() {
        let at = format!("steps.{i}.id");
        if !is_valid_id(&step.id) {
            c.error(
                &at,
                format!("invalid step id `{}`", step.id),
                Some(
                    "ids use lowercase letters, digits and hyphens, e.g. `qualifier-ticket`".into(),
                ),
            );
        }
        if let Some(first) = ids.get(&step.id) {
            let line = c.spans.at(&format!("steps.{first}.id")).line;
            c.error(
                &at,
                format!(
                    "duplicate step id `{}` (first used on line {line})",
                    step.id
                ),
                Some("give each step its own id".into()),
            );
        } else {
            ids.insert(step.id.clone(), i);
        }
    }
    ids
}

/// Checks kind, lane, status, sla, link, workflow and the keys that only some kinds take.
fn check_step_fields(
    c: &mut Checker,
    i: usize,
    step: &RawStep,
    lanes: &BTreeSet<String>,
    ctx: &Context,
) -> Option<Kind> {
    let at = |k: &str| format!("steps.{i}.{k}");
    let kind = Kind::from_key(&step.kind);
    if kind.is_none() {
        let list = Kind::ALL.map(Kind::key).join(", ");
        c.error(
            &at("kind"),
            format!("unknown kind `{}`", step.kind),
            Some(format!("kinds: {list}")),
        );
    }
    if step.label.trim().is_empty() {
        c.error(
            &at("label"),
            format!("step `{}` has an empty label", step.id),
            None,
        );
    }
    if let Some(lane) = &step.lane
        && !lanes.contains(lane)
    {
        let help = if lanes.is_empty() {
            "declare it under `lanes:` at the top of the file".to_string()
        } else {
            format!(
                "declared lanes: {}",
                lanes.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        c.error(
            &at("lane"),
            format!("lane `{lane}` is not declared in `lanes:`"),
            Some(help),
        );
    }
    if let Some(status) = &step.status
        && Status::from_key(status).is_none()
    {
        let list = Status::ALL.map(Status::key).join(", ");
        c.error(
            &at("status"),
            format!("GLPI has no status `{status}`"),
            Some(format!("GLPI statuses: {list}")),
        );
    }
    if let Some(sla) = &step.sla
        && !matches!(sla.as_str(), "tto" | "ttr")
    {
        c.error(
            &at("sla"),
            format!("unknown SLA clock `{sla}`"),
            Some("use `tto` (time to own) or `ttr` (time to resolve)".into()),
        );
    }
    if let (Some(link), Some(exists)) = (&step.link, ctx.page_exists)
        && !exists(link)
    {
        c.error(
            &at("link"),
            format!("link to a page that does not exist: content/{link}"),
            Some("write the path of a page under content/, e.g. utilisateurs/declarer-un-incident.md".into()),
        );
    }
    if let Some(wf) = &step.workflow {
        if kind.is_some() && kind != Some(Kind::Subprocess) {
            c.key_error(
                &at("workflow"),
                format!(
                    "`workflow:` is only for a subprocess step, and `{}` is a {}",
                    step.id, step.kind
                ),
                None,
            );
        } else if let Some(known) = ctx.workflow_ids
            && !known.contains(wf)
        {
            c.error(
                &at("workflow"),
                format!("no workflow has the id `{wf}`"),
                Some(format!(
                    "workflows: {}",
                    known.iter().cloned().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    if let Some(kind) = kind {
        check_kind_keys(c, i, step, kind);
    }
    kind
}

/// Keys that make sense only for some kinds: `next` (not for end, decision, comment),
/// `yes`/`no`/`branches` (decision only), `about` (comment only).
fn check_kind_keys(c: &mut Checker, i: usize, step: &RawStep, kind: Kind) {
    let at = |k: &str| format!("steps.{i}.{k}");
    if step.next.is_some() && !kind.flows_on() {
        let why = match kind {
            Kind::End => "an end step has no exit",
            Kind::Decision => "a decision leaves through `yes:`/`no:` or `branches:`",
            _ => "a comment is not part of the flow",
        };
        c.key_error(
            &at("next"),
            format!("`next:` is not allowed on `{}`: {why}", step.id),
            None,
        );
    }
    if kind != Kind::Decision {
        for key in ["yes", "no", "branches"] {
            let present = match key {
                "yes" => step.yes.is_some(),
                "no" => step.no.is_some(),
                _ => step.branches.is_some(),
            };
            if present {
                c.key_error(
                    &at(key),
                    format!(
                        "`{key}:` is only for a decision, and `{}` is a {}",
                        step.id,
                        kind.key()
                    ),
                    Some("use `next:` for a jump, or `kind: decision`".into()),
                );
            }
        }
    } else {
        check_decision(c, i, step);
    }
    match (kind, &step.about) {
        (Kind::Comment, None) => c.error(
            &at("id"),
            format!("comment `{}` says no step it is about", step.id),
            Some("add `about: <step id>`".into()),
        ),
        (k, Some(_)) if k != Kind::Comment => c.key_error(
            &at("about"),
            format!(
                "`about:` is only for a comment, and `{}` is a {}",
                step.id,
                k.key()
            ),
            None,
        ),
        _ => {}
    }
}

fn check_decision(c: &mut Checker, i: usize, step: &RawStep) {
    let at = |k: &str| format!("steps.{i}.{k}");
    let has_yes_no = step.yes.is_some() || step.no.is_some();
    match (&step.branches, has_yes_no) {
        (Some(_), true) => c.key_error(
            &at("branches"),
            format!(
                "decision `{}` has both `yes:`/`no:` and `branches:`",
                step.id
            ),
            Some("keep one of the two forms".into()),
        ),
        (Some(b), false) if b.len() < 2 => c.key_error(
            &at("branches"),
            format!("decision `{}` needs two or more branches", step.id),
            None,
        ),
        (None, true) if step.yes.is_none() => c.error(
            &at("no"),
            format!("decision `{}` has `no:` but no `yes:`", step.id),
            Some("add `yes: <step id>`".into()),
        ),
        (None, true) if step.no.is_none() => c.error(
            &at("yes"),
            format!("decision `{}` has `yes:` but no `no:`", step.id),
            Some("add `no: <step id>`".into()),
        ),
        (None, false) => c.error(
            &at("id"),
            format!("decision `{}` has no branches", step.id),
            Some("add `yes:` and `no:`, or `branches:` with two or more `{ label, to }`".into()),
        ),
        _ => {}
    }
}

/// The exits of every step, with each reference checked; unknown targets are dropped.
fn resolve_exits(
    c: &mut Checker,
    raw: &RawWorkflow,
    kinds: &[Option<Kind>],
    ids: &BTreeMap<String, usize>,
) -> Vec<Vec<Exit>> {
    let mut all = Vec::with_capacity(raw.steps.len());
    for (i, step) in raw.steps.iter().enumerate() {
        let mut exits = Vec::new();
        let mut refer =
            |c: &mut Checker, at: String, to: &str, label: Option<ExitLabel>| match ids.get(to) {
                None => c.error(
                    &at,
                    format!("no step has the id `{to}`"),
                    suggestion(to, ids),
                ),
                Some(&j) if kinds[j] == Some(Kind::Comment) => {
                    c.error(&at, format!("a flow cannot go to the comment `{to}`"), None)
                }
                Some(_) => exits.push(Exit {
                    to: to.to_string(),
                    label,
                }),
            };
        match kinds[i] {
            Some(Kind::Decision) => {
                if let Some(branches) = &step.branches {
                    for (j, b) in branches.iter().enumerate() {
                        refer(
                            c,
                            format!("steps.{i}.branches.{j}.to"),
                            &b.to,
                            Some(ExitLabel::Text(b.label.clone())),
                        );
                    }
                } else {
                    if let Some(y) = &step.yes {
                        refer(c, format!("steps.{i}.yes"), y, Some(ExitLabel::Yes));
                    }
                    if let Some(n) = &step.no {
                        refer(c, format!("steps.{i}.no"), n, Some(ExitLabel::No));
                    }
                }
            }
            Some(k) if k.flows_on() => match &step.next {
                Some(next) => {
                    let many = matches!(next, super::parse::OneOrMany::Many(_));
                    for (j, to) in next.ids().into_iter().enumerate() {
                        let at = if many {
                            format!("steps.{i}.next.{j}")
                        } else {
                            format!("steps.{i}.next")
                        };
                        refer(c, at, to, None);
                    }
                }
                None => match raw.steps[i + 1..]
                    .iter()
                    .zip(&kinds[i + 1..])
                    .find(|(_, k)| **k != Some(Kind::Comment))
                {
                    Some((following, _)) => exits.push(Exit {
                        to: following.id.clone(),
                        label: None,
                    }),
                    None => c.error(
                        &format!("steps.{i}.id"),
                        format!(
                            "step `{}` is the last of the list and says no `next:`",
                            step.id
                        ),
                        Some(
                            "add `next: <step id>`, or end the list with a step of kind `end`"
                                .into(),
                        ),
                    ),
                },
            },
            Some(Kind::Comment) => {
                if let Some(about) = &step.about {
                    match ids.get(about) {
                        None => c.error(
                            &format!("steps.{i}.about"),
                            format!("no step has the id `{about}`"),
                            suggestion(about, ids),
                        ),
                        Some(&j) if kinds[j] == Some(Kind::Comment) => c.error(
                            &format!("steps.{i}.about"),
                            format!("a comment cannot be about another comment (`{about}`)"),
                            None,
                        ),
                        Some(_) => {}
                    }
                }
            }
            _ => {}
        }
        all.push(exits);
    }
    all
}

/// "did you mean" for a misspelt id: the known id at the smallest edit distance, if close.
fn suggestion(wrong: &str, ids: &BTreeMap<String, usize>) -> Option<String> {
    let best = ids
        .keys()
        .map(|k| (crate::text_distance::edit_distance(wrong, k), k))
        .min()
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))?;
    Some(format!("did you mean `{}`?", best.1))
}

fn check_start_and_end(c: &mut Checker, raw: &RawWorkflow, kinds: &[Option<Kind>]) {
    let starts: Vec<usize> = (0..kinds.len())
        .filter(|&i| kinds[i] == Some(Kind::Start))
        .collect();
    if starts.is_empty() {
        c.key_error(
            "steps",
            "the workflow has no start step".into(),
            Some("add a step with `kind: start`".into()),
        );
    }
    for &extra in starts.iter().skip(1) {
        let first = &raw.steps[starts[0]].id;
        let line = c.spans.at(&format!("steps.{}.kind", starts[0])).line;
        c.error(
            &format!("steps.{extra}.kind"),
            format!("a second start step: `{first}` (line {line}) is already the start"),
            Some("a workflow has exactly one start; use `kind: action` here".into()),
        );
    }
    if !kinds.contains(&Some(Kind::End)) {
        c.key_error(
            "steps",
            "the workflow has no end step".into(),
            Some("add a step with `kind: end`".into()),
        );
    }
}

/// Reachability from the start, and an end reachable from every step (no endless loop).
fn check_paths(c: &mut Checker, raw: &RawWorkflow, kinds: &[Option<Kind>], exits: &[Vec<Exit>]) {
    let index: BTreeMap<&str, usize> = raw
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let n = raw.steps.len();
    let succ: Vec<Vec<usize>> = exits
        .iter()
        .map(|e| {
            e.iter()
                .filter_map(|x| index.get(x.to.as_str()).copied())
                .collect()
        })
        .collect();
    let Some(start) = kinds.iter().position(|k| *k == Some(Kind::Start)) else {
        return;
    };
    let reached = bfs(&[start], |i| succ[i].clone(), n);
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, s) in succ.iter().enumerate() {
        for &j in s {
            pred[j].push(i);
        }
    }
    let ends: Vec<usize> = (0..n).filter(|&i| kinds[i] == Some(Kind::End)).collect();
    let finishing = bfs(&ends, |i| pred[i].clone(), n);
    let start_id = &raw.steps[start].id;
    for i in 0..n {
        if kinds[i] == Some(Kind::Comment) {
            continue;
        }
        let at = format!("steps.{i}.id");
        if !reached[i] {
            c.error(
                &at,
                format!("step `{}` cannot be reached from the start `{start_id}`", raw.steps[i].id),
                Some("make a step flow to it with `next:`, `yes:`/`no:` or `branches:`, or remove it".into()),
            );
        } else if !finishing[i] {
            c.error(
                &at,
                format!(
                    "no end can be reached from step `{}`: an endless loop",
                    raw.steps[i].id
                ),
                Some("give the loop an exit towards a step of kind `end`".into()),
            );
        }
    }
}

fn bfs(from: &[usize], next: impl Fn(usize) -> Vec<usize>, n: usize) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &f in from {
        seen[f] = true;
        queue.push_back(f);
    }
    while let Some(i) = queue.pop_front() {
        for j in next(i) {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

fn build(
    id: &str,
    path: &Path,
    raw: &RawWorkflow,
    kinds: &[Option<Kind>],
    exits: Vec<Vec<Exit>>,
) -> Workflow {
    let steps = raw
        .steps
        .iter()
        .zip(kinds)
        .zip(exits)
        .map(|((s, k), exits)| Step {
            id: s.id.clone(),
            kind: k.unwrap_or(Kind::Action),
            label: s.label.clone(),
            lane: s.lane.clone(),
            status: s.status.as_deref().and_then(Status::from_key),
            sla: match s.sla.as_deref() {
                Some("tto") => Some(Sla::Tto),
                Some("ttr") => Some(Sla::Ttr),
                _ => None,
            },
            link: s.link.clone(),
            workflow: s.workflow.clone(),
            exits,
            about: s.about.clone(),
        })
        .collect();
    Workflow {
        id: id.to_string(),
        path: path.to_path_buf(),
        title: raw.title.clone(),
        description: raw.description.clone(),
        lanes: raw
            .lanes
            .iter()
            .map(|l| Lane {
                id: l.id.clone(),
                label: l.label.clone(),
            })
            .collect(),
        steps,
    }
}
