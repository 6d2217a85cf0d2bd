"""Dataset readers: formats, column checks, label mapping, the known layouts."""

import gzip

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import read_dataset, read_table
from misinfo_clf._io import LAYOUTS, read_labelled

FRAME = pd.DataFrame(
    {
        "text": ["Uống nước chanh chữa ung thư", None, "123", "trời hôm nay đẹp, đi chơi ko"],
        "label": [1, 0, 0, 0],
        "likes": ["12", "1,2k", None, "-3"],
    }
)


def _write(df: pd.DataFrame, path) -> None:
    name = str(path)
    opener = gzip.open if name.endswith(".gz") else open
    if ".parquet" in name:
        df.to_parquet(path)
    elif ".jsonl" in name:
        with opener(path, "wt", encoding="utf-8") as f:
            f.write(df.to_json(orient="records", lines=True, force_ascii=False))
    else:
        df.to_csv(
            path,
            sep="\t" if ".tsv" in name else ",",
            index=False,
            compression="gzip" if name.endswith(".gz") else None,
        )


@pytest.mark.parametrize(
    "name",
    ["d.csv", "d.csv.gz", "d.tsv", "d.jsonl", "d.jsonl.gz", "d.parquet"],
    ids=["csv", "csv-gz", "tsv", "jsonl", "jsonl-gz", "parquet"],
)
def test_read_table_formats_give_the_same_frame(tmp_path, name):
    path = tmp_path / name
    _write(FRAME, path)
    df = read_table(path, text_col="text", label_col="label")
    assert list(df.columns) == ["text", "label", "likes"]
    assert df["text"].iloc[0] == "Uống nước chanh chữa ung thư"
    assert pd.isna(df["text"].iloc[1])
    # text stays text even when it looks like a number
    assert df["text"].iloc[2] == "123"
    assert df["label"].astype(int).tolist() == [1, 0, 0, 0]


def test_read_table_keeps_only_requested_columns(tmp_path):
    _write(FRAME, tmp_path / "d.csv")
    df = read_table(tmp_path / "d.csv", text_col="text", columns=["likes"])
    assert list(df.columns) == ["text", "likes"]


def test_missing_column_error_names_file_and_columns_found(tmp_path):
    _write(FRAME, tmp_path / "d.csv")
    with pytest.raises(
        ValueError,
        match=r"d\.csv: column\(s\) \['post'\] not found; the file "
        r"has columns \['text', 'label', 'likes'\]",
    ):
        read_table(tmp_path / "d.csv", text_col="post")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.csv not found"):
        read_table(tmp_path / "nope.csv", text_col="text")


