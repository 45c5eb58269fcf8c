"""`bangfu eligible` on hostile and careless profile files: Chinese errors with the field's
path, stdin, a BOM, deep nesting, `true` as a number; and `| head` ends quietly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.main import main


def _eligible(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
              data: bytes, *extra: str) -> tuple[int, str, str]:
    """Run `bangfu eligible --profile -` in-process with `data` on standard input."""
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(["eligible", "--profile", "-", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_profile_on_standard_input_is_screened(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    profile = {"region": "清河区", "area": "rural", "categories": ["建档立卡贫困户"],
               "members": [{"age": 13, "school_stage": "初中", "boarding": True}]}
    code, out, _ = _eligible(capsys, monkeypatch, json.dumps(profile).encode())
    assert code == 0 and "1250" in out


def test_a_notepad_bom_is_accepted(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = "\ufeff".encode() + '{"region": "清河区", "members": [{"age": 13}]}'.encode()
    code, out, err = _eligible(capsys, monkeypatch, data)
    assert code == 0 and "自查结果" in out, err


@pytest.mark.parametrize(("profile", "expected"), [
    ({"region": "清河区", "members": [{"chronic_illness": True}]},
     "members[0].chronic_illness: 没有这一项，您是不是想写 chronic_disease？"),
    ({"regoin": "清河区"}, "regoin: 没有这一项，您是不是想写 region？"),
    ({"region": "清河区", "members": [{"age": True}]},
     "members[0].age: 应为数字，不能写 true/false"),
    ({"region": "清河区", "income_per_capita_yearly": True},
     "income_per_capita_yearly: 应为数字"),
    ({"region": "清河区", "members": [{"age": 130}]}, "members[0].age: 不能大于 120"),
    ({"region": "清河区", "members": [{"school_stage": "大学"}]}, "不上学"),
    ({"region": "清河区", "area": "moon"}, "area: 只能是：rural、urban"),
    ({"area": "rural"}, "region: 缺少这一项"),
    ({"region": "火星区"}, "未知地区 火星区"),
    ([1, 2], "应为对象"),
    ({"region": "清河区", "[": None}, "[: 没有这一项"),  # found by the fuzz test on 3.13
    ({"region": "清河区", "members": [{"bool": 1}]}, "members[0].bool: 没有这一项"),
])
def test_validation_errors_are_chinese_and_name_the_field(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        profile: object, expected: str) -> None:
    code, _, err = _eligible(capsys, monkeypatch, json.dumps(profile, ensure_ascii=False).encode())
    assert code == 2 and expected in err, err
    assert "Traceback" not in err and "validation error" not in err


@pytest.mark.parametrize("data", [b"[" * 50_000 + b"]" * 50_000, b'{"a": ' * 20_000,
                                  b"\xff\xfe{}", b"", b"not json", b"9" * 5000])
def test_broken_files_get_one_line_not_a_traceback(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        data: bytes) -> None:
    code, _, err = _eligible(capsys, monkeypatch, data)
    assert code == 2 and "档案有误" in err and "Traceback" not in err


def test_a_seventy_year_old_without_a_school_stage_gets_no_school_questions(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    profile = {"region": "清河区", "area": "rural", "categories": ["建档立卡贫困户"],
               "members": [{"age": 70}]}
    code, out, _ = _eligible(capsys, monkeypatch, json.dumps(profile).encode(), "--json")
    unknown = {u for r in json.loads(out)["results"] for u in r["unknown"]}
    assert code == 0 and not unknown & {"school_stage", "boarding", "new_entrant"}


@pytest.mark.parametrize("command", [["kb", "check"], ["ask", "--region", "清河区", "低保"],
                                     ["eligible", "--profile", "-"]])
def test_piping_into_head_ends_quietly(command: list[str], tmp_path: Path) -> None:
    profile = json.dumps({"region": "清河区", "members": [{"age": 9}]})
    bangfu = subprocess.Popen([sys.executable, "-m", "bot.main", *command],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=tmp_path)
    assert bangfu.stdin and bangfu.stdout
    bangfu.stdout.close()  # the reader has gone before the first line, as `head` may have
    bangfu.stdin.write(profile.encode())
    bangfu.stdin.close()
    err = bangfu.stderr.read().decode() if bangfu.stderr else ""
    assert bangfu.wait(60) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
