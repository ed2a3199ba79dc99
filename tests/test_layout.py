"""The layout's one rule: ``registrations`` -> ``groups`` -> kernel, never back.

The kernel (``wabp_portal``, but for the settings and the URLs, which join
the apps) imports no app; ``groups`` never imports ``registrations``, and its
templates neither include nor link to that app's. Development data
and tests may use anything.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# The modules where the project joins its apps.
JOINS = {"wabp_portal/settings.py", "wabp_portal/urls.py"}
FORBIDDEN = {
    "wabp_portal": ("groups", "registrations"),
    "groups": ("registrations",),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    # Strings naming a module (import_module, apps.get_model, mock.patch).
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", node.value):
                names.add(node.value)
    return names


def modules_of(package: str):
    for path in sorted((BASE / package).rglob("*.py")):
        relative = path.relative_to(BASE).as_posix()
        if "/migrations/" in relative or relative in JOINS:
            continue
        yield relative, path


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_no_layer_above_it(package):
    above = FORBIDDEN[package]
    wrong = [
        f"{relative} imports {name}"
        for relative, path in modules_of(package)
        for name in imported_modules(path)
        if name.split(".")[0] in above
    ]
    assert wrong == []


def test_the_templates_of_groups_name_no_registrations_template_or_url():
    wrong = []
    for folder in ("templates/groups", "templates/email", "templates/admin/groups"):
        for path in sorted((BASE / folder).rglob("*")):
            if path.is_file() and re.search(
                r"""["']registrations[:/]""", path.read_text(encoding="utf-8")
            ):
                wrong.append(path.relative_to(BASE).as_posix())
    assert wrong == []
