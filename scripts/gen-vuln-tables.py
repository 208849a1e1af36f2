#!/usr/bin/env python3
"""Generates the vulnerability tables (Sources/X86Features/Tables/VulnerabilityRows.swift) from the release files.

Reads only facts from each release's arch/x86/kernel/cpu/common.c (the rows of cpu_vuln_whitelist and
cpu_vuln_blacklist: vendor, family, model, stepping range, core type and flag names), intel-family.h (model
numbers of the INTEL_* / INTEL_FAM6_* names) and, where it exists, cpu/microcode/intel-ucode-defs.h (family,
model, steppings and newest revision). No comment prose and no code is carried over. X86_STEP_MIN/MAX (0 and
0xf) and INTEL_CPU_TYPE_ATOM (0x20, intel-family.h) are the values of the matching macros.

Rows are merged over the releases like gen-kernel-tables.py does: each distinct row once, with the first
release that has it and the first later release that no longer has it, in the kernel's own (first-match) order.

usage: gen-vuln-tables.py KERNEL_FILES [OUT_DIR] [--releases 5.10,5.11,...]
"""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_kernel_tables", os.path.join(HERE, "gen-kernel-tables.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)

FLAGS = {
    "NO_SPECULATION": "noSpeculation", "NO_MELTDOWN": "noMeltdown", "NO_SSB": "noSSB", "NO_L1TF": "noL1TF",
    "NO_MDS": "noMDS", "MSBDS_ONLY": "msbdsOnly", "NO_SWAPGS": "noSwapGS", "NO_ITLB_MULTIHIT": "noITLBMultihit",
    "NO_SPECTRE_V2": "noSpectreV2", "NO_MMIO": "noMMIO", "NO_EIBRS_PBRSB": "noEIBRSPBRSB", "NO_BHI": "noBHI",
    "SRBDS": "srbds", "MMIO": "mmio", "MMIO_SBDS": "mmioSBDS", "RETBLEED": "retbleed", "SMT_RSB": "smtRSB",
    "SRSO": "srso", "GDS": "gds", "RFDS": "rfds", "ITS": "its", "ITS_NATIVE_ONLY": "itsNativeOnly", "TSA": "tsa",
    "VMSCAPE": "vmscape",
}
VENDORS = {"ANY": "any", "INTEL": "intel", "AMD": "amd", "HYGON": "hygon", "CENTAUR": "centaur",
           "ZHAOXIN": "zhaoxin", "NSC": "nsc", "VORTEX": "vortex"}
CORE_TYPES = {"ATOM": 0x20}
ENTRY_RE = re.compile(r"^\s*(VULN(?:WL|BL)\w*)\((.*)\),\s*$", re.M)


def models(header):
    """INTEL_FAM6_NAME 0x55 (family 6) and INTEL_NAME IFM(6, 0x55) -> {name: (family, model)}."""
    table = {}
    for name, value in re.findall(r"^#define INTEL_FAM6_(\w+)\s+(0x[0-9a-fA-F]+)\b", header, re.M):
        table[name] = (6, int(value, 16))
    for name, family, value in re.findall(r"^#define INTEL_(\w+)\s+IFM\(\s*(\d+),\s*(0x[0-9a-fA-F]+)\s*\)", header, re.M):
        table[name] = (int(family), int(value, 16))
    return table


def number(text):
    text = text.strip()
    if text in ("X86_FAMILY_ANY", "X86_MODEL_ANY"):
        return None
    return int(text, 0)


def flags(text):
    return tuple(FLAGS[f.strip()] for f in text.split("|"))


def block(source, name):
    start = source.index(name + "[]")
    return source[start:source.index("\n};", start)]


def intel(model_table, name):
    name = name.strip()
    if name.startswith("INTEL_"):
        name = name[len("INTEL_"):]
    family, model = model_table[name]
    return family, model, name


