//! HTML fragments for ticket pages, the tickets index and the KPI dashboard. Every piece of
//! user text is escaped; UI strings are French, English when the site language is `en`.

use std::fmt::Write;

use super::calendar;
use super::charts::{self, Bar, TrendPoint};
use super::kpi::{Kpis, Ratio, Stats};
use super::model::{RequestType, Status, Ticket, TicketType};
use super::priority::{impact_label, priority_colour, priority_label};
use super::settings::TicketSettings;
use super::sla::{self, SlaOutcome};
use crate::escape::escape;

/// The KPI names accepted by the ```` ```kpi NAME ```` embed.
pub const KPI_NAMES: [&str; 12] = [
    "mttr",
    "mtta",
    "sla_tto",
    "sla_ttr",
    "fcr",
    "reopen",
    "backlog",
    "csat",
    "flow",
    "recurring",
    "volumes",
    "dashboard",
];

/// Picks the French or the English string.
fn tr<'a>(lang: &str, fr: &'a str, en: &'a str) -> &'a str {
    if lang == "en" { en } else { fr }
}

/// A number with at most `decimals` decimals, a decimal comma in French.
fn num(value: f64, decimals: usize, lang: &str) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if lang == "en" {
        text
    } else {
        text.replace('.', ",")
    }
}

/// A rate 0..1 as a percentage, `n/d` when absent.
fn percent(rate: Option<f64>, lang: &str) -> String {
    match rate {
        Some(r) if lang == "en" => format!("{}%", num(r * 100.0, 1, lang)),
        Some(r) => format!("{}\u{a0}%", num(r * 100.0, 1, lang)),
        None => tr(lang, "n/d", "n/a").to_string(),
    }
}

/// A duration as `45 min`, `2 h 05` or, beyond two days of elapsed time, `3 j 4 h`.
pub fn format_duration(seconds: i64, business: bool, lang: &str) -> String {
    let minutes = seconds.max(0) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if h == 0 {
        format!("{m} min")
    } else if h >= 48 && !business {
        format!("{} {} {} h", h / 24, tr(lang, "j", "d"), h % 24)
    } else {
        format!("{h} h {m:02}")
    }
}

