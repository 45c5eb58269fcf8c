"""Hostile input, per channel: inputs tried, crashes, tracebacks, apologies, unanswered callbacks.

Run: .venv/bin/python benchmarks/hostile.py [scale]   (scale 1: ~7,000 updates, 348 profiles,
20,000 `ask --jsonl` lines; deterministic, seed 12)

Channels
- bot text: messages at every kind of step (outside a check, at /check's button steps and
  at the typed income and age steps), then the check pressed on to its result;
- bot buttons: forged and stale callback data on old messages, inside and outside a check;
- bot other updates: channel posts, edited messages, messages without text or user;
- eligible: malformed profile files through `load_profile` and the screener;
- ask --jsonl: hostile lines through `bot.commands.ask.run_jsonl` (another engineer's code:
  reported, not fixed here). A crash there kills the run; it is restarted after that line.

A crash is an exception that escapes to the caller (for the Application: one that reaches
the error handler); a traceback is a log record carrying one; an apology is the error
template sent to a user; an unanswered callback is a button press without answerCallbackQuery.
All should be 0.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import logging
import random
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.commands.ask import run_jsonl
from bot.commands.eligible import ProfileRefused, load_profile
from bot.offline import OfflineBotAPI
from bot.offline_chat import OfflineChat
from bot.services import build_services
from bot.settings import Settings
from handlers.ui.messages import screening_html
from handlers.ui.render import render
from knowledge.eligibility import screen

SEED = 12
SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
PIECES = ["<b>", "</i>", "&", "{{ 7*191 }}", "\u200b", "\u202e", "\x00", "低保", "住校", "😀",
          "\ud800", "-", "－", "负", "万", "千", "岁", "个月", "到", "三四", "不知道", "?", "吗",
          "清河区", "斗门", "/", "\n", "9" * 50, "一年3千多", "2000个月", "大概"]


def hostile_text(rnd: random.Random) -> str:
    """One line a careless or hostile user might type."""
    kind = rnd.randrange(8)
    if kind == 0:
        return "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(1, 12)))
    if kind == 1:
        return str(rnd.randrange(-10**6, 10**6)) + rnd.choice(["", "岁", "个月", "元", "万"])
    if kind == 2:
        return "9" * rnd.randrange(10, 600)
    if kind == 3:
        return "".join(chr(rnd.randrange(0x20, 0x3000)) for _ in range(rnd.randrange(1, 30)))
    if kind == 4:
        return rnd.choice(["不知道", "不清楚", "大概三四千", "三千到四千", "-500", "十三四岁",
                           "1452个月", "一年3千多", "每月300到500", "2010", "0", "半岁"])
    if kind == 5:
        return "好" * rnd.randrange(100, 5000)
    if kind == 6:
        return rnd.choice(["/START", "/start@bangfu_bot", "/help", "/region", "/cancel",
                           "/check", "/nonsense", "/HELP@other_bot"])
    return "".join(rnd.choice("0123456789.-～到至千万岁月年元") for _ in range(rnd.randrange(1, 9)))


def hostile_callback(rnd: random.Random) -> str:
    """Callback data as a forger, or an old message, might send (at most 64 bytes)."""
    prefix = rnd.choice(["ck:", "ck:more:", "ck:confirm:", "ck:age:", "cr:", "cr:1:", "cr:99:",
                         "rg:", "rg:s:", "rg:c:", "fb:", "fb:1:", "pk:", "pk:²", "", "x"])
    data = prefix + "".join(chr(rnd.randrange(0x20, 0x2000)) for _ in range(rnd.randrange(0, 20)))
    while len(data.encode()) > 64:
        data = data[:-1]
    return data or "x"


def hostile_json(rnd: random.Random, depth: int = 0) -> Any:
    """A JSON value shaped somewhat like a profile, often wrong."""
    kind = rnd.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.choice([True, False])
    if kind == 2:
        return rnd.choice([0, -1, 13, 121, 10**20, 1.5, 1e308, 2**63])
    if kind == 3:
        return rnd.choice(["清河区", "斗门", "火星", "rural", "低保户", "本科", "", "\ud800" * 3])
    if kind == 4:
        return "x" * rnd.randrange(0, 200)
    if kind in (5, 6):
        return [hostile_json(rnd, depth + 1) for _ in range(rnd.randrange(0, 4))]
    keys = ["region", "area", "categories", "members", "age", "income_per_capita_yearly",
            "school_stage", "boarding", "disability_level", "chronic_illness", "housing", "x"]
    return {rnd.choice(keys): hostile_json(rnd, depth + 1) for _ in range(rnd.randrange(0, 6))}


def hostile_profile_bytes(rnd: random.Random) -> bytes:
    kind = rnd.randrange(6)
    if kind == 0:
        return b"[" * 50_000 + b"]" * 50_000
    if kind == 1:
        return "\ufeff".encode() + json.dumps({"region": "清河区", "members": [
            {"age": rnd.choice([True, 13, -1, 200])}]}).encode()
    if kind == 2:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 64)))
    base = {"region": rnd.choice(["清河区", "斗门区", "正安县", "双台子区", "盘山县"])}
    value = hostile_json(rnd)
    raw = {**base, **value} if isinstance(value, dict) else value
    return json.dumps(raw, ensure_ascii=False).encode("utf-8", "surrogatepass")


def hostile_jsonl(rnd: random.Random) -> str:
    kind = rnd.randrange(7)
    if kind == 0:
        return '{"region": "' + "\\ud800" + '", "question": "低保"}'
    if kind == 1:
        return json.dumps({"region": "清河区" * rnd.randrange(50, 400), "question": "低保"},
                          ensure_ascii=False)
    if kind == 2:
        return "[" * 50_000 + "]" * 50_000
    if kind == 3:
        return json.dumps({"region": "清河区", "question": hostile_text(rnd)}, ensure_ascii=False)
    if kind == 4:
        return json.dumps(hostile_json(rnd), ensure_ascii=False)
    if kind == 5:
        return json.dumps({"region": rnd.choice(["斗门", "火星区", None, 1]),
                           "question": rnd.choice(["低保标准", None, 3, ["x"]])})
    return hostile_text(rnd)


@dataclass
class Tally:
    """The figures of one channel."""

    tried: int = 0
    crashes: int = 0
    tracebacks: int = 0
    apologies: int = 0
    unanswered: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, example: str) -> None:
        """Keep a few examples, one per kind of failure (the text before the first colon)."""
        kinds = {e.split(":")[0] for e in self.examples}
        if len(self.examples) < 3 and example.split(":")[0] not in kinds:
            self.examples.append(example[:80])


class Tracebacks(logging.Handler):
    """Counts log records that carry an exception (and the error handler's, as crashes)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


async def _bot_channels(tmp: Path, rnd: random.Random) -> dict[str, Tally]:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'h.db'}")  # type: ignore[call-arg]
    api = OfflineBotAPI()
    app = build_application(build_services(settings), request=api)
    traces = Tracebacks()
    logging.getLogger().addHandler(traces)
    logging.getLogger().setLevel(logging.DEBUG)
    for quiet in ("httpx", "telegram", "apscheduler", "alembic", "asyncio"):
        logging.getLogger(quiet).setLevel(logging.WARNING)
    apology = render("error")
    tallies = {name: Tally() for name in ("bot text", "bot buttons", "bot other updates")}
    n_text, n_buttons, n_other = int(400 * SCALE), int(1500 * SCALE), int(500 * SCALE)

    async def measure(tally: Tally, example: str, action: Any, callback: bool = False) -> None:
        calls, errors = len(api.calls), len(traces.records)
        tally.tried += 1
        try:
            await action
        except Exception:
            tally.crashes += 1
            tally.note(example)
        new = api.calls[calls:]
        crashed = [r for r in traces.records[errors:] if r.name == "handlers.errors"]
        tally.crashes += len(crashed)
        tally.tracebacks += len(traces.records) - errors
        tally.apologies += sum(1 for c in new if c.params.get("text") == apology)
        if callback and not any(c.method == "answerCallbackQuery" for c in new):
            tally.unanswered += 1
            tally.note(example)
        if len(traces.records) > errors or crashed:
            tally.note(example)

    async with app:
        for i in range(n_text):
            chat = OfflineChat(app, api, user_id=10_000 + i % 200)
            stage = rnd.randrange(4)
            await chat.send(rnd.choice(["清河区", "斗门", "正安县", "双台子区"]))
            if stage:
                await chat.send("/check")
                if stage >= 2:
                    await chat.press(1)  # a category ...
                    await chat.press("完成")
                if stage == 3:
                    await chat.press("农村")
                    await chat.press("跳过")  # at the age step
            text = hostile_text(rnd)
            await measure(tallies["bot text"], text, chat.send(text))
            for _ in range(30):  # then on to the result, whatever happened
                labels = [label for label, _ in chat.buttons()]
                nxt = next((x for x in ("看结果", "没有了", "不清楚", "跳过", "都不是", "没有残疾",
                                        "都没有", "否", "没有") if any(x in lb for lb in labels)),
                           None)
                if nxt is None:
                    break
                await measure(tallies["bot text"], f"{text!r} then {nxt}", chat.press(nxt),
                              callback=True)
        for i in range(n_buttons):
            chat = OfflineChat(app, api, user_id=20_000 + i % 100)
            await chat.send("清河区")
            if rnd.random() < 0.5:
                await chat.send("/check")
            data = hostile_callback(rnd)
            old = {"message_id": 1, "date": 0, "chat": {"id": chat.user_id, "type": "private"},
                   "text": "旧消息", "reply_markup": {"inline_keyboard": [[
                       {"text": "按钮", "callback_data": data}]]}}
            api.messages[(chat.user_id, 1)] = old
            await measure(tallies["bot buttons"], data, chat.press("按钮", on=old), callback=True)
        for i in range(n_other):
            kind = rnd.randrange(4)
            chat_obj = {"id": -100 - i, "type": "channel", "title": "频道"}
            message = {"message_id": i + 1, "date": 0, "chat": chat_obj,
                       "text": hostile_text(rnd)}
            if kind == 0:
                payload = {"update_id": 10**6 + i, "channel_post": message}
            elif kind == 1:
                payload = {"update_id": 10**6 + i, "edited_channel_post": message}
            elif kind == 2:
                user = {"id": 30_000 + i, "is_bot": False, "first_name": "居民"}
                payload = {"update_id": 10**6 + i, "edited_message": {
                    **message, "chat": {"id": user["id"], "type": "private"}, "from": user}}
            else:
                payload = {"update_id": 10**6 + i, "message": {
                    "message_id": i + 1, "date": 0, "chat": {"id": 40_000 + i, "type": "group",
                                                             "title": "群"},
                    "sticker": {"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1,
                                "is_animated": False, "is_video": False, "type": "regular"}}}
            from telegram import Update

            await measure(tallies["bot other updates"], str(kind),
                          app.process_update(Update.de_json(payload, app.bot)))
    logging.getLogger().removeHandler(traces)
    return tallies


