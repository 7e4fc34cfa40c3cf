//! Ticket write-ups and the service desk's KPIs.
//!
//! Runs after the content loader has split a ticket page into front matter and body:
//! [`parse_ticket`] checks one file, [`validate_all`] checks what needs every ticket and the
//! settings, [`compute_kpis`] measures the service (MTTR, MTTA, SLA, FCR, backlog…) the way
//! GLPI defines it, and the `html`, `charts` and `export` functions turn tickets and KPIs into
//! page fragments, SVG charts, JSON and CSV. Nothing here reads files or knows the pipeline.

pub(crate) mod calendar;
pub(crate) mod charts;
pub(crate) mod datetime;
pub(crate) mod export;
pub mod html;
pub mod kpi;
pub(crate) mod model;
pub(crate) mod priority;
pub(crate) mod settings;
pub(crate) mod similar;
pub(crate) mod sla;
pub(crate) mod validate;

pub use calendar::Calendar;
pub use datetime::{Date, Timestamp};
pub use export::{kpis_csv, kpis_json};
pub use html::{
    dashboard_html, kpi_embed_html, ticket_card_html, ticket_links_html, tickets_index_html,
};
pub use kpi::{Kpis, compute_kpis};
pub use model::{
    PageKeys, RequestType, Status, StatusChange, Ticket, TicketSource, TicketType, parse_ticket,
};
pub use priority::PriorityMatrix;
pub use settings::{KpiSettings, RecurringRule, TicketSettings};
pub use similar::{related_both_ways, similar_tickets};
pub use sla::{SlaGrid, SlaOutcome, SlaTarget};
pub use validate::validate_all;