/// The header card of a ticket page: type, category, priority in GLPI's colour, status,
/// dates, durations, SLA met or missed, level. `kpis` gives the instant SLAs are judged at.
pub fn ticket_card_html(
    ticket: &Ticket,
    settings: &TicketSettings,
    kpis: &Kpis,
    lang: &str,
) -> String {
    let cal = settings.calendar.as_ref();
    let business = cal.is_some();
    let priority = ticket.priority(&settings.priority_matrix);
    let deadlines = sla::deadlines(ticket, priority, &settings.sla, cal);
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"ticket-card\" aria-label=\"{aria}\"><header class=\"ticket-card-head\">\
         <span class=\"ticket-id\">#{id}</span> <span class=\"ticket-type\">{kind}</span> \
         {status} {prio}</header><dl class=\"ticket-facts\">",
        aria = tr(lang, "Fiche du ticket", "Ticket summary"),
        id = ticket.id,
        kind = ticket.kind.label(lang),
        status = status_badge(ticket.status, lang),
        prio = priority_badge(priority, true, lang),
    );
    let mut fact = |label: &str, value: String| {
        let _ = write!(h, "<div><dt>{}</dt><dd>{value}</dd></div>", escape(label));
    };
    if let Some(c) = &ticket.category {
        fact(tr(lang, "Catégorie", "Category"), escape(c));
    }
    fact(
        tr(lang, "Urgence / impact", "Urgency / impact"),
        format!(
            "{} {} / {} {}",
            ticket.urgency,
            priority_label(ticket.urgency, lang),
            ticket.impact,
            impact_label(ticket.impact, lang)
        ),
    );
    if let Some(r) = ticket.requesttype {
        fact(tr(lang, "Source", "Source"), r.label(lang).to_string());
    }
    if let Some(level) = &ticket.level {
        let mut text = escape(level);
        if ticket.first_contact {
            text.push_str(tr(
                lang,
                " — résolu au premier contact",
                " — solved at first contact",
            ));
        }
        fact(tr(lang, "Niveau", "Level"), text);
    } else if ticket.first_contact {
        fact(
            tr(lang, "Niveau", "Level"),
            tr(lang, "résolu au premier contact", "solved at first contact").into(),
        );
    }
    for (label, value) in [
        (tr(lang, "Ouvert le", "Opened"), Some(ticket.date)),
        (
            tr(lang, "Pris en charge le", "Taken into account"),
            ticket.takeintoaccountdate,
        ),
        (tr(lang, "Résolu le", "Solved"), ticket.solvedate),
        (tr(lang, "Clos le", "Closed"), ticket.closedate),
    ] {
        if let Some(t) = value {
            fact(label, time_tag(t));
        }
    }
    if let Some(owned) = ticket.takeintoaccountdate {
        fact(
            tr(lang, "Délai de prise en charge", "Time to own"),
            format_duration(calendar::duration(cal, ticket.date, owned), business, lang),
        );
    }
    if let Some(solved) = ticket.solvedate {
        let worked = calendar::duration(cal, ticket.date, solved) - ticket.waiting_duration as i64;
        let mut text = format_duration(worked, business, lang);
        if ticket.waiting_duration > 0 {
            let _ = write!(
                text,
                " ({} {})",
                tr(lang, "hors attente de", "excluding pending time of"),
                format_duration(ticket.waiting_duration as i64, business, lang)
            );
        }
        fact(tr(lang, "Délai de résolution", "Time to resolve"), text);
    }
    let tto = sla::outcome(
        deadlines.time_to_own,
        ticket.takeintoaccountdate,
        kpis.as_of,
    );
    let ttr = sla::outcome(deadlines.time_to_resolve, ticket.solvedate, kpis.as_of);
    fact(
        tr(lang, "SLA prise en charge (TTO)", "SLA time to own (TTO)"),
        sla_text(tto, deadlines.time_to_own, lang),
    );
    fact(
        tr(lang, "SLA résolution (TTR)", "SLA time to resolve (TTR)"),
        sla_text(ttr, deadlines.time_to_resolve, lang),
    );
    if ticket.reopened > 0 {
        fact(
            tr(lang, "Réouvertures", "Reopened"),
            ticket.reopened.to_string(),
        );
    }
    if let Some(s) = ticket.satisfaction {
        fact(tr(lang, "Satisfaction", "Satisfaction"), format!("{s}/5"));
    }
    if !ticket.assets.is_empty() {
        let assets: Vec<String> = ticket.assets.iter().map(|a| escape(a)).collect();
        fact(tr(lang, "Matériels", "Assets"), assets.join(", "));
    }
    if let Some(p) = ticket.problem {
        fact(tr(lang, "Problème", "Problem"), format!("#{p}"));
    }
    h.push_str("</dl></section>");
    h
}

fn time_tag(t: super::datetime::Timestamp) -> String {
    format!("<time datetime=\"{t}\">{}</time>", t.display())
}

fn status_badge(status: Status, lang: &str) -> String {
    format!(
        "<span class=\"ticket-status status-{}\">{}</span>",
        status.key(),
        status.label(lang)
    )
}

/// GLPI's priority colours are light backgrounds: the text stays dark in every theme.
/// `named` adds the word "Priorité" (the index's column header already says it).
fn priority_badge(priority: u8, named: bool, lang: &str) -> String {
    let word = if named {
        format!("{} ", tr(lang, "Priorité", "Priority"))
    } else {
        String::new()
    };
    format!(
        "<span class=\"ticket-priority priority-{priority}\" style=\"background:{};color:#1b1b1b\">{word}{priority} · {}</span>",
        priority_colour(priority),
        priority_label(priority, lang)
    )
}

fn sla_text(
    outcome: SlaOutcome,
    deadline: Option<super::datetime::Timestamp>,
    lang: &str,
) -> String {
    let (class, label) = match outcome {
        SlaOutcome::Met => ("sla-met", tr(lang, "✓ respecté", "✓ met")),
        SlaOutcome::Missed => ("sla-missed", tr(lang, "✗ dépassé", "✗ missed")),
        SlaOutcome::Running => ("sla-running", tr(lang, "en cours", "running")),
        SlaOutcome::None => ("sla-none", tr(lang, "sans objectif", "no target")),
    };
    match deadline {
        Some(d) => format!(
            "<span class=\"{class}\">{label}</span> ({} {})",
            tr(lang, "échéance", "deadline"),
            time_tag(d)
        ),
        None => format!("<span class=\"{class}\">{label}</span>"),
    }
}

