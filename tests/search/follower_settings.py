"""Settings of the subprocesses of test_follower.py: the test settings, with the search index in
a folder the test names (shared by its subprocesses) and a large import from 100 works."""

import os

from musees.settings.test import *  # noqa: F403

SEARCH_INDEX_DIR = os.environ["MUSEES_TEST_SEARCH_DIR"]
SEARCH_REBUILD_AFTER_IMPORT = 100
