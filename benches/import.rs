//! `guichet import markdown` benchmark: the release binary imports a generated Grav site
//! shaped like the knowledge base of issue 24 (312 pages in numbered folders, the CMS's own
//! front-matter keys, `routes:` aliases, notices, Twig, links to the old URLs) and a
//! generated 2,000-page MkDocs site (nav:, admonitions, relative links with anchors), then
//! builds each imported site. Prints the first import (every file created), the best of 3
//! re-imports (every file unchanged) and the best of 3 builds.
//!
//! Run with `cargo bench --bench import` (builds the release binary first).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 3;

#[path = "release.rs"]
mod release;

fn main() {
    let binary = release::release_binary();
    let scratch = std::env::temp_dir().join("guichet-bench-import");
    let _ = fs::remove_dir_all(&scratch);
    let grav = scratch.join("grav");
    write_grav(&grav, 24, 13);
    let mkdocs = scratch.join("mkdocs");
    write_mkdocs(&mkdocs, 40, 50);
    for (name, src) in [("grav, 312 pages", grav), ("mkdocs, 2,000 pages", mkdocs)] {
        let site = scratch.join(format!(
            "site-{}",
            src.file_name().unwrap().to_string_lossy()
        ));
        fs::create_dir_all(&site).unwrap();
        let import = |quiet: bool| {
            let started = Instant::now();
            let ok = Command::new(&binary)
                .args(["import", "markdown"])
                .arg(&src)
                .arg("--into")
                .arg(site.join("content"))
                .stdout(Stdio::null())
                .stderr(if quiet {
                    Stdio::null()
                } else {
                    Stdio::inherit()
                })
                .status()
                .expect("binary starts")
                .success();
            assert!(ok, "{name}: the import or the imported site's build failed");
            started.elapsed().as_secs_f64()
        };
        let first = import(false);
        let again = (0..RUNS).map(|_| import(true)).fold(f64::MAX, f64::min);
        let build = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let ok = Command::new(&binary)
                    .args(["build", "--root"])
                    .arg(&site)
                    .stdout(Stdio::null())
                    .status()
                    .expect("binary starts")
                    .success();
                assert!(ok, "{name}: build failed");
                started.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min);
        println!(
            "import {name:<20}: first {:>6.0} ms, again {:>6.0} ms (best of {RUNS}), build {:>6.0} ms (best of {RUNS}); each import includes its check build",
            first * 1000.0,
            again * 1000.0,
            build * 1000.0
        );
    }
    let _ = fs::remove_dir_all(&scratch);
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A Grav site: `sections` numbered folders of `pages` numbered pages each.
fn write_grav(root: &Path, sections: usize, pages: usize) {
    let pages_dir = root.join("user/pages");
    write(
        &root.join("user/config/site.yaml"),
        "title: Base de connaissances\n",
    );
    write(
        &pages_dir.join("01.home/default.md"),
        "---\ntitle: Accueil\n---\n\nBienvenue.\n",
    );
    for s in 0..sections {
        let section = format!("{:02}.rubrique-{s}", s + 2);
        write(
            &pages_dir.join(&section).join("chapter.md"),
            &format!(
                "---\ntitle: Rubrique {s}\ntaxonomy:\n    category: [docs]\n---\n\nLes fiches de la rubrique {s}.\n"
            ),
        );
        for p in 0..pages {
            let mut body = String::new();
            let next = (p + 1) % pages;
            let _ = write!(
                body,
                "---\ntitle: Fiche {s}-{p}\ntemplate: docs\ntaxonomy:\n    category: [docs]\n    tag: [poste, réseau]\nroutes:\n    aliases: ['/ancien/{s}/{p}']\nmenu: Fiche {p}\n---\n\n! Vérifiez la sauvegarde avant de commencer.\n\n"
            );
            for step in 0..6 {
                let _ = write!(
                    body,
                    "## Étape {step}\n\nOuvrez le poste, lancez la commande et notez le résultat. Voir la [fiche suivante](/rubrique-{s}/fiche-{next}) et l'[ancienne adresse](/ancien/{s}/{next}).\n\n```bash\nsudo systemctl restart service-{step}\n```\n\n"
                );
            }
            body.push_str("!!!! C'est terminé.\n\n{{ page.title }}\n");
            write(
                &pages_dir
                    .join(&section)
                    .join(format!("{:02}.fiche-{p}", p + 1))
                    .join("docs.md"),
                &body,
            );
        }
    }
}

/// An MkDocs site: `folders` folders of `pages` pages, all in `nav:`.
fn write_mkdocs(root: &Path, folders: usize, pages: usize) {
    let mut nav = String::from("site_name: Documentation\nnav:\n  - index.md\n");
    write(
        &root.join("docs/index.md"),
        "# Documentation\n\nBienvenue.\n",
    );
    for f in 0..folders {
        let _ = writeln!(nav, "  - Dossier {f}:");
        for p in 0..pages {
            let rel = format!("dossier-{f}/page-{p}.md");
            let _ = writeln!(nav, "      - {rel}");
            let next = (p + 1) % pages;
            let mut body = format!("# Page {f}-{p}\n\n");
            for section in 0..5 {
                let _ = write!(
                    body,
                    "## Partie {section}_{p}\n\n!!! note \"À savoir\"\n    Ce réglage s'applique à tous les postes.\n\nVoir [la suite](page-{next}.md#partie-{section}_{next}).\n\n"
                );
            }
            write(&root.join("docs").join(rel), &body);
        }
    }
    write(&root.join("mkdocs.yml"), &nav);
}
