//! From YAML text to a [`Topology`]: unknown keys, types, then every semantic rule, each error
//! at its exact line and column, all errors of the file at once.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::path::Path;

use serde_yaml::Value;

use super::ipv4::{Cidr, CidrError, HostProblem, parse_address};
use super::localize::localize;
use super::model::{
    Address, Device, Flow, Interface, Link, Network, RawDevice, RawFlow, RawLink, RawNetwork,
    RawTopology, Service, Text, Topology,
};
use crate::diagnostics::Diagnostic;
use crate::localized_text::Languages;
use crate::yaml::{self, Pos, Spans};

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "networks",
    "devices",
    "links",
    "flows",
];
const NETWORK_KEYS: &[&str] = &["id", "label", "vlan", "cidr", "gateway"];
const DEVICE_KEYS: &[&str] = &[
    "id",
    "label",
    "kind",
    "os",
    "role",
    "interfaces",
    "services",
];
const INTERFACE_KEYS: &[&str] = &["network", "name", "address"];
const SERVICE_KEYS: &[&str] = &["name", "port", "protocol"];
const LINK_KEYS: &[&str] = &["from", "to", "label"];
const FLOW_KEYS: &[&str] = &["from", "to", "service", "purpose"];

/// Parses and validates `text` (whose line 1 is line `first_line` of `full_text`, the whole
/// file at `path`) into the topology `id`, its texts in the language `languages` asks for;
/// returns it with the warnings about texts missing in that language, or every error found,
/// sorted by position.
pub(crate) fn parse_at(
    path: &Path,
    text: &str,
    first_line: usize,
    full_text: &str,
    id: &str,
    languages: Option<Languages>,
) -> Result<(Topology, Vec<Diagnostic>), Vec<Diagnostic>> {
    yaml::reject_lone_carriage_return(path, text, first_line, full_text).map_err(|d| vec![d])?;
    let value: Value = serde_yaml::from_str(text)
        .map_err(|e| vec![yaml::serde_error(path, &e, first_line, full_text)])?;
    let spans = Spans::scan(text, first_line);
    let mut checker = Checker {
        path,
        full_text,
        spans: &spans,
        errors: Vec::new(),
    };
    checker.unknown_keys(&value);
    let raw: RawTopology<Text> = if checker.errors.is_empty() {
        yaml::parse::<RawTopology<Text>>(path, text, first_line, full_text)
            .map_err(|d| vec![in_users_terms(d)])?
            .0
    } else {
        // Unknown keys are all reported; the rest of the file is still checked when its
        // values have the right types once those keys are set aside.
        match serde_yaml::from_value::<RawTopology<Text>>(without_unknown_keys(value)) {
            Ok(raw) => raw,
            Err(_) => return Err(checker.finish()),
        }
    };
    let localized = localize(path, full_text, &spans, raw, languages);
    checker.errors.extend(localized.errors);
    let topology = checker.semantic(&localized.raw, id);
    if checker.errors.is_empty() {
        Ok((topology, localized.warnings))
    } else {
        Err(checker.finish())
    }
}

