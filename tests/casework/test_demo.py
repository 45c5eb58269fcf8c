"""`bangfu demo` seeds a database of its own, afresh each time, and never the production one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.main import main


def test_demo_starts_afresh_in_its_own_database(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    production = tmp_path / "bangfu.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{production}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for _ in range(2):
        assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "300 户" in out and "900001" in out and "--as caseworker" in out
    with sqlite3.connect(tmp_path / "data" / "demo.db") as db:
        assert db.execute("SELECT count(*) FROM households").fetchone()[0] == 300
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 3
        overdue = db.execute("SELECT count(*) FROM followups WHERE status = 'OPEN'"
                             " AND due_on < date('now')").fetchone()[0]
        assert overdue > 0
        assert db.execute("SELECT count(*) FROM entitlement_gaps").fetchone()[0] > 0
        visited = db.execute("SELECT count(*) FROM households WHERE last_visited_at IS NOT NULL"
                             ).fetchone()[0]
        wrong = db.execute(  # the reports' denormalised last visit matches the visits
            "SELECT count(*) FROM households h WHERE h.last_visited_at IS NOT (SELECT "
            "max(v.visited_at) FROM visits v WHERE v.household_id = h.id "
            "AND v.deleted_at IS NULL)").fetchone()[0]
        assert visited > 100 and wrong == 0
        assert db.execute("SELECT count(*) FROM members WHERE length(id_masked) = 18"
                          " AND id_masked LIKE '%********%'").fetchone()[0] > 300
    assert not production.exists()  # the production database was never opened
    assert main(["users", "--demo", "--json"]) == 0
    assert "张干部" in capsys.readouterr().out
