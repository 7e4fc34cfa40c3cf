//! The imported pages as a whole: folder pages made from the source's configuration, the
//! orders turned into guichet weights, and each old URL kept once.

use std::collections::{BTreeMap, BTreeSet};

use super::source::Source;
use super::{Leftover, PageOut, front, humanise};

/// The `_index.md` of folders the source titles or orders (Docusaurus `_category_`, MkDocs
/// `nav:` sections, `.pages`) that have no page of their own.
pub(super) fn folder_pages(source: &Source, pages: &[PageOut]) -> Vec<PageOut> {
    let new_of_old_dir = |old: &str| -> Option<String> {
        // The new folder is the one the folder's pages moved to.
        pages.iter().find_map(|p| {
            let rest = p.old.strip_prefix(&format!("{old}/"))?;
            let depth = rest.matches('/').count();
            let new_dir = crate::content::section_of(&p.new);
            let mut dir = new_dir.as_str();
            for _ in 0..depth {
                dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
            }
            (!crate::content::is_section_index(&p.new) || depth > 0).then(|| dir.to_string())
        })
    };
    let existing: BTreeSet<String> = pages
        .iter()
        .filter(|p| crate::content::is_section_index(&p.new))
        .map(|p| crate::content::section_of(&p.new))
        .collect();
    let mut out = Vec::new();
    for (old, meta) in &source.folders {
        if old.is_empty() || (meta.title.is_none() && meta.order.is_none()) {
            continue;
        }
        let Some(new) = new_of_old_dir(old) else {
            continue;
        };
        if new.is_empty()
            || existing.contains(&new)
            || out
                .iter()
                .any(|p: &PageOut| p.new == format!("{new}/_index.md"))
        {
            continue;
        }
        out.push(PageOut {
            old: format!("{old}/"),
            new: format!("{new}/_index.md"),
            title: meta.title.clone().unwrap_or_else(|| humanise(old)),
            mapped: front::Mapped::default(),
            aliases: Vec::new(),
            body: String::new(),
            order: meta.order,
        });
    }
    out
}

/// Orders become guichet weights: in each folder, pages (and subfolders) with an order are
/// numbered 1, 2, 3… in that order; those without keep none (guichet puts them after).
pub(super) fn assign_weights(pages: &mut [PageOut]) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        if page.order.is_none() || page.new == "_index.md" {
            continue;
        }
        let dir = crate::content::section_of(&page.new);
        let parent = if crate::content::is_section_index(&page.new) {
            crate::content::section_of(&dir)
        } else {
            dir
        };
        groups.entry(parent).or_default().push(i);
    }
    for members in groups.values_mut() {
        members.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            pa.order
                .partial_cmp(&pb.order)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| pa.new.cmp(&pb.new))
        });
        for (rank, &i) in members.iter().enumerate() {
            pages[i].order = Some((rank + 1) as f64);
        }
    }
}

/// Keeps each old URL once: not the page's new URL, not another page's URL, not claimed by
/// two pages (the second is listed). Returns how many were kept.
pub(super) fn settle_aliases(
    pages: &mut [PageOut],
    source: &Source,
    leftovers: &mut Vec<Leftover>,
) -> usize {
    let urls: BTreeSet<String> = pages
        .iter()
        .map(|p| crate::content::url_of(&p.new))
        .collect();
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let mut kept = 0;
    for page in pages.iter_mut() {
        let own = crate::content::url_of(&page.new);
        let file = source.root.join(&page.old);
        let mut keep = Vec::new();
        for alias in std::mem::take(&mut page.aliases) {
            let key = match crate::aliases::normalise(&alias) {
                Ok(k) => k,
                Err(_) if alias == "/" => continue,
                Err((message, _)) => {
                    leftovers.push(Leftover {
                        file: file.clone(),
                        line: 1,
                        what: format!("{message}: not kept"),
                    });
                    continue;
                }
            };
            if key == own || keep.contains(&alias) {
                continue;
            }
            if urls.contains(&key) {
                leftovers.push(Leftover {
                    file: file.clone(),
                    line: 1,
                    what: format!(
                        "the old URL `{alias}` is now another page's URL: not kept as an alias"
                    ),
                });
                continue;
            }
            if let Some(first) = claimed.get(&key) {
                leftovers.push(Leftover {
                    file: file.clone(),
                    line: 1,
                    what: format!(
                        "the old URL `{alias}` is already kept for content/{first}: not kept twice"
                    ),
                });
                continue;
            }
            claimed.insert(key, page.new.clone());
            keep.push(alias);
        }
        kept += keep.len();
        page.aliases = keep;
    }
    kept
}
