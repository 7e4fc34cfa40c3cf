//! IPv4 networks in CIDR notation: parsing and the address checks the validator needs.
//!
//! Hand-written rather than a crate because the rules are few and the error messages must speak
//! the user's language ("not a network address, did you mean …").

use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 network such as `192.168.10.0/24`, always stored with its host bits cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    /// The network address (host bits are zero).
    pub network: Ipv4Addr,
    /// The prefix length, 0 to 32.
    pub prefix: u8,
}

/// Why a CIDR text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CidrError {
    /// Not of the form `a.b.c.d/n` with a valid address and 0 ≤ n ≤ 32.
    Syntax,
    /// Valid, but host bits are set: carries the network the user probably meant.
    HostBitsSet(Cidr),
}

impl Cidr {
    /// Parses `a.b.c.d/n`; the address must be the network's own address.
    pub fn parse(text: &str) -> Result<Cidr, CidrError> {
        let (addr, prefix) = text.trim().split_once('/').ok_or(CidrError::Syntax)?;
        let addr = parse_address(addr).ok_or(CidrError::Syntax)?;
        if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CidrError::Syntax);
        }
        let prefix: u8 = prefix.parse().map_err(|_| CidrError::Syntax)?;
        if prefix > 32 {
            return Err(CidrError::Syntax);
        }
        let cidr = Cidr {
            network: Ipv4Addr::from(u32::from(addr) & mask(prefix)),
            prefix,
        };
        if cidr.network == addr {
            Ok(cidr)
        } else {
            Err(CidrError::HostBitsSet(cidr))
        }
    }

    /// The netmask as an address, such as `255.255.255.0` for /24.
    #[cfg(test)]
    pub(crate) fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(mask(self.prefix))
    }

    /// The last address of the network (the broadcast address when the prefix is below 31).
    pub(crate) fn last(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.network) | !mask(self.prefix))
    }

    /// True when `addr` lies in the network, its network and broadcast addresses included.
    pub(crate) fn contains(&self, addr: Ipv4Addr) -> bool {
        u32::from(addr) & mask(self.prefix) == u32::from(self.network)
    }

    /// True when the two networks share at least one address.
    pub(crate) fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other.network) || other.contains(self.network)
    }

    /// Why `addr` cannot be given to a host of this network, or `None` when it can.
    /// /31 and /32 networks have no network or broadcast address to reserve (RFC 3021).
    pub(crate) fn host_problem(&self, addr: Ipv4Addr) -> Option<HostProblem> {
        if !self.contains(addr) {
            Some(HostProblem::Outside)
        } else if self.prefix < 31 && addr == self.network {
            Some(HostProblem::NetworkAddress)
        } else if self.prefix < 31 && addr == self.last() {
            Some(HostProblem::BroadcastAddress)
        } else {
            None
        }
    }
}

/// What is wrong with a host address in a given network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostProblem {
    /// The address is not in the network.
    Outside,
    /// The address is the network address itself.
    NetworkAddress,
    /// The address is the broadcast address.
    BroadcastAddress,
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Parses a dotted-quad address strictly: four decimal parts 0–255, no leading zeros (which
/// some tools read as octal), nothing else.
pub(crate) fn parse_address(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let valid = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'));
        if !valid {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(text: &str) -> Cidr {
        Cidr::parse(text).unwrap()
    }

    #[test]
    fn parses_network_and_derives_mask_and_broadcast() {
        let c = cidr("192.168.10.0/24");
        assert_eq!(c.to_string(), "192.168.10.0/24");
        assert_eq!(c.netmask(), Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(c.last(), Ipv4Addr::new(192, 168, 10, 255));
        assert_eq!(cidr("10.0.0.0/8").last(), Ipv4Addr::new(10, 255, 255, 255));
        assert_eq!(cidr("0.0.0.0/0").last(), Ipv4Addr::new(255, 255, 255, 255));
    }

    #[test]
    fn refuses_bad_syntax_and_suggests_the_network_when_host_bits_are_set() {
        for bad in [
            "192.168.10.0",
            "192.168.10.0/33",
            "192.168.10/24",
            "192.168.010.0/24",
            "192.168.10.0/",
            "192.168.10.0/-1",
            "256.1.1.0/24",
            "a.b.c.d/8",
        ] {
            assert_eq!(Cidr::parse(bad), Err(CidrError::Syntax), "{bad}");
        }
        assert_eq!(
            Cidr::parse("192.168.10.5/24"),
            Err(CidrError::HostBitsSet(cidr("192.168.10.0/24")))
        );
    }

    #[test]
    fn host_problems() {
        let c = cidr("192.168.10.0/24");
        let a = |s: &str| parse_address(s).unwrap();
        assert_eq!(c.host_problem(a("192.168.10.1")), None);
        assert_eq!(c.host_problem(a("192.168.10.254")), None);
        assert_eq!(
            c.host_problem(a("192.168.11.1")),
            Some(HostProblem::Outside)
        );
        assert_eq!(
            c.host_problem(a("192.168.10.0")),
            Some(HostProblem::NetworkAddress)
        );
        assert_eq!(
            c.host_problem(a("192.168.10.255")),
            Some(HostProblem::BroadcastAddress)
        );
        let p2p = cidr("10.0.0.0/31");
        assert_eq!(p2p.host_problem(a("10.0.0.0")), None);
        assert_eq!(p2p.host_problem(a("10.0.0.1")), None);
    }

    #[test]
    fn overlap() {
        assert!(cidr("10.0.0.0/8").overlaps(&cidr("10.1.0.0/16")));
        assert!(cidr("10.1.0.0/16").overlaps(&cidr("10.0.0.0/8")));
        assert!(!cidr("192.168.10.0/24").overlaps(&cidr("192.168.20.0/24")));
    }
}
