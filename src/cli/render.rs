//! `guichet render FILE.yaml -o OUT.svg|OUT.png|OUT.drawio [--scale N] [--lang fr|en]`: one
//! workflow to one file, for students pasting a diagram into a document or retouching it in
//! diagrams.net. Workflow references resolve against the YAML files beside FILE; `link:` is
//! checked against the site found by looking for guichet.yaml in FILE's folder and its
//! parents (not checked when there is none). A workflow written in several languages is laid
//! out as the site lays it out: every language's words sized together, so each language's
//! drawing has the same boxes and flows. Nothing is written when there is any error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use guichet::diagnostics::Diagnostic;
use guichet::language::Language;
use guichet::workflow::{
    Context, SharedSizes, SvgOptions, Workflow, layout, layout_shared, parse_workflow,
    parse_workflow_with_warnings, to_drawio, to_png, to_svg, workflow_files,
};

/// Renders `input` to `output` (`.svg`, `.drawio`, or `.png` at `scale`) in `lang` (the site's
/// language when `None`) and returns the warnings about its labels, or returns every error.
pub(crate) fn run(
    input: &Path,
    output: &Path,
    scale: f32,
    lang: Option<Language>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let format = match output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "svg" => Format::Svg,
        Some(e) if e == "png" => Format::Png,
        Some(e) if e == "drawio" => Format::Drawio,
        _ => {
            return Err(vec![
                Diagnostic::file_error(output, "the output file must end in .svg, .png or .drawio")
                    .with_help(
                        "for example: guichet render workflows/incident.yaml -o incident.png",
                    ),
            ]);
        }
    };
    if !(scale.is_finite() && scale > 0.0 && scale <= 10.0) {
        return Err(vec![
            Diagnostic::file_error(output, format!("the scale {scale} is out of range"))
                .with_help("use a scale between 0.1 and 10, e.g. --scale 2"),
        ]);
    }
    let text = std::fs::read_to_string(input).map_err(|e| {
        vec![Diagnostic::file_error(
            input,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let id = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = input
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let ids: BTreeSet<String> = workflow_files(folder)
        .map_err(|d| vec![d])?
        .into_iter()
        .map(|f| f.0)
        .collect();
    let site = find_site(folder);
    let content = site.as_ref().map(|s| s.join("content"));
    let page_exists = |link: &str| content.as_ref().is_some_and(|c| c.join(link).is_file());
    let (default, site_languages) = site
        .as_deref()
        .map_or((Language::Fr, Vec::new()), site_languages);
    let lang = lang.unwrap_or(default);
    let ctx = |language: Language| Context {
        page_exists: if site.is_some() {
            Some(&page_exists)
        } else {
            None
        },
        workflow_ids: Some(&ids),
        languages: Some(guichet::workflow::languages::Languages { language, default }),
    };
    let (wf, warnings) = parse_workflow_with_warnings(&id, input, &text, &ctx(lang))?;
    // The same layout as the site's: every language's words sized together, on a translated
    // site in each of its languages, elsewhere in each the file's texts are written in.
    let others: Vec<(Workflow, Language)> = Language::ALL
        .into_iter()
        .filter(|&l| l != lang && (site_languages.is_empty() || site_languages.contains(&l)))
        .filter_map(|l| {
            parse_workflow(&id, input, &text, &ctx(l))
                .ok()
                .map(|w| (w, l))
        })
        .filter(|(w, _)| !site_languages.is_empty() || *w != wf)
        .collect();
    let diagram = if others.is_empty() {
        layout(&wf, lang)
    } else {
        let variants: Vec<(&Workflow, Language)> = std::iter::once((&wf, lang))
            .chain(others.iter().map(|(w, l)| (w, *l)))
            .collect();
        layout_shared(&wf, lang, &SharedSizes::of(&variants))
    };
    let href = |other: &str| format!("{other}.svg");
    let svg = to_svg(
        &diagram,
        &SvgOptions {
            id_prefix: &wf.id,
            subprocess_href: &href,
            page_href: None,
            highlight: None,
        },
    );
    let bytes = match format {
        Format::Svg => svg.into_bytes(),
        Format::Drawio => to_drawio(&diagram).into_bytes(),
        Format::Png => {
            to_png(&svg, scale).map_err(|e| vec![Diagnostic::file_error(output, e.to_string())])?
        }
    };
    write_atomically(output, &bytes).map_err(|e| {
        vec![Diagnostic::file_error(
            output,
            format!("cannot write the file: {e}"),
        )]
    })?;
    Ok(warnings)
}

enum Format {
    Svg,
    Png,
    /// A diagrams.net file of the same layout.
    Drawio,
}

/// The closest folder at or above `from` holding a guichet.yaml.
fn find_site(from: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(from).ok()?;
    start
        .ancestors()
        .find(|d| d.join("guichet.yaml").is_file())
        .map(Path::to_path_buf)
}

/// The site's language and, on a translated site, its `languages:` (empty otherwise), as
/// the build reads them from guichet.yaml; French and none when that file does not load.
fn site_languages(site: &Path) -> (Language, Vec<Language>) {
    guichet::config::Config::load(site).map_or((Language::Fr, Vec::new()), |config| {
        (config.language, config.languages)
    })
}

/// Writes through a temporary file renamed into place, so a failure leaves nothing behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
