//! The findings of a workflow's analytics, written out in the page's language: loops many
//! tickets take, categories often escalated, the slowest step, the step where SLA deadlines
//! are lost, flows no ticket took, tickets still open. Each finding states its figures and
//! its n; the thresholds come from guichet.yaml's `lifecycle:`.

use crate::language::Language;
use crate::workflow::{Kind, Workflow};

use super::{Lifecycle, LifecycleSettings};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A loop back taken by at least `loop_share` of the tickets.
    Loop,
    /// A category escalated at least `escalation_share` of the time.
    Escalation,
    /// The step with the longest median time.
    SlowestStep,
    /// The step where most missed SLA deadlines lost their time.
    SlaStep,
    /// Flows of the diagram no ticket took.
    UnusedFlows,
    /// Tickets whose path stops before an end.
    Backlog,
    /// Fewer tickets than `min_tickets`: nothing else is said.
    TooFew,
}

impl FindingKind {
    /// The key written in the page (`data-finding`).
    pub fn key(self) -> &'static str {
        match self {
            FindingKind::Loop => "loop",
            FindingKind::Escalation => "escalation",
            FindingKind::SlowestStep => "slowest-step",
            FindingKind::SlaStep => "sla-step",
            FindingKind::UnusedFlows => "unused-flows",
            FindingKind::Backlog => "backlog",
            FindingKind::TooFew => "too-few",
        }
    }
}

/// One finding: what it is about and the sentence that says it, figures and n included.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// The sentence, plain text in the workflow's page language.
    pub text: String,
}

/// The findings of `lc` written in `lang`.
pub(crate) fn compute(
    wf: &Workflow,
    lc: &Lifecycle,
    thresholds: &LifecycleSettings,
    lang: Language,
) -> Vec<Finding> {
    let n = lc.tickets;
    let fr = lang == Language::Fr;
    if n < thresholds.min_tickets.max(1) {
        return vec![Finding {
            kind: FindingKind::TooFew,
            text: if fr {
                format!(
                    "Trop peu de tickets pour conclure : {n} ticket(s) suivent ce logigramme, il en faut au moins {} (réglage lifecycle.min_tickets).",
                    thresholds.min_tickets
                )
            } else {
                format!(
                    "Too few tickets to conclude: {n} ticket(s) follow this workflow, at least {} are needed (setting lifecycle.min_tickets).",
                    thresholds.min_tickets
                )
            },
        }];
    }
    let label = |id: &str| wf.step(id).map_or(id.to_string(), |s| s.label.clone());
    let mut out = Vec::new();
    for f in lc.flows.iter().filter(|f| {
        f.on_loop
            && f.count > 0
            && f.count as f64 / n as f64 >= thresholds.loop_share
            && wf.step(&f.from).is_some_and(|s| s.kind == Kind::Decision)
    }) {
        let branch = exit_words(f.label.as_deref(), lang);
        let share = percent(f.count, n);
        out.push(Finding {
            kind: FindingKind::Loop,
            text: if fr {
                format!(
                    "{share} des tickets ({} sur {n}) passent par « {} » → {branch} puis reviennent en arrière : chaque passage est un aller-retour ; le supprimer à la source (un formulaire plus complet, une solution vérifiée avec le demandeur) raccourcirait le cycle.",
                    f.count,
                    label(&f.from)
                )
            } else {
                format!(
                    "{share} of the tickets ({} of {n}) go through “{}” → {branch} and loop back: each pass is a round trip; removing it at the source (a better form, a solution checked with the requester) would shorten the cycle.",
                    f.count,
                    label(&f.from)
                )
            },
        });
    }
    for c in lc.escalation.iter().filter(|c| {
        c.escalated > 0 && c.escalated as f64 / c.tickets as f64 >= thresholds.escalation_share
    }) {
        let name = if c.category.is_empty() {
            lang.pick("sans catégorie", "no category").to_string()
        } else {
            c.category.clone()
        };
        let share = percent(c.escalated, c.tickets);
        out.push(Finding {
            kind: FindingKind::Escalation,
            text: if fr {
                format!(
                    "Catégorie « {name} » : {share} des tickets escaladés ({} sur {}) ; une procédure N1 ou une formation sur ce domaine éviterait des escalades.",
                    c.escalated, c.tickets
                )
            } else {
                format!(
                    "Category “{name}”: {share} of the tickets escalated ({} of {}); an N1 procedure or training on it would avoid escalations.",
                    c.escalated, c.tickets
                )
            },
        });
    }
    if let Some((id, t)) = slowest(lc) {
        out.push(Finding {
            kind: FindingKind::SlowestStep,
            text: if fr {
                format!(
                    "Étape la plus lente : « {} », médiane {}, P90 {} (n = {} tickets).",
                    label(id),
                    hours(t.median_hours, lang),
                    hours(t.p90_hours, lang),
                    t.n
                )
            } else {
                format!(
                    "Slowest step: “{}”, median {}, P90 {} (n = {} tickets).",
                    label(id),
                    hours(t.median_hours, lang),
                    hours(t.p90_hours, lang),
                    t.n
                )
            },
        });
    }
    let missed: usize = lc.steps.iter().map(|s| s.tto_missed + s.ttr_missed).sum();
    if let Some(s) = lc
        .steps
        .iter()
        .filter(|s| s.tto_missed + s.ttr_missed > 0)
        .max_by(|a, b| {
            (a.tto_missed + a.ttr_missed)
                .cmp(&(b.tto_missed + b.ttr_missed))
                .then(b.id.cmp(&a.id))
        })
    {
        let here = s.tto_missed + s.ttr_missed;
        out.push(Finding {
            kind: FindingKind::SlaStep,
            text: if fr {
                format!(
                    "Dépassements de SLA : « {} » concentre {here} des {missed} délais dépassés (TTO {}, TTR {}) ; c'est là que le temps s'est perdu (n = {n} tickets).",
                    label(&s.id),
                    s.tto_missed,
                    s.ttr_missed
                )
            } else {
                format!(
                    "SLA misses: “{}” holds {here} of the {missed} missed deadlines (TTO {}, TTR {}); that is where the time went (n = {n} tickets).",
                    label(&s.id),
                    s.tto_missed,
                    s.ttr_missed
                )
            },
        });
    }
    let unused: Vec<String> = lc
        .flows
        .iter()
        .filter(|f| f.count == 0)
        .map(|f| {
            let branch = f
                .label
                .as_deref()
                .map(|l| format!(" ({})", exit_words(Some(l), lang)))
                .unwrap_or_default();
            if fr {
                format!("« {} »{branch} → « {} »", label(&f.from), label(&f.to))
            } else {
                format!("“{}”{branch} → “{}”", label(&f.from), label(&f.to))
            }
        })
        .collect();
    if !unused.is_empty() {
        out.push(Finding {
            kind: FindingKind::UnusedFlows,
            text: if fr {
                format!(
                    "{} flèche(s) du logigramme qu'aucun des {n} tickets n'a empruntée(s) : {}. Chemin prévu mais jamais suivi, ou tickets qui ne le documentent pas ?",
                    unused.len(),
                    unused.join(" ; ")
                )
            } else {
                format!(
                    "{} flow(s) of the diagram none of the {n} tickets took: {}. A path planned but never followed, or tickets that do not record it?",
                    unused.len(),
                    unused.join("; ")
                )
            },
        });
    }
    if lc.open > 0 {
        let at: Vec<String> = lc
            .steps
            .iter()
            .filter(|s| s.open_here > 0)
            .map(|s| format!("« {} » : {}", label(&s.id), s.open_here))
            .collect();
        out.push(Finding {
            kind: FindingKind::Backlog,
            text: if fr {
                format!(
                    "{} ticket(s) encore ouvert(s) sur {n}, en cours à l'étape {}.",
                    lc.open,
                    at.join(", ")
                )
            } else {
                format!(
                    "{} ticket(s) still open of {n}, now at step {}.",
                    lc.open,
                    at.join(", ").replace('«', "“").replace('»', "”")
                )
            },
        });
    }
    out
}

