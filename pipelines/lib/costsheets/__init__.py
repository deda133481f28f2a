"""Leaked cost sheets (PDF, scanned PDF, XLSX, XLS, ODS, CSV, DOCX, HTML, PNG/JPEG/TIFF scans) read into
contract rows: extract.py is the unit of work and its cache; pdf.py assembles a PDF's tables from
triage.py, ruled.py, words.py, rotation.py and ocr.py; sheets.py reads workbooks and CSV exports;
office.py picks the reader of an office, web or image file (docxfile.py, calamine.py, htmlfile.py,
images.py); tables.py, vocab.py, numbers.py and periods.py turn the tables found into rows; errors.py
holds the error that sets a whole document aside."""
