"""The swap is atomic: a build killed at any instant, even with SIGKILL, leaves a complete
site at output/; the next build removes what the killed one left; workers die with it."""

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from killable import KILLABLE
from support import ROOT, build_site, minimal_files, write_site

from tools import swap

OLD_SITE = {"index.html": "the last good site", "feeds/all.rss.xml": "<rss/>", "2014/03/a-post/index.html": "a post"}
# Generous: only a worker that never exits reaches it, so it never decides a passing run.
EXIT_TIMEOUT = 60


def files(folder):
    """{relative path: bytes} of every file under `folder` (following the folder if a link)."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def write_folder(folder, contents):
    """Write {relative path: text} into `folder`; return the folder."""
    for relative, text in contents.items():
        path = Path(folder) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(folder)


def staging_beside(output, contents):
    """A staging folder of this process beside `output`, holding `contents`."""
    staging = swap.temporary_name(output, swap.STAGING)
    staging.mkdir()
    return write_folder(staging, contents)


NEW_SITE = {"index.html": "the new site", "feeds/all.rss.xml": "<rss>new</rss>", "tag/x/index.html": "a tag"}


def as_bytes(contents):
    return {path: text.encode() for path, text in contents.items()}


def unsupported(first, second):
    raise swap.ExchangeUnsupported(22, "Invalid argument (as on a filesystem without RENAME_EXCHANGE)")


# --- the exchange itself -------------------------------------------------------------------


def tmpfs_folder():
    """/dev/shm when it is a tmpfs (it is on Linux), else None."""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            found = any(line.split()[1:3] == ["/dev/shm", "tmpfs"] for line in mounts)
    except OSError:
        return None
    return Path("/dev/shm") if found and os.access("/dev/shm", os.W_OK) else None


@pytest.mark.parametrize("where", ["disk", "tmpfs"])
def test_exchange_swaps_two_real_folders(tmp_path, where, request):
    if where == "tmpfs":
        base = tmpfs_folder()
        if base is None:
            pytest.skip("no writable tmpfs at /dev/shm")
        tmp_path = Path(tempfile.mkdtemp(dir=base))
        request.addfinalizer(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    first = write_folder(tmp_path / "first", {"a.html": "first"})
    second = write_folder(tmp_path / "second", {"b.html": "second"})
    swap.exchange(first, second)
    assert files(first) == {"b.html": b"second"}
    assert files(second) == {"a.html": b"first"}


def test_exchange_of_a_missing_folder_is_an_error_not_unsupported(tmp_path):
    write_folder(tmp_path / "there", {"a.html": "a"})
    with pytest.raises(OSError) as raised:
        swap.exchange(tmp_path / "missing", tmp_path / "there")
    assert not isinstance(raised.value, swap.ExchangeUnsupported)
    assert files(tmp_path / "there") == {"a.html": b"a"}


# --- swap_in, one filesystem call at a time ------------------------------------------------


class Snapshots:
    """Records what `output` holds after every filesystem call swap_in makes: each of
    those calls is atomic, so these are all the states a kill can leave."""

    def __init__(self, monkeypatch, output):
        self.output = output
        self.states = []
        for name in ("rename", "replace", "symlink"):
            monkeypatch.setattr(os, name, self._after(getattr(os, name)))
        monkeypatch.setattr(swap, "exchange", self._after(swap.exchange))

    def _after(self, function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            self.states.append(files(self.output) if self.output.exists() else None)
            return result

        return wrapper


def test_swap_in_exchanges_and_output_is_complete_after_every_step(tmp_path, monkeypatch):
    output = write_folder(tmp_path / "output", OLD_SITE)
    staging = staging_beside(output, NEW_SITE)
    snapshots = Snapshots(monkeypatch, output)
    retired = swap.swap_in(staging, output)

    assert snapshots.states, "swap_in made no filesystem call"
    assert all(state in (as_bytes(OLD_SITE), as_bytes(NEW_SITE)) for state in snapshots.states)
    assert files(output) == as_bytes(NEW_SITE)
    assert output.is_dir() and not output.is_symlink()
    assert files(retired) == as_bytes(OLD_SITE)
    assert not staging.exists()


def test_swap_in_without_the_exchange_links_output_and_each_later_swap_is_atomic(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "exchange", unsupported)
    output = write_folder(tmp_path / "output", OLD_SITE)
    # The first swap turns the real folder into a link: the one documented gap, during
    # which the old site is whole in its retired folder.
    retired = swap.swap_in(staging_beside(output, NEW_SITE), output)
    assert output.is_symlink() and files(output) == as_bytes(NEW_SITE)
    assert files(retired) == as_bytes(OLD_SITE)

    newer = {"index.html": "a newer site", "about/index.html": "about"}
    snapshots = Snapshots(monkeypatch, output)
    retired = swap.swap_in(staging_beside(output, newer), output)

    assert snapshots.states
    assert all(state in (as_bytes(NEW_SITE), as_bytes(newer)) for state in snapshots.states)
    assert files(output) == as_bytes(newer)
    assert files(retired) == as_bytes(NEW_SITE)
    assert swap.swap_target(output) == output  # a build swaps the link, not what it points at


def test_a_first_build_renames_staging_into_place(tmp_path):
    output = tmp_path / "output"
    assert swap.swap_in(staging_beside(output, NEW_SITE), output) is None
    assert files(output) == as_bytes(NEW_SITE)


def test_a_link_the_user_made_is_followed_and_its_folder_swapped(tmp_path):
    web_root = write_folder(tmp_path / "www" / "blog", OLD_SITE)
    output = tmp_path / "site" / "output"
    output.parent.mkdir()
    output.symlink_to(web_root)
    target = swap.swap_target(output)
    assert target == web_root.resolve()
    swap.swap_in(staging_beside(target, NEW_SITE), target)
    assert files(output) == as_bytes(NEW_SITE)
    assert output.is_symlink() and web_root.is_dir() and not web_root.is_symlink()


# --- what a later build removes --------------------------------------------------------------


def dead_pid():
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_are_replaced_sites_and_what_dead_builds_left(tmp_path):
    output = write_folder(tmp_path / "output", OLD_SITE)
    gone = dead_pid()
    dead_staging = write_folder(tmp_path / f".output-new-{gone}-abc123", {"index.html": "half"})
    dead_link = tmp_path / f".output-link-{gone}-abc123"
    dead_link.symlink_to(output)
    legacy_staging = write_folder(tmp_path / ".output-new-x1y2z3", {"index.html": "half"})
    replaced = write_folder(tmp_path / ".output-old-0123abcd", OLD_SITE)
    running_staging = staging_beside(output, {"index.html": "being built"})
    unrelated = write_folder(tmp_path / ".outputs-backup", OLD_SITE)

    leftovers = swap.leftover_folders(output)

    assert leftovers == sorted([dead_staging, dead_link, legacy_staging, replaced])
    assert running_staging not in leftovers and unrelated not in leftovers and output not in leftovers


def test_the_linked_build_is_never_a_leftover(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "exchange", unsupported)
    output = tmp_path / "output"
    swap.swap_in(staging_beside(output, OLD_SITE), output)
    swap.swap_in(staging_beside(output, NEW_SITE), output)
    current = output.parent / os.readlink(output)
    # Owned by a process that has ended, as after the build that made it.
    renamed = current.with_name(f".output-site-{dead_pid()}-ffff")
    os.rename(current, renamed)
    output.unlink()
    output.symlink_to(renamed.name)
    assert renamed not in swap.leftover_folders(output)
    assert files(output) == as_bytes(NEW_SITE)


def leftovers(output):
    return swap.leftover_folders(output)


def test_the_next_build_removes_a_stale_staging_folder(tmp_path):
    content = write_site(tmp_path, minimal_files())
    output = tmp_path / "output"
    build_site(content, output)
    before = files(output)
    stale = write_folder(tmp_path / f".output-new-{dead_pid()}-k1ll3d", {"index.html": "half a site"})
    build_site(content, output)
    assert not stale.exists()
    assert files(output) == before
    # Only the site this build replaced waits beside it, for the build after it.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [p.name for p in leftovers(output)]
    assert all(p.name.startswith(".output-old-") for p in leftovers(output))


# --- a real build, killed with SIGKILL ----------------------------------------------------------


def settings_file(tmp_path, **extra):
    """A settings file over a small fixture site (the real pelicanconf.py otherwise)."""
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    lines = [f"{name} = {value!r}" for name, value in {"PATH": str(content), **extra}.items()]
    settings.write_text("from pelicanconf import *\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return settings


def run_killable(step, settings, output, env=None):
    """Run the build, killed at `step`; return the CompletedProcess."""
    command = [sys.executable, str(KILLABLE), "build-killed-at", step, "--", "--settings", str(settings)]
    return subprocess.run(
        [*command, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """(settings file, the files of a complete build of it)."""
    folder = tmp_path_factory.mktemp("reference")
    settings = settings_file(folder)
    reference = folder / "reference"
    result = run_killable("swap-call-99", settings, reference)  # never reached: a normal build
    assert result.returncode == 0, result.stderr
    return settings, files(reference)


@pytest.mark.parametrize("calls", [0, 1, 2])
def test_a_build_killed_at_each_step_of_the_swap_leaves_a_complete_output(tmp_path, built_site, calls):
    settings, new_site = built_site
    output = write_folder(tmp_path / "output", OLD_SITE)

    killed = run_killable(f"swap-call-{calls}", settings, output)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    state = files(output)
    assert state in (as_bytes(OLD_SITE), new_site)
    # Before the exchange the old site is there; from the exchange on, the new one.
    assert state == (as_bytes(OLD_SITE) if calls == 0 else new_site)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".output-")]
    assert left  # the staging folder, or the retired old site

    finished = run_killable("swap-call-99", settings, output)
    assert finished.returncode == 0, finished.stderr
    assert files(output) == new_site
    assert [p.name for p in left if os.path.lexists(p)] == []


def wait_for_exit(pid, timeout=EXIT_TIMEOUT):
    """True once process `pid` (not necessarily our child) has ended, False at the timeout."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([handle], [], [], timeout)
        return bool(ready)
    finally:
        os.close(handle)


