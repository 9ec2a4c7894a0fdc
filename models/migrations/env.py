"""Alembic's entry point for delib: migrations run on the connection the caller passes in
`config.attributes["connection"]`, inside the caller's transaction (models.migrations)."""
from __future__ import annotations

from alembic import context

from models.migrations import include_object
from models.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("delib's migrations run on a connection: use models.migrations.upgrade(conn) "
                       "or `python -m models.migrations`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    compare_type=True,
    # SQLite alters a table by copying it: autogenerate writes such changes as batch operations.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
