//! The IP plan and the flow matrix match the data, row for row, in HTML and CSV.

use std::path::Path;

use crate::common::repo;
use guichet::language::Language;
use guichet::topology::{self, FlowRow, IpPlanRow, Topology};

fn demo() -> Topology {
    let text = std::fs::read_to_string(repo("content/portfolio/reseau.yaml")).unwrap();
    topology::parse(Path::new("reseau.yaml"), &text, "reseau").unwrap()
}

fn small() -> Topology {
    let text = std::fs::read_to_string(repo("tests/fixtures/topology/small_office.yaml")).unwrap();
    topology::parse(Path::new("small_office.yaml"), &text, "bureau").unwrap()
}

fn ip(row: [&str; 6]) -> IpPlanRow {
    IpPlanRow {
        device: row[0].into(),
        interface: row[1].into(),
        network: row[2].into(),
        vlan: row[3].into(),
        address: row[4].into(),
        gateway: row[5].into(),
    }
}

fn flow(row: [&str; 6]) -> FlowRow {
    FlowRow {
        source: row[0].into(),
        destination: row[1].into(),
        service: row[2].into(),
        port: row[3].into(),
        protocol: row[4].into(),
        purpose: row[5].into(),
    }
}

#[test]
fn demo_ip_plan_has_one_row_per_interface() {
    let expected: Vec<IpPlanRow> = [
        [
            "BOX-FAI",
            "",
            "Accès internet",
            "",
            "203.0.113.1/29",
            "203.0.113.1",
        ],
        [
            "FW01",
            "WAN",
            "Accès internet",
            "",
            "203.0.113.2/29",
            "203.0.113.1",
        ],
        [
            "FW01",
            "LAN10",
            "Serveurs",
            "10",
            "192.168.10.254/24",
            "192.168.10.254",
        ],
        [
            "FW01",
            "LAN20",
            "Postes clients",
            "20",
            "192.168.20.254/24",
            "192.168.20.254",
        ],
        [
            "SW-SRV01",
            "VLAN10",
            "Serveurs",
            "10",
            "192.168.10.253/24",
            "192.168.10.254",
        ],
        [
            "SRV-AD01",
            "Ethernet0",
            "Serveurs",
            "10",
            "192.168.10.10/24",
            "192.168.10.254",
        ],
        [
            "SRV-GLPI01",
            "ens18",
            "Serveurs",
            "10",
            "192.168.10.20/24",
            "192.168.10.254",
        ],
        [
            "SRV-BDD01",
            "ens18",
            "Serveurs",
            "10",
            "192.168.10.30/24",
            "192.168.10.254",
        ],
        [
            "SW-CLI01",
            "VLAN20",
            "Postes clients",
            "20",
            "192.168.20.253/24",
            "192.168.20.254",
        ],
        [
            "PC-ACC01",
            "Ethernet",
            "Postes clients",
            "20",
            "DHCP",
            "192.168.20.254",
        ],
        [
            "PC-ATL01",
            "Ethernet",
            "Postes clients",
            "20",
            "DHCP",
            "192.168.20.254",
        ],
        [
            "IMP-ATL01",
            "",
            "Postes clients",
            "20",
            "192.168.20.50/24",
            "192.168.20.254",
        ],
    ]
    .into_iter()
    .map(ip)
    .collect();
    assert_eq!(topology::ip_plan_rows(&demo()), expected);
}

#[test]
fn demo_flow_matrix_has_one_row_per_flow() {
    let glpi = "SRV-GLPI01 (192.168.10.20)";
    let ad = "SRV-AD01 (192.168.10.10)";
    let clients = "Postes clients (192.168.20.0/24)";
    let expected: Vec<FlowRow> = [
        [
            clients,
            glpi,
            "HTTP",
            "80",
            "TCP",
            "Accès web à GLPI, redirigé vers HTTPS",
        ],
        [
            clients,
            glpi,
            "HTTPS",
            "443",
            "TCP",
            "Interface web de GLPI (déclaration et suivi des tickets)",
        ],
        [
            "PC-ACC01 (DHCP)",
            glpi,
            "HTTPS",
            "443",
            "TCP",
            "Inventaire envoyé par GLPI Agent",
        ],
        [
            "PC-ATL01 (DHCP)",
            glpi,
            "HTTPS",
            "443",
            "TCP",
            "Inventaire envoyé par GLPI Agent",
        ],
        [
            glpi,
            "PC-ACC01 (DHCP)",
            "GLPI Agent",
            "62354",
            "TCP",
            "Demande d'inventaire immédiat à l'agent",
        ],
        [
            glpi,
            "PC-ATL01 (DHCP)",
            "GLPI Agent",
            "62354",
            "TCP",
            "Demande d'inventaire immédiat à l'agent",
        ],
        [
            glpi,
            ad,
            "LDAP",
            "389",
            "TCP",
            "Import des utilisateurs et des groupes de l'annuaire",
        ],
        [
            glpi,
            ad,
            "LDAPS",
            "636",
            "TCP",
            "Authentification des utilisateurs, chiffrée",
        ],
        [
            glpi,
            "SRV-BDD01 (192.168.10.30)",
            "MariaDB",
            "3306",
            "TCP",
            "Base de données de GLPI",
        ],
        [
            glpi,
            "Messagerie hébergée",
            "IMAPS",
            "993",
            "TCP",
            "Collecteur de mails (création de tickets)",
        ],
        [
            glpi,
            "Messagerie hébergée",
            "SMTP Submission",
            "587",
            "TCP",
            "Notifications envoyées par GLPI",
        ],
        [glpi, ad, "DNS", "53", "UDP", "Résolution de noms"],
        [clients, ad, "DNS", "53", "UDP", "Résolution de noms"],
        [
            clients,
            ad,
            "Kerberos",
            "88",
            "TCP",
            "Ouverture de session sur le domaine",
        ],
        [
            "FW01 (192.168.10.254)",
            ad,
            "DHCP",
            "67",
            "UDP",
            "Relais DHCP des postes du VLAN 20",
        ],
        [
            glpi,
            "Internet",
            "HTTPS",
            "443",
            "TCP",
            "Mises à jour de Debian et de GLPI (via le NAT)",
        ],
    ]
    .into_iter()
    .map(flow)
    .collect();
    assert_eq!(topology::flow_rows(&demo()), expected);
}

