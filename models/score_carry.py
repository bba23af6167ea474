"""Scores carried over for households whose model inputs have not changed since last scored.

A household's probability, tier and reasons depend only on its own row of model inputs and on
the model (the reasons' typical values and the tier cuts are the model's, not the night's). So
a household whose inputs hash the same as when the same model last scored it gets the same
scores: they are taken from table `score_carry` (one row per household, the last scoring)
instead of being recomputed. On a night without a monthly delivery only the households with a
day-counting feature (days since a job loss, a referral, a benefit's end) or a new event move;
the rest, most of them, are carried. Of those that move, most move within every split of the
model (a day later is rarely across a threshold): their scores are carried too, their reason
texts shown again with tonight's values (models/split_signature.py). `score_carry` is rewritten
after every scoring.
"""

from __future__ import annotations

import hashlib
import json
import logging

import duckdb
import numpy as np
import polars as pl

from features.catalog import reasons as catalog_reasons
from models.candidates import matrix
from models.reason_texts import MAX_REASONS, reason_lists
from models.reasons import CANDIDATE_REASONS, REASONS_VERSION
from models.scored_frame import ROWS_PER_SLICE, scored_slice
from models.split_signature import matrix_split_hash, split_points
from sagak.warehouse import sql_text, table_exists

log = logging.getLogger(__name__)
SCORED = ("probability", "tier", "reasons", "reasons_ko", "reasons_en")
TEXTS = ("reasons", "reasons_ko", "reasons_en")
STORED = ("household_key", "input_hash", "split_hash", *SCORED)  # score_carry's, in order
PREVIOUS = {
    "household_key": pl.String,
    "input_hash": pl.UInt64,
    "split_hash": pl.UInt64,
    "probability": pl.Float64,
    "tier": pl.Int8,
    "reasons": pl.List(pl.String),
    "reasons_ko": pl.List(pl.String),
    "reasons_en": pl.List(pl.String),
}


def input_hash(features: pl.DataFrame, names: list[str]) -> pl.Series:
    """Per household, a 64-bit hash of its model inputs (in the model's order)."""
    return features.select(names).hash_rows(seed=0)


def scored_by(model_id: str) -> str:
    """What carried scores must match: the model, the catalog's reason texts and how reasons
    are chosen (an edited text or rule must reach every household, not only those whose inputs
    moved)."""
    texts = sorted((r.code, r.ko, r.en) for r in catalog_reasons().values())
    rules = [REASONS_VERSION, MAX_REASONS, CANDIDATE_REASONS]
    digest = hashlib.sha256(json.dumps([texts, rules], ensure_ascii=False).encode()).hexdigest()[
        :16
    ]
    return f"{model_id}:{digest}"


def carried_scores(
    con: duckdb.DuckDBPyConnection, features: pl.DataFrame, model, meta: dict
) -> pl.DataFrame:
    """`scored_frame`'s columns for every household of `features`: carried where the inputs
    and the model are unchanged; carried with their reason texts shown again where the inputs
    moved within the model's splits (models/split_signature.py); computed for the rest.
    `score_carry` then holds them all. The households whose inputs moved are taken a slice of
    ROWS_PER_SLICE at a time, so that a night after a monthly delivery (most of them moved)
    holds one slice's input matrix, not every household's (0.75 GB at 1M, twice while made)."""
    digest = features.select("household_key").with_columns(
        input_hash(features, meta["features"]).alias("input_hash")
    )
    scorer = scored_by(meta["model_id"])
    previous = _previous(con, scorer)
    same = digest.join(previous, on=["household_key", "input_hash"], how="inner")
    unmoved = features["household_key"].is_in(same["household_key"].implode())
    points = split_points(model)
    parts = []
    for start in range(0, features.height, ROWS_PER_SLICE):
        moved = ~unmoved.slice(start, ROWS_PER_SLICE)
        if moved.any():
            rows = features.slice(start, ROWS_PER_SLICE).filter(moved)
            hashes = digest.slice(start, ROWS_PER_SLICE).filter(moved)["input_hash"]
            parts.append(_moved(rows, hashes, previous, model, meta, points))
    within = pl.concat([w for w, _ in parts]) if parts else _none(same)
    fresh = pl.concat([f for _, f in parts]) if parts else _none(same)
    del parts
    scored = pl.concat([frame.select(STORED) for frame in (same, within, fresh)])
    log.info(
        "scores: %d carried over, %d carried within the splits, %d computed",
        same.height,
        within.height,
        fresh.height,
    )
    if previous.height and _stored_columns(con) == set(PREVIOUS) | {"scored_by"}:
        # the same scorer's rows, as tonight's: only those that moved or left are rewritten
        stale = previous.select("household_key").join(same, on="household_key", how="anti")
        del previous, same
        _update(con, pl.concat([within, fresh]), stale, scorer)
    else:
        _store(con, scored, scorer)
    return scored.drop("input_hash", "split_hash")


