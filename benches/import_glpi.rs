//! `guichet import glpi` benchmark: the release binary imports a generated 100,000-row CSV
//! export of GLPI's ticket list (French headers, quoted multi-line cells, CRLF, a few cells
//! with `&` or `<`): first import (100,000 files created), second import (all unchanged), and a
//! first import with `--anonymise`, each `RUNS` times (`-- --runs N` to change it). Prints
//! the median and the range of each case's wall time and of its peak resident memory (the
//! child's own maximum RSS, from wait4). Target: under 3 s and 500 MB.
//!
//! Every first import writes into a folder of its own, and the folders are deleted only at
//! the end: on ext4 without a journal (this VM), files created in the minutes after tens of
//! thousands were deleted cost several times more (each new inode is checked against the
//! recently deleted ones), which would measure the file system's memory of the previous
//! case rather than the import.
//!
//! Run with `cargo bench --bench import_glpi` (builds the release binary first).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ROWS: usize = 100_000;
const RUNS: usize = 3;

#[path = "release.rs"]
mod release;

fn main() {
    let runs = runs();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = release::release_binary();
    let work = root.join("target/bench-import-glpi");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let csv = work.join("tickets.csv");
    std::fs::write(&csv, export(ROWS)).unwrap();
    let megabytes = std::fs::metadata(&csv).unwrap().len() as f64 / 1e6;
    println!("import glpi: {ROWS} rows, {megabytes:.1} MB of CSV, {runs} runs");
    let mut cases: [(&str, Vec<(f64, f64)>); 3] = [
        ("first import", Vec::new()),
        ("second import (unchanged)", Vec::new()),
        ("first import --anonymise", Vec::new()),
    ];
    for run_index in 0..runs {
        let plain = work.join(format!("tickets-{run_index}"));
        let anonymised = work.join(format!("anonymised-{run_index}"));
        cases[0].1.push(run(&binary, &csv, &plain, &[]));
        cases[1].1.push(run(&binary, &csv, &plain, &[]));
        cases[2]
            .1
            .push(run(&binary, &csv, &anonymised, &["--anonymise"]));
    }
    for (name, samples) in &cases {
        let (seconds, megabytes) = figures(samples);
        println!("{name:<28}: {seconds}, peak {megabytes}");
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// `-- --runs N`, or [`RUNS`].
fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(RUNS)
}

/// "median s (min–max)" of the times and "median MB (min–max)" of the peaks.
fn figures(samples: &[(f64, f64)]) -> (String, String) {
    let summary = |mut values: Vec<f64>, unit: &str, scale: f64, digits: usize| {
        values.sort_by(f64::total_cmp);
        let median = values[values.len() / 2] * scale;
        let (low, high) = (values[0] * scale, values[values.len() - 1] * scale);
        format!("{median:.digits$} {unit} ({low:.digits$}–{high:.digits$})")
    };
    (
        summary(samples.iter().map(|s| s.0).collect(), "s", 1.0, 2),
        summary(samples.iter().map(|s| s.1).collect(), "MB", 1.0, 0),
    )
}

/// Wall time (s) and peak RSS (MB) of one import: the child's own figures, from wait4 (the
/// cumulated RUSAGE_CHILDREN would also count the cargo build run first).
fn run(binary: &Path, csv: &Path, into: &Path, extra: &[&str]) -> (f64, f64) {
    let started = Instant::now();
    // Reaped by wait4 below, which also gives its resource usage (Child::wait does not).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(binary)
        .args(["import", "glpi"])
        .arg(csv)
        .arg("--into")
        .arg(into)
        .args(extra)
        .env("GUICHET_ANONYMISE_KEY", "clé du banc d'essai, assez longue")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "import failed"
    );
    (seconds, usage.ru_maxrss as f64 / 1024.0)
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
