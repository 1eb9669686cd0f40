//! Which peers and hosts are this machine.

use std::net::IpAddr;

/// Whether `ip` is a loopback address, also when an IPv6 socket (`HOST=::`)
/// reports an IPv4 peer as `::ffff:127.0.0.1`.
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// The host part of a `Host` header or URL authority (`[::1]:3000` → `::1`,
/// `localhost:3000` → `localhost`), lowercased.
pub fn host_name(authority: &str) -> String {
    let authority = authority.trim();
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    host
                } else {
                    authority
                }
            })
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a `Host` header names this machine: `localhost` (or a name under
/// it) or a loopback address.
pub fn is_local_host(authority: &str) -> bool {
    let host = host_name(authority);
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(is_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_ipv4_loopback_is_local() {
        assert!(is_local("::ffff:127.0.0.1".parse().unwrap()));
        assert!(is_local("::1".parse().unwrap()));
        assert!(is_local("127.0.0.5".parse().unwrap()));
        assert!(!is_local("::ffff:10.0.0.1".parse().unwrap()));
        assert!(!is_local("192.168.1.2".parse().unwrap()));
    }

    #[test]
    fn only_loopback_hosts_are_local() {
        for host in [
            "localhost:3000",
            "LOCALHOST",
            "127.0.0.1:3000",
            "[::1]:3000",
            "app.localhost",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "attacker.example:3000",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "[::ffff:10.0.0.1]",
            "",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
