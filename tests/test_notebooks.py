"""The example notebooks run headless, top to bottom, on the project's own small data.

They are data scientists' starting points, so CI executes them (nbclient) and they must
keep working as the library changes. Needs the ``notebooks`` extra:
``pip install -e ".[test,notebooks]"``.
"""

import json
import re
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip(
    "nbformat", reason="the notebooks extra is not installed: pip install -e '.[notebooks]'"
)
nbclient = pytest.importorskip(
    "nbclient", reason="the notebooks extra is not installed: pip install -e '.[notebooks]'"
)
pytest.importorskip(
    "ipykernel", reason="the notebooks extra is not installed: pip install -e '.[notebooks]'"
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
# each notebook, and an output it must show (reasons highlighted in HTML, report plots inline)
NOTEBOOKS = {
    "01_quickstart.ipynb": ("text/html", "<mark"),
    "02_retrain_on_your_data.ipynb": ("image/png", ""),
    "03_thresholds_for_review.ipynb": ("image/png", ""),
    "04_error_analysis.ipynb": ("image/png", ""),
    "05_review_loop.ipynb": ("image/png", ""),
}
# the notebooks write into MISINFO_CLF_NOTEBOOK_OUT, never into the checkout: no new files
# in these directories ...
NO_NEW_FILES = ("notebooks", "datasets", "configs")
# ... and no changed or deleted files in these (e.g. tune_thresholds in place on models/default)
UNCHANGED = (*NO_NEW_FILES, "models")


def _snapshot() -> dict:
    return {
        str(p.relative_to(ROOT)): p.stat().st_mtime_ns
        for d in UNCHANGED
        if (ROOT / d).is_dir()
        for p in (ROOT / d).rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
    }


def _writes(before: dict, after: dict) -> list[str]:
    new = [f for f in after.keys() - before.keys() if f.startswith(NO_NEW_FILES)]
    changed = [f for f in before if after.get(f) != before[f]]
    return sorted(new + changed)


def _outputs(nb, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if mime in data:
                found.append(str(data[mime]))
    return found


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_committed_notebook_is_clean(name):
    """Committed without outputs, with a papermill parameters cell, public API only."""
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"{name} has outputs: clear them before committing"
    )
    assert "parameters" in code[0].metadata.get("tags", []), f"{name}: first code cell untagged"
    assert "MISINFO_CLF_DATA" in code[0].source
    source = "\n".join(c.source for c in code)
    private = re.findall(r"misinfo_clf(?:\.\w+)*\._[a-z]\w*", source)
    assert not private, f"{name} uses private parts of misinfo_clf: {private}"
    assert "sys.path" not in source


def _run(name: str, out: Path) -> None:
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    before = _snapshot()
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        # the kernel starts in notebooks/, like Jupyter: relative paths start there
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    client.execute()
    print(f"{name}: {time.perf_counter() - start:.1f}s")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, json.dumps(errors, indent=1)[:2000]
    mime, needle = NOTEBOOKS[name]
    shown = _outputs(nb, mime)
    assert any(needle in s for s in shown), f"{name} shows no {mime} output containing {needle!r}"
    writes = _writes(before, _snapshot())
    assert not writes, f"{name} wrote into the checkout: {writes}"
    assert out.is_dir() and any(out.iterdir()), f"{name} wrote nothing to {out}"


@pytest.fixture
def small_run(tmp_path, monkeypatch) -> Path:
    """The small run whatever the developer's environment says; outputs go to tmp_path."""
    monkeypatch.delenv("MISINFO_CLF_DATA", raising=False)
    monkeypatch.setenv("MISINFO_CLF_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path / "out"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs(name, small_run):
    _run(name, small_run)


def test_quickstart_runs_without_default_model(small_run, tmp_path, monkeypatch):
    """A fresh checkout has no models/default: the quick start trains a small model instead."""
    from misinfo_clf._persist import default_model_path

    if not (default_model_path() / "manifest.json").is_file():
        pytest.skip("no default model: test_notebook_runs already ran the fallback")
    monkeypatch.setenv("MISINFO_CLF_MODEL", str(tmp_path / "no_model_here"))
    _run("01_quickstart.ipynb", small_run)
    assert (small_run / "sample_model" / "manifest.json").is_file()
