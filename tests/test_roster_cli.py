"""`bangfu import households` from the command line: summary, JSON, exit codes, progress,
--demo; and a generated 100,000-row file checked end to end with --dry-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.main import main
from storage.db import make_engine, session
from storage.models import Household, Member
from storage.roster import importer
from storage.synthetic import rows, write_csv, write_xlsx


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without .env, its own database and data directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bangfu.db'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ID_HASH_SECRET", raising=False)
    return tmp_path


def counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session(engine) as s:
        found = (s.exec(select(func.count()).select_from(Household)).one(),
                 s.exec(select(func.count()).select_from(Member)).one())
    engine.dispose()
    return found


def test_json_has_exactly_the_documented_shape(env: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = list(rows(households=5, seed=1))
    write_csv(env / "r.csv", data, encoding="gb18030")
    assert main(["import", "households", "r.csv", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"households", "members", "errors", "unassigned", "unrecognised_columns"}
    assert out["households"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert out["members"] == {"created": len(data), "updated": 0, "unchanged": 0, "gone": 0}
    assert out["errors"] == [] and out["unrecognised_columns"] == []
    assert {u["reason"] for u in out["unassigned"]} == {"not_registered"}
    assert set(out["unassigned"][0]) == {"name", "county", "households", "reason"}
    assert (env / "data" / "id-hash.key").exists()  # the key was generated on first use


def test_errors_exit_non_zero_and_the_summary_names_row_and_column(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = list(rows(households=3, seed=1))
    data[1]["证件号码"] = data[1]["证件号码"][:-1] + "Y"
    write_xlsx(env / "r.xlsx", data)
    assert main(["import", "households", "r.xlsx"]) == 1
    out = capsys.readouterr().out
    assert "未导入任何数据" in out and "第 3 行「证件号码」" in out
    assert data[1]["证件号码"] not in out
    assert counts(f"sqlite:///{env / 'bangfu.db'}") == (0, 0)
    assert main(["import", "households", "r.xlsx", "--skip-invalid"]) == 0
    assert "已跳过 1 个有错误的户" in capsys.readouterr().out


def test_dry_run_writes_nothing_and_says_so(env: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(env / "r.csv", rows(households=4, seed=2))
    assert main(["import", "households", "r.csv", "--dry-run"]) == 0
    assert "试运行，未写入数据库" in capsys.readouterr().out
    assert counts(f"sqlite:///{env / 'bangfu.db'}") == (0, 0)


def test_demo_imports_into_the_demo_database(env: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(env / "r.csv", rows(households=2, seed=2))
    assert main(["import", "households", "r.csv", "--demo"]) == 0
    assert counts(f"sqlite:///{env / 'data' / 'demo.db'}")[0] == 2
    assert not (env / "bangfu.db").exists()


def test_an_unreadable_file_is_explained_in_one_line(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (env / "broken.xlsx").write_bytes(b"not a zip")
    assert main(["import", "households", "old.xls"]) == 2
    assert "另存为 .xlsx" in capsys.readouterr().err
    assert main(["import", "households", "broken.xlsx"]) == 2
    assert "不是有效的 .xlsx" in capsys.readouterr().err
    assert main(["import", "households", "missing.csv"]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_progress_goes_to_stderr(env: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    write_csv(env / "r.csv", rows(households=10, seed=2))
    assert main(["import", "households", "r.csv", "--dry-run", "--json"]) == 0
    captured = capsys.readouterr()
    assert "已读取 10 行" in captured.err and "已读取" not in captured.out
    json.loads(captured.out)


def test_a_100000_row_file_is_validated_end_to_end(env: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """25,000 households, ~100,000 members (time and memory: benchmarks/roster.py)."""
    write_csv(env / "big.csv", rows(households=25_000, seed=100))
    assert main(["import", "households", "big.csv", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == []
    assert out["households"]["created"] == 25_000
    assert out["members"]["created"] >= 100_000


def test_the_shipped_examples_import_cleanly_and_are_what_the_generator_makes(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from bot.settings import PROJECT_ROOT
    from storage.synthetic import COLUMNS, write_examples

    shipped = PROJECT_ROOT / "examples"
    write_examples(env / "fresh")
    assert (env / "fresh" / "roster-sample.csv").read_bytes() == (
        shipped / "roster-sample.csv").read_bytes(), "run python -m storage.synthetic --examples"
    for name in ("roster-sample.xlsx", "roster-template.xlsx"):
        values = []
        for folder in (shipped, env / "fresh"):
            book = load_workbook(folder / name, read_only=True)
            values.append([list(r) for r in book.worksheets[0].values])
            book.close()
        assert values[0] == values[1]
    template = load_workbook(shipped / "roster-template.xlsx").worksheets[0]
    assert [c.value for c in template[1]] == list(COLUMNS) and template.freeze_panes == "A2"
    for name in ("roster-sample.xlsx", "roster-sample.csv"):
        assert main(["import", "households", str(shipped / name), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["errors"] == [] and out["households"]["created"] + out["households"][
            "unchanged"] == 40
