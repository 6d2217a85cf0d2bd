"""MODEL_CARD.md, generated from a model's manifest."""

from __future__ import annotations

import json
from pathlib import Path

CARD = "MODEL_CARD.md"

INTENDED_USE = (
    "Triage of Vietnamese social-media posts **for human review**: the model ranks posts "
    "and highlights the words behind each score so that reviewers look at the riskiest "
    "posts first. It is not meant for automated removal, for judging individuals, or for "
    "moderating political opinion: labels are about falsehood and harm (misinformation, "
    "scams, dangerous health claims, offensive language, hate), never about opinions."
)

#: limitations of any model of this library
LIMITATIONS = [
    "Bag-of-n-grams models read words, not meaning: sarcasm, quotes of a rumour in order "
    "to debunk it, and negation are often misread.",
    "Posts without a letter (empty, or only links, numbers or emoji) are not scored: they "
    "abstain (notes `empty`, `no_text`) and stay out of the review queue. Very short posts "
    "and posts mostly in another language are scored like any other; their notes "
    "(`too_short`, `unknown_language`) warn that the scores are less reliable there.",
    "Known biases: words common in the training data weigh more; posts about some regions "
    "or groups can score higher because of the words they share with harmful posts. Review "
    "decisions, not scores, must decide.",
]

#: limitations that come with a training dataset (by its name in the manifest)
DATASET_LIMITATIONS = {
    "ReINTEL (VLSP 2020)": [
        "The misinformation head learned the style of unreliable posts in ReINTEL (2020, "
        "mostly COVID-19 era); it does not check facts, and new topics or well-written "
        "falsehoods score low. It still leans on the style of such posts; a style prior "
        "(when the config sets one) makes everyday words earn weight only on strong "
        "evidence, but some reasons remain function words ('và', 'rồi', 'mọi người').",
        "ReINTEL is news-like Facebook posts. A gate trained on everyday comments and reviews "
        "damps the head on posts unlike them; a rumour written as a short casual comment can "
        "be damped too.",
    ],
    "ViHSD (UIT)": [
        "The harmful head learned ViHSD's annotation of offensive and hate speech; the border "
        "between OFFENSIVE and HATE is where it errs most, and slurs or dialect words absent "
        "from training are missed. Other collections draw the line elsewhere.",
    ],
    "misinfo_clf scam corpus": [
        "The scam head learned from a corpus written for the project (one author, variants "
        "made by a script): real scams in other wordings, voice-call scripts, gambling sites, "
        "mixed-language scams and new hooks are weak spots; legitimate notices that ask for "
        "a transfer can be flagged. Its validation figures are on that synthetic corpus.",
    ],
}


def limitations(manifest: dict) -> list[str]:
    """The card's limitations: the manifest's own list, else the general ones plus those
    of each dataset the heads were trained on (their own data, not extra rows such as
    everyday posts labelled clean), and a note for data the library does not describe."""
    if manifest.get("limitations"):
        return list(manifest["limitations"])
    names = [
        d.get("name")
        for head in manifest.get("heads", {}).values()
        for d in head.get("training_data", [])
    ]
    out = list(LIMITATIONS)
    primary = {
        d.get("name")
        for head in manifest.get("heads", {}).values()
        for d in head.get("training_data", [])
        if not d.get("role")  # extra rows (everyday posts...) are not the head's own data
    }
    unknown = []
    for name in dict.fromkeys(n for n in names if n in primary):
        out += DATASET_LIMITATIONS.get(name, [])
        if name not in DATASET_LIMITATIONS:
            unknown.append(str(name))
    if unknown:
        out.append(
            f"Trained on data this library does not describe ({', '.join(unknown)}): the "
            "model's limits are those of that data (who labelled it and how, which topics, "
            "platforms and period it covers, its class balance); they belong in this card "
            "(save_model(..., extra={'limitations': [...]}))."
        )
    return out


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _label_rule(head: dict) -> str:
    rule = head.get("label_rule", "calibrated")
    if rule == "balanced":
        return (
            "decision of the class-weighted linear model inside the calibration (probabilities "
            "and bands are calibrated; the label can disagree with the probabilities shown)"
        )
    if rule == "thresholds":
        th = head.get("class_thresholds") or {}
        parts = ", ".join(f"{c} when P({c}) ≥ {float(v):.2f}" for c, v in th.items())
        return (
            f"from the calibrated probabilities with per-class thresholds chosen on validation "
            f"data: {parts} (the most probable such class), else {head.get('clean_label')}"
        )
    return "arg-max of the calibrated probabilities" + (
        " plus class offsets" if head.get("class_offsets") else ""
    )


