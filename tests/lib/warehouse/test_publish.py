"""Publishing copies only when the content changed, and keeps the reader guarantees: an open reader
keeps the last published state, and a publish killed mid-copy leaves the previous file whole."""
import duckdb
import pytest

import pipelines.lib.warehouse.publish as publish_module
from pipelines.lib.warehouse.publish import clone_or_copy, record_path, staging_path
from pipelines.lib.warehouse.store import Warehouse


def _built(tmp_path, rows=(1, 2, 3)) -> Warehouse:
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with wh.connect() as con:
        con.execute("CREATE TABLE core.t (v INTEGER, s VARCHAR)")
        con.executemany("INSERT INTO core.t VALUES (?, ?)", [(v, f"row {v}") for v in rows])
    wh.publish()
    assert wh.last_publish.copied
    return wh


def _count(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM core.t").fetchone()[0]


def test_an_unchanged_working_file_is_not_copied_again(tmp_path):
    wh = _built(tmp_path)
    inode = wh.published.stat().st_ino
    with wh.connect() as con:                    # a run that only reads
        con.execute("SELECT count(*) FROM core.t").fetchall()
    wh.publish()
    assert wh.published.stat().st_ino == inode   # the same file: nothing was copied or renamed
    assert not wh.last_publish.copied and wh.last_publish.bytes == 0
    assert "unchanged" in wh.last_publish.reason


def test_changed_content_is_published_and_an_open_reader_keeps_the_previous_state(tmp_path):
    wh = _built(tmp_path)
    reader = duckdb.connect(str(wh.published), read_only=True)
    with wh.connect() as con:
        con.execute("INSERT INTO core.t VALUES (4, 'row 4')")
    wh.publish()
    assert wh.last_publish.copied and wh.last_publish.reason == "the working file was written since the last publish"
    assert wh.last_publish.bytes == wh.work_path.stat().st_size
    assert reader.execute("SELECT count(*) FROM core.t").fetchone()[0] == 3
    reader.close()
    assert _count(wh.published) == 4


@pytest.mark.parametrize("change", ["same rows written again", "comment", "view"])
def test_any_write_to_the_working_file_is_published(tmp_path, change):
    """Skipping is decided on the working file's identity, never on a guess about its content."""
    wh = _built(tmp_path, rows=(1, 2))
    inode = wh.published.stat().st_ino
    with wh.connect() as con:
        if change == "same rows written again":
            con.execute("DELETE FROM core.t")
            con.executemany("INSERT INTO core.t VALUES (?, ?)", [(v, f"row {v}") for v in (2, 1)])
        elif change == "comment":
            con.execute("COMMENT ON COLUMN core.t.v IS 'a number'")
        else:
            con.execute("CREATE VIEW views.t_view AS SELECT v FROM core.t")
    wh.publish()
    assert wh.last_publish.copied and wh.published.stat().st_ino != inode
    if change != "same rows written again":
        with duckdb.connect(str(wh.published), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 't_view'").fetchone()[0] + \
                con.execute("SELECT count(*) FROM duckdb_columns() WHERE comment = 'a number'").fetchone()[0] == 1


@pytest.mark.parametrize("tamper", ["deleted", "replaced"])
def test_a_published_file_changed_behind_the_pipeline_is_published_again(tmp_path, tamper):
    wh = _built(tmp_path)
    if tamper == "deleted":
        wh.published.unlink()
    else:
        wh.published.write_bytes(b"not a warehouse")
    wh.publish()
    assert wh.last_publish.copied
    assert _count(wh.published) == 3


def test_a_publish_killed_during_the_copy_leaves_the_previous_file_whole_and_is_redone(tmp_path, monkeypatch):
    wh = _built(tmp_path)
    before = wh.published.read_bytes()
    with wh.connect() as con:
        con.execute("INSERT INTO core.t VALUES (4, 'row 4')")

    def killed(src, dst):
        dst.write_bytes(src.read_bytes()[:1000])   # a torn staging file, then the process dies
        raise KeyboardInterrupt

    monkeypatch.setattr(publish_module, "clone_or_copy", killed)
    with pytest.raises(KeyboardInterrupt):
        wh.publish()
    assert wh.published.read_bytes() == before and _count(wh.published) == 3
    monkeypatch.undo()
    wh.publish()                                   # the next run publishes, the torn staging file replaced
    assert wh.last_publish.copied and _count(wh.published) == 4
    assert not staging_path(wh.published).exists()


def test_a_lost_record_means_a_copy_not_a_skip(tmp_path):
    wh = _built(tmp_path)
    record_path(wh.published).unlink()
    wh.publish()
    assert wh.last_publish.copied and "no record" in wh.last_publish.reason


def test_clone_or_copy_copies_every_byte(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(bytes(range(256)) * 40_000)   # ~10 MB, several copy_file_range calls on some kernels
    method = clone_or_copy(src, tmp_path / "dst.bin")
    assert (tmp_path / "dst.bin").read_bytes() == src.read_bytes()
    assert method in {"reflink", "copy_file_range", "copyfile"}
