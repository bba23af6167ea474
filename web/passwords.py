"""Passwords: Argon2id (memory-hard) from argon2-cffi, with its RFC 9106 default parameters."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10


@cache
def hasher() -> PasswordHasher:
    """The one hasher (argon2id, 64 MiB, 3 passes)."""
    return PasswordHasher()


def check_strength(password: str) -> None:
    """ValueError unless the password has at least MIN_LENGTH characters."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"password: expected at least {MIN_LENGTH} characters")


def hash_password(password: str) -> str:
    """The Argon2id hash of a password that passes check_strength."""
    check_strength(password)
    return hasher().hash(password)


@cache
def _dummy() -> str:
    return hasher().hash("not-a-password-of-anyone")


def verify(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored`; an unknown account costs the same time."""
    try:
        return hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