struct Checker<'a> {
    path: &'a Path,
    full_text: &'a str,
    spans: &'a Spans,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn finish(mut self) -> Vec<Diagnostic> {
        self.errors
            .sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
        self.errors.dedup();
        self.errors
    }

    fn error_at(&mut self, pos: Pos, message: String, help: Option<String>) {
        let mut d =
            Diagnostic::error(self.path, pos.line, pos.column, message).with_source(self.full_text);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    fn error(&mut self, span_path: &str, message: String) {
        self.error_at(self.spans.at(span_path), message, None);
    }

    fn error_with_help(&mut self, span_path: &str, message: String, help: String) {
        self.error_at(self.spans.at(span_path), message, Some(help));
    }

    /// Reports every key that the format does not know, at the key itself.
    fn unknown_keys(&mut self, value: &Value) {
        self.keys_in(value, "", TOP_KEYS);
        for (i, item) in items(value, "networks") {
            self.keys_in(item, &format!("networks.{i}"), NETWORK_KEYS);
        }
        for (i, item) in items(value, "devices") {
            let at = format!("devices.{i}");
            self.keys_in(item, &at, DEVICE_KEYS);
            for (j, iface) in items(item, "interfaces") {
                self.keys_in(iface, &format!("{at}.interfaces.{j}"), INTERFACE_KEYS);
            }
            for (j, service) in items(item, "services") {
                self.keys_in(service, &format!("{at}.services.{j}"), SERVICE_KEYS);
            }
        }
        for (i, item) in items(value, "links") {
            self.keys_in(item, &format!("links.{i}"), LINK_KEYS);
        }
        for (i, item) in items(value, "flows") {
            self.keys_in(item, &format!("flows.{i}"), FLOW_KEYS);
        }
    }

    fn keys_in(&mut self, value: &Value, at: &str, allowed: &[&str]) {
        let Value::Mapping(map) = value else { return };
        for key in map.keys() {
            let Some(name) = key.as_str() else { continue };
            if !allowed.contains(&name) {
                let key_path = if at.is_empty() {
                    name.to_string()
                } else {
                    format!("{at}.{name}")
                };
                let pos = self
                    .spans
                    .key(&key_path)
                    .unwrap_or(Pos { line: 1, column: 1 });
                self.error_at(
                    pos,
                    format!("unknown key `{name}`"),
                    Some(format!("allowed keys here: {}", key_list(allowed))),
                );
            }
        }
    }

    /// Checks every rule that needs the whole file, and builds the model as it goes.
    fn semantic(&mut self, raw: &RawTopology, id: &str) -> Topology {
        if raw.devices.is_empty() {
            self.error_with_help(
                "devices",
                "a topology needs at least one device".to_string(),
                "add a `devices:` list".to_string(),
            );
        }
        let networks = self.networks(&raw.networks);
        let devices = self.devices(&raw.devices, &networks);
        let links = self.links(&raw.links, &devices);
        let flows = self.flows(&raw.flows, &devices, &networks);
        Topology {
            id: id.to_string(),
            title: raw.title.clone(),
            description: raw.description.clone(),
            networks,
            devices,
            links,
            flows,
        }
    }

    fn check_id(&mut self, at: &str, id: &str, seen: &mut BTreeMap<String, usize>, what: &str) {
        if !is_valid_id(id) {
            self.error_with_help(
                at,
                format!("invalid {what} id `{id}`"),
                "ids are lowercase letters, digits and hyphens, starting with a letter or digit"
                    .to_string(),
            );
        }
        let line = self.spans.at(at).line;
        if let Some(first) = seen.get(id) {
            let first = *first;
            self.error(
                at,
                format!("duplicate {what} id `{id}` (first at line {first})"),
            );
        } else {
            seen.insert(id.to_string(), line);
        }
    }

    fn networks(&mut self, raw: &[RawNetwork]) -> Vec<Network> {
        let mut ids = BTreeMap::new();
        let mut vlans: BTreeMap<i64, (String, usize)> = BTreeMap::new();
        let mut valid: Vec<(String, Cidr)> = Vec::new();
        let mut out = Vec::new();
        for (i, n) in raw.iter().enumerate() {
            let at = format!("networks.{i}");
            self.check_id(&format!("{at}.id"), &n.id, &mut ids, "network");
            let vlan = n
                .vlan
                .and_then(|v| self.vlan(&format!("{at}.vlan"), v, &n.id, &mut vlans));
            let Some(cidr) = self.cidr(&format!("{at}.cidr"), &n.cidr) else {
                continue;
            };
            if let Some((other, _)) = valid.iter().find(|(_, c)| c.overlaps(&cidr)) {
                let other = other.clone();
                self.error(
                    &format!("{at}.cidr"),
                    format!("network {cidr} overlaps network `{other}`"),
                );
            }
            valid.push((n.id.clone(), cidr));
            let gateway = n
                .gateway
                .as_deref()
                .and_then(|g| self.gateway(&format!("{at}.gateway"), g, &n.id, cidr));
            out.push(Network {
                id: n.id.clone(),
                label: n.label.clone().unwrap_or_else(|| n.id.clone()),
                vlan,
                cidr,
                gateway,
            });
        }
        out
    }

    fn vlan(
        &mut self,
        at: &str,
        vlan: i64,
        network: &str,
        seen: &mut BTreeMap<i64, (String, usize)>,
    ) -> Option<u16> {
        if !(1..=4094).contains(&vlan) {
            self.error_with_help(
                at,
                format!("VLAN id {vlan} is outside 1–4094"),
                "802.1Q VLAN ids go from 1 to 4094 (0 and 4095 are reserved)".to_string(),
            );
            return None;
        }
        if let Some((other, line)) = seen.get(&vlan) {
            let msg = format!("VLAN {vlan} is already used by network `{other}` (line {line})");
            self.error(at, msg);
        } else {
            seen.insert(vlan, (network.to_string(), self.spans.at(at).line));
        }
        u16::try_from(vlan).ok()
    }

    fn cidr(&mut self, at: &str, text: &str) -> Option<Cidr> {
        match Cidr::parse(text) {
            Ok(c) => Some(c),
            Err(CidrError::Syntax) => {
                self.error_with_help(
                    at,
                    format!("invalid network `{text}`"),
                    "write the network in CIDR notation, such as 192.168.10.0/24".to_string(),
                );
                None
            }
            Err(CidrError::HostBitsSet(c)) => {
                self.error_with_help(
                    at,
                    format!("`{text}` is not a network address"),
                    format!("did you mean {c}?"),
                );
                None
            }
        }
    }

    fn gateway(&mut self, at: &str, text: &str, network: &str, cidr: Cidr) -> Option<Ipv4Addr> {
        let addr = self.address(at, text)?;
        match cidr.host_problem(addr) {
            None => Some(addr),
            Some(problem) => {
                let msg = host_message("gateway", addr, problem, network, cidr);
                self.error(at, msg);
                None
            }
        }
    }

    fn address(&mut self, at: &str, text: &str) -> Option<Ipv4Addr> {
        let addr = parse_address(text.trim());
        if addr.is_none() {
            self.error_with_help(
                at,
                format!("invalid IPv4 address `{text}`"),
                "write four numbers from 0 to 255, such as 192.168.10.20 (or `dhcp`)".to_string(),
            );
        }
        addr
    }

    fn devices(&mut self, raw: &[RawDevice], networks: &[Network]) -> Vec<Device> {
        let mut ids = BTreeMap::new();
        let mut used: BTreeMap<Ipv4Addr, (String, usize)> = BTreeMap::new();
        let network_ids: BTreeSet<&str> = networks.iter().map(|n| n.id.as_str()).collect();
        let mut out = Vec::new();
        for (i, d) in raw.iter().enumerate() {
            let at = format!("devices.{i}");
            self.check_id(&format!("{at}.id"), &d.id, &mut ids, "device");
            if network_ids.contains(d.id.as_str()) {
                self.error(
                    &format!("{at}.id"),
                    format!("`{}` is already the id of a network", d.id),
                );
            }
            let mut interfaces = Vec::new();
            for (j, iface) in d.interfaces.iter().enumerate() {
                let at = format!("{at}.interfaces.{j}");
                if let Some(i) = self.interface(&at, iface, &d.id, networks, &mut used) {
                    interfaces.push(i);
                }
            }
            let services = self.services(&at, d);
            out.push(Device {
                id: d.id.clone(),
                label: d.label.clone().unwrap_or_else(|| d.id.clone()),
                kind: d.kind,
                os: d.os.clone(),
                role: d.role.clone(),
                interfaces,
                services,
            });
        }
        out
    }

    fn interface(
        &mut self,
        at: &str,
        raw: &super::model::RawInterface,
        device: &str,
        networks: &[Network],
        used: &mut BTreeMap<Ipv4Addr, (String, usize)>,
    ) -> Option<Interface> {
        let network = networks.iter().find(|n| n.id == raw.network);
        if network.is_none() {
            self.error_with_help(
                &format!("{at}.network"),
                format!("unknown network `{}`", raw.network),
                format!(
                    "networks declared: {}",
                    key_list(&networks.iter().map(|n| n.id.as_str()).collect::<Vec<_>>())
                ),
            );
        }
        let address_at = format!("{at}.address");
        let address = if raw.address.trim().eq_ignore_ascii_case("dhcp") {
            Address::Dhcp
        } else {
            let addr = self.address(&address_at, &raw.address)?;
            if let Some(n) = network
                && let Some(problem) = n.cidr.host_problem(addr)
            {
                let msg = host_message("address", addr, problem, &n.id, n.cidr);
                self.error(&address_at, msg);
            }
            let line = self.spans.at(&address_at).line;
            if let Some((other, first)) = used.get(&addr) {
                let msg = format!("address {addr} is already used by `{other}` (line {first})");
                self.error(&address_at, msg);
            } else {
                used.insert(addr, (device.to_string(), line));
            }
            Address::Static(addr)
        };
        network.map(|n| Interface {
            network: n.id.clone(),
            name: raw.name.clone(),
            address,
        })
    }

    fn services(&mut self, at: &str, d: &RawDevice) -> Vec<Service> {
        let mut names = BTreeMap::new();
        let mut out = Vec::new();
        for (j, s) in d.services.iter().enumerate() {
            let at = format!("{at}.services.{j}");
            let line = self.spans.at(&format!("{at}.name")).line;
            if let Some(first) = names.get(&s.name) {
                let msg = format!("duplicate service `{}` (first at line {first})", s.name);
                self.error(&format!("{at}.name"), msg);
            } else {
                names.insert(s.name.clone(), line);
            }
            match u16::try_from(s.port) {
                Ok(port) if port > 0 => out.push(Service {
                    name: s.name.clone(),
                    port,
                    protocol: s.protocol,
                }),
                _ => self.error(
                    &format!("{at}.port"),
                    format!("port {} is outside 1–65535", s.port),
                ),
            }
        }
        out
    }

    fn links(&mut self, raw: &[RawLink], devices: &[Device]) -> Vec<Link> {
        let mut out = Vec::new();
        for (i, l) in raw.iter().enumerate() {
            let at = format!("links.{i}");
            let mut ok = true;
            for (key, id) in [("from", &l.from), ("to", &l.to)] {
                if !devices.iter().any(|d| &d.id == id) {
                    self.error_with_help(
                        &format!("{at}.{key}"),
                        format!("link names unknown device `{id}`"),
                        "a link joins two ids declared under `devices:`".to_string(),
                    );
                    ok = false;
                }
            }
            if ok && l.from == l.to {
                self.error(
                    &format!("{at}.to"),
                    format!("link from `{}` to itself", l.to),
                );
                ok = false;
            }
            if ok {
                out.push(Link {
                    from: l.from.clone(),
                    to: l.to.clone(),
                    label: l.label.clone(),
                });
            }
        }
        out
    }

    fn flows(&mut self, raw: &[RawFlow], devices: &[Device], networks: &[Network]) -> Vec<Flow> {
        let mut out = Vec::new();
        for (i, f) in raw.iter().enumerate() {
            let at = format!("flows.{i}");
            let source_known =
                devices.iter().any(|d| d.id == f.from) || networks.iter().any(|n| n.id == f.from);
            if !source_known {
                self.error_with_help(
                    &format!("{at}.from"),
                    format!("flow names unknown device `{}`", f.from),
                    "a flow starts at a device id or a network id".to_string(),
                );
            }
            let Some(target) = devices.iter().find(|d| d.id == f.to) else {
                self.error_with_help(
                    &format!("{at}.to"),
                    format!("flow names unknown device `{}`", f.to),
                    "a flow ends at the device id that offers the service".to_string(),
                );
                continue;
            };
            if target.service(&f.service).is_none() {
                let offered: Vec<&str> = target.services.iter().map(|s| s.name.as_str()).collect();
                let help = if offered.is_empty() {
                    format!("add the service under `services:` of `{}`", target.id)
                } else {
                    format!("services of `{}`: {}", target.id, key_list(&offered))
                };
                self.error_with_help(
                    &format!("{at}.service"),
                    format!("`{}` offers no service `{}`", target.id, f.service),
                    help,
                );
                continue;
            }
            if source_known {
                out.push(Flow {
                    from: f.from.clone(),
                    to: f.to.clone(),
                    service: f.service.clone(),
                    purpose: f.purpose.clone(),
                });
            }
        }
        out
    }
}

