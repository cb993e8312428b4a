"""One build that leaves the process as it found it.

Pelican connects every plugin's receivers when it loads the plugins and never
disconnects them, and a plugin may replace a name in Pelican's modules for lack of a
signal (fastbuild's process_translations). In one process that builds many times (the
dev server, the tests) a later build would then run with the receivers of plugins it
does not list. `build_scope` notes the receivers of every Pelican signal and the names
plugins may replace before a build, and after it disconnects what was connected and
puts back what was replaced.
"""

import importlib
import weakref
from contextlib import contextmanager

from blinker import Signal
from pelican.plugins import signals as pelican_signals

# (module, name) of everything in Pelican a plugin of ours may replace.
REPLACEABLE = (("pelican.generators", "process_translations"),)


def pelican_signals_list():
    """Every signal Pelican declares (pelican/plugins/signals.py), in a stable order."""
    return [value for _, value in sorted(vars(pelican_signals).items()) if isinstance(value, Signal)]


def _receiver(reference):
    """The receiver a blinker reference stands for (None once a weak one has died)."""
    return reference() if isinstance(reference, weakref.ref) else reference


@contextmanager
def build_scope():
    """Run the body (one Pelican build) so that afterwards every signal has the receivers
    it had before and every REPLACEABLE name its value from before."""
    signals = pelican_signals_list()
    connected = {signal: set(signal.receivers) for signal in signals}
    modules = {name: importlib.import_module(name) for name, _ in REPLACEABLE}
    replaced = {(module, name): getattr(modules[module], name) for module, name in REPLACEABLE}
    try:
        yield
    finally:
        for (module, name), value in replaced.items():
            setattr(modules[module], name, value)
        for signal in signals:
            for receiver_id in [key for key in signal.receivers if key not in connected[signal]]:
                receiver = _receiver(signal.receivers[receiver_id])
                if receiver is not None:
                    signal.disconnect(receiver)
