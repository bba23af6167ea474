"""Python twins of the load-time pseudonyms, for tests and for joining truth to the warehouse."""

from __future__ import annotations

from sagak.privacy import pseudonym


def person_key(rrn: str, pepper: str) -> str:
    """`person_key` of an rrn `YYMMDD-NNNNNNN`: the pseudonym of its 13 digits."""
    return pseudonym(rrn.replace("-", ""), pepper)


def household_key(household_no: str, pepper: str) -> str:
    """`household_key` of an 11-digit household number."""
    return pseudonym(household_no, pepper)
