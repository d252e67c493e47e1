"""The web worker limits glibc's malloc arenas (musees/core/memory.py)."""

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ.pop("MALLOC_ARENA_MAX", None)
from musees.core.memory import limit_malloc_arenas
sys.exit(0 if limit_malloc_arenas() else 3)
"""


def test_arena_limit_is_set_on_this_platform():
    """On Linux with glibc (the servers and CI), the limit is really applied."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], check=False)
    assert result.returncode == 0, "glibc mallopt(M_ARENA_MAX) could not be set"


def test_an_explicit_environment_setting_wins(monkeypatch):
    from musees.core.memory import limit_malloc_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False
