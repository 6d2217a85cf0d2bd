"""The multi-head model: predict, predict_frame, and the typed results.

Each post is normalized and tokenized once (:func:`~misinfo_clf.text._views.views_of`);
every head reads the same views through its serving form
(:class:`~misinfo_clf._serving.ServingHead`: plain arrays compiled from the head's
fitted pipeline), the one inference path of ``predict``, ``predict_frame``, batch
scoring and the Dask engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from ._explain import Reason, explain_canonical, raw_reasons
from ._serving import ServingHead, compile_head
from ._thresholds import (
    LABEL_RULES,
    Decision,
    Thresholds,
    band,
    deciding_head,
    head_labels,
    overall_decision,
)
from ._types import ThresholdOverrides
from ._validation import abstains, check_columns, read_value, text_notes
from .text._views import Views

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from sklearn.pipeline import Pipeline

__all__ = ["Head", "HeadResult", "Prediction", "Model", "score_frame"]

MAX_CHARS = 100_000


class _LazyPipeline:
    """``Head.pipeline``: the fitted scikit-learn pipeline, loaded on first access when the
    head was read from a serving file (serving itself never needs it)."""

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError("pipeline")  # no default: a required dataclass field
        pipe = obj.__dict__.get("_pipeline")
        if pipe is None and obj.__dict__.get("_pipeline_loader") is not None:
            pipe = obj.__dict__.pop("_pipeline_loader")(obj.name)
            obj.__dict__["_pipeline"] = pipe
        return pipe

    def __set__(self, obj, value):
        if isinstance(value, DeferredPipeline):
            obj.__dict__["_pipeline"] = None
            obj.__dict__["_pipeline_loader"] = value.loader
            obj.__dict__["_serving"] = value.serving
            return
        obj.__dict__["_pipeline"] = value
        obj.__dict__.pop("_serving", None)  # compiled again from the new pipeline


class DeferredPipeline:
    """What to pass as ``Head(pipeline=...)`` for a head read from a serving file: its
    serving form now, the pipeline from ``loader(name)`` when someone asks for it."""

    def __init__(self, serving: ServingHead, loader=None):
        self.serving = serving
        self.loader = loader


@dataclass
class Head:
    """One classification task of a :class:`Model`.

    Attributes
    ----------
    name : str
        ``misinformation``, ``harmful``, ...
    pipeline : sklearn.pipeline.Pipeline
        Built by :func:`~misinfo_clf.build_pipeline` and fitted; steps ``views``,
        ``features``, ``clf``.
    clean_label : str
        The negative class (``reliable``, ``CLEAN``). The head's score is
        ``1 - P(clean_label)``.
    thresholds : Thresholds
        Decision bands on that score.
    metadata : tuple of str
        Numeric columns the head was trained with.
    class_offsets : tuple of float or None
        Added to the log-probabilities before the arg-max that picks ``label``
        (tuned on validation data for macro-F1). ``None``: plain arg-max.
    label_rule : {"calibrated", "thresholds", "balanced"}, default="calibrated"
        How ``label`` is chosen (see :data:`misinfo_clf._thresholds.LABEL_RULES`):
        arg-max of the calibrated probabilities; per-class thresholds on them
        (``info["class_thresholds"]``, chosen on validation data); or the decision of
        the class-weighted linear model inside the calibration (older models: it can
        disagree with the probabilities). Probabilities and bands are calibrated either way.
    info : dict
        Training data (names, licences, rows), metrics, threshold targets: saved
        in the manifest and shown in the model card.
    serving : ServingHead
        The head compiled for serving (read-only; compiled from ``pipeline`` on first
        use, or read from the model directory's serving file).
    """

    name: str
    if TYPE_CHECKING:  # a required field: type checkers take any class-level value for a default
        pipeline: Pipeline
    else:  # dataclasses ask the descriptor for a default: it has none (required, positional)
        pipeline: Pipeline = _LazyPipeline()
    clean_label: str
    thresholds: Thresholds
    metadata: tuple[str, ...] = ()
    class_offsets: tuple[float, ...] | None = None
    info: dict = field(default_factory=dict)
    label_rule: str = "calibrated"

    @property
    def serving(self) -> ServingHead:
        serving = self.__dict__.get("_serving")
        if serving is None:
            serving = self.__dict__["_serving"] = compile_head(self.pipeline)
        return serving

    @property
    def labels(self) -> tuple[str, ...]:
        """Class names, in the order of the pipeline's ``classes_``."""
        pipe = self.__dict__.get("_pipeline")
        if pipe is not None:
            return tuple(str(c) for c in pipe.classes_)
        return tuple(self.serving.classes)

    @property
    def views_settings(self) -> dict:
        """``{"mode", "teencode"}`` of the head's text views."""
        pipe = self.__dict__.get("_pipeline")
        if pipe is not None:
            params = pipe.named_steps["views"].get_params()
            return {"mode": params["mode"], "teencode": bool(params["teencode"])}
        return dict(self.serving.spec["views"])

    @property
    def is_multiclass(self) -> bool:
        return len(self.labels) > 2

    def __post_init__(self):
        labels = self.labels
        if self.clean_label not in labels:
            raise ValueError(
                f"head {self.name!r}: clean_label {self.clean_label!r} is not one of the "
                f"classes {list(labels)}."
            )
        if self.label_rule not in LABEL_RULES:
            raise ValueError(
                f"head {self.name!r}: label_rule must be one of {LABEL_RULES}, got {self.label_rule!r}."
            )
        if self.label_rule == "balanced" and self.serving.model.calibration is None:
            raise ValueError(
                f"head {self.name!r}: label_rule='balanced' needs a linear model inside calibration."
            )
        if self.label_rule == "thresholds" and not isinstance(
            self.info.get("class_thresholds"), Mapping
        ):
            raise ValueError(
                f"head {self.name!r}: label_rule='thresholds' needs info['class_thresholds']."
            )
        if self.class_offsets is not None and len(self.class_offsets) != len(labels):
            raise ValueError(
                f"head {self.name!r}: class_offsets has {len(self.class_offsets)} values but "
                f"there are {len(labels)} classes."
            )


@dataclass(frozen=True)
class HeadResult:
    """What one head says about one post."""

    head: str
    probability: float
    label: str
    decision: Decision
    probabilities: Mapping[str, float]


@dataclass(frozen=True)
class Prediction:
    """The result for one post. Immutable.

    Attributes
    ----------
    heads : mapping of str to HeadResult
    decision : Decision
        The most severe band over heads; ``abstain`` when the post has no text.
    reasons : tuple of Reason
        The phrases that pushed the score of each flagged or reviewed head up most,
        with their spans in the original text; the deciding head's first.
    notes : tuple of str
        ``empty`` or ``no_text``: nothing to score, the post abstains (decision
        ``abstain``, NaN probabilities). ``too_short``, ``unknown_language``: for the
        reviewer only; the scores decide. See :mod:`misinfo_clf._validation`.
    status : str
        ``ok``, or ``error: ...`` when the input could not be read (then the
        decision is ``review`` and the probabilities are NaN).
    model_name, model_version : str
    deciding_head : str or None
        The head in the most severe band, then the one furthest above its review
        threshold (None when no head scored the post).
    """

    heads: Mapping[str, HeadResult]
    decision: Decision
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...]
    status: str
    model_name: str
    model_version: str
    deciding_head: str | None = None


