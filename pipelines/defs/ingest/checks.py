"""Expectations on core.documents (the register of input files)."""

from pipelines.defs.validation import expectation_check
from pipelines.lib.validation import expectations as v
from pipelines.lib.intake.inventory import KIND_BY_FOLDER

DOCUMENTS = v.suite(
    "core.documents", ["path"],
    v.not_null("path", "kind", "status", "first_seen_at"),
    v.unique("path"),
    v.in_set("kind", [*KIND_BY_FOLDER.values(), "unknown"]),
    v.in_set("status", ["loaded", "quarantined", "duplicate", "pending"]),
    v.non_negative("bytes", "pages"),
    v.not_future("first_seen_at"),
    v.required_when("error", 'status == "quarantined"', "a quarantined file must say why", "quarantined"),
    v.required_when("duplicate_of", 'status == "duplicate"', "a duplicate must name the file it copies",
                    "duplicate"),
    v.matches("document_id", "^[0-9a-f]{64}$", "document_id is the sha256 of the bytes (64 hex digits)"),
    can_quarantine=False,
    notes="core.documents is a view over the file register: failures are reported, never removed.",
)

# Not blocking: the register itself feeds no model; every parser reads it regardless.
documents_expectations = expectation_check(DOCUMENTS, blocking=False)
