"""`bangfu console` (what `make run` starts without a token), driven through its stdin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.console import button_key


def _env(cwd: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(DATABASE_URL=f"sqlite:///{cwd / 'c.db'}")
    return env


def _console(lines: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.main", "console"], cwd=cwd, env=_env(cwd),
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=60, check=False)


def test_console_runs_the_bot_with_lettered_buttons_and_typed_numbers(tmp_path: Path) -> None:
    # a: 盘锦市 ... the city buttons; then the county; then a question; then /check with a
    # typed age of 3 (a number is a message, never a button press).
    out = _console(["b", "a", "孩子上初中住校一年补多少", "/check", "a", "完成", "q"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "Warning" not in out.stderr, out.stderr
    text = out.stdout
    assert "TELEGRAM_BOT_TOKEN" in text  # the one-line hint on connecting to Telegram
    assert "[a] 盘锦市" in text and "[b] 铁岭市" in text
    assert "地区已设置为清河区" in text
    assert "1250" in text and "出处" in text
    assert "帮扶自查" in text
    assert "再见" in text


def test_console_prints_button_pop_ups(tmp_path: Path) -> None:
    out = _console(["b", "a", "孩子上初中住校一年补多少", "a", "q"], tmp_path)  # a: 有用
    assert "💬 " in out.stdout, out.stdout[-2000:]


def test_buttons_are_printed_only_under_their_message_and_stale_letters_stay_local(
        tmp_path: Path) -> None:
    # an answer with 有用/没用, then a greeting (no buttons), then "a": not a question
    out = _console(["b", "a", "孩子上初中住校一年补多少", "你好", "a", "q"], tmp_path)
    assert out.returncode == 0, out.stderr
    replies = out.stdout.split("👤 > ")
    greeting = next(r for r in replies if "可以查询清河区的帮扶政策" in r)
    assert "[a]" not in greeting  # the answer's buttons are not printed again under it
    after = replies[replies.index(greeting) + 1]
    assert "上一条消息没有按钮" in after and "🤖" not in after  # nothing was sent
    from sqlalchemy import create_engine, text

    with create_engine(f"sqlite:///{tmp_path / 'c.db'}").connect() as conn:
        asked = [row[0] for row in conn.execute(text("SELECT question FROM query_events"))]
    assert "a" not in asked


def test_ctrl_c_ends_the_console_at_once(tmp_path: Path) -> None:
    console = subprocess.Popen([sys.executable, "-m", "bot.main", "console"], cwd=tmp_path,
                               env=_env(tmp_path), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert console.stdout is not None
    deadline = time.monotonic() + 30
    seen = ""
    while "👤 >" not in seen and time.monotonic() < deadline:  # the first prompt is up
        seen += console.stdout.read(1)
    console.send_signal(signal.SIGINT)  # stdin stays open: nothing else would end it
    start = time.monotonic()
    try:
        code = console.wait(timeout=5)
    finally:
        console.kill()
    err = console.stderr.read() if console.stderr else ""
    assert time.monotonic() - start < 3, "Ctrl-C must not wait for Enter"
    assert code == 0 and "再见" in err and "Traceback" not in err, err


def test_button_keys_are_letters() -> None:
    assert [button_key(n) for n in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def test_the_console_as_a_caseworker_runs_on_the_demo_database(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "bot.main", "console", "--as", "caseworker"],
                         cwd=tmp_path, env=env, input="/mine\na\nq\n", capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "当前身份：张干部（帮扶干部）" in text and "我的帮扶户" in text
    assert "家庭成员" in text and "********" in text  # a household's page, IDs masked
    assert (tmp_path / "data" / "demo.db").exists() and not (tmp_path / "c.db").exists()


def test_the_resident_console_says_how_to_try_the_other_roles(tmp_path: Path) -> None:
    assert "--as caseworker" in _console(["q"], tmp_path).stdout
