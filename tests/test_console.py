"""`bangfu console` (what `make run` starts without a token), driven through its stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.console import button_key


def _console(lines: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(DATABASE_URL=f"sqlite:///{cwd / 'c.db'}")
    return subprocess.run([sys.executable, "-m", "bot.main", "console"], cwd=cwd, env=env,
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


def test_button_keys_are_letters() -> None:
    assert [button_key(n) for n in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]
