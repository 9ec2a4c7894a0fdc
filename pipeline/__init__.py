"""delib: French local-government deliberations, from PDF to a searchable database."""

__version__ = "0.1.0"
