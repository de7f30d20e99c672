"""Making the embedded SQLite default safe for several requests at once.

pysqlite starts transactions lazily and as readers, so two requests that read and then write
(an autosave and a form post, say) can deadlock and fail at once with "database is locked".
Here every transaction begins IMMEDIATE (it takes the write lock up front and the other waits,
up to the busy timeout), and WAL lets pages be read meanwhile. Savepoints work as documented
once SQLAlchemy, not the driver, emits BEGIN.
"""

from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 15_000


def configure(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
