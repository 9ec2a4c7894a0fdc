"""Getting data out: the contract JSON of an extraction, the open-data export, the web view."""