def test_a_build_killed_while_rendering_leaves_output_and_no_worker(tmp_path):
    settings = settings_file(tmp_path, FASTBUILD_WORKERS=2, FASTBUILD_MIN_BATCH=1)
    output = write_folder(tmp_path / "output", OLD_SITE)
    pids = tmp_path / "workers.txt"

    killed = run_killable("rendering", settings, output, env={"KILLABLE_PIDS": str(pids)})

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    workers = [int(line) for line in pids.read_text(encoding="utf-8").split()]
    assert workers
    assert [pid for pid in workers if not wait_for_exit(pid)] == []
    assert files(output) == as_bytes(OLD_SITE)
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".output-new-")]
    assert stale  # the half-written staging folder

    finished = run_killable("swap-call-99", settings, output)
    assert finished.returncode == 0, finished.stderr
    assert "index.html" in files(output) and files(output) != as_bytes(OLD_SITE)
    assert not [p for p in stale if p.exists()]


# --- workers end with the build process ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["writer", "syndication", "reader", "watch"])
def test_workers_exit_when_their_build_process_is_killed(kind):
    parent = subprocess.Popen([sys.executable, str(KILLABLE), kind], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers, f"the {kind} workers did not start"
        assert parent.poll() is None  # blocked in its work, as are its workers
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=EXIT_TIMEOUT)
        assert [pid for pid in workers if not wait_for_exit(pid)] == []
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
