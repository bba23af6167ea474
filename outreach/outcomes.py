"""Visit outcomes: the stored codes and the labels a team reads (Korean, English) — one place,
for the visit sheet, its loader and the web."""

from __future__ import annotations

import re

# code → (Korean label, English label); the codes are what `visit_results` stores
OUTCOME_NAMES: dict[str, tuple[str, str]] = {
    "confirmed_crisis": ("위기 확인", "confirmed crisis"),
    "not_in_need": ("지원 불필요", "not in need"),
    "unreachable": ("연락 안 됨", "unreachable"),
    "refused": ("거부", "refused"),
    "moved": ("전출", "moved"),
    "deceased": ("사망", "deceased"),
}
OUTCOMES = tuple(OUTCOME_NAMES)
LANGS = ("ko", "en")


def outcome_label(code: str, lang: str = "ko") -> str:
    """The label of an outcome code in `lang` (ko unless en)."""
    ko, en = OUTCOME_NAMES[code]
    return en if lang == "en" else ko


def folded(text: str) -> str:
    """Text compared loosely: no spaces or underscores, lower case ('연락안됨' = '연락 안 됨')."""
    return re.sub(r"[\s_]+", "", text).casefold()


OUTCOME_CODES: dict[str, str] = {
    folded(name): code for code, names in OUTCOME_NAMES.items() for name in (code, *names)
}


def outcome_code(text: str) -> str | None:
    """The outcome code of a code or a label in either language; None if it is neither."""
    return OUTCOME_CODES.get(folded(text))
