"""The C layer: the only code that touches ctypes and libuplinkc.

Read it bottom up: ``structs`` and ``ext_def`` mirror the C headers' structs; ``capi`` declares every C
function once, typed; ``native`` finds and loads the library (and refuses it in a forked child); ``results``
turns each C result into a value or a typed exception and frees it; ``steps`` lets a method's body yield
its blocking C calls, so the sync API runs them in turn and ``aio`` starts them without blocking; ``handle`` is the one ownership
model (close once, children closed first, ``with`` blocks, free when dropped, lazy listings); ``convert`` is the one place C structs and Python data classes meet; ``buffers`` and
``args`` hand Python memory and arguments to C without copies. The public modules above (``access``,
``project``, ``upload``, ...) call C only through these.
"""

__all__: list[str] = []
