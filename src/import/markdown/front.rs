//! A source page's front matter, whichever way the tool writes it (YAML `---`, TOML `+++`,
//! JSON `{…}`), read into one YAML mapping; then mapped to guichet's keys, every key guichet
//! does not know kept under `extra:`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;

use super::format::Format;

/// A source page split: its front matter as a mapping, its body and the body's first line.
#[derive(Debug, Clone)]
pub(super) struct Split {
    /// The front matter's keys (empty when there is none).
    pub front: Mapping,
    /// The Markdown after the front matter.
    pub body: String,
    /// The file line of the body's first line.
    pub body_line: usize,
}

/// Splits `text` (the file `file`) into front matter and body. A front matter that does not
/// parse is an error at its line.
pub(super) fn split(file: &Path, text: &str) -> Result<Split, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let first = text.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "---" => "---",
        "+++" => "+++",
        "{" => return split_json(file, &text),
        _ => {
            return Ok(Split {
                front: Mapping::new(),
                body: text,
                body_line: 1,
            });
        }
    };
    let start = first.len() + 1;
    let mut offset = start;
    for (line_no, line) in (2..).zip(text[start.min(text.len())..].split_inclusive('\n')) {
        if line.trim_end() == fence {
            let inside = &text[start..offset];
            let front = if fence == "---" {
                parse_yaml(file, inside)?
            } else {
                parse_toml(file, inside)?
            };
            return Ok(Split {
                front,
                body: text[(offset + line.len()).min(text.len())..].to_string(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file, 1, 1, "the front matter is not closed")
            .with_source(&text)
            .with_help(format!(
                "end the front matter with a line containing only `{fence}`"
            )),
    )
}

fn parse_yaml(file: &Path, yaml: &str) -> Result<Mapping, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(Diagnostic::error(
            file,
            2,
            1,
            "the front matter is not a list of `key: value` lines",
        )
        .with_help("write one `key: value` per line between the `---` lines")),
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line()) + 1;
            let column = e.location().map_or(1, |l| l.column());
            Err(Diagnostic::error(
                file,
                line,
                column,
                format!("the YAML front matter does not parse: {e}"),
            )
            .with_help("fix the YAML in the source, then import again"))
        }
    }
}

fn parse_toml(file: &Path, toml_text: &str) -> Result<Mapping, Diagnostic> {
    match toml_text.parse::<toml::Table>() {
        Ok(table) => Ok(table
            .into_iter()
            .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
            .collect()),
        Err(e) => {
            // The span is a byte range of the TOML; the front matter starts on line 2.
            let (line, column) = e.span().map_or((2, 1), |span| {
                let before = &toml_text[..span.start.min(toml_text.len())];
                (
                    2 + before.matches('\n').count(),
                    before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                )
            });
            Err(Diagnostic::error(
                file,
                line,
                column,
                format!("the TOML front matter does not parse: {}", e.message()),
            )
            .with_help("fix the TOML in the source, then import again"))
        }
    }
}

/// Hugo's JSON front matter: an object that opens the file, closed by a line `}`.
fn split_json(file: &Path, text: &str) -> Result<Split, Diagnostic> {
    let mut offset = 0;
    for (line_no, line) in (1..).zip(text.split_inclusive('\n')) {
        offset += line.len();
        if line.trim_end() == "}" {
            let value: serde_json::Value = serde_json::from_str(&text[..offset]).map_err(|e| {
                Diagnostic::error(
                    file,
                    e.line(),
                    e.column(),
                    format!("the JSON front matter does not parse: {e}"),
                )
                .with_help("fix the JSON in the source, then import again")
            })?;
            let front = match serde_yaml::to_value(value) {
                Ok(Value::Mapping(m)) => m,
                _ => Mapping::new(),
            };
            return Ok(Split {
                front,
                body: text[offset..].to_string(),
                body_line: line_no + 1,
            });
        }
    }
    Err(
        Diagnostic::error(file, 1, 1, "the JSON front matter is not closed")
            .with_help("end the front matter with a line containing only `}`"),
    )
}

