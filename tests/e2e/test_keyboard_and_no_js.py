import pytest
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESCRIBE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return [el.tagName, el.id, el.getAttribute('name'), (el.innerText||el.value||'').slice(0,40),
          s.outlineStyle, s.outlineWidth, s.boxShadow, Math.round(r.top), Math.round(r.bottom), el.getAttribute('aria-invalid'), el.getAttribute('aria-describedby'), el.hasAttribute('autofocus')].join(' | ');
}"""

def test_explore(page, live_server, demo_data):
    page.goto(live_server.url + "/zoek-je-groep/")
    for _ in range(12):
        page.keyboard.press("Tab")
        print("F", page.evaluate(DESCRIBE))
    page.goto(live_server.url + "/zoek-je-groep/?straat=Beukenlaan&nummer=12")
    for _ in range(14):
        page.keyboard.press("Tab")
        print("R", page.evaluate(DESCRIBE))
    page.goto(live_server.url + "/aanmelden/?groep=1")
    for _ in range(30):
        page.keyboard.press("Tab")
        print("S", page.evaluate(DESCRIBE))
    page.goto(live_server.url + "/aanmelden/")
    page.keyboard.press("Tab")
    print(page.content()[:100])
