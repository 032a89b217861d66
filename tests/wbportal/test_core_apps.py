"""The shared apps name no other app of the project: the leaf apps register with them
(through settings, or their own modules found at start-up), never the reverse."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

CORE_APPS = ["pagecache", "search", "richtext", "formatting"]


def project_app_labels():
    """Labels of the installed apps that are top-level packages of this repository."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }


def imports_and_texts(source):
    """The modules a Python file imports absolutely, and its text constants (not dictionary
    keys)."""
    imports, texts = [], []
    tree = ast.parse(source)
    # A dictionary key such as the preview's {"links": [...]} names a field, not an app.
    keys = {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys}
    for node in ast.walk(tree):
        if id(node) in keys:
            continue
        if isinstance(node, ast.Import):
            imports += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            imports.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return imports, texts


def names_an_app(name, labels):
    """ "statistics", "statistics.models" or "statistics.ImportRecord" for the label statistics."""
    return name in labels or name.split(".")[0] in labels and "." in name


@pytest.mark.parametrize("core", CORE_APPS)
def test_a_core_app_names_no_other_app_of_the_project(core):
    others = project_app_labels() - {core}
    assert {"regions", "statistics", "wbportal", "publishing"} <= others - {core}
    found = []
    for path in sorted(Path(apps.get_app_config(core).path).rglob("*.py")):
        imports, texts = imports_and_texts(path.read_text())
        found += [f"{path.name} imports {name}" for name in imports if names_an_app(name, others)]
        # Text may name the project ("wbportal_signed_in"); the settings module is read
        # through django.conf.settings, never imported.
        found += [
            f"{path.name} names {text!r}"
            for text in texts
            if names_an_app(text, others - {"wbportal"})
        ]
    assert not found