def _moved(
    changed: pl.DataFrame, hashes: pl.Series, previous: pl.DataFrame, model, meta: dict, points
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(carried within the splits, computed) of `changed`, households whose inputs moved since
    `previous` (or were never scored), each with the STORED columns; `hashes` are their input
    hashes tonight."""
    x = matrix(changed, meta["features"])
    signed = changed.select("household_key").with_columns(
        hashes.alias("input_hash"),
        matrix_split_hash(x, meta, points)
        if points is not None
        else pl.lit(None, dtype=pl.UInt64).alias("split_hash"),
    )
    within = signed.join(
        previous.drop("input_hash"), on=["household_key", "split_hash"], how="inner"
    )
    if within.height:
        texts = shown_again(within, changed.select("household_key"), x, meta["features"])
        within = within.drop(TEXTS).join(texts, on="household_key")
    rest = ~changed["household_key"].is_in(within["household_key"].implode())
    if not rest.any():
        return within.select(STORED), _none(previous)
    if rest.all():
        fresh = scored_slice(changed, model, meta, x)
    else:  # column-major like `x`: the tree predictor is five times slower on rows
        fresh = scored_slice(
            changed.filter(rest), model, meta, np.asfortranarray(x[rest.to_numpy()])
        )
    fresh = fresh.join(signed, on="household_key")
    return within.select(STORED), fresh.select(STORED)


def _none(frame: pl.DataFrame) -> pl.DataFrame:
    """No rows, with `frame`'s STORED columns."""
    return frame.clear().select(STORED)


def shown_again(
    carried: pl.DataFrame, keys: pl.DataFrame, x: np.ndarray, names: list[str]
) -> pl.DataFrame:
    """`household_key` and the reason texts of `carried`'s reason codes (in their order), with
    the values tonight's input matrix `x` (rows: the households of `keys`) shows."""
    codes = carried.select("household_key", pl.col("reasons").alias("code")).explode("code")
    readable = [name for name in names if name in catalog_reasons()]
    codes = codes.filter(pl.col("code").is_in(readable))  # not `combined`
    rows = keys.with_row_index("row")
    at = codes.join(rows, on="household_key", how="left", maintain_order="left")
    column = at["code"].replace_strict({n: i for i, n in enumerate(names)}, return_dtype=pl.Int64)
    value = x[at["row"].to_numpy(), column.to_numpy()]
    chosen = at.select("household_key", "code").with_columns(pl.Series("value", value))
    return reason_lists(chosen, "household_key", carried.select("household_key")).select(
        "household_key", *TEXTS
    )


def _previous(con: duckdb.DuckDBPyConnection, scorer: str) -> pl.DataFrame:
    """The rows `score_carry` holds for `scorer` (none if another model or texts scored them);
    `split_hash` empty in a table kept before it existed."""
    columns = _stored_columns(con)
    if "scored_by" in columns:
        signed = "split_hash" in columns
        query = sql_text(f"models/{'score_carry_split' if signed else 'score_carry'}.sql")
        found = con.sql(query, params={"scored_by": scorer}).pl()
        if not signed:
            found = found.with_columns(pl.lit(None, dtype=pl.UInt64).alias("split_hash"))
        if found.height:
            return found.drop("scored_by").select(PREVIOUS.keys())
    return pl.DataFrame(schema=PREVIOUS)


def _stored_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The columns of table `score_carry` (none if there is none)."""
    if not table_exists(con, "score_carry"):
        return set()
    return {r[0] for r in con.sql("describe score_carry").fetchall()}


def _update(
    con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, stale: pl.DataFrame, scorer: str
) -> None:
    """Delete the `stale` households' rows of `score_carry` (scored again, or gone) and insert
    tonight's `rows` for the scored again: the table then holds what `_store` would write, at a
    sixth of the cost on a night without a monthly delivery (0.4 s instead of 1.2 s at 1M)."""
    frames = {
        "score_carry_stale": stale.select("household_key").to_arrow(),
        "score_carry_frame": rows.with_columns(pl.lit(scorer).alias("scored_by")).to_arrow(),
    }
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        con.execute(sql_text("models/score_carry_update.sql"))
    finally:
        for name in frames:
            con.unregister(name)


def _store(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, scorer: str) -> None:
    """Replace `score_carry` by tonight's rows."""
    frame = rows.with_columns(pl.lit(scorer).alias("scored_by")).to_arrow()
    con.register("score_carry_frame", frame)
    con.execute("create or replace table score_carry as from score_carry_frame")
    con.unregister("score_carry_frame")
