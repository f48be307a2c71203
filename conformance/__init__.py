"""Golden fixtures and the conformance tooling that checks them (and, later, any store)."""