/// serde names the Rust types it expected ("expected struct RawDevice"): say what the user
/// should write instead.
fn in_users_terms(mut d: Diagnostic) -> Diagnostic {
    const TERMS: [(&str, &str); 8] = [
        (
            "data did not match any variant of untagged enum Text",
            "expected a text, or one text per language (`{fr: Serveurs, en: Servers}`)",
        ),
        (
            "struct RawTopology",
            "a mapping with `title`, `networks`, `devices`, `links` and `flows`",
        ),
        (
            "struct RawNetwork",
            "a network (a mapping with `id`, `cidr`…)",
        ),
        (
            "struct RawDevice",
            "a device (a mapping with `id`, `kind`…)",
        ),
        (
            "struct RawInterface",
            "an interface (a mapping with `network` and `address`)",
        ),
        (
            "struct RawService",
            "a service (a mapping with `name` and `port`)",
        ),
        ("struct RawLink", "a link (a mapping with `from` and `to`)"),
        (
            "struct RawFlow",
            "a flow (a mapping with `from`, `to`, `service` and `purpose`)",
        ),
    ];
    for (rust, user) in TERMS {
        d.message = d.message.replace(rust, user);
    }
    d
}

fn host_message(
    what: &str,
    addr: Ipv4Addr,
    problem: HostProblem,
    network: &str,
    cidr: Cidr,
) -> String {
    match problem {
        HostProblem::Outside => format!("{what} {addr} is outside network `{network}` ({cidr})"),
        HostProblem::NetworkAddress => {
            format!("{what} {addr} is the network address of `{network}` ({cidr})")
        }
        HostProblem::BroadcastAddress => {
            format!("{what} {addr} is the broadcast address of `{network}` ({cidr})")
        }
    }
}