/// A TOML value as YAML; dates become their text (`2024-03-02`).
fn toml_to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// A source page's front matter in guichet's terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Mapped {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`, as guichet reads it.
    pub date: Option<String>,
    /// `updated` (Hugo's `lastmod`, Docusaurus's `last_update.date`).
    pub updated: Option<String>,
    /// `tags` (Grav's `taxonomy.tag`, Zola's `taxonomies.tags`).
    pub tags: Vec<String>,
    /// `category`: the first of the source's categories (the others join the tags).
    pub category: Option<String>,
    /// `draft` (Grav: `published: false`).
    pub draft: bool,
    /// The page's place among its siblings (`weight`, `sidebar_position`).
    pub order: Option<f64>,
    /// Old URLs the source names for the page (Hugo and Zola `aliases`, Grav `routes`).
    pub aliases: Vec<String>,
    /// Every other key, as written.
    pub extra: BTreeMap<String, Value>,
}

/// Maps `front` (a page of `format`) to guichet's keys.
pub(super) fn map(front: &Mapping, format: Format) -> Mapped {
    let mut mapped = Mapped::default();
    for (key, value) in front {
        let Some(key) = key.as_str() else { continue };
        if !map_key(&mut mapped, key, value, format) {
            mapped.extra.insert(key.to_string(), value.clone());
        }
    }
    mapped
}

