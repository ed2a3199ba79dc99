"""Issue 8 (WCAG 2.1 AA): a resident signs up by keyboard alone, or without JavaScript.

- Keyboard only, at phone and at desktop width: finder, "Sign up for <group>",
  the form, the sent page and the confirmation link, with Tab, Shift+Tab,
  Enter, Space and typing. After every Tab the focused element is not the
  page itself, lies inside the window and shows a focus indicator with a
  contrast of at least 3:1 against the background it is drawn on (2.1.1
  keyboard, 2.1.2 no keyboard trap, 2.4.3 focus order, 2.4.7 focus visible,
  1.4.11 non-text contrast).
- A refused submit puts the cursor in the first field in error, which is
  marked invalid and described by its error text (3.3.1, 4.1.2).
- With JavaScript switched off the same journey works, a refused and a
  corrected submit included, and ends with one confirmed signup.
"""

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.models import WhatsAppGroup
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.e2e.conftest import PHONE
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GROUP = "WABP Terkoest Zuid"
CONFIRMATION_LINK = re.compile(r"https?://\S+/aanmelden/bevestigen/\S+/")

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


# A colour as red, green and blue from 0 to 255, with or without an alpha (0-1).
RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]

WHITE: RGB = (255.0, 255.0, 255.0)
# WCAG 1.4.11: the focus indicator against the colours next to it.
MINIMUM_FOCUS_CONTRAST = 3.0
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


def wait_for_page(page: Page, heading: str) -> None:
    """After Enter on a link or button: the next page has loaded."""
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.wait_for_load_state()


def confirmation_link(email: str) -> str:
    """The link in the one confirmation mail queued for ``email``."""
    mail = Email.objects.filter(to__contains=email).get()
    link = CONFIRMATION_LINK.search(mail.message)
    assert link is not None, mail.message
    return link[0]


