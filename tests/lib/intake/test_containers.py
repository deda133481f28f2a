"""Archives and e-mails become trees of documents (issue 19, point 1): pipelines/lib/intake/containers.py."""
import hashlib
import tarfile
from pathlib import Path

import pytest
from tests.e2e.hostile.archives import (
    bomb_zip,
    eml_bytes,
    encrypted_zip_bytes,
    nested_zip,
    seven_zip_bytes,
    tar_bytes,
    zip_bytes,
)

from pipelines.lib.common.settings import PROJECT_ROOT, load_settings
from pipelines.lib.intake.containers import Limits, local_file, member_problem, safe_basename
from pipelines.lib.intake.inventory import scan

SAMPLES = PROJECT_ROOT / "raw" / "cost_sheets"
CSV = (SAMPLES / "kostenblatt_export.csv").read_bytes()
XLSX = (SAMPLES / "cost_sheet_2024.xlsx").read_bytes()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def _scan(tmp_path, files: dict[str, bytes], limits=None):
    raw = tmp_path / "raw"
    for rel, data in files.items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data)
    return {r.path: r for r in scan(raw, tmp_path / "scratch", limits)}


def test_a_zip_with_a_nested_7z_and_an_email_become_a_tree_of_hashed_documents(tmp_path):
    inner = seven_zip_bytes([("inner/sheet.xlsx", XLSX)])
    records = _scan(tmp_path, {
        "cost_sheets/leak.zip": zip_bytes([("costs/q4.csv", CSV), ("nested.7z", inner)]),
        "cost_sheets/leak.tar.xz": tar_bytes([("q4.csv", CSV)], "w:xz"),
        "capex/mail.eml": eml_bytes([("q2.xlsx", XLSX)]),
    })
    zip_id = sha((tmp_path / "raw/cost_sheets/leak.zip").read_bytes())
    assert records["cost_sheets/leak.zip"].container == "zip"
    assert records["cost_sheets/leak.zip"].error is None
    csv = records["cost_sheets/leak.zip!/costs/q4.csv"]
    assert (csv.kind, csv.document_id, csv.parent_document_id, csv.member_path, csv.bytes, csv.media_type,
            csv.error) == ("cost_sheet", sha(CSV), zip_id, "costs/q4.csv", len(CSV), "text/csv", None)
    nested = records["cost_sheets/leak.zip!/nested.7z"]
    assert (nested.container, nested.document_id) == ("7z", sha(inner))
    sheet = records["cost_sheets/leak.zip!/nested.7z!/inner/sheet.xlsx"]
    assert (sheet.parent_document_id, sheet.member_path, sheet.document_id) == (sha(inner), "inner/sheet.xlsx",
                                                                                 sha(XLSX))
    assert records["cost_sheets/leak.tar.xz!/q4.csv"].document_id == sha(CSV)
    attachment = records["capex/mail.eml!/q2.xlsx"]
    assert (attachment.kind, attachment.document_id, attachment.member_path) == ("capex", sha(XLSX), "q2.xlsx")
    # a parser reads each member from its copy in the scratch folder, by hash
    local = local_file(tmp_path / "raw", tmp_path / "scratch", sheet.path, sheet.document_id)
    assert local.read_bytes() == XLSX and local.is_relative_to(tmp_path / "scratch") and local.suffix == ".xlsx"
    assert local_file(tmp_path / "raw", tmp_path / "scratch", "cost_sheets/leak.zip", zip_id) == \
        tmp_path / "raw/cost_sheets/leak.zip"
    # the same bytes are stored once per name; nothing is written into the raw folder
    assert list((tmp_path / "scratch").rglob("*.csv")) == [   # q4.csv from the zip and the tar: one file
        tmp_path / "scratch" / sha(CSV)[:2] / sha(CSV) / "q4.csv"]
    assert sorted(_tree(tmp_path / "raw")) == ["capex/mail.eml", "cost_sheets/leak.tar.xz", "cost_sheets/leak.zip"]


def test_a_rerun_on_unchanged_inputs_changes_nothing(tmp_path):
    files = {"cost_sheets/leak.zip": zip_bytes([("a.csv", CSV), ("b.7z", seven_zip_bytes([("c.xlsx", XLSX)]))])}
    first = _scan(tmp_path, files)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "scratch").rglob("*")}
    second = _scan(tmp_path, files)
    assert first == second
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "scratch").rglob("*")} == before


