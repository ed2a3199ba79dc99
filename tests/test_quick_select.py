"""The quick drop-down list writes what Django's templates write, escaped alike.

``wabp_portal.forms.QuickSelect`` renders a select in Python instead of two
template includes per option; the browser, the tests and the accessibility
checks must see no difference, whatever the names hold.
"""

import pytest
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from wabp_portal.forms import QuickSelect

HOSTILE = ["<script>alert(1)</script>", '" onfocus="x', "Ã©t&amp;é", "'single'", ""]


def both(choices, value, attrs=None, name="municipality") -> tuple[str, str]:
    django = forms.Select(choices=choices, attrs=attrs).render(name, value)
    quick = QuickSelect(choices=choices, attrs=attrs).render(name, value)
    return django, quick


@pytest.mark.parametrize("value", [None, "", 1, "1", 3, "3", "nothing", [1, 3]])
def test_the_markup_is_djangos_own(value):
    choices = [
        ("", gettext_lazy("Choose your group")),
        (1, "Alken & Bree"),
        ("Limburg <noord>", [(2, "Peer"), (3, format_html("<b>{}</b>", "safe"))]),
        (4, 'Sint-"Truiden"'),
    ]
    attrs = {
        "class": 'form-select "x"',
        "required": True,
        "disabled": False,
        "aria-describedby": "id_group_helptext",
        "data-n": 7,
    }

    django, quick = both(choices, value, attrs)

    assert quick == django


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_are_escaped_as_the_templates_escape_them(text):
    django, quick = both(
        [(text, text), ("g", [(text + "2", text)])], text, {"title": text}, name=text
    )

    assert quick == django
    assert "<script>" not in quick


@given(
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=6),
    st.text(max_size=8),
)
def test_any_list_renders_as_django_renders_it(choices, value):
    django, quick = both(choices, value)

    assert quick == django


def test_a_model_list_renders_as_django_renders_it(db):
    from tests.factories import MunicipalityFactory

    chosen = MunicipalityFactory(name="Alken")
    MunicipalityFactory(name="<b>Bree</b>")

    class Form(forms.Form):
        municipality = forms.ModelChoiceField(
            queryset=type(chosen).objects.order_by("name")
        )

    field = Form(initial={"municipality": chosen.pk})["municipality"]
    django = forms.Select(choices=field.field.choices).render(
        "municipality", chosen.pk, {"id": "id_municipality", "required": True}
    )
    quick = QuickSelect(choices=field.field.choices).render(
        "municipality", chosen.pk, {"id": "id_municipality", "required": True}
    )

    assert quick == django
    assert "&lt;b&gt;Bree&lt;/b&gt;" in quick
