#!/usr/bin/env python3
"""Generates the Linux kernel tables (Sources/X86Features/Tables/Kernel*.swift) from the release files.

Reads only facts from each release's arch/x86/include/asm/cpufeatures.h, arch/x86/kernel/cpu/scattered.c and
arch/x86/kernel/cpu/cpuid-deps.c: feature and bug macro names, their word/bit numbers, the quoted /proc name at
the start of each comment, NCAPINTS/NBUGINTS, the {feature, register, bit, leaf, subleaf} rows of scattered.c
and the {feature, depends-on} rows of cpuid-deps.c. No comment prose and no code is carried over.

Every distinct row is written once, with the first release that has it and the first later release that no
longer has it, so a release is the rows whose span holds it and the next release costs only its changes.
The release manifest records NCAPINTS, NBUGINTS and the git blob id (`git hash-object`) of each file read.

usage: gen-kernel-tables.py KERNEL_FILES [OUT_DIR] [--releases 5.10,5.11,...]
  KERNEL_FILES holds one directory per release, named vMAJOR.MINOR, each with cpufeatures.h, scattered.c and
  cpuid-deps.c of that release's .0 tree. Without --releases every such directory holding all three is used.
  OUT_DIR defaults to Sources/X86Features/Tables next to this script.
"""
import hashlib
import os
import re
import sys

FILES = ("cpufeatures.h", "scattered.c", "cpuid-deps.c")

FEATURE_RE = re.compile(
    r'^#define X86_FEATURE_(\w+)\s*\(\s*(\d+)\s*\*\s*32\s*\+\s*(\d+)\s*\)\s*(?:/\*\s*("([^"]*)")?)?', re.M)
BUG_RE = re.compile(
    r'^#define X86_BUG_(\w+)\s+X86_BUG\(\s*(?:(\d+)\s*\*\s*32\s*\+\s*)?(\d+)\s*\)\s*(?:/\*\s*("([^"]*)")?)?', re.M)
SCATTERED_RE = re.compile(
    r"\{\s*X86_FEATURE_(\w+),\s*CPUID_(E[ABCD]X),\s*(\d+),\s*(0x[0-9a-fA-F]+),\s*(\d+)\s*\}")
DEPENDENCY_RE = re.compile(r"\{\s*X86_FEATURE_(\w+),\s*X86_FEATURE_(\w+)\s*,?\s*\}")


def blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def release_key(name):
    major, minor = name.split(".")
    return (int(major), int(minor))


def read_release(directory):
    raw = {name: open(os.path.join(directory, name), "rb").read() for name in FILES}
    header, scattered, deps = (raw[name].decode("utf-8") for name in FILES)
    features = [(m.group(1), int(m.group(2)), int(m.group(3)), m.group(5) if m.group(4) else None)
                for m in FEATURE_RE.finditer(header)]
    bugs = []
    for m in BUG_RE.finditer(header):
        if m.group(1) == "ESPFIX":
            continue  # defined for 32-bit kernels only (#ifdef CONFIG_X86_32); the profiles model x86_64
        bugs.append((m.group(1), int(m.group(2) or 0), int(m.group(3)), m.group(5) if m.group(4) else None))
    return {
        "ncapints": int(re.search(r"#define NCAPINTS\s+(\d+)", header).group(1)),
        "nbugints": int(re.search(r"#define NBUGINTS\s+(\d+)", header).group(1)),
        "blobs": [blob_id(raw[name]) for name in FILES],
        "features": features,
        "bugs": bugs,
        "scattered": [(n, r, int(b), int(leaf, 16), int(s)) for n, r, b, leaf, s in SCATTERED_RE.findall(scattered)],
        "dependencies": DEPENDENCY_RE.findall(deps),
    }


def spans(releases, tables):
    """Merges one table over all releases into [since, until, row] in the kernel's own order.

    A row new in a release is placed right after the row that precedes it in that release's file. A row the
    file repeats (cpuid-deps.c lists XMM3 -> XMM2 twice) is kept as often as the file has it."""
    merged = []          # [since, until, (row, occurrence)]
    open_at = {}         # (row, occurrence) -> index in merged of its open span
    for release, plain in zip(releases, tables):
        seen = {}
        rows = []
        for row in plain:
            seen[row] = seen.get(row, 0) + 1
            rows.append((row, seen[row]))
        present = set(rows)
        for row, index in list(open_at.items()):
            if row not in present:
                merged[index][1] = release
                del open_at[row]
        closed = {key[0][0]: i for i, (_, until, key) in enumerate(merged) if until == release}
        previous = None
        for row in rows:
            if row not in open_at:
                # A changed row sits right below the row it replaces; a new one below its predecessor.
                if row[0][0] in closed:
                    position = closed.pop(row[0][0]) + 1
                else:
                    position = open_at[previous] + 1 if previous is not None else 0
                closed = {name: i + 1 if i >= position else i for name, i in closed.items()}
                merged.insert(position, [release, None, row])
                for other, index in open_at.items():
                    if index >= position:
                        open_at[other] = index + 1
                open_at[row] = position
            previous = row
    return [[since, until, key[0]] for since, until, key in merged]


def q(text):
    return '"' + text + '"'


def name(release):
    return ".v" + release.replace(".", "_")


def release_columns(since, until):
    return f"{name(since) + ',':8}{(name(until) if until else 'nil') + ',':8}"


