"""The address ranges the bot never fetches from, written out rather than asked of Python.

`ipaddress.is_global` changes between Python patch releases (3.11.7 counts 192.0.0.0/24 and
fec0::/10 as global, and no release knows cloud endpoints on public addresses such as Azure's
168.63.129.16), so the SSRF policy must not depend on it. The tables follow the IANA IPv4 and
IPv6 Special-Purpose Address Registries, plus multicast, the reserved blocks and cloud
metadata endpoints; anything not listed is public.
"""

from __future__ import annotations

import ipaddress
from typing import Final

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

IPV4_DENIED: Final[tuple[tuple[ipaddress.IPv4Network, str], ...]] = tuple(
    (ipaddress.IPv4Network(network), why)
    for network, why in (
        ("0.0.0.0/8", "this network (RFC 791)"),
        ("10.0.0.0/8", "private use (RFC 1918)"),
        ("100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"),
        ("127.0.0.0/8", "loopback (RFC 1122)"),
        ("168.63.129.16/32", "Azure WireServer and metadata, on a public address"),
        ("169.254.0.0/16", "link local, cloud metadata (RFC 3927)"),
        ("172.16.0.0/12", "private use (RFC 1918)"),
        ("192.0.0.0/24", "IETF protocol assignments, Oracle Cloud metadata (RFC 6890)"),
        ("192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"),
        ("192.31.196.0/24", "AS112 DNS sink (RFC 7535)"),
        ("192.52.193.0/24", "AMT relay anycast (RFC 7450)"),
        ("192.88.99.0/24", "6to4 relay anycast, deprecated (RFC 7526)"),
        ("192.168.0.0/16", "private use (RFC 1918)"),
        ("192.175.48.0/24", "AS112 direct delegation (RFC 7534)"),
        ("198.18.0.0/15", "benchmarking (RFC 2544)"),
        ("198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"),
        ("203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"),
        ("224.0.0.0/4", "multicast (RFC 5771)"),
        ("240.0.0.0/4", "reserved, and the limited broadcast address (RFC 1112, RFC 919)"),
    )
)

# Only 2000::/3 is allocated as global unicast (IANA IPv6 Address Space); everything else
# (::/8, 100::/64 discard, 5f00::/16 SRv6, 64:ff9b:1::/48, fc00::/7, fec0::/10, fe80::/10,
# ff00::/8 ...) is refused by that rule alone. The table names the well-known blocks anyway,
# so a refusal can say why, and lists the special-purpose blocks inside 2000::/3.
IPV6_GLOBAL_UNICAST: Final = ipaddress.IPv6Network("2000::/3")
IPV6_DENIED: Final[tuple[tuple[ipaddress.IPv6Network, str], ...]] = tuple(
    (ipaddress.IPv6Network(network), why)
    for network, why in (
        ("::/128", "unspecified (RFC 4291)"),
        ("::1/128", "loopback (RFC 4291)"),
        ("::/96", "IPv4-compatible, deprecated (RFC 4291)"),
        ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
        ("100::/64", "discard only (RFC 6666)"),
        ("100:0:0:1::/64", "dummy prefix for pseudo-interfaces"),
        ("2001::/23", "IETF protocol assignments, Teredo, ORCHID, benchmarking (RFC 2928)"),
        ("2001:db8::/32", "documentation (RFC 3849)"),
        ("2620:4f:8000::/48", "AS112 direct delegation (RFC 7534)"),
        ("3fff::/20", "documentation (RFC 9637)"),
        ("5f00::/16", "segment routing SIDs (RFC 9602)"),
        ("fc00::/7", "unique local, cloud metadata such as fd00:ec2::254 (RFC 4193)"),
        ("fe80::/10", "link local (RFC 4291)"),
        ("fec0::/10", "site local, deprecated (RFC 3879)"),
        ("ff00::/8", "multicast (RFC 4291)"),
    )
)

# These forms reach an IPv4 host: they are as public as the host they embed.
IPV4_MAPPED: Final = ipaddress.IPv6Network("::ffff:0:0/96")  # RFC 4291
NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
SIX_TO_FOUR: Final = ipaddress.IPv6Network("2002::/16")  # RFC 3056


def denial(address: IPAddress) -> str | None:
    """Say why an address must not be fetched from, or None when it is public."""
    if isinstance(address, ipaddress.IPv4Address):
        return next((why for net, why in IPV4_DENIED if address in net), None)
    embedded = embedded_ipv4(address)
    if embedded is not None:
        why = denial(embedded)
        return None if why is None else f"embeds {embedded}: {why}"
    named = next((why for net, why in IPV6_DENIED if address in net), None)
    if named is None and address not in IPV6_GLOBAL_UNICAST:
        return "outside IPv6 global unicast 2000::/3"
    return named


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 host a mapped, NAT64 or 6to4 address reaches, if it is one."""
    packed = address.packed
    if address in IPV4_MAPPED or address in NAT64:
        return ipaddress.IPv4Address(packed[12:])
    if address in SIX_TO_FOUR:
        return ipaddress.IPv4Address(packed[2:6])
    return None
