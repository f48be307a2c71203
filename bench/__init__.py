"""Throughput benchmarks of ledgerspec against jsonschema-rs, jsonschema and pydantic (`nox -s bench`)."""
