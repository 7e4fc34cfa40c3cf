//! The `secrets` rule: passwords, API tokens, private keys, connection strings and GLPI's
//! default accounts in what the site publishes: the pages (code blocks included), the files
//! shown by ```` ```include ```` (as shown, after `mask=`) and every file copied into the site,
//! content/'s own and those of the static/ folders.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::scan::PageScan;
use super::{Finding, Lines, finding};
use crate::content;
use crate::diagnostics::Severity;
use crate::embed::mask::mask_values;
use crate::site::Site;
use crate::source_layout::{CONTENT_DIR, STATIC_DIR, theme_static};

const RULE: &str = "secrets";

/// Keys whose value is a secret (compared without case, `_` and `-`).
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "motdepasse",
    "secret",
    "clientsecret",
    "token",
    "apitoken",
    "apptoken",
    "usertoken",
    "accesstoken",
    "authtoken",
    "apikey",
    "privatekey",
    "passphrase",
];

/// GLPI's default accounts, created by its installer: login and password.
const GLPI_DEFAULTS: &[(&str, &str)] = &[
    ("glpi", "glpi"),
    ("tech", "tech"),
    ("normal", "normal"),
    ("post-only", "postonly"),
];

/// Token prefixes of well-known services, with the least length of what follows.
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 30),
    ("gho_", 30),
    ("github_pat_", 30),
    ("glpat-", 20),
    ("xoxb-", 20),
    ("xoxp-", 20),
    ("sk_live_", 20),
    ("AKIA", 16),
    ("AIza", 30),
];

/// Schemes of connection strings that may carry a password (`scheme://user:pass@host`).
const CONNECTION_SCHEMES: &[&str] = &[
    "mysql",
    "mariadb",
    "postgres",
    "postgresql",
    "mongodb",
    "mongodb+srv",
    "redis",
    "amqp",
    "ldap",
    "ldaps",
    "ftp",
    "sftp",
    "smtp",
    "imap",
    "imaps",
    "http",
    "https",
];

/// Finds secrets in the pages, the included files as shown, and the copied files.
pub(crate) fn check(site: &Site, scans: &[PageScan]) -> Vec<Finding> {
    let page_help = "remove it from the page; to show a configuration file, put it in content/ and show it with ```include FILE mask=KEY, which prints ******** in its place";
    let mut found: Vec<Finding> = site
        .pages
        .par_iter()
        .flat_map_iter(|page| scan_text(&page.source.file, &page.source.text, page_help))
        .collect();
    let mut masked = BTreeSet::new();
    for (page, scan) in site.pages.iter().zip(scans) {
        for include in scan
            .code_blocks
            .iter()
            .filter_map(|b| Include::parse(&b.info))
        {
            let Some(target) = content::resolve_relative(&page.source.rel_path, include.file)
            else {
                continue;
            };
            if include.mask.is_empty() {
                continue;
            }
            masked.insert(target.clone());
            let path = Path::new(CONTENT_DIR).join(&target);
            let Ok(text) = std::fs::read_to_string(site.root.join(&path)) else {
                continue;
            };
            let help = format!(
                "add its key to the block's mask in {} (```include {} mask={},KEY)",
                page.source.file.display(),
                include.file,
                include.mask.join(",")
            );
            found.extend(scan_text(&path, &mask_values(&text, &include.mask), &help));
        }
    }
    let copied: Vec<PathBuf> = site
        .assets
        .iter()
        .filter(|a| !masked.contains(*a))
        .map(|a| Path::new(CONTENT_DIR).join(a))
        .collect();
    let copied_help = "this file is copied into the site as it is: show it with ```include FILE mask=KEY instead (it is then not copied), or remove the value";
    found.par_extend(
        copied
            .par_iter()
            .flat_map_iter(|path| scan_file(&site.root, path, copied_help)),
    );
    let statics = published_statics(site);
    let static_help = "this file is published as it is from a static folder: remove the value, or keep the file out of the site";
    found.par_extend(
        statics
            .par_iter()
            .flat_map_iter(|path| scan_file(&site.root, path, static_help)),
    );
    found
}

/// The secrets of the text file at `path` (relative to `root`); binary files have none.
fn scan_file(root: &Path, path: &Path, help: &str) -> Vec<Finding> {
    match std::fs::read(root.join(path)).map(String::from_utf8) {
        Ok(Ok(text)) => scan_text(path, &text, help),
        _ => Vec::new(),
    }
}