@pytest.mark.parametrize("name, reason", [
    ("../evil.csv", "'..'"), ("/etc/evil.csv", "absolute"), ("C:/evil.csv", "absolute"),
    ("a/../../evil.csv", "'..'"), ("a\\..\\evil.csv", "'..'"), ("bad\x00.csv", "NUL"), ("./", "without a name"),
])
def test_hostile_member_names_are_refused(name, reason):
    assert reason in member_problem(name)


def test_safe_basenames_keep_the_suffix_and_nothing_else():
    assert safe_basename("a/b/Kosten Q1 (final).xlsx") == "Kosten Q1 _final_.xlsx"
    assert safe_basename("x/..") == "member"
    assert "/" not in safe_basename("a/\u202e/evil\u202egpj.csv") and safe_basename("x/y.csv").endswith(".csv")


def test_hostile_archives_are_quarantined_with_a_reason_and_nothing_leaves_the_scratch_folder(tmp_path):
    devices = tar_bytes([("ok.csv", CSV)], "w:bz2")
    records = _scan(tmp_path, {
        "cost_sheets/traversal.zip": zip_bytes([("../evil.csv", CSV), ("/tmp/abs.csv", CSV), ("ok.csv", CSV)]),
        "cost_sheets/link.zip": zip_bytes([("passwd.csv", b"/etc/passwd")], symlinks=("passwd.csv",)),
        "cost_sheets/link.tar.gz": tar_bytes([], links={"passwd": "/etc/passwd"}),
        "cost_sheets/devices.tar.bz2": devices,
        "cost_sheets/bomb.zip": bomb_zip(4 << 20),
        "cost_sheets/many.zip": zip_bytes([(f"m{i}.txt", b"x") for i in range(30)]),
        "cost_sheets/deep.zip": nested_zip(4, ("sheet.csv", CSV)),
        "cost_sheets/encrypted.zip": encrypted_zip_bytes([("sheet.csv", CSV)]),
        "cost_sheets/encrypted.7z": seven_zip_bytes([("sheet.csv", CSV)], "secret"),
        "cost_sheets/inner_encrypted.zip": zip_bytes([("locked.7z", seven_zip_bytes([("s.csv", CSV)], "pw"))]),
        "cost_sheets/broken.zip": b"PK\x03\x04" + b"\x00" * 200,
        "cost_sheets/malformed.eml": b"\x00\x01 no header at all\r\n\r\nbody",
    }, Limits(max_members=20, max_depth=3))

    def error(path):
        return records[path].error

    assert "'..'" in error("cost_sheets/traversal.zip!/../evil.csv")
    assert records["cost_sheets/traversal.zip!/../evil.csv"].document_id is None
    assert "absolute" in error("cost_sheets/traversal.zip!//tmp/abs.csv")
    assert error("cost_sheets/traversal.zip!/ok.csv") is None and error("cost_sheets/traversal.zip") is None
    assert "link" in error("cost_sheets/link.zip!/passwd.csv")
    assert "link" in error("cost_sheets/link.tar.gz!/passwd")
    assert "compression ratio over 100:1" in error("cost_sheets/bomb.zip!/zeros.csv")
    assert "more than 20 members" in error("cost_sheets/many.zip")
    assert not [p for p in records if p.startswith("cost_sheets/many.zip!/")]
    assert "nested more than 3 deep" in error("cost_sheets/deep.zip!/level2.zip!/level3.zip!/level4.zip")
    assert error("cost_sheets/encrypted.zip") == "encrypted archive (no password)"
    assert error("cost_sheets/encrypted.7z") == "encrypted archive (no password)"
    assert error("cost_sheets/inner_encrypted.zip!/locked.7z") == "encrypted archive (no password)"
    assert "not a readable zip archive" in error("cost_sheets/broken.zip")
    assert "malformed e-mail" in error("cost_sheets/malformed.eml")
    # nothing was written outside the scratch folder, and in it only files named by their hash
    assert not Path("/tmp/abs.csv").exists() or Path("/tmp/abs.csv").read_bytes() != CSV
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "scratch"]
    assert not [p for p in tmp_path.rglob("*") if p.name in {"evil.csv", "abs.csv", "passwd", "passwd.csv",
                                                              "zeros.csv"} or p.is_symlink()]
    for path in (tmp_path / "scratch").rglob("*"):
        if path.is_file() and path.parent.name != "tmp":
            assert path.name.endswith(".members.json") or len(path.parent.name) == 64, path
    assert not list((tmp_path / "scratch" / "tmp").glob("*"))


