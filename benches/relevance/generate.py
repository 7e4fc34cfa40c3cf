#!/usr/bin/env python3
"""Writes the relevance corpus: a French service-desk knowledge base of 200+ pages as a guichet
site in benches/relevance/site/ (deterministic: the same pages on every run).

The pages are built from families a real help desk has (passwords per application,
application pages with long configuration sections, printers, mail, network, workstations,
GLPI procedures, error codes), with varied lengths: a one-paragraph answer next to a
six-section procedure, and sections that repeat a word many times without being about it
(the shape that made a "Configuration" section outrank the page whose title is the answer).
The judged queries are in queries.json beside this file; run.sh compares the engines.

    python3 benches/relevance/generate.py
"""
import os
import random
import re
import shutil
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "site")
rng = random.Random(21)


def slug(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


FILLER = [
    "Le centre de services traite la demande dans l'ordre d'arrivée, sauf urgence signalée.",
    "Notez l'heure du problème et le message affiché : le technicien en aura besoin.",
    "Si le problème touche tout un service, un seul ticket suffit ; les autres s'y rattachent.",
    "Cette procédure a été validée par l'équipe de niveau 2 et relue par le responsable du parc.",
    "En dehors des heures ouvrées, l'astreinte ne traite que les incidents de priorité haute.",
    "Une capture d'écran jointe au ticket fait gagner un échange avec le technicien.",
    "Le poste doit rester allumé et branché au réseau pendant l'intervention à distance.",
    "La fiche est mise à jour à chaque changement de version du logiciel concerné.",
    "Les étapes suivantes se font avec un compte standard, sans droits d'administration.",
    "Le délai de traitement dépend de la priorité calculée à partir de l'urgence et de l'impact.",
    "Les sites de Nantes, Rennes et Angers suivent la même procédure.",
    "Après la manipulation, vérifiez que le problème ne revient pas le lendemain matin.",
    "Le technicien clôt le ticket une fois la solution acceptée par le demandeur.",
    "Gardez le numéro du ticket : il sert de référence dans tous les échanges.",
]

APPS = [
    ("GLPI", "l'outil de gestion des tickets et du parc"),
    ("Nextcloud", "le partage de fichiers de l'entreprise"),
    ("Rainloop", "le webmail de l'hébergement"),
    ("Zimbra", "la messagerie collaborative du siège"),
    ("Mattermost", "la messagerie instantanée des équipes"),
    ("Bitwarden", "le coffre-fort de mots de passe"),
    ("Sage Paie", "le logiciel de paie du service RH"),
    ("Proxmox", "l'hyperviseur des serveurs virtuels"),
    ("pfSense", "le pare-feu du site principal"),
    ("Veeam", "la solution de sauvegarde des serveurs"),
    ("Zabbix", "la supervision du réseau et des serveurs"),
    ("WordPress", "le site internet public"),
]

PRINTERS = ["HP LaserJet M404", "Brother MFC-L2750", "Canon iR-ADV C3530", "Kyocera TASKalfa 2554",
            "Epson WF-C5790", "Ricoh IM C3000"]
DEVICES = ["iPhone", "Android", "Windows 11", "macOS", "tablette iPad"]
PLACES = ["le domicile", "un hôtel", "un site client", "la 4G", "le Wi-Fi d'une gare"]
SOFTWARE = ["Microsoft Teams", "LibreOffice", "Adobe Acrobat Reader", "FileZilla", "VLC",
            "Firefox", "Google Chrome", "7-Zip", "Notepad++", "KeePassXC", "Zoom", "AutoCAD"]
ERRORS = [("0x80070005", "l'installation d'une mise à jour Windows", "accès refusé"),
          ("0x800f0922", "la mise à jour cumulative", "partition système trop petite"),
          ("0x8024402c", "la recherche de mises à jour", "proxy mal configuré"),
          ("0xc000021a", "le démarrage du poste", "service système arrêté"),
          ("0x80042302", "la sauvegarde Windows", "service VSS désactivé"),
          ("ERR_CERT_DATE_INVALID", "l'ouverture de l'intranet", "horloge du poste décalée"),
          ("DNS_PROBE_FINISHED_NXDOMAIN", "la navigation web", "serveur DNS injoignable"),
          ("0x0000011b", "l'impression réseau", "correctif PrintNightmare")]
SSIDS = [("Morel-Invités", "invité"), ("Morel-Pro", "professionnel"), ("Morel-Atelier", "atelier")]

pages = []


def add(title, tags, sections, description=None):
    pages.append((title, tags, sections, description))


def para(*sentences, filler=1):
    extra = rng.sample(FILLER, filler) if filler else []
    return " ".join(list(sentences) + extra)


# Passwords, one page per application: the answer is the title.
for app, what in APPS:
    add(f"Changer le mot de passe de {app}", ["mot de passe", app],
        [("", para(f"{app} est {what}. Le mot de passe se change depuis le profil de l'utilisateur, "
                   "menu Mon compte, puis Sécurité.")),
         ("Étapes", para("Saisir l'ancien mot de passe, puis le nouveau deux fois. Douze caractères au "
                         "moins, avec chiffres et symboles.", filler=0)),
         ("Mot de passe oublié", para("Le lien Mot de passe oublié envoie un courriel de "
                                      "réinitialisation valable une heure.", filler=0))])

# Application pages: long sections that repeat words of other pages' titles.
for app, what in APPS:
    add(app, [app],
        [("", para(f"{app} est {what}. Cette page rassemble ce que les techniciens doivent savoir.", filler=2)),
         ("Installation", para(f"{app} est installé sur un serveur Debian 12 derrière le proxy inverse. "
                               "L'installation suit la documentation de l'éditeur.", filler=2)),
         ("Configuration", f"Le mot de passe admin par défaut de {app} doit être changé dès l'installation : "
                           "le mot de passe admin est écrit dans le fichier de configuration, et le compte admin "
                           "garde tous les droits. Le mot de passe admin du compte de service est dans le coffre. "
                           "Changer le mot de passe admin impose de redémarrer le service. "
                           + " ".join(rng.sample(FILLER, 3))),
         ("Sauvegarde", para(f"La sauvegarde de {app} est faite chaque nuit par Veeam, gardée trente jours.", filler=1)),
         ("Mise à jour", para(f"Les mises à jour de {app} sont appliquées le premier mardi du mois, "
                              "après un essai sur la préproduction.", filler=2))])

# Printers.
for model in PRINTERS:
    add(f"Imprimante {model} hors ligne", ["imprimante", "impression"],
        [("", para(f"L'imprimante {model} apparaît hors ligne sur les postes du service.")),
         ("Vérifier le réseau", para("Vérifier le câble réseau et l'adresse IP affichée sur le panneau de "
                                     "l'imprimante.", filler=0)),
         ("Redémarrer le spouleur", para("Redémarrer le service Spouleur d'impression du poste, puis relancer "
                                         "l'impression.", filler=0))])
    add(f"Installer le pilote de l'imprimante {model}", ["imprimante", "pilote"],
        [("", para(f"Le pilote de la {model} est déployé par GPO ; sinon l'installer depuis le portail "
                   "logiciels."))])
    add(f"Bourrage papier sur la {model}", ["imprimante"],
        [("", para(f"Un bourrage sur la {model} bloque la file d'impression de tout le service.")),
         ("Retirer la feuille", para("Ouvrir le capot avant, tirer la feuille doucement vers soi sans la "
                                     "déchirer.", filler=0))])
add("Scanner vers un dossier partagé", ["imprimante", "numérisation"],
    [("", para("Les copieurs numérisent vers le dossier partagé du service, au format PDF.")),
     ("Choisir le dossier", para("Sur l'écran du copieur, choisir Numériser, puis le carnet d'adresses du "
                                 "service.", filler=0))])

# Mail.
for target in ["Exchange Online", "Zimbra", "Gmail", "Thunderbird"]:
    add(f"Migrer ses emails vers {target}", ["messagerie", "migration"],
        [("", para(f"La migration des e-mails vers {target} se fait boîte par boîte.")),
         ("Exporter", para("Exporter l'ancienne boîte en PST depuis le client de messagerie.", filler=0)),
         ("Importer", para(f"Importer le fichier dans {target}, puis vérifier les dossiers.", filler=0))])
for device in DEVICES:
    add(f"Configurer Outlook sur {device}", ["messagerie", "Outlook"],
        [("", para(f"Outlook sur {device} se configure avec l'adresse professionnelle et "
                   "l'authentification multifacteur.")),
         ("Ajouter le compte", para("Ouvrir Outlook, Ajouter un compte, saisir l'adresse et valider la "
                                    "notification sur le téléphone.", filler=0))])
add("Boîte aux lettres pleine", ["messagerie"],
    [("", para("Au-delà de 50 Go, la boîte aux lettres refuse les nouveaux messages.")),
     ("Archiver", para("Archiver les messages de plus d'un an dans un fichier local.", filler=0))])
add("Signaler un courriel d'hameçonnage", ["sécurité", "messagerie"],
    [("", para("Un courriel d'hameçonnage imite une banque ou un fournisseur pour voler des identifiants.")),
     ("Que faire", para("Ne cliquer sur aucun lien, transférer le message en pièce jointe au centre de "
                        "services, puis le supprimer.", filler=0))])
add("Partager un agenda", ["messagerie", "agenda"],
    [("", para("Un agenda se partage en lecture ou en modification depuis Outlook ou le webmail."))])
add("Créer une signature de courriel", ["messagerie"],
    [("", para("La signature officielle reprend le logo, le nom, la fonction et le téléphone."))])
add("Message d'absence automatique", ["messagerie"],
    [("", para("Le répondeur d'absence se règle dans Outlook, menu Fichier, Réponses automatiques."))])

# Network.
for ssid, kind in SSIDS:
    add(f"Se connecter au Wi-Fi {kind}", ["wifi", "réseau"],
        [("", para(f"Le réseau sans fil {ssid} est réservé à l'usage {kind}.")),
         ("Connexion", para(f"Choisir {ssid} dans la liste, puis saisir le code remis à l'accueil.", filler=0))])
for place in PLACES:
    add(f"Le VPN ne se connecte pas depuis {place}", ["vpn", "télétravail"],
        [("", para(f"Depuis {place}, le client VPN reste sur Connexion en cours.")),
         ("Vérifier la connexion internet", para("Ouvrir un site public pour vérifier l'accès internet.",
                                                 filler=0)),
         ("Changer de port", para("Basculer le client sur le profil TCP 443.", filler=0))])
add("Obtenir une adresse IP fixe", ["réseau"],
    [("", para("Une adresse IP fixe se demande par ticket, avec l'adresse MAC de l'équipement."))])
add("Ouvrir un port sur le pare-feu", ["réseau", "sécurité"],
    [("", para("Toute ouverture de port sur le pare-feu passe par une demande de changement validée.")),
     ("Informations à fournir", para("Source, destination, port et protocole, durée.", filler=0))])
add("Accéder à un dossier partagé depuis l'extérieur", ["réseau", "télétravail"],
    [("", para("Les lecteurs réseau ne sont accessibles qu'à travers le VPN."))])

# Workstations and software.
for software in SOFTWARE:
    add(f"Installer {software}", ["logiciel", "installation"],
        [("", para(f"{software} s'installe depuis le portail logiciels, sans droits d'administration.")),
         ("Si le logiciel n'est pas proposé", para("Faire une demande par ticket avec la justification.",
                                                   filler=0))])
add("Poste lent au démarrage", ["poste de travail", "performances"],
    [("", para("Un poste qui met plus de cinq minutes à démarrer doit être signalé.", filler=2)),
     ("Programmes au démarrage", para("Désactiver les programmes inutiles dans le gestionnaire des tâches.",
                                      filler=0)),
     ("Espace disque", para("Libérer de l'espace si le disque est plein à plus de 90 %.", filler=0))])
add("Écran noir après la mise en veille", ["poste de travail", "écran"],
    [("", para("Après la veille, l'écran reste noir alors que le poste est allumé."))])
add("Le clavier ou la souris ne répond plus", ["poste de travail"],
    [("", para("Changer les piles du clavier sans fil ou brancher la souris sur un autre port USB."))])
add("Demander un ordinateur portable", ["matériel"],
    [("", para("Un ordinateur portable se demande par le formulaire de demande de matériel, validé par le "
               "responsable."))])
add("Restaurer un fichier supprimé", ["sauvegarde"],
    [("", para("Un fichier supprimé d'un dossier partagé se restaure depuis les versions précédentes, "
               "trente jours en arrière."))])
add("Chiffrer une clé USB", ["sécurité"],
    [("", para("Les clés USB qui sortent des locaux sont chiffrées avec BitLocker To Go."))])
add("Activer la double authentification", ["sécurité", "compte"],
    [("", para("La double authentification protège le compte avec une application sur le téléphone.")),
     ("Enrôler le téléphone", para("Scanner le QR code affiché avec l'application d'authentification.",
                                   filler=0))])
add("Compte verrouillé après trop d'essais", ["compte", "Active Directory"],
    [("", para("Après cinq essais erronés, le compte Active Directory est verrouillé trente minutes.")),
     ("Déverrouiller", para("Le centre de services déverrouille le compte après vérification d'identité.",
                            filler=0))])
add("Arrivée d'un nouveau collaborateur", ["compte", "arrivée"],
    [("", para("L'arrivée d'un collaborateur se prépare une semaine avant : compte, poste, badge.", filler=2)),
     ("Compte", para("Le compte est créé dans l'annuaire avec les groupes du service.", filler=0)),
     ("Matériel", para("Le poste est préparé et étiqueté au nom de l'arrivant.", filler=0))])
add("Départ d'un collaborateur", ["compte"],
    [("", para("Au départ, le compte est désactivé le dernier jour et la boîte transférée au responsable."))])

# Errors.
for code, action, cause in ERRORS:
    add(f"Erreur {code}", ["erreur"],
        [("", para(f"L'erreur {code} apparaît pendant {action}.")),
         ("Cause", para(f"Cause la plus fréquente : {cause}.", filler=0)),
         ("Solution", para("Appliquer la correction décrite, redémarrer, puis relancer l'opération.", filler=0))])

# GLPI procedures for users.
for title, text in [
    ("Déclarer un incident", "Un incident se déclare dans GLPI, bouton Créer un ticket, catégorie Incident."),
    ("Suivre son ticket", "Le suivi d'un ticket se fait depuis la page Mes tickets de GLPI."),
    ("Accepter ou refuser une solution", "Quand le technicien propose une solution, le demandeur l'accepte ou la refuse."),
    ("Faire une demande de service", "Une demande de service (matériel, accès, logiciel) passe par le catalogue GLPI."),
    ("Escalader un ticket au niveau 2", "Le technicien de niveau 1 escalade un ticket qu'il ne peut pas résoudre en trente minutes."),
    ("Priorité d'un ticket", "La priorité se calcule à partir de l'urgence et de l'impact, selon la matrice."),
    ("Rattacher un ticket à un problème", "Plusieurs incidents de même cause se rattachent à un problème."),
]:
    add(title, ["GLPI", "ticket"], [("", para(text, filler=2)),
                                    ("Dans GLPI", para("Le menu Assistance regroupe les tickets, les problèmes et les changements.", filler=1))])

# Long pages: onboarding guides that mention many subjects in passing.
for n, service in enumerate(["comptabilité", "atelier", "commercial", "ressources humaines", "logistique",
                             "direction", "bureau d'études", "qualité"]):
    sections = [("", para(f"Bienvenue au service {service}. Ce guide rassemble les outils du quotidien.", filler=2))]
    for heading, text in [
        ("Messagerie", "La messagerie se consulte dans Outlook ; le webmail dépanne en déplacement."),
        ("Imprimantes", "Les imprimantes du service sont installées automatiquement à la connexion."),
        ("Wi-Fi", "Le Wi-Fi professionnel est accessible avec le compte de l'annuaire."),
        ("Mots de passe", "Le mot de passe du compte expire tous les 90 jours ; le coffre Bitwarden garde les autres."),
        ("Assistance", "Tout problème se déclare dans GLPI ; le centre de services rappelle sous une heure."),
    ][: 3 + n % 3]:
        sections.append((heading, para(text, filler=1 + n % 2)))
    add(f"Guide d'accueil du service {service}", ["accueil", service], sections)

# Short FAQ entries.
for question, answer, tags in [
    ("Où trouver le numéro de série du poste ?", "Le numéro de série est sur l'étiquette sous le poste ou dans GLPI.", ["matériel"]),
    ("Peut-on brancher un disque dur personnel ?", "Non : les supports personnels sont bloqués par la stratégie de sécurité.", ["sécurité"]),
    ("Comment réserver une salle de visioconférence ?", "Les salles se réservent dans l'agenda partagé des salles.", ["visioconférence"]),
    ("Que faire en cas de rançongiciel ?", "Débrancher le câble réseau et appeler immédiatement le centre de services.", ["sécurité"]),
    ("Combien de temps sont gardées les sauvegardes ?", "Trente jours pour les fichiers, un an pour les bases de données.", ["sauvegarde"]),
    ("Comment changer de téléphone professionnel ?", "Le renouvellement se demande par ticket après trois ans.", ["téléphonie"]),
    ("Le casque ne fonctionne pas dans Teams", "Choisir le casque dans Paramètres, Appareils, de Teams.", ["téléphonie", "Teams"]),
    ("Ajouter un contact au carnet d'adresses partagé", "Le carnet partagé est tenu par l'accueil ; la demande passe par ticket.", ["messagerie"]),
]:
    add(question, tags, [("", para(answer, filler=rng.randint(0, 2)))])

# Access and availability per application.
for app, what in APPS:
    add(f"Demander un accès à {app}", ["accès", app],
        [("", para(f"L'accès à {app} ({what}) se demande par ticket, validé par le responsable du service.")),
         ("Délai", para("Le compte est ouvert sous deux jours ouvrés.", filler=0))])
    add(f"{app} est lent ou inaccessible", ["incident", app],
        [("", para(f"Quand {app} ne répond plus, vérifier d'abord la page d'état du service.", filler=2)),
         ("Contournement", para("Vider le cache du navigateur et réessayer en navigation privée.", filler=0))])
for model in PRINTERS:
    add(f"Remplacer le toner de la {model}", ["imprimante", "consommables"],
        [("", para(f"Les cartouches de toner de la {model} sont stockées à l'accueil de chaque étage."))])
for software in SOFTWARE:
    add(f"Désinstaller {software}", ["logiciel"],
        [("", para(f"{software} se désinstalle depuis le portail logiciels, onglet Installés.", filler=rng.randint(0, 1)))])
for device in DEVICES:
    add(f"Synchroniser l'agenda sur {device}", ["agenda", device],
        [("", para(f"L'agenda professionnel se synchronise sur {device} par le compte Exchange."))])
    add(f"Réinitialiser un {device} professionnel", ["mobile", device],
        [("", para(f"Avant de rendre un {device}, le réinitialiser et le retirer de la gestion des appareils."))])
for city in ["Nantes", "Rennes", "Angers", "Le Mans", "Laval", "Cholet"]:
    add(f"Plan du réseau du site de {city}", ["réseau", city],
        [("", para(f"Le site de {city} est relié au siège par un lien fibre et un lien 4G de secours.", filler=2)),
         ("Baie de brassage", para("La baie est au rez-de-chaussée ; le commutateur cœur alimente chaque étage.", filler=2)),
         ("Wi-Fi", para("Trois bornes par étage, gérées par le contrôleur du siège.", filler=1)),
         ("Impression", para("Un copieur par étage, file d'impression sur le serveur local.", filler=1))])
SUBJECTS = ["messagerie", "VPN", "serveur de fichiers", "téléphonie", "intranet", "Wi-Fi", "ERP", "GLPI"]
for n in range(25):
    subject = SUBJECTS[n % len(SUBJECTS)]
    city = ["Nantes", "Rennes", "Angers", "Le Mans", "Laval"][n % 5]
    day = 3 + n
    add(f"Incident du {day} mars : {subject} indisponible à {city}", ["incident", "compte rendu"],
        [("", para(f"Le {day} mars, le service {subject} a été indisponible à {city} pendant {30 + 7 * n} minutes.", filler=1)),
         ("Cause", para(rng.choice(["Un commutateur a redémarré après une coupure électrique.",
                                    "Un certificat expiré a bloqué les connexions.",
                                    "Le disque du serveur était plein.",
                                    "Une mise à jour a changé la configuration du proxy."]), filler=1)),
         ("Actions", para("Le service a été rétabli, puis une surveillance a été ajoutée dans Zabbix.", filler=1))])


def front(title, tags, description):
    lines = ["---", f'title: "{title}"']
    if description:
        lines.append(f'description: "{description}"')
    lines.append("tags: [" + ", ".join(f'"{t}"' for t in tags) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def main():
    shutil.rmtree(SITE, ignore_errors=True)
    os.makedirs(os.path.join(SITE, "content", "kb"))
    with open(os.path.join(SITE, "guichet.yaml"), "w") as f:
        f.write('title: "Base de connaissances — corpus de pertinence"\nlanguage: fr\n')
    with open(os.path.join(SITE, "content", "_index.md"), "w") as f:
        f.write('---\ntitle: "Accueil"\n---\n\nLe corpus de pertinence de la recherche.\n')
    with open(os.path.join(SITE, "content", "kb", "_index.md"), "w") as f:
        f.write('---\ntitle: "Base de connaissances"\n---\n\nLes fiches du centre de services.\n')
    seen = set()
    for title, tags, sections, description in pages:
        name = slug(title)
        assert name not in seen, name
        seen.add(name)
        body = ""
        for heading, text in sections:
            if heading:
                body += f"## {heading}\n\n"
            body += text + "\n\n"
        with open(os.path.join(SITE, "content", "kb", name + ".md"), "w") as f:
            f.write(front(title, tags, description) + body)
    print(f"{len(pages)} pages written to {SITE}")


if __name__ == "__main__":
    main()
