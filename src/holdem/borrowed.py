"""Borrowed views of arrays inside a Numba kernel: the same memory without a reference count.

Numba counts the references to every array it binds: each array a kernel reads out of a tuple,
each array an inlined kernel receives as an argument, is an atomic increment and, at the end of
its life, an atomic decrement of the array's count (``NRT_incref`` and ``NRT_decref``). Numba's
pruning of those pairs leaves most of them in a kernel with several loops and exits, and on the
spot solver's river walk they took 8% of an iteration, more with two threads touching the same
counts. A borrowed view has no owner (a null meminfo, as `numba.carray` gives for a pointer), so
Numba counts nothing for it.

The view does not keep its memory alive: a kernel may only borrow an array that its caller holds
for the whole call (an argument, or an array of a tuple argument), and must not return the view
or store it anywhere that outlives the call.
"""

from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def borrowed(typingctx, array):  # type: ignore[no-untyped-def]
    """A view of ``array`` (same data, shape and strides) that Numba does not count references
    to; see the module docstring for when that is safe."""
    if not isinstance(array, types.Array):
        return None

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        array_type = signature.args[0]
        source = context.make_array(array_type)(context, builder, args[0])
        view = context.make_array(array_type)(context, builder)
        for field in ("data", "shape", "strides", "itemsize", "nitems"):
            setattr(view, field, getattr(source, field))
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        return view._getvalue()

    return array(array), codegen