/// The step with the longest median stay (the first one in file order on a tie).
pub fn slowest(lc: &Lifecycle) -> Option<(&str, super::StepTime)> {
    let mut best: Option<(&str, super::StepTime)> = None;
    for s in &lc.steps {
        if let Some(t) = s.time
            && best.is_none_or(|b| t.median_hours > b.1.median_hours)
        {
            best = Some((s.id.as_str(), t));
        }
    }
    best
}

/// `yes`/`no` in the page's words, a branch label as written.
pub(crate) fn exit_words(label: Option<&str>, lang: Language) -> String {
    match label {
        Some("yes") => lang.pick("Oui", "Yes").to_string(),
        Some("no") => lang.pick("Non", "No").to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// `count / n` as a whole percentage, with a non-breaking space before `%`.
pub(crate) fn percent(count: usize, n: usize) -> String {
    if n == 0 {
        return "–".to_string();
    }
    format!(
        "{}\u{a0}%",
        (count as f64 * 100.0 / n as f64).round() as u64
    )
}

/// A duration in hours, as people read it: minutes under an hour, one decimal under ten
/// hours (a comma in French), whole hours beyond.
pub(crate) fn hours(h: f64, lang: Language) -> String {
    if h < 1.0 {
        return format!("{}\u{a0}min", (h * 60.0).round() as u64);
    }
    let text = if h < 10.0 {
        format!("{:.1}", h)
    } else {
        format!("{}", h.round() as u64)
    };
    let text = if lang == Language::Fr {
        text.replace('.', ",")
    } else {
        text
    };
    format!("{text}\u{a0}h")
}
