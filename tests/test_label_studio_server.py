"""The whole review loop against a real Label Studio server.

Label Studio pins its own dependencies (numpy among them), so it lives in its own virtual
environment: ``.ci/run`` creates ``.ci-ls-venv`` (``pip install label-studio``) and sets

* ``MISINFO_CLF_LABEL_STUDIO``: its ``label-studio`` executable;
* ``MISINFO_CLF_LABEL_STUDIO_TEMPLATE`` (optional): an empty, migrated sqlite database
  that the test copies, so that the server starts in seconds instead of migrating.

The test starts the server (sqlite in a temporary directory, ``--no-browser``, a free
port on 127.0.0.1, user and password from ``LABEL_STUDIO_USERNAME`` and
``LABEL_STUDIO_PASSWORD``, defaults below), gets an API token the supported way (log in,
create a personal access token, exchange it for an access token: Label Studio 1.2x
disables legacy tokens) and talks HTTP with ``requests``: create a project with the
exported config, import the tasks, post annotations as a reviewer, export, then
``review-import``, train a challenger on the reviewed posts and ``compare``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from misinfo_clf import score_file, train
from misinfo_clf._label_studio import export_label_studio, read_reviewed
from misinfo_clf._review_page import read_queue

requests = pytest.importorskip("requests", reason="requests is needed to talk to the server")

EXE_ENV = "MISINFO_CLF_LABEL_STUDIO"
TEMPLATE_ENV = "MISINFO_CLF_LABEL_STUDIO_TEMPLATE"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"
MISINFO = {0: "reliable", 1: "unreliable"}
START_TIMEOUT = 300  # a fresh database migrates for about two minutes on a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe = os.environ.get(EXE_ENV)
    if not exe:
        pytest.skip(
            f"{EXE_ENV} is not set: point it to a label-studio executable installed in its own "
            "virtual environment (.ci/run creates .ci-ls-venv and sets it)"
        )
    if not Path(exe).is_file():
        pytest.skip(f"{EXE_ENV}={exe} does not exist (label-studio could not be installed?)")
    d = tmp_path_factory.mktemp("label_studio")
    db = d / "ls.sqlite3"
    template = os.environ.get(TEMPLATE_ENV)
    if template and Path(template).is_file():
        shutil.copyfile(template, db)
    user = os.environ.get("LABEL_STUDIO_USERNAME") or "reviewer@example.com"
    password = os.environ.get("LABEL_STUDIO_PASSWORD") or "review-loop-test-password"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        LABEL_STUDIO_USERNAME=user,
        LABEL_STUDIO_PASSWORD=password,
        LATEST_VERSION_CHECK="false",  # no call to pypi.org at start
        COLLECT_ANALYTICS="false",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
    )
    port = _free_port()
    log = open(d / "server.log", "wb")
    proc = subprocess.Popen(
        [exe, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port)]
        + ["--data-dir", str(d), "--database", str(db)],
        cwd=d,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                tail = (d / "server.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"label-studio exited with {proc.returncode}:\n{tail}")
            try:
                if requests.get(base + "/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"label-studio did not answer within {START_TIMEOUT}s")
            time.sleep(1)
        yield base, user, password
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def api_session(base: str, user: str, password: str):
    """A requests session with a JWT access token (log in, personal access token, refresh)."""
    web = requests.Session()
    web.get(base + "/user/login/", timeout=30)
    r = web.post(
        base + "/user/login/",
        data={"email": user, "password": password, "csrfmiddlewaretoken": web.cookies["csrftoken"]},
        headers={"Referer": base + "/user/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302, f"login failed: {r.status_code} {r.text[:300]}"
    r = web.post(
        base + "/api/token/",
        headers={"X-CSRFToken": web.cookies["csrftoken"], "Referer": base},
        timeout=30,
    )
    assert r.status_code == 201, f"personal access token: {r.status_code} {r.text[:300]}"
    r = requests.post(base + "/api/token/refresh/", json={"refresh": r.json()["token"]}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + r.json()["access"]
    return api


def _config(d: Path, extra: dict) -> dict:
    common = {"train": str(d / "train.csv"), "validation_folds": 3, "min_df": 1}
    common |= {"char_ngrams": False, "precision": 0.8, "recall": 0.8}
    return {
        "model": {"name": "m", "version": "2" if extra else "1"},
        "heads": {
            "misinformation": {**common, "labels": MISINFO, "clean_label": "reliable", **extra},
            "harmful": {**common, "clean_label": "CLEAN", **extra},
        },
    }


def _cli(*args) -> str:
    p = subprocess.run(
        [sys.executable, "-m", "misinfo_clf.cli", *map(str, args)], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_the_review_loop_runs_against_a_real_label_studio(server, tmp_path):
    base, user, password = server
    d = tmp_path
    df = pd.read_csv(SAMPLE, dtype={"id": str})
    half = df.sample(frac=0.5, random_state=0)
    half.to_csv(d / "train.csv", index=False)
    rest = df.drop(half.index)
    rest[["id", "text"]].to_csv(d / "traffic.csv", index=False)
    truth = rest.set_index("id")
    train(_config(d, {}), out=d / "champion")
    score_file(d / "traffic.csv", d / "s.csv", model=d / "champion", jobs=1, queue=d / "q.csv")
    queue = read_queue(d / "q.csv")
    s = export_label_studio(queue, d / "tasks.json", model=d / "champion", chunk_size=50)
    assert len(s["files"]) >= 2

    api = api_session(base, user, password)
    xml = Path(s["config"]).read_text(encoding="utf-8")
    r = api.post(base + "/api/projects/", json={"title": "review loop", "label_config": xml})
    assert r.status_code == 201, r.text[:500]
    project = r.json()["id"]
    for f in s["files"]:
        tasks = json.loads(Path(f).read_text(encoding="utf-8"))
        r = api.post(f"{base}/api/projects/{project}/import", json=tasks, timeout=120)
        assert r.status_code == 201, r.text[:500]
    r = api.get(
        f"{base}/api/tasks/", params={"project": project, "page_size": 1000, "fields": "all"}
    )
    tasks = r.json()["tasks"]
    assert len(tasks) == s["tasks"] == len(queue)
    # the server kept the predictions: spans exact in the post it shows
    stored = api.get(f"{base}/api/predictions/", params={"task": tasks[0]["id"]}).json()
    regions = [x for p in stored for x in p["result"] if x["type"] == "labels"]
    text0 = tasks[0]["data"]["text"]
    assert regions and all(
        text0[x["value"]["start"] : x["value"]["end"]] == x["value"]["text"] for x in regions
    )

    # a reviewer works through the tasks
    skipped, half_done, twice = tasks[0], tasks[1], tasks[2]
    for t in tasks:
        pid = t["data"]["id"]
        m = MISINFO[int(truth.loc[pid, "misinformation"])]
        result = [
            {
                "from_name": "misinformation",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [m]},
            },
        ]
        if t is not half_done:  # harmful left empty on this one
            result.append(
                {
                    "from_name": "harmful",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [truth.loc[pid, "harmful"]]},
                }
            )
        body = {"result": result, "was_cancelled": t is skipped}
        if t is skipped:
            body["result"] = []
        r = api.post(f"{base}/api/tasks/{t['id']}/annotations/", json=body)
        assert r.status_code == 201, r.text[:500]
    time.sleep(1.1)  # a later annotation of the same task: the latest counts
    flip = (
        "reliable"
        if MISINFO[int(truth.loc[twice["data"]["id"], "misinformation"])] != "reliable"
        else "unreliable"
    )
    r = api.post(
        f"{base}/api/tasks/{twice['id']}/annotations/",
        json={
            "result": [
                {
                    "from_name": "misinformation",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [flip]},
                }
            ]
        },
    )
    assert r.status_code == 201, r.text[:500]
    r = api.get(f"{base}/api/projects/{project}/export", params={"exportType": "JSON"}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    (d / "export.json").write_bytes(r.content)

    out = _cli(
        "review-import", d / "export.json", "-o", d / "reviewed.csv", "--model", d / "champion"
    )
    assert f"{len(tasks) - 1:,} reviewed, 1 skipped" in out
    rev = read_reviewed(d / "reviewed.csv").set_index("id")
    text_of = dict(zip(rest["id"], rest["text"], strict=True))
    assert all(rev["text"] == rev.index.map(text_of))  # exact, through the server and CSV
    assert skipped["data"]["id"] not in rev.index
    assert pd.isna(rev.loc[half_done["data"]["id"], "harmful"])  # empty stays missing
    assert rev.loc[twice["data"]["id"], "misinformation"] == flip

    extra = {
        "extra": [
            {
                "layout": "reviewed",
                "path": str(d / "reviewed.csv"),
                "slice": [0.0, 0.7],
                "weight": 2.0,
            }
        ]
    }
    train(_config(d, extra), out=d / "challenger")
    out = _cli(
        "compare",
        d / "champion",
        d / "challenger",
        "--data",
        d / "reviewed.csv",
        "--traffic",
        d / "traffic.csv",
        "--out",
        d / "cmp",
    )
    assert "time split" in out
    md = (d / "cmp" / "compare.md").read_text(encoding="utf-8")
    assert "| harmful | macro-F1 |" in md and "## Queue share on traffic" in md
