"""The dask engine gives the local engine's output, row by row, on a real LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("dask.dataframe", reason="dask engine needs: pip install 'misinfo_clf[dask]'")
distributed = pytest.importorskip("distributed", reason="pip install 'misinfo_clf[dask]'")

from misinfo_clf import load_model, score_file  # noqa: E402
from misinfo_clf.batch import read_output  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, example_dump_path):
    d = tmp_path_factory.mktemp("dask_in")
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(90)
    # context to carry (--keep) and counts that order the queue by reach
    df["url"] = [f"https://example.com/p/{i}" for i in range(len(df))]
    df["shares"] = [str(i * 37 % 1000) for i in range(len(df))]
    df.iloc[:40].to_csv(d / "a.csv", index=False)
    df.iloc[:0].to_csv(d / "b.csv", index=False)  # header only: an empty partition
    df.iloc[40:].to_csv(d / "c.csv", index=False)
    df.to_parquet(d / "all.parquet", index=False, row_group_size=16)
    return d, df


@pytest.mark.slow
@pytest.mark.parametrize("pattern", ["*.csv", "all.parquet"], ids=["csv-glob", "parquet"])
def test_dask_equals_local_row_by_row(tmp_path, cluster, inputs, small_model_dir, pattern):
    d, df = inputs
    model = load_model(small_model_dir)
    local = score_file(
        str(d / pattern),
        tmp_path / "local.parquet",
        model=model,
        jobs=1,
        queue=tmp_path / "lq.csv",
        queue_abstain=True,
        keep=["url"],
    )
    s = score_file(
        str(d / pattern),
        tmp_path / "dask.parquet",
        model=model,
        engine="dask",
        scheduler=cluster.scheduler_address,
        queue=tmp_path / "q.csv",
        queue_abstain=True,
        keep=["url"],
    )
    got, want = read_output(tmp_path / "dask.parquet"), read_output(tmp_path / "local.parquet")
    assert got["id"].tolist() == df["id"].tolist()
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert s["rows_read"] == local["rows_read"] == len(df)
    assert s["flagged"] == local["flagged"] and s["queue_rows"] > 0
    # the dump holds an empty post and an emoji-only one: they abstain, and join the queue
    assert s["rows_abstained"] == local["rows_abstained"] == 2
    q, lq = (
        pd.read_csv(tmp_path / f, dtype=str, keep_default_na=False) for f in ("q.csv", "lq.csv")
    )
    assert q["id"].tolist() == lq["id"].tolist()
    assert got["url"].tolist() == df["url"].tolist()  # context carried by both engines
    pd.testing.assert_frame_equal(q, lq)  # reach, signals, why and url included
    assert (q["decision"] == "abstain").sum() == 2
    # the queue candidates spilled next to the output are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["local.parquet", "lq.csv", "dask.parquet", "q.csv"]
    )


def test_dask_engine_refuses_resume(tmp_path, inputs, small_model_dir):
    d, _ = inputs
    with pytest.raises(ValueError, match="resume"):
        score_file(
            d / "a.csv", tmp_path / "o.csv", model=small_model_dir, engine="dask", resume=True
        )


UNCLOSED = {
    # no quote after the bad one: the quoted field runs to the end of the file
    "runs-to-the-end": [
        ["r1", "bài đầu tiên bình thường"],
        ["r2", '"một bài viết\nnhiều dòng, hợp lệ\n\nkết thúc"'],
        ["r3", '"câu trích dẫn không bao giờ đóng'],
        ["r4", "bài sau đó vẫn đọc được"],
        ["r5", "bài thứ năm, có dấu phẩy"],
        ["", "bài không có id"],
        ["r7", "bài cuối"],
    ],
    # the next quote closes it, and a letter follows: the swallowed lines end there
    "closed-by-a-later-quote": [
        ["r1", "bài đầu tiên bình thường"],
        ["r2", '"một bài viết\nnhiều dòng, hợp lệ\n\nkết thúc"'],
        ["r3", '"câu trích dẫn không bao giờ đóng'],
        ["r4", "bài sau đó vẫn đọc được"],
        ["r5", '"bài có ""ngoặc"" và\nxuống dòng"'],
        ["r6", "bài thừa một trường", "x"],
        ["r7", "bài cuối"],
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("blocksize", [40, "16MB"], ids=["many-blocks", "one-block"])
@pytest.mark.parametrize("name", ["in.csv", "in.tsv", "in.csv.gz"], ids=["csv", "tsv", "csv.gz"])
@pytest.mark.parametrize("case", list(UNCLOSED))
def test_dask_reads_malformed_csv_records_as_the_local_engine_does(
    tmp_path, cluster, small_model_dir, case, name, blocksize
):
    import gzip

    sep = "\t" if ".tsv" in name else ","
    data = ("id" + sep + "text\n" + "".join(sep.join(r) + "\n" for r in UNCLOSED[case])).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    from misinfo_clf.batch._dask import score_dask

    model = load_model(small_model_dir)
    local = score_file(path, tmp_path / "local.parquet", model=model, jobs=1, chunk_size=2)
    s = score_dask(
        [path],
        tmp_path / "dask.parquet",
        model=model,
        scheduler=cluster.scheduler_address,
        blocksize=blocksize,
    )
    got, want = read_output(tmp_path / "dask.parquet"), read_output(tmp_path / "local.parquet")
    # one row per record, the unclosed quote one error row, the rows after it kept
    assert len(got) == 7 and got["status"].str.startswith("error").sum() >= 1
    assert got["status"].iloc[2].startswith("error: unreadable CSV record at line 7")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert s["rows_errored"] == local["rows_errored"]
    # small blocks: several partitions, cut where a record starts
    assert s["partitions"] >= (3 if blocksize == 40 and not name.endswith(".gz") else 1)
