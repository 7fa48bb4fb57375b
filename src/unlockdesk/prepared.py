"""Statements compiled once per connection and run again with new values: the pipeline's
hottest reads, inserts and updates, which every chat message and email makes.

Django compiles a queryset's SQL on every evaluation. For these few statements that was most
of their cost (measured on SQLite: a ticket read by number 318 µs through the ORM, 56 µs
compiled once; an event insert 119 against 39 µs), and the sockets' database thread makes
them for every message. Rows still become models through Django's own converters and
`from_db`, and inserts prepare each value with the field's own `get_db_prep_save`, so the
stored and the read values are exactly the ORM's.

Only what is safe to reuse is: a read's arguments must be text, integers or aware datetimes
(these adapted as the database's DateTimeField adapts them), reaching the SQL unchanged
(checked when it is compiled); a model with save signals, parents or a database
without INSERT ... RETURNING, and a value that is an expression, go through the ORM.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, Q, QuerySet, signals
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

_TEXT = "\x00prepared-argument-{}\x00"
# Inside a 32-bit positive column's range: Django turns a lookup outside the column's range
# into no query at all, and the argument would not reach the SQL.
_INTEGER = 2_100_000_000


_MOMENT = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)  # plus the argument's index in microseconds
_KINDS = (str, int, datetime)


def _sentinel(kind: type, index: int) -> object:
    if kind is datetime:
        return _MOMENT.replace(microsecond=index)
    return _TEXT.format(index) if kind is str else _INTEGER + index


def _argument(connection: BaseDatabaseWrapper, kind: type, value: Any) -> Any:
    """The value as the SQL receives it: a datetime as the connection's DateTimeField stores it."""
    return connection.ops.adapt_datetimefield_value(value) if kind is datetime else value


@dataclass(frozen=True)
class _Read:
    sql: str
    slots: tuple[tuple[int | None, object], ...]  # (the argument's index, or None and the constant)
    compiler: SQLCompiler
    converters: dict[int, Any]
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    for_update: bool


class PreparedRead(Generic[M]):
    """`build(*arguments)` -> a queryset of models (filters, select_related, slicing); called
    with new arguments of the types `kinds` names, it returns the list the queryset would."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type) -> None:
        if any(kind not in _KINDS for kind in kinds):
            raise TypeError("a prepared read takes text, integer or datetime arguments")
        self._build = build
        self._kinds = kinds
        self._target: tuple[type[M], bool] | None = None  # the model, and whether for write
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, _Read] = WeakKeyDictionary()

    def __call__(self, *arguments: object) -> list[M]:
        if len(arguments) != len(self._kinds) or not all(
                isinstance(value, kind) and not isinstance(value, bool)
                and (kind is not datetime or getattr(value, "tzinfo", None) is not None)
                for value, kind in zip(arguments, self._kinds, strict=True)):
            raise TypeError(f"expected arguments of types {self._kinds} (datetimes aware), got {arguments!r}")
        if self._target is None:
            sample = self._build(*self._sentinels())
            self._target = (sample.model, sample._for_write)  # type: ignore[attr-defined]
        model, for_write = self._target
        alias = router.db_for_write(model) if for_write else router.db_for_read(model)
        connection = connections[alias]
        read = self._compiled.get(connection)
        if read is None:
            read = self._compiled[connection] = self._compile(connection, alias)
        if read.for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params: list[Any] = [
            constant if index is None else _argument(connection, self._kinds[index], arguments[index])
            for index, constant in read.slots]
        with connection.cursor() as cursor:
            cursor.execute(read.sql, params)
            rows: Any = cursor.fetchall()
        if read.converters:
            rows = read.compiler.apply_converters(rows, read.converters)
        found: list[M] = []
        for row in rows:
            obj = cast(M, model.from_db(alias, read.init_list, row[read.start:read.end]))
            for populator in read.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found

    def _sentinels(self) -> list[object]:
        return [_sentinel(kind, i) for i, kind in enumerate(self._kinds)]

    def _compile(self, connection: BaseDatabaseWrapper, alias: str) -> _Read:
        sentinels = self._sentinels()
        queryset = self._build(*sentinels).using(alias)
        if (queryset._iterable_class is not ModelIterable
                or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
                or queryset._known_related_objects):  # type: ignore[attr-defined]
            raise ValueError("only a plain read of models can be prepared")
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise ValueError("an argument is outside its column's range: it cannot be prepared") from None
        if compiler.annotation_col_map:
            raise ValueError("a prepared read cannot annotate")
        index = {_argument(connection, kind, value): i
                 for i, (kind, value) in enumerate(zip(self._kinds, sentinels, strict=True))}
        slots = tuple((index[p], None) if isinstance(p, str | int | datetime) and p in index else (None, p)
                      for p in params)
        if sorted(i for i, _constant in slots if i is not None) != list(range(len(sentinels))):
            raise ValueError("each argument must reach the SQL once, unchanged")
        klass_info = compiler.klass_info
        assert klass_info is not None
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Read(
            sql=sql, slots=slots, compiler=compiler,
            converters=compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]]),
            init_list=[f[0].target.attname for f in compiler.select[start:end]],
            start=start, end=end,
            populators=get_related_populators(klass_info, compiler.select, alias),  # type: ignore[call-arg]
            for_update=bool(queryset.query.select_for_update and connection.features.has_select_for_update),
        )


class PreparedListRead(Generic[M]):
    """`build(*arguments, values)`, whose last argument is a list of text (`field__in=values`):
    a PreparedRead per length of the list, up to `most`; a longer list goes through the ORM.
    An empty list finds nothing without a query, as the ORM's does."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type, most: int = 16) -> None:
        self._build = build
        self._kinds = kinds
        self._most = most
        self._reads: dict[int, PreparedRead[M]] = {}

    def __call__(self, *arguments: object, values: Sequence[str]) -> list[M]:
        if not values:
            return []
        if len(values) > self._most:
            return list(self._build(*arguments, list(values)))
        read = self._reads.get(len(values))
        if read is None:
            count = len(self._kinds)
            read = self._reads[len(values)] = PreparedRead(
                lambda *given: self._build(*given[:count], list(given[count:])),
                *self._kinds, *(str,) * len(values))
        return read(*arguments, *values)


