"""What worker pools of every plugin share: how many processes this build may use."""

import os


def usable_cpus():
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
