"""Engine, sessions and the unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    # hide_parameters: a database error's message (logged, and kept on a failed job) must not carry a note's text.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the HTTP handlers read while a worker thread writes; foreign keys are off by default in SQLite.
    # synchronous=NORMAL is WAL's recommended setting: a commit survives the process being killed (the acked events
    # of `workflows.jobs.intake` included) and skips the fsync per commit that made acks wait on the disk.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """One per process: owns the engine and hands out units of work."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def insert_new(session: Session, model: type, **values: Any) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row is new.

    No savepoint: pysqlite commits a SAVEPOINT that opens a transaction on its RELEASE, which would split the
    row from the work it guards. Here it stays in the caller's transaction, and a concurrent insert of the same
    key waits for the other transaction and then reports a duplicate.
    """
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    table = model.__table__
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key)
    return session.execute(statement).first() is not None
