"""The C layer: the only code that touches ctypes and libuplinkc.

Read it bottom up: ``structs`` and ``ext_def`` mirror the C headers' structs; ``capi`` declares every C
function once, typed; ``native`` finds and loads the library; ``results`` turns each C result into a value
or a typed exception and frees it; ``handle`` owns the handles (close once, free when dropped, fork
guard in ``fork``); ``convert`` is the one place C structs and Python data classes meet; ``buffers`` and
``args`` hand Python memory and arguments to C without copies. The public modules above (``access``,
``project``, ``upload``, ...) call C only through these.
"""

__all__: list[str] = []
