// Copy the front-end libraries installed by npm into musees/static/vendor/ (git-ignored), so
// Django's static files serve them. Their code is never committed to the source tree.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "musees", "static", "vendor");

const copies = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  // Source maps: the minified files name them, and collectstatic's manifest requires them.
  ["leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js.map", "leaflet.markercluster/leaflet.markercluster.js.map"],
  ["leaflet.markercluster/dist/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"],
  ["leaflet.markercluster/MIT-LICENCE.txt", "leaflet.markercluster/MIT-LICENCE.txt"],
  ["openseadragon/build/openseadragon/openseadragon.min.js", "openseadragon/openseadragon.min.js"],
  ["openseadragon/build/openseadragon/openseadragon.min.js.map", "openseadragon/openseadragon.min.js.map"],
  ["openseadragon/build/openseadragon/images", "openseadragon/images"],
  ["openseadragon/LICENSE.txt", "openseadragon/LICENSE.txt"],
  // htmx: the collections search updates its results in place (no source map shipped).
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["htmx.org/LICENSE", "htmx/LICENSE"],
  ["@fontsource/source-serif-4/files", "fonts/source-serif-4"],
  ["@fontsource/source-serif-4/LICENSE", "fonts/source-serif-4/LICENSE"],
  ["@fontsource/source-sans-3/files", "fonts/source-sans-3"],
  ["@fontsource/source-sans-3/LICENSE", "fonts/source-sans-3/LICENSE"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  // Fonts: only the Latin subsets in WOFF2, which every supported browser reads.
  const filter = (src) => !/\.woff2?$/.test(src) || /-latin(-ext)?-\d+-(normal|italic)\.woff2$/.test(src);
  cpSync(join(modules, from), target, { recursive: true, filter });
}
console.log(`vendor: ${copies.length} entries copied to ${vendor}`);
