"""fieldaudit's headless core: models, schema, queries, sync and documents. Never imports textual."""

__version__ = "0.1.0"
