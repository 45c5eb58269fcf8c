"""A strict checker for Telegram's HTML subset (what Telegram would reject, we reject)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
           "tg-spoiler", "span", "blockquote"}
ENTITY = re.compile(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED, f"unsupported tag <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()


def assert_telegram_html(text: str) -> None:
    """Raise AssertionError unless Telegram would parse the text in HTML mode."""
    assert len(text) <= 4096, "over Telegram's message limit"
    assert not ENTITY.search(text), "a bare & is not an entity"
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
