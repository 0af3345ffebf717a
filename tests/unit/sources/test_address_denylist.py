"""The SSRF denylist: every special-purpose range refused, whatever Python's is_global says."""

from __future__ import annotations

import ipaddress

import pytest

from bot.errors import RefusedURLError
from bot.sources.guard import check_url, is_public

DENIED = [
    # IPv4 special-purpose registry, multicast, reserved
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "168.63.129.16",  # Azure WireServer: a public address that Python calls global
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",  # 192.0.0.0/24: global on Python 3.11.7
    "192.0.0.9",
    "192.0.0.192",  # Oracle Cloud metadata
    "192.0.2.1",
    "192.31.196.1",
    "192.52.193.1",
    "192.88.99.1",
    "192.168.1.1",
    "192.175.48.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.7",
    "224.0.0.251",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    # IPv6
    "::",
    "::1",
    "::8.8.8.8",  # IPv4-compatible, deprecated
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:168.63.129.16",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::808:808",  # local-use translation prefix
    "100::1",
    "2001::1",  # Teredo
    "2001:2::1",
    "2001:db8::1",
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2620:4f:8000::1",
    "3fff::1",
    "4000::1",  # outside 2000::/3
    "5f00::1",
    "fc00::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "fe80::1",
    "febf::1",
    "fec0::1",  # site local: global on Python 3.11.7
    "ff02::1",
    "ff0e::1",
]

ALLOWED = [
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "100.63.255.255",  # just below 100.64.0.0/10
    "100.128.0.0",  # just above it
    "168.63.129.15",
    "168.63.129.17",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.1",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # DNS64 answer for a public host
    "2002:808:808::1",  # 6to4 of a public host
]


@pytest.mark.parametrize("text", DENIED)
def test_special_purpose_addresses_are_refused(text: str) -> None:
    assert not is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", ALLOWED)
def test_public_addresses_are_fetchable(text: str) -> None:
    assert is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize(
    "url",
    [
        "http://168.63.129.16/machine?comp=goalstate",
        "http://[fec0::1]/",
        "http://192.0.0.170/",
        "http://[2002:a9fe:a9fe::1]/latest/meta-data/",
        "http://[64:ff9b::a9fe:a9fe]/",
    ],
)
def test_literal_special_addresses_are_refused_in_links(url: str) -> None:
    with pytest.raises(RefusedURLError, match="private network"):
        check_url(url)


def test_the_verdicts_do_not_depend_on_pythons_own_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Python whose ipaddress calls everything global and nothing special changes nothing.
    for cls in (ipaddress.IPv4Address, ipaddress.IPv6Address):
        monkeypatch.setattr(cls, "is_global", property(lambda _self: True))
        for name in (
            "is_private",
            "is_multicast",
            "is_loopback",
            "is_link_local",
            "is_reserved",
            "is_unspecified",
        ):
            monkeypatch.setattr(cls, name, property(lambda _self: False))
    monkeypatch.setattr(ipaddress.IPv6Address, "is_site_local", property(lambda _self: False))
    assert [a for a in DENIED if is_public(ipaddress.ip_address(a))] == []
    assert [a for a in ALLOWED if not is_public(ipaddress.ip_address(a))] == []