def test_a_tree_over_the_byte_limit_is_quarantined_whole(tmp_path):
    records = _scan(tmp_path, {"cost_sheets/big.zip": zip_bytes([("a.csv", CSV), ("b.xlsx", XLSX)])},
                    Limits(max_bytes=len(CSV) + 10))
    assert "unpacks to more than" in records["cost_sheets/big.zip"].error
    assert list(records) == ["cost_sheets/big.zip"]
    assert not [p for p in (tmp_path / "scratch" / "tmp").rglob("*")]   # no half-written member left


def test_a_solid_7z_or_a_compressed_tar_bomb_is_measured_against_the_archive_size(tmp_path):
    zeros, ok = b"\0" * (4 << 20), b"a;b\n1;2\n"
    records = _scan(tmp_path, {"cost_sheets/bomb.7z": seven_zip_bytes([("z.csv", zeros), ("ok.csv", ok)]),
                               "cost_sheets/bomb.tar.gz": tar_bytes([("z.csv", zeros), ("ok.csv", ok)])})
    for archive in ("bomb.7z", "bomb.tar.gz"):
        assert "compression ratio over 100:1" in records[f"cost_sheets/{archive}!/z.csv"].error
        assert records[f"cost_sheets/{archive}!/ok.csv"].document_id == sha(ok)
    assert not [p for p in (tmp_path / "scratch").rglob("z.csv")]


def test_a_tar_device_entry_is_refused(tmp_path):
    import io

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("dev/null")
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
        archive.addfile(info)
    records = _scan(tmp_path, {"cost_sheets/dev.tar": buffer.getvalue()})
    assert "device" in records["cost_sheets/dev.tar!/dev/null"].error


def test_the_limits_come_from_the_environment():
    settings = load_settings({"LEAKPIPE_WAREHOUSE": "/w/leaks.duckdb", "LEAKPIPE_ARCHIVE_MAX_BYTES": "1000",
                              "LEAKPIPE_ARCHIVE_MAX_RATIO": "7.5", "LEAKPIPE_ARCHIVE_MAX_MEMBERS": "3",
                              "LEAKPIPE_ARCHIVE_MAX_DEPTH": "2"})
    assert (settings.archive_max_bytes, settings.archive_max_ratio, settings.archive_max_members,
            settings.archive_max_depth, settings.scratch_dir) == (1000, 7.5, 3, 2, Path("/w/scratch"))
    defaults = load_settings({"LEAKPIPE_WAREHOUSE": "/w/leaks.duckdb"})
    assert (defaults.archive_max_bytes, defaults.archive_max_ratio, defaults.archive_max_members,
            defaults.archive_max_depth) == (2 * 1024 ** 3, 100.0, 10_000, 5)
    with pytest.raises(ValueError, match="LEAKPIPE_ARCHIVE_MAX_DEPTH"):
        load_settings({"LEAKPIPE_ARCHIVE_MAX_DEPTH": "deep"})


def test_leakpipe_ingest_accepts_an_archive_and_refuses_a_hostile_one(tmp_path):
    from pipelines.lib.intake.ingest import IntakeError, copy_in, plan

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "leak.zip").write_bytes(zip_bytes([("costs/q4.csv", CSV), ("sheet.xlsx", XLSX)]))
    (drop / "evil.zip").write_bytes(zip_bytes([("ok.csv", CSV), ("../../evil.csv", CSV)]))
    (drop / "locked.7z").write_bytes(seven_zip_bytes([("s.csv", CSV)], "pw"))
    planned = plan(tmp_path / "raw", drop / "leak.zip")
    assert planned.folder == "cost_sheets" and "members are cost_sheets files" in planned.why
    assert copy_in(planned).read_bytes() == (drop / "leak.zip").read_bytes()
    with pytest.raises(IntakeError, match=r"member '../../evil.csv': a member path with '..': refused"):
        plan(tmp_path / "raw", drop / "evil.zip")
    with pytest.raises(IntakeError, match="encrypted archive"):
        plan(tmp_path / "raw", drop / "locked.7z", kind="cost_sheets")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "drop/evil.zip", "drop/leak.zip", "drop/locked.7z", "raw/cost_sheets/leak.zip"]