/// The "tickets liés" and "tickets similaires" lists of a ticket page, from
/// [`super::similar::related_both_ways`] and [`super::similar::similar_tickets`]; empty
/// lists are left out, and an empty string comes back when both are.
pub fn ticket_links_html<'a>(
    ticket: &Ticket,
    tickets: impl IntoIterator<Item = &'a Ticket>,
    related: &std::collections::BTreeMap<u64, Vec<u64>>,
    similar: &std::collections::BTreeMap<String, Vec<(String, f64)>>,
    lang: &str,
    href: &dyn Fn(&Ticket) -> String,
) -> String {
    let by_id: std::collections::BTreeMap<u64, &Ticket> =
        tickets.into_iter().map(|t| (t.id, t)).collect();
    let item = |id: u64, score: Option<f64>| {
        by_id.get(&id).map(|t| {
            let score = score
                .map(|s| {
                    format!(
                        " <span class=\"ticket-similarity\">({})</span>",
                        percent(Some(s), lang)
                    )
                })
                .unwrap_or_default();
            format!(
                "<li><a href=\"{}\">#{} {}</a>{score}</li>",
                escape(&href(t)),
                t.id,
                escape(&t.name)
            )
        })
    };
    let related_items: Vec<String> = related
        .get(&ticket.id)
        .into_iter()
        .flatten()
        .filter_map(|id| item(*id, None))
        .collect();
    let similar_items: Vec<String> = similar
        .get(&ticket.id.to_string())
        .into_iter()
        .flatten()
        .filter_map(|(id, score)| id.parse().ok().and_then(|id| item(id, Some(*score))))
        .collect();
    let mut h = String::new();
    for (class, title, items) in [
        (
            "ticket-related",
            tr(lang, "Tickets liés", "Related tickets"),
            related_items,
        ),
        (
            "ticket-similar",
            tr(lang, "Tickets similaires", "Similar tickets"),
            similar_items,
        ),
    ] {
        if !items.is_empty() {
            let _ = write!(
                h,
                "<nav class=\"{class}\" aria-label=\"{title}\"><h2>{title}</h2><ul>{}</ul></nav>",
                items.concat()
            );
        }
    }
    h
}

/// The tickets index: a table (category, type, priority, status, dates) sorted by category
/// then number, readable without JavaScript; tickets.js adds sorting and the filters, which
/// stay hidden until it runs. `href` gives each ticket's relative link.
pub fn tickets_index_html<'a>(
    tickets: impl IntoIterator<Item = &'a Ticket>,
    settings: &TicketSettings,
    lang: &str,
    href: &dyn Fn(&Ticket) -> String,
) -> String {
    let mut rows: Vec<&Ticket> = tickets.into_iter().collect();
    rows.sort_by(|a, b| (&a.category, a.id).cmp(&(&b.category, b.id)));
    let mut h = String::from("<div class=\"tickets-index\" data-tickets-index>");
    h.push_str(&filters_html(&rows, settings, lang));
    let _ = write!(
        h,
        "<table class=\"tickets-table\"><caption>{cap}</caption><thead><tr>",
        cap = escape(&format!(
            "{} {}",
            rows.len(),
            tr(lang, "tickets, par catégorie", "tickets, by category")
        ))
    );
    for (label, kind) in [
        (tr(lang, "N°", "No."), "number"),
        (tr(lang, "Titre", "Title"), "text"),
        (tr(lang, "Catégorie", "Category"), "text"),
        (tr(lang, "Type", "Type"), "text"),
        (tr(lang, "Priorité", "Priority"), "number"),
        (tr(lang, "Statut", "Status"), "number"),
        (tr(lang, "Ouvert le", "Opened"), "text"),
    ] {
        let _ = write!(h, "<th scope=\"col\" data-sort=\"{kind}\">{label}</th>");
    }
    h.push_str("</tr></thead><tbody>");
    for t in rows {
        let priority = t.priority(&settings.priority_matrix);
        let category = t.category.as_deref().unwrap_or("");
        let _ = write!(
            h,
            "<tr data-category=\"{cat}\" data-type=\"{ty}\" data-priority=\"{priority}\" data-status=\"{st}\">\
             <td data-value=\"{id}\">{id}</td><td><a href=\"{href}\">{name}</a></td><td>{cat}</td><td>{tyl}</td>\
             <td data-value=\"{priority}\">{badge}</td><td data-value=\"{order}\">{stl}</td><td class=\"ticket-date\" data-value=\"{iso}\">{date}</td></tr>",
            cat = escape(category),
            ty = t.kind.key(),
            st = t.status.key(),
            id = t.id,
            href = escape(&href(t)),
            name = escape(&t.name),
            tyl = t.kind.label(lang),
            badge = priority_badge(priority, false, lang),
            order = status_order(t.status),
            stl = t.status.label(lang),
            iso = t.date,
            date = t.date.display(),
        );
    }
    h.push_str("</tbody></table></div>");
    h
}

