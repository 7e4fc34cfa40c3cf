//! Every validation rule of the topology format, each reported at its exact line and column.

use std::path::Path;

use crate::common::repo;
use guichet::topology;

/// The headlines of the errors of a fixture, in order.
fn errors_of(name: &str) -> Vec<String> {
    let path = repo("tests/fixtures/topology").join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let shown = Path::new(name);
    match topology::parse(shown, &text, "t") {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|d| d.headline()).collect(),
    }
}

#[test]
fn address_outside_its_network() {
    assert_eq!(
        errors_of("address_outside_network.yaml"),
        [
            "address_outside_network.yaml:10:18: error: address 192.168.20.5 is outside network `lan` (192.168.10.0/24)"
        ]
    );
}

#[test]
fn address_equal_to_the_network_address() {
    assert_eq!(
        errors_of("address_is_network_address.yaml"),
        [
            "address_is_network_address.yaml:8:34: error: address 192.168.10.0 is the network address of `lan` (192.168.10.0/24)"
        ]
    );
}

#[test]
fn address_equal_to_the_broadcast_address() {
    assert_eq!(
        errors_of("address_is_broadcast.yaml"),
        [
            "address_is_broadcast.yaml:8:34: error: address 192.168.10.255 is the broadcast address of `lan` (192.168.10.0/24)"
        ]
    );
}

#[test]
fn two_interfaces_with_one_address() {
    assert_eq!(
        errors_of("duplicate_address.yaml"),
        [
            "duplicate_address.yaml:12:34: error: address 192.168.10.20 is already used by `srv-a` (line 8)"
        ]
    );
}

#[test]
fn gateway_outside_its_network() {
    assert_eq!(
        errors_of("gateway_outside_network.yaml"),
        [
            "gateway_outside_network.yaml:5:14: error: gateway 192.168.1.1 is outside network `lan` (192.168.10.0/24)"
        ]
    );
}

#[test]
fn link_naming_an_unknown_device() {
    assert_eq!(
        errors_of("link_unknown_device.yaml"),
        ["link_unknown_device.yaml:8:21: error: link names unknown device `srv-glpi`"]
    );
}

#[test]
fn flow_naming_an_unknown_device() {
    assert_eq!(
        errors_of("flow_unknown_device.yaml"),
        ["flow_unknown_device.yaml:7:11: error: flow names unknown device `postes`"]
    );
}

#[test]
fn flow_to_a_service_its_host_does_not_offer() {
    let path = repo("tests/fixtures/topology/flow_service_not_offered.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let errors = topology::parse(Path::new("f.yaml"), &text, "t").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].headline(),
        "f.yaml:11:14: error: `srv-bdd` offers no service `HTTPS`"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("services of `srv-bdd`: `MariaDB`")
    );
    assert_eq!(errors[0].source_line.as_deref(), Some("    service: HTTPS"));
}

#[test]
fn vlan_outside_1_to_4094() {
    assert_eq!(
        errors_of("vlan_out_of_range.yaml"),
        [
            "vlan_out_of_range.yaml:3:11: error: VLAN id 4095 is outside 1–4094",
            "vlan_out_of_range.yaml:6:11: error: VLAN id 0 is outside 1–4094",
        ]
    );
}

#[test]
fn every_unknown_key_is_reported() {
    assert_eq!(
        errors_of("unknown_keys.yaml"),
        [
            "unknown_keys.yaml:5:5: error: unknown key `masque`",
            "unknown_keys.yaml:10:25: error: unknown key `adress`",
        ]
    );
}

#[test]
fn unknown_key_lists_the_allowed_keys() {
    let text = "devices:\n  - id: a\n    kind: server\n    nom: A\n";
    let errors = topology::parse(Path::new("t.yaml"), text, "t").unwrap_err();
    assert_eq!(
        errors[0].help.as_deref(),
        Some("allowed keys here: `id`, `label`, `kind`, `os`, `role`, `interfaces` or `services`")
    );
}

#[test]
fn all_errors_of_a_file_at_once_in_line_order() {
    assert_eq!(
        errors_of("every_error_at_once.yaml"),
        [
            "every_error_at_once.yaml:3:11: error: VLAN id 5000 is outside 1–4094",
            "every_error_at_once.yaml:5:14: error: gateway 10.0.0.1 is outside network `lan` (192.168.10.0/24)",
            "every_error_at_once.yaml:10:34: error: address 192.168.11.1 is outside network `lan` (192.168.10.0/24)",
            "every_error_at_once.yaml:11:5: error: unknown key `couleur`",
            "every_error_at_once.yaml:15:34: error: address 192.168.11.1 is already used by `srv` (line 10)",
            "every_error_at_once.yaml:15:34: error: address 192.168.11.1 is outside network `lan` (192.168.10.0/24)",
            "every_error_at_once.yaml:17:22: error: link names unknown device `routeur`",
            "every_error_at_once.yaml:19:35: error: `srv` offers no service `HTTPS`",
        ]
    );
}

