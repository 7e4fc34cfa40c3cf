//! Synonyms: a built-in French/English IT service-desk table and the site's own `synonyms:`
//! from guichet.yaml, analysed into index keys at build time and applied at query time.
//!
//! meta.json carries, per language, the groups that can change a result on this site: each
//! group is `[present, phrase, …]`, a phrase being its analysed keys joined by spaces, and the
//! first `present` phrases being those whose every key is in the index (the others are only
//! recognised in queries: "phishing" finds "hameçonnage" even when no page says "phishing").

use std::collections::BTreeSet;

use super::analyse::analyse;

/// The built-in groups: words and phrases that mean the same thing on a service desk, French
/// and English together, abbreviations included.
const BUILT_IN: &[&[&str]] = &[
    &["mot de passe", "mdp", "password", "passwd", "pwd"],
    &["courriel", "mail", "email", "e-mail", "mél"],
    &["messagerie", "boîte mail", "boîte aux lettres", "mailbox"],
    &["hameçonnage", "phishing", "filoutage"],
    &[
        "poste de travail",
        "poste",
        "pc",
        "ordinateur",
        "workstation",
        "computer",
    ],
    &["ordinateur portable", "portable", "laptop", "notebook"],
    &["réseau sans fil", "wifi", "wi-fi", "wlan", "wireless"],
    &[
        "imprimante",
        "imprim",
        "printer",
        "copieur",
        "photocopieur",
        "mfp",
    ],
    &["active directory", "ad", "annuaire"],
    &["identifiant", "login", "nom d'utilisateur", "username"],
    &[
        "connexion",
        "login",
        "ouverture de session",
        "logon",
        "sign in",
    ],
    &["déconnexion", "logout", "sign out"],
    &["compte", "account"],
    &["utilisateur", "user", "usager"],
    &["technicien", "technician", "tech"],
    &["pare-feu", "firewall", "fw"],
    &["serveur", "server", "srv"],
    &["réseau", "network", "lan"],
    &["réseau privé virtuel", "vpn"],
    &["bureau à distance", "rdp", "remote desktop", "tse"],
    &[
        "prise en main à distance",
        "télémaintenance",
        "remote control",
        "teamviewer",
        "anydesk",
    ],
    &["sauvegarde", "backup", "svg"],
    &["restauration", "restaurer", "restore"],
    &["mise à jour", "màj", "maj", "update", "upgrade"],
    &["correctif", "patch", "hotfix"],
    &[
        "logiciel",
        "software",
        "application",
        "appli",
        "app",
        "programme",
    ],
    &["installer", "installation", "install", "setup"],
    &["désinstaller", "uninstall", "supprimer le logiciel"],
    &["pilote", "driver"],
    &["redémarrer", "reboot", "restart", "relancer"],
    &["éteindre", "shutdown", "arrêter"],
    &["allumer", "démarrer", "boot", "power on"],
    &["écran", "moniteur", "screen", "display", "monitor"],
    &["écran bleu", "bsod", "blue screen"],
    &["clavier", "keyboard"],
    &["souris", "mouse"],
    &["téléphone", "tel", "tél", "phone", "smartphone", "mobile"],
    &["téléphonie", "voip", "toip", "softphone"],
    &["casque", "micro-casque", "headset"],
    &["webcam", "caméra", "camera"],
    &[
        "visioconférence",
        "visio",
        "video conference",
        "teams",
        "zoom",
    ],
    &["clé usb", "usb", "stick", "cle"],
    &["disque dur", "hdd", "disque", "hard drive"],
    &["ssd", "disque ssd"],
    &["mémoire vive", "ram", "memory"],
    &["processeur", "cpu", "processor"],
    &["batterie", "battery", "accu"],
    &["chargeur", "alimentation", "charger", "power supply"],
    &["câble", "cable", "cordon"],
    &["commutateur", "switch"],
    &["routeur", "router", "box"],
    &["borne wifi", "point d'accès", "access point", "ap"],
    &["adresse ip", "ip", "ip address"],
    &["dns", "résolution de noms", "name resolution"],
    &["dhcp", "bail", "lease"],
    &["proxy", "mandataire"],
    &["navigateur", "browser", "firefox", "chrome", "edge"],
    &["site web", "site internet", "website", "url"],
    &["intranet", "portail interne"],
    &[
        "dossier partagé",
        "partage",
        "share",
        "lecteur réseau",
        "network drive",
    ],
    &["fichier", "file"],
    &["dossier", "répertoire", "folder", "directory"],
    &[
        "droits",
        "permissions",
        "autorisations",
        "accès",
        "access rights",
    ],
    &["groupe", "group"],
    &["stratégie de groupe", "gpo", "group policy"],
    &["domaine", "domain"],
    &["certificat", "certificate", "ssl", "tls"],
    &["chiffrement", "cryptage", "encryption", "bitlocker"],
    &["antivirus", "anti-virus", "av", "defender"],
    &[
        "logiciel malveillant",
        "malware",
        "virus",
        "rançongiciel",
        "ransomware",
    ],
    &["spam", "pourriel", "indésirable", "junk"],
    &["pièce jointe", "pj", "attachment"],
    &["agenda", "calendrier", "calendar"],
    &["contact", "carnet d'adresses", "address book"],
    &["outlook", "client de messagerie", "mail client"],
    &["office", "microsoft 365", "m365", "o365", "office 365"],
    &["tableur", "excel", "spreadsheet"],
    &["traitement de texte", "word", "word processor"],
    &["ticket", "demande", "request", "incident", "requête"],
    &["incident", "panne", "dysfonctionnement", "outage", "bug"],
    &["demande de service", "service request"],
    &["problème", "problem", "souci"],
    &["priorité", "priority", "urgence"],
    &["délai", "sla", "temps de résolution"],
    &["escalade", "escalader", "escalation", "transférer"],
    &["résolu", "solved", "resolved", "clos", "fermé", "closed"],
    &["en attente", "pending", "waiting", "suspendu"],
    &[
        "assistance",
        "support",
        "helpdesk",
        "help desk",
        "hotline",
        "service desk",
    ],
    &["base de connaissances", "kb", "knowledge base", "faq"],
    &["nouvel arrivant", "arrivée", "onboarding", "intégration"],
    &["départ", "offboarding", "fin de contrat"],
    &["inventaire", "inventory", "parc", "cmdb"],
    &["licence", "license", "abonnement"],
    &["authentification", "authentication", "auth"],
    &[
        "double authentification",
        "2fa",
        "mfa",
        "authentification forte",
        "otp",
    ],
    &["verrouillé", "bloqué", "locked", "lockout"],
    &["déverrouiller", "débloquer", "unlock"],
    &["réinitialiser", "reset", "réinitialisation"],
    &["lent", "lenteur", "slow", "rame"],
    &["plantage", "crash", "planté", "freeze", "figé"],
    &["erreur", "error", "message d'erreur"],
    &["journal", "log", "logs", "journaux", "événements"],
    &["sauvegarde de messagerie", "pst", "archive outlook"],
    &[
        "télétravail",
        "travail à distance",
        "remote work",
        "home office",
    ],
    &["migration", "migrer", "migrate"],
];

