#!/bin/sh
# Builds the C comparison programs into $1 (default: Benchmarks/c/bin, which git ignores).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/bin"}
mkdir -p "$out"
for source in "$here"/*.c; do
    name=$(basename "$source" .c)
    ${CC:-cc} -O2 -Wall -Wextra -o "$out/$name" "$source"
done
echo "built into $out"
