"""``python -m uplink_python.testnet``: see :mod:`uplink_python.testnet._cli`."""

import sys

from ._cli import main

sys.exit(main())