/// The synonym groups of a language's index: the built-in table and `site` (guichet.yaml's
/// `synonyms:`), analysed with `lang`'s rules; groups that cannot change a result (no phrase
/// in the index, or fewer than two distinct phrases) are left out. `known` tells whether a
/// key is in the index.
pub(crate) fn synonym_groups(
    lang: &str,
    site: &[Vec<String>],
    known: impl Fn(&str) -> bool,
) -> Vec<Vec<String>> {
    let built_in = BUILT_IN
        .iter()
        .map(|group| group.iter().map(|p| p.to_string()).collect::<Vec<_>>());
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for group in built_in.chain(site.iter().cloned()) {
        let mut phrases: Vec<String> = Vec::new();
        for phrase in &group {
            let keys = phrase_keys(phrase, lang);
            if !keys.is_empty() && !phrases.contains(&keys) {
                phrases.push(keys);
            }
        }
        if phrases.len() < 2 {
            continue;
        }
        let (mut present, absent): (Vec<String>, Vec<String>) =
            phrases.into_iter().partition(|p| p.split(' ').all(&known));
        if present.is_empty() {
            continue;
        }
        let mut row = vec![present.len().to_string()];
        row.append(&mut present);
        row.extend(absent);
        if seen.insert(row.clone()) {
            out.push(row);
        }
    }
    out
}

/// A phrase's distinct analysed keys, in order, joined by spaces.
fn phrase_keys(phrase: &str, lang: &str) -> String {
    let mut keys: Vec<String> = Vec::new();
    for token in analyse(phrase, lang) {
        if !keys.contains(&token.key) {
            keys.push(token.key);
        }
    }
    keys.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_has_about_a_hundred_groups_that_all_analyse() {
        assert!(BUILT_IN.len() >= 100, "{}", BUILT_IN.len());
        for group in BUILT_IN {
            for phrase in *group {
                assert!(!phrase_keys(phrase, "fr").is_empty(), "{phrase}");
            }
        }
    }

    #[test]
    fn groups_keep_phrases_found_in_the_index_first() {
        let index = ["mot", "pass", "hameconn"];
        let groups = synonym_groups("fr", &[vec!["vpn".into(), "tunnel".into()]], |key| {
            index.contains(&key)
        });
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(groups.contains(&row(&["1", "mot pass", "mdp", "password", "passwd", "pwd"])));
        assert!(groups.contains(&row(&["1", "hameconn", "phishing", "filout"])));
        // The site's group has no phrase in the index: left out.
        assert!(!groups.iter().any(|g| g.contains(&"tunnel".to_string())));
        assert_eq!(phrase_keys("réseau sans fil", "fr"), "reseau fil");
    }
}
