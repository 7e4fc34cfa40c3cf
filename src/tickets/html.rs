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
use crate::language::Language;

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

/// A number with at most `decimals` decimals, a decimal comma in French.
fn num(value: f64, decimals: usize, lang: Language) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if lang == Language::En {
        text
    } else {
        text.replace('.', ",")
    }
}

/// A rate 0..1 as a percentage, `n/d` when absent.
fn percent(rate: Option<f64>, lang: Language) -> String {
    match rate {
        Some(r) if lang == Language::En => format!("{}%", num(r * 100.0, 1, lang)),
        Some(r) => format!("{}\u{a0}%", num(r * 100.0, 1, lang)),
        None => lang.pick("n/d", "n/a").to_string(),
    }
}

/// A duration as `45 min`, `2 h 05` or, beyond two days of elapsed time, `3 j 4 h`.
pub(crate) fn format_duration(seconds: i64, business: bool, lang: Language) -> String {
    let minutes = seconds.max(0) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if h == 0 {
        format!("{m} min")
    } else if h >= 48 && !business {
        format!("{} {} {} h", h / 24, lang.pick("j", "d"), h % 24)
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
    lang: Language,
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
        aria = lang.pick("Fiche du ticket", "Ticket summary"),
        id = ticket.id,
        kind = ticket.kind.label(lang),
        status = status_badge(ticket.status, lang),
        prio = priority_badge(priority, true, lang),
    );
    let mut fact = |label: &str, value: String| {
        let _ = write!(h, "<div><dt>{}</dt><dd>{value}</dd></div>", escape(label));
    };
    if let Some(c) = &ticket.category {
        fact(lang.pick("Catégorie", "Category"), escape(c));
    }
    fact(
        lang.pick("Urgence / impact", "Urgency / impact"),
        format!(
            "{} {} / {} {}",
            ticket.urgency,
            priority_label(ticket.urgency, lang),
            ticket.impact,
            impact_label(ticket.impact, lang)
        ),
    );
    if let Some(r) = ticket.requesttype {
        fact(lang.pick("Source", "Source"), r.label(lang).to_string());
    }
    if let Some(level) = &ticket.level {
        let mut text = escape(level);
        if ticket.first_contact {
            text.push_str(lang.pick(" — résolu au premier contact", " — solved at first contact"));
        }
        fact(lang.pick("Niveau", "Level"), text);
    } else if ticket.first_contact {
        fact(
            lang.pick("Niveau", "Level"),
            lang.pick("résolu au premier contact", "solved at first contact")
                .into(),
        );
    }
    for (label, value) in [
        (lang.pick("Ouvert le", "Opened"), Some(ticket.date)),
        (
            lang.pick("Pris en charge le", "Taken into account"),
            ticket.takeintoaccountdate,
        ),
        (lang.pick("Résolu le", "Solved"), ticket.solvedate),
        (lang.pick("Clos le", "Closed"), ticket.closedate),
    ] {
        if let Some(t) = value {
            fact(label, time_tag(t));
        }
    }
    if !ticket.history.is_empty() {
        fact(
            lang.pick("Historique des statuts", "Status history"),
            history_list(&ticket.history, lang),
        );
    }
    if let Some(owned) = ticket.takeintoaccountdate {
        fact(
            lang.pick("Délai de prise en charge", "Time to own"),
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
                lang.pick("hors attente de", "excluding pending time of"),
                format_duration(ticket.waiting_duration as i64, business, lang)
            );
        }
        fact(lang.pick("Délai de résolution", "Time to resolve"), text);
    }
    let tto = sla::outcome(
        deadlines.time_to_own,
        ticket.takeintoaccountdate,
        kpis.as_of,
    );
    let ttr = sla::outcome(deadlines.time_to_resolve, ticket.solvedate, kpis.as_of);
    fact(
        lang.pick("SLA prise en charge (TTO)", "SLA time to own (TTO)"),
        sla_text(tto, deadlines.time_to_own, lang),
    );
    fact(
        lang.pick("SLA résolution (TTR)", "SLA time to resolve (TTR)"),
        sla_text(ttr, deadlines.time_to_resolve, lang),
    );
    if ticket.reopened > 0 {
        fact(
            lang.pick("Réouvertures", "Reopened"),
            ticket.reopened.to_string(),
        );
    }
    if let Some(s) = ticket.satisfaction {
        fact(lang.pick("Satisfaction", "Satisfaction"), format!("{s}/5"));
    }
    if !ticket.assets.is_empty() {
        let assets: Vec<String> = ticket.assets.iter().map(|a| escape(a)).collect();
        fact(lang.pick("Matériels", "Assets"), assets.join(", "));
    }
    if let Some(p) = ticket.problem {
        fact(lang.pick("Problème", "Problem"), format!("#{p}"));
    }
    h.push_str("</dl></section>");
    h
}

