"""``python -m misinfo_clf.cli``: the same as the ``misinfo-clf`` command."""

import sys

from . import main

sys.exit(main())
