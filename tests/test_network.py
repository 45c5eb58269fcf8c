"""`bangfu run` where Telegram cannot be reached: each start-up failure is one Chinese line
naming the cause and the setting, exit 1, no traceback; TELEGRAM_PROXY reaches every request
object the bot makes (the e2e test tests/e2e/test_proxy.py watches the traffic itself)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from bot.main import main
from tests.stand_ins import token_rejecting_api


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once it is closed


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
         **env: str) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)  # no .env
    for key in ("TELEGRAM_API_URL", "TELEGRAM_PROXY", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'n.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABC-wrong")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(["run"])
    return code, capsys.readouterr().err


def test_an_unreachable_server_is_named_with_the_settings_to_check(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    server = f"http://127.0.0.1:{_closed_port()}"
    code, err = _run(monkeypatch, capsys, tmp_path, TELEGRAM_API_URL=server)
    assert code == 1 and "无法连接 Telegram 服务器" in err and server in err
    assert "TELEGRAM_PROXY" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("scheme", ["http", "socks5"])
def test_a_refused_proxy_is_named(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  scheme: str) -> None:
    proxy = f"{scheme}://bangfu:s3cret@127.0.0.1:{_closed_port()}"
    code, err = _run(monkeypatch, capsys, tmp_path, TELEGRAM_PROXY=proxy,
                     TELEGRAM_API_URL=f"http://127.0.0.1:{_closed_port()}")
    assert code == 1 and "无法通过代理" in err and "TELEGRAM_PROXY" in err
    assert "s3cret" not in err and "bangfu:***@" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_wrong_or_revoked_token_is_named(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    with token_rejecting_api() as api:
        code, err = _run(monkeypatch, capsys, tmp_path, TELEGRAM_API_URL=api)
    assert code == 1 and "TELEGRAM_BOT_TOKEN" in err and "撤销" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_the_webhook_mode_checks_the_connection_too(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "secret_1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("TELEGRAM_PROXY", f"http://127.0.0.1:{_closed_port()}")
    assert main(["run", "--webhook"]) == 1
    assert "TELEGRAM_PROXY" in capsys.readouterr().err


@pytest.mark.parametrize("proxy", ["ftp://127.0.0.1:21", "127.0.0.1:8080", "http://host",
                                   "socks5://:1080"])
def test_a_malformed_proxy_setting_is_refused_before_starting(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        proxy: str) -> None:
    code, err = _run(monkeypatch, capsys, tmp_path, TELEGRAM_PROXY=proxy)
    assert code == 2 and "TELEGRAM_PROXY" in err and "socks5://" in err


def test_the_proxy_is_given_to_both_request_objects(tmp_path: Path) -> None:
    from bot.app import build_application
    from bot.services import build_services
    from bot.settings import Settings

    settings = Settings(_env_file=None, telegram_bot_token="1:x",  # type: ignore[call-arg,arg-type]
                        telegram_proxy="socks5://127.0.0.1:1080",
                        database_url=f"sqlite:///{tmp_path / 'p.db'}")
    app = build_application(build_services(settings))
    assert app.updater is not None
    requests: tuple[Any, ...] = (app.bot.request, app.updater.bot._request[0])
    for request in requests:  # PTB keeps the httpx settings here; there is no public getter
        assert request._client_kwargs["proxy"] == "socks5://127.0.0.1:1080"
