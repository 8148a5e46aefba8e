"""Inserting many rows fast: INSERT … RETURNING id of many rows, without the ORM's compiler.

`QuerySet.bulk_create` compiles every value of every row through the field machinery;
for the 100,000 lines of a bank statement and the tens of thousands of entries its
rules book, that took longer than the database itself, and Django's SQLite backend
sends at most 999 parameters per statement. These helpers take plain values, adapt
only what needs adapting (dates, times, JSON and other special fields, through the
field's own `get_db_prep_save`), and return the new ids in the order of the rows, as
`bulk_create` does. On SQLite a statement carries as many rows as its parameter limit
allows (`VALUES (…), (…)`); on PostgreSQL each column goes as one array
(`SELECT * FROM UNNEST(…)`), as Django's own `bulk_create` does there, so the
statement's text stays short (SQLite 3.35+ and PostgreSQL return the rows in order).
Database triggers and constraints apply as to any insert.

Hand-written because Django has no public API for this; benchmarks/bank_import_bench.py
measures it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState

# Fields whose Python value goes to the database as it is.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}
_MAX_ROWS = 1000
_UNNEST_ROWS = 5000  # rows per statement on PostgreSQL (a handful of arrays)
# Rows per UPDATE on PostgreSQL: few enough that the planner finds each row by its
# index rather than scanning the whole table (it did, for 5,000 rows of a table of
# 500,000 bank lines).
_UPDATE_ROWS = 500
M = TypeVar("M", bound=models.Model)


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _server_binding() -> bool:
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def _cursor() -> Any:
    """A cursor for the statements here, inside the current transaction.

    On PostgreSQL with psycopg 3, one that binds parameters on the server, and the
    arrays go in binary (`%b`): Django's cursors bind in the client, which writes
    every element of an array into the statement's text as a quoted, escaped literal,
    in Python. Otherwise Django's own cursor.
    """
    if _server_binding():
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)
    return connection.cursor()


def _array(db_type: str) -> str:
    """The placeholder of a whole column as an array of `db_type`."""
    return f"{'%b' if _server_binding() else '%s'}::{db_type.split('(')[0]}[]"


def max_parameters() -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)) if raw is not None else 999
    return 65535  # PostgreSQL's protocol limit


def _columns(
    model: type[models.Model], fields: Sequence[str]
) -> tuple[list[models.Field[Any, Any]], list[tuple[int, Any]]]:
    """The model fields named by attname, and the positions whose values need adapting."""
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    chosen = [by_name[name] for name in fields]
    adapters = [_adapter(field) for field in chosen]
    return chosen, [(i, a) for i, a in enumerate(adapters) if a is not None]


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[int]:
    """Insert rows (values in the order of `fields`, by attname); their new ids, in order."""
    meta = model._meta
    chosen, special = _columns(model, fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in chosen)
    pk = quote(str(meta.pk.column if meta.pk is not None else "id"))
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 - model names
    if connection.vendor == "postgresql":
        # One array per column (UNNEST), as Django's own bulk_create does here: the
        # statement's text stays short and the same, so neither psycopg (which
        # rewrites the placeholders of every new statement text in Python, and
        # caches only short ones) nor the server parses thousands of placeholders.
        types = ", ".join(_array(str(field.db_type(connection))) for field in chosen)
        sql = f"{head}SELECT * FROM UNNEST({types}) RETURNING {pk}"  # noqa: S608
        step = _UNNEST_ROWS
    else:
        one_row = "(" + ", ".join(["%s"] * len(chosen)) + ")"
        step = max(1, min(_MAX_ROWS, max_parameters() // len(chosen)))
    ids: list[int] = []
    batch: list[Sequence[Any]] = []

    def flush() -> None:
        with _cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(sql, [list(c) for c in zip(*batch, strict=True)])
            else:
                values = ", ".join([one_row] * len(batch))
                cursor.execute(
                    f"{head}VALUES {values} RETURNING {pk}", [v for row in batch for v in row]
                )
            ids.extend(found[0] for found in cursor.fetchall())

    for row in rows:
        if special:
            row = list(row)
            for index, adapt in special:
                row[index] = adapt(row[index])
        batch.append(row)
        if len(batch) == step:
            flush()
            batch = []
    if batch:
        flush()
    return ids


def bulk_insert(objs: Sequence[M]) -> list[M]:
    """Save new model objects like `bulk_create` (ids set, marked saved), faster."""
    if not objs:
        return list(objs)
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    names = [f.attname for f in fields]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
    ids = insert_rows(model, names, ([getattr(obj, n) for n in names] for obj in objs))
    alias = connection.alias
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
    return list(objs)


def instances(
    model: type[M], attnames: Sequence[str], rows: Iterable[Sequence[Any]], *, saved: bool = True
) -> list[M]:
    """Model objects for rows (every concrete column, by attname, in `attnames`' order).

    What `Model.from_db` makes, without running `__init__` per object: that sets each
    field through its descriptor, and for the 100,000 lines of a bank statement took
    longer than inserting them. For rows just written or read, whose values are
    already the database's (`saved`), or for new rows about to be inserted as they are
    (`saved=False`: id None, to be set after the insert). No `post_init` signal is
    sent, and no field default is applied: every value must be given.
    """
    names = tuple(attnames)
    if set(names) != {f.attname for f in model._meta.concrete_fields}:
        raise ValueError(f"instances() needs every column of {model.__name__}, by attname")
    alias = connection.alias
    new = object.__new__
    made: list[M] = []
    for row in rows:
        obj = new(model)
        state = ModelState()
        state.adding = not saved
        state.db = alias if saved else None
        values = obj.__dict__
        values.update(zip(names, row, strict=True))
        values["_state"] = state
        made.append(obj)
    return made


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    only: dict[str, Any] | None = None,
) -> int:
    """Set columns of many rows, each to its own values; how many rows were changed.

    `fields` are attnames: the first identifies a row (its id), the others are set to
    the row's values. `only` adds conditions every row must still meet (for example
    `{"status": "draft"}`), so the caller can tell from the count that none had
    changed meanwhile. On PostgreSQL one statement per `_UPDATE_ROWS` rows (`UPDATE …
    FROM UNNEST(…)`) instead of one statement per row: the server plans and runs one
    statement; row triggers still fire for every row. On SQLite, where a statement
    costs no round trip, one prepared statement run for every row (`executemany`).
    """
    if not rows:
        return 0
    meta = model._meta
    chosen, special = _columns(model, fields)
    by_name = {f.attname: f for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    conditions = list((only or {}).items())
    key, *rest = (quote(str(field.column)) for field in chosen)
    adapted: list[Sequence[Any]] = []
    for row in rows:
        if special:
            row = list(row)
            for index, adapt in special:
                row[index] = adapt(row[index])
        adapted.append(row)
    changed = 0
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [f"c{index}" for index in range(len(chosen))]
            types = ", ".join(_array(str(field.db_type(connection))) for field in chosen)
            sets = ", ".join(
                f"{column} = v.{name}" for column, name in zip(rest, names[1:], strict=True)
            )
            extra = "".join(
                f" AND {table}.{quote(str(by_name[name].column))} = %s"
                for name, _value in conditions
            )
            sql = (
                f"UPDATE {table} SET {sets} FROM UNNEST({types}) AS v({', '.join(names)}) "  # noqa: S608
                f"WHERE {table}.{key} = v.{names[0]}{extra}"
            )
            for start in range(0, len(adapted), _UPDATE_ROWS):
                batch = adapted[start : start + _UPDATE_ROWS]
                arrays = [list(column) for column in zip(*batch, strict=True)]
                cursor.execute(sql, [*arrays, *(value for _name, value in conditions)])
                changed += cursor.rowcount
        else:
            sets = ", ".join(f"{column} = %s" for column in rest)
            extra = "".join(
                f" AND {quote(str(by_name[name].column))} = %s" for name, _v in conditions
            )
            sql = f"UPDATE {table} SET {sets} WHERE {key} = %s{extra}"  # noqa: S608
            fixed = [value for _name, value in conditions]
            cursor.executemany(sql, [(*row[1:], row[0], *fixed) for row in adapted])
            changed = cursor.rowcount
    return changed
