"""The shared progress helper (pure Python)."""

import io

import pytest

from equisante.progress import BarReporter, ListReporter, percent, run_with_progress, stage_callback

pytestmark = pytest.mark.core


def test_run_with_progress_reports_before_and_after_each_item():
    reporter = ListReporter()
    assert run_with_progress([1, 2, 3], lambda x: x * 10, reporter=reporter, message="calcul") == [10, 20, 30]
    assert reporter.steps == [(0, 3, "calcul"), (1, 3, "calcul"), (2, 3, "calcul"), (3, 3, "calcul")]


def test_stage_callback_and_percent():
    reporter = ListReporter()
    stage_callback(reporter)("écriture", 5, 20)
    assert reporter.steps == [(5, 20, "écriture")]
    assert (percent(5, 20), percent(0, 0), percent(30, 20)) == (25, 0, 100)


def test_bar_reporter_is_silent_off_a_terminal():
    stream = io.StringIO()
    with BarReporter(stream) as bar:
        run_with_progress(range(4), lambda x: x, reporter=bar, message="lecture")
    assert stream.getvalue() == ""