/// Ids are `[a-z0-9][a-z0-9-]*`, like workflow ids: safe in SVG ids and URLs.
fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "`a`, `b` or `c`", the way serde lists allowed keys.
fn key_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        None => "none".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The items of the sequence under `key` of a mapping, with their indexes.
fn items<'v>(value: &'v Value, key: &str) -> Vec<(usize, &'v Value)> {
    match value.get(key) {
        Some(Value::Sequence(seq)) => seq.iter().enumerate().collect(),
        _ => Vec::new(),
    }
}

/// The document with the unknown keys removed, so the typed model can still be built.
fn without_unknown_keys(mut value: Value) -> Value {
    retain(&mut value, TOP_KEYS);
    for (list, keys) in [
        ("networks", NETWORK_KEYS),
        ("links", LINK_KEYS),
        ("flows", FLOW_KEYS),
    ] {
        if let Some(Value::Sequence(seq)) = value.get_mut(list) {
            seq.iter_mut().for_each(|v| retain(v, keys));
        }
    }
    if let Some(Value::Sequence(devices)) = value.get_mut("devices") {
        for d in devices {
            retain(d, DEVICE_KEYS);
            for (list, keys) in [("interfaces", INTERFACE_KEYS), ("services", SERVICE_KEYS)] {
                if let Some(Value::Sequence(seq)) = d.get_mut(list) {
                    seq.iter_mut().for_each(|v| retain(v, keys));
                }
            }
        }
    }
    value
}

fn retain(value: &mut Value, allowed: &[&str]) {
    if let Value::Mapping(map) = value {
        map.retain(|k, _| k.as_str().is_some_and(|k| allowed.contains(&k)));
    }
}