/// Maps one key; false when guichet has no key for it (it then goes under `extra:`).
fn map_key(m: &mut Mapped, key: &str, value: &Value, format: Format) -> bool {
    match (key, format) {
        ("title", _) => set(&mut m.title, text(value)),
        ("description", _) => set(&mut m.description, text(value)),
        ("date", _) => set(&mut m.date, text(value).and_then(|d| page_date(&d))),
        ("updated" | "lastmod", _) => set(&mut m.updated, text(value).and_then(|d| page_date(&d))),
        ("last_update", Format::Docusaurus) => set(
            &mut m.updated,
            value.get("date").and_then(text).and_then(|d| page_date(&d)),
        ),
        ("tags", _) => add_all(&mut m.tags, value),
        ("categories" | "category", _) => add_categories(m, value),
        ("draft", _) => value.as_bool().map(|d| m.draft = d).is_some(),
        ("published", Format::Grav) => value.as_bool().map(|p| m.draft = !p).is_some(),
        ("weight", Format::Hugo | Format::Zola) | ("sidebar_position", Format::Docusaurus) => {
            value.as_f64().map(|w| m.order = Some(w)).is_some()
        }
        ("aliases", Format::Hugo | Format::Zola) => add_all(&mut m.aliases, value),
        ("taxonomy", Format::Grav) => {
            let tags = value.get("tag").map(|t| add_all(&mut m.tags, t));
            let categories = value.get("category").map(|c| add_categories(m, c));
            // Other taxonomies stay under extra: they have no guichet key.
            let only_known = value.as_mapping().is_some_and(|t| {
                t.keys()
                    .all(|k| matches!(k.as_str(), Some("tag" | "category")))
            });
            (tags.is_some() || categories.is_some()) && only_known
        }
        ("taxonomies", Format::Zola) => {
            let tags = value.get("tags").map(|t| add_all(&mut m.tags, t));
            let categories = value.get("categories").map(|c| add_categories(m, c));
            let only_known = value.as_mapping().is_some_and(|t| {
                t.keys()
                    .all(|k| matches!(k.as_str(), Some("tags" | "categories")))
            });
            (tags.is_some() || categories.is_some()) && only_known
        }
        ("extra", Format::Zola) => match value.as_mapping() {
            Some(table) => {
                for (k, v) in table {
                    if let Some(k) = k.as_str() {
                        m.extra.insert(k.to_string(), v.clone());
                    }
                }
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Sets `slot` when `value` is there; true when it was.
fn set(slot: &mut Option<String>, value: Option<String>) -> bool {
    let found = value.is_some();
    if found {
        *slot = value;
    }
    found
}

/// A scalar as text (numbers and booleans too: a title `2024` is a title).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Adds a list (or a comma-separated text) of words to `list`; false when it is neither.
fn add_all(list: &mut Vec<String>, value: &Value) -> bool {
    match value {
        Value::Sequence(items) => {
            list.extend(items.iter().filter_map(text));
            true
        }
        Value::String(s) => {
            list.extend(
                s.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
            );
            true
        }
        _ => false,
    }
}

/// The first category becomes guichet's `category`; the others join the tags (guichet's
/// category is one path, a source's categories are several labels).
fn add_categories(m: &mut Mapped, value: &Value) -> bool {
    let mut all = Vec::new();
    if !add_all(&mut all, value) {
        return false;
    }
    let mut all = all.into_iter();
    if m.category.is_none() {
        m.category = all.next();
    }
    for c in all {
        if !m.tags.contains(&c) {
            m.tags.push(c);
        }
    }
    true
}

/// A source date as guichet reads it: `YYYY-MM-DD`, or a full RFC 3339 timestamp kept whole;
/// other timestamps keep their day (`2024-03-02 10:00` → `2024-03-02`). `None` when the text
/// does not start with a day: the key then stays under `extra:`.
fn page_date(text: &str) -> Option<String> {
    let day = text.get(..10)?;
    let is_day = day.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !is_day {
        return None;
    }
    let rest = &text[10..];
    let zoned = rest.starts_with('T')
        && (rest.ends_with('Z')
            || rest.len() > 6
                && rest.as_bytes()[rest.len() - 3] == b':'
                && matches!(rest.as_bytes()[rest.len() - 6], b'+' | b'-'));
    Some(if zoned && !rest.contains(' ') {
        text.to_string()
    } else {
        day.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn toml_front_matter_is_read_with_its_dates() {
        let s = split(
            Path::new("a.md"),
            "+++\ntitle = \"Wi-Fi\"\ndate = 2024-03-02\nweight = 3\n[taxonomies]\ntags = [\"réseau\"]\n+++\nCorps\n",
        )
        .unwrap();
        assert_eq!(s.body, "Corps\n");
        assert_eq!(s.body_line, 8);
        let m = map(&s.front, Format::Zola);
        assert_eq!(m.title.as_deref(), Some("Wi-Fi"));
        assert_eq!(m.date.as_deref(), Some("2024-03-02"));
        assert_eq!(m.order, Some(3.0));
        assert_eq!(m.tags, ["réseau"]);
        assert!(m.extra.is_empty(), "{:?}", m.extra);
    }

    #[test]
    fn a_toml_error_names_its_line() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"A\"\nweight = = 3\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{}", e.headline());
        assert!(
            e.message
                .starts_with("the TOML front matter does not parse"),
            "{}",
            e.message
        );
    }

    #[test]
    fn grav_keys_map_to_guichet_and_the_rest_goes_under_extra() {
        let m = map(
            &front(
                "title: Sauvegarde\npublished: false\ntemplate: docs\ntaxonomy:\n  category: [docs, admin]\n  tag: [borg]\nroutes:\n  aliases: [/backup]\n",
            ),
            Format::Grav,
        );
        assert_eq!(m.title.as_deref(), Some("Sauvegarde"));
        assert!(m.draft);
        assert_eq!(m.category.as_deref(), Some("docs"));
        assert_eq!(m.tags, ["borg", "admin"]);
        assert_eq!(m.extra.keys().collect::<Vec<_>>(), ["routes", "template"]);
    }

    #[test]
    fn hugo_and_docusaurus_keys() {
        let m = map(
            &front(
                "title: A\nlastmod: 2024-05-01T08:00:00+02:00\nweight: 2\naliases: [/old/a/]\ncategories: [Réseau]\nmenu: main\n",
            ),
            Format::Hugo,
        );
        assert_eq!(m.updated.as_deref(), Some("2024-05-01T08:00:00+02:00"));
        assert_eq!(
            (m.order, m.aliases.clone()),
            (Some(2.0), vec!["/old/a/".to_string()])
        );
        assert_eq!(m.category.as_deref(), Some("Réseau"));
        assert_eq!(m.extra.keys().collect::<Vec<_>>(), ["menu"]);
        let m = map(
            &front(
                "sidebar_position: 1.5\nsidebar_label: Court\nslug: /x\ndate: 2024-01-02 10:00\n",
            ),
            Format::Docusaurus,
        );
        assert_eq!(m.order, Some(1.5));
        assert_eq!(m.date.as_deref(), Some("2024-01-02"));
        assert_eq!(
            m.extra.keys().collect::<Vec<_>>(),
            ["sidebar_label", "slug"]
        );
        // Obsidian's aliases are other names of a note, not URLs.
        let m = map(&front("aliases: [Wifi]\n"), Format::Obsidian);
        assert!(m.aliases.is_empty());
        assert_eq!(m.extra.keys().collect::<Vec<_>>(), ["aliases"]);
    }
}
