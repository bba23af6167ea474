"""Feed contracts: data/contracts/<feed>.yml says how each agency's file is read and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

FORMATS = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}
# contract type -> DuckDB type of the raw_ column
SQL_TYPES = {
    "varchar": "VARCHAR",
    "integer": "INTEGER",
    "amount": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "ym": "VARCHAR",
    "rrn": "VARCHAR",
    "household_no": "VARCHAR",
}
# identifier types become pseudonym columns under these names
KEY_NAMES = {"rrn": "person_key", "household_no": "household_key"}
CONTACT_COLUMNS = ("name", "phone", "address")
CADENCES = ("monthly", "daily")
COLUMN_FIELDS = {
    "name",
    "alias",
    "type",
    "required",
    "contact",
    "past",
    "values",
    "min",
    "max",
    "format",
    "known_in",
}
CONTRACT_FIELDS = {
    "feed",
    "format",
    "encoding",
    "key",
    "columns",
    "max_bad_share",
    "min_rows_for_share",
    "freshness",
}


class ContractError(ValueError):
    """A contract file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Column:
    """One column of a feed: English name, Korean alias, type and rules."""

    name: str
    type: str
    alias: str | None = None
    required: bool = True  # the header must carry it, else the file is rejected
    nullable: bool = True  # key columns are not
    contact: bool = False  # contact details go to `contacts`, never to raw_<feed>
    past: bool = False  # a value after the delivery date is quarantined (always for ym)
    values: tuple[str, ...] | None = None  # accepted values (GX: in set)
    min: float | None = None  # smallest allowed value (GX: between)
    max: float | None = None  # largest allowed value (GX: between)
    format: str | None = None  # regex the text must match whole (GX: match regex)
    known_in: str | None = None  # feed whose raw table must hold this key (e.g. registry)

    @property
    def output(self) -> str:
        """The raw_ column name: pseudonym name for identifiers, else the English name."""
        return KEY_NAMES.get(self.type, self.name)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Header spellings accepted for this column, normalised."""
        names = (self.name, self.alias) if self.alias else (self.name,)
        return tuple(normalise_header(n) for n in names)


@dataclass(frozen=True)
class Freshness:
    """When a feed's next delivery is due, and when it counts as late or missing."""

    cadence: str  # monthly: due by `due_day` of the month after the last delivery; daily
    due_day: int = 20
    late_after_days: int = 0  # days past due before `late`
    missing_after_days: int = 30  # days past due before `missing`


@dataclass(frozen=True)
class Contract:
    """How one feed is delivered and what its rows must look like."""

    feed: str
    format: str
    encoding: str | None  # promised text encoding; None for Parquet
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    path: Path
    max_bad_share: float = 0.5  # above this share of bad rows the file is rejected whole
    min_rows_for_share: int = 20  # ... when it has at least this many rows
    freshness: Freshness | None = None

    @property
    def raw_table(self) -> str:
        """The warehouse table rows of this feed load into."""
        return f"raw_{self.feed}"

    @property
    def stored(self) -> tuple[Column, ...]:
        """Columns kept in raw_<feed> (all but contact details)."""
        return tuple(c for c in self.columns if not c.contact)

    @property
    def contacts(self) -> tuple[Column, ...]:
        """Contact-detail columns, which go to the `contacts` table only."""
        return tuple(c for c in self.columns if c.contact)


def normalise_header(text: str) -> str:
    """A header as compared: BOM and surrounding whitespace stripped, lower case."""
    return text.replace("\ufeff", "").strip().lower()


def load_contract(feed: str, folder: Path) -> Contract:
    """The contract of `feed` from <folder>/<feed>.yml."""
    path = folder / f"{feed}.yml"
    if not path.exists():
        raise ContractError(f"{path}: no contract for feed {feed!r}")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ContractError(f"{path}: not valid YAML: {err}") from err
    return contract_from_spec(spec, path)


def load_contracts(folder: Path) -> dict[str, Contract]:
    """Every contract in `folder`, by feed name."""
    feeds = sorted(p.stem for p in folder.glob("*.yml"))
    if not feeds:
        raise ContractError(f"{folder}: no contracts (*.yml) found")
    return {feed: load_contract(feed, folder) for feed in feeds}