HEADER = """// Generated by scripts/gen-kernel-tables.py from the data rows of arch/x86/include/asm/cpufeatures.h,
// arch/x86/kernel/cpu/scattered.c and arch/x86/kernel/cpu/cpuid-deps.c of every release in KernelReleases.swift.
// Do not edit by hand: add a release directory and run the generator (docs/features.md).
// Each row is written once: `since` is the first carried release that has it, `until` the first carried
// release that no longer has it (nil: still in the newest).
"""


def write(path, lines):
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--releases")]
    chosen = next((a.split("=", 1)[1] for a in argv[1:] if a.startswith("--releases=")), None)
    if "--releases" in argv:
        chosen = argv[argv.index("--releases") + 1]
        args.remove(chosen)
    if not args:
        sys.exit(__doc__)
    root = args[0]
    out = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", "Sources", "X86Features", "Tables")
    if chosen:
        releases = sorted(chosen.split(","), key=release_key)
    else:
        releases = sorted((d[1:] for d in os.listdir(root)
                           if re.fullmatch(r"v\d+\.\d+", d)
                           and all(os.path.isfile(os.path.join(root, d, f)) for f in FILES)), key=release_key)
    data = [read_release(os.path.join(root, "v" + r)) for r in releases]

    manifest = [HEADER.splitlines()[0], HEADER.splitlines()[1], HEADER.splitlines()[2], "",
                "extension KernelRelease {",
                "    /// The releases carried, oldest first: NCAPINTS, NBUGINTS, and the git blob id of each file read",
                "    /// (cpufeatures.h, scattered.c, cpuid-deps.c), so that a different copy of a file is detected.",
                "    /// Columns: release, NCAPINTS, NBUGINTS, blob ids of cpufeatures.h, scattered.c, cpuid-deps.c.",
                "    static let all: [KernelRelease] = ["]
    for release, d in zip(releases, data):
        blobs = ", ".join(q(b) for b in d["blobs"])
        manifest.append(f"        .init({name(release) + ',':8}{d['ncapints']:2d}, {d['nbugints']:d}, {blobs}),")
    manifest += ["    ]", "}", "", "extension KernelVersion {",
                 "    /// The carried releases by name, for the span tables (no string is parsed at start-up)."]
    for release in releases:
        major, minor = release.split(".")
        manifest.append(f"    static let {name(release)[1:]} = KernelVersion({major}, {minor})")
    manifest += ["}"]
    write(os.path.join(out, "KernelReleases.swift"), manifest)

    def row_table(kind, name, doc):
        # Features and bugs read best in number order: word, bit, then oldest row first.
        merged = sorted(spans(releases, [d[kind] for d in data]),
                        key=lambda r: (r[2][1], r[2][2], release_key(r[0])))
        width = max(len(r[2][0]) for r in merged) + 3
        lines = HEADER.splitlines() + ["", "extension KernelTables {", f"    /// {doc}",
                                       f"    static let {name}: [Span<KernelProfile.Row>] = ["]
        lines.append("        //   since   until   " + "macro".ljust(width) + "word bit  quoted /proc name")
        for since, until, (macro, word, bit, quoted) in merged:
            tail = f"{word:2d}, {bit:2d}" + (f", {q(quoted)}" if quoted is not None else "")
            lines.append(f"        .row({release_columns(since, until)}{(q(macro) + ',').ljust(width)} {tail}),")
        return lines + ["    ]", "}"]

    write(os.path.join(out, "KernelFeatureRows.swift"),
          row_table("features", "features", "`#define X86_FEATURE_*` rows: macro without prefix, word, bit, quoted name."))
    write(os.path.join(out, "KernelBugRows.swift"),
          row_table("bugs", "bugs", "`#define X86_BUG_*` rows (x86_64: ESPFIX is 32-bit only); words count from NCAPINTS."))

    merged = spans(releases, [d["scattered"] for d in data])
    width = max(len(r[2][0]) for r in merged) + 3
    lines = HEADER.splitlines() + ["", "import CPUID", "", "extension KernelTables {",
                                   "    /// scattered.c rows: the feature is set when this CPUID bit is set (behind the max-leaf guard).",
                                   "    static let scattered: [Span<KernelProfile.ScatteredRow>] = [",
                                   "        //   since   until   " + "feature".ljust(width) + "reg   bit  leaf        subleaf"]
    for since, until, (feature, register, bit, leaf, subleaf) in merged:
        lines.append(f"        .row({release_columns(since, until)}{(q(feature) + ',').ljust(width)} "
                     f".{register.lower()}, {bit:2d}, 0x{leaf:08x}, {subleaf}),")
    write(os.path.join(out, "KernelScatteredRows.swift"), lines + ["    ]", "}"])

    merged = spans(releases, [d["dependencies"] for d in data])
    width = max(len(r[2][0]) for r in merged) + 3
    lines = HEADER.splitlines() + ["", "extension KernelTables {",
                                   "    /// cpuid-deps.c rows: the feature is cleared whenever the feature it depends on is cleared.",
                                   "    static let dependencies: [Span<KernelProfile.DependencyRow>] = [",
                                   "        //   since   until   " + "feature".ljust(width) + "depends on"]
    for since, until, (feature, depends) in merged:
        lines.append(f"        .row({release_columns(since, until)}{(q(feature) + ',').ljust(width)} {q(depends)}),")
    write(os.path.join(out, "KernelDependencyRows.swift"), lines + ["    ]", "}"])

    for release, d in zip(releases, data):
        print(f"{release}: NCAPINTS={d['ncapints']} NBUGINTS={d['nbugints']} features={len(d['features'])} "
              f"bugs={len(d['bugs'])} scattered={len(d['scattered'])} deps={len(d['dependencies'])}")


if __name__ == "__main__":
    main(sys.argv)
