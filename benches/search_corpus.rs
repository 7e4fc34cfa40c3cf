//! A deterministic generated knowledge base for the search benchmark: French (70 %) and
//! English (30 %) service-desk write-ups with headings, code blocks, error codes, KB numbers,
//! host names and addresses, and a long tail of rare words like real documentation.

use std::collections::BTreeMap;

use guichet::search::{SearchBlock, SearchDoc};

/// xorshift64*: a tiny deterministic generator (no dependency, same corpus on every machine).
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Index skewed towards the start of a list (word frequencies follow a power law).
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n
    }
}

const FR_COMMON: &str = "le la les de des du un une et ou à au aux en dans sur pour par avec ce cette \
    ces qui que est sont il elle on vous nous ne pas plus puis si alors lorsque après avant depuis \
    vérifier ouvrir fermer redémarrer relancer installer configurer supprimer ajouter modifier \
    contrôler tester valider envoyer recevoir bloquer débloquer réinitialiser sauvegarder restaurer \
    imprimante imprimantes réseau serveur serveurs poste postes utilisateur utilisateurs compte \
    comptes mot passe messagerie courriel boîte dossier fichier fichiers partage lecteur pilote \
    pilotes service services spouleur impression écran clavier souris câble prise switch routeur \
    pare-feu adresse connexion connexions accès droits groupe stratégie session ticket tickets \
    incident incidents demande demandes technicien techniciens responsable niveau escalade \
    solution solutions cause causes erreur erreurs message messages code journal journaux \
    événement événements mise jour mises version logiciel logiciels application applications \
    licence licences sauvegarde sauvegardes disque disques mémoire processeur batterie portable \
    portables téléphone téléphonie wifi borne antenne vlan domaine annuaire certificat navigateur \
    proxy vpn distance bureau impressionnante lente lent bloqué bloquée hors ligne panne délai \
    priorité urgence impact client clients contrat procédure étape étapes capture résolu clos \
    attente validation rapidement ensuite enfin toujours jamais souvent parfois chaque plusieurs";

const EN_COMMON: &str = "the a an of to and or in on for with by from is are be not then if when after \
    before check open close restart reboot install configure remove add change test validate send \
    receive block unblock reset backup restore printer printers network server servers workstation \
    user users account accounts password mail mailbox folder file files share drive driver drivers \
    service services spooler print screen keyboard mouse cable switch router firewall address \
    connection access rights group policy session ticket tickets incident incidents request \
    requests technician technicians manager level escalation solution solutions cause error errors \
    message messages code log logs event events update updates version software application \
    applications license backup backups disk memory battery laptop phone wireless access point \
    vlan domain directory certificate browser proxy vpn remote desktop slow offline outage delay \
    priority urgent impact customer contract procedure step steps screenshot resolved closed \
    pending approval quickly then finally always never often sometimes each several";

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ter", "va", "zon", "pri", "sel", "dor", "fa", "gu", "ni", "ro", "bel",
    "tan", "vix", "qua", "sto", "ren", "mar", "lin", "pho", "dex", "ul",
];

fn rare_word(random: &mut Random) -> String {
    let id = random.skewed(40_000);
    let mut n = id;
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    word.push_str(&format!("{}", id % 7));
    word.retain(|c| c.is_ascii_alphabetic());
    word
}

fn identifier(random: &mut Random) -> String {
    match random.below(6) {
        0 => format!("0x8007{:04x}", random.below(0x400)),
        1 => format!("KB50{:05}", random.below(5000)),
        2 => format!(
            "srv-{}{:02}",
            ["ad", "glpi", "file", "print", "mail"][random.below(5)],
            random.below(20)
        ),
        3 => format!("192.168.{}.{}", random.below(40), random.below(250)),
        4 => format!(
            "{}.{}",
            ["config_db", "settings", "backup", "install", "agent"][random.below(5)],
            ["php", "yaml", "ps1", "log"][random.below(4)]
        ),
        _ => [
            "Restart-Service",
            "Get-ADUser",
            "gpupdate",
            "ipconfig",
            "Test-NetConnection",
        ][random.below(5)]
        .to_string(),
    }
}

