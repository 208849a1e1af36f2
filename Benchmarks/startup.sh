#!/bin/sh
# Whole-process start-up benchmarks (issues 2 and 4): the installed build of vcpuid against the C references,
# run alternately (A B A B ...) by Benchmarks/c/alternate so that both programs see the same machine load.
#
#   Benchmarks/startup.sh [RUNS] [VCPUID]
#
# RUNS defaults to 200. VCPUID defaults to the install build of docs/startup.md, made here with the same command:
#   swift build -c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-install
# Set DYNAMIC=1 to also build and measure the default dynamic release build (.build/release/vcpuid).
# Set CPU=N to pin the measurement (and its children) to one CPU with taskset (default: CPU 1; CPU= to not pin).
# Needs cc, Debian's cpuid (apt-get install -y cpuid) and read/write access to /dev/kvm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

"$here/c/build.sh" "$work" >/dev/null
if [ $# -ge 2 ]; then
    vcpuid=$2
else
    (cd "$root" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable \
        --scratch-path .build-install --product vcpuid 2>&1 | tail -1)
    vcpuid="$root/.build-install/release/vcpuid"
fi
set -- "$vcpuid"
if [ "${DYNAMIC:-0}" = 1 ]; then
    (cd "$root" && swift build -c release --product vcpuid 2>&1 | tail -1)
    set -- "$vcpuid" "$root/.build/release/vcpuid"
fi
pin=""
cpu=${CPU-1}
if [ -n "$cpu" ] && command -v taskset >/dev/null; then pin="taskset -c $cpu"; fi
command -v cpuid >/dev/null || { echo "startup.sh: Debian's cpuid is missing (apt-get install -y cpuid)" >&2; exit 1; }

echo "== issue 2: vcpuid dump vs cpuid -1 -r (target: median ratio <= 5)"
args=""
for v in "$@"; do args="$args -- $v dump"; done
# shellcheck disable=SC2086
$pin "$work/alternate" "$runs" $args -- cpuid -1 -r

echo
echo "== issue 4: vcpuid kvm supported --format raw vs C KVM_GET_SUPPORTED_CPUID (target: median ratio <= 3)"
args=""
for v in "$@"; do args="$args -- $v kvm supported --format raw"; done
# shellcheck disable=SC2086
$pin "$work/alternate" "$runs" $args -- "$work/kvm_supported"

if command -v perf >/dev/null; then
    echo
    echo "== CPU time and page faults per process (perf stat -r 50; not inflated by other load)"
    for command in "$vcpuid dump" "cpuid -1 -r" "$vcpuid kvm supported --format raw" "$work/kvm_supported"; do
        # shellcheck disable=SC2086
        printf '%-60s %s\n' "$command" "$(perf stat -r 50 -x, -e task-clock,page-faults $command 2>&1 >/dev/null \
            | awk -F, '{ printf "%s %s %s  ", $1, $2, $3 }')"
    done
fi
