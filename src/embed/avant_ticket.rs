//! ```` ```avant-ticket ````: the self-service block ("Avant de créer un ticket") in any page:
//! suggestions as the user types, then the link to GLPI's ticket form.

use crate::markdown::{EmbedCall, EmbedError, Embedded};
use crate::page::self_service::self_service_html;

use super::PageEmbeds;

pub(super) fn embed(embeds: &mut PageEmbeds, call: &EmbedCall) -> Result<Embedded, EmbedError> {
    if let Some(extra) = call.args.split_whitespace().next() {
        return Err(
            EmbedError::new(format!("`avant-ticket` takes no argument, found `{extra}`"))
                .with_help("write the block as ```avant-ticket alone"),
        );
    }
    let id = embeds.next_diagram_id("avant-ticket");
    Ok(Embedded::html(self_service_html(
        &embeds.site.config,
        &embeds.page.url,
        embeds.page.language,
        &id,
    )))
}
