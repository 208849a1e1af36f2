#!/usr/bin/env bash
# Runs the README's command tour on the repository's fixtures with two vcpuid binaries and prints every
# command whose output (stdout, stderr and exit status) differs: the before/after check of a refactoring.
# Only file inputs are used, so the runs are repeatable; live commands (report, kvm supported, guest verify)
# depend on the machine and are compared by the test suite instead.
#
# usage: scripts/compare-tour.sh OLD_VCPUID NEW_VCPUID [OUTPUT_DIR]
set -uo pipefail
old=$1 new=$2 out=${3:-$(mktemp -d)}
cd "$(dirname "$0")/.."
aex=Tests/Fixtures/sgx/aex-notify-capable.cpuid
epyc=Tests/Fixtures/formats/epyc-2cpu.cpuid-r.txt
aida=Tests/Fixtures/formats/aida-two-cpus.txt
json=Tests/Fixtures/formats/json-small.json
template=Tests/Fixtures/firecracker/sgx-aexnotify.json
tour=(
    "dump $epyc --all-cpus"
    "dump $aida --all-cpus --format json"
    "dump $aida --cpu 1 --format aida"
    "dump $json --format libvirt"
    "convert $aida --format raw"
    "decode $epyc"
    "decode $aex --leaf 0x12"
    "decode $epyc --json"
    "flags $epyc"
    "flags $epyc --json"
    "flags $aex --kernel 6.1"
    "flags $aex --kernel 6.2"
    "flags $aex --kernel 6.18 --clear sgx1"
    "explain sgx-edeccssa $aex"
    "explain sgx-edeccssa $aex --kernel 6.1"
    "explain sgx-edeccssa $aex --json"
    "explain avx512f $epyc"
    "kvm predict $aex --kernel 6.1"
    "kvm predict $aex --kernel 6.2"
    "kvm predict $aex --kernel 6.18 --json"
    "kvm predict $epyc --kernel 6.18 --module amd"
    "kvm explain sgx_edeccssa $aex --kernel 6.1"
    "kvm explain sgx_edeccssa $aex --kernel 6.2 --json"
    "guest show --base $aex --kernel 6.2 --enable sgx-edeccssa"
    "guest show --base $aex --disable sgx1 --enable sgx-edeccssa"
    "guest show --base $aex --disable xsave --json"
    "guest export --base $aex --as firecracker"
    "guest export --base $aex --as qemu"
    "guest export --base $aex --as libvirt"
    "guest show --base $aex --template $template"
    "sgx $aex"
    "sgx $aex --json"
    "sgx simulate Examples/sgx/a-sdk-two-stage-handler.sgx"
    "sgx simulate Examples/sgx/a-sdk-two-stage-handler.sgx --trace"
    "report $epyc"
    "report $aex --json"
    "flags nosuchfile"
    "dump --cpu -1"
    "explain nosuchfeature $aex"
)
differ=0
mkdir -p "$out"
for i in "${!tour[@]}"; do
    command=${tour[$i]}
    for side in old new; do
        binary=${!side}
        # shellcheck disable=SC2086
        "$binary" $command >"$out/$i.$side.out" 2>"$out/$i.$side.err"
        echo "exit $?" >>"$out/$i.$side.out"
        sed -i "s|$binary|vcpuid|g" "$out/$i.$side.out" "$out/$i.$side.err"
    done
    if ! cmp -s "$out/$i.old.out" "$out/$i.new.out" || ! cmp -s "$out/$i.old.err" "$out/$i.new.err"; then
        differ=$((differ + 1))
        echo "=== vcpuid $command"
        diff "$out/$i.old.out" "$out/$i.new.out" | head -20
        diff "$out/$i.old.err" "$out/$i.new.err" | head -10
    fi
done
echo "${#tour[@]} commands, $differ differ (outputs in $out)"
