"""Production settings for the benchmark, with one difference: static files without a manifest.

`collectstatic` with the manifest storage currently stops on vendor/leaflet/leaflet.js, which
names a source map (leaflet.js.map) that scripts/copy-vendor.mjs does not copy. Until that is
fixed, the benchmark collects with whitenoise's compressed storage (same serving path, file names
without hashes), which changes nothing to what is measured.
"""

from musees.settings.base import *  # noqa: F403
from musees.settings.base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
