"""Rewrite dialect and colloquial phrases into Mandarin before a question is read."""

from __future__ import annotations

import re

from knowledge.schema import DialectsFile
from knowledge.text import normalize, number_slots

CACHE_SIZE = 4096


class Dialects:
    """The rules of dialects.yaml compiled into one regular expression (longest phrase first)."""

    def __init__(self, rules: DialectsFile) -> None:
        self._literal: dict[str, str] = {}
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for rule in rules.rules:
            say = normalize(rule.say) if not rule.pattern else rule.say
            if rule.pattern:
                self._patterns.append((re.compile(say), rule.means))
            elif say in self._literal and self._literal[say] != rule.means:
                raise ValueError(f"dialects.yaml: {rule.say} has two meanings")
            else:
                self._literal[say] = rule.means
        phrases = sorted(self._literal, key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self._cache: dict[str, str] = {}

    def rewrite(self, text: str) -> str:
        """Normalised text with every dialect phrase replaced by its Mandarin meaning."""
        found = self._cache.get(text)
        if found is not None:
            return found
        plain = normalize(text)
        out = plain
        for pattern, means in self._patterns:
            out = pattern.sub(means, out)
        if self._re is not None:
            out = self._re.sub(lambda m: self._literal[m.group(0)], out)
        out = number_slots(out) if out != plain else out
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()  # questions repeat in bursts; an unbounded cache would grow
        self._cache[text] = out
        return out

    def clear(self) -> None:
        """Forget the rewrites seen so far."""
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._literal) + len(self._patterns)
