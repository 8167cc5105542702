"""Guards for what outside servers send: bounded decoding, redirect targets,
charset repair, and a cheap look at a document before the parser sees it.

Each guard turns a hostile input into an error for that one feed (or a
repaired body), never into unbounded memory, time or a request to an
internal service.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import zlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

# Decompress in steps of this size, so that memory and loop time stay bounded
# whatever the compression ratio.
STEP = 256 * 1024
# One stacked encoding is legitimate; «gzip, gzip» is how a 1.8 KB response
# becomes gigabytes. Only these are decoded (Accept-Encoding says so too).
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
# feedparser is quadratic in the number of elements of one entry: 20,000
# <category> took 10 s, 200,000 more than 4 minutes. Real feeds carry a few
# per item; a document with more than this many is refused before parsing.
MAX_CATEGORIES = 5_000
MAX_ELEMENTS = 1_000_000


class BodyError(Exception):
    """The body cannot be accepted; str() is the feed's error line."""


def encodings(header: str | None) -> list[str]:
    """The content codings applied, outermost last (identity dropped)."""
    return [e.strip().lower() for e in (header or "").split(",") if e.strip() and e.strip().lower() != "identity"]


async def decoded(raw: AsyncIterator[bytes], content_encoding: str | None, max_bytes: int, too_big_message: str) -> bytes:
    """The body, decompressed step by step with a running total against `max_bytes`."""
    codings = encodings(content_encoding)
    if len(codings) > 1:
        raise BodyError(f"refused: stacked content-encoding ({', '.join(codings)})")
    if codings and codings[0] not in _WBITS:
        raise BodyError(f"unsupported content-encoding: {codings[0]}")
    too_big = BodyError(too_big_message)
    out: list[bytes] = []
    size = 0
    inflater = zlib.decompressobj(_WBITS[codings[0]]) if codings else None
    async for chunk in raw:
        pending = chunk
        while pending:
            if inflater is None:
                piece, pending = pending, b""
            else:
                try:
                    piece = inflater.decompress(pending, STEP)
                except zlib.error as exc:
                    raise BodyError("undecodable body (bad content-encoding)") from exc
                pending = inflater.unconsumed_tail
            size += len(piece)
            if size > max_bytes:
                raise too_big
            out.append(piece)
            if inflater is not None and pending:
                await asyncio.sleep(0)  # a large compressed body must not hold the loop
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        if size > max_bytes:
            raise too_big
        out.append(tail)
    return b"".join(out)


# --- redirects ---------------------------------------------------------------


def is_internal(address: str) -> bool:
    """Loopback, private, link-local, unspecified, multicast or reserved: not the public internet."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved


async def host_is_internal(host: str) -> bool:
    """True when `host` is, or resolves to, an internal address."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
        return is_internal(host.strip("[]"))
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # unresolvable: the request itself will fail and say so
    return any(is_internal(str(info[4][0])) for info in infos)


async def redirect_refusal(target: str, allow_internal: bool) -> str | None:
    """Why a redirect to `target` is refused, or None when it may be followed."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        return f"redirect to a {parts.scheme or 'relative'}: URL refused"
    if not parts.hostname:
        return "redirect without a host refused"
    if not allow_internal and await host_is_internal(parts.hostname):
        return f"redirect to an internal address refused ({parts.hostname})"
    return None


# --- charset -------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    if m:
        return m.group(1).lower()
    x = _XML_ENCODING.match(body[:300])
    return x.group(1).decode("ascii").lower() if x else None


def repair_utf8(body: bytes, content_type: str | None) -> tuple[bytes, int]:
    """A UTF-8 (or undeclared) body with invalid bytes: those bytes replaced, not the whole
    document re-read as a single-byte codec. Returns (body, bytes replaced)."""
    charset = declared_charset(body, content_type)
    if charset not in (None, "utf-8", "utf8"):
        return body, 0  # windows-1256 and friends: the parser decodes them as declared
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        return text.encode("utf-8"), text.count("\ufffd")
    return body, 0


def screen(body: bytes) -> str | None:
    """Why this document is refused before parsing (too many elements for the parser), or None."""
    categories = body.count(b"<category")
    if categories > MAX_CATEGORIES:
        return f"refused: {categories:,} <category> elements (at most {MAX_CATEGORIES:,})"
    elements = body.count(b"<")
    if elements > MAX_ELEMENTS:
        return f"refused: {elements:,} elements (at most {MAX_ELEMENTS:,})"
    return None
