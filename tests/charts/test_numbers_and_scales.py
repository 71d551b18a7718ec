"""French number formatting and axis ticks of the chart builders."""

from __future__ import annotations

import pytest

from equisante.charts.numbers import auto_decimals, format_number, step_decimals, with_unit
from equisante.charts.scales import linear_scale, nice_step

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.5, 1, f"1{NBSP}234,5"),
    (1234567.891, 2, f"1{NBSP}234{NBSP}567,89"),
    (2.25, 1, "2,3"),  # half away from zero, not to even
    (-2.25, 1, "\u22122,3"),
    (0.5, None, "0,500"),  # below 1: three decimals
    (12.345, None, "12,3"),
    (21500.4, None, f"21{NBSP}500"),  # 10,000 or more: no decimals
    (-0.04, 1, "0,0"),  # no « −0,0 »
    (0, None, "0,0"),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_blank_and_sign():
    assert format_number(None) == "" and format_number(float("nan")) == "" and format_number("x") == ""
    assert format_number(3.0, 1, sign=True) == "+3,0"
    assert format_number(-3.0, 1, sign=True) == "\u22123,0"
    assert with_unit("12,5", "%") == f"12,5{NBSP}%"
    assert with_unit("", "%") == ""
    assert auto_decimals(0.25) == 3 and auto_decimals(5) == 1


@pytest.mark.parametrize(("step", "decimals"), [(50, 0), (2.5, 1), (0.25, 2), (0.1, 1), (1, 0)])
def test_step_decimals(step, decimals):
    assert step_decimals(step) == decimals


def test_nice_steps_and_scale():
    assert nice_step(97, 5) == 20
    assert nice_step(9.7, 5) == 2
    assert nice_step(12, 5) == 2.5
    scale = linear_scale(3, 97, 300, 0, zero=True)
    assert scale.ticks() == [0, 20, 40, 60, 80, 100]
    assert scale(0) == 300 and scale(100) == 0 and scale(50) == 150
    single = linear_scale(5, 5, 0, 100)
    assert single.low < 5 < single.high
    negative = linear_scale(-7, 12, 0, 100)
    assert negative.low <= -7 and negative.high >= 12 and 0 in negative.ticks()
