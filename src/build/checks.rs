//! Checks that need more than one page: a `template:` key names an existing template, and a
//! link to `page.md#anchor` names a heading that page has once it is rendered.

use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::render::Templates;
use crate::site::Site;

/// A `template:` naming a template that does not exist is an error at that key.
pub(super) fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|p| {
            let name = p.front.template.as_deref()?;
            if templates.has(name) {
                return None;
            }
            let pos = p.spans.at("template");
            Some(
                Diagnostic::error(
                    &p.source.file,
                    pos.line,
                    pos.column,
                    format!("the template `{name}` does not exist"),
                )
                .with_source(&p.source.text)
                .with_help("put it in templates/ at the site root, or remove the `template:` key"),
            )
        })
        .collect()
}

/// Links to `page.md#anchor` must name a heading of that page.
pub(super) fn check_anchors(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (page, r) in site.pages.iter().zip(rendered) {
        for a in &r.anchor_refs {
            let Some(&target) = site.by_path.get(&a.page) else {
                continue;
            };
            if !rendered[target].ids.iter().any(|id| id == &a.anchor) {
                let known: Vec<&str> = rendered[target].ids.iter().map(String::as_str).collect();
                let help = if known.is_empty() {
                    "that page has no headings".to_string()
                } else {
                    format!("headings of that page: {}", known.join(", "))
                };
                errors.push(
                    Diagnostic::error(
                        &page.source.file,
                        a.line,
                        a.column,
                        format!("link to a missing anchor `#{}` in {}", a.anchor, a.page),
                    )
                    .with_source(&page.source.text)
                    .with_help(help),
                );
            }
        }
    }
    errors
}
