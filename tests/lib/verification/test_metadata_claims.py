"""The document-level metadata claims of marts.leak_plausibility: each rule's positive and negative case on
hand-set dates, then on documents built in the test and read back."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.forensics.extract import document_metadata, metadata_frame
from pipelines.lib.verification.metadata import (check_dates, check_metadata, check_period, check_producer,
                                                 check_text_layer)
from pipelines.lib.verification.plausibility import assess
from pipelines.lib.verification.verdicts import KEY, RESULT_COLUMNS
from tests.lib.forensics.builders import append_update, docx, scan_pdf, text_pdf


def T(text):
    return pd.Timestamp(text, tz="UTC")


def doc(**fields):
    base = {"document_id": "doc", "media_type": "application/pdf", "producer": None, "creator_tool": None,
            "xmp_producer": None, "xmp_creator_tool": None, "created_at": None, "modified_at": None,
            "xmp_created_at": None, "xmp_modified_at": None, "dates_without_offset": [], "notes": None,
            "pages": 1, "pages_with_text": 1, "pages_with_images": 0, "pages_with_invisible_text": 0,
            "revision_producers": [], "text_added_by_update": None, "period_start": None, "period_end": None,
            "company": None}
    base.update(fields)
    return base


# metadata_period ---------------------------------------------------------------------------------
def test_a_file_last_written_before_its_period_ended_is_unverifiable_with_the_dates():
    value, verdict, reason = check_period(doc(created_at=T("2024-02-01"), modified_at=T("2024-03-10 12:00"),
                                              period_end=dt.date(2024, 3, 31)))
    assert (value, verdict) == (-21, "unverifiable")
    assert "last written on 2024-03-10 (modified (Info)), 21 days before the period it reports ended on 2024-03-31" in reason


def test_a_file_written_after_its_period_ended_is_plausible():
    value, verdict, reason = check_period(doc(created_at=T("2024-04-02"), modified_at=T("2024-04-03"),
                                              period_end=dt.date(2024, 3, 31)))
    assert (value, verdict) == (3, "plausible") and "3 days after the period it reports ended on 2024-03-31" in reason
    # created from a template before the end, last written after it: plausible, and said so
    value, verdict, reason = check_period(doc(created_at=T("2024-01-05"), xmp_modified_at=T("2024-04-03"),
                                              period_end=dt.date(2024, 3, 31)))
    assert verdict == "plausible" and "created on 2024-01-05, before the period" in reason and "(modified (XMP))" in reason


def test_the_period_rule_without_dates_or_period_is_unverifiable_with_the_reason():
    assert check_period(doc(period_end=dt.date(2024, 3, 31), notes="encrypted (no password)"))[1:] == (
        "unverifiable", "The file records no creation or modification date (Info dictionary, XMP or core "
        "properties) (encrypted (no password)).")
    value, verdict, reason = check_period(doc(created_at=T("2024-04-02")))
    assert np.isnan(value) and verdict == "unverifiable" and "no period end" in reason


# metadata_dates ----------------------------------------------------------------------------------
def test_created_after_modified_beyond_clock_skew_is_implausible():
    value, verdict, reason = check_dates(doc(created_at=T("2024-04-05 12:00"), modified_at=T("2024-04-03 12:00")))
    assert (value, verdict) == (48, "implausible")
    assert reason.startswith("The Info dictionary says the file was created on 2024-04-05 12:00 UTC but last "
                             "modified on 2024-04-03 12:00 UTC, 48.0 hours earlier")


def test_created_after_modified_within_clock_skew_or_in_order_is_plausible():
    assert check_dates(doc(created_at=T("2024-04-05 12:05"), modified_at=T("2024-04-05 12:00")))[1] == "plausible"
    value, verdict, reason = check_dates(doc(xmp_created_at=T("2024-04-01"), xmp_modified_at=T("2024-04-02")))
    assert (value, verdict) == (-24, "plausible") and "XMP: created 2024-04-01 00:00 UTC" in reason


def test_a_date_without_offset_against_one_with_widens_the_tolerance_to_any_zone():
    fields = dict(created_at=T("2024-04-05 20:00"), modified_at=T("2024-04-05 10:00"))
    assert check_dates(doc(**fields))[1] == "implausible"
    assert check_dates(doc(**fields, dates_without_offset=["created_at"]))[1] == "plausible"
    assert check_dates(doc(created_at=T("2024-04-05 20:00")))[1] == "unverifiable"


# metadata_producer -------------------------------------------------------------------------------
def test_a_producer_not_yet_released_is_implausible():
    value, verdict, reason = check_producer(doc(producer="LibreOffice 24.2", created_at=T("2023-06-01"),
                                                modified_at=T("2023-06-01")))
    assert (value, verdict) == (-244, "implausible")
    assert "first released 2024-01-31" in reason and "244 days before that release: the tool did not exist yet" in reason


def test_a_producer_within_a_preview_window_is_unverifiable_and_after_release_plausible():
    assert check_producer(doc(producer="LibreOffice 24.2", modified_at=T("2024-01-01")))[1] == "unverifiable"
    value, verdict, reason = check_producer(doc(producer="LibreOffice 24.2", modified_at=T("2024-03-01")))
    assert (value, verdict) == (30, "plausible") and "30 days after that release" in reason


def test_the_creator_tool_is_dated_against_the_creation_date():
    # re-saved by a later producer: the creator tool (Word 2013) existed when the file was created
    fields = dict(producer="Microsoft® Word 2019", creator_tool="Microsoft® Word 2013",
                  created_at=T("2013-06-01"), modified_at=T("2019-06-01"))
    assert check_producer(doc(**fields))[1] == "plausible"
    fields["creator_tool"] = "Microsoft® Word 2019"
    value, verdict, reason = check_producer(doc(**fields))
    assert verdict == "implausible" and "creator tool 'Microsoft® Word 2019'" in reason and "2013-06-01" in reason


def test_an_unknown_or_missing_producer_is_unverifiable():
    _, verdict, reason = check_producer(doc(producer="ReportLab PDF Library - (opensource)", created_at=T("2000-01-01")))
    assert verdict == "unverifiable" and "'ReportLab PDF Library - (opensource)'" in reason
    assert check_producer(doc(created_at=T("2024-01-01")))[1:] == (
        "unverifiable", "The file names no producer or creator tool, so neither can be dated.")
    assert "gives no date" in check_producer(doc(producer="LibreOffice 7.6"))[2]


# metadata_text_layer -----------------------------------------------------------------------------
def test_a_text_layer_over_a_scan_by_an_ocr_tool_or_an_update_is_unverifiable():
    _, verdict, reason = check_text_layer(doc(producer="OCRmyPDF 15.4 / Tesseract OCR-PDF 5.3", pages=2,
                                              pages_with_text=2, pages_with_images=2, pages_with_invisible_text=2))
    assert verdict == "unverifiable" and "by OCRmyPDF 15.4 / Tesseract OCR-PDF 5.3" in reason
    _, verdict, reason = check_text_layer(doc(pages=2, pages_with_text=2, pages_with_images=2,
                                              text_added_by_update=True, revision_producers=["Scanner", "Editor"]))
    assert verdict == "unverifiable" and "An incremental update added the text" in reason and "Scanner -> Editor" in reason


def test_a_plain_scan_or_a_born_digital_page_is_plausible():
    assert check_text_layer(doc(pages=3, pages_with_text=0, pages_with_images=3))[1] == "plausible"
    _, verdict, reason = check_text_layer(doc(pages=3, pages_with_text=3, pages_with_images=1))
    assert verdict == "plausible" and "not a scan under a text layer" in reason
    assert check_text_layer(doc(pages=None, pages_with_text=None))[1] == "unverifiable"


# assembled -------------------------------------------------------------------------------------
def test_metadata_claims_are_document_rows_with_the_line_columns_null():
    docs = pd.DataFrame([doc(document_id="a", created_at=T("2024-04-05"), modified_at=T("2024-04-03"),
                             period_end=dt.date(2024, 3, 31)),
                         doc(document_id="b", media_type="application/vnd.ms-excel")])
    out = check_metadata(docs)
    assert list(out.columns) == RESULT_COLUMNS
    assert sorted(out.loc[out["document_id"] == "a", "claim"]) == [
        "metadata_dates", "metadata_period", "metadata_producer", "metadata_text_layer"]
    assert "metadata_text_layer" not in set(out.loc[out["document_id"] == "b", "claim"])   # PDFs only
    assert out[["page", "table_index", "row_index"]].isna().all().all()
    assert out.loc[(out["document_id"] == "a") & (out["claim"] == "metadata_dates"), "verdict"].item() == "implausible"
    assert not out.duplicated(KEY).any()


def test_assess_adds_the_metadata_rows_to_the_line_rows():
    from tests.lib.verification.test_plausibility import CONSENSUS, SPECS, D, frame, line, network

    lines = frame(line())
    first_seen = pd.Series({"doc": D(2025, 1, 1)})
    without = assess(lines, SPECS, network(), CONSENSUS, first_seen)
    docs = pd.DataFrame([doc(created_at=T("2024-04-05"), modified_at=T("2024-04-03"))])
    both = assess(lines, SPECS, network(), CONSENSUS, first_seen, metadata=docs)
    assert len(both) == len(without) + 4 and not both.duplicated(KEY).any()
    assert both[both["claim"].str.startswith("metadata_")]["row_index"].isna().all()


@pytest.mark.parametrize("case", ["ocr", "update", "docx_reversed", "docx_sound"])
def test_the_rules_on_documents_built_and_read_back(tmp_path, case):
    if case == "ocr":
        path, claim, verdict = scan_pdf(tmp_path / "o.pdf", {"Producer": "OCRmyPDF 15.4.0"}, "Kosten", 2), "metadata_text_layer", "unverifiable"
    elif case == "update":
        path = append_update(scan_pdf(tmp_path / "u.pdf", {"Producer": "Scanner 1.0"}), "Editor 9", text="Umsatz")
        claim, verdict = "metadata_text_layer", "unverifiable"
    elif case == "docx_reversed":
        path = docx(tmp_path / "r.docx", "2024-05-02T10:00:00Z", "2024-04-30T10:00:00Z")
        claim, verdict = "metadata_dates", "implausible"
    else:
        path = docx(tmp_path / "s.docx", "2024-04-02T10:00:00Z", "2024-04-03T10:00:00Z")
        claim, verdict = "metadata_dates", "plausible"
    meta = metadata_frame([document_metadata(path, "doc")]).assign(period_start=None, period_end=dt.date(2024, 3, 31),
                                                                    company=None)
    out = check_metadata(meta).set_index("claim")
    assert out.loc[claim, "verdict"] == verdict, out.loc[claim, "reason"]
