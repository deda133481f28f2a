"""Document forensics: what a file says about itself (producer, creator tool, author, dates in the Info
dictionary and in XMP, incremental updates, signatures, fonts, scanned pages under a text layer).

Pure functions: `extract.document_metadata(path)` gives one `core.document_metadata` row for any file;
pdf.py and office.py read the formats, dates.py parses their dates, producers.py dates the tools.
"""