def _eligible_channel(rnd: random.Random) -> Tally:
    from knowledge.loader import load_knowledge

    kb = load_knowledge()
    tally = Tally()
    for _ in range(int(348 * SCALE)):
        data = hostile_profile_bytes(rnd)
        tally.tried += 1
        try:
            profile = load_profile(kb, data)
            screening_html(kb, profile, screen(kb, profile))
        except ProfileRefused as exc:
            if "Traceback" in str(exc):
                tally.tracebacks += 1
        except Exception as exc:  # what `bangfu eligible` would have died of
            tally.crashes += 1
            tally.tracebacks += 1
            tally.note(f"{type(exc).__name__}: {data[:60]!r}")
    return tally


def _ask_jsonl_channel(rnd: random.Random) -> Tally:
    from knowledge.loader import load_knowledge
    from knowledge.matcher import Matcher

    kb = load_knowledge()
    matcher = Matcher(kb)
    # one request per line, none blank (run_jsonl skips blank lines without an answer, and the
    # answers counted below tell where a run died)
    lines = [(hostile_jsonl(rnd).replace("\n", " ").replace("\r", " ").strip() or "x")
             for _ in range(int(20_000 * SCALE))]
    tally = Tally(tried=len(lines))
    start = 0
    while start < len(lines):
        # lines are handed over one by one (joining the rest after every death is quadratic)
        stdin = cast(TextIO, (line + "\n" for line in itertools.islice(lines, start, None)))
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict, like a real stdout
        try:
            run_jsonl(kb, matcher, stdin, out)
            break
        except Exception as exc:
            out.flush()
            answered = out.buffer.getvalue().count(b"\n")
            died_at = start + answered
            tally.crashes += 1
            tally.tracebacks += 1
            tally.note(f"{type(exc).__name__}: {lines[died_at][:60]!r}")
            start = died_at + 1
    return tally


def main() -> None:
    warnings.simplefilter("ignore")
    rnd = random.Random(SEED)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        tallies = asyncio.run(_bot_channels(Path(d), rnd))
    tallies["eligible --profile"] = _eligible_channel(rnd)
    tallies["ask --jsonl (issue #11)"] = _ask_jsonl_channel(rnd)
    print(f"{'channel':<26}{'tried':>8}{'crashes':>9}{'tracebacks':>12}{'apologies':>11}"
          f"{'unanswered':>12}")
    for name, t in tallies.items():
        print(f"{name:<26}{t.tried:>8}{t.crashes:>9}{t.tracebacks:>12}{t.apologies:>11}"
              f"{t.unanswered:>12}")
        for example in t.examples:
            print("    e.g. " + example.encode("utf-8", "backslashreplace").decode())
    print(f"({time.perf_counter() - started:.0f} s, seed {SEED}, scale {SCALE:g})")


if __name__ == "__main__":
    main()
