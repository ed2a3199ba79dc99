"""Colours as the eye sees them, and their WCAG contrast ratio."""

import re

# A colour as red, green and blue from 0 to 255, with or without an alpha (0-1).
RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]

WHITE: RGB = (255.0, 255.0, 255.0)
# What getComputedStyle gives: rgb(31, 45, 39), rgba(0, 0, 0, 0.25) or the
# newer rgb(31 45 39 / 25%).
CSS_COLOUR = re.compile(
    r"rgba?\(\s*([\d.]+)(?:\s*,\s*|\s+)([\d.]+)(?:\s*,\s*|\s+)([\d.]+)"
    r"(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)"
)


def parse_colour(css: str) -> RGBA:
    """A computed CSS colour; anything else fails loudly rather than passing."""
    if css.strip() == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    match = CSS_COLOUR.fullmatch(css.strip())
    if match is None:
        raise ValueError(f"cannot read the CSS colour {css!r}")
    red, green, blue, alpha, percent = match.groups()
    opacity = 1.0 if alpha is None else float(alpha) / (100 if percent else 1)
    return (float(red), float(green), float(blue), opacity)


def is_transparent(colour: str) -> bool:
    return parse_colour(colour)[3] == 0


def composite(colour: RGBA, backdrop: RGB) -> RGB:
    """What the eye sees: ``colour`` painted over the opaque ``backdrop``."""
    red, green, blue, alpha = colour
    return (
        alpha * red + (1 - alpha) * backdrop[0],
        alpha * green + (1 - alpha) * backdrop[1],
        alpha * blue + (1 - alpha) * backdrop[2],
    )


def painted_background(colours: list[str]) -> RGB:
    """The background made by ``colours``, nearest layer first, on the page's
    default white: the first opaque one counts, translucent ones tint it."""
    background = WHITE
    for colour in reversed(colours):
        background = composite(parse_colour(colour), background)
    return background


def relative_luminance(colour: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour: 0 for black, 1 for white."""

    def linear(channel: float) -> float:
        # WCAG prints 0.03928, sRGB defines 0.04045; no 8-bit value lies between.
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio, from 1 (the same colour) to 21 (black on white)."""
    darker, lighter = sorted([relative_luminance(first), relative_luminance(second)])
    return (lighter + 0.05) / (darker + 0.05)


def hex_colour(colour: RGB) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in colour)
