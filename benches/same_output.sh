#!/usr/bin/env bash
# Proves that two guichet binaries build byte-identical sites: the demo site of this
# repository, the site bench's corpora (1,000 and 10,000 procedure pages, 10,000 ticket
# write-ups) and ../shared/bench/gen_md.py's FR/EN corpus when present. For a restructuring
# that must not change the output.
#
#   benches/same_output.sh REV            # the binary of git revision REV against this tree's
#   benches/same_output.sh BEFORE AFTER   # two binaries already built
#
# Exits 0 when every site is identical, 1 with the differing files otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${SAME_OUTPUT_DIR:-$(mktemp -d /tmp/guichet-same-output.XXXXXX)}"
mkdir -p "$work"

binary_of_rev() {
  local rev="$1" tree="$work/tree-$1"
  if [ ! -x "$work/guichet-$rev" ]; then
    rm -rf "$tree"
    git worktree add --detach -q "$tree" "$rev"
    CARGO_TARGET_DIR="$work/target-rev" cargo build --release --locked --quiet \
      --manifest-path "$tree/Cargo.toml" --bin guichet
    cp "$work/target-rev/release/guichet" "$work/guichet-$rev"
    git worktree remove --force "$tree"
  fi
  echo "$work/guichet-$rev"
}

if [ "$#" -eq 2 ]; then
  before="$1"
  after="$2"
else
  before="$(binary_of_rev "${1:?usage: same_output.sh REV | BEFORE AFTER}")"
  cargo build --release --locked --quiet --bin guichet
  after="target/release/guichet"
fi

# The corpora are written once per folder and reused by later runs.
corpus() {
  local name="$1" pages="$2" kind="${3:-}"
  [ -d "$work/$name" ] || cargo bench --quiet --bench site -- --write "$work/$name" "$pages" $kind >/dev/null
}
corpus c1k 1000
corpus c10k 10000
corpus t10k 10000 tickets
sites=("demo=$PWD" "c1k=$work/c1k" "c10k=$work/c10k" "t10k=$work/t10k")
if [ -f ../shared/bench/gen_md.py ]; then
  [ -d "$work/gen_md" ] || python3 ../shared/bench/gen_md.py 2000 "$work/gen_md" >/dev/null
  sites+=("gen_md=$work/gen_md/guichet")
fi

status=0
for entry in "${sites[@]}"; do
  name="${entry%%=*}"
  root="${entry#*=}"
  for side in before after; do
    rm -rf "$work/out-$side-$name"
    "${!side}" build --root "$root" --out "$work/out-$side-$name" >/dev/null
  done
  # The list of a folder's files (.guichet-files) is left out: binaries before it write none.
  if diff -r -q -x .guichet-files "$work/out-before-$name" "$work/out-after-$name"; then
    echo "$name: identical ($(find "$work/out-after-$name" -type f | wc -l) files)"
  else
    echo "$name: DIFFERENT"
    status=1
  fi
done
exit $status