def open_signup_form(page: Page, base: str) -> None:
    """The form as the finder's link opens it: group, street and number filled."""
    group = WhatsAppGroup.objects.get(name=GROUP)
    page.goto(
        f"{base}{reverse('registrations:signup')}?groep={group.pk}"
        f"&gemeente={group.municipality_id}&straat=Beukenlaan&nummer=12"
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


@pytest.fixture(params=["phone", "desktop"])
def resident_page(request) -> Page:
    """The phone-sized ``page``, then the desktop-sized one."""
    return request.getfixturevalue(
        "page" if request.param == "phone" else "desktop_page"
    )


def test_resident_signs_up_and_confirms_with_the_keyboard_only(
    resident_page, live_server, demo_data
):
    page = resident_page
    page.goto(live_server.url + reverse("groups:finder"))
    type_into(page, "#id_straat", "beukenl")
    # Past the house number to the button, then back: the order runs both ways.
    tab_to(page, "button[type=submit]", text=dutch("Search"))
    tab_to(page, "#id_nummer", key="Shift+Tab", limit=1)
    page.keyboard.type("12")
    tab_to(page, "button[type=submit]", text=dutch("Search"))
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Result"))

    tab_to(page, "a", text=dutch("Sign up for %(name)s") % {"name": GROUP})
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Sign up for the neighbourhood watch"))

    # The skip link jumps over the header, straight into the form.
    tab_to(page, "a.skip-link", limit=1)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    tab_to(page, "#id_role_0", limit=1)
    type_into(page, "#id_first_name", "Mira")
    type_into(page, "#id_last_name", "Janssens")
    type_into(page, "#id_phone", "0471 23 45 67")
    type_into(page, "#id_email", "mira.janssens@example.org")
    tab_to(page, "summary")
    page.keyboard.press("Enter")
    assert page.locator("details.house-rules-summary").evaluate("d => d.open")
    for consent in ("#id_accept_house_rules", "#id_accept_privacy"):
        tab_to(page, consent)
        page.keyboard.press("Space")
        assert page.locator(consent).is_checked()
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Almost done: check your e-mail"))

    signup = Signup.objects.get(email="mira.janssens@example.org")
    assert signup.group.name == GROUP
    assert (signup.street_name, signup.house_number) == ("Beukenlaan", "12")
    assert signup.status == SignupStatus.UNCONFIRMED

    page.goto(confirmation_link("mira.janssens@example.org"))
    wait_for_page(page, dutch("Thank you, your signup is confirmed"))
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def test_refused_submit_puts_the_cursor_in_the_first_field_in_error(
    page, live_server, demo_data
):
    open_signup_form(page, live_server.url)
    # No first name, and the house rules not accepted.
    type_into(page, "#id_last_name", "Janssens")
    type_into(page, "#id_phone", "0471 23 45 67")
    type_into(page, "#id_email", "mira.janssens@example.org")
    tab_to(page, "#id_accept_privacy")
    page.keyboard.press("Space")
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#form-errors").wait_for()
    page.wait_for_load_state()

    invalid = page.locator(".signup-form [aria-invalid=true]")
    assert invalid.evaluate_all("fields => fields.map((f) => f.id)") == [
        "id_first_name",
        "id_accept_house_rules",
    ]
    expect(page.locator("#id_first_name")).to_be_focused()
    focus_state(page)
    errors = {
        "#id_first_name": dutch("This field is required."),
        "#id_accept_house_rules": dutch(
            "You can only sign up if you accept the house rules and the "
            "rules of conduct."
        ),
    }
    for field, error in errors.items():
        description = page.locator(field).evaluate(
            """field => (field.getAttribute("aria-describedby") || "").split(/\\s+/)
                .map((id) => document.getElementById(id)?.innerText || "").join(" ")"""
        )
        assert error in description, f"{field} is described by {description!r}"
    assert not Signup.objects.filter(email="mira.janssens@example.org").exists()


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        locale="nl-BE", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_resident_signs_up_and_confirms_without_javascript(
    page_without_js, live_server, demo_data
):
    page = page_without_js
    page.goto(live_server.url + reverse("groups:finder"))
    page.get_by_label(dutch("Street")).fill("beukenl")
    page.get_by_label(dutch("House number")).fill("12")
    page.get_by_role("button", name=dutch("Search")).click()
    page.get_by_role(
        "link", name=dutch("Sign up for %(name)s") % {"name": GROUP}
    ).click()

    # Showing one role's fields is JavaScript's job: without it both are shown,
    # and the participant, chosen by the finder's link, is what counts.
    assert page.get_by_label(dutch("Group")).is_visible()
    assert page.get_by_label(dutch("Name of the new group")).is_visible()
    assert page.locator("#id_role_0").is_checked()
    page.get_by_label(dutch("Last name")).fill("Janssens")
    page.get_by_label(dutch("Mobile number")).fill("0471 23 45 67")
    page.get_by_label(dutch("E-mail address")).fill("mira.janssens@example.org")
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name=dutch("Send my signup")).click()

    summary = page.locator("#form-errors")
    assert dutch("Please check the form") in summary.inner_text()
    assert dutch("This field is required.") in summary.inner_text()
    # The server's autofocus, not a script, puts the cursor in the first name.
    expect(page.get_by_label(dutch("First name"))).to_be_focused()
    assert page.get_by_label(dutch("Last name")).input_value() == "Janssens"
    assert not Signup.objects.filter(email="mira.janssens@example.org").exists()

    page.get_by_label(dutch("First name")).fill("Mira")
    page.locator("#id_accept_house_rules").check()
    assert page.locator("#id_accept_privacy").is_checked()
    page.get_by_role("button", name=dutch("Send my signup")).click()
    page.get_by_role("heading", name=dutch("Almost done: check your e-mail")).wait_for()

    signup = Signup.objects.get(email="mira.janssens@example.org")
    assert signup.group.name == GROUP
    assert signup.status == SignupStatus.UNCONFIRMED
    assert Email.objects.filter(to__contains="mira.janssens@example.org").count() == 1

    page.goto(confirmation_link("mira.janssens@example.org"))
    page.get_by_role(
        "heading", name=dutch("Thank you, your signup is confirmed")
    ).wait_for()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