def output_columns(
    head_labels: Mapping[str, Sequence[str]], id_col: str | None = None
) -> list[str]:
    """Output columns for heads given as ``{name: class labels}`` (see Model.output_columns)."""
    cols = [id_col] if id_col else []
    for name, labels in head_labels.items():
        cols.append(f"{name}_prob")
        if len(labels) > 2:
            cols.extend(f"{name}_prob_{lab}" for lab in labels)
        cols.extend([f"{name}_label", f"{name}_decision"])
    return cols + ["decision", "deciding_head", "reasons", "status", "model_version"]


def metadata_columns(per_head) -> tuple[str, ...]:
    """Metadata columns over heads (each an iterable of names), first seen first, once each."""
    cols: list[str] = []
    for names in per_head:
        cols.extend(c for c in names if c not in cols)
    return tuple(cols)


def base_estimator(clf):
    """The class-weighted linear model inside ``CalibratedClassifierCV(ensemble=False)``."""
    cals = getattr(clf, "calibrated_classifiers_", None)
    if cals is None or len(cals) != 1 or not hasattr(cals[0].estimator, "decision_function"):
        return None
    return cals[0].estimator


class Model:
    """Several heads served together; what :func:`~misinfo_clf.load_model` returns.

    Parameters
    ----------
    heads : sequence of Head
        All heads must share the same :class:`~misinfo_clf.text.TextViews` settings
        (tokenizer mode and teencode).
    name, version : str
        Shown in every result.
    min_tokens : int, default=2
        Posts with fewer words get the note ``too_short`` (informational: they are
        scored like any post).
    max_unknown : float, default=0.6
        Posts whose share of words unknown to the model is above this get the note
        ``unknown_language`` (informational: they are scored like any post).
    max_chars : int, default=100000
        Longer inputs get an error status instead of a score.
    profile : TrafficProfile, optional
        Scores of every head on a sample of everyday posts (see
        :mod:`misinfo_clf._profile`): what share of ordinary traffic each band takes.
    validation : mapping of head to (y_positive, scores), optional
        Each head's validation scores (no text), kept so that bands can be re-sized.
    """

    def __init__(
        self,
        heads: Sequence[Head],
        *,
        name: str = "misinfo_clf",
        version: str = "0",
        min_tokens: int = 2,
        max_unknown: float = 0.6,
        max_chars: int = MAX_CHARS,
        profile=None,
        validation: Mapping | None = None,
    ):
        if not heads:
            raise ValueError("a model needs at least one head.")
        self.heads = {h.name: h for h in heads}
        if len(self.heads) != len(heads):
            raise ValueError(f"head names must be unique, got {[h.name for h in heads]}.")
        self.name = name
        self.version = version
        self.min_tokens = min_tokens
        self.max_unknown = max_unknown
        self.max_chars = max_chars
        params = {json.dumps(h.views_settings, sort_keys=True) for h in heads}
        if len(params) != 1:
            raise ValueError(
                f"all heads must share the same TextViews settings, got {sorted(params)}."
            )
        self._vocab: set[str] | None = None
        #: the manifest and directory a model was loaded from (set by load_model)
        self.manifest: dict = {}
        self.path: Path | None = None
        #: how the model was trained: config, seed, seconds (set by train)
        self.training: dict = {}
        self.profile = profile
        self.validation = dict(validation or {})

    # -- helpers ------------------------------------------------------------------------

    @property
    def views(self) -> Views:
        """The view settings every head reads (tokenizer mode, teencode)."""
        spec = next(iter(self.heads.values())).views_settings
        return Views(mode=spec["mode"], teencode=spec["teencode"])

    @property
    def metadata_columns(self) -> tuple[str, ...]:
        return metadata_columns(h.metadata for h in self.heads.values())

    def _known_words(self) -> set:
        if self._vocab is None:
            vocab: set = set()
            for h in self.heads.values():
                vocab |= h.serving.known_words()
            self._vocab = vocab
        return self._vocab

    def _notes(self, views: Mapping) -> list[tuple[str, ...]]:
        return text_notes(
            views, self._known_words(), min_tokens=self.min_tokens, max_unknown=self.max_unknown
        )

    @staticmethod
    def _metadata(head: Head, meta, ok: np.ndarray) -> dict:
        """The head's metadata columns for the readable rows; absent columns are NaN."""
        cols = {}
        for c in head.metadata:
            if meta is not None and c in meta.columns:
                cols[c] = meta[c].to_numpy()[ok]
            else:
                cols[c] = np.full(len(ok), np.nan)
        return cols

    def _thresholds(self, overrides) -> dict[str, Thresholds]:
        out = {name: h.thresholds for name, h in self.heads.items()}
        for name, value in (overrides or {}).items():
            if name not in self.heads:
                raise KeyError(f"unknown head {name!r}; heads are {list(self.heads)}.")
            out[name] = value if isinstance(value, Thresholds) else Thresholds.from_dict(value)
        return out

    def set_thresholds(
        self, head: str, *, flag: float | None = None, review: float | None = None
    ) -> None:
        """Change a head's thresholds for this loaded model."""
        if head not in self.heads:
            raise KeyError(f"unknown head {head!r}; heads are {list(self.heads)}.")
        old = self.heads[head].thresholds
        self.heads[head].thresholds = Thresholds(
            flag=old.flag if flag is None else flag, review=old.review if review is None else review
        )

    # -- scoring ------------------------------------------------------------------------

    def _score(
        self,
        values: Sequence,
        meta,
        thresholds,
        explain: bool,
        max_reasons: int,
        keep_features: bool = False,
    ):
        """Score raw values; returns a dict of per-row arrays/lists (see score_frame).

        Each readable post is normalized once (:func:`~misinfo_clf.text._normalize.normalize_post`,
        once per distinct raw text); features, notes, the dedupe key and reasons read that
        result (``out["posts"]``). Posts with the same canonical text (and the same
        metadata cells) are scored once: a post's probabilities do not depend on the
        other rows, so this changes nothing but the time. Their reasons are found once in
        the canonical text and mapped to each post's own raw text.

        ``keep_features``: keep each head's ``_feats`` (features of the distinct posts, and
        the row of each) in the result (tests compare reasons implementations on them).
        """
        n = len(values)
        read = [read_value(v, self.max_chars) for v in values]
        texts = [t for t, _ in read]
        status = np.array([s for _, s in read], dtype=object)
        readable = np.flatnonzero(status == "ok").tolist()
        posts = self._normalized(texts, readable)
        reps, rep_of = self._distinct(readable, posts, meta)
        rep_posts = [posts[i] for i in reps]
        views = self.views.views_of([p.text for p in rep_posts], [p.chunks for p in rep_posts])
        rep_notes = self._notes(views)
        scored_k = [k for k, note in enumerate(rep_notes) if not abstains(note)]
        if len(scored_k) < len(reps):
            views = {c: [v[k] for k in scored_k] for c, v in views.items()}
        notes: list[tuple[str, ...]] = [()] * n
        for i in readable:
            notes[i] = rep_notes[rep_of[i]]
        # the scored representatives (rows), and for every scored row its feature row
        ok_rep = np.asarray([reps[k] for k in scored_k], dtype=np.int64)
        feat_row = np.full(len(reps), -1, dtype=np.int64)
        feat_row[scored_k] = np.arange(len(scored_k))
        readable_a = np.asarray(readable, dtype=np.int64)
        fr = feat_row[rep_of[readable_a]] if len(readable_a) else np.zeros(0, dtype=np.int64)
        ok = readable_a[fr >= 0]
        ok_feat = fr[fr >= 0]
        abstain = np.zeros(n, dtype=bool)
        abstain[readable_a] = True
        abstain[ok] = False
        error = status != "ok"
        th = self._thresholds(thresholds)
        out: dict = {
            "status": status,
            "notes": notes,
            "heads": {},
            "thresholds": th,
            "posts": posts,
        }
        shared: dict = {}  # words and n-grams of the chunk, numbered once for every head
        if len(ok_rep) > 1:  # and looked up once in the heads' merged vocabularies
            shared["vocabularies"] = self._merged_vocabularies()
        for name, head in self.heads.items():
            labels = head.labels
            proba = np.full((n, len(labels)), np.nan)
            feats = None
            base = None
            if len(ok):
                X = views
                if head.metadata:
                    X = {**views, **self._metadata(head, meta, ok_rep)}
                feats = head.serving.features(X, shared)
                if head.label_rule == "balanced":
                    rep_proba, rep_base = head.serving.predict_proba_and_base(feats)
                    base = rep_base[ok_feat]
                else:
                    rep_proba = head.serving.predict_proba(feats)
                proba[ok] = rep_proba[ok_feat]
            clean = labels.index(head.clean_label)
            score = 1.0 - proba[:, clean]
            label = np.full(n, None, dtype=object)
            if base is not None:
                label[ok] = base
            elif len(ok):
                label[ok] = head_labels(
                    proba[ok],
                    labels,
                    head.clean_label,
                    offsets=head.class_offsets,
                    class_thresholds=head.info.get("class_thresholds"),
                )
            decision = band(score, th[name])
            decision[error] = Decision.REVIEW.value
            decision[abstain] = Decision.ABSTAIN.value
            out["heads"][name] = {
                "proba": proba,
                "score": score,
                "label": label,
                "decision": decision,
            }
            out["heads"][name]["_feats"] = (feats, ok_rep)
        out["decision"] = overall_decision([h["decision"] for h in out["heads"].values()], n)
        out["deciding_head"] = deciding_head(
            {
                name: (h["decision"], h["score"], th[name].review)
                for name, h in out["heads"].items()
            },
            n,
        )
        out["reasons"] = [()] * n
        if explain:
            found = explain_canonical(self, texts, out, max_reasons=max_reasons, posts=posts)
            rep_row = [reps[k] if k >= 0 else -1 for k in rep_of.tolist()]
            out["reasons"] = _mapped_reasons(found, ok, rep_row, posts, out)
        if not keep_features:
            for h in out["heads"].values():
                del h["_feats"]
        return out

    def _merged_vocabularies(self) -> dict:
        """The heads' vocabularies of the same view merged (built on first batch use)."""
        servings = [h.serving for h in self.heads.values()]
        key = tuple(map(id, servings))
        found = self.__dict__.get("_merged")
        if found is None or found[0] != key:  # first use, or a head was compiled again
            from ._serving import merged_vocabularies

            found = self.__dict__["_merged"] = (key, merged_vocabularies(servings))
        return found[1]

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_merged", None)  # built again where needed (it is keyed by object ids)
        return state

    def _normalized(self, texts: list[str], rows: list[int]) -> list:
        """Each row's :class:`~misinfo_clf.text._normalize.Normalized` (None for the rows
        not in ``rows``), normalized once per distinct raw text."""
        from .text._normalize import normalize_post

        teencode = self.views.teencode
        by_raw: dict = {}
        posts: list = [None] * len(texts)
        for i in rows:
            t = texts[i]
            post = by_raw.get(t)
            if post is None:
                post = by_raw[t] = normalize_post(t, teencode=teencode)
            posts[i] = post
        return posts

    def _distinct(self, rows: list[int], posts: list, meta) -> tuple[list[int], np.ndarray]:
        """(one representative row per canonical text and metadata cells, each row's
        position in that list, -1 for rows not in ``rows``)."""
        first: dict = {}
        reps: list[int] = []
        rep_of = np.full(len(posts), -1, dtype=np.int64)
        for i, key in zip(rows, self._dedupe_keys(rows, posts, meta), strict=True):
            k = first.get(key)
            if k is None:
                k = first[key] = len(reps)
                reps.append(i)
            rep_of[i] = k
        return reps, rep_of

    def _dedupe_keys(self, rows: list[int], posts: list, meta) -> list:
        """Per row, what makes two posts score alike: the canonical text and the cells of
        the metadata columns the model reads (by type and repr: exact, hashable)."""
        cols = [c for c in self.metadata_columns if meta is not None and c in meta.columns]
        if not cols:
            return [posts[i].text for i in rows]
        cells = [meta[c].to_numpy(dtype=object) for c in cols]
        return [(posts[i].text, *[(type(v[i]).__name__, repr(v[i])) for v in cells]) for i in rows]

    def predict(
        self,
        texts: Iterable[str | bytes | None],
        *,
        thresholds: ThresholdOverrides | None = None,
        explain: bool = True,
        max_reasons: int = 5,
    ) -> list[Prediction]:
        """Score posts; one :class:`Prediction` per text, in order.

        Parameters
        ----------
        texts : sequence of str
            Raw posts (``str``, or UTF-8 ``bytes``). Every post with a letter is
            scored, however short or foreign (notes ``too_short`` and
            ``unknown_language`` only inform). ``None``/NaN/blank posts and posts
            without a letter (only links, numbers, emoji...) get decision
            ``abstain``, status ``ok``, NaN probabilities and note ``empty`` or
            ``no_text``. Values that cannot be read (not text, bytes that are not
            UTF-8, longer than ``max_chars``) get an ``error: ...`` status, ``review``
            and NaN probabilities, never an exception. See :mod:`misinfo_clf._validation`.
        thresholds : mapping, optional
            Per-head overrides for this call: ``{"harmful": {"flag": .8, "review": .4}}``.
        explain : bool, default=True
            Compute reasons for flagged and reviewed heads.
        max_reasons : int, default=5
            Reasons kept per head.

        Examples
        --------
        >>> import misinfo_clf
        >>> model = misinfo_clf.load_model()  # doctest: +SKIP
        >>> model.predict(["Uống nước chanh nóng chữa khỏi ung thư"])[0].decision  # doctest: +SKIP
        <Decision.FLAG: 'flag'>
        """
        if isinstance(texts, str | bytes):
            raise ValueError(
                f"Iterable over raw text documents expected, {type(texts).__name__} object received; "
                "wrap a single post in a list."
            )
        values = list(texts)
        res = self._score(values, None, thresholds, explain, max_reasons)
        preds = []
        for i in range(len(values)):
            heads = {}
            for name, h in res["heads"].items():
                labels = self.heads[name].labels
                heads[name] = HeadResult(
                    head=name,
                    probability=float(h["score"][i]),
                    label=h["label"][i],
                    decision=Decision(h["decision"][i]),
                    probabilities=MappingProxyType(
                        {lab: float(p) for lab, p in zip(labels, h["proba"][i], strict=True)}
                    ),
                )
            preds.append(
                Prediction(
                    heads=MappingProxyType(heads),
                    decision=Decision(res["decision"][i]),
                    reasons=tuple(res["reasons"][i]),
                    notes=tuple(res["notes"][i]),
                    status=str(res["status"][i]),
                    model_name=self.name,
                    model_version=self.version,
                    deciding_head=res["deciding_head"][i],
                )
            )
        return preds

    def output_columns(self, id_col: str | None = None) -> list[str]:
        """The column schema of :meth:`predict_frame` (and of batch scoring)."""
        return output_columns({n: h.labels for n, h in self.heads.items()}, id_col)

    def predict_frame(
        self,
        df: pd.DataFrame,
        text_col: str = "text",
        id_col: str | None = None,
        *,
        thresholds: ThresholdOverrides | None = None,
        explain: bool = True,
        max_reasons: int = 5,
    ) -> pd.DataFrame:
        """Score a DataFrame; one output row per input row, same order.

        Columns (see :meth:`output_columns`): ``id_col`` when given; per head
        ``<head>_prob`` (1 - P(clean class)), ``<head>_prob_<CLASS>`` for multi-class
        heads, ``<head>_label``, ``<head>_decision``; then ``decision``, ``reasons``
        (compact JSON), ``status`` and ``model_version``. Metadata columns the model
        was trained with are used when present.
        """
        return score_frame(
            self,
            df,
            text_col=text_col,
            id_col=id_col,
            thresholds=thresholds,
            explain=explain,
            max_reasons=max_reasons,
        )

    def __repr__(self) -> str:
        heads = ", ".join(f"{n}: {list(h.labels)}" for n, h in self.heads.items())
        return f"Model(name={self.name!r}, version={self.version!r}, heads={{{heads}}})"


