"""The client's address, the same for rate limits (django-ratelimit) and
sign-in throttling (django-axes), found by django-ipware.

Behind a proxy every request comes from the proxy's address, so all parents
would share one limit. When `CLIENT_IP_HEADER` names the header the proxies
in front write (deploy/nginx.conf overwrites `X-Real-IP`; a proxy that
appends to `X-Forwarded-For` works too) and `CLIENT_IP_TRUSTED_PROXIES`
says how many there are, ipware takes the address at the position they
vouch for: the last one the nearest proxy wrote, counting back one per
further proxy. Anything to its left came from the client and is ignored.
Only with the setting: anyone can send that header, so without a proxy
that writes it, trusting it would let a client pick its own address.
"""

import ipaddress
import logging

from django.conf import settings
from ipware import get_client_ip

logger = logging.getLogger(__name__)

# Every request without a usable address shares this one (never a 500).
UNKNOWN = "0.0.0.0"


def header_meta_key(name: str) -> str:
    """'X-Real-IP' → 'HTTP_X_REAL_IP' (a META key is kept as it is); '' → ''."""
    name = name.strip()
    if not name or name.upper() == "REMOTE_ADDR" or name.startswith("HTTP_"):
        return name.upper()
    return "HTTP_" + name.upper().replace("-", "_")


def _written_bare(raw: str, address: str, position: int) -> bool:
    """Whether the header's token at `position` from the right is `address`
    written as a bare address. ipware also reads "addr:port", "[addr]" and
    zone ids, and skips what it cannot read; the proxies we trust write
    neither, so such a value did not come from them."""
    tokens = raw.split(",")
    if len(tokens) < position:
        return False
    try:
        written = ipaddress.ip_address(tokens[-position].strip())
    except ValueError:
        return False
    if getattr(written, "scope_id", None):
        return False
    # ipware reads an IPv4-mapped IPv6 address as the IPv4 one.
    return (getattr(written, "ipv4_mapped", None) or written) == ipaddress.ip_address(address)


def client_ip(request) -> str:
    """The client's IP address as a string, for `RATELIMIT_IP_META_KEY` and
    `AXES_CLIENT_IP_CALLABLE`.

    With `settings.CLIENT_IP_HEADER` set: the address that the
    `settings.CLIENT_IP_TRUSTED_PROXIES` proxies vouch for in that header
    (with one proxy, its last address), if it is written as a valid
    address. Otherwise, or when the header is missing or malformed,
    `REMOTE_ADDR`; `UNKNOWN` when that is unusable too. Never raises."""
    key = header_meta_key(getattr(settings, "CLIENT_IP_HEADER", ""))
    if key and key != "REMOTE_ADDR":
        raw = request.META.get(key, "")
        if raw:
            # ipware counts the proxies whose addresses are in the header; the
            # nearest one's is REMOTE_ADDR, not in it.
            behind = max(getattr(settings, "CLIENT_IP_TRUSTED_PROXIES", 1), 1) - 1
            address, _routable = get_client_ip(
                request, proxy_count=behind, request_header_order=[key], strict=False
            )
            if address and _written_bare(raw, address, behind + 1):
                return address
            logger.warning("ignored a malformed %s header: %.100r", key, raw)
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address or UNKNOWN
