"""A small Okapi BM25 index over token lists, scored with a per-query upper bound.

Postings are kept in arrays (4 + 8 bytes each instead of a ~90-byte tuple), and one index can
be split into shards (one per jurisdiction) that share the corpus-wide idf: a shard's scores
are identical to the whole index's, so the thresholds measured on the whole stay valid, and a
region scores only the shards of its own lineage.
"""

from __future__ import annotations

import math
from array import array
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
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for t, tf in d.items():
                found = self.postings.get(t)
                if found is None:
                    found = self.postings[t] = (array("I"), array("d"))
                found[0].append(i)
                found[1].append(tf * (K1 + 1) / (tf + norm))

    def split(self, groups: Sequence[Sequence[int]]) -> list[BM25]:
        """One index per group of documents (numbered 0.. within the group), sharing this
        index's idf, so that every document keeps exactly its score."""
        local: dict[int, tuple[int, int]] = {}  # doc -> (group, index in group)
        for g, docs in enumerate(groups):
            for j, doc in enumerate(docs):
                local[doc] = (g, j)
        shards = [BM25.__new__(BM25) for _ in groups]
        for shard, docs in zip(shards, groups, strict=True):
            shard.n, shard.idf, shard.max_idf = len(docs), self.idf, self.max_idf
            shard.postings = {}
        for t, (ids, parts) in self.postings.items():
            for doc, part in zip(ids, parts, strict=True):
                where = local.get(doc)
                if where is None:
                    continue
                found = shards[where[0]].postings.get(t)
                if found is None:
                    found = shards[where[0]].postings[t] = (array("I"), array("d"))
                found[0].append(where[1])
                found[1].append(part)
        return shards

    def score(self, tokens: Iterable[str], weight: float = 1.0,
              into: list[float] | None = None) -> list[float]:
        """Add weight * BM25(tokens, doc) to `into` (a fresh zero list by default)."""
        scores = into if into is not None else [0.0] * self.n
        for t, qtf in Counter(tokens).items():
            postings = self.postings.get(t)
            if not postings:
                continue
            w = weight * self.idf[t] * min(qtf, 2)
            for i, part in zip(*postings, strict=True):
                scores[i] += w * part
        return scores

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

    def having(self, token: str) -> array[int]:
        """The documents that contain a token."""
        found = self.postings.get(token)
        return found[0] if found else array("I")

    def upper_bound(self, tokens: Iterable[str], unknown_weight: float) -> float:
        """The best score a document could reach; unknown tokens count as rare words."""
        total = 0.0
        for t, qtf in Counter(tokens).items():
            idf = self.idf.get(t, self.max_idf * unknown_weight)
            total += idf * min(qtf, 2) * (K1 + 1)
        return total
