"""PostgreSQL settings for every connection the app opens.

JIT compilation is off: it pays off for long analytical queries, and Cartera's are short by design
(reports sum kept aggregates). At 100,000 managers the planner's cost estimates of the training
needs page's one statement (a union of fourteen index walks) crossed `jit_above_cost`, and
compiling it took 325 ms of a 558 ms execution, on every request.
"""

from sqlalchemy import Engine, event


def configure(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_connection, _record):
        # Outside a transaction, so that the first rollback does not undo it (SQLAlchemy's recipe).
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET jit = off")
        cursor.close()
        dbapi_connection.autocommit = autocommit
