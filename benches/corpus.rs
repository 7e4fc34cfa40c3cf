//! Generated corpora for the benchmarks: procedure-like Markdown pages in French and English.

use std::fs;
use std::path::Path;

const FR_WORDS: &[&str] = &[
    "imprimante",
    "réseau",
    "poste",
    "redémarrer",
    "vérifier",
    "le",
    "la",
    "les",
    "du",
    "de",
    "service",
    "utilisateur",
    "ticket",
    "technicien",
    "mot",
    "passe",
    "session",
    "serveur",
    "l'application",
    "messagerie",
    "sauvegarde",
    "pilote",
    "mise",
    "à",
    "jour",
    "connexion",
    "Wi-Fi",
    "VPN",
    "écran",
    "clavier",
    "dossier",
    "partagé",
    "droits",
    "accès",
];
const EN_WORDS: &[&str] = &[
    "printer",
    "network",
    "workstation",
    "restart",
    "check",
    "the",
    "a",
    "of",
    "service",
    "user",
    "ticket",
    "technician",
    "password",
    "session",
    "server",
    "application",
    "mailbox",
    "backup",
    "driver",
    "update",
    "connection",
    "screen",
    "keyboard",
    "shared",
    "folder",
    "rights",
    "access",
    "queue",
    "spooler",
    "error",
];

/// A small deterministic generator (xorshift), so corpora are identical run to run.
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
    if let Some(first) = s.first_mut() {
        *first = words[rng.below(words.len())];
    }
    let mut out = s.join(" ");
    if let Some(c) = out.get(0..1) {
        out = c.to_uppercase() + &out[1..];
    }
    out + "."
}

/// One procedure page: front matter, intro, three steps with numbered lists, a code block.
pub fn page(rng: &mut Rng, i: usize) -> String {
    let english = i % 4 == 3;
    let words = if english { EN_WORDS } else { FR_WORDS };
    let (step, lang) = if english {
        ("Step", "en")
    } else {
        ("Étape", "fr")
    };
    let mut s = format!(
        "---\ntitle: \"{} {i}\"\ndescription: \"{}\"\ndate: 2025-{:02}-{:02}\ntags: [procedure, {}]\nlanguage: {lang}\nweight: {i}\n---\n\n{}\n\n",
        sentence(rng, words, 4).trim_end_matches('.'),
        sentence(rng, words, 10),
        1 + i % 12,
        1 + i % 28,
        words[rng.below(words.len())].replace('\'', ""),
        sentence(rng, words, 30),
    );
    for k in 1..=3 {
        s.push_str(&format!(
            "## {step} {k} : {}\n\n",
            sentence(rng, words, 3).trim_end_matches('.')
        ));
        for n in 1..=4 {
            s.push_str(&format!("{n}. {}\n", sentence(rng, words, 12)));
        }
        s.push('\n');
        if k == 2 {
            let code = match i % 3 {
                0 => format!(
                    "```bash\nsudo systemctl restart apache2\njournalctl -u apache2 --since \"-{} min\"\n```\n\n",
                    1 + i % 50
                ),
                1 => format!(
                    "```powershell\nRestart-Service -Name Spooler\nGet-Printer | Where-Object Name -like \"*{}*\"\n```\n\n",
                    i % 40
                ),
                _ => format!(
                    "```sql\nSELECT id, name, status FROM glpi_tickets WHERE id = {i};\n```\n\n"
                ),
            };
            s.push_str(&code);
        }
        s.push_str(&format!("> [!TIP]\n> {}\n\n", sentence(rng, words, 14)));
    }
    s
}

/// Writes a site of `pages` pages under `dir`: 20 sections of up to 10 subsections of 50 pages,
/// the shape of a large knowledge base.
pub fn write_site(dir: &Path, pages: usize) {
    fs::create_dir_all(dir.join("content")).expect("temp dir is writable");
    fs::write(dir.join("guichet.yaml"), "title: Corpus\nlanguage: fr\n").expect("write config");
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Corpus\n---\nAccueil.\n",
    )
    .expect("write home");
    write_procedure_sections(dir, pages);
}

/// Writes a knowledge base mixing procedures and resolved tickets, half and half: the
/// ticket site of [`write_ticket_site`] with the procedure sections of [`write_site`] beside
/// its tickets/ folder, the shape of a large company's knowledge base with its ticket history.
pub fn write_mixed_site(dir: &Path, pages: usize) {
    write_ticket_site(dir, pages - pages / 2);
    write_procedure_sections(dir, pages / 2);
}

/// The procedure pages of [`write_site`], without the configuration and the home page.
fn write_procedure_sections(dir: &Path, pages: usize) {
    let mut rng = Rng::new(42);
    for i in 0..pages {
        let (top, sub) = ((i / 50) % 20, i / 1000);
        let top_dir = dir.join("content").join(format!("section-{top:02}"));
        let sub_dir = top_dir.join(format!("sous-section-{sub:02}"));
        if !sub_dir.exists() {
            fs::create_dir_all(&sub_dir).expect("mkdir");
            fs::write(
                top_dir.join("_index.md"),
                format!("---\ntitle: Section {top}\nweight: {top}\n---\nProcédures.\n"),
            )
            .expect("write section");
            fs::write(
                sub_dir.join("_index.md"),
                format!("---\ntitle: Sous-section {top}.{sub}\nweight: {sub}\n---\nProcédures.\n"),
            )
            .expect("write subsection");
        }
        fs::write(sub_dir.join(format!("page-{i:05}.md")), page(&mut rng, i)).expect("write page");
    }
}

