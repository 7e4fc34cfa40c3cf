//! Writing the import: each page's text (front matter first, then the stamp every import
//! shares), attachments copied, and a guichet.yaml when the site has none.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::import::{self, Action, Summary};
use crate::language::Language;

use super::source::Source;
use super::{MarkdownImport, PageOut, humanise};

/// The imported page's text, front matter first (before the stamp).
pub(super) fn page_text(page: &PageOut) -> String {
    let m = &page.mapped;
    let mut front = Mapping::new();
    let mut put = |k: &str, v: Value| {
        front.insert(Value::String(k.to_string()), v);
    };
    put("title", Value::String(page.title.clone()));
    let strings =
        |list: &[String]| Value::Sequence(list.iter().cloned().map(Value::String).collect());
    if let Some(d) = &m.description {
        put("description", Value::String(d.clone()));
    }
    if let Some(d) = &m.date {
        put("date", Value::String(d.clone()));
    }
    if let Some(d) = &m.updated {
        put("updated", Value::String(d.clone()));
    }
    if !m.tags.is_empty() {
        put("tags", strings(&m.tags));
    }
    if let Some(c) = &m.category {
        put("category", Value::String(c.clone()));
    }
    if let Some(w) = page.order {
        put("weight", Value::Number((w as i64).into()));
    }
    if m.draft {
        put("draft", Value::Bool(true));
    }
    if !page.aliases.is_empty() {
        put("aliases", strings(&page.aliases));
    }
    if !m.extra.is_empty() {
        let extra: Mapping = m
            .extra
            .iter()
            .map(|(k, v)| (Value::String(k.clone()), v.clone()))
            .collect();
        put("extra", Value::Mapping(extra));
    }
    let yaml = serde_yaml::to_string(&front).unwrap_or_default();
    let body = page.body.trim_start_matches('\n');
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n\n{body}")
    }
}

pub(super) fn write_text(
    path: &Path,
    text: &str,
    options: &MarkdownImport,
    files: &mut Summary,
) -> Result<(), Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::file_error(
            path,
            format!("cannot write the file: {e}"),
        )]
    };
    let action = import::plan(path, text, options.force).map_err(io)?;
    import::apply(path, text, action, options.dry_run).map_err(io)?;
    files.record(path, action);
    Ok(())
}

/// Copies an attachment: a file that differs from the source's was changed here (an
/// attachment carries no stamp), so it is kept unless forced.
pub(super) fn copy_file(
    from: &Path,
    to: &Path,
    options: &MarkdownImport,
    files: &mut Summary,
) -> Result<(), Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::file_error(
            to,
            format!("cannot copy {}: {e}", from.display()),
        )]
    };
    let bytes = std::fs::read(from).map_err(io)?;
    let action = match std::fs::read(to) {
        Ok(old) if old == bytes => Action::Unchanged,
        Ok(_) if options.force => Action::Overwrite,
        Ok(_) => Action::KeepEdited,
        Err(_) => Action::Create,
    };
    if !options.dry_run && matches!(action, Action::Create | Action::Overwrite) {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(to, &bytes).map_err(io)?;
    }
    files.record(to, action);
    Ok(())
}

/// A guichet.yaml beside the content folder when there is none, with the source's title and
/// language, so the imported site builds at once. An existing one is never touched.
pub(super) fn write_config(
    root: &Path,
    source: &Source,
    options: &MarkdownImport,
) -> Result<Option<PathBuf>, Vec<Diagnostic>> {
    let path = root.join("guichet.yaml");
    if path.exists() {
        return Ok(None);
    }
    let title = source.title.clone().unwrap_or_else(|| {
        let name = std::fs::canonicalize(&options.src)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Documentation".into());
        humanise(&name)
    });
    let language = match source.language {
        Some(Language::En) => "en",
        _ => "fr",
    };
    let mut config = Mapping::new();
    config.insert("title".into(), Value::String(title));
    config.insert("language".into(), Value::String(language.into()));
    let text = serde_yaml::to_string(&config).unwrap_or_default();
    if !options.dry_run {
        std::fs::create_dir_all(root)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| {
                vec![Diagnostic::file_error(
                    &path,
                    format!("cannot write the file: {e}"),
                )]
            })?;
    }
    Ok(Some(path))
}
