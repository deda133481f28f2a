"""Document forensics: what each registered file says about itself (core.document_metadata)."""
