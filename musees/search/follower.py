"""Indexing at import speed: a second process follows a bulk import and builds its segment.

A large import changes more works than the change log can serve from memory (DELTA_LIMIT):
they used to wait for `rebuild()` after the import. The follower reads the change log while
the import runs, in a process of its own (the second core), and adds the current document of
every work changed to a segment builder; when the import ends, it reads the last batches,
writes the segment and installs it like a rebuild (`engine.install`): the imported works are
searchable a few seconds after the last batch is committed.

It is correct for the same reasons as a rebuild:
- the builder starts from every public work read after a watermark W0 (`committed_change()`);
  then, for each range of committed changes (W, W'], it reads again the works they name (a
  work read twice keeps its last document, a work no longer public is removed), so the segment
  holds every change up to its watermark and the change log serves what came after;
- the change log is pruned only by `install()`, one generation late;
- a crash of the import or of the follower leaves the previous segment and the change log:
  searches stay right (read-your-writes as before) and the next rebuild catches up.

Until the import has changed REBUILD_AFTER_IMPORT works, the follower only counts them: a small
import stays in the change log, as before.
"""

import logging
import multiprocessing
import os
import signal
import time
from contextlib import contextmanager

from django.db import connections

from .documents import Vocabularies, all_documents, documents_for
from .engine import (
    REBUILD_AFTER_IMPORT,
    _build_lock,
    committed_change,
    index_root,
    install,
    latest_change,
)
from .index import SegmentBuilder
from .models import SearchChange

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # between two looks at the change log while nothing new is committed
RANGE_READ = 5_000  # works read by id range (not by list) when their ids are this close
FINISH_TIMEOUT = 3600  # seconds the import waits for the follower's segment at most


class Follower:
    """The follower's work, one step at a time (in its own process, or inline in tests)."""

    def __init__(self, threshold: int = REBUILD_AFTER_IMPORT):
        self.threshold = threshold
        self.started = time.monotonic()
        self.watermark = committed_change()
        self.changed: set[int] = set()  # works changed, counted until the building starts
        self.builder: SegmentBuilder | None = None
        self.vocabularies: Vocabularies | None = None

    @property
    def building(self) -> bool:
        return self.builder is not None

    def step(self) -> int:
        """Read the changes committed since the last step; the number of change rows read."""
        if latest_change() <= self.watermark:  # nothing new (no lock taken to know it)
            return 0
        latest = committed_change()
        if latest <= self.watermark:
            return 0
        rows = SearchChange.objects.filter(id__gt=self.watermark, id__lte=latest)
        work_ids = set(rows.values_list("work_id", flat=True))
        count = latest - self.watermark
        self.watermark = latest
        if self.builder is None:
            self.changed |= work_ids
            if len(self.changed) >= self.threshold:
                self._start()
            return count
        self._read(work_ids)
        return count

    def _start(self) -> None:
        """Every public work as it is now: the works changed so far are in the database."""
        self.vocabularies = Vocabularies()
        self.builder = SegmentBuilder(replaceable=True)
        for document in all_documents(self.vocabularies):
            self.builder.add(document)
        self.changed = set()

    def _read(self, work_ids: set[int]) -> None:
        """Read these works again: their current document, or none (no longer public)."""
        found = set()
        for document in documents_of(sorted(work_ids), self.vocabularies):
            self.builder.add(document)
            found.add(document.work_id)
        for work_id in work_ids - found:
            self.builder.remove(work_id)

    def finish(self) -> dict:
        """After the import: the last changes, then the segment made current (when building)."""
        started = time.monotonic()
        self.step()
        caught_up = time.monotonic()
        if self.builder is None:
            return {"installed": False, "changed": len(self.changed)}
        # A vocabulary entry renamed during the import logged its works, which may have been
        # read with the old label: read them again with the labels of now.
        fresh = Vocabularies()
        renamed = self.vocabularies.renamed(fresh)
        self.vocabularies = fresh
        if renamed:
            self._read(set(renamed))
        with _build_lock(index_root()):
            self.step()
            state = install(self.builder, self.watermark, self.started)
        return {
            "installed": state.watermark == self.watermark,
            "documents": state.documents,
            "watermark": self.watermark,
            "last_changes_seconds": round(caught_up - started, 1),
            "segment_seconds": round(time.monotonic() - caught_up, 1),
        }


