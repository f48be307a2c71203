"""Schema evolution: what changed between two versions of `schemas/`, and who it breaks."""
