"""A small Okapi BM25 index over token lists, scored with a per-query upper bound."""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.6  # entries differ a lot in length (a title vs a long summary); soften length penalty


class BM25:
    """BM25 over weighted token counts; `score` returns every document's score for a query."""

    def __init__(self, docs: Sequence[Counter[str]]) -> None:
        self.n = len(docs)
        self.lengths = [sum(d.values()) for d in docs]
        self.avg = (sum(self.lengths) / self.n) if self.n else 1.0
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.max_idf = math.log(1 + (self.n + 0.5) / 0.5) if self.n else 1.0
        # postings: token -> [(doc index, tf-part of the BM25 term)]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, d in enumerate(docs):
            norm = K1 * (1 - B + B * self.lengths[i] / self.avg)
            for t, tf in d.items():
                self.postings.setdefault(t, []).append((i, tf * (K1 + 1) / (tf + norm)))

    def subset(self, keep: set[int]) -> BM25:
        """The same index (same idf, same scores) with postings only for documents in `keep`.

        Scoring a region's view then touches a fraction of the postings; the scores of the kept
        documents are identical to the full index's, so thresholds stay valid.
        """
        view = copy.copy(self)
        view.postings = {t: kept for t, ps in self.postings.items()
                         if (kept := [p for p in ps if p[0] in keep])}
        return view

    def score(self, tokens: Iterable[str], weight: float = 1.0,
              into: list[float] | None = None) -> list[float]:
        """Add weight * BM25(tokens, doc) to `into` (a fresh zero list by default)."""
        scores = into if into is not None else [0.0] * self.n
        for t, qtf in Counter(tokens).items():
            postings = self.postings.get(t)
            if not postings:
                continue
            w = weight * self.idf[t] * min(qtf, 2)
            for i, part in postings:
                scores[i] += w * part
        return scores

    def upper_bound(self, tokens: Iterable[str], unknown_weight: float) -> float:
        """The best score a document could reach; unknown tokens count as rare words."""
        total = 0.0
        for t, qtf in Counter(tokens).items():
            idf = self.idf.get(t, self.max_idf * unknown_weight)
            total += idf * min(qtf, 2) * (K1 + 1)
        return total
