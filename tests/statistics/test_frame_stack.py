"""call_with_room (statistics/frame_stack.py): a call repeated right at the end of a chunk
of CPython's frame stack maps and unmaps a chunk each time (a page fault each); made through
call_with_room, the same calls stay in one chunk."""

import resource
import sys
import types
from statistics.frame_stack import call_with_room

import pytest

CALLS = 500


def leaf():
    return 1


def repeat_leaf():
    return sum(leaf() for _ in range(CALLS))


def call(function):
    return function()


def padded(slots):
    """`call` with a frame `slots` slots larger: moves what it calls along the stack."""
    code = call.__code__
    return types.FunctionType(code.replace(co_stacksize=code.co_stacksize + slots), {})


def at_depth(depth, function):
    if depth == 0:
        return function()
    return at_depth(depth - 1, function)


def faults(function):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_the_value_is_returned():
    assert call_with_room(lambda a, b: a + b, 2, 3) == 5


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_calls_at_a_chunks_end_stay_in_one_chunk():
    places = [(depth, pad) for depth in range(300) for pad in range(0, 16, 2)]

    def plain(depth, pad):
        return faults(lambda: at_depth(depth, lambda: padded(pad)(repeat_leaf)))

    def with_room(depth, pad):
        return faults(
            lambda: at_depth(depth, lambda: padded(pad)(lambda: call_with_room(repeat_leaf)))
        )

    # Some depths and frame sizes put the repeated call right at a chunk's end: there, every
    # call maps a chunk and faults.
    assert any(plain(depth, pad) > CALLS for depth, pad in places)
    # Through call_with_room, at none.
    assert max(with_room(depth, pad) for depth, pad in places) < CALLS / 10
