"""Sequential palettes: lightness decreases evenly, readable without colour vision."""

from __future__ import annotations

import pytest

from equisante.maps import for_polarity, sequential
from equisante.maps.palettes import ANCHORS, contrast_ratio, hex_to_lab, relative_luminance


@pytest.mark.parametrize("name", sorted(ANCHORS))
@pytest.mark.parametrize("k", range(2, 10))
def test_lightness_decreases_steadily(name, k):
    colours = sequential(k, name)
    assert len(colours) == k and len(set(colours)) == k
    lightness = [hex_to_lab(c)[0] for c in colours]
    steps = [a - b for a, b in zip(lightness, lightness[1:])]
    # every step is darker, by about the same amount: the order reads in greyscale and for every
    # colour-vision deficiency (they keep lightness)
    assert all(step > 0 for step in steps)
    assert max(steps) - min(steps) < 3
    if k <= 7:
        assert min(steps) >= 10


@pytest.mark.parametrize("name", sorted(ANCHORS))
def test_lightest_step_is_not_white_and_darkest_contrasts_with_white(name):
    colours = sequential(7, name)
    assert colours[0] != "#ffffff"
    assert contrast_ratio(colours[0], "#ffffff") > 1.1  # a missing value (white) stays distinct
    assert contrast_ratio(colours[-1], "#ffffff") > 7


def test_anchors_are_ordered_by_lightness():
    for anchors in ANCHORS.values():
        lightness = [hex_to_lab(c)[0] for c in anchors]
        assert lightness == sorted(lightness, reverse=True)


def test_polarity_puts_dark_on_the_unfavourable_side():
    adverse = for_polarity(5, "adverse")
    favourable = for_polarity(5, "favourable")
    assert favourable == adverse[::-1]
    assert relative_luminance(adverse[-1]) < relative_luminance(adverse[0])  # high values dark
    assert relative_luminance(favourable[0]) < relative_luminance(favourable[-1])  # low values dark
    assert for_polarity(5, "neutral") == adverse


def test_limits():
    with pytest.raises(ValueError, match="palette inconnue"):
        sequential(5, "arc-en-ciel")
    with pytest.raises(ValueError, match="hors limites"):
        sequential(12)
    assert len(sequential(1)) == 1


def test_lab_round_trip():
    from equisante.maps.palettes import lab_to_hex

    for colour in ("#000091", "#e1000f", "#ffffff", "#000000", "#5fbcac"):
        assert lab_to_hex(hex_to_lab(colour)) == colour
