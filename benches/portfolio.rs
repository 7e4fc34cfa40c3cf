//! Portfolio benchmark: what `kind: portfolio` costs a build (the completeness checks, the
//! checklist and the "Préparer l'oral" page). The release binary rebuilds the same site with
//! and without the `kind: portfolio` line, best of 10 rebuilds each: the demo site, and a
//! generated portfolio of 1,000 pages (document metadata, answers, headings, prose, a table
//! and a code block each), where the completeness checks read every page's Markdown.
//!
//! Run with `cargo bench --bench portfolio` (builds the release binary first).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 10;
const DOCUMENTS: [&str; 8] = [
    "planning",
    "presentation-outil",
    "topologie",
    "installation",
    "configuration",
    "cycle-de-vie",
    "tests",
    "procedure-utilisateur",
];
const QUESTIONS: [&str; 9] = [
    "pourquoi-outil",
    "creation-ticket",
    "validation-ticket",
    "ameliorer-cycle",
    "escalade",
    "sla",
    "fermeture-ticket",
    "kpi",
    "communication",
];

#[path = "release.rs"]
mod release;

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = release::release_binary();
    let scratch = std::env::temp_dir().join("guichet-bench-portfolio");
    let _ = fs::remove_dir_all(&scratch);
    let demo = scratch.join("demo");
    for entry in ["guichet.yaml", "content", "workflows", "themes"] {
        copy(&repo.join(entry), &demo.join(entry));
    }
    let generated = scratch.join("generated");
    write_portfolio(&generated, 1_000);
    let sites: [(&str, PathBuf, &str); 2] = [
        ("demo (45 pages)", demo, "content/portfolio/_index.md"),
        ("portfolio of 1,000 pages", generated, "content/_index.md"),
    ];
    for (name, root, index) in sites {
        let with = best_of(&binary, &root);
        let text = fs::read_to_string(root.join(index)).unwrap();
        fs::write(root.join(index), text.replace("kind: portfolio\n", "")).unwrap();
        let without = best_of(&binary, &root);
        println!(
            "build {name:<26}: {:>6.1} ms with kind: portfolio, {:>6.1} ms without, difference {:>5.1} ms (best of {RUNS})",
            with * 1000.0,
            without * 1000.0,
            (with - without) * 1000.0
        );
    }
    let _ = fs::remove_dir_all(&scratch);
}

/// The shortest wall time of `RUNS` rebuilds of `root`, after one build that fills the output.
fn best_of(binary: &Path, root: &Path) -> f64 {
    let build = || {
        let started = Instant::now();
        let status = Command::new(binary)
            .args(["build", "--root"])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("binary starts");
        assert!(status.success(), "build of {} failed", root.display());
        started.elapsed().as_secs_f64()
    };
    build();
    (0..RUNS).map(|_| build()).fold(f64::MAX, f64::min)
}

/// A whole-site portfolio of `pages` pages, each one of the eight documents in turn, with
/// answers, headings, prose, a table and a code block.
fn write_portfolio(root: &Path, pages: usize) {
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("guichet.yaml"), "title: Portfolio\n").unwrap();
    fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Portfolio\nkind: portfolio\nauthors: [Camille Martin]\norganisation: Lycée\n---\n\n## Bonnes pratiques\n\nDocumenter chaque ticket.\n\n## Indicateurs\n\nLe délai moyen.\n",
    )
    .unwrap();
    for i in 0..pages {
        let document = DOCUMENTS[i % DOCUMENTS.len()];
        let answers = QUESTIONS[i % QUESTIONS.len()];
        let body = format!(
            "## Étape {i} : préparer\n\nLe technicien prépare le serveur {i} et vérifie chaque réglage avant de passer à la suite, puis note le résultat dans le ticket.\n\n| Machine | Adresse IP |\n|---|---|\n| SRV-{i} | 192.168.10.{} |\n\n```bash\napt install apache2\n```\n\n## Étape {} : vérifier\n\n- Le service répond.\n- Le journal est propre.\n",
            i % 250 + 1,
            i + 1
        );
        fs::write(
            root.join(format!("content/page-{i:04}.md")),
            format!(
                "---\ntitle: Page {i}\ndocument: {document}\nversion: \"1.{i}\"\nanswers: [{answers}]\n---\n\n{body}"
            ),
        )
        .unwrap();
    }
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap().flatten() {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
    }
}
