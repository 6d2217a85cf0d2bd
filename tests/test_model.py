import json
import threading
import unicodedata

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import Decision, Prediction, Thresholds, load_model

RUMOUR = "Uống nước chanh nóng mỗi sáng chữa khỏi ung thư, bác sĩ giấu không nói!!! Chia sẻ ngay"
CLEAN = "Hôm nay trời đẹp, cả nhà đi công viên chơi vui lắm"


@pytest.fixture(scope="module")
def model(small_model_dir):
    return load_model(small_model_dir)


def test_prediction_is_typed_and_immutable(model):
    (pred,) = model.predict([RUMOUR])
    assert isinstance(pred, Prediction)
    assert set(pred.heads) == {"misinformation", "harmful"}
    head = pred.heads["misinformation"]
    assert 0.0 <= head.probability <= 1.0
    assert head.label in ("reliable", "unreliable")
    assert isinstance(head.decision, Decision)
    assert pytest.approx(sum(pred.heads["harmful"].probabilities.values())) == 1.0
    assert pred.model_version == "test" and pred.model_name == "sample"
    with pytest.raises(AttributeError):
        pred.decision = Decision.PASS
    with pytest.raises(TypeError):
        pred.heads["x"] = None


def test_rumour_is_flagged_with_reasons_in_raw_text(model):
    (pred,) = model.predict([RUMOUR])
    assert pred.decision is Decision.FLAG
    assert pred.heads["misinformation"].decision is Decision.FLAG
    reasons = [r for r in pred.reasons if r.head == "misinformation"]
    assert reasons
    for r in reasons:
        assert RUMOUR[r.start : r.end] == r.text
        assert r.weight > 0
    assert any("chữa" in r.text or "ung" in r.text or "chanh" in r.text for r in reasons)


def test_reasons_spans_survive_normalization(model):
    raw = unicodedata.normalize(
        "NFD", "UỐNG   NƯỚC CHANH nóng chữa khỏiiii ung thư ko cần thuốc!!!"
    )
    (pred,) = model.predict([raw])
    assert pred.reasons
    for r in pred.reasons:
        assert raw[r.start : r.end] == r.text and r.text.strip()


def test_clean_post_passes(model):
    (pred,) = model.predict([CLEAN])
    assert pred.decision is Decision.PASS
    assert pred.reasons == ()


def test_overall_decision_is_most_severe(model):
    preds = model.predict([RUMOUR, CLEAN, "Đồ ngu như bò, cút đi đồ óc chó"])
    for p in preds:
        worst = max((h.decision for h in p.heads.values()), key=lambda d: d.severity)
        assert p.decision is worst


BAD = [
    ("number", 12345, "error: expected text, got int"),
    ("bad_bytes", b"\xff\xfe\xfa", "error: undecodable bytes"),
    ("huge", "tin giả " * 20_000, "error: text too long"),
]


