"""Pseudonymisation: identifiers become keyed hashes before they touch the warehouse.

The scheme is a contract other systems link on:
`person_key = hex(HMAC-SHA256(secret, "rrn:" + 13 digits))[:32]`,
`household_key = hex(HMAC-SHA256(secret, "hh:" + household_no))[:32]`.
"""

from __future__ import annotations

import hmac
import os
import secrets as _secrets
from pathlib import Path

from sagak.settings import Settings

SECRET_ENV = "SAGAK_SECRET"
KEY_CHARS = 32
PERSON_PREFIX = "rrn:"
HOUSEHOLD_PREFIX = "hh:"


def secret(settings: Settings) -> str:
    """The pseudonym secret: $SAGAK_SECRET, else SAGAK_HOME/secrets/key (made once, 0600)."""
    return secret_from(SECRET_ENV, settings.secret_key)


def secret_from(env: str, path: Path) -> str:
    """$env if set, else the secret in `path`, made once (0600; a racing maker's file wins)."""
    from_env = os.environ.get(env)
    if from_env:
        return from_env
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(_secrets.token_hex(32))
    return path.read_text().strip()


def pseudonym(message: str, key: str) -> str:
    """First 32 hex of HMAC-SHA256(key, message): the one keyed hash behind every pseudonym."""
    return hmac.digest(key.encode(), message.encode(), "sha256").hex()[:KEY_CHARS]


def person_key(rrn: str, key: str) -> str:
    """`person_key` of an rrn, with or without its hyphen."""
    return pseudonym(PERSON_PREFIX + rrn.replace("-", ""), key)


def household_key(household_no: str, key: str) -> str:
    """`household_key` of an 11-digit household number."""
    return pseudonym(HOUSEHOLD_PREFIX + household_no, key)
