"""The digests and plans behind skipping a mart's work: any changed cell, column, row order or shared
input is seen; unchanged documents are kept, changed and gone ones replaced."""
import numpy as np
import pandas as pd
import pytest

from pipelines.lib.warehouse import incremental as inc


def lines():
    return pd.DataFrame({"document_id": ["a", "a", "b"], "x": [1.0, np.nan, 3.0],
                         "flags": [["one"], [], np.array(["two"])], "when": pd.to_datetime(["2024-01-01"] * 3)})


def test_frames_digest_sees_every_change():
    base = inc.frames_digest({"lines": lines()}, "code")
    assert inc.frames_digest({"lines": lines()}, "code") == base            # same content, same digest
    changed = lines()
    changed.loc[1, "x"] = 0.0                                              # NaN -> 0 is a change, not "the same"
    assert inc.frames_digest({"lines": changed}, "code") != base
    listed = lines()
    listed.at[0, "flags"] = ["one", "more"]                                 # inside a list cell
    assert inc.frames_digest({"lines": listed}, "code") != base
    assert inc.frames_digest({"lines": lines().iloc[::-1]}, "code") != base  # row order
    assert inc.frames_digest({"lines": lines().rename(columns={"x": "y"})}, "code") != base
    assert inc.frames_digest({"lines": lines().astype({"x": "float32"})}, "code") != base
    assert inc.frames_digest({"lines": lines()}, "other code") != base
    assert inc.frames_digest({"other": lines()}, "code") != base
    assert inc.frames_digest({"lines": lines().iloc[0:0]}, "code") != inc.frames_digest({"lines": lines().iloc[0:0].drop(columns="x")}, "code")


def test_document_digests_change_only_for_the_document_whose_rows_changed():
    meta = pd.DataFrame({"document_id": ["c"], "producer": ["Word"]})
    before = inc.document_digests({"lines": lines(), "metadata": meta})
    assert sorted(before) == ["a", "b", "c"]      # c has metadata but no lines: a document too
    changed = lines()
    changed.loc[2, "x"] = 4.0
    after = inc.document_digests({"lines": changed, "metadata": meta})
    assert [d for d in before if before[d] != after[d]] == ["b"]
    moved = inc.document_digests({"lines": lines(), "metadata": meta.assign(document_id="a")})
    assert [d for d in sorted(set(before) | set(moved)) if before.get(d) != moved.get(d)] == ["a", "c"]


def test_plan():
    previous = {"": "shared", "a": "1", "b": "2", "gone": "3"}
    p = inc.plan(previous, "shared", {"a": "1", "b": "22", "new": "4"})
    assert (p.recompute, p.drop, p.everything, p.kept) == (["b", "new"], ["b", "gone", "new"], False, 1)
    assert inc.plan(previous, "shared", {"a": "1", "b": "2", "gone": "3"}).nothing_to_do
    # a changed shared input, or nothing stored (a new warehouse): every document, from scratch
    for stored, shared in ((previous, "other"), ({}, "shared")):
        p = inc.plan(stored, shared, {"a": "1", "b": "2"})
        assert (p.recompute, p.everything, p.nothing_to_do) == (["a", "b"], True, False)


@pytest.fixture
def con(tmp_path):
    from pipelines.resources import WarehouseResource

    with WarehouseResource(path=str(tmp_path / "w.duckdb")).handle().connect() as c:
        yield c


def test_digests_are_stored_per_mart(con):
    inc.store_documents(con, "marts.x", "s1", {"a": "1", "b": "2"})
    inc.store_whole(con, "marts.y", "w1")
    assert inc.stored(con, "marts.x") == {"": "s1", "a": "1", "b": "2"}
    assert inc.whole_unchanged(con, "marts.y", "w1") and not inc.whole_unchanged(con, "marts.y", "w2")
    inc.store_documents(con, "marts.x", "s2", {"a": "1"})
    assert inc.stored(con, "marts.x") == {"": "s2", "a": "1"}
    assert inc.stored(con, "marts.y") == {"": "w1"}
    assert not inc.whole_unchanged(con, "marts.z", "w1")
