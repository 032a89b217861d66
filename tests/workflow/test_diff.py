"""The comparison of a proposed state with the live one."""

import pytest

from publishing.diff import compare, highlight, words_and_signs
from publishing.snapshots import take_snapshot
from tests.factories import ApproachSectionFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_only_real_changes_are_listed_line_ends_are_not_one():
    region = RegionFactory(summary="One.", body="First line.\nSecond line.")
    ApproachSectionFactory(region=region, title="Kept", body="Same.")
    live = take_snapshot(region)
    proposed = take_snapshot(region)
    proposed["object"]["fields"]["body"] = "First line.\r\nSecond line."
    assert compare(live, proposed) == []

    proposed["object"]["fields"]["summary"] = "Two."
    proposed["children"]["approach_sections"] = []
    (own, removed) = compare(live, proposed)
    assert [(c.label, c.old, c.new) for c in own.changes] == [
        ("Summary", "<del>One.</del>", "<ins>Two.</ins>")
    ]
    assert (removed.title, removed.kind) == ("Approach section: Kept", "removed")


def test_highlight_escapes_the_text():
    old, new = highlight("a <b>", "a <i>")
    assert old == "a <del>&lt;b&gt;</del>" and new == "a <ins>&lt;i&gt;</ins>"


def test_highlight_marks_whole_words_or_words_and_signs():
    # The comparison with the live version marks whole words; the admin's history marks
    # words and signs apart.
    assert highlight("One, two.", "One, three.") == (
        "One, <del>two.</del>",
        "One, <ins>three.</ins>",
    )
    assert highlight("One, two.", "One, three.", words_and_signs) == (
        "One, <del>two</del>.",
        "One, <ins>three</ins>.",
    )
