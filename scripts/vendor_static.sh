#!/usr/bin/env bash
# Re-vendor the front-end libraries from the npm registry (no CDN at run time).
# Versions are pinned here; bump them deliberately and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/matchday/static/vendor
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent @picocss/pico@2.1.1 htmx.org@2.0.8 chart.js@4.5.1 >/dev/null)
for f in "$tmp"/*.tgz; do tar xzf "$f" -C "$tmp" && mv "$tmp/package" "$tmp/$(basename "$f" .tgz)"; done
cp "$tmp"/picocss-pico-2.1.1/css/pico.indigo.min.css "$dest/"
cp "$tmp"/picocss-pico-2.1.1/LICENSE.md "$dest/pico.LICENSE.md"
cp "$tmp"/htmx.org-2.0.8/dist/htmx.min.js "$dest/"
cp "$tmp"/htmx.org-2.0.8/LICENSE "$dest/htmx.LICENSE"
cp "$tmp"/chart.js-4.5.1/dist/chart.umd.min.js "$dest/"
cp "$tmp"/chart.js-4.5.1/LICENSE.md "$dest/chart.LICENSE.md"
rm -rf "$tmp"
# Source maps are not vendored: drop the comments that point at them, or collectstatic's
# manifest storage (production) refuses the file (tests/app/test_production_static.py).
sed -i -E '/^\/[\/*]# sourceMappingURL=/d' "$dest"/*.js "$dest"/*.css
echo "vendored into $dest"
