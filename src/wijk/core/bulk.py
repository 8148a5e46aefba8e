"""Inserting many rows fast: multi-row INSERT … RETURNING id, without the ORM's compiler.

`QuerySet.bulk_create` compiles every value of every row through the field machinery;
for the 100,000 lines of a bank statement and the tens of thousands of entries its
rules book, that took longer than the database itself, and Django's SQLite backend
sends at most 999 parameters per statement. These helpers take plain values, adapt
only what needs adapting (dates, times, JSON and other special fields, through the
field's own `get_db_prep_save`), send as many rows per statement as the database
accepts, and return the new ids in the order of the rows, as `bulk_create` does
(PostgreSQL and SQLite 3.35+ return the rows of a multi-row INSERT in order).
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


def max_parameters() -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)) if raw is not None else 999
    return 65535  # PostgreSQL's protocol limit


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[int]:
    """Insert rows (values in the order of `fields`, by attname); their new ids, in order."""
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    chosen = [by_name[name] for name in fields]
    adapters = [_adapter(field) for field in chosen]
    special = [(i, a) for i, a in enumerate(adapters) if a is not None]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in chosen)
    one_row = "(" + ", ".join(["%s"] * len(chosen)) + ")"
    step = max(1, min(_MAX_ROWS, max_parameters() // len(chosen)))
    pk = quote(str(meta.pk.column if meta.pk is not None else "id"))
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 - model names
    ids: list[int] = []
    batch: list[Any] = []
    count = 0

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"{head}{', '.join([one_row] * count)} RETURNING {pk}", batch)
            ids.extend(found[0] for found in cursor.fetchall())

    for row in rows:
        if special:
            row = list(row)
            for index, adapt in special:
                row[index] = adapt(row[index])
        batch.extend(row)
        count += 1
        if count == step:
            flush()
            batch, count = [], 0
    if count:
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


def instances(model: type[M], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[M]:
    """Model objects for rows as they are in the database (every concrete column, by attname).

    What `Model.from_db` makes, without running `__init__` per object: that sets each
    field through its descriptor, and for the 100,000 lines of a bank statement took
    longer than inserting them. Only for rows just written or read, whose values are
    already the database's; no `post_init` signal is sent.
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
        state.adding = False
        state.db = alias
        values = obj.__dict__
        values.update(zip(names, row, strict=True))
        values["_state"] = state
        made.append(obj)
    return made
