//! ```` ```logigramme ID ````: the workflow's diagram inline, linked to its page.

use crate::markdown::{EmbedCall, EmbedError, Embedded};
use crate::page::workflows::{DiagramView, workflow_figure};

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
    let prefix = embeds.next_diagram_id(id);
    let view = DiagramView {
        language: embeds.page.language,
        from_url: &embeds.page.url,
        id_prefix: &prefix,
        highlight: None,
    };
    workflow_figure(embeds.site, data, id, &view)
        .map(Embedded::html)
        .ok_or_else(|| EmbedError::new(format!("unknown logigramme `{id}`")))
}
