//! Telegram's own network: an address here is Telegram infrastructure, not a rogue data center.
//! Applied before any hosting rule.

use std::net::IpAddr;

/// Where the prefixes come from.
pub const SOURCE_NAME: &str = "Telegram's published network list (core.telegram.org/resources/cidr.txt, as of 2026-01-19) \
and its autonomous systems 62041, 59930, 62014, 44907, 211157";

/// Telegram's published prefixes (facts, written from its public list).
const PREFIXES: &[&str] = &[
    "91.108.56.0/22",
    "91.108.4.0/22",
    "91.108.8.0/22",
    "91.108.16.0/22",
    "91.108.12.0/22",
    "149.154.160.0/20",
    "91.105.192.0/23",
    "91.108.20.0/22",
    "185.76.151.0/24",
    "2001:b28:f23d::/48",
    "2001:b28:f23f::/48",
    "2001:67c:4e8::/48",
    "2001:b28:f23c::/48",
    "2a0a:f280::/32",
];

/// Telegram's autonomous systems ("Telegram Messenger Inc"); they announce ranges beyond the list.
pub const ASNS: &[u32] = &[62041, 59930, 62014, 44907, 211157];

/// The published prefixes as numbers, parsed once.
fn parsed() -> &'static [(&'static str, IpAddr, u32)] {
    static PARSED: std::sync::OnceLock<Vec<(&'static str, IpAddr, u32)>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        PREFIXES
            .iter()
            .filter_map(|p| {
                let (net, len) = p.split_once('/')?;
                Some((*p, net.parse().ok()?, len.parse().ok()?))
            })
            .collect()
    })
}

/// The published prefix containing `addr`, if any.
pub fn prefix_of(addr: IpAddr) -> Option<&'static str> {
    parsed().iter().find(|(_, net, len)| contains(*net, *len, addr)).map(|(p, _, _)| *p)
}

fn contains(net: IpAddr, len: u32, addr: IpAddr) -> bool {
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) if len <= 32 => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) if len <= 128 => {
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_prefixes() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(prefix_of(ip("149.154.167.50")), Some("149.154.160.0/20"));
        assert_eq!(prefix_of(ip("2001:67c:4e8:f004::a")), Some("2001:67c:4e8::/48"));
        assert_eq!(prefix_of(ip("91.108.56.130")), Some("91.108.56.0/22"));
        assert_eq!(prefix_of(ip("95.161.64.1")), None, "Telegram's, but only by its ASN");
        assert_eq!(prefix_of(ip("3.5.140.2")), None);
        assert_eq!(parsed().len(), PREFIXES.len(), "every published prefix parses");
    }
}
