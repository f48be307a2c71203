"""Models generated from `schemas/` by datamodel-code-generator. Do not edit: run `nox -s codegen`.

One module per namespace; each class is the qualified type with the namespace dropped
(`converge.ExperienceEventEnvelope` is `ledgerspec.models.converge.ExperienceEventEnvelope`).
"""
