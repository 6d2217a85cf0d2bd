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
import re
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


@pytest.fixture(scope="module")
def api(server):
    """The API session (one personal access token per user: Label Studio refuses a second)."""
    base, user, password = server
    return api_session(base, user, password)


@pytest.fixture(scope="module")
def champion(tmp_path_factory):
    """A champion trained on half the sample corpus; the other half scored, queued and
    exported as tasks (in chunks)."""
    d = tmp_path_factory.mktemp("loop")
    df = pd.read_csv(SAMPLE, dtype={"id": str})
    half = df.sample(frac=0.5, random_state=0)
    half.to_csv(d / "train.csv", index=False)
    rest = df.drop(half.index)
    rest[["id", "text"]].to_csv(d / "traffic.csv", index=False)
    train(_config(d, {}), out=d / "champion")
    score_file(d / "traffic.csv", d / "s.csv", model=d / "champion", jobs=1, queue=d / "q.csv")
    queue = read_queue(d / "q.csv")
    s = export_label_studio(queue, d / "tasks.json", model=d / "champion", chunk_size=50)
    return d, rest, queue, s


def _project(api, base: str, export: dict, files=None) -> int:
    xml = Path(export["config"]).read_text(encoding="utf-8")
    r = api.post(base + "/api/projects/", json={"title": "review loop", "label_config": xml})
    assert r.status_code == 201, r.text[:500]
    project = r.json()["id"]
    for f in files or export["files"]:
        tasks = json.loads(Path(f).read_text(encoding="utf-8"))
        r = api.post(f"{base}/api/projects/{project}/import", json=tasks, timeout=120)
        assert r.status_code == 201, r.text[:500]
    return project


def _choice(head: str, label: str) -> dict:
    return {"from_name": head, "to_name": "text", "type": "choices", "value": {"choices": [label]}}


#: tasks the reviewer gets through (the rest stays unreviewed, as at the end of a day)
REVIEWED_TASKS = 70


def test_the_review_loop_runs_against_a_real_label_studio(server, api, champion):
    base = server[0]
    d, rest, queue, s = champion
    assert len(s["files"]) >= 2
    truth = rest.set_index("id")
    project = _project(api, base, s)
    r = api.get(f"{base}/api/tasks/", params={"project": project, "page_size": 1000})
    tasks = r.json()["tasks"]
    assert [t["data"]["id"] for t in tasks] == queue["id"].tolist()
    # the server kept the predictions: spans exact in the post it shows
    stored = api.get(f"{base}/api/predictions/", params={"task": tasks[0]["id"]}).json()
    regions = [x for p in stored for x in p["result"] if x["type"] == "labels"]
    text0 = tasks[0]["data"]["text"]
    assert regions
    assert all(
        text0[x["value"]["start"] : x["value"]["end"]] == x["value"]["text"] for x in regions
    )

    # a reviewer works through the first tasks: one skipped, one with harmful left empty
    done = tasks[:REVIEWED_TASKS]
    skipped, half_done, twice = done[0], done[1], done[2]
    for t in done:
        pid = t["data"]["id"]
        result = [_choice("misinformation", MISINFO[int(truth.loc[pid, "misinformation"])])]
        if t is not half_done:
            result.append(_choice("harmful", truth.loc[pid, "harmful"]))
        body = {"result": [] if t is skipped else result, "was_cancelled": t is skipped}
        r = api.post(f"{base}/api/tasks/{t['id']}/annotations/", json=body)
        assert r.status_code == 201, r.text[:500]
    time.sleep(1.1)  # a later annotation of the same task: the latest counts
    was = MISINFO[int(truth.loc[twice["data"]["id"], "misinformation"])]
    flip = "reliable" if was == "unreliable" else "unreliable"
    r = api.post(
        f"{base}/api/tasks/{twice['id']}/annotations/",
        json={"result": [_choice("misinformation", flip)]},
    )
    assert r.status_code == 201, r.text[:500]
    r = api.get(
        f"{base}/api/projects/{project}/export",
        params={"exportType": "JSON", "download_all_tasks": "true"},
        timeout=120,
    )
    assert r.status_code == 200, r.text[:500]
    (d / "export.json").write_bytes(r.content)

    out = _cli(
        "review-import", d / "export.json", "-o", d / "reviewed.csv", "--model", d / "champion"
    )
    n = REVIEWED_TASKS - 1
    assert f"{n:,} reviewed, 1 skipped, {len(tasks) - REVIEWED_TASKS:,} not reviewed yet" in out
    rev = read_reviewed(d / "reviewed.csv").set_index("id")
    text_of = dict(zip(rest["id"], rest["text"], strict=True))
    assert all(rev["text"] == rev.index.map(text_of))  # exact, through the server and CSV
    assert skipped["data"]["id"] not in rev.index
    assert pd.isna(rev.loc[half_done["data"]["id"], "harmful"])  # empty stays missing
    assert rev.loc[twice["data"]["id"], "misinformation"] == flip

    reviewed = {"layout": "reviewed", "path": str(d / "reviewed.csv"), "slice": [0.0, 0.7]}
    train(_config(d, {"extra": [{**reviewed, "weight": 2.0}]}), out=d / "challenger")
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


def _browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = next((p for p in map(shutil.which, ("chromium", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("the browser check needs chromium and chromedriver (apt: chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(flag)
    opts.add_argument("--window-size=1400,1000")
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    return webdriver.Chrome(options=opts, service=Service(driver))


def test_a_task_opens_with_the_reasons_highlighted_and_classes_prefilled(
    server, api, champion, tmp_path
):
    from selenium.webdriver.common.by import By

    base, user, password = server
    d, _, queue, s = champion
    project = _project(api, base, s, files=s["files"][:1])
    task = api.get(f"{base}/api/tasks/", params={"project": project, "page_size": 1}).json()
    task = task["tasks"][0]
    want = [
        x["value"]["text"]
        for x in json.loads(Path(s["files"][0]).read_text("utf-8"))[0]["predictions"][0]["result"]
        if x["type"] == "labels"
    ]
    browser = _browser(tmp_path)
    try:
        browser.get(base + "/user/login/")
        browser.find_element(By.NAME, "email").send_keys(user)
        browser.find_element(By.NAME, "password").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        deadline = time.monotonic() + 30
        while "/user/login" in browser.current_url and time.monotonic() < deadline:
            time.sleep(0.2)  # logged in when the login page redirects
        browser.get(f"{base}/projects/{project}/data?task={task['id']}")
        deadline = time.monotonic() + 60
        marks = []
        while not marks and time.monotonic() < deadline:
            marks = browser.find_elements(By.CSS_SELECTOR, ".htx-highlight")
            time.sleep(0.5)
        shown = sorted({m.text for m in marks})
        # the checked choices: their label's text, without the hotkey ("reliable[3]")
        checked = [
            re.sub(r"\[?\d+\]?$", "", e.find_element(By.XPATH, "./ancestor::label[1]").text)
            for e in browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
            if e.is_selected()
        ]
        if not marks:
            browser.save_screenshot(str(tmp_path / "label_studio.png"))
    finally:
        browser.quit()
    assert shown == sorted(set(want))  # the reasons, highlighted where they are in the post
    data = task["data"]
    classes = {c for h in data["misinfo_clf"]["heads"].values() for c in h["labels"]}
    prefilled = sorted(c.strip() for c in checked if c.strip() in classes)
    assert prefilled == sorted(data[f"{h}_label"] for h in ("misinformation", "harmful"))
