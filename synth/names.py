"""Contact details and identifiers, vectorised: Korean names, phones, addresses, resident numbers.

Resident numbers carry a deliberately wrong check digit (FEEDS.md), so none is a real person's.
"""

from __future__ import annotations

import numpy as np
import polars as pl

SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
    "황",
    "안",
    "송",
    "전",
    "홍",
    "유",
    "고",
    "문",
    "양",
    "손",
    "배",
    "백",
    "허",
    "노",
    "남",
]
SURNAME_WEIGHTS = np.array(
    [21.5, 14.7, 8.4, 4.7, 4.3, 2.4, 2.1, 2.1, 2.0, 1.7, 1.5, 1.5, 1.5, 1.4, 1.4]
    + [1.4, 1.3, 1.3, 1.1, 1.1, 1.1, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.6, 0.6, 0.6]
)
GIVEN_M = [
    "민",
    "준",
    "서",
    "현",
    "우",
    "진",
    "호",
    "성",
    "영",
    "수",
    "동",
    "재",
    "석",
    "철",
    "훈",
    "태",
    "상",
    "기",
    "종",
    "광",
    "용",
    "승",
    "도",
    "건",
    "윤",
    "병",
    "정",
    "규",
]
GIVEN_F = [
    "서",
    "영",
    "미",
    "은",
    "지",
    "숙",
    "희",
    "경",
    "정",
    "현",
    "수",
    "민",
    "주",
    "연",
    "자",
    "순",
    "옥",
    "혜",
    "선",
    "아",
    "윤",
    "하",
    "나",
    "유",
    "진",
    "명",
    "화",
    "정",
]
STREETS = [
    "중앙로",
    "대학로",
    "시청로",
    "역전로",
    "공원로",
    "새말로",
    "남부로",
    "동부로",
    "서부로",
    "강변로",
    "평화로",
    "문화로",
]
APARTMENTS = [
    "주공",
    "현대",
    "삼성",
    "한신",
    "대림",
    "푸르지오",
    "자이",
    "e편한세상",
    "휴먼시아",
    "롯데캐슬",
    "한양",
    "우성",
]
RI = ["상리", "하리", "신촌리", "내촌리", "대평리", "송정리", "월산리", "구암리"]

RRN_WEIGHTS = np.array([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], dtype=np.int64)


def korean_names(rng: np.random.Generator, male: np.ndarray) -> pl.Series:
    """A Korean name per person: surname and a two-syllable given name by sex."""
    n = len(male)
    surname = np.array(SURNAMES)[
        rng.choice(len(SURNAMES), n, p=SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum())
    ]
    pool_m, pool_f = np.array(GIVEN_M), np.array(GIVEN_F)
    first = np.where(
        male, pool_m[rng.integers(0, len(pool_m), n)], pool_f[rng.integers(0, len(pool_f), n)]
    )
    second = np.where(
        male, pool_m[rng.integers(0, len(pool_m), n)], pool_f[rng.integers(0, len(pool_f), n)]
    )
    return pl.Series("name", np.char.add(np.char.add(surname, first), second))


def phones(rng: np.random.Generator, ages: np.ndarray) -> pl.Series:
    """010-XXXX-XXXX, empty for young children and for some adults (more often the old)."""
    n = len(ages)
    mid, last = rng.integers(0, 10_000, n), rng.integers(0, 10_000, n)
    empty = (ages < 10) | (rng.random(n) < np.where(ages >= 75, 0.15, 0.04))
    text = pl.format(
        "010-{}-{}",
        pl.Series(mid).cast(pl.String).str.zfill(4),
        pl.Series(last).cast(pl.String).str.zfill(4),
    )
    frame = pl.DataFrame({"empty": empty}).with_columns(text.alias("p"))
    return frame.select(
        pl.when(pl.col("empty")).then(pl.lit("")).otherwise(pl.col("p")).alias("phone")
    )["phone"]


def addresses(
    rng: np.random.Generator, prefix: np.ndarray, rural: np.ndarray, apartment: np.ndarray
) -> np.ndarray:
    """A street or apartment address after `prefix` ('경상남도 진주시 칠암동')."""
    n = len(prefix)
    lot = np.char.add(
        np.char.add(rng.integers(1, 900, n).astype(str), "-"), rng.integers(1, 60, n).astype(str)
    )
    ri = np.array(RI)[rng.integers(0, len(RI), n)]
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    apt = np.array(APARTMENTS)[rng.integers(0, len(APARTMENTS), n)]
    unit = rng.integers(1, 25, n) * 100 + rng.integers(1, 8, n)
    apt_text = _join(
        apt, "아파트 ", rng.integers(101, 120, n).astype(str), "동 ", unit.astype(str), "호"
    )
    plain = np.where(
        rural, _join(ri, " ", lot), _join(street, " ", rng.integers(1, 300, n).astype(str))
    )
    return _join(prefix, " ", np.where(apartment & ~rural, apt_text, plain))


def _join(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise string concatenation of arrays and constants."""
    out = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, part if isinstance(part, str) else np.asarray(part).astype(str))
    return out


def check_digit(first12: np.ndarray) -> np.ndarray:
    """The correct RRN check digit for 12-digit integers: (11 - weighted sum % 11) % 10."""
    digits = (first12[:, None] // 10 ** np.arange(11, -1, -1, dtype=np.int64)) % 10
    return (11 - (digits * RRN_WEIGHTS).sum(axis=1) % 11) % 10


def rrn_prefix(rng: np.random.Generator, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """The first 12 digits as int64: YYMMDD, century/sex digit (1–4), five random digits."""
    years = birth.astype("datetime64[Y]").astype(int) + 1970
    months = birth.astype("datetime64[M]").astype(int) % 12 + 1
    days = (birth - birth.astype("datetime64[M]")).astype(int) + 1
    century = np.where(years >= 2000, 3, 1) + np.where(male, 0, 1)
    yymmdd = (years % 100) * 10_000 + months * 100 + days
    return (
        yymmdd.astype(np.int64) * 1_000_000
        + century * 100_000
        + rng.integers(0, 100_000, len(birth))
    )


def rrn_text(first12: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """`YYMMDD-NNNNNNN` with a check digit that is deliberately wrong."""
    wrong = (check_digit(first12) + rng.integers(1, 10, len(first12))) % 10
    full = pl.Series((first12 * 10 + wrong).astype(np.int64)).cast(pl.String).str.zfill(13)
    return (
        pl.select(pl.concat_str(full.str.slice(0, 6), pl.lit("-"), full.str.slice(6)))
        .to_series()
        .alias("rrn")
    )
