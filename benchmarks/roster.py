"""Roster import throughput and peak memory for 10k / 50k / 100k rows, SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/roster.py [--sizes 10000,50000,100000] [--xlsx] [--no-pg]

Synthetic rosters (storage/synthetic.py, ~4 members per household, so 100,000 rows are
25,000 households) are imported by `import_roster` exactly as `bangfu import households` does.
Every measurement runs in a fresh process, because peak RSS (ru_maxrss) only grows: each line
gives the process's peak after the import and how much of it the import added on top of the
loaded program, which must stay flat as the file grows. PostgreSQL is a throwaway server on
127.0.0.1 (tests/pg_server.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMBERS_PER_HOUSEHOLD = 4  # what storage/synthetic.py averages
# .xlsx as openpyxl's write-only mode writes it (inline strings) and as Excel saves it (every
# text in a shared-string table, which the importer keeps on disk)
KIND_NAMES = {".csv": "csv", ".xlsx": "xlsx", ".ss.xlsx": "xlsx-shared"}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, url: str, mode: str) -> dict[str, float]:
    """In this process: import the file (mode "import": twice, the second time unchanged;
    mode "dry-run": once, nothing written). Rows/s and peak RSS after each pass."""
    from knowledge.loader import load_knowledge
    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.roster.importer import Options, import_roster

    kb = load_knowledge()
    engine = make_engine(url)
    upgrade(engine)
    out: dict[str, float] = {"baseline_mib": _rss_mib()}
    passes = ("first", "again") if mode == "import" else ("dry",)
    for name in passes:
        now = dt.datetime.now(dt.UTC)
        start = time.perf_counter()
        report = import_roster(path, engine=engine, regions=kb.regions, key=b"bench", now=now,
                               today=now.date(), options=Options(dry_run=mode == "dry-run"))
        elapsed = time.perf_counter() - start
        assert report.imported and not report.errors, report.errors[:3]
        out[f"{name}_rows"] = report.rows
        out[f"{name}_rows_per_s"] = report.rows / elapsed
        out[f"{name}_seconds"] = elapsed
        out[f"{name}_peak_mib"] = _rss_mib()
    engine.dispose()
    return out


def _child(path: Path, url: str, mode: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", str(path), url, mode],
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _roster(folder: Path, rows: int, suffix: str) -> Path:
    """The synthetic roster file, written by a child process: Linux carries a process's peak
    RSS over fork and exec, so writing a large file here would raise every measurement's
    baseline (moving 100k rows' texts into a shared-string table holds them in memory)."""
    path = folder / f"roster-{rows}{suffix}"
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--make", str(path), str(rows)], check=True)
    return path


def _make(path: Path, rows: int) -> None:
    from storage.synthetic import rows as synthetic_rows
    from storage.synthetic import write_csv, write_xlsx

    data = synthetic_rows(households=rows // MEMBERS_PER_HOUSEHOLD, seed=rows)
    if path.name.endswith(".xlsx"):  # .ss.xlsx: as Excel saves, one shared-string table
        write_xlsx(path, data, shared_strings=path.name.endswith(".ss.xlsx"))
    else:
        write_csv(path, data)


def _pg_database(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _line(backend: str, kind: str, rows: int, r: dict[str, float]) -> str:
    if "dry_rows" in r:
        return (f"{backend:<10} {kind:<11} {rows:>7} rows  dry run "
                f"{r['dry_rows_per_s']:>7.0f} rows/s ({r['dry_seconds']:.1f} s)  "
                f"peak {r['dry_peak_mib']:.0f} MiB "
                f"(+{r['dry_peak_mib'] - r['baseline_mib']:.0f} over the loaded program)")
    return (f"{backend:<10} {kind:<11} {rows:>7} rows  import {r['first_rows_per_s']:>7.0f} rows/s"
            f" ({r['first_seconds']:.1f} s)  re-import unchanged {r['again_rows_per_s']:>7.0f}"
            f" rows/s  peak {r['again_peak_mib']:.0f} MiB "
            f"(+{r['first_peak_mib'] - r['baseline_mib']:.0f} first, "
            f"+{r['again_peak_mib'] - r['baseline_mib']:.0f} both)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--xlsx", action="store_true", help="also .xlsx files (SQLite)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        _make(Path(args.make[0]), int(args.make[1]))
        return
    if args.child:
        path, url, mode = args.child
        print(json.dumps(measure(Path(path), url, mode)))
        return
    from contextlib import ExitStack

    from tests.pg_server import find_bindir, postgres_server

    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        backends = [("sqlite", "")]
        bindir = None if args.no_pg else find_bindir()
        if bindir is not None:
            backends.append(("postgresql", stack.enter_context(postgres_server(bindir))))
        elif not args.no_pg:
            print("PostgreSQL binaries not found: SQLite only")
        kinds = [".csv", ".xlsx", ".ss.xlsx"] if args.xlsx else [".csv"]
        for n, (backend, admin) in enumerate(backends):
            for suffix in kinds if backend == "sqlite" else [".csv"]:
                for rows in sizes:
                    path = _roster(folder, rows, suffix)
                    for mode in ("dry-run", "import"):
                        name = f"bench_{n}_{rows}_{KIND_NAMES[suffix]}_{mode}".replace("-", "_")
                        url = (f"sqlite:///{folder / name}.db" if backend == "sqlite"
                               else _pg_database(admin, name))
                        print(_line(backend, KIND_NAMES[suffix], rows, _child(path, url, mode)),
                              flush=True)


if __name__ == "__main__":
    main()
