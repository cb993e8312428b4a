"""One build that leaves the process as it found it.

Pelican connects every plugin's receivers when it loads the plugins and never
disconnects them, and a plugin may replace a name in Pelican's modules for lack of a
signal (fastbuild's process_translations). In one process that builds many times (the
dev server, the tests) a later build would then run with the receivers of plugins it
does not list. `build_scope` notes the receivers of every Pelican signal and the names
plugins may replace before a build, and after it disconnects what was connected and
puts back what was replaced.

It also empties the caches of Pelican's `memoized` methods (a post's content and summary
for each site URL), which are class attributes keyed by the post: without that, each
build's posts would stay in memory for as long as the process runs.

The Scope it yields records what the build connected; `Scope.reopened()` connects it again
for a while, so that the dev server can run the build's steps for one post afterwards
(fastbuild/live.py) with the receivers that build had.
"""

import importlib
import weakref
from contextlib import contextmanager

from blinker import Signal
from pelican.contents import Content
from pelican.plugins import signals as pelican_signals

from . import refresh

# (module, name) of everything in Pelican a plugin of ours may replace.
REPLACEABLE = (("pelican.generators", "process_translations"),)


def pelican_signals_list():
    """Every signal Pelican declares (pelican/plugins/signals.py), in a stable order."""
    return [value for _, value in sorted(vars(pelican_signals).items()) if isinstance(value, Signal)]


def _receiver(reference):
    """The receiver a blinker reference stands for (None once a weak one has died)."""
    return reference() if isinstance(reference, weakref.ref) else reference


# Content's memoized methods: their caches are shared by every post of every build.
MEMOIZED = (Content.get_content, Content.get_summary)


def forget_memoized():
    """Empty the caches of Content's memoized methods."""
    for method in MEMOIZED:
        method.cache.clear()


class Scope:
    """What one build connected to Pelican's signals, and the names it replaced."""

    def __init__(self):
        self.added = {}  # signal -> receivers the build connected
        self.replacements = {}  # (module, name) -> the value the build gave it

    @contextmanager
    def reopened(self):
        """Connect the build's receivers and put its replacements back for the body."""
        with build_scope(fresh=False):
            for (module, name), value in self.replacements.items():
                setattr(importlib.import_module(module), name, value)
            for signal, receivers in self.added.items():
                for receiver in receivers:
                    signal.connect(receiver)
            yield


@contextmanager
def build_scope(fresh=True):
    """Run the body (one Pelican build) so that afterwards every signal has the receivers
    it had before and every REPLACEABLE name its value from before; yield a Scope, which
    records them once the body is done. `fresh` first forgets the memoized answers of
    earlier builds."""
    if fresh:
        forget_memoized()
    signals = [*pelican_signals_list(), *refresh.SIGNALS]
    connected = {signal: set(signal.receivers) for signal in signals}
    modules = {name: importlib.import_module(name) for name, _ in REPLACEABLE}
    replaced = {(module, name): getattr(modules[module], name) for module, name in REPLACEABLE}
    scope = Scope()
    try:
        yield scope
    finally:
        for (module, name), value in replaced.items():
            scope.replacements[(module, name)] = getattr(modules[module], name)
            setattr(modules[module], name, value)
        for signal in signals:
            for receiver_id in [key for key in signal.receivers if key not in connected[signal]]:
                receiver = _receiver(signal.receivers[receiver_id])
                if receiver is not None:
                    scope.added.setdefault(signal, []).append(receiver)
                    signal.disconnect(receiver)
