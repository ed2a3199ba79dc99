"""Moving by keyboard, and checking the resident can see where the focus is.

After every key the focused element must not be the page itself, must lie in
the window and must show a focus indicator (outline or box-shadow) with a
contrast of at least 3:1 against what it is drawn on (WCAG 2.4.7, 1.4.11).
"""

import re

import pytest
from playwright.sync_api import Page

from tests.contrast import (
    composite,
    contrast_ratio,
    hex_colour,
    is_transparent,
    painted_background,
    parse_colour,
)

# WCAG 1.4.11: the focus indicator against the colours next to it.
MINIMUM_FOCUS_CONTRAST = 3.0

# The state of the focused element as the resident ends up seeing it. Focusing
# scrolls the page, smoothly (Bootstrap sets scroll-behavior) and sometimes a
# few frames late, and starts Bootstrap's box-shadow transition. So wait, a
# frame at a time and at most three seconds, until no transition runs and the
# element is in the window with the page still, or the page has been still for
# ten frames.
FOCUS_STATE = """async ({selector, text}) => {
  const element = document.activeElement;
  const inWindow = () => {
    const box = element.getBoundingClientRect();
    // Scrolling stops on whole pixels, layout is in fractions: allow one.
    return box.width > 0 && box.height > 0 && box.left >= -1 && box.top >= -1
      && box.right <= innerWidth + 1 && box.bottom <= innerHeight + 1;
  };
  let previous = null;
  let stillFrames = 0;
  for (let frame = 0; frame < 180; frame++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const position = `${scrollX},${scrollY}`;
    stillFrames = position === previous ? stillFrames + 1 : 0;
    previous = position;
    const moving = element.getAnimations().some((a) => a.playState === "running");
    if (!moving && ((stillFrames >= 1 && inWindow()) || stillFrames >= 10)) break;
  }
  const style = getComputedStyle(element);
  const name = (element.labels?.[0]?.innerText || element.innerText || "").trim();
  // The background colours from the element itself up to the root: what the
  // ring is drawn on. Python composites them, so translucent layers count.
  const backgrounds = [];
  for (let node = element; node; node = node.parentElement) {
    const classes = [...node.classList].slice(0, 2).map((c) => "." + c).join("");
    backgrounds.push({
      node: `<${node.tagName.toLowerCase()}${node.id ? "#" + node.id : ""}${classes}>`,
      colour: getComputedStyle(node).backgroundColor,
    });
  }
  return {
    element: `<${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}>`
      + ` ${name.replace(/\\s+/g, " ").slice(0, 60)}`,
    isPage: element === document.body || element === document.documentElement,
    inWindow: inWindow(),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    outlineOffset: parseFloat(style.outlineOffset),
    boxShadow: style.boxShadow,
    backgrounds,
    matches: element.matches(selector)
      && (text === null || element.innerText.trim() === text),
  };
}"""


def visible_shadows(box_shadow: str) -> list[tuple[str, bool]]:
    """The shadows someone can see, a colour that is not transparent and a
    size, each as its colour and whether it is drawn inside (inset)."""
    if box_shadow == "none":
        return []
    shadows = []
    for shadow in re.split(r",\s*(?![^()]*\))", box_shadow):
        colour = re.search(r"(?:rgba?\([^)]*\)|transparent)", shadow)
        lengths = [float(n) for n in re.findall(r"(-?[\d.]+)px", shadow)]
        if colour and not is_transparent(colour[0]) and any(lengths):
            shadows.append((colour[0], "inset" in shadow))
    return shadows


def focus_indicators(state: dict) -> list[tuple[str, str, bool]]:
    """The visible parts of the focus indicator: what each is, its colour and
    whether it is drawn inside the element (on the element's own background)
    rather than around it (on the background behind the element)."""
    indicators = []
    if (
        state["outlineStyle"] != "none"
        and state["outlineWidth"] > 0
        and not is_transparent(state["outlineColor"])
    ):
        width, offset = state["outlineWidth"], state["outlineOffset"]
        indicators.append(
            (
                f"outline {width:g}px offset {offset:g}px",
                state["outlineColor"],
                offset + width <= 0,
            )
        )
    for colour, inset in visible_shadows(state["boxShadow"]):
        indicators.append(
            ("inset box-shadow" if inset else "box-shadow", colour, inset)
        )
    return indicators


def focus_contrasts(state: dict) -> list[tuple[float, str]]:
    """Each part of the focus indicator's contrast with the background it is
    drawn on, with a description for the failure message."""
    layers = state["backgrounds"]
    contrasts = []
    for what, colour, inside in focus_indicators(state):
        on = layers if inside else layers[1:]
        background = painted_background([layer["colour"] for layer in on])
        source = next(
            (layer["node"] for layer in on if not is_transparent(layer["colour"])),
            "the page's default white",
        )
        ring = composite(parse_colour(colour), background)
        ratio = contrast_ratio(ring, background)
        contrasts.append(
            (
                ratio,
                # Rounded down, so 2.996 does not read as 3.00.
                f"{what} {colour} ({hex_colour(ring)}) on {hex_colour(background)} "
                f"from {source}: {int(ratio * 100) / 100:.2f}:1",
            )
        )
    return contrasts


def focus_state(page: Page, selector: str = "*", text: str | None = None) -> dict:
    """Where the focus is, after checking that the resident can see it."""
    state = page.evaluate(FOCUS_STATE, {"selector": selector, "text": text})
    where = state["element"]
    assert not state["isPage"], "focus fell back to the page itself"
    assert state["inWindow"], f"{where} has focus but lies outside the window"
    contrasts = focus_contrasts(state)
    assert contrasts, (
        f"{where} has focus but no focus indicator: outline "
        f"{state['outlineStyle']} {state['outlineWidth']}px, "
        f"box-shadow {state['boxShadow']}"
    )
    assert max(ratio for ratio, _ in contrasts) >= MINIMUM_FOCUS_CONTRAST, (
        f"{where} on {page.url} has focus but its focus indicator has less than "
        f"{MINIMUM_FOCUS_CONTRAST:g}:1 contrast with the background it is drawn on "
        f"(WCAG 1.4.11): " + "; ".join(description for _, description in contrasts)
    )
    return state


def tab_to(
    page: Page,
    selector: str,
    *,
    text: str | None = None,
    key: str = "Tab",
    limit: int = 40,
) -> None:
    """Press ``key`` until the focused element matches ``selector`` (and has
    ``text``), checking the focus after every press; fail after ``limit``."""
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus_state(page, selector, text)
        if state["matches"]:
            return
        passed.append(state["element"])
    pytest.fail(
        f"{selector} {text or ''} not reached in {limit} presses of {key}; "
        f"focus went to: {passed}"
    )


def type_into(page: Page, selector: str, value: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(value)
