"""`bangfu run --webhook` as a separate process: Telegram's side is played by this test.

The bot registers its webhook with the emulator (setWebhook, with the secret) and sends its
replies there; the test posts updates to the bot's webhook the way Telegram does, with the
X-Telegram-Bot-Api-Secret-Token header, and reads the replies from the emulator. (The
emulator itself can deliver webhook updates too, but without the secret header.)
"""

from __future__ import annotations

import itertools
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.client import Resident
from tests.e2e.conftest import (
    LOG_KEY,
    START_TIMEOUT,
    Emulator,
    bot_env,
    free_port,
    start_bangfu,
    stop,
)

TOKEN = "654321:WEBHOOK-test"  # not the polling bot's token: the emulator keys bots by token
SECRET = "e2e-webhook_Secret-42"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_ids = itertools.count(1)


@dataclass(frozen=True)
class WebhookBot:
    url: str
    proc: subprocess.Popen[str]


def _wait_listening(url: str, proc: subprocess.Popen[str]) -> bool:
    """True once the webhook answers HTTP (405 to a GET); False if the bot exits or times out."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url, timeout=1.0)
            return True
        except httpx.TransportError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def webhook_bot(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> Iterator[WebhookBot]:
    workdir = tmp_path_factory.mktemp("webhook")
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = bot_env(emulator.url, workdir, TOKEN) | {
        "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}
    log = workdir / "bot.log"
    previous_log = request.config.stash.get(LOG_KEY, None)
    request.config.stash[LOG_KEY] = log
    proc = start_bangfu(["run", "--webhook"], workdir, env, log)
    try:
        if not _wait_listening(url, proc):
            pytest.fail(f"webhook bot did not listen (exit code {proc.poll()}):\n"
                        + log.read_text(errors="replace"), pytrace=False)
        yield WebhookBot(url, proc)
    finally:
        stop(proc)
        if previous_log is not None:
            request.config.stash[LOG_KEY] = previous_log


def _push(bot: WebhookBot, user_id: int, text: str, secret: str | None = SECRET) -> int:
    """POST one message update to the webhook like Telegram; the HTTP status."""
    message: dict[str, Any] = {
        "message_id": next(_ids), "date": int(time.time()), "text": text,
        "chat": {"id": user_id, "type": "private", "first_name": "村民"},
        "from": {"id": user_id, "is_bot": False, "first_name": "村民"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    response = httpx.post(bot.url, json={"update_id": next(_ids), "message": message},
                          headers=headers, timeout=5.0)
    return response.status_code


@pytest.fixture
def reader(emulator: Emulator) -> Iterator[Resident]:
    """Reads the webhook bot's messages to a fresh user from the emulator."""
    client = Resident(emulator.url, TOKEN, 50_000 + next(_ids))
    try:
        yield client
    finally:
        client.close()


def test_webhook_answers_updates_that_carry_the_secret(webhook_bot: WebhookBot,
                                                       reader: Resident) -> None:
    assert _push(webhook_bot, reader.user_id, "/start") == 200
    assert "请先选择您所在的市" in reader.wait_for("帮扶助手").text

    assert _push(webhook_bot, reader.user_id, "清河区") == 200
    reader.wait_for("地区已设置为清河区")
    before = reader.last_id()
    assert _push(webhook_bot, reader.user_id, "孩子上初中住校一年补多少") == 200
    reply = reader.wait_for("出处", after=before)
    assert "1250" in reply.text and "《清河区2020年脱贫攻坚工作实施方案》" in reply.text


def test_webhook_rejects_updates_without_the_right_secret(webhook_bot: WebhookBot,
                                                          reader: Resident) -> None:
    assert _push(webhook_bot, reader.user_id, "/start", secret=None) == 403
    assert _push(webhook_bot, reader.user_id, "/start", secret="guess") == 403
    # A genuine update afterwards is answered, and it is the only reply in this chat.
    assert _push(webhook_bot, reader.user_id, "/help") == 200
    reader.wait_until(lambda ms: ms[-1] if ms else None, "to /help")
    time.sleep(0.5)  # let any (wrong) reply to the rejected updates arrive
    assert len(reader.messages()) == 1
    assert webhook_bot.proc.poll() is None


def test_healthz_reports_the_scheduler(webhook_bot: WebhookBot) -> None:
    """GET /healthz on the webhook server: 200 with the scheduler's process once it leads."""
    health_url = webhook_bot.url.rsplit("/", 1)[0] + "/healthz"
    deadline = time.monotonic() + 15
    report: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = httpx.get(health_url, timeout=5.0)
        report = response.json()
        if response.status_code == 200:
            break
        time.sleep(0.2)
    assert report["ok"] is True and report["scheduler"] and report["stalled"] is False
    assert report["due_unsent"] == 0 and report["processes"][0]["leader"] is True