def documents_of(work_ids: list[int], vocabularies: Vocabularies):
    """The documents of these works (sorted ids), read by id range where the ids are close (an
    import's batch) and by list elsewhere."""
    start = 0
    while start < len(work_ids):
        end = start + 1
        while (
            end < len(work_ids)
            and end - start < RANGE_READ
            and work_ids[end] - work_ids[start] < 2 * (end - start + 1)
        ):
            end += 1
        chunk = work_ids[start:end]
        if len(chunk) > 50:
            wanted = set(chunk)
            for document in all_documents(vocabularies, first=chunk[0], last=chunk[-1]):
                if document.work_id in wanted:
                    yield document
        else:
            yield from documents_for(chunk, vocabularies)
        start = end


# The follower's process --------------------------------------------------------------------


def _follow(channel, threshold: int) -> None:
    """The child process: steps until the import says "finish" (or "abort", or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the import's to handle
    result: dict = {"installed": False}
    try:
        follower = Follower(threshold)
        while True:
            if channel.poll(0 if follower.step() else POLL_SECONDS):
                command = channel.recv()
                if command == "finish":
                    result = follower.finish()
                break
    except EOFError:  # the import's process is gone: leave the index as it is
        return
    except Exception as error:  # reported to the import, which rebuilds instead
        logger.exception("Le suivi de l'import par l'index de recherche a échoué.")
        result = {"installed": False, "error": repr(error)}
    finally:
        connections.close_all()
    try:
        channel.send(result)
    except (BrokenPipeError, OSError):
        pass


class FollowedImport:
    """The follower process of one import: started before it, told when it ends."""

    def __init__(self, threshold: int = REBUILD_AFTER_IMPORT):
        connections.close_all()  # the child opens its own connections
        context = multiprocessing.get_context("fork")
        self.channel, child_end = context.Pipe()
        self.process = context.Process(
            target=_follow, args=(child_end, threshold), name="search-follower", daemon=True
        )
        self.process.start()
        child_end.close()
        self.result: dict | None = None

    def finish(self, install_segment: bool = True, timeout: float = FINISH_TIMEOUT) -> dict | None:
        """Tell the follower the import is over; its result, or None if it failed or died."""
        try:
            self.channel.send("finish" if install_segment else "abort")
            if self.channel.poll(timeout):
                self.result = self.channel.recv()
        except (EOFError, BrokenPipeError, OSError):
            self.result = None
        finally:
            self.channel.close()
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        if self.result is not None and self.result.get("error"):
            return None
        return self.result


@contextmanager
def followed_import(threshold: int = REBUILD_AFTER_IMPORT, enabled: bool = True):
    """`with followed_import() as follower: works_import(...)`, then `follower.result`.

    The segment is installed when the block ends, normally or by an exception (what was
    committed is in it); a KeyboardInterrupt leaves the index as it is.
    """
    if not enabled:
        yield None
        return
    followed = FollowedImport(threshold)
    try:
        yield followed
    except KeyboardInterrupt:
        followed.finish(install_segment=False, timeout=30)
        raise
    except BaseException:
        followed.finish()
        raise
    followed.finish()


def follower_available() -> bool:
    """A second process needs fork (not on Windows), a database other processes can read, and
    an import that commits its batches (not one inside a caller's transaction: the follower
    would see nothing of it, and the connection cannot be closed before the fork)."""
    connection = connections["default"]
    database = connection.settings_dict
    in_memory = database["ENGINE"].endswith("sqlite3") and (
        database["NAME"] == ":memory:" or "mode=memory" in str(database["NAME"])
    )
    return hasattr(os, "fork") and not in_memory and not connection.in_atomic_block
