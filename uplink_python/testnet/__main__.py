"""``python -m uplink_python.testnet``: the command line of the local network (``uplink_python.testnet._cli``)."""

import sys

from ._cli import main

sys.exit(main())
