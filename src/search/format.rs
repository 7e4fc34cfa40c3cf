//! Text and JSON renderings of search results for the `guichet search` command.

use super::query::{Hit, Results};

/// [`format_hits_text`] preceded by the "did you mean" line when there is a suggestion.
pub fn format_results_text(results: &Results) -> String {
    match &results.suggestion {
        Some(suggestion) => format!(
            "Vouliez-vous dire : {suggestion} ?\n{}",
            format_hits_text(&results.hits)
        ),
        None => format_hits_text(&results.hits),
    }
}

/// One numbered result per paragraph: title and heading, URL, section and excerpt, then the
/// page's other matching sections.
pub fn format_hits_text(hits: &[Hit]) -> String {
    if hits.is_empty() {
        return "Aucun résultat.\n".to_string();
    }
    let mut out = String::new();
    for (rank, hit) in hits.iter().enumerate() {
        let heading = if hit.heading.is_empty() {
            String::new()
        } else {
            format!(" › {}", hit.heading)
        };
        out.push_str(&format!(
            "{}. {}{heading}  ({:.2})\n",
            rank + 1,
            hit.title,
            hit.score
        ));
        out.push_str(&format!("   {}\n", hit.url));
        let context = [hit.section.as_str(), hit.excerpt.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        if !context.is_empty() {
            out.push_str(&format!("   {context}\n"));
        }
        for more in &hit.more {
            out.push_str(&format!("   ↳ {} ({})\n", more.heading, more.url));
        }
    }
    out
}

/// The results as a pretty-printed JSON array of objects (`url`, `title`, `section`,
/// `heading`, `score`, `excerpt`, `language`, `more`: the page's other matching sections).
pub fn format_hits_json(hits: &[Hit]) -> String {
    let mut text = serde_json::to_string_pretty(hits).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}
