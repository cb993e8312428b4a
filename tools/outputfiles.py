"""What kind of file a build wrote, told from its name: shared by the build's summary line
(tools/progress.py) and the benchmark's counts (benchmarks/measure.py).

The rule lives in the plugins' shared core (plugins/blogcore/feedfiles.py), so that the
published-URL record, which runs inside Pelican, counts the same files as feeds."""

import sys
from pathlib import Path

_PLUGINS = str(Path(__file__).resolve().parent.parent / "plugins")
if _PLUGINS not in sys.path:  # the benchmark imports this module before anything else
    sys.path.insert(0, _PLUGINS)

from blogcore.feedfiles import FEED_SUFFIXES, is_feed  # noqa: E402

__all__ = ["FEED_SUFFIXES", "is_feed"]
