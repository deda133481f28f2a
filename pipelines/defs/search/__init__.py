"""Full-text search: every document's text (core.document_text) and its tantivy index beside the warehouse."""
