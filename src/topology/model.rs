//! The topology file as written by the user ([`RawTopology`], straight from serde) and the
//! validated model every renderer reads ([`Topology`]).
//!
//! The raw types keep numbers wide (`i64`) and addresses as text so that the validator, not
//! serde, reports a VLAN of 5000 or an address of `192.168.1.300` with a clear message.

use std::net::Ipv4Addr;

use serde::Deserialize;

use super::ipv4::Cidr;
pub(crate) use crate::localized_text::Text;

/// The top level of a topology file. `T` is a human text: [`Text`] as read (one string, or
/// one per language), `String` once one language's words are picked (see `localize`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopology<T = String> {
    /// Title of the diagram (optional: a default in the site's language is used).
    pub title: Option<T>,
    /// One sentence shown under the diagram and used as the SVG's description.
    pub description: Option<T>,
    /// The IP networks (subnets, VLANs).
    #[serde(default = "Vec::new")]
    pub networks: Vec<RawNetwork<T>>,
    /// The equipment.
    #[serde(default = "Vec::new")]
    pub devices: Vec<RawDevice<T>>,
    /// Cables or logical links between devices.
    #[serde(default = "Vec::new")]
    pub links: Vec<RawLink<T>>,
    /// Allowed traffic, for the flow matrix.
    #[serde(default = "Vec::new")]
    pub flows: Vec<RawFlow<T>>,
}

/// One network as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNetwork<T = String> {
    /// Identifier used by interfaces and flows.
    pub id: String,
    /// Human name ("Serveurs").
    pub label: Option<T>,
    /// 802.1Q VLAN id, 1 to 4094.
    pub vlan: Option<i64>,
    /// The subnet, `a.b.c.d/n`.
    pub cidr: String,
    /// The default gateway of the hosts of this network.
    pub gateway: Option<String>,
}

/// One device as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDevice<T = String> {
    /// Identifier used by links and flows.
    pub id: String,
    /// The name shown on the diagram (host name such as `SRV-GLPI01`).
    pub label: Option<T>,
    /// What the device is; selects its icon.
    pub kind: Kind,
    /// Operating system ("Debian 12").
    pub os: Option<T>,
    /// What it does ("GLPI 11 — Apache, PHP 8.2").
    pub role: Option<T>,
    /// Its network interfaces.
    #[serde(default)]
    pub interfaces: Vec<RawInterface>,
    /// The services it offers to others.
    #[serde(default)]
    pub services: Vec<RawService>,
}

/// One interface as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInterface {
    /// The network id it is attached to.
    pub network: String,
    /// Interface name (`ens18`, `Gi0/1`), optional.
    pub name: Option<String>,
    /// A static IPv4 address, or `dhcp`.
    pub address: String,
}

/// One service as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawService {
    /// Name used by flows and shown in the flow matrix ("HTTPS", "LDAPS").
    pub name: String,
    /// TCP or UDP port, 1 to 65535.
    pub port: i64,
    /// `tcp` (default) or `udp`.
    #[serde(default)]
    pub protocol: Protocol,
}

/// One link as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink<T = String> {
    /// A device id.
    pub from: String,
    /// A device id.
    pub to: String,
    /// A short text on the link ("trunk 802.1Q", "Gi0/1").
    pub label: Option<T>,
}

/// One flow as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlow<T = String> {
    /// A device id, or a network id for "every host of this network".
    pub from: String,
    /// The device that offers the service.
    pub to: String,
    /// The name of one of `to`'s services.
    pub service: String,
    /// Why this flow exists, in the site's language.
    pub purpose: T,
}

/// The kinds of device, each drawn with its own icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The internet (a cloud).
    Internet,
    /// A router.
    Router,
    /// A firewall.
    Firewall,
    /// A switch.
    Switch,
    /// A physical server.
    Server,
    /// A virtual machine.
    Vm,
    /// A workstation.
    Client,
    /// A printer.
    Printer,
    /// A Wi-Fi access point.
    AccessPoint,
    /// A mail server or mailbox.
    Mail,
    /// A cloud service.
    Cloud,
}

impl Kind {
    /// The value written in YAML and in `data-kind`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Internet => "internet",
            Kind::Router => "router",
            Kind::Firewall => "firewall",
            Kind::Switch => "switch",
            Kind::Server => "server",
            Kind::Vm => "vm",
            Kind::Client => "client",
            Kind::Printer => "printer",
            Kind::AccessPoint => "access-point",
            Kind::Mail => "mail",
            Kind::Cloud => "cloud",
        }
    }

    /// True for the network gear that carries traffic rather than offering services.
    pub(crate) fn is_infrastructure(self) -> bool {
        matches!(
            self,
            Kind::Router | Kind::Firewall | Kind::Switch | Kind::AccessPoint
        )
    }
}

/// Transport protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    /// The name shown in tables: `TCP` or `UDP`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
        }
    }
}

/// A validated topology: every reference resolves, every address is in its network.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    /// The diagram id (file stem), used in `data-topology` and as the prefix of SVG ids.
    pub id: String,
    /// Title, if the file gives one.
    pub title: Option<String>,
    /// Description, if the file gives one.
    pub description: Option<String>,
    /// Networks in file order.
    pub networks: Vec<Network>,
    /// Devices in file order.
    pub devices: Vec<Device>,
    /// Links in file order.
    pub links: Vec<Link>,
    /// Flows in file order.
    pub flows: Vec<Flow>,
}

/// A validated network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Identifier.
    pub id: String,
    /// Name shown (the id when the file gives none).
    pub label: String,
    /// VLAN id, 1 to 4094.
    pub vlan: Option<u16>,
    /// The subnet.
    pub cidr: Cidr,
    /// Default gateway, inside the subnet.
    pub gateway: Option<Ipv4Addr>,
}

/// A validated device.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    /// Identifier.
    pub id: String,
    /// Name shown (the id when the file gives none).
    pub label: String,
    /// Kind, selecting the icon.
    pub kind: Kind,
    /// Operating system.
    pub os: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Interfaces in file order.
    pub interfaces: Vec<Interface>,
    /// Services in file order.
    pub services: Vec<Service>,
}

/// A validated interface.
#[derive(Debug, Clone, PartialEq)]
pub struct Interface {
    /// The network id (known).
    pub network: String,
    /// Interface name.
    pub name: Option<String>,
    /// Static address or DHCP.
    pub address: Address,
}

/// How an interface gets its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    /// A fixed address, inside the interface's network.
    Static(Ipv4Addr),
    /// Leased by a DHCP server.
    Dhcp,
}

/// A validated service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Name, unique on its device.
    pub name: String,
    /// Port, 1 to 65535.
    pub port: u16,
    /// TCP or UDP.
    pub protocol: Protocol,
}

/// A validated link between two known devices.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Device id.
    pub from: String,
    /// Device id.
    pub to: String,
    /// Optional text on the link.
    pub label: Option<String>,
}

/// A validated flow: `to` offers `service`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// A device id or a network id.
    pub from: String,
    /// A device id.
    pub to: String,
    /// A service name of `to`.
    pub service: String,
    /// Why the flow exists.
    pub purpose: String,
}

impl Topology {
    /// The device with this id.
    pub(crate) fn device(&self, id: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.id == id)
    }

    /// The network with this id.
    pub(crate) fn network(&self, id: &str) -> Option<&Network> {
        self.networks.iter().find(|n| n.id == id)
    }
}

impl Device {
    /// The service with this name.
    pub(crate) fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}
