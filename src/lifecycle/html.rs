//! The analytics as page fragments: the summary, the filters (shown by lifecycle.js, which
//! recomputes the weights from the embedded data), the findings, the time per step, the
//! escalation rate per category and the text table equivalent of the weighted diagram. All
//! text is escaped; the embedded data is JSON with `<` escaped.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde::Serialize;

use crate::escape::escape;
use crate::language::Language;
use crate::workflow::Workflow;

use super::Lifecycle;
use super::findings::{exit_words, hours, percent, slowest};
use super::weighted::{MAX_BAND, MIN_BAND};

/// The words of the analytics, per language.
struct Words {
    title: &'static str,
    summary: &'static str,
    filters: &'static str,
    period: &'static str,
    kind: &'static str,
    category: &'static str,
    priority: &'static str,
    all: &'static str,
    findings: &'static str,
    time: &'static str,
    time_note: &'static str,
    step: &'static str,
    status: &'static str,
    stays: &'static str,
    median: &'static str,
    slowest: &'static str,
    escalation: &'static str,
    tickets: &'static str,
    escalated: &'static str,
    share: &'static str,
    table: &'static str,
    from: &'static str,
    to: &'static str,
    branch: &'static str,
    main_path: &'static str,
    none: &'static str,
    shown: &'static str,
}

const FR: Words = Words {
    title: "Parcours réels des tickets",
    summary: "Chaque flèche est d'autant plus épaisse que de tickets l'ont empruntée ; l'étiquette donne leur nombre et leur part. Le chemin le plus suivi est en rouge, les étapes qu'aucun ticket n'a atteintes sont estompées.",
    filters: "Filtrer les tickets",
    period: "Période",
    kind: "Type",
    category: "Catégorie",
    priority: "Priorité",
    all: "Tous",
    findings: "Constats",
    time: "Temps par étape",
    time_note: "Temps passé dans l'étape qui a donné au ticket son statut GLPI, jusqu'au changement de statut suivant (historique du ticket, sinon ses dates), en heures ouvrées quand un calendrier est défini. Les dépassements de SLA sont attribués à l'étape où le ticket a passé le plus de temps, horloge en marche.",
    step: "Étape",
    status: "Statut GLPI",
    stays: "Tickets (n)",
    median: "Médiane",
    slowest: "la plus lente",
    escalation: "Escalade par catégorie",
    tickets: "Tickets",
    escalated: "Escaladés",
    share: "Part",
    table: "Tableau des flèches (version texte du logigramme pondéré)",
    from: "De",
    to: "Vers",
    branch: "Branche",
    main_path: "Chemin le plus suivi",
    none: "Aucun ticket ne suit encore ce logigramme : ajoutez `workflow:` et `path:` aux fiches de tickets.",
    shown: "tickets affichés",
};

const EN: Words = Words {
    title: "Actual ticket paths",
    summary: "The more tickets took a flow, the thicker it is; its caption gives their number and share. The most taken path is red, steps no ticket reached are faded.",
    filters: "Filter the tickets",
    period: "Period",
    kind: "Type",
    category: "Category",
    priority: "Priority",
    all: "All",
    findings: "Findings",
    time: "Time per step",
    time_note: "Time spent in the step that gave the ticket its GLPI status, until the next status change (the ticket's history, else its dates), in business hours when a calendar is set. SLA misses go to the step where the ticket spent the most time with the clock running.",
    step: "Step",
    status: "GLPI status",
    stays: "Tickets (n)",
    median: "Median",
    slowest: "slowest",
    escalation: "Escalation per category",
    tickets: "Tickets",
    escalated: "Escalated",
    share: "Share",
    table: "Flow table (text version of the weighted diagram)",
    from: "From",
    to: "To",
    branch: "Branch",
    main_path: "Most taken path",
    none: "No ticket follows this workflow yet: add `workflow:` and `path:` to the ticket write-ups.",
    shown: "tickets shown",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Fr => &FR,
        Language::En => &EN,
    }
}

/// The whole analytics section of a workflow: `svg` is its weighted diagram, `anchor` the
/// prefix of the element ids (unique in the page).
pub fn section_html(
    wf: &Workflow,
    lc: &Lifecycle,
    svg: &str,
    lang: Language,
    anchor: &str,
) -> String {
    let w = words(lang);
    let mut h = String::with_capacity(8192 + svg.len());
    let _ = write!(
        h,
        "<section class=\"parcours\" data-parcours=\"{}\" id=\"{}\">\n<h2 id=\"{}-titre\">{}</h2>\n",
        escape(&wf.id),
        escape(anchor),
        escape(anchor),
        w.title
    );
    if lc.tickets == 0 {
        let _ = writeln!(h, "<p>{}</p>\n</section>", escape(w.none));
        return h;
    }
    let _ = writeln!(h, "<p>{}</p>", w.summary);
    h.push_str(&summary_html(wf, lc, lang));
    h.push_str(&filters_html(lc, lang));
    let _ = writeln!(h, "<figure class=\"diagram weighted\">{svg}</figure>");
    h.push_str(&findings_html(lc, lang, anchor));
    h.push_str(&flow_table_html(wf, lc, lang, anchor));
    h.push_str(&time_table_html(wf, lc, lang, anchor));
    h.push_str(&escalation_html(lc, lang, anchor));
    h.push_str(&data_script(lc));
    h.push_str("</section>\n");
    h
}

