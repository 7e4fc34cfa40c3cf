//! ```` ```parcours ID ````: the lifecycle analytics of workflow `ID` (weighted diagram,
//! findings, time per step, tables), as on the workflow's own page.

use crate::markdown::{EmbedCall, EmbedError, Embedded};
use crate::page::lifecycle::lifecycle_section;

use super::PageEmbeds;

pub(super) fn embed(embeds: &mut PageEmbeds, call: &EmbedCall) -> Result<Embedded, EmbedError> {
    let data = embeds.data;
    let id = call.args.split_whitespace().next().unwrap_or("");
    if !data.workflows.contains_key(id) {
        let known: Vec<&str> = data.workflows.keys().map(String::as_str).collect();
        let help = if known.is_empty() {
            "add workflows/<id>.yaml".to_string()
        } else {
            format!("workflows of this site: {}", known.join(", "))
        };
        return Err(EmbedError::new(format!("unknown logigramme `{id}`")).with_help(help));
    }
    let prefix = embeds.next_diagram_id(&format!("{id}-parcours"));
    lifecycle_section(
        embeds.site,
        data,
        id,
        embeds.page.language,
        &embeds.page.url,
        &prefix,
    )
    .map(Embedded::html)
    .ok_or_else(|| EmbedError::new(format!("unknown logigramme `{id}`")))
}
