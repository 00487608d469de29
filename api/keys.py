"""Checking the API key a request carries, whatever form an HTTP client could send it in.

Why several forms: header values travel as bytes that servers read as ISO-8859-1 (latin-1), so a
key with Vietnamese letters ("khóa-bí-mật") cannot be sent as is by every client. curl sends the
UTF-8 bytes raw; Python's http.client sends latin-1; browsers and httpx refuse any character
outside latin-1 or ASCII. So a key is accepted when the header (or form field) holds:

* the key itself (raw UTF-8 bytes on the wire are decoded as UTF-8);
* ``UTF-8''`` followed by the key percent-encoded as UTF-8 (the RFC 8187 form, e.g.
  ``UTF-8''kh%C3%B3a``), or the percent-encoded key alone;
* ``base64:`` followed by the base64 of the key's UTF-8 bytes.

Surrounding whitespace is ignored on both sides and both are compared in NFC. Each candidate
is compared in constant time; every form still requires knowing the whole key.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote

from tracuu.api.config import normalize_key

RFC8187_PREFIX = "utf-8''"
BASE64_PREFIX = "base64:"


def key_candidates(value: str | None) -> list[str]:
    """Every key ``value`` may stand for (see the module docstring), normalised."""
    value = (value or "").strip()
    if not value:
        return []
    out = [value]
    try:  # the server read UTF-8 bytes as latin-1 (curl -H 'X-API-Key: khóa')
        out.append(value.encode("latin-1").decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    lowered = value.lower()
    if lowered.startswith(RFC8187_PREFIX):
        out.append(_unquote(value[len(RFC8187_PREFIX):]))
    elif "%" in value:
        out.append(_unquote(value))
    if lowered.startswith(BASE64_PREFIX):
        try:
            out.append(base64.b64decode(value[len(BASE64_PREFIX):].strip(), validate=True).decode("utf-8"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            pass
    seen: list[str] = []
    for c in out:
        n = normalize_key(c)
        if n and n not in seen:
            seen.append(n)
    return seen


def _unquote(text: str) -> str:
    try:
        return unquote(text, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return ""


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def key_matches(configured: str, *given: str | None) -> bool:
    """Does any form of any given value equal the configured key?"""
    want = (normalize_key(configured) or "").encode("utf-8")
    ok = False
    for value in given:
        for candidate in key_candidates(value):
            ok |= hmac.compare_digest(candidate.encode("utf-8"), want)
    return ok and bool(want)
