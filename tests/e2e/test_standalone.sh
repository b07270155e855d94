#!/usr/bin/env bash
# The repository stands alone: no tracked file cites something that is not
# in the tree -- a path on the machine it was written on (/work/, /root/,
# /home/), a folder of notes next to it (shared/, ../shared) or the notes
# themselves (their file names are the patterns below). A fact belongs in
# docs/ with its original source: a
# paper, datasheet or kernel file in docs/references.md, a SimGrid
# measurement in docs/simgrid-notes.md with the procedure under bench/.
# Each hit fails as FILE:LINE. Names are matched case-sensitively, so the
# in-tree docs/references.md and docs/scenario.md do not match.
source "$(dirname "$0")/lib.sh"

self=tests/e2e/test_standalone.sh
pattern='(^|[^A-Za-z0-9_.~-])/(work|root|home)/'
pattern+='|(^|[^A-Za-z0-9_])(\.\./)*shared/'
pattern+='|SIMGRID-NOTES|REFERENCES\.md|DESIGN\.md|SCENARIO\.md|simgrid-bench'

cd "$SRCDIR"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    git ls-files -z > "$WORK/files"
else # an exported tree: every file but build outputs and VCS data
    find . -type f ! -path './build*' ! -path './.git/*' -printf '%P\0' > "$WORK/files"
fi

hits=$WORK/hits
grep -v -z -x -F "$self" "$WORK/files" | xargs -0 -r grep -n -I -E "$pattern" -- > "$hits" || true
if [ -s "$hits" ]; then
    while IFS= read -r line; do
        CHECKS=$((CHECKS + 1))
        fail "out-of-tree reference: $line"
    done < "$hits"
else
    CHECKS=$((CHECKS + 1))
    pass "$(tr -cd '\0' < "$WORK/files" | wc -c) tracked files cite nothing outside the tree"
fi
finish
