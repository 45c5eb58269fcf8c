"""The validated knowledge base and its index, kept between starts (like Python's .pyc).

Building them is pure Python: at province scale (×20, 6,660 items) parsing the YAML takes
seconds and so does indexing, at every start. A start with the same data and the same code
unpickles, instead, the validated documents and the index built last time, with the cyclic
garbage collector paused (it would rescan the half-million new objects several times and find
no garbage) and then frozen out of later collections. Repeated values are stored once: the
models' `fields_set` (28 MiB at ×20 when each of 50,000 models has its own) and equal strings.
The key covers every data file's bytes and the source of the code that builds from them, so a
changed or broken file is read, validated (and reported) as before; a cache that cannot be read
or written is simply not used. The files live in the user's cache directory (BANGFU_CACHE_DIR,
else XDG_CACHE_HOME/bangfu, else ~/.cache/bangfu) and are written by this program only.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from pydantic import BaseModel

from knowledge.loader import (
    DATA_DIR,
    KnowledgeBase,
    document_files,
    load_knowledge,
    read_document,
    read_shared,
)
from knowledge.matcher import Matcher
from knowledge.schema import KnowledgeFile

Files = list[tuple[str, KnowledgeFile]]

# The modules whose code decides what is built: a change to any of them is a new key.
_BUILDERS = ("schema", "loader", "regions", "dialects", "text", "bm25", "matcher", "groups",
             "intent", "vocabulary", "cache", "syllables")
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
    digest.update((here / "syllables.txt").read_bytes())
    return digest.hexdigest()[:32]


def load_indexed(data_dir: Path = DATA_DIR, *,
                 use_cache: bool = True) -> tuple[KnowledgeBase, Matcher]:
    """The knowledge base and its matcher: read back when the key matches, otherwise built
    (KnowledgeError for broken data) and kept for the next start."""
    if not use_cache:
        kb = load_knowledge(data_dir)
        return kb, Matcher(kb)
    paused = gc.isenabled()
    gc.disable()  # everything allocated here lives as long as the process
    try:
        found = _load_or_build(data_dir)
    finally:
        if paused:
            gc.enable()
    gc.freeze()  # and later collections need not look at it again
    return found


def _load_or_build(data_dir: Path) -> tuple[KnowledgeBase, Matcher]:
    folder = cache_dir()
    key = cache_key(data_dir)
    found = _read(folder, key, data_dir)
    if found is not None:
        return found
    files = share([(p.name, read_document(p)) for p in document_files(data_dir)])
    shared = read_shared(data_dir)
    kb = load_knowledge(data_dir, files, shared)
    matcher = Matcher(kb)
    _store(folder / f"kb-{key}.pickle",
           pickle.dumps((files, shared), protocol=pickle.HIGHEST_PROTOCOL))
    _store(folder / f"index-{key}.pickle",
           pickle.dumps(matcher.state(), protocol=pickle.HIGHEST_PROTOCOL))
    _prune(folder)
    return kb, matcher


def share(files: Files) -> Files:
    """The same files with equal strings and equal `fields_set`s held once (the models are
    frozen: nothing changes them in place; pickle keeps what is shared, shared)."""
    strings: dict[str, str] = {}
    sets: dict[frozenset[str], set[str]] = {}

    def walk(model: BaseModel) -> None:
        fields = model.__pydantic_fields_set__
        object.__setattr__(model, "__pydantic_fields_set__",
                           sets.setdefault(frozenset(fields), fields))
        values = model.__dict__
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = strings.setdefault(value, value)
            elif isinstance(value, BaseModel):
                walk(value)
            elif isinstance(value, tuple) and value:
                if all(isinstance(v, str) for v in value):
                    values[name] = tuple(strings.setdefault(v, v) for v in value)
                else:
                    for v in value:
                        if isinstance(v, BaseModel):
                            walk(v)

    for _, kf in files:
        walk(kf)
    return files


def _read(folder: Path, key: str, data_dir: Path) -> tuple[KnowledgeBase, Matcher] | None:
    try:
        with (folder / f"kb-{key}.pickle").open("rb") as f:
            files, shared = pickle.load(f)
        with (folder / f"index-{key}.pickle").open("rb") as f:
            state = pickle.load(f)
        kb = load_knowledge(data_dir, files, shared)
        return kb, Matcher.restore(kb, state)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError, EOFError,
            AssertionError, IndexError, pickle.UnpicklingError):
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
        for pattern in ("kb-*", "index-*.pickle"):
            old = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
            for stale in old[:-KEEP]:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
