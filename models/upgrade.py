"""Upgrading a database made by an earlier delib in place, without losing a row.

The schema grows by addition: new tables (created by `create_all`), new nullable columns and new
indexes (added here). A column an earlier delib did not have is added empty, and documents
imported before stay as they were read: `delib reextract` fills the new columns from their files.
"""
from __future__ import annotations

from sqlalchemy import Connection, inspect
from sqlalchemy.schema import CreateIndex, MetaData

# Schema versions this delib upgrades in place: 1 (delib 0.1.0) lacks documents.kind and
# amounts.beneficiary, both added empty.
UPGRADABLE_FROM = frozenset({"1"})


def add_missing_columns(conn: Connection, metadata: MetaData) -> list[str]:
    """ALTER TABLE … ADD COLUMN for every nullable column the tables lack; returns what was added.

    A NOT NULL column without a default cannot be added to rows that exist: that would be a
    migration of its own, and refusing it here keeps a careless schema change from passing.
    """
    inspector = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    existing_tables = set(inspector.get_table_names())
    added: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in existing_tables:
            continue  # create_all makes it whole
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(f"cannot add the required column {table.name}.{column.name} "
                                   "to an existing database")
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}")
            added.append(f"{table.name}.{column.name}")
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                conn.execute(CreateIndex(index))
    return added