@dataclass(frozen=True)
class _Insert:
    sql: str
    compiler: SQLInsertCompiler
    fields: Sequence["Field[Any, Any]"]
    # PostgreSQL inserts several rows as UNNEST of one array per column, not VALUES rows.
    by_column: bool = False


class PreparedInsert(Generic[M]):
    """`model.objects.create(**fields)`, with the INSERT compiled once per connection."""

    def __init__(self, model: type[M]) -> None:
        self._model = model
        # Per connection, per number of rows in the statement.
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, dict[int, _Insert | None]] = (
            WeakKeyDictionary())

    def __call__(self, **fields: Any) -> M:
        return self.many([fields])[0]

    def many(self, rows: Sequence[dict[str, Any]]) -> list[M]:
        """Several create() in one multi-row INSERT: one statement, one round trip."""
        model = self._model
        if not rows:
            return []
        if (signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
                or any(hasattr(value, "resolve_expression") for row in rows for value in row.values())):
            return [model._default_manager.create(**fields) for fields in rows]
        return self._insert([model(**fields) for fields in rows])

    def insert(self, objs: list[M]) -> list[M]:
        """`bulk_create(objs)` of unsaved models of plain values, in one compiled statement;
        `objs` get their keys and are returned."""
        model = self._model
        if not objs:
            return []
        if (signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
                or any(hasattr(getattr(obj, f.attname), "resolve_expression")
                       for obj in objs for f in model._meta.concrete_fields)):
            return model._default_manager.bulk_create(objs)
        return self._insert(objs)

    def _insert(self, objs: list[M]) -> list[M]:
        model = self._model
        alias = router.db_for_write(model)
        connection = connections[alias]
        compiled = self._compiled.setdefault(connection, {})
        if len(objs) not in compiled:
            compiled[len(objs)] = self._compile(connection, len(objs))
        insert = compiled[len(objs)]
        if insert is None:
            for obj in objs:
                obj.save(force_insert=True, using=alias)
            return objs
        rows_of_values = []
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
            rows_of_values.append([insert.compiler.prepare_value(f, insert.compiler.pre_save_val(f, obj))
                                   for f in insert.fields])
        params: list[Any] = ([list(column) for column in zip(*rows_of_values, strict=True)]
                             if insert.by_column else [v for row in rows_of_values for v in row])
        with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
            cursor.execute(insert.sql, params)
            keys = cursor.fetchall()  # in the order of the VALUES rows, as bulk_create relies on
        for obj, (pk,) in zip(objs, keys, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = alias
        return objs

    def _compile(self, connection: BaseDatabaseWrapper, rows: int) -> _Insert | None:
        meta = self._model._meta
        fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field]
        if (meta.parents or not connection.features.can_return_columns_from_insert
                or (rows > 1 and not connection.features.can_return_rows_from_bulk_insert)
                or any(hasattr(field, "get_placeholder") for field in fields)):
            return None
        query = InsertQuery(self._model)
        query.insert_values(fields, [self._model() for _row in range(rows)])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = [meta.pk]
        statements = compiler.as_sql()
        if len(statements) != 1:
            return None
        (sql, params), = statements
        if len(params) not in (len(fields) * rows, len(fields)):
            return None  # a form of statement this class does not know how to fill
        return _Insert(sql=sql, compiler=compiler, fields=fields,
                       by_column=rows > 1 and len(params) == len(fields))