def parse_rows(text, model_table):
    """(vendor, family, model, name, stepMin, stepMax, coreType, flags) per entry, in file order."""
    rows = []
    for macro, arguments in ENTRY_RE.findall(text):
        args = [a.strip() for a in re.split(r",(?![^(]*\))", arguments)]
        steps, core = (0, 15), None
        if macro in ("VULNWL", "VULNBL"):
            vendor, family, model, name, issues = VENDORS[args[0]], number(args[1]), number(args[2]), None, args[3]
        elif macro in ("VULNWL_AMD", "VULNBL_AMD", "VULNWL_HYGON", "VULNBL_HYGON"):
            vendor = "amd" if macro.endswith("AMD") else "hygon"
            family, model, name, issues = number(args[0]), None, None, args[1]
        elif macro == "VULNWL_INTEL":
            vendor, (family, model, name), issues = "intel", intel(model_table, args[0]), args[1]
        elif macro == "VULNBL_INTEL_STEPPINGS":
            vendor, (family, model, name), issues = "intel", intel(model_table, args[0]), args[2]
            if args[1] != "X86_STEPPING_ANY":
                low, high = re.fullmatch(r"X86_STEPPINGS\((\w+),\s*(\w+)\)", args[1]).groups()
                steps = (int(low, 0), int(high, 0))
        elif macro == "VULNBL_INTEL_STEPS":
            vendor, (family, model, name), issues = "intel", intel(model_table, args[0]), args[2]
            steps = (0, 15 if args[1] == "X86_STEP_MAX" else int(args[1], 0))
        elif macro == "VULNBL_INTEL_TYPE":
            vendor, (family, model, name), issues = "intel", intel(model_table, args[0]), args[2]
            core = CORE_TYPES[args[1]]
        else:
            raise SystemExit(f"unknown table macro {macro}")
        key = name or f"{vendor}:{family}:{model}"
        rows.append((key, vendor, family, model, name, steps[0], steps[1], core, flags(issues)))
    return rows


def microcode(text):
    rows = []
    for family, model, steppings, revision in re.findall(
            r"\.family\s*=\s*(0x[0-9a-fA-F]+),\s*\.model\s*=\s*(0x[0-9a-fA-F]+),\s*\.steppings\s*=\s*(0x[0-9a-fA-F]+),"
            r"\s*\.driver_data\s*=\s*(0x[0-9a-fA-F]+)", text):
        rows.append((int(family, 16), int(model, 16), int(steppings, 16), int(revision, 16)))
    return rows


def read_release(directory):
    common = open(os.path.join(directory, "common.c"), encoding="utf-8").read()
    model_table = models(open(os.path.join(directory, "intel-family.h"), encoding="utf-8").read())
    ucode_path = os.path.join(directory, "intel-ucode-defs.h")
    ucode = microcode(open(ucode_path, encoding="utf-8").read()) if os.path.exists(ucode_path) else []
    return {"whitelist": parse_rows(block(common, "cpu_vuln_whitelist"), model_table),
            "blacklist": parse_rows(block(common, "cpu_vuln_blacklist"), model_table),
            "microcode": ucode}


def opt(value, hexadecimal=True, width=4):
    if value is None:
        return "nil"
    return f"0x{value:02X}" if hexadecimal else str(value)


def overlap(a, b):
    """Whether one CPU can match both rows (only then does their order decide anything)."""
    if len(a) < 9:
        return a[:2] == b[:2] and a[2] & b[2] != 0
    same = lambda x, y: x is None or y is None or x == y
    vendors = a[1] == b[1] or "any" in (a[1], b[1])
    return vendors and same(a[2], b[2]) and same(a[3], b[3]) and a[5] <= b[6] and b[5] <= a[6]