fn sentence(random: &mut Random, words: &[&str], length: usize) -> String {
    let mut out: Vec<String> = Vec::with_capacity(length);
    for _ in 0..length {
        let roll = random.below(100);
        if roll < 6 {
            out.push(rare_word(random));
        } else if roll < 8 {
            out.push(identifier(random));
        } else {
            out.push(words[random.skewed(words.len())].to_string());
        }
    }
    let mut text = out.join(" ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text + "."
}

fn title(random: &mut Random, words: &[&str], topics: &[&str]) -> String {
    let topic = topics[random.below(topics.len())];
    let extra: Vec<&str> = (0..2 + random.below(3))
        .map(|_| words[40 + random.skewed(words.len() - 40)])
        .collect();
    let mut text = format!("{topic} {}", extra.join(" "));
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

/// The `count` pages of the benchmark corpus.
pub fn generate(count: usize) -> Vec<SearchDoc> {
    let fr: Vec<&str> = FR_COMMON.split_whitespace().collect();
    let en: Vec<&str> = EN_COMMON.split_whitespace().collect();
    let fr_topics = [
        "imprimante",
        "réseau",
        "compte",
        "messagerie",
        "poste",
        "serveur",
        "sauvegarde",
        "logiciel",
        "téléphonie",
        "sécurité",
    ];
    let en_topics = [
        "printer",
        "network",
        "account",
        "mail",
        "workstation",
        "server",
        "backup",
        "software",
        "phone",
        "security",
    ];
    let sections = [
        "Base de connaissances",
        "Procédures",
        "Utilisateurs",
        "Portfolio",
    ];
    let mut random = Random::new(0x5eed_cafe);
    (0..count)
        .map(|n| {
            let english = random.below(10) < 3;
            let (words, topics, language) = if english {
                (&en, &en_topics, "en")
            } else {
                (&fr, &fr_topics, "fr")
            };
            let title = title(&mut random, words, topics);
            let blocks: Vec<SearchBlock> = (0..3 + random.below(4))
                .map(|b| {
                    let heading = if b == 0 {
                        String::new()
                    } else {
                        let length = 3 + random.below(3);
                        title_case(&sentence(&mut random, words, length))
                    };
                    let text: Vec<String> = (0..3 + random.below(4))
                        .map(|_| {
                            let length = 8 + random.below(10);
                            sentence(&mut random, words, length)
                        })
                        .collect();
                    let code = if random.below(4) == 0 {
                        (0..2 + random.below(4))
                            .map(|_| identifier(&mut random))
                            .collect::<Vec<_>>()
                            .join("\n")
                    } else {
                        String::new()
                    };
                    SearchBlock {
                        anchor: if b == 0 {
                            String::new()
                        } else {
                            format!("section-{b}")
                        },
                        heading,
                        level: if b == 0 { 0 } else { 2 },
                        text: text.join(" "),
                        code,
                    }
                })
                .collect();
            let section = sections[random.below(sections.len())].to_string();
            let mut facets = BTreeMap::new();
            facets.insert("section".to_string(), vec![section.clone()]);
            facets.insert("language".to_string(), vec![language.to_string()]);
            facets.insert(
                "type".to_string(),
                vec![["incident", "demande", "procédure"][random.below(3)].to_string()],
            );
            facets.insert(
                "audience".to_string(),
                vec![["utilisateur", "technicien"][random.below(2)].to_string()],
            );
            facets.insert(
                "priority".to_string(),
                vec![format!("P{}", 1 + random.below(4))],
            );
            facets.insert(
                "category".to_string(),
                vec![format!(
                    "{} > {}",
                    topics[random.below(topics.len())],
                    words[40 + random.below(40)]
                )],
            );
            facets.insert(
                "tags".to_string(),
                (0..1 + random.below(3))
                    .map(|_| words[40 + random.skewed(60)].to_string())
                    .collect(),
            );
            SearchDoc {
                url: format!("{}/page-{n:05}/", if english { "en/kb" } else { "kb" }),
                title,
                language: language.to_string(),
                section,
                facets,
                blocks,
            }
        })
        .collect()
}

fn title_case(sentence: &str) -> String {
    sentence.trim_end_matches('.').to_string()
}
