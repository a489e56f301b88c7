//! Special-purpose address ranges (RFC 6890 and its successors): such addresses are labelled and
//! never looked up, since no database can say anything true about them.

use crate::model::enrichment::AddressClass;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address as a source wrote it, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedIp {
    /// The address to look up (an IPv4-mapped IPv6 address is looked up as IPv4).
    pub addr: IpAddr,
    pub notes: Vec<String>,
}

/// Parses an address text, tolerating surrounding spaces, brackets and an IPv6 zone id.
pub fn parse_ip(text: &str) -> Result<ParsedIp, String> {
    let mut notes = Vec::new();
    let mut t = text.trim().trim_start_matches('[').trim_end_matches(']');
    if let Some((addr, zone)) = t.split_once('%') {
        notes.push(format!("zone id %{zone} dropped; it only names a local interface"));
        t = addr;
    }
    let addr: IpAddr = t.parse().map_err(|_| format!("{text:?} is not an IP address"))?;
    let addr = match addr {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => {
                notes.push(format!("IPv4-mapped IPv6 address; looked up as {v4}"));
                IpAddr::V4(v4)
            }
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    };
    Ok(ParsedIp { addr, notes })
}

/// The kind of range `addr` is in.
pub fn classify(addr: IpAddr) -> AddressClass {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn in_v4(a: Ipv4Addr, net: [u8; 4], len: u32) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    u32::from(a) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn classify_v4(a: Ipv4Addr) -> AddressClass {
    use AddressClass::*;
    let table: &[([u8; 4], u32, AddressClass)] = &[
        ([0, 0, 0, 0], 32, Unspecified),
        ([255, 255, 255, 255], 32, Broadcast),
        ([0, 0, 0, 0], 8, Reserved),
        ([10, 0, 0, 0], 8, Private),
        ([100, 64, 0, 0], 10, Cgnat),
        ([127, 0, 0, 0], 8, Loopback),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([172, 16, 0, 0], 12, Private),
        ([192, 0, 0, 0], 24, Reserved),
        ([192, 0, 2, 0], 24, Documentation),
        ([192, 88, 99, 0], 24, Reserved),
        ([192, 168, 0, 0], 16, Private),
        ([198, 18, 0, 0], 15, Reserved),
        ([198, 51, 100, 0], 24, Documentation),
        ([203, 0, 113, 0], 24, Documentation),
        ([224, 0, 0, 0], 4, Multicast),
        ([240, 0, 0, 0], 4, Reserved),
    ];
    table.iter().find(|(net, len, _)| in_v4(a, *net, *len)).map(|(_, _, c)| *c).unwrap_or(Public)
}

fn in_v6(a: Ipv6Addr, net: Ipv6Addr, len: u32) -> bool {
    let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
    u128::from(a) & mask == u128::from(net) & mask
}

fn classify_v6(a: Ipv6Addr) -> AddressClass {
    use AddressClass::*;
    if a.is_unspecified() {
        return Unspecified;
    }
    if a.is_loopback() {
        return Loopback;
    }
    const fn net(segments: [u16; 8]) -> Ipv6Addr {
        Ipv6Addr::new(
            segments[0],
            segments[1],
            segments[2],
            segments[3],
            segments[4],
            segments[5],
            segments[6],
            segments[7],
        )
    }
    const TABLE: &[(Ipv6Addr, u32, AddressClass)] = &[
        (net([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]), 32, Documentation),
        (net([0x3fff, 0, 0, 0, 0, 0, 0, 0]), 20, Documentation),
        (net([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7, Private),
        (net([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 10, LinkLocal),
        (net([0xff00, 0, 0, 0, 0, 0, 0, 0]), 8, Multicast),
        (net([0x100, 0, 0, 0, 0, 0, 0, 0]), 64, Reserved),
        (net([0x2001, 0, 0, 0, 0, 0, 0, 0]), 23, Reserved),
        (net([0, 0, 0, 0, 0, 0, 0, 0]), 96, Reserved),
    ];
    TABLE.iter().find(|(n, len, _)| in_v6(a, *n, *len)).map(|(_, _, c)| *c).unwrap_or(Public)
}

/// The words a report uses for a class.
pub fn describe(class: AddressClass) -> &'static str {
    match class {
        AddressClass::Public => "public address",
        AddressClass::Private => "private network address (RFC 1918 / unique local)",
        AddressClass::Loopback => "loopback address",
        AddressClass::LinkLocal => "link-local address",
        AddressClass::Cgnat => "carrier-grade NAT address (RFC 6598): the operator's internal range",
        AddressClass::Documentation => "documentation address (never routed on the Internet)",
        AddressClass::Multicast => "multicast address",
        AddressClass::Unspecified => "unspecified address",
        AddressClass::Broadcast => "broadcast address",
        AddressClass::Reserved => "reserved, special-purpose address",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> AddressClass {
        classify(parse_ip(s).unwrap().addr)
    }

    #[test]
    fn special_ranges() {
        use AddressClass::*;
        for (ip, c) in [
            ("10.1.2.3", Private),
            ("172.31.255.255", Private),
            ("172.32.0.1", Public),
            ("192.168.0.1", Private),
            ("100.64.0.1", Cgnat),
            ("127.0.0.1", Loopback),
            ("169.254.1.1", LinkLocal),
            ("192.0.2.10", Documentation),
            ("198.51.100.7", Documentation),
            ("203.0.113.9", Documentation),
            ("224.0.0.251", Multicast),
            ("255.255.255.255", Broadcast),
            ("240.0.0.1", Reserved),
            ("0.0.0.0", Unspecified),
            ("149.154.167.50", Public),
            ("::", Unspecified),
            ("::1", Loopback),
            ("fe80::1%eth0", LinkLocal),
            ("fd12::1", Private),
            ("2001:db8::5", Documentation),
            ("ff02::1", Multicast),
            ("::ffff:10.0.0.1", Private),
            ("::ffff:149.154.167.50", Public),
            ("2001:67c:4e8:f004::a", Public),
            ("[2606:4700:4700::1111]", Public),
        ] {
            assert_eq!(class(ip), c, "{ip}");
        }
    }

    #[test]
    fn parsing_notes_and_refusals() {
        let p = parse_ip("::ffff:1.2.3.4").unwrap();
        assert_eq!(p.addr, "1.2.3.4".parse::<IpAddr>().unwrap());
        assert!(p.notes[0].contains("IPv4-mapped"));
        assert!(parse_ip("fe80::1%wlan0").unwrap().notes[0].contains("zone id"));
        for bad in ["", "999.1.1.1", "1.2.3", "not an ip", "1.2.3.4/24", "::g"] {
            assert!(parse_ip(bad).is_err(), "{bad}");
        }
    }
}
