"""The contrast maths the keyboard test holds the focus ring to."""

import pytest

from tests.contrast import (
    WHITE,
    composite,
    contrast_ratio,
    painted_background,
    parse_colour,
)


def test_contrast_ratio_follows_wcag():
    black, white = (0.0, 0.0, 0.0), WHITE
    assert contrast_ratio(black, white) == pytest.approx(21)
    assert contrast_ratio(white, black) == pytest.approx(21)
    assert contrast_ratio(white, white) == pytest.approx(1)
    # The portal's focus ring #1f2d27 passes on white; signal yellow #f2a900 fails.
    assert contrast_ratio(parse_colour("rgb(31, 45, 39)")[:3], white) > 3
    assert contrast_ratio(parse_colour("rgb(242 169 0)")[:3], white) < 3
    # Known values: Bootstrap's grey #6c757d on white is 4.69:1.
    assert contrast_ratio((108.0, 117.0, 125.0), white) == pytest.approx(4.69, abs=0.01)


def test_translucent_colours_are_seen_over_their_background():
    # Bootstrap's faint focus glow, a quarter of its green, fails on white.
    glow = composite(parse_colour("rgba(11, 93, 59, 0.25)"), WHITE)
    assert contrast_ratio(glow, WHITE) < 3
    assert composite(parse_colour("rgb(0 0 0 / 50%)"), WHITE) == (127.5, 127.5, 127.5)
    # The nearest opaque layer hides what lies behind it; a translucent one
    # above it tints it; none at all leaves the page's white.
    assert painted_background(["rgba(0, 0, 0, 0)", "rgb(244, 246, 245)"]) == (
        244.0,
        246.0,
        245.0,
    )
    assert painted_background(
        ["rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    ) == (127.5, 127.5, 127.5)
    assert painted_background(["transparent", "rgba(0, 0, 0, 0)"]) == WHITE
    with pytest.raises(ValueError, match="oklch"):
        parse_colour("oklch(0.5 0.1 150)")
