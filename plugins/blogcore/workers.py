"""What worker processes of every plugin share: how many this build may use, and one way
to share work out among forked workers."""

import gc
import logging
import multiprocessing
import os
import pickle
import traceback

from .lifetime import forking_workers, start_worker


def usable_cpus():
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _CapturedLogs(logging.Handler):
    """Keeps a worker's log records so the build process can log them as its own."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records = []

    def emit(self, record):
        try:
            pickle.dumps((record.msg, record.args))
        except Exception:  # unpicklable arguments: keep the formatted text
            record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _run_share(work, share, connection):
    # In the worker: its own signal handling (Ctrl-C is for the build process, which stops
    # its workers) and an end with the build process, however that ends; its log records
    # and its result, or its error, go back to the build process.
    start_worker()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    captured = _CapturedLogs()
    root.addHandler(captured)
    try:
        result = work(share)
    except BaseException as error:  # reported to the build process, which raises it
        try:
            payload = pickle.dumps(error)
        except Exception:
            payload = None
        connection.send(("error", captured.records, payload, traceback.format_exc()))
    else:
        connection.send(("ok", captured.records, result, None))
    finally:
        connection.close()


def _raise_worker_error(payload, text, what):
    error = None
    if payload is not None:
        try:
            error = pickle.loads(payload)
        except Exception:
            error = None
    if not isinstance(error, BaseException):
        raise RuntimeError(f"a {what} worker failed:\n{text}")
    error.add_note(f"Raised in a {what} worker:\n{text}")
    raise error


def share_out(items, work, workers, what):
    """[work(share) for each share] of `items` split across `workers` processes: this one
    and workers - 1 forks (which see the build's objects without pickling them; only what
    `work` returns comes back). A worker's log records are logged here; a worker's error
    is raised here with its traceback, and a worker that dies fails the build: never a
    silent retry. `what` names the work in errors ("page rendering")."""
    shares = [items[number::workers] for number in range(workers)]
    context = multiprocessing.get_context("fork")
    children = []
    # Freeze what exists now so no worker's garbage collector touches (and so copies)
    # the objects every process shares after the fork.
    gc.freeze()
    try:
        with forking_workers():
            for share in shares[1:]:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_run_share, args=(work, share, sender), daemon=True)
                process.start()
                sender.close()
                children.append((process, receiver))
        gc.unfreeze()
        results = [work(shares[0])]
        for process, receiver in children:
            try:
                status, records, payload, text = receiver.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"a {what} worker died (exit code {process.exitcode})") from None
            process.join()
            for record in records:
                logging.getLogger(record.name).handle(record)
            if status == "error":
                _raise_worker_error(payload, text, what)
            results.append(payload)
        return results
    finally:
        gc.unfreeze()
        for process, receiver in children:
            receiver.close()
            if process.is_alive():  # only when this process failed or was interrupted
                process.terminate()
                process.join()