@dataclass(frozen=True)
class _Update:
    sql: str
    fields: Sequence["Field[Any, Any]"]


class PreparedUpdate:
    """`model.objects.filter(pk=pk).update(**values)`, compiled once per connection, set of
    fields and set of them cleared: Django writes `= NULL` into the SQL for a None, so a
    ticket opened with no next-response clock is its own statement, not a fall back to the
    ORM. Values that are expressions (F(), ...) go through the ORM."""

    def __init__(self, model: type[Model]) -> None:
        self._model = model
        self._compiled: WeakKeyDictionary[
            BaseDatabaseWrapper, dict[tuple[Any, ...], _Update | None]] = WeakKeyDictionary()

    def __call__(self, pk: int, **values: Any) -> int:
        """The number of rows changed: 1, or 0 when the row is gone."""
        return self.with_sql(pk, None, **values)

    def with_sql(self, pk: int, assignment: tuple[str, Sequence[Any]] | None, **values: Any) -> int:
        """As called, with one more `column = <SQL>` assignment (and its parameters) in the same
        UPDATE: a value only the database computes (PostgreSQL's tsvector of the ticket row)."""
        model = self._model
        alias = router.db_for_write(model)
        connection = connections[alias]
        extra_sql, extra_params = assignment if assignment is not None else ("", ())
        if any(hasattr(v, "resolve_expression") for v in values.values()):  # never compiled
            return self._by_orm(connection, pk, assignment, values)
        key = (*((name, value is None) for name, value in values.items()), extra_sql)
        known = self._compiled.setdefault(connection, {})
        if key not in known:
            known[key] = self._compile(connection, pk, values, extra_sql)
        update = known[key]
        if update is None:
            return self._by_orm(connection, pk, assignment, values)
        params = [field.get_db_prep_save(
            value.prepare_database_save(field) if hasattr(value, "prepare_database_save") else value,
            connection=connection) for field, value in zip(update.fields, values.values(), strict=True)
            if value is not None]
        with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
            cursor.execute(update.sql, [*params, *extra_params, pk])
            return int(cursor.rowcount)

    def _by_orm(self, connection: BaseDatabaseWrapper, pk: int,
                assignment: tuple[str, Sequence[Any]] | None, values: dict[str, Any]) -> int:
        """The ORM's update, and the extra assignment as a statement of its own."""
        changed = self._model._default_manager.filter(pk=pk).update(**values) if values else 0
        if assignment is not None:
            meta = self._model._meta
            quote = connection.ops.quote_name
            with (transaction.mark_for_rollback_on_error(using=connection.alias),
                  connection.cursor() as cursor):
                cursor.execute(f"UPDATE {quote(meta.db_table)} SET {assignment[0]} "  # noqa: S608
                               f"WHERE {quote(str(meta.pk.column))} = %s", [*assignment[1], pk])
                changed = max(changed, int(cursor.rowcount))
        return changed

    def _compile(self, connection: BaseDatabaseWrapper, pk: int, values: dict[str, Any],
                 extra_sql: str) -> _Update | None:
        meta = self._model._meta
        fields = [meta.get_field(name) for name in values]
        if not fields or any(hasattr(field, "get_placeholder") or not field.concrete for field in fields):
            return None
        query = UpdateQuery(self._model)
        query.add_update_values(values)
        query.add_q(Q(pk=pk))
        sql, params = query.get_compiler(connection=connection).as_sql()
        # Each value not cleared is one parameter, in order, and the key the last.
        if len(params) != sum(value is not None for value in values.values()) + 1 or params[-1] != pk:
            return None
        if extra_sql:  # after the last SET assignment: the WHERE is the key's, as compiled
            quote = connection.ops.quote_name
            where = f" WHERE {quote(meta.db_table)}.{quote(str(meta.pk.column))} = %s"
            if not sql.endswith(where):
                return None
            sql = f"{sql[:-len(where)]}, {extra_sql}{where}"
        return _Update(sql=sql, fields=fields)  # type: ignore[arg-type]
