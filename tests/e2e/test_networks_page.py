import pytest

from groups.models import WhatsAppGroup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_networks_page_shows_the_alken_networks_in_dutch(page, live_server, demo_data):
    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Samen tegen inbraken met WhatsApp"
    )
    rows = page.locator("table.network-table tbody tr")
    assert rows.count() == 9
    first = rows.nth(0).inner_text()
    assert "Marc Colemont" in first
    assert "Terkoest" in first
    assert "WABP Terkoest" in first
    assert page.get_by_text("pz.loon.beleid@police.belgium.be").is_visible()


def test_hidden_group_disappears_from_the_page(page, live_server, demo_data):
    WhatsAppGroup.objects.filter(name="WABP Langveld").update(is_public=False)

    page.goto(live_server.url + "/")

    assert page.locator("table.network-table tbody tr").count() == 8
    assert page.get_by_text("WABP Langveld").count() == 0
