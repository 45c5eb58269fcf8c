"""Statements that run around every update, executed on the driver's cursor.

SQLAlchemy's Core `Connection.execute` of an already compiled statement still costs 25-40 µs
in Python before the driver sees it (execution context, parameter and result processing
objects per call); SQLite itself answers these primary-key reads in 3-5 µs. A `FastStatement`
compiles once per dialect and keeps the bind and result processors of its columns, so the
values stored and read are exactly SQLAlchemy's (aware UTC timestamps, JSON), and runs on the
DBAPI cursor of the caller's `Connection`: the caller still owns the transaction
(`engine.begin()` for writes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # positional paramstyles: parameter names in order
    binds: Mapping[str, Processor]
    results: tuple[Processor, ...]
    values: Mapping[str, Any]  # the statement's own values (LIMIT 1), used unless given
    processed: bool = False  # some result column has a processor


@dataclass
class FastStatement:
    """One SQLAlchemy statement, compiled once per dialect, run on the raw cursor."""

    statement: ClauseElement
    _compiled: dict[str, _Compiled] = field(default_factory=dict, repr=False)

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is not None:
            return found
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        # by the name each parameter has in the SQL (anonymous ones, as LIMIT 1's, included)
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                 for bind, name in compiled.bind_names.items()}
        columns = getattr(self.statement, "selected_columns", None) or ()
        results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                        for c in columns)
        order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup \
            else None
        found = self._compiled[dialect.name] = _Compiled(compiled.string, order, binds, results,
                                                         compiled.params,
                                                         any(results))
        return found

    @staticmethod
    def _parameters(c: _Compiled, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        binds, values = c.binds, c.values
        out: dict[str, Any] = {}
        for name, process in binds.items():
            given = params[name] if name in params else values[name]
            out[name] = given if process is None else process(given)
        return out if c.order is None else [out[name] for name in c.order]

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, each value as SQLAlchemy would give it."""
        c = self._compile(conn.dialect)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(c.sql, self._parameters(c, params))
            fetched = cursor.fetchall() if c.results else []
        finally:
            cursor.close()
        if not c.processed:
            return [tuple(row) for row in fetched]
        return [tuple(v if p is None else p(v) for p, v in zip(c.results, row, strict=True))
                for row in fetched]

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> None:
        """Run a statement that returns no rows (inside the caller's transaction)."""
        self.rows(conn, params)