def _reasons_json(reasons: tuple, notes: tuple) -> str:
    items = [{"code": n} for n in notes]
    items += [r.to_dict() for r in reasons]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _mapped_reasons(found: dict, ok: np.ndarray, rep: list, posts: list, out: dict) -> list:
    """Each scored row's reasons: its representative's (``found``, in the canonical text)
    mapped to the row's own raw text, the deciding head's first."""
    reasons: list[tuple[Reason, ...]] = [()] * len(posts)
    mapped: dict = {}  # (representative, post): reasons in that post's raw text
    for i in ok.tolist():
        items = found.get(rep[i])
        if not items:
            continue
        key = (rep[i], id(posts[i]))
        r = mapped.get(key)
        if r is None:
            r = mapped[key] = _deciding_head_first(
                raw_reasons(items, posts[i]), out["deciding_head"][i]
            )
        reasons[i] = r
    return reasons


def _deciding_head_first(reasons: Sequence[Reason], head: str | None) -> tuple[Reason, ...]:
    return tuple(sorted(reasons, key=lambda r: r.head != head))


def score_frame(
    model: Model,
    df: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = None,
    *,
    thresholds: ThresholdOverrides | None = None,
    explain: bool = True,
    max_reasons: int = 5,
    canonical_col: str | None = None,
) -> pd.DataFrame:
    """The one scoring function over a DataFrame chunk (CLI, workers and Dask call it).

    Each post is normalized once, here. ``canonical_col``: also return each row's
    canonical text in that column (None for rows that could not be read), for the
    review queue.

    Returns a DataFrame with :meth:`Model.output_columns` columns, one row per
    input row, in order.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"score_frame expects a pandas DataFrame, got {type(df).__name__}.")
    check_columns(df.columns, [text_col, id_col])
    res = model._score(df[text_col].tolist(), df, thresholds, explain, max_reasons)
    out: dict = {}
    if id_col:
        out[id_col] = df[id_col].to_numpy()
    for name, head in model.heads.items():
        h = res["heads"][name]
        out[f"{name}_prob"] = h["score"]
        if head.is_multiclass:
            for j, lab in enumerate(head.labels):
                out[f"{name}_prob_{lab}"] = h["proba"][:, j]
        out[f"{name}_label"] = h["label"]
        out[f"{name}_decision"] = h["decision"]
    out["decision"] = res["decision"]
    out["deciding_head"] = res["deciding_head"]
    out["reasons"] = [
        _reasons_json(r, n) for r, n in zip(res["reasons"], res["notes"], strict=True)
    ]
    out["status"] = res["status"]
    out["model_version"] = model.version
    columns = model.output_columns(id_col)
    if canonical_col:
        out[canonical_col] = [None if p is None else p.text for p in res["posts"]]
        columns.append(canonical_col)
    frame = pd.DataFrame(out, index=df.index)
    return frame[columns]