@pytest.mark.parametrize(("value", "status"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_unreadable_input_goes_to_review(model, value, status):
    (pred,) = model.predict([value])
    assert pred.status.startswith(status)
    assert pred.notes == ()
    assert pred.decision is Decision.REVIEW
    assert all(np.isnan(h.probability) and h.label is None for h in pred.heads.values())


def test_good_bytes_are_decoded(model):
    (a,) = model.predict([RUMOUR.encode("utf-8")])
    (b,) = model.predict([RUMOUR])
    assert (
        a.status == "ok"
        and a.heads["misinformation"].probability == b.heads["misinformation"].probability
    )


def test_bare_string_is_refused(model):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        model.predict(RUMOUR)


def test_threshold_overrides(model):
    (base,) = model.predict([CLEAN])
    (low,) = model.predict([CLEAN], thresholds={"misinformation": {"flag": 0.0, "review": 0.0}})
    assert base.heads["misinformation"].decision is Decision.PASS
    assert low.heads["misinformation"].decision is Decision.FLAG
    with pytest.raises(KeyError, match="unknown head 'spam'"):
        model.predict([CLEAN], thresholds={"spam": {"flag": 1, "review": 1}})
    with pytest.raises(ValueError, match="must not be above the flag threshold"):
        Thresholds(flag=0.2, review=0.5)


def test_set_thresholds_on_loaded_model(small_model_dir):
    m = load_model(small_model_dir)
    m.set_thresholds("misinformation", flag=0.0, review=0.0)
    assert m.predict([CLEAN])[0].heads["misinformation"].decision is Decision.FLAG


def test_predict_frame_schema_and_order(model):
    df = pd.DataFrame(
        {
            "post_id": ["b", "a", "c", "d"],
            "text": [RUMOUR, CLEAN, None, "ok"],
            "num_like_post": [1, 2, 3, 4],
        },
        index=[10, 5, 7, 1],
    )
    out = model.predict_frame(df, id_col="post_id")
    assert list(out.columns) == model.output_columns("post_id")
    assert list(out.columns[:4]) == [
        "post_id",
        "misinformation_prob",
        "misinformation_label",
        "misinformation_decision",
    ]
    assert {"harmful_prob_CLEAN", "harmful_prob_HATE", "harmful_prob_OFFENSIVE"} <= set(out.columns)
    assert out["post_id"].tolist() == ["b", "a", "c", "d"]
    assert list(out.index) == [10, 5, 7, 1]
    assert out["decision"].tolist()[:2] == ["flag", "pass"]
    reasons = json.loads(out["reasons"].iloc[0])
    assert reasons and all({"head", "text", "start", "end", "weight"} <= set(r) for r in reasons)
    assert json.loads(out["reasons"].iloc[2]) == [{"code": "empty"}]
    np.testing.assert_allclose(out["harmful_prob"], 1 - out["harmful_prob_CLEAN"], atol=1e-12)
    frame_probs = out["misinformation_prob"].to_numpy()
    api_probs = [p.heads["misinformation"].probability for p in model.predict(df["text"].tolist())]
    np.testing.assert_allclose(frame_probs, api_probs)


def test_predict_frame_missing_column(model):
    with pytest.raises(KeyError, match=r"\['body'\] not found; columns are \['text'\]"):
        model.predict_frame(pd.DataFrame({"text": ["x"]}), text_col="body")


def test_model_predictions_match_the_pipeline(model):
    texts = [RUMOUR, CLEAN, "đồ ngu"]
    for name, head in model.heads.items():
        expected = head.pipeline.predict_proba(pd.DataFrame({"text": texts}))
        got = np.array(
            [[p.heads[name].probabilities[c] for c in head.labels] for p in model.predict(texts)]
        )
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_threads_give_serial_results(model):
    texts = [RUMOUR, CLEAN, "Đồ ngu như bò", "ko biết đc ko", "Chia sẻ để nhận quà 1 triệu"] * 4
    serial = [model.predict([t]) for t in texts]
    results = [None] * len(texts)

    def work(i):
        results[i] = model.predict([texts[i]])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == serial


def test_highlight_html_marks_raw_spans(model):
    from misinfo_clf import highlight_html

    text = "<b>" + RUMOUR
    (pred,) = model.predict([text])
    html_out = highlight_html(text, pred.reasons)
    assert "<mark" in html_out and "&lt;b&gt;" in html_out  # escaped
    frame = model.predict_frame(pd.DataFrame({"text": [text]}))
    assert highlight_html(text, json.loads(frame["reasons"][0])) == html_out
    assert highlight_html("abc", [{"code": "too_short"}]) == "abc"


def test_overlapping_evidence_becomes_one_short_phrase(model):
    from misinfo_clf._explain import MAX_PHRASE_WORDS, _phrases, _PostIndex

    raw = "Mày là cái loại như mày, đồ ngu!"
    post = _PostIndex(raw, model)
    spans = {(a, b): 1.0 for _, a, b in post.tokens}  # every word and sign...
    for (_, a, _), (_, _, b) in zip(post.tokens, post.tokens[1:], strict=False):
        spans[(a, b)] = 0.5  # ...and every bigram: one chain across the post
    phrases = _phrases(spans, post)
    text = post.nt.text
    for a, b, w, parts in phrases:
        words = [t for t, x, y in post.tokens if x >= a and y <= b and any(c.isalnum() for c in t)]
        assert 1 <= len(words) <= MAX_PHRASE_WORDS
        assert text[a].isalnum() and text[b - 1].isalnum()  # no punctuation at the edges
        assert w == pytest.approx(sum(spans[p] for p in parts))
    # the chain is cut into phrases that cover every word
    covered = " ".join(text[a:b] for a, b, _, _ in phrases)
    assert all(word in covered for word in ("mày", "loại", "ngu"))
    assert len(phrases) >= 2


def test_reasons_are_phrases_from_the_raw_post(model):
    (pred,) = model.predict([RUMOUR])
    for r in pred.reasons:
        assert RUMOUR[r.start : r.end] == r.text
        assert len(r.text.split()) <= 4 * 2  # a few words, never the whole post