def _tuning(t: dict) -> str:
    parts = []
    prev = t.get("previous") or {}
    if prev:
        parts.append(
            f"previously flag ≥ {_fmt(prev.get('flag'))}, review ≥ {_fmt(prev.get('review'))}"
        )
    data = t.get("data") or t.get("traffic") or {}
    if data:
        what = data.get("name", "?")
        if data.get("method"):
            what += f" ({data['method']})"
        rows = data.get("rows", data.get("posts"))
        parts.append(f"on {what}" + (f", {rows} rows" if rows is not None else ""))
        if data.get("sha256"):
            parts.append(f"data sha256 `{data['sha256'][:16]}…`")
    cap = t.get("capacity")
    if cap:
        parts.append(
            f"for a capacity of {cap.get('reviews_per_day'):,.0f} reviews per "
            f"{cap.get('posts_per_day'):,.0f} posts per day (all heads together)"
        )
    return "; ".join(parts)


def _reproducibility(training: dict | None) -> list[str]:
    if not training:
        return []
    lines = ["## Reproducibility", ""]
    lines.append(
        f"- config: {training.get('config')}"
        + (f" (sha256 `{training['config_sha256']}`)" if training.get("config_sha256") else "")
        + f"; seed {training.get('seed')}; {training.get('seconds')} s"
    )
    if training.get("config_contents") is not None:
        lines.append(
            "- the config's contents and the sha256 of every data file used are in "
            "`manifest.json` (`training.config_contents`, `heads.<name>.training_data`)"
        )
    lines.append("")
    return lines


def render_model_card(manifest: dict) -> str:
    lines = [f"# Model card: {manifest.get('name')} {manifest.get('version')}", ""]
    lines += ["## Intended use", "", manifest.get("intended_use", INTENDED_USE), ""]
    lines += [
        "## Versions",
        "",
        f"- misinfo_clf {manifest.get('library_version')}, scikit-learn "
        f"{manifest.get('sklearn_version')}, skops {manifest.get('skops_version')}",
        f"- created {manifest.get('created')}; teencode table version "
        f"{manifest.get('teencode_version')}",
        f"- preprocessing: {json.dumps(manifest.get('views'), ensure_ascii=False)}",
        f"- model file sha256 `{manifest.get('sha256')}`",
        "",
    ]
    for name, head in manifest.get("heads", {}).items():
        lines += [f"## Head `{name}`", ""]
        lines.append(
            f"- classes: {', '.join(head.get('labels', []))} (clean: `{head.get('clean_label')}`)"
        )
        th = head.get("thresholds", {})
        lines.append(
            f"- thresholds on P(not {head.get('clean_label')}): flag ≥ {_fmt(th.get('flag'))}, "
            f"review ≥ {_fmt(th.get('review'))}, below: pass"
        )
        lines.append("- label: " + _label_rule(head))
        if head.get("threshold_targets"):
            lines.append(f"- chosen for: {json.dumps(head['threshold_targets'])}")
        tuning = head.get("threshold_tuning")
        if tuning:
            lines.append(f"- thresholds re-tuned {tuning.get('tuned', '')}: {_tuning(tuning)}")
        if head.get("metadata"):
            lines.append(f"- metadata features: {', '.join(head['metadata'])}")
        for d in head.get("training_data", []):
            role = f"; {d['role']}" if d.get("role") else ""
            lines.append(
                f"- data: **{d.get('name')}** ({d.get('rows', '?')} rows, {d.get('split', '')}"
                f"{_which(d)}{role}): licence: {d.get('licence', 'unknown')}"
            )
        bands = head.get("bands")
        if bands:
            flag_p = bands.get("validation_precision_at_flag")
            lines.append(
                f"- bands sized for everyday traffic: flag keeps "
                f"{_pct(bands.get('validation_recall_at_flag'))} of the validation positives "
                f"(precision {_fmt(flag_p) if flag_p is not None else 'n/a'}), the queue "
                f"(flag or review) {_pct(bands.get('validation_recall_in_queue'))}"
            )
        ev = head.get("evaluation")
        if ev:
            d = ev.get("data", {})
            lines += [
                "",
                f"Evaluated on **{d.get('name')}** {d.get('split', '')} ({d.get('rows', '?')} rows; "
                f"licence: {d.get('licence', 'unknown')}):",
                "",
                "| metric | value |",
                "|---|---|",
            ]
            lines += [f"| {k} | {_fmt(v)} |" for k, v in ev.get("metrics", {}).items()]
            if ev.get("slices_macro_f1"):
                lines += [
                    "",
                    "Robustness slices (macro-F1):",
                    "",
                    "| slice | macro-F1 |",
                    "|---|---|",
                ]
                lines += [f"| {k} | {_fmt(v)} |" for k, v in ev["slices_macro_f1"].items()]
        metrics = {
            k: v
            for k, v in (head.get("metrics") or {}).items()
            if not isinstance(v, dict | list)
            and any(s in k for s in ("macro_f1", "roc_auc", "pr_auc", "ece", "brier"))
        }
        if metrics:
            v = head.get("validation") or {}
            where = (
                f"{v.get('method', '')}: {v.get('name', '')} {v.get('split', '')}".strip(": ")
                if isinstance(v, dict)
                else str(v)
            )
            lines += ["", f"Validation metrics ({where}):", "", "| metric | value |", "|---|---|"]
            lines += [f"| {k} | {_fmt(v)} |" for k, v in metrics.items()]
        lines.append("")
    lines += _profile_section(manifest.get("profile"))
    lines += _reproducibility(manifest.get("training"))
    lines += ["## Limitations and known biases", ""]
    lines += [f"- {item}" for item in limitations(manifest)]
    lines.append("")
    return "\n".join(lines)


