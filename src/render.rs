//! Tera setup, theme lookup and override, and the UI strings of the default theme.
//!
//! Templates come from three layers, later ones overriding earlier ones file by file: the
//! default theme built into the binary, the site's `themes/<theme>/templates/`, and the site's
//! own `templates/`. The build hands each template a context made of plain serialisable data.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::source_layout::{TEMPLATES_DIR, THEMES_DIR, theme_templates};
use crate::theme;

/// The Tera instance of a build, with where each template came from (for error messages).
pub struct Templates {
    tera: Tera,
    origins: BTreeMap<String, PathBuf>,
}

impl Templates {
    /// Loads the default theme, then the site's theme folder and `templates/` over it.
    pub fn load(root: &Path, theme_name: &str) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        if theme_name == theme::DEFAULT_THEME {
            for (name, text) in theme::TEMPLATES.iter() {
                sources.insert(
                    name.to_string(),
                    (
                        theme_templates(theme::DEFAULT_THEME).join(name),
                        text.to_string(),
                    ),
                );
            }
        }
        let theme_dir = theme_templates(theme_name);
        if theme_name != theme::DEFAULT_THEME && !root.join(&theme_dir).is_dir() {
            return Err(vec![
                Diagnostic::file_error(Path::new(THEMES_DIR).join(theme_name), format!("the theme `{theme_name}` does not exist"))
                    .with_help("create themes/<name>/templates/ or remove `theme:` from guichet.yaml to use the default theme"),
            ]);
        }
        let mut errors = Vec::new();
        for dir in [theme_dir, PathBuf::from(TEMPLATES_DIR)] {
            read_templates(root, &dir, &mut sources, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("safe", safe_without_copy);
        let mut origins = BTreeMap::new();
        let mut raw = Vec::new();
        for (name, (origin, text)) in &sources {
            origins.insert(name.clone(), origin.clone());
            raw.push((name.clone(), text.clone()));
        }
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(vec![tera_error(&e, &origins, &sources)]);
        }
        Ok(Templates { tera, origins })
    }

    /// True when a template of that name exists (for the `template:` front matter key).
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name` with `context`; a Tera error becomes a diagnostic naming the template
    /// file and line.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.rendering_error(&e))
    }

    /// [`Templates::render`] as bytes, for a file: `expected` is the output's likely size,
    /// so a page's HTML is not copied as its buffer grows, and the text written by Tera is
    /// not checked again for UTF-8 (a tenth of what rendering a page costs once the
    /// template has run).
    pub fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        expected: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(expected);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| self.rendering_error(&e))?;
        Ok(out)
    }

    /// A Tera error met while rendering, as a diagnostic naming the template file and line
    /// (the templates' sources are only needed for errors met while parsing them).
    fn rendering_error(&self, e: &tera::Error) -> Diagnostic {
        tera_error(e, &self.origins, &BTreeMap::new())
    }
}

/// Tera's `safe` filter without its copy of the string: every page's HTML goes through
/// `{{ page.html | safe }}`, and the built-in filter copied it whole (a shared string only
/// needs its mark changed). Anything but a string is written as text, as the built-in does.
fn safe_without_copy(value: &Value, _: Kwargs, _: &State) -> Value {
    if value.is_string() {
        value.clone().mark_safe()
    } else {
        Value::safe_string(&value.to_string())
    }
}

/// Reads the templates of `root/dir`, each named by its path relative to the root for
/// error messages.
fn read_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, (PathBuf, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return;
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names
        .into_iter()
        .filter(|n| n.ends_with(".html") || n.ends_with(".xml"))
    {
        let shown_path = dir.join(&name);
        match fs::read_to_string(root.join(&shown_path)) {
            Ok(text) => {
                sources.insert(name, (shown_path, text));
            }
            Err(e) => errors.push(Diagnostic::file_error(
                &shown_path,
                format!("cannot read the template: {e}"),
            )),
        }
    }
}

/// Turns a Tera error into `template:line:column: error: message`.
fn tera_error(
    e: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
    sources: &BTreeMap<String, (PathBuf, String)>,
) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = report.filename();
            let path = origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(name));
            let span = report.span();
            let mut d = Diagnostic::error(
                path,
                span.start_line,
                span.start_col + 1,
                format!("template error: {}", report.message()),
            );
            if let Some((_, text)) = sources.get(name) {
                d = d.with_source(text);
            }
            d.with_help(
                "fix the template, or delete your override to fall back to the theme's version",
            )
        }
        other => {
            // Some errors (an unknown filter) only carry their position inside the message,
            // as `--> name:line:column`.
            let text = other.to_string();
            let message = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            match locate(&text) {
                Some((name, line, column)) => {
                    let path = origins
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(&name));
                    Diagnostic::error(path, line, column, format!("template error: {message}"))
                        .with_help("fix the template, or delete your override to fall back to the theme's version")
                }
                None => Diagnostic::file_error("templates", format!("template error: {message}")),
            }
        }
    }
}

/// Finds `--> name:line:column` in a rendered Tera report.
fn locate(text: &str) -> Option<(String, usize, usize)> {
    let rest = &text[text.find("--> ")? + 4..];
    let spec = rest.lines().next()?.trim();
    let mut parts = spec.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_marks_strings_unescaped_and_writes_other_values_as_text() {
        let dir = std::env::temp_dir().join(format!("guichet-render-safe-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("templates")).unwrap();
        fs::write(
            dir.join("templates/404.html"),
            "{{ html | safe }}|{{ html }}|{{ n | safe }}|{{ list | safe }}|{{ short | safe }}",
        )
        .unwrap();
        let templates = Templates::load(&dir, "guichet").unwrap();
        let mut ctx = Context::new();
        let long = format!("<p>{}</p>", "é&".repeat(20));
        ctx.insert("html", &long);
        ctx.insert("n", &42);
        ctx.insert("list", &["<a>", "b"]);
        ctx.insert("short", "<b>x</b>");
        let escaped = format!("&lt;p&gt;{}&lt;/p&gt;", "é&amp;".repeat(20));
        assert_eq!(
            templates.render("404.html", &ctx).unwrap(),
            format!("{long}|{escaped}|42|[\"<a>\", \"b\"]|<b>x</b>")
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn site_template_overrides_theme_and_errors_name_file_and_line() {
        let dir = std::env::temp_dir().join(format!("guichet-render-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("templates")).unwrap();
        fs::write(dir.join("templates/404.html"), "Perdu : {{ t.home }}").unwrap();
        let templates = Templates::load(&dir, "guichet").unwrap();
        let mut ctx = Context::new();
        ctx.insert(
            "t",
            &crate::page::strings::UiStrings::of(crate::language::Language::Fr),
        );
        assert_eq!(
            templates.render("404.html", &ctx).unwrap(),
            "Perdu : Accueil"
        );

        fs::write(dir.join("templates/404.html"), "ligne 1\n{% if %}\n").unwrap();
        let err = Templates::load(&dir, "guichet").err().unwrap();
        assert_eq!(err[0].path, Path::new("templates/404.html"));
        assert_eq!(err[0].line, 2);
        assert!(
            err[0].message.starts_with("template error:"),
            "{}",
            err[0].message
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
