"""`bangfu console`: the real Application and handlers, chatting in the terminal."""

from __future__ import annotations

import asyncio
import sys
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
    "输入文字就是给机器人发消息；出现 [a] [b] … 按钮时输入字母即可点按钮；输入 q 退出。\n"
)


def button_key(n: int) -> str:
    """a, b, ... z, aa, ab ...: letters, so typed numbers (年龄 3) stay messages."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < len(letters) else button_key(n // len(letters) - 1) + letters[
        n % len(letters)]


def show(messages: list[dict[str, Any]], chat: OfflineChat) -> None:
    """Print pop-ups and what the bot sent, then the buttons of the newest keyboard."""
    for notice in chat.notices:
        print(f"\n💬 {notice}")
    for m in messages:
        print("\n🤖 " + to_plain(m["text"]).replace("\n", "\n   "))
    for n, (label, _) in enumerate(chat.buttons()):
        print(f"   [{button_key(n)}] {label}")


async def chat_loop(settings: Settings) -> int:
    """Read lines, feed them as updates, print replies, until EOF or q."""
    api = OfflineBotAPI()
    app = build_application(build_services(settings), request=api)
    chat = OfflineChat(app, api)
    print(BANNER)
    async with app:
        show(await chat.send("/start"), chat)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, _read)
            if line is None or line.strip().lower() in ("q", "quit", "exit", "退出"):
                break
            line = line.strip()
            if not line:
                continue
            keys = [button_key(n) for n in range(len(chat.buttons()))]
            if line.lower() in keys:
                show(await chat.press(keys.index(line.lower()) + 1), chat)
            else:
                show(await chat.send(line), chat)
    print("\n再见！")
    return 0


def _read() -> str | None:
    try:
        return input("\n👤 > ")
    except EOFError:
        return None


def run_console(settings: Settings) -> int:
    """Entry point used by `bangfu console` and by `bangfu run` without a token."""
    try:
        return asyncio.run(chat_loop(settings))
    except KeyboardInterrupt:
        print("\n再见！", file=sys.stderr)
        return 0
    except STARTUP_ERRORS as exc:
        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
