"""`bangfu console`: the real Application and handlers, chatting in the terminal.

Each reply is printed with its own buttons under it, lettered a, b, c ... across the reply;
only the buttons of the latest reply can be pressed (a letter typed when it has none is not
sent as a message). Ctrl-C ends at once: lines are read by a daemon thread, so no blocked
input() keeps the process alive after the event loop has stopped.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

from bot.app import build_application
from bot.offline import OfflineBotAPI
from bot.offline_chat import OfflineChat
from bot.services import build_services
from bot.settings import Settings
from bot.startup import STARTUP_ERRORS, startup_problem
from handlers.ui.render import to_plain

BANNER = (
    "帮扶助手 · 本地终端模式（未设置 TELEGRAM_BOT_TOKEN，未连接 Telegram）\n"
    "提示：在 .env 中设置 TELEGRAM_BOT_TOKEN=<BotFather 给的令牌> 后，make run 即连接 Telegram。\n"
    "输入文字就是给机器人发消息；消息下面有 [a] [b] … 按钮时输入字母即可点按钮；"
    "输入 q 或按 Ctrl-C 退出。\n"
)
QUIT = ("q", "quit", "exit", "退出")
NO_BUTTONS = "（上一条消息没有按钮。要提问请输入完整的问题，例如“低保标准是多少”。）"
PROMPT = "\n👤 > "


def button_key(n: int) -> str:
    """a, b, ... z, aa, ab ...: letters, so typed numbers (年龄 3) stay messages."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < len(letters) else button_key(n // len(letters) - 1) + letters[
        n % len(letters)]


@dataclass
class Screen:
    """What the terminal shows of the latest reply, and which letter presses which button."""

    keys: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)

    def show(self, messages: list[dict[str, Any]], notices: list[str]) -> None:
        """Print pop-ups, then each message with its own buttons under it."""
        self.keys = {}
        for notice in notices:
            print(f"\n💬 {notice}")
        for m in messages:
            print("\n🤖 " + to_plain(str(m["text"])).replace("\n", "\n   "))
            rows = (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for i, button in enumerate(b for row in rows for b in row):
                key = button_key(len(self.keys))
                self.keys[key] = (m, i + 1)
                print(f"   [{key}] {button['text']}")

    def is_letter(self, line: str) -> bool:
        """A short run of ASCII letters: meant as a button, never as a question."""
        return line.isascii() and line.isalpha() and len(line) <= 2


def _reader(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None],
            ready: threading.Event) -> None:
    """Read lines in a daemon thread and hand them to the event loop (None at EOF); the
    prompt waits for `ready`, so it comes after the reply to the previous line."""
    while True:
        ready.wait()
        ready.clear()
        try:
            line: str | None = input(PROMPT)
        except (EOFError, OSError):
            line = None
        try:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        except RuntimeError:  # the loop has closed: the console is ending
            return
        if line is None:
            return


SWITCH = ("想试试帮扶干部或主管领导的功能：.venv/bin/bangfu console --as caseworker"
          "（或 --as supervisor），会自动使用独立的演示数据库。\n")


@dataclass(frozen=True)
class Persona:
    """Who the console user is: a resident of the real database, or a demo user."""

    user_id: int = 4242
    label: str = ""  # 张干部（帮扶干部）
    first: str = "/start"  # what is sent for them at the start


async def chat_loop(settings: Settings, persona: Persona = Persona()) -> int:
    """Read lines, feed them as updates, print replies, until EOF, q or Ctrl-C."""
    api = OfflineBotAPI()
    app = build_application(build_services(settings), request=api)
    chat = OfflineChat(app, api, user_id=persona.user_id)
    screen = Screen()
    print(BANNER)
    print(f"当前身份：{persona.label}（演示数据）\n" if persona.label else SWITCH)
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    ready = threading.Event()
    async with app:
        screen.show(await chat.send(persona.first), chat.notices)
        threading.Thread(target=_reader, args=(asyncio.get_running_loop(), lines, ready),
                         daemon=True).start()
        while True:
            ready.set()
            line = await lines.get()
            if line is None:
                break
            line = line.strip()
            if line.lower() in QUIT:
                break
            if not line:
                continue
            if line.lower() in screen.keys:
                message, number = screen.keys[line.lower()]
                screen.show(await chat.press(number, on=message), chat.notices)
            elif screen.is_letter(line):
                print(NO_BUTTONS)
            else:
                screen.show(await chat.send(line), chat.notices)
    print("\n再见！")
    return 0


def run_console(settings: Settings, persona: Persona = Persona()) -> int:
    """Entry point used by `bangfu console` and by `bangfu run` without a token."""
    try:
        return asyncio.run(chat_loop(settings, persona))
    except KeyboardInterrupt:
        # asyncio.run has cancelled the chat and shut the Application down (state saved);
        # the reader thread is still inside input(), holding stdin's lock, and the normal
        # interpreter shutdown would abort on it ("could not acquire lock"): leave now.
        print("\n再见！", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    except STARTUP_ERRORS as exc:
        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
