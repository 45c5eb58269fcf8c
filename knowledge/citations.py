"""Check that every quote (and section heading) is verbatim in its source and every figure is
in its quote."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from knowledge.loader import KnowledgeBase

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """NFKC and no whitespace at all: line breaks and spacing in the PDFs are noise."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def figure_forms(value: float) -> set[str]:
    """Ways a number can be written in the documents: 20000 -> {'20000', '2万'}."""
    forms = {_plain(value)}
    if (value >= 1000 and value % 1000 == 0) or value >= 10000:
        forms.add(_plain(value / 10000) + "万")
    return forms


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value)).rstrip("0")


SECTION_PROBLEM = "section heading or name not in source"
SOURCE_MISSING = "source file missing"  # the problem's item_id is then the document's id


@dataclass(frozen=True)
class CitationProblem:
    """One failed check, named by item id."""

    item_id: str
    problem: str


def check_citations(kb: KnowledgeBase, seeds_dir: Path) -> list[CitationProblem]:
    """Every quote occurs in its source file; every amount's text in the quote, with its value."""
    problems: list[CitationProblem] = []
    sources: dict[str, str] = {}
    for doc in kb.documents:
        path = seeds_dir / doc.source_file
        if not path.exists():
            problems.append(CitationProblem(doc.id, f"{SOURCE_MISSING}: {path}"))
            continue
        text = sources[doc.id] = squeeze(path.read_text(encoding="utf-8"))
        problems.extend(CitationProblem(f"{doc.id} {section.id}", f"{SECTION_PROBLEM}: {said}")
                        for section in doc.sections for said in (section.heading, *section.names)
                        if squeeze(said) not in text)
    for entry in kb.entries:
        source = sources.get(entry.document.id)
        if source is None:
            continue
        quote = squeeze(entry.item.source.quote)
        if quote not in source:
            problems.append(CitationProblem(entry.id, "quote not found in source text"))
        for amount in entry.item.amounts:
            text = squeeze(amount.text)
            if text not in quote:
                problems.append(CitationProblem(entry.id, f"amount text not in quote: {text}"))
            for number in filter(None, (amount.value, amount.value_max)):
                if not any(form in text for form in figure_forms(number)):
                    problems.append(
                        CitationProblem(entry.id, f"value {number} not written in '{text}'")
                    )
    return problems
