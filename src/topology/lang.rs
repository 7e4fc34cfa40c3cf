//! The words of the generated diagram and tables, in the site's language.

use crate::language::Language;

/// Every user-facing string of the topology renderings, for one language.
#[derive(Debug, Clone)]
pub struct Words {
    /// Caption of the IP plan table.
    pub ip_plan: &'static str,
    /// Caption of the flow matrix table.
    pub flow_matrix: &'static str,
    /// Column headers of the IP plan.
    pub ip_plan_headers: [&'static str; 6],
    /// Column headers of the flow matrix.
    pub flow_headers: [&'static str; 6],
    /// Title used when the file has none.
    pub default_title: &'static str,
    /// Text of the CSV download link of the IP plan.
    pub download_ip_plan: &'static str,
    /// Text of the CSV download link of the flow matrix.
    pub download_flows: &'static str,
    /// "VLAN" label prefix in zone headers.
    pub vlan: &'static str,
    /// "gateway" in zone headers.
    pub gateway: &'static str,
    /// Description sentence when the file has none: "{n} devices, {m} networks".
    pub summary: fn(usize, usize) -> String,
}

/// The words for the site's language.
pub(crate) fn words(lang: Language) -> Words {
    if lang == Language::En {
        Words {
            ip_plan: "IP address plan",
            flow_matrix: "Flow matrix",
            ip_plan_headers: [
                "Device",
                "Interface",
                "Network",
                "VLAN",
                "Address",
                "Gateway",
            ],
            flow_headers: [
                "Source",
                "Destination",
                "Service",
                "Port",
                "Protocol",
                "Purpose",
            ],
            default_title: "Network topology",
            download_ip_plan: "Download the IP plan (CSV)",
            download_flows: "Download the flow matrix (CSV)",
            vlan: "VLAN",
            gateway: "gateway",
            summary: |d, n| format!("Network diagram: {d} devices in {n} networks."),
        }
    } else {
        Words {
            ip_plan: "Plan d'adressage IP",
            flow_matrix: "Matrice des flux",
            ip_plan_headers: [
                "Équipement",
                "Interface",
                "Réseau",
                "VLAN",
                "Adresse",
                "Passerelle",
            ],
            flow_headers: [
                "Source",
                "Destination",
                "Service",
                "Port",
                "Protocole",
                "Objet",
            ],
            default_title: "Topologie du réseau",
            download_ip_plan: "Télécharger le plan d'adressage (CSV)",
            download_flows: "Télécharger la matrice des flux (CSV)",
            vlan: "VLAN",
            gateway: "passerelle",
            summary: |d, n| format!("Schéma du réseau : {d} équipements dans {n} réseaux."),
        }
    }
}
