"""The SSRF policy: which URLs and addresses the bot may fetch from.

Hosts are parsed the way browsers parse them (WHATWG URL), so "2130706433", "0x7f000001",
"0177.0.0.1" and "127.1" are all 127.0.0.1 here too: the system resolver would accept them.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from bot.errors import RefusedURLError
from bot.sources.special_addresses import denial

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_BAD_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f]")
_NOT_PUBLIC = "it points into a private network, which I never fetch from."


@dataclass(frozen=True)
class Target:
    """A checked URL: its parts, the host name (or literal address) and port to connect to."""

    url: str
    scheme: str
    host: str  # lower-case, no trailing dot, no brackets
    port: int
    path: str  # path and query, never empty
    address: IPAddress | None  # set when the host is a literal address


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse a host as a browser does: decimal, hex, octal and short forms ("127.1")."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts.pop()
    if not parts or len(parts) > 4:  # noqa: PLR2004
        return None
    numbers: list[int] = []
    for part in parts:
        number = _ipv4_number(part)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):  # noqa: PLR2004
        raise RefusedURLError("That link's address is not valid.", hint=False)
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    base, digits = 10, part
    if part[:2].lower() == "0x":
        base, digits = 16, part[2:]
    elif len(part) > 1 and part.startswith("0"):
        base, digits = 8, part[1:]
    if digits == "":
        return 0
    try:
        return int(digits, base) if digits.isalnum() and digits.isascii() else None
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    last = host.rstrip(".").rsplit(".", 1)[-1]
    return bool(last) and (last.isdigit() or last.lower().startswith("0x"))


def is_public(address: IPAddress) -> bool:
    """Tell whether an address is on the public internet (and so is any address it embeds)."""
    return denial(address) is None


def check_url(url: str, *, allow_private: bool = False) -> Target:
    """Check a URL's form: http(s), no user info, a valid host; refuse private literals."""
    if _BAD_CHARS.search(url.strip()):
        raise RefusedURLError("That link contains characters a web address can't have.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise RefusedURLError("That link is not a valid web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "that kind of"
        raise RefusedURLError(f"I only fetch http and https links, not {shown} links.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise RefusedURLError("I don't fetch links that carry a user name or password.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise RefusedURLError("That link has no host name.")
    address = _literal_address(host)
    if address is None and (host == "localhost" or host.endswith(".localhost")):
        address = ipaddress.IPv4Address("127.0.0.1")  # RFC 6761: never resolve it
    if address is not None and not allow_private and not is_public(address):
        raise RefusedURLError(f"I can't fetch that link: {_NOT_PUBLIC}")
    return Target(
        url=url.strip(),
        scheme=scheme,
        host=str(address) if address is not None else _idna(host),
        port=port or _DEFAULT_PORTS[scheme],
        path=_path(parts),
        address=address,
    )


def check_address(address: IPAddress, *, allow_private: bool = False) -> None:
    """Refuse a resolved address that is not public."""
    if not allow_private and not is_public(address):
        raise RefusedURLError(f"I can't fetch that link: {_NOT_PUBLIC}")


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    address = parse_ipv4(host)
    if address is None and _ends_in_number(host):
        raise RefusedURLError("That link's address is not valid.", hint=False)
    return address


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise RefusedURLError("That link's host name is not valid.") from None


def _path(parts: SplitResult) -> str:
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