/// GLPI 11's display order of statuses: 1, 10, 2, 3, 4, 5, 6.
fn status_order(status: Status) -> u8 {
    match status {
        Status::New => 1,
        Status::Approval => 2,
        Status::Assigned => 3,
        Status::Planned => 4,
        Status::Waiting => 5,
        Status::Solved => 6,
        Status::Closed => 7,
    }
}

fn filters_html(rows: &[&Ticket], settings: &TicketSettings, lang: &str) -> String {
    let mut h = format!(
        "<form class=\"tickets-filters\" hidden><label>{search} <input type=\"search\" data-filter-text></label>",
        search = tr(lang, "Rechercher", "Search")
    );
    let mut categories: Vec<&str> = rows.iter().filter_map(|t| t.category.as_deref()).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut types: Vec<_> = rows.iter().map(|t| t.kind).collect();
    types.sort_unstable();
    types.dedup();
    let mut priorities: Vec<u8> = rows
        .iter()
        .map(|t| t.priority(&settings.priority_matrix))
        .collect();
    priorities.sort_unstable();
    priorities.dedup();
    let mut statuses: Vec<Status> = rows.iter().map(|t| t.status).collect();
    statuses.sort_by_key(|s| status_order(*s));
    statuses.dedup();
    let select = |name: &str, label: &str, options: Vec<(String, String)>| {
        let mut s = format!(
            "<label>{label} <select data-filter=\"{name}\"><option value=\"\">{}</option>",
            tr(lang, "tous", "all")
        );
        for (value, text) in options {
            let _ = write!(
                s,
                "<option value=\"{}\">{}</option>",
                escape(&value),
                escape(&text)
            );
        }
        s.push_str("</select></label>");
        s
    };
    h.push_str(&select(
        "category",
        tr(lang, "Catégorie", "Category"),
        categories
            .iter()
            .map(|c| (c.to_string(), c.to_string()))
            .collect(),
    ));
    h.push_str(&select(
        "type",
        tr(lang, "Type", "Type"),
        types
            .iter()
            .map(|t| (t.key().into(), t.label(lang).into()))
            .collect(),
    ));
    h.push_str(&select(
        "priority",
        tr(lang, "Priorité", "Priority"),
        priorities
            .iter()
            .map(|p| (p.to_string(), format!("{p} · {}", priority_label(*p, lang))))
            .collect(),
    ));
    h.push_str(&select(
        "status",
        tr(lang, "Statut", "Status"),
        statuses
            .iter()
            .map(|s| (s.key().into(), s.label(lang).into()))
            .collect(),
    ));
    h.push_str("</form>");
    h
}

/// The whole KPI dashboard: every figure with its formula, period and n, the gauges, the
/// monthly trend, recurring incidents and volumes, each chart with a data table.
pub fn dashboard_html(kpis: &Kpis, lang: &str) -> String {
    let mut h = String::from("<div class=\"kpi-dashboard\">");
    let _ = write!(
        h,
        "<p class=\"kpi-summary\">{}</p><div class=\"kpi-grid\">",
        summary(kpis, lang)
    );
    for name in [
        "mttr", "mtta", "sla_tto", "sla_ttr", "fcr", "reopen", "backlog", "csat",
    ] {
        h.push_str(&card(name, kpis, lang));
    }
    h.push_str("</div>");
    for (name, title) in [
        ("flow", tr(lang, "Flux mensuel", "Monthly flow")),
        (
            "recurring",
            tr(lang, "Incidents récurrents", "Recurring incidents"),
        ),
        ("volumes", tr(lang, "Volumes", "Volumes")),
    ] {
        let _ = write!(
            h,
            "<section class=\"kpi-section\"><h2>{title}</h2>{}</section>",
            card(name, kpis, lang)
        );
    }
    h.push_str("</div>");
    h
}