/// The status changes as an ordered list, oldest first: when, and the status set.
fn history_list(history: &[super::model::StatusChange], lang: Language) -> String {
    let mut list = String::from("<ol class=\"ticket-history\">");
    for change in history {
        let _ = write!(
            list,
            "<li>{} {}</li>",
            time_tag(change.at),
            status_badge(change.status, lang)
        );
    }
    list.push_str("</ol>");
    list
}

fn time_tag(t: super::datetime::Timestamp) -> String {
    format!("<time datetime=\"{t}\">{}</time>", t.display())
}

fn status_badge(status: Status, lang: Language) -> String {
    format!(
        "<span class=\"ticket-status status-{}\">{}</span>",
        status.key(),
        status.label(lang)
    )
}

/// GLPI's priority colours are light backgrounds: the text stays dark in every theme.
/// `named` adds the word "Priorité" (the index's column header already says it).
fn priority_badge(priority: u8, named: bool, lang: Language) -> String {
    let word = if named {
        format!("{} ", lang.pick("Priorité", "Priority"))
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
    lang: Language,
) -> String {
    let (class, label) = match outcome {
        SlaOutcome::Met => ("sla-met", lang.pick("✓ respecté", "✓ met")),
        SlaOutcome::Missed => ("sla-missed", lang.pick("✗ dépassé", "✗ missed")),
        SlaOutcome::Running => ("sla-running", lang.pick("en cours", "running")),
        SlaOutcome::None => ("sla-none", lang.pick("sans objectif", "no target")),
    };
    match deadline {
        Some(d) => format!(
            "<span class=\"{class}\">{label}</span> ({} {})",
            lang.pick("échéance", "deadline"),
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
    lang: Language,
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
            lang.pick("Tickets liés", "Related tickets"),
            related_items,
        ),
        (
            "ticket-similar",
            lang.pick("Tickets similaires", "Similar tickets"),
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
    lang: Language,
    href: &dyn Fn(&Ticket) -> String,
) -> String {
    let mut rows: Vec<&Ticket> = tickets.into_iter().collect();
    rows.sort_by(|a, b| (&a.category, a.id).cmp(&(&b.category, b.id)));
    let mut h = String::from("<div class=\"tickets-index\" data-tickets-index tabindex=\"0\">");
    h.push_str(&filters_html(&rows, settings, lang));
    let _ = write!(
        h,
        "<table class=\"tickets-table\"><caption>{cap}</caption><thead><tr>",
        cap = escape(&format!(
            "{} {}",
            rows.len(),
            lang.pick("tickets, par catégorie", "tickets, by category")
        ))
    );
    for (label, kind) in [
        (lang.pick("N°", "No."), "number"),
        (lang.pick("Titre", "Title"), "text"),
        (lang.pick("Catégorie", "Category"), "text"),
        (lang.pick("Type", "Type"), "text"),
        (lang.pick("Priorité", "Priority"), "number"),
        (lang.pick("Statut", "Status"), "number"),
        (lang.pick("Ouvert le", "Opened"), "text"),
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

fn filters_html(rows: &[&Ticket], settings: &TicketSettings, lang: Language) -> String {
    let mut h = format!(
        "<form class=\"tickets-filters\" hidden><label>{search} <input type=\"search\" data-filter-text></label>",
        search = lang.pick("Rechercher", "Search")
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
            lang.pick("tous", "all")
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
        lang.pick("Catégorie", "Category"),
        categories
            .iter()
            .map(|c| (c.to_string(), c.to_string()))
            .collect(),
    ));
    h.push_str(&select(
        "type",
        lang.pick("Type", "Type"),
        types
            .iter()
            .map(|t| (t.key().into(), t.label(lang).into()))
            .collect(),
    ));
    h.push_str(&select(
        "priority",
        lang.pick("Priorité", "Priority"),
        priorities
            .iter()
            .map(|p| (p.to_string(), format!("{p} · {}", priority_label(*p, lang))))
            .collect(),
    ));
    h.push_str(&select(
        "status",
        lang.pick("Statut", "Status"),
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
pub fn dashboard_html(kpis: &Kpis, lang: Language) -> String {
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
        ("flow", lang.pick("Flux mensuel", "Monthly flow")),
        (
            "recurring",
            lang.pick("Incidents récurrents", "Recurring incidents"),
        ),
        ("volumes", lang.pick("Volumes", "Volumes")),
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
pub fn kpi_embed_html(name: &str, kpis: &Kpis, lang: Language) -> Result<String, String> {
    match name {
        "dashboard" => Ok(dashboard_html(kpis, lang)),
        n if KPI_NAMES.contains(&n) => Ok(card(n, kpis, lang)),
        other => Err(format!(
            "unknown KPI `{other}`: expected one of {}",
            KPI_NAMES.join(", ")
        )),
    }
}

fn summary(kpis: &Kpis, lang: Language) -> String {
    let mut s = format!(
        "{} {} {} — {} {}.",
        kpis.tickets,
        lang.pick("tickets ouverts", "tickets opened"),
        period(kpis, lang),
        lang.pick("état mesuré au", "measured as of"),
        time_tag(kpis.as_of),
    );
    if kpis.business_time {
        s.push_str(lang.pick(
            " Les durées comptent les heures ouvrées du calendrier du service.",
            " Durations count the service calendar's business hours.",
        ));
    }
    s
}

fn period(kpis: &Kpis, lang: Language) -> String {
    format!(
        "{} {} {} {}",
        lang.pick("du", "from"),
        time_tag(kpis.period.from),
        lang.pick("au", "to"),
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

fn card(name: &str, k: &Kpis, lang: Language) -> String {
    let c = match name {
        "mttr" => stats_card(
            lang.pick("MTTR — temps moyen de résolution",
                "MTTR — mean time to resolve",
            ),
            &k.mttr_hours,
            "h",
            lang.pick("moyenne(date de résolution − date d'ouverture − durée en attente) sur les tickets résolus ; médiane et P90 (rang le plus proche)",
                "mean(solvedate − date − waiting_duration) over solved tickets; median and P90 (nearest rank)",
            ),
            lang.pick("tickets résolus", "solved tickets"),
            k.business_time,
            lang,
        ),
        "mtta" => stats_card(
            lang.pick("MTTA — temps moyen de prise en charge",
                "MTTA — mean time to own",
            ),
            &k.mtta_minutes,
            "min",
            lang.pick("moyenne(date de prise en charge − date d'ouverture) sur les tickets pris en charge",
                "mean(takeintoaccountdate − date) over tickets taken into account",
            ),
            lang.pick("tickets pris en charge", "tickets taken into account"),
            k.business_time,
            lang,
        ),
        "sla_tto" => rate_card(
            "sla_tto",
            lang.pick("SLA de prise en charge (TTO) respecté",
                "SLA time to own (TTO) met",
            ),
            k.sla_tto,
            lang.pick("pris en charge au plus tard à l'échéance TTO / tickets pris en charge ayant une cible TTO",
                "taken into account by the TTO deadline / tickets taken into account with a TTO target",
            ),
            lang.pick("tickets avec cible", "tickets with a target"),
            lang,
        ),
        "sla_ttr" => rate_card(
            "sla_ttr",
            lang.pick("SLA de résolution (TTR) respecté",
                "SLA time to resolve (TTR) met",
            ),
            k.sla_ttr,
            lang.pick("résolus au plus tard à l'échéance TTR / tickets résolus ayant une cible TTR",
                "solved by the TTR deadline / solved tickets with a TTR target",
            ),
            lang.pick("tickets résolus avec cible",
                "solved tickets with a target",
            ),
            lang,
        ),
        "fcr" => rate_card(
            "fcr",
            lang.pick("Résolution au premier contact",
                "First-contact resolution",
            ),
            k.fcr,
            lang.pick("résolus au premier contact / tickets résolus",
                "solved at first contact / solved tickets",
            ),
            lang.pick("tickets résolus", "solved tickets"),
            lang,
        ),
        "reopen" => rate_card(
            "reopen",
            lang.pick("Taux de réouverture", "Reopen rate"),
            k.reopen,
            lang.pick("tickets résolus rouverts au moins une fois / tickets résolus",
                "solved tickets reopened at least once / solved tickets",
            ),
            lang.pick("tickets résolus", "solved tickets"),
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
        lang.pick("Formule", "Formula"),
        c.formula,
        lang.pick("Période", "Period"),
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
    lang: Language,
) -> Card {
    let show = |v: Option<f64>| match v {
        Some(v) => format!("{}\u{a0}{unit}", num(v, 1, lang)),
        None => lang.pick("n/d", "n/a").to_string(),
    };
    let mut formula = escape(formula);
    if business {
        formula.push_str(lang.pick(", en heures ouvrées", ", in business hours"));
    }
    Card {
        title: escape(title),
        value: show(s.mean),
        detail: Some(format!(
            "{} {} · P90 {}",
            lang.pick("médiane", "median"),
            show(s.median),
            show(s.p90)
        )),
        formula,
        n: format!("{} {}", s.n, escape(what)),
        visual: String::new(),
    }
}

fn rate_card(id: &str, title: &str, r: Ratio, formula: &str, what: &str, lang: Language) -> Card {
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

fn backlog_card(k: &Kpis, lang: Language) -> Card {
    let bars: Vec<Bar> = k
        .backlog_ageing
        .iter()
        .map(|b| Bar {
            label: match b.to_days {
                Some(to) if b.from_days == 0 => format!("< {to} {}", lang.pick("j", "d")),
                Some(to) => format!("{}–{to} {}", b.from_days, lang.pick("j", "d")),
                None => format!("≥ {} {}", b.from_days, lang.pick("j", "d")),
            },
            value: b.count as f64,
            text: b.count.to_string(),
        })
        .collect();
    let title = lang.pick(
        "Âge du stock (jours écoulés depuis l'ouverture)",
        "Backlog age (days since opening)",
    );
    Card {
        title: escape(lang.pick("Stock de tickets ouverts", "Open tickets backlog")),
        value: k.backlog.to_string(),
        detail: None,
        formula: escape(lang.pick("tickets au statut Nouveau, Approbation, En cours ou En attente à la date de mesure",
            "tickets whose status is New, Approval, Processing or Pending at the measurement instant",
        )),
        n: format!(
            "{} {}",
            k.tickets,
            lang.pick("tickets ouverts sur la période",
                "tickets opened in the period"
            )
        ),
        visual: chart_figure(
            &charts::bar_chart("kpi-backlog-chart", title, 280.0, &bars),
            title,
            &[lang.pick("Âge", "Age"), lang.pick("Tickets", "Tickets")],
            bars.iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        ),
    }
}

fn csat_card(k: &Kpis, lang: Language) -> Card {
    Card {
        title: escape(lang.pick("Satisfaction (CSAT)", "Satisfaction (CSAT)")),
        value: match k.csat_mean {
            Some(m) => format!("{}/5", num(m, 2, lang)),
            None => lang.pick("n/d", "n/a").into(),
        },
        detail: Some(format!(
            "{} {}",
            percent(k.csat_share_4plus, lang),
            lang.pick("de réponses ≥ 4/5", "of answers ≥ 4/5")
        )),
        formula: escape(lang.pick(
            "moyenne des réponses à l'enquête de satisfaction (1 à 5) ; part des réponses ≥ 4",
            "mean of the satisfaction survey answers (1 to 5); share of answers ≥ 4",
        )),
        n: format!("{} {}", k.csat_n, lang.pick("réponses", "answers")),
        visual: String::new(),
    }
}

fn flow_card(k: &Kpis, lang: Language) -> Card {
    let opened = lang.pick("ouverts", "opened");
    let closed = lang.pick("clos", "closed");
    let points: Vec<TrendPoint> = k
        .flow
        .iter()
        .map(|m| TrendPoint {
            label: month_label(&m.month, lang),
            first: m.opened as f64,
            second: m.closed as f64,
        })
        .collect();
    let title = lang.pick(
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
        title: escape(lang.pick(
            "Ratio de flux du dernier mois",
            "Flow ratio of the last month",
        )),
        value: last
            .and_then(|m| m.ratio)
            .map(|r| num(r, 2, lang))
            .unwrap_or_else(|| lang.pick("n/d", "n/a").into()),
        detail: last.map(|m| format!("{} : {} {opened}, {} {closed}", m.month, m.opened, m.closed)),
        formula: escape(lang.pick(
            "tickets clos dans le mois / tickets ouverts dans le mois (< 1 : le stock augmente)",
            "tickets closed in the month / tickets opened in the month (< 1: the backlog grows)",
        )),
        n: format!("{} {}", k.flow.len(), lang.pick("mois", "months")),
        visual: chart_figure(
            &charts::trend_chart("kpi-flow-chart", title, (opened, closed), &points),
            title,
            &[
                lang.pick("Mois", "Month"),
                lang.pick("Ouverts", "Opened"),
                lang.pick("Résolus", "Solved"),
                lang.pick("Clos", "Closed"),
                lang.pick("Ratio", "Ratio"),
            ],
            rows,
        ),
    }
}

fn recurring_card(k: &Kpis, lang: Language) -> Card {
    let rule = k.recurring_rule;
    let rows: Vec<Vec<String>> = k
        .recurring
        .iter()
        .map(|r| {
            vec![
                lang.pick(
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
            lang.pick("Aucune récurrence détectée.", "No recurrence found.")
        )
    } else {
        data_table(
            lang.pick("Incidents récurrents", "Recurring incidents"),
            &[
                lang.pick("Sur", "On"),
                lang.pick("Nom", "Name"),
                lang.pick("Incidents", "Incidents"),
                lang.pick("Fenêtre", "Window"),
                lang.pick("Tickets", "Tickets"),
            ],
            &rows,
        )
    };
    Card {
        title: escape(lang.pick(
            "Candidats à un enregistrement de problème",
            "Candidates for a problem record",
        )),
        value: k.recurring.len().to_string(),
        detail: None,
        formula: escape(&format!(
            "{} {} {} {} {}",
            lang.pick(
                "catégorie ou matériel ayant au moins",
                "category or asset with at least"
            ),
            rule.count,
            lang.pick("incidents en", "incidents within"),
            rule.days,
            lang.pick("jours", "days")
        )),
        n: format!(
            "{} {}",
            k.volumes.r#type.get("incident").copied().unwrap_or(0),
            lang.pick("incidents", "incidents")
        ),
        visual: table,
    }
}

fn volumes_card(k: &Kpis, lang: Language) -> Card {
    let v = &k.volumes;
    let none = lang.pick("(non renseigné)", "(not set)");
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
            lang.pick("Par catégorie", "By category"),
            by(&v.category, &|k| k.to_string()),
        ),
        (
            "type",
            lang.pick("Par type", "By type"),
            by(&v.r#type, &type_label),
        ),
        (
            "source",
            lang.pick("Par source", "By source"),
            by(&v.source, &source_label),
        ),
        (
            "priority",
            lang.pick("Par priorité", "By priority"),
            priority_bars,
        ),
    ] {
        visual.push_str(&chart_figure(
            &charts::bar_chart(&format!("kpi-volumes-{id}"), title, charts::WIDTH, &bars),
            title,
            &[title, lang.pick("Tickets", "Tickets")],
            bars.iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        ));
    }
    Card {
        title: escape(lang.pick("Volumes de tickets", "Ticket volumes")),
        value: k.tickets.to_string(),
        detail: None,
        formula: escape(lang.pick(
            "nombre de tickets ouverts sur la période, par catégorie, type, source et priorité",
            "number of tickets opened in the period, by category, type, source and priority",
        )),
        n: format!("{} tickets", k.tickets),
        visual,
    }
}

/// `2025-03` as `mars 2025` (or `Mar 2025`).
fn month_label(month: &str, lang: Language) -> String {
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = if lang == Language::En { EN } else { FR };
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
        "<table class=\"kpi-data\" tabindex=\"0\"><caption>{}</caption><thead><tr>",
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
