"""The client's address, for throttles and lock-outs.

`X-Forwarded-For` is read only when the request came from a trusted proxy
(TRUSTED_PROXIES: addresses, networks or host names, e.g. nginx in compose);
otherwise any client could put any address in it. The header is read from the
right: each proxy appends the address it saw, so the first address that is not
itself a trusted proxy is the client. Without trusted proxies the socket address
is the client, whatever the headers say.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# A proxy given by name (a compose service) changes address when it is
# re-created: its addresses are looked up again after this many seconds.
NAME_TTL_SECONDS = 30.0

_lock = threading.Lock()
_names: dict[str, tuple[float, list[Network]]] = {}


def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _resolve(name: str) -> list[Network]:
    now = time.monotonic()
    with _lock:
        cached = _names.get(name)
        if cached and cached[0] > now:
            return cached[1]
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        networks = [ipaddress.ip_network(info[4][0]) for info in infos]
    except OSError as exc:
        logger.warning("trusted_proxy_unresolved name=%s error=%s", name, exc)
        networks = []
    with _lock:
        _names[name] = (now + NAME_TTL_SECONDS, networks)
    return networks


def trusted_networks(entries: Iterable[str] | None = None) -> list[Network]:
    networks: list[Network] = []
    for entry in settings.TRUSTED_PROXIES if entries is None else entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            networks.extend(_resolve(entry))
    return networks


def _is_trusted(address, networks: list[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    if not networks or not _is_trusted(_parse_address(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse_address(hop)
        if address is None:
            # Garbage in the header: the last proxy we trust is the best we know.
            return remote
        if not _is_trusted(address, networks):
            return str(address)
    return remote
