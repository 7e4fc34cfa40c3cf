//! The text version of a workflow: its steps as an ordered list, each jump written in words
//! ("Si oui → …, si non → …"), for screen readers and for a portfolio's explanation.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::layout::exit_text;
use super::model::{ExitLabel, Kind, Workflow};
use crate::escape::escape;
use crate::language::Language;

/// The ordered list of a workflow's steps; subprocess steps link to `../<id>/` (the other
/// workflow's page beside this one under /logigrammes/).
pub fn text_version_html(wf: &Workflow, lang: Language) -> String {
    text_version_html_with(wf, lang, &|id| format!("../{id}/"))
}

/// The ordered list, with the URL of another workflow's page given by `subprocess_href`.
pub(crate) fn text_version_html_with(
    wf: &Workflow,
    lang: Language,
    subprocess_href: &dyn Fn(&str) -> String,
) -> String {
    let listed: Vec<usize> = (0..wf.steps.len())
        .filter(|&i| wf.steps[i].kind != Kind::Comment)
        .collect();
    let number: BTreeMap<&str, usize> = listed
        .iter()
        .enumerate()
        .map(|(n, &i)| (wf.steps[i].id.as_str(), n + 1))
        .collect();
    let lane_label = |id: &str| {
        wf.lanes
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.label.clone())
    };
    let lanes = wf.effective_lanes();
    let anchor = |id: &str| format!("{}-texte-{}", wf.id, id);
    let target = |id: &str| {
        let label = wf.step(id).map_or("", |s| s.label.as_str());
        format!(
            "<a href=\"#{}\">{}. {}</a>",
            escape(&anchor(id)),
            number.get(id).copied().unwrap_or(0),
            escape(label)
        )
    };
    let mut s = format!("<ol class=\"logigramme-texte\" lang=\"{}\">", lang.code());
    for &i in &listed {
        let step = &wf.steps[i];
        let _ = write!(
            s,
            "<li id=\"{}\"><strong>{}</strong>",
            escape(&anchor(&step.id)),
            escape(&step.label)
        );
        if let Some(lane) = lanes[i].as_deref().and_then(lane_label) {
            let _ = write!(s, " <span class=\"acteur\">({})</span>", escape(&lane));
        }
        s.push('.');
        if let Some(status) = step.status {
            let _ = write!(
                s,
                " {} {}.",
                lang.pick("Statut GLPI :", "GLPI status:"),
                escape(status.label(lang))
            );
        }
        if let Some(sla) = step.sla {
            let _ = write!(
                s,
                " {} {}.",
                lang.pick("Délai SLA :", "SLA target:"),
                sla.caption()
            );
        }
        if let (Kind::Subprocess, Some(w)) = (step.kind, &step.workflow) {
            let _ = write!(
                s,
                " {} <a href=\"{}\">{}</a>.",
                lang.pick("Voir le logigramme", "See the flowchart"),
                escape(&subprocess_href(w)),
                escape(w)
            );
        }
        for comment in wf
            .steps
            .iter()
            .filter(|c| c.about.as_deref() == Some(step.id.as_str()))
        {
            let _ = write!(
                s,
                " <em>{} {}</em>",
                lang.pick("Remarque :", "Note:"),
                escape(&comment.label)
            );
        }
        s.push(' ');
        s.push_str(&jumps(wf, i, lang, &target));
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    s
}

/// The sentence saying where a step leads.
fn jumps(wf: &Workflow, i: usize, lang: Language, target: &dyn Fn(&str) -> String) -> String {
    let step = &wf.steps[i];
    if step.kind == Kind::End {
        return lang
            .pick("Fin du processus.", "End of the process.")
            .to_string();
    }
    if step.kind == Kind::Decision {
        let parts: Vec<String> = step
            .exits
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let cond = match (&e.label, lang) {
                    (Some(ExitLabel::Yes), Language::Fr) => "si oui".to_string(),
                    (Some(ExitLabel::No), Language::Fr) => "si non".to_string(),
                    (Some(ExitLabel::Yes), Language::En) => "if yes".to_string(),
                    (Some(ExitLabel::No), Language::En) => "if no".to_string(),
                    (Some(l), Language::Fr) => format!("si « {} »", escape(&exit_text(l, lang))),
                    (Some(l), Language::En) => format!("if “{}”", escape(&exit_text(l, lang))),
                    (None, _) => String::new(),
                };
                let cond = if k == 0 { capitalise(&cond) } else { cond };
                format!("{cond} → {}", target(&e.to))
            })
            .collect();
        return format!("{}.", parts.join(", "));
    }
    let targets: Vec<String> = step.exits.iter().map(|e| target(&e.to)).collect();
    let or = lang.pick(" ou ", " or ");
    format!("{} → {}.", lang.pick("Ensuite", "Then"), targets.join(or))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
