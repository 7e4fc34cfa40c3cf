#!/usr/bin/env bash
# The relevance side-by-side: builds benches/relevance/site with guichet, indexes the same built
# pages with Pagefind from the npm registry, runs both engines on the judged queries of
# queries.json and prints recall@1, recall@3 and MRR for each.
#
#   benches/relevance/run.sh [REV]
#
# With REV (a git revision), the same figures for that revision's guichet too ("before"): its
# binary is built in a temporary folder, its search.js and index are used.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 benches/relevance/generate.py >/dev/null
cargo build --release --locked --quiet
target/release/guichet build --root benches/relevance/site --out "$work/site" >/dev/null

# Pagefind's npm package ships its prebuilt binary; nothing is installed in the repository.
echo '{"type": "module"}' > "$work/package.json"
(cd "$work" && npm install --silent --no-audit --no-fund pagefind@1 >/dev/null)
"$work/node_modules/.bin/pagefind" --site "$work/site" --output-subdir _pagefind --root-selector main >/dev/null
echo "pagefind $("$work/node_modules/.bin/pagefind" --version | cut -d' ' -f2), $(find "$work/site/kb" -mindepth 1 -type d | wc -l) pages"
node benches/relevance/compare.mjs "$work/site" --pagefind _pagefind

if [ "$#" -ge 1 ]; then
  rev=$1
  mkdir "$work/before"
  git archive "$rev" | tar -x -C "$work/before"
  cargo build --release --locked --quiet --manifest-path "$work/before/Cargo.toml" --target-dir "$repo/target/relevance-before"
  "$repo/target/relevance-before/release/guichet" build --root benches/relevance/site --out "$work/site-before" >/dev/null
  echo "before: guichet at $rev"
  node benches/relevance/compare.mjs "$work/site-before" --search-js "$work/before/themes/guichet/static/search.js"
fi