#[test]
fn wrong_type_is_reported_by_serde_with_its_position() {
    let text = "devices:\n  - id: a\n    kind: routeur\n";
    let errors = topology::parse(Path::new("t.yaml"), text, "t").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0].message.contains("unknown value `routeur`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn inline_yaml_reports_the_page_lines() {
    let page = "---\ntitle: Réseau\n---\n\n```topologie\ndevices:\n  - id: a\n    kind: server\nlinks:\n  - { from: a, to: b }\n```\n";
    let block = "devices:\n  - id: a\n    kind: server\nlinks:\n  - { from: a, to: b }\n";
    let errors =
        topology::parse_inline(Path::new("content/p.md"), block, 6, page, "p-1").unwrap_err();
    assert_eq!(
        errors[0].headline(),
        "content/p.md:10:20: error: link names unknown device `b`"
    );
    assert_eq!(
        errors[0].source_line.as_deref(),
        Some("  - { from: a, to: b }")
    );
}

#[test]
fn the_demo_topology_is_valid() {
    let text = std::fs::read_to_string(repo("content/portfolio/reseau.yaml")).unwrap();
    let t = topology::parse(Path::new("reseau.yaml"), &text, "reseau").unwrap();
    assert_eq!(t.networks.len(), 3);
    assert_eq!(t.devices.len(), 12);
    assert_eq!(t.flows.len(), 16);
}

#[test]
fn the_documented_examples_are_valid() {
    let doc = std::fs::read_to_string(repo("docs/topology.md")).unwrap();
    let start = doc.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = doc[start..].find("```").unwrap() + start;
    let t = topology::parse(Path::new("doc.yaml"), &doc[start..end], "doc").unwrap();
    assert_eq!(
        (
            t.networks.len(),
            t.devices.len(),
            t.links.len(),
            t.flows.len()
        ),
        (3, 8, 7, 4)
    );
    let inline_start = doc.find("```topologie\n").unwrap() + "```topologie\n".len();
    let inline_end = doc[inline_start..].find("```").unwrap() + inline_start;
    topology::parse(
        Path::new("inline.yaml"),
        &doc[inline_start..inline_end],
        "inline",
    )
    .unwrap();
}

#[test]
fn the_documented_error_is_the_real_one() {
    let demo = std::fs::read_to_string(repo("content/portfolio/reseau.yaml")).unwrap();
    let broken = demo.replace(
        "{ network: serveurs, name: ens18, address: 192.168.10.20 }",
        "{ network: serveurs, name: ens18, address: 192.168.20.5 }",
    );
    let errors = topology::parse(
        Path::new("content/portfolio/reseau.yaml"),
        &broken,
        "reseau",
    )
    .unwrap_err();
    let doc = std::fs::read_to_string(repo("docs/topology.md")).unwrap();
    assert_eq!(errors.len(), 1);
    assert!(doc.contains(&errors[0].to_string()), "{}", errors[0]);
}

#[test]
fn type_errors_speak_of_the_format_not_of_rust_types() {
    let errors = topology::parse(Path::new("t.yaml"), "- a\n- b\n", "t").unwrap_err();
    assert_eq!(
        errors[0].headline(),
        "t.yaml:1:1: error: invalid type: a list, expected a mapping with `title`, `networks`, `devices`, `links` and `flows`"
    );
    let errors = topology::parse(Path::new("t.yaml"), "devices:\n  - 5\n", "t").unwrap_err();
    assert_eq!(
        errors[0].headline(),
        "t.yaml:2:5: error: devices[0]: invalid type: integer `5`, expected a device (a mapping with `id`, `kind`…)"
    );
}

#[test]
fn the_other_rules_each_at_their_line() {
    assert_eq!(
        errors_of("other_rules.yaml"),
        [
            "other_rules.yaml:3:23: error: VLAN 10 is already used by network `lan` (line 2)",
            "other_rules.yaml:3:33: error: network 192.168.10.128/25 overlaps network `lan`",
            "other_rules.yaml:4:22: error: `192.168.30.7/24` is not a network address",
            "other_rules.yaml:5:24: error: invalid network `192.168.40.0`",
            "other_rules.yaml:7:9: error: invalid device id `Srv`",
            "other_rules.yaml:10:20: error: unknown network `wifi`",
            "other_rules.yaml:11:34: error: invalid IPv4 address `192.168.10.300`",
            "other_rules.yaml:13:28: error: port 0 is outside 1–65535",
            "other_rules.yaml:14:17: error: duplicate service `web` (first at line 13)",
            "other_rules.yaml:15:11: error: `lan` is already the id of a network",
            "other_rules.yaml:18:21: error: link from `sw` to itself",
        ]
    );
}
