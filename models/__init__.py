"""The database: SQLAlchemy tables, the store that writes them, full-text search."""