@pytest.mark.parametrize(
    "content, match",
    [("", "the file is empty"), ("text,label\n", "no data rows")],
    ids=["empty-file", "header-only"],
)
def test_empty_data(tmp_path, content, match):
    (tmp_path / "d.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        read_table(tmp_path / "d.csv", text_col="text")


def test_malformed_csv_row_names_the_line(tmp_path):
    (tmp_path / "d.csv").write_text("text,label\nok,1\ntoo,many,fields\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"d\.csv: malformed CSV .*line 3"):
        read_table(tmp_path / "d.csv", text_col="text")


def test_malformed_jsonl_line(tmp_path):
    (tmp_path / "d.jsonl").write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"d\.jsonl: line 2 is not valid JSON"):
        read_table(tmp_path / "d.jsonl", text_col="text")
    (tmp_path / "e.jsonl").write_text('{"text": "a"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: expected a JSON object"):
        read_table(tmp_path / "e.jsonl", text_col="text")


def test_non_utf8_file(tmp_path):
    (tmp_path / "d.csv").write_bytes("text\nđường\n".encode("utf-16"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_table(tmp_path / "d.csv", text_col="text")


def test_unknown_suffix(tmp_path):
    (tmp_path / "d.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot tell the format"):
        read_table(tmp_path / "d.xlsx", text_col="text")


def test_read_labelled_maps_labels_and_coerces_metadata(tmp_path):
    _write(FRAME, tmp_path / "d.jsonl")
    data = read_labelled(
        tmp_path / "d.jsonl",
        text_col="text",
        label_col="label",
        labels={"0": "reliable", "1": "unreliable"},
        metadata=["likes"],
        name="mine",
        licence="MIT",
        split="train",
    )
    assert data.labels.tolist() == ["unreliable", "reliable", "reliable", "reliable"]
    likes = data.frame["likes"].to_numpy()
    assert likes[0] == 12 and np.isnan(likes[1]) and np.isnan(likes[2]) and likes[3] == -3
    assert data.nan_text_rows == [2]
    assert data.source == {
        "name": "mine",
        "path": "d.jsonl",
        "split": "train",
        "rows": 4,
        "licence": "MIT",
    }


def test_labels_compare_as_text_whatever_their_type(tmp_path):
    # 1.0 (a float column because of a missing value elsewhere would do this) and "1"
    df = pd.DataFrame({"text": ["a", "b"], "y": [1.0, 0.0]})
    df.to_parquet(tmp_path / "d.parquet")
    data = read_labelled(
        tmp_path / "d.parquet", text_col="text", label_col="y", labels={1: "bad", 0: "good"}
    )
    assert data.labels.tolist() == ["bad", "good"]


def test_unknown_label_lists_values_seen_and_mapping(tmp_path):
    pd.DataFrame({"text": list("abcd"), "y": [0, 1, 7, 1]}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(ValueError) as exc:
        read_labelled(
            tmp_path / "d.csv",
            text_col="text",
            label_col="y",
            labels={0: "reliable", 1: "unreliable"},
        )
    msg = str(exc.value)
    assert "d.csv: column 'y': unknown label(s) ['7'] (data rows 3," in msg
    assert "Values seen in the column: ['0', '1', '7']" in msg
    assert "{'0': 'reliable', '1': 'unreliable'}" in msg


def test_missing_label_is_an_error_with_rows(tmp_path):
    (tmp_path / "d.csv").write_text("text,y\na,0\nb,\nc,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"column 'y': 1 row\(s\) have no label \(data rows 2,"):
        read_labelled(tmp_path / "d.csv", text_col="text", label_col="y")


def test_layout_licences_are_recorded():
    assert LAYOUTS["reintel"].licence == "VLSP 2020 user agreement: research use only"
    assert LAYOUTS["vihsd"].licence == "research purposes only (UIT)"
    assert LAYOUTS["vispamreviews"].licence == "research purposes (UIT)"
    assert LAYOUTS["sample"].licence == "MIT, written for misinfo_clf"


def test_read_dataset_sample_corpus():
    data = read_dataset("sample", task="harmful")
    assert set(data.labels) == {"CLEAN", "OFFENSIVE", "HATE"}
    assert data.source["rows"] == len(data.frame) == 367
    misinfo = read_dataset("sample", task="misinformation")
    assert set(misinfo.labels) == {"reliable", "unreliable"}
    with pytest.raises(ValueError, match="set task = one of them"):
        read_dataset("sample")
    with pytest.raises(ValueError, match="has no split 'dev'"):
        read_dataset("sample", "dev", task="harmful")
    with pytest.raises(ValueError, match="unknown dataset layout 'vihds'"):
        read_dataset("vihds")


def test_layout_reads_from_data_dir(tmp_path):
    # a ViHSD-shaped file written here (not a copy of ViHSD)
    (tmp_path / "vihsd").mkdir()
    pd.DataFrame({"free_text": ["xin chào", "đồ ngu"], "label_id": [0, 1]}).to_csv(
        tmp_path / "vihsd" / "dev.csv", index=False
    )
    data = read_dataset("vihsd", "dev", data_dir=tmp_path)
    assert data.labels.tolist() == ["CLEAN", "OFFENSIVE"]
    assert data.source["name"] == "ViHSD (UIT)" and data.source["split"] == "dev"


@pytest.mark.shared_data
def test_shared_layouts(shared_datasets):
    dev = read_dataset("vihsd", "dev", data_dir=shared_datasets)
    assert len(dev.frame) == 2672 and set(dev.labels) == {"CLEAN", "OFFENSIVE", "HATE"}
    re = read_dataset("reintel", data_dir=shared_datasets)
    assert len(re.frame) == 3497 and set(re.labels) == {"reliable", "unreliable"}
    for col in LAYOUTS["reintel"].metadata:
        assert re.frame[col].dtype == float
    spam = read_dataset("vispamreviews", "test", data_dir=shared_datasets)
    assert set(spam.labels) == {"spam", "not_spam"}