def contract_from_spec(spec: object, path: Path) -> Contract:
    """A checked Contract from the parsed YAML of `path`."""
    if not isinstance(spec, dict):
        raise ContractError(f"{path}: expected a mapping with feed, format, key, columns")
    feed = spec.get("feed")
    if feed != path.stem:
        raise ContractError(f"{path}: feed {feed!r} does not match the file name {path.stem!r}")
    fmt = spec.get("format")
    if fmt not in FORMATS:
        raise ContractError(f"{path}: format {fmt!r} is not one of {sorted(FORMATS)}")
    raw_columns = spec.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise ContractError(f"{path}: `columns` must be a non-empty list")
    if unknown := set(spec) - CONTRACT_FIELDS:
        raise ContractError(f"{path}: unknown fields {sorted(unknown)}")
    key = tuple(spec.get("key") or ())
    columns = tuple(_column(c, key, path) for c in raw_columns)
    _check_names(columns, key, path)
    encoding = None if fmt == "parquet" else str(spec.get("encoding", "utf-8"))
    share = spec.get("max_bad_share", 0.5)
    if not isinstance(share, int | float) or not 0 <= share <= 1:
        raise ContractError(f"{path}: max_bad_share must be a share between 0 and 1, got {share!r}")
    return Contract(
        feed,
        fmt,
        encoding,
        key,
        columns,
        path,
        max_bad_share=float(share),
        min_rows_for_share=int(spec.get("min_rows_for_share", 20)),
        freshness=_freshness(spec.get("freshness"), path),
    )


def _freshness(spec: object, path: Path) -> Freshness | None:
    """The checked `freshness:` block, if the contract has one."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or spec.get("cadence") not in CADENCES:
        raise ContractError(f"{path}: freshness needs cadence one of {CADENCES}, got {spec!r}")
    try:
        return Freshness(**spec)
    except TypeError as err:
        raise ContractError(f"{path}: freshness: {err}") from err


def _column(spec: object, key: tuple[str, ...], path: Path) -> Column:
    """One checked Column; key columns are required and never null."""
    if not isinstance(spec, dict) or "name" not in spec:
        raise ContractError(f"{path}: each column needs at least a name and a type, got {spec!r}")
    unknown = set(spec) - COLUMN_FIELDS
    if unknown:
        raise ContractError(f"{path}: column {spec['name']!r} has unknown fields {sorted(unknown)}")
    if spec.get("type") not in SQL_TYPES:
        raise ContractError(
            f"{path}: column {spec['name']!r} has type {spec.get('type')!r}, "
            f"expected one of {sorted(SQL_TYPES)}"
        )
    in_key = spec["name"] in key
    return Column(
        name=str(spec["name"]),
        type=spec["type"],
        alias=spec.get("alias"),
        required=bool(spec.get("required", True)) or in_key,
        nullable=not in_key,
        contact=bool(spec.get("contact", False)),
        past=bool(spec.get("past", False)) or spec["type"] == "ym",
        values=tuple(str(v) for v in spec["values"]) if spec.get("values") else None,
        min=spec.get("min"),
        max=spec.get("max"),
        format=spec.get("format"),
        known_in=spec.get("known_in"),
    )


def _check_names(columns: tuple[Column, ...], key: tuple[str, ...], path: Path) -> None:
    """Unique spellings, key columns that exist, contact columns `contacts` can hold."""
    spellings = [s for c in columns for s in c.spellings]
    if len(spellings) != len(set(spellings)):
        raise ContractError(f"{path}: a column name or alias is used twice")
    names = {c.name for c in columns}
    if missing := [k for k in key if k not in names]:
        raise ContractError(f"{path}: key columns {missing} are not among the columns")
    if bad := [c.name for c in columns if c.contact and c.name not in CONTACT_COLUMNS]:
        raise ContractError(f"{path}: contact columns must be among {CONTACT_COLUMNS}, got {bad}")