/// One figure for the ```` ```kpi NAME ```` embed (see [`KPI_NAMES`]); `dashboard` gives
/// the whole dashboard. An unknown name is an error message listing the valid ones.
pub fn kpi_embed_html(name: &str, kpis: &Kpis, lang: &str) -> Result<String, String> {
    match name {
        "dashboard" => Ok(dashboard_html(kpis, lang)),
        n if KPI_NAMES.contains(&n) => Ok(card(n, kpis, lang)),
        other => Err(format!(
            "unknown KPI `{other}`: expected one of {}",
            KPI_NAMES.join(", ")
        )),
    }
}

fn summary(kpis: &Kpis, lang: &str) -> String {
    let mut s = format!(
        "{} {} {} — {} {}.",
        kpis.tickets,
        tr(lang, "tickets ouverts", "tickets opened"),
        period(kpis, lang),
        tr(lang, "état mesuré au", "measured as of"),
        time_tag(kpis.as_of),
    );
    if kpis.business_time {
        s.push_str(tr(
            lang,
            " Les durées comptent les heures ouvrées du calendrier du service.",
            " Durations count the service calendar's business hours.",
        ));
    }
    s
}

fn period(kpis: &Kpis, lang: &str) -> String {
    format!(
        "{} {} {} {}",
        tr(lang, "du", "from"),
        time_tag(kpis.period.from),
        tr(lang, "au", "to"),
        time_tag(kpis.period.to)
    )
}

/// What a figure card shows.
struct Card {
    title: String,
    value: String,
    detail: Option<String>,
    formula: String,
    n: String,
    visual: String,
}

fn card(name: &str, k: &Kpis, lang: &str) -> String {
    let c = match name {
        "mttr" => stats_card(
            tr(
                lang,
                "MTTR — temps moyen de résolution",
                "MTTR — mean time to resolve",
            ),
            &k.mttr_hours,
            "h",
            tr(
                lang,
                "moyenne(date de résolution − date d'ouverture − durée en attente) sur les tickets résolus ; médiane et P90 (rang le plus proche)",
                "mean(solvedate − date − waiting_duration) over solved tickets; median and P90 (nearest rank)",
            ),
            tr(lang, "tickets résolus", "solved tickets"),
            k.business_time,
            lang,
        ),
        "mtta" => stats_card(
            tr(
                lang,
                "MTTA — temps moyen de prise en charge",
                "MTTA — mean time to own",
            ),
            &k.mtta_minutes,
            "min",
            tr(
                lang,
                "moyenne(date de prise en charge − date d'ouverture) sur les tickets pris en charge",
                "mean(takeintoaccountdate − date) over tickets taken into account",
            ),
            tr(lang, "tickets pris en charge", "tickets taken into account"),
            k.business_time,
            lang,
        ),
        "sla_tto" => rate_card(
            "sla_tto",
            tr(
                lang,
                "SLA de prise en charge (TTO) respecté",
                "SLA time to own (TTO) met",
            ),
            k.sla_tto,
            tr(
                lang,
                "pris en charge au plus tard à l'échéance TTO / tickets pris en charge ayant une cible TTO",
                "taken into account by the TTO deadline / tickets taken into account with a TTO target",
            ),
            tr(lang, "tickets avec cible", "tickets with a target"),
            lang,
        ),
        "sla_ttr" => rate_card(
            "sla_ttr",
            tr(
                lang,
                "SLA de résolution (TTR) respecté",
                "SLA time to resolve (TTR) met",
            ),
            k.sla_ttr,
            tr(
                lang,
                "résolus au plus tard à l'échéance TTR / tickets résolus ayant une cible TTR",
                "solved by the TTR deadline / solved tickets with a TTR target",
            ),
            tr(
                lang,
                "tickets résolus avec cible",
                "solved tickets with a target",
            ),
            lang,
        ),
        "fcr" => rate_card(
            "fcr",
            tr(
                lang,
                "Résolution au premier contact",
                "First-contact resolution",
            ),
            k.fcr,
            tr(
                lang,
                "résolus au premier contact / tickets résolus",
                "solved at first contact / solved tickets",
            ),
            tr(lang, "tickets résolus", "solved tickets"),
            lang,
        ),
        "reopen" => rate_card(
            "reopen",
            tr(lang, "Taux de réouverture", "Reopen rate"),
            k.reopen,
            tr(
                lang,
                "tickets résolus rouverts au moins une fois / tickets résolus",
                "solved tickets reopened at least once / solved tickets",
            ),
            tr(lang, "tickets résolus", "solved tickets"),
            lang,
        ),
        "backlog" => backlog_card(k, lang),
        "csat" => csat_card(k, lang),
        "flow" => flow_card(k, lang),
        "recurring" => recurring_card(k, lang),
        _ => volumes_card(k, lang),
    };
    let mut h = format!(
        "<article class=\"kpi-card kpi-{name}\"><h3>{}</h3><p class=\"kpi-value\">{}</p>",
        c.title, c.value
    );
    if let Some(d) = c.detail {
        let _ = write!(h, "<p class=\"kpi-detail\">{d}</p>");
    }
    h.push_str(&c.visual);
    let _ = write!(
        h,
        "<dl class=\"kpi-meta\"><div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div><div><dt>n</dt><dd>{}</dd></div></dl></article>",
        tr(lang, "Formule", "Formula"),
        c.formula,
        tr(lang, "Période", "Period"),
        period(k, lang),
        c.n,
    );
    h
}