/// The files of the site's own static/ folder and of its theme folder's static/, relative
/// to the site root, sorted: the build copies them into the site unchanged.
fn published_statics(site: &Site) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [PathBuf::from(STATIC_DIR), theme_static(&site.config.theme)] {
        collect_files(&site.root, &dir, &mut files);
    }
    files.sort();
    files
}

/// Every file below `root/dir`, as `dir/…`; a missing or unreadable folder adds nothing
/// (the build reports unreadable ones).
fn collect_files(root: &Path, dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = dir.join(entry.file_name());
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(root, &path, into),
            Ok(_) => into.push(path),
            Err(_) => {}
        }
    }
}

/// An ```` ```include FILE … mask=a,b ```` block's file and masked keys.
struct Include<'a> {
    file: &'a str,
    mask: Vec<String>,
}

impl<'a> Include<'a> {
    fn parse(info: &'a str) -> Option<Include<'a>> {
        let mut words = info.split_whitespace();
        if words.next()? != "include" {
            return None;
        }
        let file = words.next()?;
        let mask = words
            .filter_map(|w| w.strip_prefix("mask="))
            .flat_map(|keys| keys.split(','))
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect();
        Some(Include { file, mask })
    }
}

/// The secrets of one file's text, each at its line and column.
fn scan_text(path: &Path, text: &str, help: &str) -> Vec<Finding> {
    let lines = Lines::new(text);
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((at, what)) = secret_in_line(line) {
            found.push(
                finding(
                    RULE,
                    Severity::Error,
                    path,
                    &lines,
                    offset + at,
                    format!("{what} published with the site"),
                )
                .with_help(help),
            );
        }
        offset += line.len();
    }
    found
}

/// The first secret of `line`: its byte offset and what it is.
fn secret_in_line(line: &str) -> Option<(usize, String)> {
    if let Some(at) = line.find("-----BEGIN ")
        && line[at..].contains("PRIVATE KEY")
    {
        return Some((at, "a private key".into()));
    }
    for (prefix, least) in TOKEN_PREFIXES {
        for (at, _) in line.match_indices(prefix) {
            let starts_word = line[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            let tail = line[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .count();
            if starts_word && tail >= *least {
                return Some((at, "an API token".into()));
            }
        }
    }
    if let Some(at) = connection_password(line) {
        return Some((at, "a password in a connection string".into()));
    }
    if let Some((at, key)) = assigned_secret(line) {
        return Some((at, format!("the value of `{key}`")));
    }
    glpi_default_account(line).map(|(at, login)| {
        (
            at,
            format!("GLPI's default account `{login}` with its password"),
        )
    })
}

/// `scheme://user:password@host` with a real password: the offset of the password.
fn connection_password(line: &str) -> Option<usize> {
    for (at, _) in line.match_indices("://") {
        let scheme_start = line[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '+'))
            .map_or(0, |i| i + 1);
        let scheme = line[scheme_start..at].to_ascii_lowercase();
        if !CONNECTION_SCHEMES.contains(&scheme.as_str()) {
            continue;
        }
        let rest = &line[at + 3..];
        let authority = rest
            .split(|c: char| c == '/' || c.is_whitespace() || c == '`' || c == '"' || c == '\'')
            .next()
            .unwrap_or("");
        let Some((credentials, _host)) = authority.rsplit_once('@') else {
            continue;
        };
        let Some((_user, password)) = credentials.split_once(':') else {
            continue;
        };
        if is_real_value(password) {
            return Some(at + 3 + credentials.len() - password.len());
        }
    }
    None
}

/// `key = 'value'`, `key: value`, `"key": "value"`, `$key = "value";` with a secret key and
/// a literal value: the offset of the value and the key.
fn assigned_secret(line: &str) -> Option<(usize, String)> {
    let bytes = line.as_bytes();
    for (op, _) in line.match_indices(['=', ':']) {
        // `==`, `=>`, `::`, `://` are not assignments.
        if matches!(bytes.get(op + 1), Some(b'=' | b'>' | b':' | b'/'))
            || (op > 0 && matches!(bytes[op - 1], b'=' | b'!' | b'<' | b'>' | b':'))
        {
            continue;
        }
        let before = line[..op].trim_end().trim_end_matches(['"', '\'']);
        let key_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .map_or(0, |i| i + c_len(before, i));
        let key = &before[key_start..];
        let last = key.rsplit('.').next().unwrap_or(key);
        let normalised: String = last
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        let is_secret_key = SECRET_KEYS
            .iter()
            .any(|k| normalised == *k || (k.len() > 4 && normalised.ends_with(k)));
        if !is_secret_key {
            continue;
        }
        let after = &line[op + 1..];
        let value_region = after.trim_start();
        let value_at = op + 1 + (after.len() - value_region.len());
        let (value, offset) = match value_region.chars().next() {
            Some(q @ ('"' | '\'')) => match value_region[1..].find(q) {
                Some(end) => (&value_region[1..1 + end], value_at + 1),
                None => continue,
            },
            _ => {
                let end = value_region
                    .find(|c: char| c.is_whitespace() || c == ';' || c == ',')
                    .unwrap_or(value_region.len());
                let bare = &value_region[..end];
                // A variable, a call or an expression is not a literal secret.
                if bare.contains(['(', ')', '$', '{', '[', '<', '%']) {
                    continue;
                }
                (bare, value_at)
            }
        };
        if is_real_value(value) {
            return Some((offset, last.to_string()));
        }
    }
    None
}

fn c_len(s: &str, i: usize) -> usize {
    s[i..].chars().next().map_or(1, char::len_utf8)
}

/// A value that is a real secret rather than a mask, a placeholder or nothing.
fn is_real_value(value: &str) -> bool {
    let v = value.trim();
    let masked = v.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '.'));
    let keyword = matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "none" | "required" | "changeme"
    );
    let placeholder =
        (v.starts_with('<') && v.ends_with('>')) || v.starts_with("${") || v.starts_with("{{");
    v.chars().count() >= 4 && !masked && !keyword && !placeholder
}