/// GLPI-style ticket categories of the generated tickets.
pub const CATEGORIES: &[&str] = &[
    "Réseau > Wi-Fi",
    "Réseau > Internet",
    "Messagerie > Outlook",
    "Impression > Imprimante",
    "Logiciel > ERP",
    "Poste de travail > Démarrage",
    "Comptes > Création",
    "Téléphonie > Poste fixe",
];

/// The incident lifecycle's step ids a resolved ticket walks, as in the demo's write-ups.
const INCIDENT_PATH: &str =
    "[debut, declarer, ticket, qualifier, complet, niveau1, resoudre, solution, accepte, fin]";

/// One resolved-ticket write-up: GLPI front matter (dates 15 minutes apart from ticket to
/// ticket, a related ticket, the incident workflow path) and the seven French body sections.
pub fn ticket(rng: &mut Rng, i: usize) -> String {
    let opened = 1_767_600_000 + i as i64 * 900; // 2026-01-05 08:00 UTC, then every 15 min
    let owned = opened + 60 * (1 + rng.below(120) as i64);
    let solved = owned + 60 * (10 + rng.below(2_000) as i64);
    let closed = solved + 3_600 * (1 + rng.below(48) as i64);
    let related = if i > 0 {
        format!("related: [{}]\n", 1 + rng.below(i))
    } else {
        String::new()
    };
    let mut s = format!(
        "---\nid: {}\nname: \"{}\"\ntype: incident\ncategory: {}\nurgency: {}\nimpact: {}\n\
         status: closed\nrequesttype: helpdesk\ndate: {}\ntakeintoaccountdate: {}\n\
         solvedate: {}\nclosedate: {}\nlevel: N1\nsatisfaction: {}\n{related}\
         workflow: incident\npath: {INCIDENT_PATH}\ntags: [{}]\n---\n\n",
        i + 1,
        sentence(rng, FR_WORDS, 6)
            .trim_end_matches('.')
            .replace('"', ""),
        CATEGORIES[rng.below(CATEGORIES.len())],
        1 + rng.below(5),
        1 + rng.below(5),
        timestamp(opened),
        timestamp(owned),
        timestamp(solved),
        timestamp(closed),
        1 + rng.below(5),
        FR_WORDS[rng.below(FR_WORDS.len())].replace('\'', ""),
    );
    for heading in [
        "Symptômes",
        "Diagnostic",
        "Cause",
        "Résolution",
        "Vérification",
        "Prévention",
        "Réponse à l'utilisateur",
    ] {
        s.push_str(&format!(
            "## {heading}\n\n{}\n\n",
            sentence(rng, FR_WORDS, 25)
        ));
    }
    s
}

/// `YYYY-MM-DD HH:MM`, the format of the write-ups' dates.
fn timestamp(seconds: i64) -> String {
    guichet::tickets::Timestamp(seconds).display()
}

/// Writes a knowledge base of `count` resolved tickets under `dir`: content/tickets/ with the
/// demo's incident workflow and SLA grid, the shape of a service desk after a few years.
pub fn write_ticket_site(dir: &Path, count: usize) {
    let tickets = dir.join("content/tickets");
    fs::create_dir_all(&tickets).expect("temp dir is writable");
    fs::create_dir_all(dir.join("workflows")).expect("temp dir is writable");
    fs::write(
        dir.join("guichet.yaml"),
        "title: Tickets\nlanguage: fr\nsla:\n  1: {tto: 8h, ttr: 40h}\n  2: {tto: 4h, ttr: 24h}\n  \
         3: {tto: 2h, ttr: 16h}\n  4: {tto: 1h, ttr: 8h}\n  5: {tto: 30m, ttr: 4h}\n  6: {tto: 15m, ttr: 2h}\n",
    )
    .expect("write config");
    // The demo's lifecycles, without their links to demo pages this corpus does not have.
    for name in ["incident.yaml", "escalade.yaml"] {
        let yaml = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("workflows")
                .join(name),
        )
        .expect("read a demo workflow");
        let unlinked: String = yaml
            .lines()
            .filter(|line| !line.trim_start().starts_with("link:"))
            .map(|line| format!("{line}\n"))
            .collect();
        fs::write(dir.join("workflows").join(name), unlinked).expect("write workflow");
    }
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Tickets\n---\nAccueil.\n",
    )
    .expect("write home");
    fs::write(
        tickets.join("_index.md"),
        "---\ntitle: Tickets résolus\n---\nBase de connaissances.\n",
    )
    .expect("write section");
    let mut rng = Rng::new(7);
    for i in 0..count {
        fs::write(
            tickets.join(format!("{:05}.md", i + 1)),
            ticket(&mut rng, i),
        )
        .expect("write ticket");
    }
}

/// The generator that writes the same corpus as a guichet site and a Hugo site.
const GEN_MD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/gen_md.py");

/// Writes ../shared/bench/gen_md.py's corpus of 10,000 pages in one section into `dir`
/// (`dir/guichet` and `dir/hugo`); false, with a line saying so, when the generator did not
/// run.
pub fn write_one_section_corpus(dir: &Path) -> bool {
    let _ = fs::remove_dir_all(dir);
    let generated = std::process::Command::new("python3")
        .arg(GEN_MD)
        .arg("10000")
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status();
    let ran = generated.is_ok_and(|s| s.success());
    if !ran {
        println!("one section of 10,000 pages: {GEN_MD} did not run, not measured");
    }
    ran
}
