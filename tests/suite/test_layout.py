"""The test suite's own layout: tests live in the folder of the feature they test, never at
the root of tests/ (which holds only shared helpers and conftest.py)."""

from fnmatch import fnmatch
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def is_test_file(path: Path, patterns: list[str]) -> bool:
    return any(fnmatch(path.name, pattern) for pattern in patterns)


def test_no_test_file_sits_at_the_root_of_tests(pytestconfig):
    # The patterns pytest itself collects by (`python_files`), so a file named to be
    # collected anywhere is caught here too.
    patterns = pytestconfig.getini("python_files")
    at_root = sorted(path.name for path in TESTS.glob("*.py") if is_test_file(path, patterns))
    assert at_root == [], (
        f"Test files at the root of tests/: {at_root}. Move each into the folder of the "
        "feature it tests (tests/<app>/, or tests/site/, tests/public/, tests/staff/)."
    )


def test_every_folder_with_tests_is_a_package(pytestconfig):
    # Without __init__.py two folders' test_admin.py would clash as one module name.
    patterns = pytestconfig.getini("python_files")
    folders = {path.parent for path in TESTS.rglob("*.py") if is_test_file(path, patterns)}
    not_packages = sorted(
        str(folder.relative_to(TESTS))
        for folder in folders
        if not (folder / "__init__.py").exists()
    )
    assert not_packages == []
