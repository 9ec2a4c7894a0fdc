"""Pure functions from French deliberation text to typed spans, one module per kind of fact."""
