//! A generator of plausible topologies of any size, for tests and benchmarks of the layout:
//! an internet link, a firewall routing every network, one switch per network and hosts of
//! every kind spread over the networks, one of them attached to two networks.
//!
//! Not part of the library: included with `#[path]` by tests/topology_svg.rs and
//! examples/topology_quality.rs.

use std::fmt::Write;
use std::path::Path;

use guichet::diagnostics::Diagnostic;
use guichet::topology::{self, Topology};

const HOST_KINDS: [&str; 5] = ["server", "client", "vm", "printer", "client"];

/// The YAML of a topology with `devices` devices (at least `networks + 3`) over `networks`
/// networks (1 to 200). Deterministic: the same arguments give the same text.
pub fn generate_yaml(devices: usize, networks: usize) -> String {
    let networks = networks.clamp(1, 200);
    let hosts = devices.saturating_sub(networks + 2).max(1);
    let mut y = String::from("title: Réseau généré\nnetworks:\n");
    for n in 0..networks {
        let _ = writeln!(
            y,
            "  - {{ id: net{n}, label: Réseau {n}, vlan: {vlan}, cidr: 10.{n}.0.0/24, gateway: 10.{n}.0.254 }}",
            vlan = 10 * (n + 1)
        );
    }
    y.push_str("devices:\n  - { id: internet, label: Internet, kind: internet }\n");
    y.push_str("  - id: fw\n    label: FW-CORE\n    kind: firewall\n    interfaces:\n");
    for n in 0..networks {
        let _ = writeln!(
            y,
            "      - {{ network: net{n}, name: port{n}, address: 10.{n}.0.254 }}"
        );
    }
    for n in 0..networks {
        let _ = writeln!(
            y,
            "  - id: sw{n}\n    label: SW-{n:02}\n    kind: switch\n    interfaces:\n      - {{ network: net{n}, address: 10.{n}.0.253 }}"
        );
    }
    let mut links = String::from("links:\n  - { from: internet, to: fw }\n");
    for n in 0..networks {
        let _ = writeln!(
            links,
            "  - {{ from: fw, to: sw{n}, label: VLAN {} }}",
            10 * (n + 1)
        );
    }
    for h in 0..hosts {
        let n = h % networks;
        let kind = HOST_KINDS[(h / networks) % HOST_KINDS.len()];
        let _ = writeln!(
            y,
            "  - id: h{h}\n    label: HOTE-{h:03}\n    kind: {kind}\n    role: Hôte numéro {h}\n    interfaces:\n      - {{ network: net{n}, address: 10.{n}.0.{} }}",
            10 + h / networks
        );
        if h == 0 && networks > 1 {
            // One dual-homed host: it sits outside the zones and links two switches.
            let _ = writeln!(y, "      - {{ network: net1, address: 10.1.0.200 }}");
            let _ = writeln!(links, "  - {{ from: sw1, to: h0 }}");
        }
        if kind == "server" {
            let _ = writeln!(y, "    services:\n      - {{ name: HTTPS, port: 443 }}");
        }
        let _ = writeln!(links, "  - {{ from: sw{n}, to: h{h} }}");
    }
    y.push_str(&links);
    let _ = writeln!(
        y,
        "flows:\n  - {{ from: net{}, to: h0, service: HTTPS, purpose: Accès web }}",
        networks - 1
    );
    y
}

/// The topology of [`generate_yaml`], parsed and validated like a user's file.
pub fn generate(devices: usize, networks: usize) -> Result<Topology, Vec<Diagnostic>> {
    let yaml = generate_yaml(devices, networks);
    topology::parse(Path::new("generated.yaml"), &yaml, "genere")
}
