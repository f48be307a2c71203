"""JSON Schema files of every ledger contract type, one per qualified name (data only)."""
