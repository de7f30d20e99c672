"""SQL that differs between the embedded SQLite default and PostgreSQL, in one place."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import JSON, Integer, any_, bindparam, exists, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def upsert(model):
    """INSERT … ON CONFLICT for the session's database (both dialects spell it the same way)."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.session.get_bind().dialect.name]
    return dialect.insert(model)


def among(column, ids: Sequence[int]):
    """`column IN ids`, for an id list of any length: one array parameter on PostgreSQL, where an
    expanded IN of seventy parameters cost more to render and send than the rows it read."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


def bulk_insert(table, rows: list[dict], into: str | None = None) -> None:
    """Many new rows at once, below the ORM: PostgreSQL's COPY, SQLite's executemany of tuples.

    Every row names the same columns; a column left out gets NULL or the server's default, so a
    left-out column with a Python-side default is refused rather than silently stored empty.
    Values are converted by the column types' own bind processors on SQLite (the stored form is
    the ORM's), and to COPY's text form on PostgreSQL (JSON as text).
    `into` names another table of the same columns (a staging table) to write to instead.
    """
    if rows:
        names = list(rows[0])
        insert_rows(table, names, ([row[column] for column in names] for row in rows), into)  # row by row


def insert_rows(table, names: Sequence[str], rows: Iterable[Sequence], into: str | None = None, json_as_text=False):
    """`bulk_insert` of rows given as values in the order of `names`. With `json_as_text`, the JSON
    columns hold their text already (`json_text`): a bulk load encodes them where it makes the rows."""
    name = into or table.name
    columns = [table.c[column] for column in names]
    forgotten = [c.name for c in table.c if c.name not in names and c.default is not None]
    if forgotten:
        raise ValueError(f"{table.name}: no value given for {', '.join(forgotten)}, which have Python defaults")
    json_columns = [] if json_as_text else [n for n, c in enumerate(columns) if isinstance(c.type, JSON)]
    connection = db.session.connection()
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    if dialect.name == "postgresql":
        listed = ", ".join(dialect.identifier_preparer.quote(column) for column in names)
        with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
            for row in rows:
                if json_columns:
                    row = list(row)
                    for n in json_columns:
                        row[n] = json_text(columns[n], row[n])
                copy.write_row(row)
        return
    processors = [
        _same if json_as_text and isinstance(column.type, JSON) else column.type.bind_processor(dialect) or _same
        for column in columns
    ]
    statement = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
    cursor = raw.cursor()
    try:
        cursor.executemany(
            statement, ([process(value) for process, value in zip(processors, row, strict=True)] for row in rows)
        )
    finally:
        cursor.close()


def json_text(column, value) -> str | None:
    """A JSON column's value as the text stored: None is JSON's null unless the column keeps it as NULL."""
    return None if value is None and column.type.none_as_null else json.dumps(value)


@contextmanager
def foreign_keys_checked_after() -> Iterator[None]:
    """For a bulk load: every foreign key checked once at the end, by one anti-join per key, rather
    than by a lookup and a row lock per row as it goes in. Those per-row checks were 58 % of the
    PostgreSQL server's work in `flask demo generate`. PostgreSQL lets only a superuser set them
    aside (`session_replication_role`, for this transaction); for anyone else they also run as
    usual. SQLite does not enforce foreign keys, so there the check at the end is the only one.
    A row whose key leads nowhere raises ValueError, and the caller's transaction rolls back."""
    session = db.session
    postgres = session.get_bind().dialect.name == "postgresql"
    deferred = postgres and session.scalar(text("SELECT current_setting('is_superuser')")) == "on"
    if deferred:
        session.execute(text("SET LOCAL session_replication_role = replica"))
    yield  # on an error the transaction rolls back, and the setting with it
    if deferred:
        session.execute(text("SET LOCAL session_replication_role = origin"))
    broken = [
        f"{key.parent.table.name}.{key.parent.name} ({count} rows)"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if (count := session.scalar(_dangling(key)))
    ]
    if broken:
        raise ValueError(f"rows refer to nothing: {', '.join(broken)}")


def _dangling(key) -> object:
    column = key.parent
    target = key.column.table.alias().c[key.column.name]  # an alias: a table may refer to itself
    return select(func.count()).select_from(column.table).where(column.is_not(None), ~exists().where(target == column))


BULK = 1000  # rows from which one staged statement beats a round trip per row


def add_sums(model, rows: list[dict], key_columns, value_columns, carried=()) -> None:
    """Add each row's values to the stored row of the same key, or insert it, atomically (safe under
    concurrent scoring). Keys must be unique within `rows`; `carried` columns are stored with a new
    row and left as they are on an existing one.

    A few rows go in one upsert; many (a bulk load, a rebuild) are staged with `bulk_insert` in a
    temporary table first, so they cost one COPY and one INSERT … SELECT, not a round trip each."""
    if not rows:
        return
    table = model.__table__
    if len(rows) < BULK:
        statement = upsert(model)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c[column] for column in key_columns],
            set_={column: table.c[column] + statement.excluded[column] for column in value_columns},
        )
        db.session.execute(statement, rows)
        return
    columns = [*key_columns, *value_columns, *carried]
    listed = ", ".join(columns)
    stage = f"stage_{table.name}"
    db.session.execute(text(f"CREATE TEMPORARY TABLE {stage} AS SELECT {listed} FROM {table.name} WHERE 1 = 0"))  # noqa: S608
    try:
        insert_rows(table, columns, [[row[column] for column in columns] for row in rows], into=stage)
        add_selected(table, columns, f"SELECT {listed} FROM {stage} WHERE 1 = 1", key_columns, value_columns)  # noqa: S608
    finally:
        db.session.execute(text(f"DROP TABLE {stage}"))


def add_selected(table, columns, selected: str, key_columns, value_columns) -> None:
    """`add_sums` of the rows a SELECT gives (`columns`, in order), in the database. SQLite needs the
    SELECT to have a WHERE clause, or it reads ON CONFLICT as a join's ON."""
    added = ", ".join(f"{column} = {table.name}.{column} + excluded.{column}" for column in value_columns)
    db.session.execute(
        text(
            f"INSERT INTO {table.name} ({', '.join(columns)}) {selected} "  # noqa: S608
            f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {added}"
        )
    )


def _same(value):
    return value
