"""The archive's batch import: finding files, the worker pool that extracts them in isolation,
and the importer that records each document, failure and run in the database."""