#[test]
fn ip_plan_csv_exact_bytes() {
    assert_eq!(
        topology::ip_plan_csv(&small(), Language::Fr),
        "\u{feff}Équipement;Interface;Réseau;VLAN;Adresse;Passerelle\r\n\
         R1;Gi0/0;LAN;30;10.0.30.1/24;10.0.30.1\r\n\
         \"PC \"\"accueil\"\"\";;LAN;30;DHCP;10.0.30.1\r\n"
    );
}

#[test]
fn flow_matrix_csv_exact_bytes_in_english() {
    assert_eq!(
        topology::flow_matrix_csv(&small(), Language::En),
        "\u{feff}Source;Destination;Service;Port;Protocol;Purpose\r\n\
         \"PC \"\"accueil\"\" (DHCP)\";R1 (10.0.30.1);SSH;22;TCP;\"Administration; à distance\"\r\n"
    );
}

#[test]
fn ip_plan_html_exact() {
    assert_eq!(
        topology::ip_plan_html(&small(), Language::Fr),
        "<table class=\"topologie-table topologie-plan-ip\" tabindex=\"0\">\n\
         <caption>Plan d&#39;adressage IP</caption>\n<thead>\n<tr>\
         <th scope=\"col\">Équipement</th><th scope=\"col\">Interface</th>\
         <th scope=\"col\">Réseau</th><th scope=\"col\">VLAN</th>\
         <th scope=\"col\">Adresse</th><th scope=\"col\">Passerelle</th></tr>\n</thead>\n<tbody>\n\
         <tr><th scope=\"row\">R1</th><td>Gi0/0</td><td>LAN</td><td>30</td>\
         <td><code>10.0.30.1/24</code></td><td><code>10.0.30.1</code></td></tr>\n\
         <tr><th scope=\"row\">PC &quot;accueil&quot;</th><td>—</td><td>LAN</td><td>30</td>\
         <td><code>DHCP</code></td><td><code>10.0.30.1</code></td></tr>\n\
         </tbody>\n</table>\n"
    );
}

#[test]
fn flow_matrix_html_escapes_user_text() {
    let html = topology::flow_matrix_html(&small(), Language::Fr);
    assert!(
        html.contains("<th scope=\"row\">PC &quot;accueil&quot; (DHCP)</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Administration; à distance</td>"),
        "{html}"
    );
    assert!(html.contains("<td><code>22</code></td>"), "{html}");
    assert!(!html.contains("<script>"));
}

#[test]
fn embed_holds_the_figure_both_tables_and_the_csv_links() {
    let svg = topology::to_svg(&small(), Language::Fr);
    let html = topology::embed_html(
        &small(),
        Language::Fr,
        &svg,
        "bureau-plan-ip.csv",
        "a&b\".csv",
    );
    assert!(svg.contains(" width=\"207\" "));
    assert!(html.starts_with("<div class=\"topologie-embed\" id=\"bureau-topologie\">\n<figure class=\"topologie-figure\" style=\"--w:207\" tabindex=\"0\">\n<svg "));
    assert!(html.contains("<figcaption>Petit bureau &lt;script&gt;</figcaption>"));
    assert!(html.contains("<table class=\"topologie-table topologie-plan-ip\" tabindex=\"0\">"));
    assert!(html.contains("<table class=\"topologie-table topologie-flux\" tabindex=\"0\">"));
    assert!(html.contains(
        "<a href=\"bureau-plan-ip.csv\" download>Télécharger le plan d&#39;adressage (CSV)</a>"
    ));
    assert!(html.contains(
        "<a href=\"a&amp;b&quot;.csv\" download>Télécharger la matrice des flux (CSV)</a>"
    ));
    assert!(!html.contains("<script"));
    let svg = topology::to_svg(&small(), Language::En);
    let english = topology::embed_html(&small(), Language::En, &svg, "a.csv", "b.csv");
    assert!(english.contains(">Download the IP plan (CSV)</a>"));
    assert!(english.contains("<caption>Flow matrix</caption>"));
}
