"""A small Okapi BM25 index over token lists, scored with a per-query upper bound.

Postings are kept in arrays (4 + 8 bytes each instead of a ~90-byte tuple), sorted by document.
The matcher numbers each jurisdiction's entries contiguously, so a region scores a slice of
each token's postings (`score_range`): the scores are those of the whole index (so the
thresholds stay valid), nothing is built per region, and a province's 130 jurisdictions cost
no more memory per token than one.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.6  # entries differ a lot in length (a title vs a long summary); soften length penalty


class BM25:
    """BM25 over weighted token counts; `score` returns every document's score for a query."""

    def __init__(self, docs: Sequence[Counter[str]]) -> None:
        self.n = len(docs)
        lengths = [sum(d.values()) for d in docs]
        avg = (sum(lengths) / self.n) if self.n else 1.0
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.max_idf = math.log(1 + (self.n + 0.5) / 0.5) if self.n else 1.0
        # postings: token -> (doc indices, tf-part of the BM25 term)
        self.postings: dict[str, tuple[array[int], array[float]]] = {}
        for i, d in enumerate(docs):
            self._add(i, d, K1 * (1 - B + B * lengths[i] / avg))

    def _add(self, index: int, doc: Counter[str], norm: float) -> None:
        for t, tf in doc.items():
            found = self.postings.get(t)
            if found is None:
                found = self.postings[t] = (array("I"), array("d"))
            found[0].append(index)
            found[1].append(tf * (K1 + 1) / (tf + norm))

    def score_weighted(self, weights: dict[str, float]) -> list[float]:
        """Every document's score for tokens with their query weights (weight * min(qtf, 2)
        per token, summed over the ways a token was asked): one pass over each posting."""
        scores = [0.0] * self.n
        idf = self.idf
        for t, weight in weights.items():
            postings = self.postings.get(t)
            if not postings:
                continue
            w = weight * idf[t]
            for i, part in zip(*postings, strict=True):
                scores[i] += w * part
        return scores

    def score_range(self, weights: dict[str, float], lo: int, hi: int) -> list[float]:
        """`score_weighted` for documents lo..hi-1 only (index i - lo): a region's entries are
        numbered contiguously, so its scores come from a slice of each token's postings."""
        scores = [0.0] * (hi - lo)
        idf = self.idf
        for t, weight in weights.items():
            postings = self.postings.get(t)
            if not postings:
                continue
            ids, parts = postings
            a = bisect_left(ids, lo)
            b = bisect_left(ids, hi, a)
            if a == b:
                continue
            w = weight * idf[t]
            for i, part in zip(ids[a:b], parts[a:b], strict=True):
                scores[i - lo] += w * part
        return scores

    def having(self, token: str, lo: int = 0, hi: int | None = None) -> list[int]:
        """The documents (numbered from lo) in lo..hi-1 that contain a token."""
        found = self.postings.get(token)
        if not found:
            return []
        ids = found[0]
        a = bisect_left(ids, lo)
        b = bisect_left(ids, self.n if hi is None else hi, a)
        return [i - lo for i in ids[a:b]]

    def upper_bound(self, tokens: Iterable[str], unknown_weight: float) -> float:
        """The best score a document could reach; unknown tokens count as rare words."""
        total = 0.0
        for t, qtf in Counter(tokens).items():
            idf = self.idf.get(t, self.max_idf * unknown_weight)
            total += idf * min(qtf, 2) * (K1 + 1)
        return total