fn stats_card(
    title: &str,
    s: &Stats,
    unit: &str,
    formula: &str,
    what: &str,
    business: bool,
    lang: &str,
) -> Card {
    let show = |v: Option<f64>| match v {
        Some(v) => format!("{}\u{a0}{unit}", num(v, 1, lang)),
        None => tr(lang, "n/d", "n/a").to_string(),
    };
    let mut formula = escape(formula);
    if business {
        formula.push_str(tr(lang, ", en heures ouvrées", ", in business hours"));
    }
    Card {
        title: escape(title),
        value: show(s.mean),
        detail: Some(format!(
            "{} {} · P90 {}",
            tr(lang, "médiane", "median"),
            show(s.median),
            show(s.p90)
        )),
        formula,
        n: format!("{} {}", s.n, escape(what)),
        visual: String::new(),
    }
}

fn rate_card(id: &str, title: &str, r: Ratio, formula: &str, what: &str, lang: &str) -> Card {
    let value = percent(r.rate(), lang);
    Card {
        title: escape(title),
        value: value.clone(),
        detail: Some(format!("{} / {}", r.count, r.n)),
        formula: escape(formula),
        n: format!("{} {}", r.n, escape(what)),
        visual: charts::gauge(&format!("kpi-{id}-gauge"), title, r.rate(), &value),
    }
}

fn backlog_card(k: &Kpis, lang: &str) -> Card {
    let bars: Vec<Bar> = k
        .backlog_ageing
        .iter()
        .map(|b| Bar {
            label: match b.to_days {
                Some(to) if b.from_days == 0 => format!("< {to} {}", tr(lang, "j", "d")),
                Some(to) => format!("{}–{to} {}", b.from_days, tr(lang, "j", "d")),
                None => format!("≥ {} {}", b.from_days, tr(lang, "j", "d")),
            },
            value: b.count as f64,
            text: b.count.to_string(),
        })
        .collect();
    let title = tr(
        lang,
        "Âge du stock (jours écoulés depuis l'ouverture)",
        "Backlog age (days since opening)",
    );
    Card {
        title: escape(tr(lang, "Stock de tickets ouverts", "Open tickets backlog")),
        value: k.backlog.to_string(),
        detail: None,
        formula: escape(tr(
            lang,
            "tickets au statut Nouveau, Approbation, En cours ou En attente à la date de mesure",
            "tickets whose status is New, Approval, Processing or Pending at the measurement instant",
        )),
        n: format!(
            "{} {}",
            k.tickets,
            tr(
                lang,
                "tickets ouverts sur la période",
                "tickets opened in the period"
            )
        ),
        visual: chart_figure(
            &charts::bar_chart("kpi-backlog-chart", title, 280.0, &bars),
            title,
            &[tr(lang, "Âge", "Age"), tr(lang, "Tickets", "Tickets")],
            bars.iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        ),
    }
}

