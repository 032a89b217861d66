"""Calls that keep all their Python frames in one chunk of CPython's frame stack.

CPython keeps Python frames on a stack of chunks (16 KB), maps a new chunk when a call does not
fit in the current one and unmaps it as soon as the frame that began it returns. A call made
again and again right at a chunk's end maps, faults in and unmaps a chunk each time: the
indicator page's fragments (nested templates rendered inside the `{% fragment %}` tag) hit
that thousands of times a render (bench/NOTES.md, issue 24, the cold render). A frame that
reserves ROOMY_SLOTS slots (never used, so never touched) begins a chunk of its own with as
much room again after it: a render called through it stays in that one chunk, whatever depth
it starts at.
"""

import sys

ROOMY_SLOTS = 8192


def _call(function, *args):
    return function(*args)


if sys.implementation.name == "cpython":
    _call.__code__ = _call.__code__.replace(co_stacksize=ROOMY_SLOTS)


def call_with_room(function, *args):
    """`function(*args)`, its calls all in one stack chunk."""
    return _call(function, *args)
