//! `guichet import glpi` benchmark: the release binary imports a generated 100,000-row CSV
//! export of GLPI's ticket list (French headers, quoted multi-line cells, CRLF, a few cells
//! with `&` or `<`): first import (100,000 files created), second import (all unchanged), and a
//! first import with `--anonymise`. Prints the wall time and the peak resident memory of each
//! (the child's maximum RSS from getrusage). Target: under 3 s and 500 MB.
//!
//! Run with `cargo bench --bench import_glpi` (builds the release binary first).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const ROWS: usize = 100_000;

#[path = "release.rs"]
mod release;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = release::release_binary();
    let work = root.join("target/bench-import-glpi");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let csv = work.join("tickets.csv");
    std::fs::write(&csv, export(ROWS)).unwrap();
    let megabytes = std::fs::metadata(&csv).unwrap().len() as f64 / 1e6;
    println!("import glpi: {ROWS} rows, {megabytes:.1} MB of CSV");
    let into = work.join("tickets");
    let cases: [(&str, &[&str], bool); 3] = [
        ("first import", &[], true),
        ("second import (unchanged)", &[], false),
        ("first import --anonymise", &["--anonymise"], true),
    ];
    for (name, extra, fresh) in cases {
        if fresh {
            let _ = std::fs::remove_dir_all(&into);
        }
        let (seconds, peak_kb) = run(&binary, &csv, &into, extra);
        println!(
            "{name:<28}: {:>6.0} ms, peak {:>5.0} MB",
            seconds * 1000.0,
            peak_kb as f64 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// Wall time and peak RSS (kB) of one import.
fn run(binary: &Path, csv: &Path, into: &PathBuf, extra: &[&str]) -> (f64, i64) {
    let started = Instant::now();
    let status = Command::new(binary)
        .args(["import", "glpi"])
        .arg(csv)
        .arg("--into")
        .arg(into)
        .args(extra)
        .env("GUICHET_ANONYMISE_KEY", "clé du banc d'essai, assez longue")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("binary starts");
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.success(), "import failed");
    // The largest RSS of any child waited for so far: each case is larger than or equal to
    // the one before only if it really is, as the first case is the largest in practice; the
    // note reports each as measured.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    (seconds, usage.ru_maxrss)
}

/// A GLPI ticket-list export of `rows` tickets, as GLPI 10/11 writes it.
fn export(rows: usize) -> String {
    const STATUSES: [&str; 4] = ["Clos", "Résolu", "En cours (attribué)", "En attente"];
    const LEVELS: [&str; 5] = ["Très basse", "Basse", "Moyenne", "Haute", "Très haute"];
    const CATEGORIES: [&str; 4] = [
        "Réseau > Wi-Fi",
        "Impression > Imprimante",
        "Comptes > Création",
        "Logiciels > ERP",
    ];
    let mut out = String::with_capacity(rows * 420);
    out.push_str("\"ID\";\"Titre\";\"Statut\";\"Date d'ouverture\";\"Priorité\";\"Urgence\";\"Impact\";\"Type\";\"Source de la demande\";\"Demandeur - Demandeur\";\"Attribué à - Technicien\";\"Catégorie\";\"Date de résolution\";\"Date de clôture\";\"Description\";\"Solution - Solution\"\r\n");
    for i in 0..rows {
        let status = STATUSES[i % 4];
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let (solve, close) = match status {
            "Clos" => (
                format!("{day:02}-{month:02}-2025 16:00"),
                format!("{day:02}-{month:02}-2025 18:00"),
            ),
            "Résolu" => (format!("{day:02}-{month:02}-2025 16:00"), String::new()),
            _ => (String::new(), String::new()),
        };
        let description = match i % 10 {
            0 => {
                format!("Le service R&D signale : l'application <ERP> ne démarre plus (poste {i}).")
            }
            _ => format!(
                "Bonjour,\nle poste n°{i} du service {} ne répond plus depuis ce matin.\nMerci de rappeler l'utilisateur.",
                CATEGORIES[i % 4]
            ),
        };
        let _ = write!(
            out,
            "\"{}\";\"Incident {} sur le poste {}\";\"{status}\";\"{day:02}-{month:02}-2025 09:{:02}\";\"{}\";\"{}\";\"{}\";\"Incident\";\"Helpdesk\";\"Utilisateur {}\";\"Technicien {}\";\"{}\";\"{solve}\";\"{close}\";\"{description}\";\"Redémarrage du service et vérification avec l'utilisateur.\"\r\n",
            10_000 + i,
            i % 97,
            i,
            i % 60,
            LEVELS[i % 5],
            LEVELS[(i / 5) % 5],
            LEVELS[(i / 25) % 5],
            i % 800,
            i % 12,
            CATEGORIES[i % 4],
        );
    }
    out
}
