"""Keep a threaded web worker's memory small: few malloc arenas.

glibc gives each thread that allocates its own memory arena, up to 8 per core: a gunicorn
worker with 32 threads ends up with dozens of half-empty arenas (measured by `make
bench-search`: 430-450 MB per worker after the search query set, against 270 MB with 2
arenas, for the same speed). `limit_malloc_arenas()` sets the limit (M_ARENA_MAX) before the
threads start; the `MALLOC_ARENA_MAX` environment variable, when set, wins (glibc reads it
itself). Elsewhere than glibc (macOS, musl) it does nothing.
"""

import ctypes
import ctypes.util
import os

M_ARENA_MAX = -8  # from glibc's malloc.h
DEFAULT_ARENAS = 2


def limit_malloc_arenas(arenas: int = DEFAULT_ARENAS) -> bool:
    """Limit glibc's malloc arenas; True when the limit was set."""
    if os.environ.get("MALLOC_ARENA_MAX") or arenas < 1:
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))
