"""Pseudonymisation: identifiers become keyed hashes before they touch the warehouse."""

from __future__ import annotations

import hashlib
import os
import secrets as _secrets
from pathlib import Path

from sagak.settings import Settings

PEPPER_ENV = "SAGAK_PEPPER"
KEY_CHARS = 16


def pepper(settings: Settings) -> str:
    """The secret key for pseudonyms: $SAGAK_PEPPER, else SAGAK_HOME/secrets/pepper (made once)."""
    from_env = os.environ.get(PEPPER_ENV)
    if from_env:
        return from_env
    path: Path = settings.secrets / "pepper"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def pseudonym(value: str, key: str) -> str:
    """Python twin of the SQL `substr(sha256(key || '|' || value), 1, 16)` used at load time."""
    return hashlib.sha256(f"{key}|{value}".encode()).hexdigest()[:KEY_CHARS]
