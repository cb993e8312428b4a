"""Swap a finished build into the output folder in one step, so that a build killed at
any instant (even with SIGKILL) leaves a complete site at `output/`.

Every build writes into a staging folder beside the output folder. Swapping it in:

- **output/ is a real folder (the normal case)**: the two folders are exchanged with
  Linux's renameat2(RENAME_EXCHANGE), one system call that swaps two names: at every
  instant `output/` is either the whole old site or the whole new one. The old site,
  now under the staging name, is then renamed aside for the next build to delete.
  ext4, xfs, btrfs and tmpfs support it (Linux 3.15 and later).
- **where the exchange is unsupported** (another OS, an old kernel, a filesystem that
  refuses it), `output` becomes a symbolic link to the current build (a `.output-site-*`
  folder beside it), and each swap replaces the link with os.replace (rename(2) onto an
  existing name is atomic on every POSIX system). A symlink is the fallback, not the
  rule, because a real folder is what every tool expects (`rsync output/`, ghp-import,
  the Pages upload, a web server root); those follow a link too, but a link is one more
  thing to explain. The first swap in this mode, which turns a real `output/` folder into
  the link, cannot be atomic: the old folder is renamed aside before the link takes its
  name, and a kill in that instant leaves no `output/` (the old site is then whole in
  its `.output-old-*` folder). Every later swap is atomic, and `output` stays a link
  from then on (`make clean` removes it and every build folder).

Every temporary name beside the output says what it is and which process made it
(`.output-new-<pid>-*` staging, `.output-site-<pid>-*` a linked build, `.output-link-<pid>-*`
a link being made, `.output-old-*` a replaced site): `leftover_folders` lists what a
later build may delete: every replaced site, and whatever else a build that is no longer
running left behind (killed before it could clean up).
"""

import ctypes
import ctypes.util
import errno
import os
import secrets
import sys
from pathlib import Path

AT_FDCWD = -100  # from <fcntl.h>: paths relative to the working directory
RENAME_EXCHANGE = 2  # from <linux/fs.h>
# errno values meaning "this kernel, C library or filesystem cannot exchange".
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}

STAGING, SITE, LINK, RETIRED = "new", "site", "link", "old"


class ExchangeUnsupported(OSError):
    """renameat2(RENAME_EXCHANGE) is not available for these paths."""


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first, second):
    """Atomically swap the names `first` and `second` (both must exist).

    Raises ExchangeUnsupported where the system cannot, OSError for any other failure.
    """
    function = _renameat2()
    if function is None:
        raise ExchangeUnsupported(errno.ENOSYS, "renameat2 is not available", str(first))
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        error_type = ExchangeUnsupported if code in _UNSUPPORTED else OSError
        raise error_type(code, os.strerror(code), str(first), None, str(second))


def temporary_name(output, kind, pid=None):
    """A new, unused path beside `output` for `kind` (STAGING, SITE, LINK or RETIRED)."""
    output = Path(output)
    owner = f"{os.getpid() if pid is None else pid}-" if kind != RETIRED else ""
    while True:
        path = output.parent / f".{output.name}-{kind}-{owner}{secrets.token_hex(6)}"
        if not os.path.lexists(path):
            return path


def swap_target(output):
    """The absolute path a build of `output` swaps its site in at.

    Symbolic links are resolved as usual (a user's `output` linking to a web server's
    folder gets the site in that folder), except the link this module makes in its
    fallback mode, which is the output itself.
    """
    output = Path(os.path.abspath(output))
    output = output.parent.resolve() / output.name
    return output if _linked_build(output) is not None else output.resolve()


def staging_prefix(output):
    """The tempfile.mkdtemp prefix of this process's staging folders for `output`."""
    output = Path(output)
    return f".{output.name}-{STAGING}-{os.getpid()}-"


def retire(path, output):
    """Rename `path` (a replaced site) aside for the next build to delete; return its new path."""
    retired = temporary_name(output, RETIRED)
    os.rename(path, retired)
    return retired


def swap_in(staging, output):
    """Make the complete site in `staging` the site at `output`, atomically.

    Returns the path the replaced site was moved to (None when there was none): it is
    deleted by the next build (leftover_folders), because deleting a large site takes
    seconds of disk time the build need not wait for.
    """
    staging, output = Path(staging), Path(output)
    if not os.path.lexists(output):
        os.rename(staging, output)
        return None
    if not output.is_symlink():
        try:
            exchange(staging, output)
        except ExchangeUnsupported:
            return _swap_link(staging, output)
        return retire(staging, output)  # `staging` now names the old site
    return _swap_link(staging, output)


def _linked_build(output):
    # The build folder `output` links to, when it is one of ours beside it.
    if not output.is_symlink():
        return None
    target = output.parent / os.readlink(output)
    parsed = _parse(target.name, output) if target.parent == output.parent else None
    return target if parsed is not None and parsed[0] == SITE else None


def _swap_link(staging, output):
    site = temporary_name(output, SITE)
    os.rename(staging, site)
    link = temporary_name(output, LINK)
    os.symlink(site.name, link)  # relative: the folder holding both may move
    if output.is_symlink():
        previous = _linked_build(output)
        os.replace(link, output)  # atomic: the old link or the new one, never neither
        return retire(previous, output) if previous is not None else None
    # A real folder cannot be replaced by a link in one step: this is the one swap with
    # an instant without `output` (the old site is whole in its retired folder then).
    retired = retire(output, output)
    os.replace(link, output)
    return retired


def _parse(name, output):
    # (kind, pid or None) of one of our temporary names beside `output`, else None.
    prefix = f".{Path(output).name}-"
    if not name.startswith(prefix):
        return None
    kind, _, rest = name.removeprefix(prefix).partition("-")
    if kind not in (STAGING, SITE, LINK, RETIRED):
        return None
    owner = rest.split("-", 1)[0]
    return kind, int(owner) if owner.isdigit() and "-" in rest else None


def _running(pid):
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def leftover_folders(output):
    """Everything beside `output` a build may delete: replaced sites, and the staging
    folders, linked builds and links of builds that are no longer running (a build
    killed before it could clean up). The site `output` links to is never listed."""
    output = Path(output)
    current = _linked_build(output)
    found = []
    for path in output.parent.glob(f".{output.name}-*"):
        parsed = _parse(path.name, output)
        if parsed is None or path == current:
            continue
        kind, pid = parsed
        if kind == RETIRED or not _running(pid):
            found.append(path)
    return sorted(found)
