//! ```` ```kpi NAME ````: one KPI figure computed from the site's tickets.

use crate::markdown::{EmbedCall, EmbedError, Embedded};

use super::PageEmbeds;

pub(super) fn embed(embeds: &mut PageEmbeds, call: &EmbedCall) -> Result<Embedded, EmbedError> {
    let name = call.args.split_whitespace().next().unwrap_or("");
    let Some(kpis) = &embeds.data.kpis else {
        return Err(EmbedError::new("no ticket write-up to compute KPIs from")
            .with_help("add tickets to content/tickets/"));
    };
    crate::tickets::kpi_embed_html(name, kpis, embeds.page.language)
        .map(Embedded::html)
        .map_err(EmbedError::new)
}
