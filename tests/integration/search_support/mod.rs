//! A small French/English knowledge base written to a temporary site directory, shared by the
//! search ranking tests and the browser tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guichet::search::{SearchBlock, SearchDoc, build_index};

/// A block with a heading (empty anchor for the introduction).
pub fn block(anchor: &str, heading: &str, text: &str, code: &str) -> SearchBlock {
    SearchBlock {
        anchor: anchor.to_string(),
        heading: heading.to_string(),
        level: if anchor.is_empty() { 0 } else { 2 },
        text: text.to_string(),
        code: code.to_string(),
    }
}

/// A page with its facets given as (name, value) pairs.
pub fn page(
    url: &str,
    title: &str,
    language: &str,
    section: &str,
    facets: &[(&str, &str)],
    blocks: Vec<SearchBlock>,
) -> SearchDoc {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in facets {
        map.entry(name.to_string())
            .or_default()
            .push(value.to_string());
    }
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        language: language.to_string(),
        section: section.to_string(),
        facets: map,
        blocks,
    }
}

/// The knowledge base of the ranking and browser tests.
pub fn corpus() -> Vec<SearchDoc> {
    vec![
        page(
            "kb/imprimante-hors-ligne/",
            "Imprimante hors ligne",
            "fr",
            "Base de connaissances",
            &[
                ("audience", "technicien"),
                ("category", "Matériel > Impression"),
                ("tags", "imprimante"),
                ("type", "incident"),
            ],
            vec![
                block(
                    "",
                    "",
                    "Quand l'imprimante réseau apparaît hors ligne sur le poste de l'utilisateur, vérifier d'abord le câble et l'adresse IP 192.168.10.20.",
                    "",
                ),
                block(
                    "redemarrer-le-spouleur",
                    "Redémarrer le spouleur d'impression",
                    "Ouvrir services.msc et redémarrer le service Spouleur d'impression, puis relancer l'impression.",
                    "Restart-Service Spooler",
                ),
                block(
                    "verifier-le-pilote",
                    "Vérifier le pilote",
                    "Réinstaller le pilote si la file d'attente reste bloquée.",
                    "",
                ),
            ],
        ),
        page(
            "kb/ajout-pilote-imprimantes/",
            "Ajouter un pilote pour les imprimantes",
            "fr",
            "Base de connaissances",
            &[
                ("audience", "technicien"),
                ("category", "Matériel > Impression"),
                ("tags", "imprimante"),
                ("type", "demande"),
            ],
            vec![block(
                "",
                "",
                "Les pilotes des imprimantes sont déployés par GPO depuis le serveur srv-ad01.",
                "",
            )],
        ),
        page(
            "kb/erreur-0x80070005/",
            "Erreur Windows Update 0x80070005",
            "fr",
            "Base de connaissances",
            &[
                ("audience", "technicien"),
                ("category", "Poste de travail > Mises à jour"),
                ("tags", "windows"),
                ("type", "incident"),
            ],
            vec![
                block(
                    "",
                    "",
                    "Windows Update échoue avec le code 0x80070005 : accès refusé.",
                    "",
                ),
                block(
                    "solution",
                    "Solution",
                    "Installer la mise à jour KB5034441 avec un compte administrateur.",
                    "wusa.exe KB5034441.msu /quiet",
                ),
            ],
        ),
        page(
            "portfolio/installation/",
            "Installation de GLPI",
            "fr",
            "Portfolio",
            &[
                ("audience", "jury"),
                ("category", "Projet"),
                ("type", "procédure"),
            ],
            vec![
                block(
                    "",
                    "",
                    "Installation de GLPI 10 sur un serveur Debian avec Apache et MariaDB.",
                    "",
                ),
                block(
                    "fichier-config-db-php",
                    "Le fichier config_db.php",
                    "GLPI lit la connexion à la base dans ce fichier.",
                    "<?php class DB extends DBmysql { public $dbhost = 'localhost'; }",
                ),
            ],
        ),
        page(
            "utilisateurs/declarer-un-incident/",
            "Déclarer un incident",
            "fr",
            "Utilisateurs",
            &[
                ("audience", "utilisateur"),
                ("category", "GLPI"),
                ("type", "procédure"),
            ],
            vec![
                block(
                    "",
                    "",
                    "Pour déclarer un incident, ouvrez GLPI et cliquez sur Créer un ticket.",
                    "",
                ),
                block(
                    "suivre-le-ticket",
                    "Suivre le ticket",
                    "Le technicien vous répond dans le ticket ; vous acceptez ou refusez la solution.",
                    "",
                ),
            ],
        ),
        page(
            "kb/mot-de-passe-expire/",
            "Mot de passe expiré",
            "fr",
            "Base de connaissances",
            &[
                ("audience", "utilisateur"),
                ("category", "Comptes"),
                ("tags", "active directory"),
                ("type", "incident"),
            ],
            vec![block(
                "",
                "",
                "Le mot de passe Active Directory expire tous les 90 jours ; le changer avec Ctrl+Alt+Suppr.",
                "",
            )],
        ),
        page(
            "kb/wifi-invite/",
            "Wi-Fi invité",
            "fr",
            "Base de connaissances",
            &[
                ("audience", "utilisateur"),
                ("category", "Réseau > Wi-Fi"),
                ("type", "demande"),
            ],
            vec![block(
                "",
                "",
                "Le réseau Wi-Fi invité est isolé du VLAN 20 des serveurs.",
                "",
            )],
        ),
        page(
            "kb/page-vide/",
            "Page vide",
            "fr",
            "Base de connaissances",
            &[],
            vec![],
        ),
        page(
            "kb/peche/",
            "Pêcher en mer",
            "fr",
            "Divers",
            &[],
            vec![block("", "", "Une sortie pour pêcher le dimanche.", "")],
        ),
        page(
            "kb/peche-ancien/",
            "Pécher par orgueil",
            "fr",
            "Divers",
            &[],
            vec![block("", "", "Une faute : pécher contre la règle.", "")],
        ),
        page(
            "kb/outlook/",
            "Outlook ne démarre plus",
            "fr",
            "Base de connaissances",
            &[("type", "incident")],
            vec![
                block(
                    "",
                    "",
                    "Le client Outlook reste bloqué au chargement du profil ; le lancer en mode sans échec puis désactiver les compléments.",
                    "outlook.exe /safe",
                ),
                block(
                    "recreer-le-profil",
                    "Recréer le profil",
                    "Recréer le profil Outlook depuis le panneau de configuration, rubrique Courrier.",
                    "",
                ),
                block(
                    "verifier-le-stockage",
                    "Vérifier le stockage",
                    "Un fichier OST trop gros ralentit Outlook : compacter ou archiver.",
                    "",
                ),
            ],
        ),
        page(
            "kb/hameconnage/",
            "Signaler un hameçonnage",
            "fr",
            "Base de connaissances",
            &[("type", "demande")],
            vec![block(
                "",
                "",
                "Un message d'hameçonnage imite une banque : ne cliquer sur aucun lien et le transférer au support informatique.",
                "",
            )],
        ),
        page(
            "kb/mdp-windows/",
            "MDP Windows oublié",
            "fr",
            "Base de connaissances",
            &[("type", "demande")],
            vec![block(
                "",
                "",
                "Votre MDP de session Windows est oublié : le centre d'assistance le remet à zéro après vérification de votre identité.",
                "",
            )],
        ),
        page(
            "kb/migrer-emails/",
            "Migrer ses emails vers Exchange",
            "fr",
            "Base de connaissances",
            &[("type", "demande")],
            vec![block(
                "",
                "",
                "Exporter les e-mails de l'ancienne boîte en PST, puis les importer dans Exchange Online.",
                "",
            )],
        ),
        page(
            "kb/ecran-noir/",
            "Écran noir au démarrage",
            "fr",
            "Base de connaissances",
            &[("type", "incident")],
            vec![block(
                "",
                "",
                "L'écran reste noir : vérifier la prise HDMI et la source choisie.",
                "",
            )],
        ),
        page(
            "kb/ecrin/",
            "Écrin de la clé de sécurité",
            "fr",
            "Base de connaissances",
            &[],
            vec![block(
                "",
                "",
                "L'écrin protège la clé FIDO2 remise aux administrateurs.",
                "",
            )],
        ),
        page(
            "kb/changer-mot-de-passe-admin/",
            "Changer le mot de passe d'administration",
            "fr",
            "Base de connaissances",
            &[],
            vec![block(
                "",
                "",
                "Se connecter à la console, menu Sécurité, saisir l'ancien puis le nouveau.",
                "",
            )],
        ),
        page(
            "kb/rainloop/",
            "Rainloop",
            "fr",
            "Base de connaissances",
            &[],
            vec![
                block("", "", "Rainloop est le webmail de l'hébergement.", ""),
                block(
                    "configuration",
                    "Configuration",
                    "Le mot de passe admin par défaut est 12345 : changer ce mot de passe admin dès l'installation. Le panneau admin demande le mot de passe admin à chaque connexion, et le mot de passe admin se trouve aussi dans le fichier de configuration du panneau admin.",
                    "",
                ),
            ],
        ),
        page(
            "en/printer-offline/",
            "Printer offline",
            "en",
            "Knowledge base",
            &[("audience", "technician"), ("type", "incident")],
            vec![block(
                "",
                "",
                "When the printer shows offline, restart the print spooler.",
                "Restart-Service Spooler",
            )],
        ),
    ]
}

/// A fresh empty directory under the system temporary directory.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guichet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the index of `docs` under `site`.
pub fn write_index(site: &Path, docs: &[SearchDoc]) {
    for (path, bytes) in build_index(docs) {
        let target = site.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}
