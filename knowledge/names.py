"""Finding a household by what a caseworker types: part of a name, the 户编号, or pinyin
initials (zxm -> 张小明). Pure: the candidates come from storage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

# Below this a name is not what was typed (measured on the demo roster: 2-character
# typos of 3-character names score 67; unrelated names of the same surname 50).
MIN_SCORE = 60
Candidate = tuple[int, str, str, str]  # (household id, code, head name, member names)


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """张小明 -> zxm (polyphones take their usual reading)."""
    from pypinyin import Style, lazy_pinyin  # 0.25 s and 55 MiB: only once a name is sought

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def _score(query: str, candidate: Candidate) -> float:
    _, code, head, others = candidate
    q = query.lower()
    if q == code.lower():
        return 200
    if code.lower().endswith(q) or code.lower().startswith(q):
        return 150 if len(q) >= 3 else 0
    names = [head, *others.split()]
    if re.fullmatch(r"[a-z]{2,4}", q):
        return 120 if any(initials(n) == q for n in names) else (
            90 if any(initials(n).startswith(q) for n in names) else 0)
    best = 0.0
    for i, name in enumerate(names):
        if q in name:
            best = max(best, 110 - i * 0.01 - (len(name) - len(q)))
        best = max(best, fuzz.ratio(q, name) - (5 if i else 0))
    return best


def find(query: str, candidates: Sequence[Candidate], limit: int = 8) -> list[int]:
    """Household ids that match, best first (the head's name before other members')."""
    query = query.strip()
    if not query:
        return []
    scored = sorted(((s, c[0]) for c in candidates if (s := _score(query, c)) >= MIN_SCORE),
                    key=lambda t: -t[0])
    return [hid for _, hid in scored[:limit]]