def check_order(releases, tables, merged):
    """First match decides: rows one CPU can match must keep each release's file order after the merge
    (rows for different CPUs may move, as the span merge cannot express a reordering)."""
    for release, rows in zip(releases, tables):
        key = base.release_key(release)
        back = [row for since, until, row in merged
                if base.release_key(since) <= key and (until is None or key < base.release_key(until))]
        if sorted(map(repr, back)) != sorted(map(repr, rows)):
            raise SystemExit(f"v{release}: merged rows differ from the file's rows")
        position = {row: i for i, row in enumerate(back)}
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if overlap(a, b) and position[a] > position[b]:
                    raise SystemExit(f"v{release}: {a[0]} and {b[0]} lose their first-match order")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    releases = None
    if "--releases" in argv:
        releases = argv[argv.index("--releases") + 1].split(",")
        args = [a for a in args if a != argv[argv.index("--releases") + 1]]
    source = args[0]
    out = args[1] if len(args) > 1 else os.path.join(HERE, "..", "Sources", "X86Features", "Tables")
    if releases is None:
        releases = sorted((d[1:] for d in os.listdir(source) if re.fullmatch(r"v\d+\.\d+", d)
                           and os.path.exists(os.path.join(source, d, "common.c"))), key=base.release_key)
    data = [read_release(os.path.join(source, "v" + r)) for r in releases]
    lines = [
        "// Generated by scripts/gen-vuln-tables.py from the data rows of cpu_vuln_whitelist and cpu_vuln_blacklist",
        "// (arch/x86/kernel/cpu/common.c), the model numbers of arch/x86/include/asm/intel-family.h and the rows of",
        "// arch/x86/kernel/cpu/microcode/intel-ucode-defs.h of every carried release. Do not edit by hand.",
        "// `since` is the first carried release that has a row, `until` the first that no longer has it (nil: still",
        "// in the newest). Rows keep the kernel's order: the first row matching a CPU is the one the kernel uses.",
        "",
        "extension VulnerabilityTables {",
    ]
    for table, doc in (("whitelist", "cpu_vuln_whitelist: CPUs the kernel declares not affected (NO_* flags)."),
                       ("blacklist", "cpu_vuln_blacklist: CPUs the kernel declares affected.")):
        merged = base.spans(releases, [d[table] for d in data])
        check_order(releases, [d[table] for d in data], merged)
        lines.append(f"    /// {doc}")
        lines.append(f"    static let {table}: [KernelTables.Span<VulnerabilityRow>] = [")
        lines.append("        //   since   until   vendor    family model steppings  type  model name              flags")
        for since, until, (_, vendor, family, model, name, low, high, core, fl) in merged:
            steps = f"0x{low:X}...0x{high:X}"
            lines.append(f"        .row({base.release_columns(since, until)}{('.' + vendor + ',').ljust(10)}"
                         f"{(opt(family) + ',').ljust(7)}{(opt(model) + ',').ljust(6)}{(steps + ',').ljust(11)}"
                         f"{(opt(core) + ',').ljust(6)}{((base.q(name) if name else 'nil') + ',').ljust(24)}"
                         f"[{', '.join('.' + f for f in fl)}]),")
        lines.append("    ]")
        lines.append("")
    merged = base.spans(releases, [d["microcode"] for d in data])
    check_order(releases, [d["microcode"] for d in data], merged)
    lines.append("    /// intel-ucode-defs.h: the newest microcode revision per Intel family/model/steppings (old_microcode).")
    lines.append("    static let microcode: [KernelTables.Span<MicrocodeRow>] = [")
    lines.append("        //   since   until   family model steppings revision")
    for since, until, (family, model, steppings, revision) in merged:
        lines.append(f"        .row({base.release_columns(since, until)}0x{family:X},   0x{model:02X}, 0x{steppings:04X},    0x{revision:X}),")
    lines.append("    ]")
    lines.append("}")
    base.write(os.path.join(out, "VulnerabilityRows.swift"), lines)
    print(f"{len(releases)} releases -> {os.path.join(out, 'VulnerabilityRows.swift')}")


if __name__ == "__main__":
    main(sys.argv)
