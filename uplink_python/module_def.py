"""ctypes mirrors of the C structs of ``uplink_definitions.h``, under the module name the old package used.

They live in the C layer (``uplink_python._c.structs``); this module keeps the documented name importable.
``c_void_p`` is ctypes' own, re-exported here as the old module did.
"""

from ._c.structs import *  # noqa: F401,F403
from ._c.structs import __all__