fn summary_html(wf: &Workflow, lc: &Lifecycle, lang: Language) -> String {
    let w = words(lang);
    let label = |id: &str| wf.step(id).map_or(id.to_string(), |s| s.label.clone());
    let figures = match lang {
        Language::Fr => format!(
            "<strong data-parcours-n>{}</strong> ticket(s) suivent ce logigramme, dont {} encore ouvert(s) ; temps par étape tiré de l'historique pour {} ticket(s), des dates pour {}.",
            lc.tickets, lc.open, lc.timed_from_history, lc.timed_from_dates
        ),
        Language::En => format!(
            "<strong data-parcours-n>{}</strong> ticket(s) follow this workflow, {} still open; time per step from the history for {} ticket(s), from the dates for {}.",
            lc.tickets, lc.open, lc.timed_from_history, lc.timed_from_dates
        ),
    };
    let mut h = format!("<p class=\"parcours-figures\">{figures}</p>\n");
    if !lc.main_path.is_empty() {
        let steps: Vec<String> = lc
            .main_path
            .iter()
            // French puts a space before `?`: a non-breaking one keeps it on its word's line.
            .map(|id| escape(&label(id).replace(" ?", "\u{a0}?")))
            .collect();
        let _ = writeln!(
            h,
            "<p class=\"parcours-main\"><strong>{}</strong> ({} · {}) : {}</p>",
            w.main_path,
            lc.main_path_count,
            percent(lc.main_path_count, lc.tickets),
            steps.join(" → ")
        );
    }
    h
}

/// The filter form: hidden until lifecycle.js shows it (without JavaScript the page shows
/// every ticket and the form would do nothing).
fn filters_html(lc: &Lifecycle, lang: Language) -> String {
    let w = words(lang);
    let months: BTreeSet<&str> = lc.groups.iter().map(|g| g.month.as_str()).collect();
    let kinds: BTreeSet<&str> = lc.groups.iter().map(|g| g.kind).collect();
    let categories: BTreeSet<&str> = lc.groups.iter().map(|g| g.category.as_str()).collect();
    let priorities: BTreeSet<u8> = lc.groups.iter().map(|g| g.priority).collect();
    let mut h = format!(
        "<form class=\"parcours-filters\" hidden aria-label=\"{}\">\n",
        w.filters
    );
    let mut select = |name: &str, title: &str, values: Vec<(String, String)>| {
        let _ = write!(
            h,
            "<label>{title} <select data-filter=\"{name}\"><option value=\"\">{}</option>",
            w.all
        );
        for (value, shown) in values {
            let _ = write!(
                h,
                "<option value=\"{}\">{}</option>",
                escape(&value),
                escape(&shown)
            );
        }
        h.push_str("</select></label>\n");
    };
    select(
        "month",
        w.period,
        months
            .iter()
            .map(|m| (m.to_string(), m.to_string()))
            .collect(),
    );
    select(
        "kind",
        w.kind,
        kinds
            .iter()
            .map(|k| {
                let shown = match (*k, lang) {
                    ("incident", _) => "Incident",
                    ("demande", Language::Fr) => "Demande",
                    ("demande", Language::En) => "Request",
                    (other, _) => other,
                };
                (k.to_string(), shown.to_string())
            })
            .collect(),
    );
    select(
        "category",
        w.category,
        categories
            .iter()
            .map(|c| {
                let shown = if c.is_empty() {
                    lang.pick("(sans catégorie)", "(no category)").to_string()
                } else {
                    c.to_string()
                };
                (c.to_string(), shown)
            })
            .collect(),
    );
    select(
        "priority",
        w.priority,
        priorities
            .iter()
            .map(|p| (p.to_string(), p.to_string()))
            .collect(),
    );
    let _ = writeln!(
        h,
        "<output class=\"parcours-shown\" aria-live=\"polite\"><span data-parcours-shown>{}</span> {}</output>\n</form>",
        lc.tickets, w.shown
    );
    h
}

fn findings_html(lc: &Lifecycle, lang: Language, anchor: &str) -> String {
    let w = words(lang);
    let mut h = format!(
        "<h3 id=\"{}-constats\">{}</h3>\n<ul class=\"parcours-findings\">\n",
        escape(anchor),
        w.findings
    );
    for f in &lc.findings {
        let _ = writeln!(
            h,
            "<li data-finding=\"{}\">{}</li>",
            f.kind.key(),
            escape(&f.text)
        );
    }
    h.push_str("</ul>\n");
    h
}

