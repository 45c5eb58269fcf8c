"""The arrows run one way: knowledge <- storage <- handlers <- bot (read from the imports)."""

from __future__ import annotations

import ast

from bot.settings import PROJECT_ROOT

LAYERS = ("knowledge", "storage", "handlers", "bot")  # each may import the ones before it
ANYWHERE = {"bot.settings", "bot.services"}  # the typed settings and the services accessor
NOT_FROM_STORAGE = {"bot.services"}  # it builds storage's engine: that would be a cycle
# Journey modules in handlers/ share code only through these, never by importing each other.
SHARED_HANDLERS = ("handlers.common", "handlers.access", "handlers.casework", "handlers.ui")


def imports(source: str) -> set[str]:
    """Every module a source file imports (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, modules: set[str] | tuple[str, ...]) -> bool:
    return any(name == m or name.startswith(m + ".") for m in modules)


def _journey(name: str) -> str | None:
    """handlers.check.x -> handlers.check; a journey split into modules keeps one name
    (handlers.check_result is part of handlers.check); shared modules -> None."""
    parts = name.split(".")
    if parts[0] != "handlers" or len(parts) < 2 or _within(name, SHARED_HANDLERS):
        return None
    return f"handlers.{parts[1].split('_')[0]}"


def violations(module: str, source: str) -> list[str]:
    """The imports of `module` that point the wrong way."""
    layer = module.split(".")[0]
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    bad = []
    for name in sorted(imports(source)):
        top = name.split(".")[0]
        if top not in LAYERS:
            continue  # the standard library and third-party packages
        everywhere = (layer != "knowledge" and _within(name, ANYWHERE)
                      and not (layer == "storage" and _within(name, NOT_FROM_STORAGE)))
        if top not in allowed and not everywhere:
            bad.append(f"{module} imports {name}")
        elif _journey(module) and _journey(name) and _journey(name) != _journey(module):
            bad.append(f"{module} imports another journey: {name}")
    return bad


def _modules() -> list[tuple[str, str]]:
    out = []
    for layer in LAYERS:
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(PROJECT_ROOT).with_suffix("")
            module = ".".join(p for p in rel.parts if p != "__init__")
            out.append((module, path.read_text(encoding="utf-8")))
    return out


def test_no_import_points_the_wrong_way() -> None:
    found = [v for module, source in _modules() for v in violations(module, source)]
    assert found == []


def test_the_checker_catches_each_kind_of_wrong_arrow() -> None:
    assert violations("knowledge.matcher", "from storage.db import session") != []
    assert violations("knowledge.matcher", "import bot.settings") != []
    assert violations("storage.repo.users", "from handlers.ui.render import render") != []
    assert violations("storage.repo.users", "from bot.services import Services") != []
    assert violations("handlers.check", "from bot.app import build_application") != []
    assert violations("handlers.check", "from handlers import ask") != []
    assert violations("handlers.check", "from handlers.ask import answer_text") != []
    assert violations("handlers.check", "from handlers.common import answer_text") == []
    assert violations("handlers.check", "from handlers.check_result import send") == []
    assert violations("handlers.visit", "from handlers.check_result import send") != []
    assert violations("handlers.check", "from bot.services import services") == []
    assert violations("storage.migrations_env", "from bot.settings import Settings") == []
    assert violations("bot.app", "from handlers import ask") == []


def test_every_layer_has_modules() -> None:
    assert {module.split(".")[0] for module, _ in _modules()} == set(LAYERS)

