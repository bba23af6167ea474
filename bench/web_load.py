"""A bounded load test of `sagak web` on a published night of 1M households (not in CI).

Builds (or reuses) SAGAK_HOME=<root> with one synthetic night: ranked.parquet with the real
columns (bench/web_ranked_1m.sql), web/assignments.parquet, web/households.parquet and a
manifest; starts `sagak web` as its own process; signs in as an analyst and times each page
`--requests` times, one request at a time, then `--clients` at once. Prints p50/p95/max.

Usage: python -m bench.web_load [--root DIR] [--households 1000000] [--requests 100]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import httpx

from features.catalog import reasons
from outreach.teams import load_teams
from sagak.settings import get_settings
from web import store
from web.passwords import hash_password

NIGHT = "2026-10-30"
PASSWORD = "bench password 1m"
SAGAK = str(Path(sys.executable).with_name("sagak"))
RESULTS = Path(__file__).with_name("results")


def build_night(home: Path, households: int) -> Path:
    """outreach/<NIGHT>/ with ranked.parquet, web/*.parquet and manifest.json (kept if there)."""
    folder = home / "outreach" / NIGHT
    if (folder / "manifest.json").exists():
        return folder
    (folder / "web").mkdir(parents=True, exist_ok=True)
    teams = load_teams(get_settings(home).teams_file).teams
    params = {
        "households": households,
        "emd_codes": [t.emd_code for t in teams],
        "sigungu_codes": [t.sigungu_code for t in teams],
        "reasons": sorted(reasons()),
    }
    con = duckdb.connect()
    query = Path(__file__).with_name("web_ranked_1m.sql").read_text(encoding="utf-8")
    con.execute(f"copy ({query}) to '{folder / 'ranked.parquet'}' (format parquet)", params)
    ranked = f"read_parquet('{folder / 'ranked.parquet'}')"
    con.execute(
        f"copy (select household_key, emd_code, date '{NIGHT}' as assigned_on, team_rank, "
        f"exploration from {ranked} where assigned) to '{folder / 'web/assignments.parquet'}'"
    )
    con.execute(
        f"copy (select *, (rank % 7)::integer as n_members, (30 + rank % 60)::integer as "
        f"head_age from {ranked} order by household_key) to "
        f"'{folder / 'web/households.parquet'}' (format parquet, row_group_size 16384)"
    )
    manifest = {
        "as_of": NIGHT,
        "teams": {
            "teams": [
                {
                    "emd_code": t.emd_code,
                    "name": t.name_ko,
                    "name_en": t.name_en,
                    "sigungu_code": t.sigungu_code,
                }
                for t in teams
            ]
        },
        "feeds": [],
        "deliveries": [],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return folder


def scenarios(folder: Path) -> dict[str, str]:
    con = duckdb.connect()
    ranked = {"ranked": str(folder / "ranked.parquet")}
    emd, key = con.execute(
        "select emd_code, household_key from read_parquet($ranked) where rank = 5000", ranked
    ).fetchone()
    total = con.execute("select count(*) from read_parquet($ranked)", ranked).fetchone()[0]
    reason = sorted(reasons())[0]
    return {
        "first page": "/list",
        "filtered (city, tier>=15, assigned)": f"/list?city={emd[:5]}&tier=15&status=assigned",
        "filtered (team, reason, new)": f"/list?team={emd}&reason={reason}&new=1",
        "deep page (middle)": f"/list?page={total // 100}",
        "last page": f"/list?page={-(-total // 50)}",
        "deep page, team sort": f"/list?sort=team&page={total // 100}",
        "deep page, filtered (tier>=5)": f"/list?tier=5&page={total // 200}",
        "household page": f"/households/{key}",
    }


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [SAGAK, "web", "--port", str(port), "--home", str(home)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/login", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("sagak web did not start")


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    return client


def timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return elapsed * 1000


def figures(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def run(url: str, paths: dict[str, str], requests: int, clients: int) -> dict:
    results = {}
    single = signed_in(url)
    for name, path in paths.items():
        timed(single, path)  # warm-up
        results[name] = figures([timed(single, path) for _ in range(requests)])
    pool = [signed_in(url) for _ in range(clients)]
    with ThreadPoolExecutor(clients) as executor:
        jobs = [
            executor.submit(
                timed,
                pool[i % clients],
                paths["first page"] if i % 2 else paths["filtered (city, tier>=15, assigned)"],
            )
            for i in range(requests * 2)
        ]
        results[f"{clients} clients at once (first page / filtered)"] = figures(
            [job.result() for job in jobs]
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/sagak-web-bench"))
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    home = args.root.resolve()
    started = time.perf_counter()
    folder = build_night(home, args.households)
    print(f"night ready in {time.perf_counter() - started:.1f} s: {folder}")
    settings = get_settings(home)
    with store.connect(store.store_path(settings)) as con:
        if store.get_user(con, "bench") is None:
            store.add_user(con, "bench", "analyst", None, hash_password(PASSWORD))
    process, url = start_server(home)
    try:
        results = run(url, scenarios(folder), args.requests, args.clients)
    finally:
        process.terminate()
        process.wait(timeout=30)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(
        f"sagak web, ranked list at {args.households:,} households ({machine}; load "
        f"{os.getloadavg()[0]:.1f})"
    )
    for name, figure in results.items():
        print(
            f"  {name:<45} p50 {figure['p50_ms']:>7} ms  p95 {figure['p95_ms']:>7} ms  "
            f"max {figure['max_ms']:>7} ms  (n={figure['n']})"
        )
    RESULTS.mkdir(exist_ok=True)
    out = {"households": args.households, "machine": machine, "results": results}
    (RESULTS / "web_1m.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
