//! The view layer: how the site in memory becomes what templates see and what readers
//! click. Links between pages, the navigation, template contexts, the pages made from data
//! (logigrammes, KPIs, search, 404), feeds and static files each have a file here; the
//! build (src/build.rs) calls them, and nothing below this layer imports it.

pub(crate) mod context;
pub(crate) mod dates;
pub(crate) mod feeds;
pub(crate) mod folders;
pub(crate) mod generated;
pub(crate) mod lifecycle;
pub mod links;
pub(crate) mod nav;
pub(crate) mod portfolio;
pub(crate) mod redirects;
pub(crate) mod search_docs;
pub(crate) mod self_service;
pub(crate) mod statics;
pub mod strings;
pub(crate) mod tickets;
pub(crate) mod workflows;

use crate::data::SiteData;
use crate::render::Templates;
use crate::site::Site;

pub(crate) use context::{frame_key, render_page};
pub(crate) use nav::NavTree;
pub(crate) use tickets::Lifecycles;

/// Everything a page's rendering reads, made once per build and shared by every page.
pub(crate) struct View<'a> {
    /// The site in memory.
    pub site: &'a Site,
    /// Workflows, tickets, KPIs and embedded files.
    pub data: &'a SiteData,
    /// The templates.
    pub templates: &'a Templates,
    /// The navigation tree.
    pub nav: &'a NavTree,
    /// The ticket pages' lifecycle figures.
    pub lifecycles: &'a Lifecycles,
}