fn csat_card(k: &Kpis, lang: &str) -> Card {
    Card {
        title: escape(tr(lang, "Satisfaction (CSAT)", "Satisfaction (CSAT)")),
        value: match k.csat_mean {
            Some(m) => format!("{}/5", num(m, 2, lang)),
            None => tr(lang, "n/d", "n/a").into(),
        },
        detail: Some(format!(
            "{} {}",
            percent(k.csat_share_4plus, lang),
            tr(lang, "de réponses ≥ 4/5", "of answers ≥ 4/5")
        )),
        formula: escape(tr(
            lang,
            "moyenne des réponses à l'enquête de satisfaction (1 à 5) ; part des réponses ≥ 4",
            "mean of the satisfaction survey answers (1 to 5); share of answers ≥ 4",
        )),
        n: format!("{} {}", k.csat_n, tr(lang, "réponses", "answers")),
        visual: String::new(),
    }
}

fn flow_card(k: &Kpis, lang: &str) -> Card {
    let opened = tr(lang, "ouverts", "opened");
    let closed = tr(lang, "clos", "closed");
    let points: Vec<TrendPoint> = k
        .flow
        .iter()
        .map(|m| TrendPoint {
            label: month_label(&m.month, lang),
            first: m.opened as f64,
            second: m.closed as f64,
        })
        .collect();
    let title = tr(
        lang,
        "Tickets ouverts et clos par mois",
        "Tickets opened and closed per month",
    );
    let last = k.flow.last();
    let rows = k
        .flow
        .iter()
        .map(|m| {
            vec![
                month_label(&m.month, lang),
                m.opened.to_string(),
                m.solved.to_string(),
                m.closed.to_string(),
                m.ratio
                    .map(|r| num(r, 2, lang))
                    .unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    Card {
        title: escape(tr(
            lang,
            "Ratio de flux du dernier mois",
            "Flow ratio of the last month",
        )),
        value: last
            .and_then(|m| m.ratio)
            .map(|r| num(r, 2, lang))
            .unwrap_or_else(|| tr(lang, "n/d", "n/a").into()),
        detail: last.map(|m| format!("{} : {} {opened}, {} {closed}", m.month, m.opened, m.closed)),
        formula: escape(tr(
            lang,
            "tickets clos dans le mois / tickets ouverts dans le mois (< 1 : le stock augmente)",
            "tickets closed in the month / tickets opened in the month (< 1: the backlog grows)",
        )),
        n: format!("{} {}", k.flow.len(), tr(lang, "mois", "months")),
        visual: chart_figure(
            &charts::trend_chart("kpi-flow-chart", title, (opened, closed), &points),
            title,
            &[
                tr(lang, "Mois", "Month"),
                tr(lang, "Ouverts", "Opened"),
                tr(lang, "Résolus", "Solved"),
                tr(lang, "Clos", "Closed"),
                tr(lang, "Ratio", "Ratio"),
            ],
            rows,
        ),
    }
}

fn recurring_card(k: &Kpis, lang: &str) -> Card {
    let rule = k.recurring_rule;
    let rows: Vec<Vec<String>> = k
        .recurring
        .iter()
        .map(|r| {
            vec![
                tr(
                    lang,
                    if r.kind == "asset" {
                        "matériel"
                    } else {
                        "catégorie"
                    },
                    r.kind,
                )
                .to_string(),
                r.name.clone(),
                r.count.to_string(),
                format!("{} → {}", r.from.display(), r.to.display()),
                r.ids
                    .iter()
                    .map(|i| format!("#{i}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let table = if rows.is_empty() {
        format!(
            "<p>{}</p>",
            tr(lang, "Aucune récurrence détectée.", "No recurrence found.")
        )
    } else {
        data_table(
            tr(lang, "Incidents récurrents", "Recurring incidents"),
            &[
                tr(lang, "Sur", "On"),
                tr(lang, "Nom", "Name"),
                tr(lang, "Incidents", "Incidents"),
                tr(lang, "Fenêtre", "Window"),
                tr(lang, "Tickets", "Tickets"),
            ],
            &rows,
        )
    };
    Card {
        title: escape(tr(
            lang,
            "Candidats à un enregistrement de problème",
            "Candidates for a problem record",
        )),
        value: k.recurring.len().to_string(),
        detail: None,
        formula: escape(&format!(
            "{} {} {} {} {}",
            tr(
                lang,
                "catégorie ou matériel ayant au moins",
                "category or asset with at least"
            ),
            rule.count,
            tr(lang, "incidents en", "incidents within"),
            rule.days,
            tr(lang, "jours", "days")
        )),
        n: format!(
            "{} {}",
            k.volumes.r#type.get("incident").copied().unwrap_or(0),
            tr(lang, "incidents", "incidents")
        ),
        visual: table,
    }
}

fn volumes_card(k: &Kpis, lang: &str) -> Card {
    let v = &k.volumes;
    let none = tr(lang, "(non renseigné)", "(not set)");
    let by = |map: &std::collections::BTreeMap<String, usize>, label: &dyn Fn(&str) -> String| {
        let mut bars: Vec<Bar> = map
            .iter()
            .map(|(key, n)| Bar {
                label: if key.is_empty() {
                    none.to_string()
                } else {
                    label(key)
                },
                value: *n as f64,
                text: n.to_string(),
            })
            .collect();
        bars.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.label.cmp(&b.label))
        });
        bars
    };
    let source_label = |key: &str| {
        RequestType::ALL
            .iter()
            .find(|r| r.key() == key)
            .map_or_else(|| key.to_string(), |r| r.label(lang).to_string())
    };
    let type_label = |key: &str| {
        [TicketType::Incident, TicketType::Demande]
            .iter()
            .find(|t| t.key() == key)
            .map_or_else(|| key.to_string(), |t| t.label(lang).to_string())
    };
    let priority_bars: Vec<Bar> = v
        .priority
        .iter()
        .map(|(p, n)| Bar {
            label: format!("{p} · {}", priority_label(*p, lang)),
            value: *n as f64,
            text: n.to_string(),
        })
        .collect();
    let mut visual = String::new();
    for (id, title, bars) in [
        (
            "category",
            tr(lang, "Par catégorie", "By category"),
            by(&v.category, &|k| k.to_string()),
        ),
        (
            "type",
            tr(lang, "Par type", "By type"),
            by(&v.r#type, &type_label),
        ),
        (
            "source",
            tr(lang, "Par source", "By source"),
            by(&v.source, &source_label),
        ),
        (
            "priority",
            tr(lang, "Par priorité", "By priority"),
            priority_bars,
        ),
    ] {
        visual.push_str(&chart_figure(
            &charts::bar_chart(&format!("kpi-volumes-{id}"), title, charts::WIDTH, &bars),
            title,
            &[title, tr(lang, "Tickets", "Tickets")],
            bars.iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        ));
    }
    Card {
        title: escape(tr(lang, "Volumes de tickets", "Ticket volumes")),
        value: k.tickets.to_string(),
        detail: None,
        formula: escape(tr(
            lang,
            "nombre de tickets ouverts sur la période, par catégorie, type, source et priorité",
            "number of tickets opened in the period, by category, type, source and priority",
        )),
        n: format!("{} tickets", k.tickets),
        visual,
    }
}

/// `2025-03` as `mars 2025` (or `Mar 2025`).
fn month_label(month: &str, lang: &str) -> String {
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = if lang == "en" { EN } else { FR };
    match month.split_once('-').map(|(y, m)| (y, m.parse::<usize>())) {
        Some((year, Ok(m @ 1..=12))) => format!("{} {year}", names[m - 1]),
        _ => month.to_string(),
    }
}

/// A chart with its caption and its data as a table (the text equivalent).
fn chart_figure(svg: &str, caption: &str, headers: &[&str], rows: Vec<Vec<String>>) -> String {
    format!(
        "<figure class=\"kpi-figure\">{svg}<figcaption>{}</figcaption>{}</figure>",
        escape(caption),
        data_table(caption, headers, &rows)
    )
}

fn data_table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = format!(
        "<table class=\"kpi-data\"><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    for head in headers {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(head));
    }
    h.push_str("</tr></thead><tbody>");
    for row in rows {
        h.push_str("<tr>");
        for cell in row {
            let _ = write!(h, "<td>{}</td>", escape(cell));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}