/// The text equivalent of the weighted diagram: one row per flow, its count and share.
fn flow_table_html(wf: &Workflow, lc: &Lifecycle, lang: Language, anchor: &str) -> String {
    let w = words(lang);
    let label = |id: &str| wf.step(id).map_or(id.to_string(), |s| s.label.clone());
    let mut h = format!(
        "<h3 id=\"{}-fleches\">{}</h3>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"parcours-flows\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(anchor),
        w.table,
        w.from,
        w.branch,
        w.to,
        w.tickets,
        w.share
    );
    let main: BTreeSet<(&str, &str)> = lc
        .main_path
        .windows(2)
        .map(|p| (p[0].as_str(), p[1].as_str()))
        .collect();
    for (i, f) in lc.flows.iter().enumerate() {
        let class = if main.contains(&(f.from.as_str(), f.to.as_str())) {
            " class=\"main\""
        } else if f.count == 0 {
            " class=\"untaken\""
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr data-flow=\"{i}\" data-from=\"{}\" data-to=\"{}\"{class}><td>{}</td><td>{}</td><td>{}</td><td data-count>{}</td><td data-share>{}</td></tr>",
            escape(&f.from),
            escape(&f.to),
            escape(&label(&f.from)),
            escape(&exit_words(f.label.as_deref(), lang)),
            escape(&label(&f.to)),
            f.count,
            percent(f.count, lc.tickets)
        );
    }
    h.push_str("</tbody></table></div>\n");
    h
}

fn time_table_html(wf: &Workflow, lc: &Lifecycle, lang: Language, anchor: &str) -> String {
    let w = words(lang);
    let slow = slowest(lc).map(|(id, _)| id.to_string());
    let mut h = format!(
        "<h3 id=\"{}-temps\">{}</h3>\n<p class=\"parcours-note\">{}</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"parcours-times\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">P90</th><th scope=\"col\">SLA TTO</th><th scope=\"col\">SLA TTR</th></tr></thead>\n<tbody>\n",
        escape(anchor),
        w.time,
        w.time_note,
        w.step,
        w.status,
        w.stays,
        w.median
    );
    for (step, s) in wf.steps.iter().zip(&lc.steps) {
        let Some(t) = s.time else {
            continue;
        };
        let is_slowest = slow.as_deref() == Some(s.id.as_str());
        let mark = if is_slowest {
            format!(" <strong class=\"slowest\">({})</strong>", w.slowest)
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr data-step=\"{}\"{}><th scope=\"row\">{}{mark}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&s.id),
            if is_slowest { " class=\"slowest\"" } else { "" },
            escape(&step.label),
            step.status.map_or("", |st| st.label(lang)),
            t.n,
            hours(t.median_hours, lang),
            hours(t.p90_hours, lang),
            s.tto_missed,
            s.ttr_missed
        );
    }
    h.push_str("</tbody></table></div>\n");
    h
}

fn escalation_html(lc: &Lifecycle, lang: Language, anchor: &str) -> String {
    let w = words(lang);
    let mut h = format!(
        "<h3 id=\"{}-escalade\">{}</h3>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"parcours-escalation\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(anchor),
        w.escalation,
        w.category,
        w.tickets,
        w.escalated,
        w.share
    );
    for c in &lc.escalation {
        let name = if c.category.is_empty() {
            lang.pick("(sans catégorie)", "(no category)").to_string()
        } else {
            c.category.clone()
        };
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            c.tickets,
            c.escalated,
            percent(c.escalated, c.tickets)
        );
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// What lifecycle.js reads to recompute the weights for a filter.
#[derive(Serialize)]
struct FilterData<'a> {
    /// Band widths: `min + (max - min) × share`, as the build draws them.
    band: (f32, f32),
    /// `[from, to]` per flow, the order of `data-flow` in the table.
    flows: Vec<(&'a str, &'a str)>,
    /// Step ids.
    steps: Vec<&'a str>,
    /// Per distinct path: the flows it took and the steps it reached (indices).
    variants: Vec<(&'a [usize], &'a [usize])>,
    /// Per group of alike tickets: month, type, category, priority, path, how many.
    groups: Vec<(&'a str, &'a str, &'a str, u8, usize, usize)>,
}

fn data_script(lc: &Lifecycle) -> String {
    let data = FilterData {
        band: (MIN_BAND, MAX_BAND),
        flows: lc
            .flows
            .iter()
            .map(|f| (f.from.as_str(), f.to.as_str()))
            .collect(),
        steps: lc.steps.iter().map(|s| s.id.as_str()).collect(),
        variants: lc
            .variants
            .iter()
            .map(|v| (v.flows.as_slice(), v.steps.as_slice()))
            .collect(),
        groups: lc
            .groups
            .iter()
            .map(|g| {
                (
                    g.month.as_str(),
                    g.kind,
                    g.category.as_str(),
                    g.priority,
                    g.variant,
                    g.tickets,
                )
            })
            .collect(),
    };
    let json = serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!("<script type=\"application/json\" class=\"parcours-data\">{json}</script>\n")
}
