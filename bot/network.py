"""Reaching the Bot API from where Telegram is hard to reach: what went wrong, in one Chinese
line naming the setting to check, and logs without tracebacks for network trouble."""

from __future__ import annotations

import logging

from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot.settings import Settings

NETWORK_ERRORS = (InvalidToken, NetworkError, TimedOut)  # TimedOut is a NetworkError too


def _cause(exc: BaseException) -> str:
    """The httpx exception class PTB wrapped (ConnectError, ProxyError ...), if any."""
    cause = exc.__cause__
    return type(cause).__name__ if cause is not None else ""


def connection_problem(settings: Settings, exc: BaseException) -> str:
    """One line for IT staff: the cause, and the setting in .env that decides it."""
    server = settings.telegram_api_url or "https://api.telegram.org"
    proxy = settings.proxy_shown()
    if isinstance(exc, InvalidToken):
        return ("Telegram 不接受这个机器人令牌（令牌写错或已被撤销）：请检查 .env 中的 "
                "TELEGRAM_BOT_TOKEN（向 @BotFather 查看或重新生成）。")
    cause = _cause(exc)
    if proxy and cause in ("ProxyError", "ConnectError", "SOCKSError", "ConnectTimeout"):
        return (f"无法通过代理 {proxy} 连接（代理拒绝连接或不可用：{cause}）：请检查 .env 中的 "
                "TELEGRAM_PROXY，确认代理地址、端口和账号正确且代理正在运行。")
    if isinstance(exc, TimedOut):
        where = f"通过代理 {proxy} " if proxy else ""
        return (f"{where}连接 Telegram 服务器 {server} 超时：请检查网络；在中国大陆需要在 "
                ".env 中设置可用的 TELEGRAM_PROXY（或用 TELEGRAM_API_URL 指向可访问的 Bot API "
                "服务器）。")
    where = f"（经代理 {proxy}）" if proxy else ""
    return (f"无法连接 Telegram 服务器 {server}{where}：{cause or exc}。请检查网络；在中国大陆"
            "需要在 .env 中设置 TELEGRAM_PROXY（http、https 或 socks5 代理），或检查 "
            "TELEGRAM_API_URL。")


class NoNetworkTracebacks(logging.Filter):
    """Network trouble is logged as one line: the traceback says nothing IT staff can act on.
    PTB's own line for every failed poll is dropped: the request has logged the failure once
    when it began (bot/compat.py) and will log when it ends."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, BadRequest):  # Telegram refused a request: a bug, keep its traceback
            return True
        if isinstance(exc, NetworkError) and record.name.startswith("telegram"):
            return False
        if isinstance(exc, NETWORK_ERRORS):
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_network_tracebacks() -> None:
    """Install NoNetworkTracebacks on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(NoNetworkTracebacks())
