"""TELEGRAM_PROXY end to end: `bangfu run` reaches the emulator only through a proxy stand-in
that this test starts on 127.0.0.1; when the proxy goes away the bot logs it once, keeps
retrying without a traceback, and answers again once the proxy is back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.client import Resident
from tests.e2e.conftest import START_TIMEOUT, Emulator, bot_env, start_bangfu, stop
from tests.stand_ins import ProxyStandIn, proxy_stand_in

TOKEN = "777777:PROXY-test"  # its own bot: the emulator keys bots by token


def _wait(condition: object, what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}", pytrace=False)
        time.sleep(0.1)


def test_every_request_goes_through_the_proxy_and_a_drop_is_survived(
        emulator: Emulator, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with proxy_stand_in() as proxy:
        env = bot_env(emulator.url, tmp_path, TOKEN) | {"TELEGRAM_PROXY": proxy.url}
        bot = start_bangfu(["run"], tmp_path, env, log)
        resident = Resident(emulator.url, TOKEN, 90_001)
        try:
            _wait(lambda: "getUpdates" in proxy.seen or bot.poll() is not None,
                  "the first poll through the proxy")
            assert bot.poll() is None, log.read_text()
            resident.send("清河区")
            resident.wait_for("地区已设置为清河区")
            assert {"getMe", "getUpdates", "sendMessage"} <= set(proxy.seen)
            port = proxy.port
            proxy.stop()  # the network drops
            time.sleep(4)  # a few retries with backoff (1 s, 1.5 s, 2.25 s ...)
            assert bot.poll() is None, "the bot must keep running"
            again = ProxyStandIn(port).start()  # back, on the same address
            try:
                before = resident.last_id()
                resident.send("孩子上初中住校一年补多少")
                assert "1250" in resident.wait_for("出处", after=before).text
            finally:
                stop(bot)  # while the proxy is up: stopping is not another drop
                again.stop()
        finally:
            stop(bot)
            resident.close()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert text.count("网络故障") == 1 and "TELEGRAM_PROXY" in text, text
    assert "网络已恢复" in text, text
