"""Progress on stderr (_progress.py): one tqdm look for score, train and evaluate."""

from __future__ import annotations

import logging

import pytest

from misinfo_clf._progress import RowProgress, Steps, wanted

log = logging.getLogger("misinfo_clf.test")


@pytest.mark.parametrize(
    "progress, tty, shown",
    [(None, True, True), (None, False, False), (True, False, True), (False, True, False)],
    ids=["default-terminal", "default-pipe", "forced", "quiet"],
)
def test_a_bar_is_shown_on_a_terminal_unless_asked_otherwise(monkeypatch, progress, tty, shown):
    monkeypatch.setattr("sys.stderr.isatty", lambda: tty)
    assert wanted(progress) is shown


def test_row_progress_estimates_the_total_from_the_input_read(capsys):
    bar = RowProgress(True)
    bar.update(1_000, 0.25)
    assert bar.bar.total == 4_000  # a quarter of the input gave 1,000 rows
    bar.update(3_500, 1.0)
    assert bar.bar.total == bar.bar.n == 3_500  # the end: the real count
    bar.close()
    err = capsys.readouterr()
    assert "rows/s" in err.err and "3500/3500" in err.err
    assert err.out == ""  # never on stdout, where the commands print results


def test_a_resumed_run_counts_from_the_resumed_rows(capsys):
    bar = RowProgress(True, resumed_rows=2_000)
    bar.update(1_000, 0.5)  # 3,000 of the rows are done at half the input
    assert (bar.bar.n, bar.bar.total) == (3_000, 6_000)
    bar.close()


def test_a_disabled_bar_writes_nothing(capsys):
    bar = RowProgress(False)
    bar.update(10, 0.5)
    bar.close()
    steps = Steps("train", False, log)
    steps("head 'a': start")
    steps.close()
    assert capsys.readouterr().err == ""


def test_steps_count_finished_steps_and_show_the_current_one(capsys):
    steps = Steps("evaluate", True, log, total=2)
    steps("head 'a'")
    assert steps.bar.n == 0  # started, not done
    steps("head 'b'")
    assert steps.bar.n == 1
    steps.close()
    assert steps.bar.n == 2
    assert "evaluate: 100%" in capsys.readouterr().err


def test_steps_pass_lines_with_elapsed_time_to_a_callable(capsys, caplog):
    lines: list[str] = []
    with caplog.at_level(logging.INFO, logger="misinfo_clf.test"):
        steps = Steps("train", lines.append, log)
        steps("head 'a': start")
        steps.close()
    assert len(lines) == 1 and lines[0].startswith("[") and lines[0].endswith("s] head 'a': start")
    assert lines[0] in caplog.text  # always logged too
    assert capsys.readouterr().err == ""  # no bar next to the callable
