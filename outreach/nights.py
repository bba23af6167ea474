"""The published nights on disk: which may be run, and swapping a night's folder into place.

`outreach/<night>` is a symbolic link to a hidden folder `.<night>.v-<id>` that holds the whole
night. Publishing writes a new folder and replaces the link in one `os.replace`, so at every
instant the night is either the old folder or the new one, whole. Whatever an interrupted
publish leaves (`.<night>.tmp-*`, an unused `.v-*`, `.link-*`, `.old-*`: they hold sheets with
names and phones) is removed by `remove_leftovers` at the start of the next run.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

NIGHT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEFTOVER = re.compile(r"^\.(\d{4}-\d{2}-\d{2})\.(tmp|v|link|old)-\w+$")
RENAME_EXCHANGE = 2  # renameat2(2): swap two paths in one step (Linux)
AT_FDCWD = -100


class NightRefused(ValueError):
    """A night that must not be published: the message says why and what to do."""


def latest_published(outreach: Path) -> date | None:
    """The newest night whose manifest.json exists (publish writes it last)."""
    if not outreach.is_dir():
        return None
    names = [p.name for p in outreach.iterdir() if NIGHT_NAME.match(p.name)]
    published = [n for n in names if (outreach / n / "manifest.json").is_file()]
    return date.fromisoformat(max(published)) if published else None


def refuse_earlier(outreach: Path, as_of: date, force: bool) -> None:
    """NightRefused when a later night is published and --force was not given."""
    later = latest_published(outreach)
    if later is None or as_of >= later or force:
        return
    raise NightRefused(
        f"night {as_of} is earlier than the published night {later}: nothing was changed; "
        f"--force publishes {as_of} from the assignments as they stood that night, "
        f"without assigning anyone or changing {later}"
    )


def require_deliveries(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """NightRefused when the warehouse holds no delivery dated on or before the night."""
    query = "select min(delivery_date) from ingest_ledger where status in ('loaded', 'superseded')"
    first = con.execute(query).fetchone()[0]
    if first is None or first > as_of:
        since = f" (the first is dated {first})" if first else ""
        raise NightRefused(f"no delivery dated on or before {as_of}{since}: nothing to publish")


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh hidden folder beside `target`, swapped into place on success, removed on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield folder
        swap_into_place(folder, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def swap_into_place(folder: Path, target: Path) -> None:
    """Make `target` a link to `folder` (renamed `.<night>.v-<id>`) in one step; the folder it
    pointed to goes. A real folder (from an older sagak) is swapped for the link in one step."""
    stamp = uuid.uuid4().hex[:12]
    version = folder.with_name(f".{target.name}.v-{stamp}")
    link = folder.with_name(f".{target.name}.link-{stamp}")
    os.rename(folder, version)
    os.symlink(version.name, link)
    previous = os.readlink(target) if target.is_symlink() else None
    if target.is_symlink() or not target.exists():
        os.replace(link, target)
    else:
        replace_folder(link, target)
    if previous is not None and LEFTOVER.match(previous):
        shutil.rmtree(target.parent / previous, ignore_errors=True)


def replace_folder(link: Path, target: Path) -> None:
    """Put `link` where the folder `target` is, in one step where the system can (renameat2);
    else in two renames, which `remove_leftovers` repairs if a kill falls between them."""
    if not exchange(link, target):
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:12]}")
        os.rename(target, old)
        os.replace(link, target)
        link = old
    shutil.rmtree(link, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return done == 0


def remove_leftovers(outreach: Path) -> list[str]:
    """Remove what interrupted publishes left beside the nights; the names removed.

    A night missing its folder because a kill fell between two renames gets its old one back.
    """
    if not outreach.is_dir():
        return []
    for path in sorted(outreach.iterdir()):
        found = LEFTOVER.match(path.name)
        if found and found[2] == "old" and not os.path.lexists(outreach / found[1]):
            os.rename(path, outreach / found[1])
    nights = [p for p in outreach.iterdir() if NIGHT_NAME.match(p.name) and p.is_symlink()]
    in_use = {os.readlink(p) for p in nights}
    removed = []
    for path in sorted(outreach.iterdir()):
        if LEFTOVER.match(path.name) and path.name not in in_use:
            if path.is_symlink() or not path.is_dir():
                path.unlink()
            else:
                shutil.rmtree(path)
            removed.append(path.name)
    return removed
