//! Logigrammes: `workflows/<id>.yaml` files (format in docs/diagrams.md §1) checked, laid out and
//! drawn as ISO 5807 flowcharts in SVG and PNG, with a text version for screen readers.
//!
//! The stages, in pipeline order:
//! - [`parse_workflow`] / [`load_dir`]: YAML to a checked [`Workflow`], or every error of the
//!   file with its line and column;
//! - [`layout()`]: a [`Workflow`] to a laid-out [`Diagram`] (boxes, ports, polylines, labels);
//! - [`to_svg`]: the SVG of the contract; [`to_png`]: the PNG through resvg;
//!   [`to_drawio`]: a diagrams.net file of the same layout, to retouch it;
//! - [`text_version_html`]: the ordered list of steps.
//!
//! The site build and the `guichet render` command (in the binary) chain these stages.
//!
//! In Markdown, a fenced block ```` ```logigramme incident ```` inlines the workflow
//! `incident`'s SVG (wired by the build).

pub(crate) mod labels;
pub mod languages;
pub mod layout;
pub mod metrics;
pub(crate) mod model;
pub mod parse;
pub(crate) mod status;
pub(crate) mod svg;
pub(crate) mod text;
pub(crate) mod validate;

use std::collections::BTreeSet;
use std::path::Path;

pub use crate::diagram::drawio::to_drawio;
pub use crate::diagram::model::Diagram;
pub use crate::diagram::png::{PngError, missing_glyphs, to_png};
pub use layout::{SharedSizes, layout, layout_shared};
pub use model::{Exit, ExitLabel, Kind, Lane, Sla, Step, Workflow};
pub use status::Status;
pub use svg::{SvgOptions, to_svg, to_svg_weighted};
pub use text::text_version_html;
pub use validate::Context;

use crate::diagnostics::Diagnostic;

/// Parses and checks one workflow: `id` is its file stem, `text` its content. Returns every
/// error of the file at once, sorted by line. The warnings about its labels are dropped:
/// [`parse_workflow_with_warnings`] returns them.
pub fn parse_workflow(
    id: &str,
    path: &Path,
    text: &str,
    ctx: &Context,
) -> Result<Workflow, Vec<Diagnostic>> {
    parse_workflow_with_warnings(id, path, text, ctx).map(|(wf, _)| wf)
}

/// [`parse_workflow`], with the warnings about the workflow's labels (too long, characters
/// the diagram font cannot draw), each at its label's line.
pub fn parse_workflow_with_warnings(
    id: &str,
    path: &Path,
    text: &str,
    ctx: &Context,
) -> Result<(Workflow, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (raw, spans) = parse::parse_raw(path, text)?;
    let (raw, mut warnings) = languages::localize(path, text, &spans, raw, ctx.languages)?;
    let (wf, more) = validate::validate(id, path, text, &raw, &spans, ctx)?;
    warnings.extend(more);
    Ok((wf, warnings))
}

/// The `*.yaml` files of `dir`, sorted by name, with their ids (file stems).
pub fn workflow_files(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, Diagnostic> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::file_error(dir, format!("cannot read the folder: {e}")))?;
    let mut files: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml") && p.is_file())
        .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
        .collect();
    files.sort();
    Ok(files)
}

/// Loads and checks every workflow of `dir` (e.g. `workflows/`): subprocess references are
/// resolved against the other files of the folder, `link:` against `page_exists` (true when
/// `content/<link>` exists). Returns the workflows sorted by id, or every error of every file.
pub fn load_dir(
    dir: &Path,
    page_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Workflow>, Vec<Diagnostic>> {
    let loaded = load_each(dir, page_exists, None).map_err(|d| vec![d])?;
    if loaded.errors.is_empty() {
        Ok(loaded.valid)
    } else {
        Err(loaded.errors)
    }
}

/// The workflows of a folder, each file on its own: one broken file does not hide the
/// others, so what refers to a valid workflow is checked against it.
pub(crate) struct LoadedWorkflows {
    /// The valid workflows, sorted by id.
    pub valid: Vec<Workflow>,
    /// The ids of the files that have errors.
    pub broken: BTreeSet<String>,
    /// Every error of every broken file.
    pub errors: Vec<Diagnostic>,
    /// The warnings of the valid files.
    pub warnings: Vec<Diagnostic>,
}

/// [`load_dir`], keeping the valid workflows beside the errors of the others; `Err` only when
/// the folder cannot be read.
pub(crate) fn load_each(
    dir: &Path,
    page_exists: &dyn Fn(&str) -> bool,
    languages: Option<languages::Languages>,
) -> Result<LoadedWorkflows, Diagnostic> {
    let files = workflow_files(dir)?;
    let ids: BTreeSet<String> = files.iter().map(|f| f.0.clone()).collect();
    let ctx = Context {
        page_exists: Some(page_exists),
        workflow_ids: Some(&ids),
        languages,
    };
    let mut loaded = LoadedWorkflows {
        valid: Vec::new(),
        broken: BTreeSet::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    for (id, path) in files {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| {
                vec![Diagnostic::file_error(
                    &path,
                    format!("cannot read the file: {e}"),
                )]
            })
            .and_then(|text| parse_workflow_with_warnings(&id, &path, &text, &ctx));
        match parsed {
            Ok((wf, mut warnings)) => {
                loaded.valid.push(wf);
                loaded.warnings.append(&mut warnings);
            }
            Err(mut e) => {
                loaded.errors.append(&mut e);
                loaded.broken.insert(id);
            }
        }
    }
    Ok(loaded)
}
