//! Code highlighting at build time, without JavaScript.
//!
//! syntect with bat's grammar collection (two-face) covers bash, yaml, ini, php, sql, Apache
//! configuration and many more; PowerShell, missing there, comes from a small grammar of our
//! own in assets/syntaxes/. Output uses CSS classes (`hl-…`), so light, dark and print
//! colours live in the theme's stylesheet instead of inline styles.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::escape::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const POWERSHELL: &str = include_str!("../assets/syntaxes/PowerShell.sublime-syntax");

/// bat's grammars, loaded lazily from two-face's precompiled dump.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Our own grammars, in a set of their own: adding them to bat's set would rebuild and
/// recompress its two hundred grammars at every start.
fn own_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = syntect::parsing::SyntaxSetBuilder::new();
        // The grammar is part of the binary and covered by a test, so failing here is a bug.
        if let Ok(def) = SyntaxDefinition::load_from_str(POWERSHELL, true, Some("PowerShell")) {
            builder.add(def);
        }
        builder.build()
    })
}

/// Identical code blocks recur across pages (the same command in many procedures): their
/// highlighted HTML is computed once per build process. Entries are inserted whole, so a
/// panic elsewhere cannot leave one half-written: a poisoned lock still holds a good cache.
fn cache() -> &'static Mutex<HashMap<(String, String), String>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Finds the grammar for a fence's language word (`bash`, `ps1`, `apache`…) and the set it
/// belongs to, if any.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let lang = lang.to_ascii_lowercase();
    if matches!(lang.as_str(), "powershell" | "pwsh" | "ps" | "ps1") {
        let own = own_syntaxes();
        return own.find_syntax_by_name("PowerShell").map(|s| (s, own));
    }
    let set = syntaxes();
    let name = match lang.as_str() {
        "apache" | "apacheconf" | "httpd" => "Apache Conf",
        "shell" | "console" | "sh" | "zsh" => "Bourne Again Shell (bash)",
        "conf" | "cfg" | "ini" | "dosini" => "INI",
        "yml" => "YAML",
        "mysql" | "mariadb" => "SQL",
        _ => "",
    };
    let found = if name.is_empty() {
        set.find_syntax_by_token(&lang)
    } else {
        set.find_syntax_by_name(name)
    };
    found.map(|s| (s, set))
}

/// The `<pre>` block for `code` in `lang`: highlighted when the language is known, escaped
/// plain text otherwise. Always safe HTML. A long line scrolls the block, so it takes the
/// keyboard focus (WCAG 2.1.1).
pub fn code_block(code: &str, lang: &str) -> String {
    let key = (lang.to_string(), code.to_string());
    if let Some(html) = cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return html.clone();
    }
    let inner = find_syntax(lang)
        .and_then(|(syntax, set)| highlight(code, syntax, set))
        .unwrap_or_else(|| escape(code));
    let lang_attr = escape(lang);
    let html = if lang.is_empty() {
        format!("<pre class=\"code\" tabindex=\"0\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\" tabindex=\"0\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
    };
    cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, html.clone());
    html
}

fn highlight(code: &str, syntax: &SyntaxReference, set: &SyntaxSet) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_known() {
        for lang in ["bash", "powershell", "yaml", "ini", "php", "sql", "apache"] {
            assert!(find_syntax(lang).is_some(), "no grammar for {lang}");
        }
    }

    #[test]
    fn highlights_with_classes() {
        let html = code_block("Restart-Service -Name Spooler # relance\n", "powershell");
        assert!(
            html.contains(
                "<span class=\"hl-support hl-function hl-powershell\">Restart-Service</span>"
            ),
            "{html}"
        );
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.starts_with(
            "<pre class=\"code\" data-lang=\"powershell\" tabindex=\"0\"><code class=\"language-powershell\">"
        ));
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        assert_eq!(
            code_block("<script>alert(1)</script>\n", "brainfuck"),
            "<pre class=\"code\" data-lang=\"brainfuck\" tabindex=\"0\"><code class=\"language-brainfuck\">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn php_is_highlighted() {
        let html = code_block("<?php\n$dbpassword = 'x';\n", "php");
        assert!(html.contains("hl-variable"), "{html}");
        assert!(
            !html.contains("<?php"),
            "raw PHP tag must be escaped: {html}"
        );
    }
}
