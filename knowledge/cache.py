"""The validated knowledge base and its index, kept between starts (like Python's .pyc).

Building them is pure Python: at province scale (×20, 6,660 items) parsing the YAML takes
seconds and so does indexing, at every start. A start with the same data and the same code
reads back, instead, each document as JSON (validated again by pydantic-core, ~10x faster than
constructing YAML) and the index built last time. The key covers every data file's bytes and
the source of the code that builds from them, so a changed or broken file is read, validated
(and reported) as before; a cache that cannot be read or written is simply not used. The files
live in the user's cache directory (BANGFU_CACHE_DIR, else XDG_CACHE_HOME/bangfu, else
~/.cache/bangfu) and are written by this program only.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

from knowledge.loader import (
    DATA_DIR,
    KnowledgeBase,
    document_files,
    load_knowledge,
    read_document,
)
from knowledge.matcher import Matcher
from knowledge.schema import KnowledgeFile

# The modules whose code decides what is built: a change to any of them is a new key.
_BUILDERS = ("schema", "loader", "regions", "dialects", "text", "bm25", "matcher", "groups",
             "intent", "vocabulary", "cache")
KEEP = 2  # cache generations kept (older data versions are removed)


def cache_dir() -> Path:
    """Where the cache files are kept."""
    if os.environ.get("BANGFU_CACHE_DIR"):
        return Path(os.environ["BANGFU_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bangfu"


def cache_key(data_dir: Path) -> str:
    """A digest of the data files, the building code and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(data_dir.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    here = Path(__file__).parent
    for name in _BUILDERS:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()[:32]


def load_indexed(data_dir: Path = DATA_DIR, *,
                 use_cache: bool = True) -> tuple[KnowledgeBase, Matcher]:
    """The knowledge base and its matcher: read back when the key matches, otherwise built
    (KnowledgeError for broken data) and kept for the next start."""
    if not use_cache:
        kb = load_knowledge(data_dir)
        return kb, Matcher(kb)
    folder = cache_dir()
    key = cache_key(data_dir)
    found = _read(folder, key, data_dir)
    if found is not None:
        return found
    files = [(p.name, read_document(p)) for p in document_files(data_dir)]
    kb = load_knowledge(data_dir, files)
    matcher = Matcher(kb)
    documents = json.dumps({name: kf.model_dump_json(by_alias=True) for name, kf in files},
                           ensure_ascii=False)
    _store(folder / f"kb-{key}.json", documents.encode())
    _store(folder / f"index-{key}.pickle",
           pickle.dumps(matcher.state(), protocol=pickle.HIGHEST_PROTOCOL))
    _prune(folder)
    return kb, matcher


def _read(folder: Path, key: str, data_dir: Path) -> tuple[KnowledgeBase, Matcher] | None:
    try:
        documents = json.loads((folder / f"kb-{key}.json").read_bytes())
        with (folder / f"index-{key}.pickle").open("rb") as f:
            state = pickle.load(f)
        files = [(name, KnowledgeFile.model_validate_json(text))
                 for name, text in documents.items()]
        kb = load_knowledge(data_dir, files)
        return kb, Matcher.restore(kb, state)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError, EOFError,
            AssertionError, pickle.UnpicklingError):
        return None  # no cache yet, or one from another version: build


def _store(path: Path, data: bytes) -> None:
    """Write atomically (a half-written file is never read); failures only cost speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
            f.write(data)
        os.replace(f.name, path)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the newest KEEP generations."""
    try:
        for pattern in ("kb-*.json", "index-*.pickle"):
            old = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
            for stale in old[:-KEEP]:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
