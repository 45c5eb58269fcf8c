"""The staff commands an office's IT staff run: invite, users, audit, erase, backup."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from bot.main import main
from storage.models import Household, HouseholdStatus, Member, User, Visit
from storage.repo import audit
from tests.casework.conftest import WORKER, Team, texts

Cli = Callable[..., tuple[int, str, str]]  # argv -> exit code, stdout, stderr


@pytest.fixture
def cli(team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATABASE_URL", team.svc.settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_USERNAME", "bangfu_bot")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


async def test_invite_prints_a_code_and_its_deep_link(team: Team, cli: Cli) -> None:
    code, out, _ = cli("invite", "--role", "caseworker", "--region", "清河区/张相镇",
                       "--name", "张三", "--supervisor", "201", "--days", "3")
    assert code == 0 and "https://t.me/bangfu_bot?start=" in out
    invite = out.split("start=")[1].split()[0]
    assert "欢迎您，<b>张三</b>" in texts(await team.chat(777).send(f"/start {invite}"))


def test_an_unknown_region_lists_the_covered_ones(team: Team, cli: Cli) -> None:
    code, _, err = cli("invite", "--role", "caseworker", "--region", "火星区", "--name", "x")
    assert code == 2 and "未知地区" in err and "清河区" in err and "Traceback" not in err
    code, _, err = cli("invite", "--role", "caseworker", "--region", "斗门区/张相镇",
                       "--name", "x")
    assert code == 2  # a town of another county


def test_users_lists_by_region_and_deactivates_at_once(team: Team, cli: Cli) -> None:
    code, out, _ = cli("users", "--json")
    people = {u["name"]: u for u in json.loads(out)}
    assert code == 0 and {"张干部", "王干部", "刘主任", "陈主任"} <= set(people)
    _, out, _ = cli("users", "--region", "斗门区", "--json")
    assert [u["name"] for u in json.loads(out)] == ["陈主任"]
    _, table, _ = cli("users")
    assert "Telegram ID" in table and "张干部" in table
    code, out, _ = cli("users", "deactivate", str(WORKER))
    assert code == 0 and "已停用" in out
    with team.svc.db() as s:
        user = s.get(User, WORKER)
        assert user is not None and not user.active
        assert audit.entries(session=s, object_type="user")[0].action == "user.deactivate"


def test_audit_reads_by_object_and_user(team: Team, cli: Cli) -> None:
    cli("users", "deactivate", str(WORKER))
    code, out, _ = cli("audit", "--object", f"user:{WORKER}", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["action"] == "user.deactivate" and rows[0]["actor"] == "cli"
    assert rows[0]["at"].endswith("+08:00")  # shown in Asia/Shanghai


def test_erase_removes_personal_data_and_leaves_an_anonymous_trace(
        team: Team, cli: Cli) -> None:
    target = team.mine[1]
    assert cli("households", "erase", target.code)[0] == 2  # without --yes
    code, _, _ = cli("households", "erase", target.code, "--yes")
    assert code == 0
    with team.svc.db() as s:
        h = s.get(Household, target.id)
        assert h is not None and h.status == HouseholdStatus.ERASED and h.head_name != "李大爷"
        assert not s.exec(select(Member).where(Member.name == "李大爷")).all()
        assert all(v.notes == "" for v in s.exec(select(Visit).where(
            Visit.household_id == target.id)))
        trace = audit.entries(session=s, object_type="household", object_id=h.code)
    assert [r.action for r in trace] == ["household.erase"] and trace[0].before is None


def test_backup_copies_a_live_sqlite_database(team: Team, cli: Cli, tmp_path: Path) -> None:
    if not team.svc.settings.database_url.startswith("sqlite"):
        code, _, err = cli("db", "backup", str(tmp_path / "b.db"))
        assert code == 1 and "pg_dump" in err
        return
    assert cli("db", "backup", str(tmp_path / "b.db"))[0] == 0
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("SELECT count(*) FROM households").fetchone()[0] == 5
    assert cli("db", "backup", str(tmp_path / "b.db"))[0] == 1  # no overwrite