/// A GLPI default login next to its password (`glpi/glpi`, `| tech | tech |`,
/// `post-only : postonly`): the offset of the login and the login.
fn glpi_default_account(line: &str) -> Option<(usize, &'static str)> {
    let lower = line.to_ascii_lowercase();
    let words = words_with_offsets(&lower);
    for pair in words.windows(2) {
        let ((a_at, a), (b_at, b)) = (pair[0], pair[1]);
        let between = &lower[a_at + a.len()..b_at];
        let only_separators = between.len() <= 8
            && between
                .chars()
                .all(|c| matches!(c, ' ' | '/' | ':' | '|' | '`' | '*' | '"' | '\'' | '\t'));
        if !only_separators {
            continue;
        }
        if let Some((login, _)) = GLPI_DEFAULTS.iter().find(|(l, p)| *l == a && *p == b) {
            return Some((a_at, login));
        }
    }
    None
}

/// The words (letters, digits and inner hyphens) of `text` with their byte offsets.
fn words_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = c.is_alphanumeric() || (c == '-' && start.is_some());
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, text[s..i].trim_end_matches('-')));
                start = None;
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(line: &str) -> Option<String> {
        secret_in_line(line).map(|(at, what)| format!("{at}: {what}"))
    }

    #[test]
    fn finds_each_kind_of_secret_at_its_offset() {
        assert_eq!(
            what("   public $dbpassword = 'Vx7!qR2m';"),
            Some("25: the value of `dbpassword`".into())
        );
        assert_eq!(
            what("DB_PASSWORD=hunter22"),
            Some("12: the value of `DB_PASSWORD`".into())
        );
        assert_eq!(
            what("  \"api_token\": \"abcd1234efgh\","),
            Some("16: the value of `api_token`".into())
        );
        assert_eq!(
            what("url: mysql://glpi:S3cret@db/glpi"),
            Some("18: a password in a connection string".into())
        );
        assert_eq!(
            what("-----BEGIN OPENSSH PRIVATE KEY-----"),
            Some("0: a private key".into())
        );
        assert_eq!(
            what("token ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            Some("6: an API token".into())
        );
        assert_eq!(
            what("| `post-only` | `postonly` | Self-Service |"),
            Some("3: GLPI's default account `post-only` with its password".into())
        );
        assert_eq!(
            what("Connectez-vous avec glpi/glpi."),
            Some("20: GLPI's default account `glpi` with its password".into())
        );
    }

    #[test]
    fn masks_placeholders_variables_and_prose_are_not_secrets() {
        for fine in [
            "   public $dbpassword = '********';",
            "password: <votre mot de passe>",
            "$dbpassword = $config['x'];",
            "Le mot de passe : à définir avec l'utilisateur.",
            "password_hash($x) == $y",
            "https://support.ateliers-morel.fr/front/ticket.php",
            "le compte glpi de la base glpi",
            "token: ${GLPI_TOKEN}",
            "Dans **Mot de passe**, tapez votre mot de passe Windows.",
        ] {
            assert_eq!(what(fine), None, "{fine}");
        }
    }
}
