"""The client's address, the same for rate limits (django-ratelimit) and
sign-in throttling (django-axes).

Behind a proxy every request comes from the proxy's address, so all parents
would share one limit. When `CLIENT_IP_HEADER` names a header that the proxy
in front always overwrites (deploy/nginx.conf: `X-Real-IP`), its value is
used instead. Only then: anyone can send that header, so without a proxy
that overwrites it, trusting it would let a client pick its own address.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

# Every request without a usable address shares this one (never a 500).
UNKNOWN = "0.0.0.0"


def header_meta_key(name: str) -> str:
    """'X-Real-IP' → 'HTTP_X_REAL_IP' (a META key is kept as it is); '' → ''."""
    name = name.strip()
    if not name or name.upper() == "REMOTE_ADDR" or name.startswith("HTTP_"):
        return name.upper()
    return "HTTP_" + name.upper().replace("-", "_")


def _valid(value: str) -> str | None:
    """The address in canonical form, or None when `value` is not exactly
    one IPv4 or IPv6 address (no port, no zone, no list)."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        return None
    return str(address)


def client_ip(request) -> str:
    """The client's IP address as a string, for `RATELIMIT_IP_META_KEY` and
    `AXES_CLIENT_IP_CALLABLE`.

    With `settings.CLIENT_IP_HEADER` set: the last address of that header (a
    proxy appends the address it saw, so the last one is the only one it
    vouches for), if it is a valid address. Otherwise, or when the header is
    missing or malformed, `REMOTE_ADDR`; `UNKNOWN` when that is unusable too.
    Never raises."""
    key = header_meta_key(getattr(settings, "CLIENT_IP_HEADER", ""))
    if key and key != "REMOTE_ADDR":
        raw = request.META.get(key, "")
        if raw:
            address = _valid(raw.split(",")[-1])
            if address:
                return address
            logger.warning("ignored a malformed %s header: %.100r", key, raw)
    address = _valid(request.META.get("REMOTE_ADDR") or "")
    return address or UNKNOWN
