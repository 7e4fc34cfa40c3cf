//! Embeds: fenced blocks whose first word names something drawn from data instead of code
//! (```` ```logigramme incident ````, ```` ```topologie reseau.yaml ````, ```` ```kpi mttr ````,
//! ```` ```include config.php mask=dbpassword ````). Each lives in a file of its own and is
//! registered in [`EMBEDS`]; each returns a value (its HTML, the files it adds, the files it
//! masks) or an error reported at its block. None reads a source file: what they show was
//! read by the validate stage (src/data/).

mod avant_ticket;
mod include;
mod kpi;
mod logigramme;
pub(crate) mod mask;
mod parcours;
mod topologie;

use std::path::PathBuf;

use crate::data::{PageFiles, SiteData};
use crate::markdown::{EmbedCall, EmbedError, Embedded, Embeds};
use crate::site::{Page, Site};

/// What an embed produces from its block.
type EmbedFn = fn(&mut PageEmbeds, &EmbedCall) -> Result<Embedded, EmbedError>;

/// Every embed, by the word that names it.
const EMBEDS: [(&str, EmbedFn); 6] = [
    ("avant-ticket", avant_ticket::embed),
    ("include", include::embed),
    ("kpi", kpi::embed),
    ("logigramme", logigramme::embed),
    ("parcours", parcours::embed),
    ("topologie", topologie::embed),
];

/// The embeds of one page: what they read, and what they count from one block to the next.
pub(crate) struct PageEmbeds<'a> {
    site: &'a Site,
    data: &'a SiteData,
    page: &'a Page,
    /// The files of this page's `topologie` and `include` blocks, in block order.
    files: &'a PageFiles,
    /// Folders holding an earlier build's output, whose pictures may be reused.
    earlier: &'a [PathBuf],
    /// Diagrams already inlined in this page, so each gets unique element ids.
    diagrams: usize,
    /// `topologie` blocks seen so far: the index of the next one in `files`.
    topologies: usize,
    /// `include` blocks seen so far: the index of the next one in `files`.
    includes: usize,
}

impl<'a> PageEmbeds<'a> {
    /// The embeds of `page`, whose embedded files are `files`.
    pub(crate) fn new(
        site: &'a Site,
        data: &'a SiteData,
        page: &'a Page,
        files: &'a PageFiles,
        earlier: &'a [PathBuf],
    ) -> Self {
        PageEmbeds {
            site,
            data,
            page,
            files,
            earlier,
            diagrams: 0,
            topologies: 0,
            includes: 0,
        }
    }

    /// The element id prefix of the next diagram of the page: `base`, then `base-1`…
    fn next_diagram_id(&mut self, base: &str) -> String {
        let n = self.diagrams;
        self.diagrams += 1;
        if n == 0 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        }
    }
}

impl Embeds for PageEmbeds<'_> {
    fn embed(&mut self, call: &EmbedCall) -> Option<Result<Embedded, EmbedError>> {
        let (_, produce) = EMBEDS.iter().find(|(name, _)| *name == call.kind)?;
        Some(produce(self, call))
    }
}
