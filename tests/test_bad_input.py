"""Hostile and odd input: a clear Chinese message, never a traceback, and valid HTML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.ui.render import split_message
from tests.fakes import OfflineChat
from tests.html_check import assert_telegram_html
from tests.test_journeys import pick_region, texts

# A template expression typed by a user must reach the reply as text, never be evaluated:
# 7*191 would render as 1337, which no policy answer contains.
INJECTED, EVALUATED = "{{ 7*191 }}", "1337"
HOSTILE = ["", "   ", "好" * 5000, "😀😀😀", "<b>低保</b>", f"{INJECTED} {{% raw %}}",
           f"低保标准{INJECTED}多少",
           "'; DROP TABLE user; --",
           "&amp; <script>alert(1)</script>", "\u202e低保\u200b标准\x00"]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_gets_a_valid_reply(chat: OfflineChat, text: str) -> None:
    await pick_region(chat, "盘锦市", "盘山县")
    replies = await chat.send(text)
    assert replies, "the bot must always answer"
    for message in replies:
        assert_telegram_html(str(message["text"]))
        assert EVALUATED not in str(message["text"]), "a typed template expression was run"


async def test_long_text_is_refused_kindly(chat: OfflineChat) -> None:
    await pick_region(chat, "盘锦市", "盘山县")
    assert "太长" in texts(await chat.send("低保" * 400))


def test_split_message_keeps_parts_under_the_limit() -> None:
    text = "\n".join(f"<b>第{i}项</b> 金额 &amp; 说明" for i in range(600))
    parts = split_message(text, limit=4096)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    for part in parts:
        assert_telegram_html(part)
    assert all(len(p) <= 100 for p in split_message("&amp;" * 300, limit=100))


def test_ask_cli_prints_the_documented_json() -> None:
    out = subprocess.run([sys.executable, "-m", "bot.main", "ask", "--region", "清河区", "--json",
                          "孩子上初中住校一年补多少"], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["answered"] is True and data["region"] == "清河区"
    top = data["results"][0]
    assert top["id"] == "qinghe-2020-boarding-living-subsidy"
    assert {"id", "title", "jurisdiction", "amounts", "score", "source"} <= set(top)
    assert any(a["value"] == 1250 and a["for_you"] for a in top["amounts"])
    assert data["clarify"] == [] and "1250" in data["text"]


def test_ask_jsonl_answers_every_line_in_one_process() -> None:
    lines = "\n".join([json.dumps({"region": "斗门", "question": "低保标准"}, ensure_ascii=False),
                       "not json", json.dumps({"region": "火星", "question": "低保"})])
    out = subprocess.run([sys.executable, "-m", "bot.main", "ask", "--jsonl"], input=lines,
                         capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3 and "error" in rows[1] and "error" in rows[2]
    assert rows[0]["region"] == "斗门区"


@pytest.mark.parametrize(("env", "needle"), [
    ({"WEBHOOK_SECRET": "has spaces!"}, "WEBHOOK_SECRET"),
    ({"WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT"),
    ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
    ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://bangfu@localhost/bangfu"}, "DATABASE_URL"),
])
def test_bad_settings_name_the_setting_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        env: dict[str, str], needle: str) -> None:
    from bot.main import main

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["run", "--webhook"]) == 2
    err = capsys.readouterr().err
    assert "配置有误" in err and needle in err and "Traceback" not in err


def test_webhook_mode_names_every_missing_setting(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from bot.runner import run_bot
    from bot.settings import Settings

    settings = Settings(_env_file=None, telegram_bot_token="1:x",  # type: ignore[call-arg,arg-type]
                        database_url="sqlite://")
    assert run_bot(settings, webhook=True) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_URL" in err and "WEBHOOK_SECRET" in err


def test_webhook_mode_without_a_token_does_not_fall_back_to_the_console(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from bot.main import main

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("WEBHOOK_URL", "https://example.org/telegram")
    assert main(["run", "--webhook"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_the_example_env_file_loads_as_is() -> None:
    from bot.settings import PROJECT_ROOT, Settings

    settings = Settings(_env_file=PROJECT_ROOT / ".env.example")  # type: ignore[call-arg]
    assert settings.token is None and settings.webhook_secret is None


@pytest.mark.allow_handler_errors
async def test_a_failing_handler_gets_an_apology_not_silence(chat: OfflineChat) -> None:
    from telegram.ext import CommandHandler

    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    chat.app.add_handler(CommandHandler("broken", broken), group=-5)  # before all
    reply = texts(await chat.send("/broken"))
    assert "出了点问题" in reply


FORGED = ["ck:nope:1", "ck:back", "ck:cancel", "pk:99999", "pk:-1", "pk:none", "fb:1:99999",
          "fb:2:1", "rg:s:nowhere", "rg:c:", "rg:x", "x" * 64, "ck:" + "\u202e" * 20]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_or_stale_button_data_never_breaks_the_bot(chat: OfflineChat,
                                                                 data: str) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    old = {"message_id": 1, "date": 0, "chat": {"id": chat.user_id, "type": "private"},
           "text": "旧消息", "reply_markup": {"inline_keyboard": [[{"text": "按钮",
                                                                 "callback_data": data}]]}}
    chat.api.messages[(chat.user_id, 1)] = old  # Telegram still has the old message
    for message in await chat.press("按钮", on=old):
        assert_telegram_html(str(message["text"]))
    assert "1250" in texts(await chat.send("孩子上初中住校一年补多少"))  # still answering


@pytest.mark.parametrize(("url", "path"), [
    ("https://bot.example.org/telegram", "telegram"), ("https://bot.example.org/", ""),
    ("https://bot.example.org/bangfu/hook", "bangfu/hook"),
])
def test_the_bot_serves_the_path_telegram_posts_to(url: str, path: str) -> None:
    from bot.runner import webhook_options
    from bot.settings import Settings

    settings = Settings(_env_file=None, webhook_url=url)  # type: ignore[call-arg]
    assert webhook_options(settings)["url_path"] == path


def test_an_unreachable_database_is_named_without_a_traceback_or_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from bot.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bangfu:s3cret@127.0.0.1:1/bangfu")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    for argv in (["run"], ["db", "upgrade"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "DATABASE_URL" in err or "database" in err
        assert "s3cret" not in err and "Traceback" not in err


def test_db_commands_report_and_upgrade_the_schema(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from bot.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["db", "current"]) == 0 and "未初始化" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0 and "最新" in capsys.readouterr().out