def _which(source: dict) -> str:
    """Which rows of a file a source took (its ``where``, ``slice`` and ``sample``)."""
    parts = [f"{col} in {values}" for col, values in (source.get("where") or {}).items()]
    if source.get("slice"):
        a, b = source["slice"]
        parts.append(f"rows {a:.0%}-{b:.0%}")
    if source.get("sample"):
        parts.append(f"a sample of {source['sample']} (seed {source.get('seed', 0)})")
    return f", {', '.join(parts)}" if parts else ""


def _pct(v) -> str:
    return "n/a" if v is None else f"{100 * float(v):.1f}%"


def _profile_section(profile: dict | None) -> list[str]:
    if not profile:
        return []
    exp = profile.get("expected") or {}
    targets = profile.get("targets") or {}
    lines = [
        "## Traffic profile and queue size",
        "",
        f"Bands are sized on the scores of {profile.get('scored_posts', profile.get('posts'))} "
        "real everyday posts (scores only; the texts are not kept), so that at most "
        f"{_pct(targets.get('flag_share'))} of ordinary traffic is flagged and at most "
        f"{_pct(targets.get('queue_share'))} reaches the queue through any head:",
        "",
    ]
    for d in profile.get("sources", []):
        lines.append(
            f"- **{d.get('name')}** {d.get('split', '')}{_which(d)} ({d.get('rows', '?')} posts): "
            f"licence: {d.get('licence', 'unknown')}"
        )
    if exp:
        lines += [
            "",
            "Expected on traffic like the profile, per 100,000 posts:",
            "",
            "| head | flagged | in the queue (flag or review) |",
            "|---|---:|---:|",
        ]
        for name, h in (exp.get("per_head") or {}).items():
            lines.append(f"| {name} | {100_000 * h['flag']:,.0f} | {100_000 * h['queue']:,.0f} |")
        lines.append(
            f"| any head | {100_000 * exp.get('flag', 0):,.0f} | "
            f"{100_000 * exp.get('queue', 0):,.0f} |"
        )
    lines += [
        "",
        "A team whose traffic differs (another platform, another topic mix) should rebuild the "
        "profile from its own unlabelled dump: `misinfo-clf profile DUMP --model DIR --out NEW`.",
        "",
    ]
    return lines


def write_model_card(path, manifest: dict) -> Path:
    out = Path(path) / CARD
    out.write_text(render_model_card(manifest), encoding="utf-8")
    return out
