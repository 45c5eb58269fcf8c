"""Load and validate the knowledge YAML into one immutable KnowledgeBase."""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from knowledge.dialects import Dialects
from knowledge.regions import RegionTree
from knowledge.schema import (
    DialectsFile,
    Document,
    Item,
    KnowledgeFile,
    RegionsFile,
    Section,
    SynonymsFile,
    within,
)

DATA_DIR = Path(__file__).parent / "data"
SPECIAL_FILES = {"regions.yaml", "synonyms.yaml", "dialects.yaml", "coverage_exceptions.yaml"}
M = TypeVar("M", bound=BaseModel)
# Buttons name an entry by a short hash of its id: stable when the YAML is edited or reordered
# (a position would point an old message's button at another entry) and far below Telegram's
# 64 bytes of callback_data. 40 bits: collisions are checked at load and stop the bot there.
ENTRY_KEY_CHARS = 10


NO_DIALECTS = DialectsFile(rules=())


class KnowledgeError(Exception):
    """The knowledge data is broken; the message says which file and field."""


@dataclass(frozen=True)
class Entry:
    """An item together with the document it comes from."""

    item: Item
    document: Document

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the bot knows: documents, items, regions and synonyms."""

    documents: tuple[Document, ...]
    entries: tuple[Entry, ...]
    regions: RegionTree
    synonyms: SynonymsFile
    dialect_rules: DialectsFile = NO_DIALECTS

    @cached_property
    def dialects(self) -> Dialects:
        """The dialect rewrites, compiled once."""
        return Dialects(self.dialect_rules)

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def by_key(self) -> dict[str, Entry]:
        """entry_key(id) -> entry, for button data."""
        return {entry_key(e.id): e for e in self.entries}

    @cached_property
    def covered_regions(self) -> frozenset[str]:
        """Region ids that have at least one document of their own."""
        return frozenset(d.jurisdiction for d in self.documents)

    @cached_property
    def _by_jurisdiction(self) -> dict[str, tuple[Entry, ...]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.document.jurisdiction, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _entries_for(self) -> dict[str, tuple[Entry, ...]]:
        return {}

    def entries_for(self, region_id: str) -> tuple[Entry, ...]:
        """Entries from the region's documents and its ancestors' documents (in file order;
        looked up by jurisdiction and kept per region: the knowledge base never changes)."""
        found = self._entries_for.get(region_id)
        if found is None:
            lineage = set(self.regions.lineage(region_id))
            found = tuple(e for d in self.documents if d.jurisdiction in lineage
                          for e in self._by_jurisdiction.get(d.jurisdiction, ())
                          if e.document is d)
            self._entries_for[region_id] = found
        return found

    @cached_property
    def by_section(self) -> dict[tuple[str, str], tuple[Entry, ...]]:
        """(document id, section numbering) -> the section's entries, in file order."""
        out: dict[tuple[str, str], list[Entry]] = {}
        for e in self.entries:
            out.setdefault((e.document.id, e.item.source.section), []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def section_names(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(document id, an item's section numbering) -> the names of the document's sections
        it lies in: its own and its parents' (三(四)4 is 东西部劳务协作 and 就业保障扶贫)."""
        documents = {d.id: d for d in self.documents}
        out: dict[tuple[str, str], tuple[str, ...]] = {}
        for doc_id, numbering in self.by_section:
            names = tuple(n for s in documents[doc_id].sections if within(numbering, s.id)
                          for n in s.names)
            if names:
                out[doc_id, numbering] = names
        return out

    def section_entries(self, document: Document, section: Section) -> tuple[Entry, ...]:
        """The entries of a declared section and of its subsections, in file order."""
        return tuple(e for e in self._by_jurisdiction.get(document.jurisdiction, ())
                     if e.document is document and within(e.item.source.section, section.id))

    @cached_property
    def _sections_for(self) -> dict[str, dict[str, tuple[Entry, ...]]]:
        return {}

    def sections_for(self, region_id: str) -> dict[str, tuple[Entry, ...]]:
        """Section name -> the entries of the section it names, over the region's documents
        and its ancestors'; a name two of them use is the nearest document's (a district's
        社会帮扶, not its city's). Kept per region, like entries_for."""
        found = self._sections_for.get(region_id)
        if found is None:
            near = {r: k for k, r in enumerate(self.regions.lineage(region_id))}
            found = {}
            for d in sorted((d for d in self.documents if d.jurisdiction in near),
                            key=lambda d: -near[d.jurisdiction]):  # the nearest last: it wins
                for section in d.sections:
                    entries = self.section_entries(d, section)
                    found.update((name, entries) for name in section.names)
            self._sections_for[region_id] = found
        return found

    def has_data_for(self, region_id: str) -> bool:
        """True when the region or an ancestor has a document."""
        return any(r in self.covered_regions for r in self.regions.lineage(region_id))

    def counts(self) -> dict[str, Counter[str]]:
        """Item counts per document id, by kind."""
        out: dict[str, Counter[str]] = {}
        for e in self.entries:
            out.setdefault(e.document.id, Counter())[e.item.kind.value] += 1
        return out


def entry_key(entry_id: str) -> str:
    """The short, stable key of an entry id used in callback_data."""
    return hashlib.sha1(entry_id.encode()).hexdigest()[:ENTRY_KEY_CHARS]


def _read_yaml(path: Path) -> object:
    import yaml  # here: a restart reads knowledge/cache.py's files, and yaml costs ~10 ms

    # libyaml's C loader is ~10x faster than the pure-Python one; both are "safe" loaders.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeys(base):  # type: ignore[misc,valid-type]
        """A key given twice in one mapping is an error (PyYAML keeps the last silently: a
        synonym written twice lost its first meaning)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep)

    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeys)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: YAML 语法错误 / YAML syntax error: {exc}") from exc


def _validate(model: type[M], path: Path) -> M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise KnowledgeError(f"{path.name}: 数据校验失败 / invalid data:\n{exc}") from exc


def document_files(data_dir: Path) -> list[Path]:
    """The YAML files that each hold one document, in load order."""
    return [p for p in sorted(data_dir.glob("*.yaml")) if p.name not in SPECIAL_FILES]


def read_document(path: Path) -> KnowledgeFile:
    """One validated document file (KnowledgeError naming it when broken)."""
    return _validate(KnowledgeFile, path)


Shared = tuple[RegionsFile, SynonymsFile, DialectsFile]


def read_shared(data_dir: Path) -> Shared:
    """The validated files every document relies on: regions, synonyms, dialects."""
    dialects = data_dir / "dialects.yaml"
    return (_validate(RegionsFile, data_dir / "regions.yaml"),
            _validate(SynonymsFile, data_dir / "synonyms.yaml"),
            _validate(DialectsFile, dialects) if dialects.exists() else NO_DIALECTS)


def load_knowledge(data_dir: Path = DATA_DIR,
                   files: list[tuple[str, KnowledgeFile]] | None = None,
                   shared: Shared | None = None) -> KnowledgeBase:
    """Read every YAML file in data_dir; raise KnowledgeError naming the broken file.
    `files`, `shared`: the document files (by file name) and the shared files already
    validated (knowledge/cache.py)."""
    paused = gc.isenabled()
    gc.disable()  # building the YAML trees triggers full collections that find no garbage
    try:
        if files is None:
            files = [(p.name, read_document(p)) for p in document_files(data_dir)]
        return _assemble(files, shared or read_shared(data_dir))
    finally:
        if paused:
            gc.enable()


def _assemble(files: list[tuple[str, KnowledgeFile]], shared: Shared) -> KnowledgeBase:
    """The knowledge base from validated document files, checked across files."""
    regions_file, synonyms, dialect_rules = shared
    regions = RegionTree(regions_file)
    documents: list[Document] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    keys: dict[str, str] = {}
    for name, kf in files:
        if kf.document.jurisdiction not in regions:
            raise KnowledgeError(f"{name}: unknown jurisdiction {kf.document.jurisdiction}")
        documents.append(kf.document)
        for item in kf.items:
            if item.id in seen:
                raise KnowledgeError(f"{name}: duplicate item id {item.id}")
            seen.add(item.id)
            key = entry_key(item.id)
            if key in keys:
                raise KnowledgeError(f"{name}: {item.id} and {keys[key]} "
                                     "share a button key: rename one of them")
            keys[key] = item.id
            entries.append(Entry(item=item, document=kf.document))
    return KnowledgeBase(tuple(documents), tuple(entries), regions, synonyms, dialect_rules)
