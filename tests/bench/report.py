#!/usr/bin/env python3
"""Benchmark plan and report for tests/bench/run-bench (python3 standard
library only).

    report.py plan PAIRS
        One line per topology listed in PAIRS: "N name,name,..." with the
        linux.* benchmarks (without the prefix) to run at -smp N, or "N -".

    report.py report --pairs PAIRS --runs DIR --out DIR [--copra-note TEXT]
                     [--smp "N N"] [--meta KEY=VALUE ...]
        Reads DIR/<side>-smp<N>.log and .status (side: linux, copra), pairs
        the results as PAIRS says, writes results.md, results.json and
        results.svg into --out, prints the table, and exits 1 when a run
        crashed (0 otherwise: missed targets do not fail).

Console line format (both sides; see docs/benchmarks.md):
    BENCH <side>.<name> <value> <unit> [key=value ...]
    BENCH-SKIP <side>.<name> <reason>
    BENCH-FAIL <side>.<name> <reason>
    BENCH-INFO <side> <free text>
    BENCH-DONE <side> [key=value ...]
"""
import argparse
import html
import json
import math
import os
import re
import sys

SIDES = ("copra", "linux")
NAME_RE = re.compile(r"^(copra|linux)\.[A-Za-z0-9_][A-Za-z0-9_.-]*$")
TARGET_RE = re.compile(r"^target(<=|<)([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$")
LINE_RE = re.compile(r"(?:^|\s)(BENCH(?:-INFO|-SKIP|-FAIL|-DONE)?) (\S+)(?: (.*))?$")
NUM_RE = re.compile(r"^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?$")


class PairsError(Exception):
    pass


# ---------------------------------------------------------------- pairs file

def parse_pairs(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            where = "%s:%d" % (path, lineno)
            tok = line.split()
            if len(tok) < 2:
                raise PairsError("%s: need COPRA-NAME and LINUX-NAME" % where)
            names = []
            for side, t in zip(SIDES, tok[:2]):
                if t == "(none)":
                    names.append(None)
                elif NAME_RE.match(t) and t.startswith(side + "."):
                    names.append(t)
                else:
                    raise PairsError("%s: '%s' is not a %s.<name> or (none)" % (where, t, side))
            if names == [None, None]:
                raise PairsError("%s: both sides are (none)" % where)
            row = {"copra": names[0], "linux": names[1], "smp": 1, "target": None,
                   "line": lineno}
            rest = tok[2:]
            i = 0
            while i < len(rest):
                t = rest[i]
                m = TARGET_RE.match(t)
                if m:
                    target = {"op": m.group(1), "value": float(m.group(2)), "unit": None}
                    if i + 1 < len(rest) and "=" not in rest[i + 1] and \
                            not rest[i + 1].startswith("target"):
                        target["unit"] = rest[i + 1]
                        i += 1
                    if target["unit"] is None and not (names[0] and names[1]):
                        raise PairsError("%s: a ratio target needs both sides" % where)
                    if target["unit"] is not None and not names[0]:
                        raise PairsError("%s: an absolute target needs a Copra name" % where)
                    row["target"] = target
                elif t.startswith("smp="):
                    try:
                        row["smp"] = int(t[4:])
                    except ValueError:
                        raise PairsError("%s: bad %s" % (where, t))
                    if row["smp"] < 1:
                        raise PairsError("%s: bad %s" % (where, t))
                else:
                    raise PairsError("%s: unexpected '%s'" % (where, t))
                i += 1
            rows.append(row)
    keys = [(r["copra"], r["linux"], r["smp"]) for r in rows]
    for k in set(keys):
        if keys.count(k) > 1:
            raise PairsError("%s: duplicate row %s" % (path, " ".join(str(x) for x in k)))
    return rows


def plan(rows):
    topo = {}
    for r in rows:
        names = topo.setdefault(r["smp"], [])
        if r["linux"]:
            n = r["linux"][len("linux."):]
            if n not in names:
                names.append(n)
    return [(smp, topo[smp]) for smp in sorted(topo)]


# ---------------------------------------------------------------- console logs

def parse_log(path, side):
    res = {"results": {}, "skips": {}, "fails": {}, "info": [], "done": None,
           "foreign": []}
    if not os.path.exists(path):
        return res
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.replace("\r", "").rstrip("\n")
            m = LINE_RE.search(line)
            if not m:
                continue
            kind, first, rest = m.group(1), m.group(2), (m.group(3) or "").strip()
            if kind == "BENCH-INFO":
                res["info"].append(rest if first == side else first + " " + rest)
                continue
            if kind == "BENCH-DONE":
                res["done"] = rest
                continue
            if not NAME_RE.match(first):
                continue
            if not first.startswith(side + "."):
                res["foreign"].append(first)
                continue
            if kind == "BENCH-SKIP":
                res["skips"][first] = rest or "skipped"
            elif kind == "BENCH-FAIL":
                res["fails"][first] = rest or "failed"
            else:
                tok = rest.split()
                if len(tok) < 2 or not NUM_RE.match(tok[0]):
                    res["fails"][first] = "malformed result line: %s" % line.strip()
                    continue
                fields = dict(t.split("=", 1) for t in tok[2:] if "=" in t)
                res["results"][first] = {"value": float(tok[0]), "unit": tok[1],
                                         "fields": fields}
    return res


def read_status(path):
    try:
        with open(path) as f:
            tok = f.read().split()
        return int(tok[0]), float(tok[1]) if len(tok) > 1 else None
    except (OSError, ValueError, IndexError):
        return None, None


def verdict(side, status, log):
    """None when the run is fine, else why it counts as crashed."""
    if status is None:
        return "did not run"
    if status == 124:
        return "timed out"
    if side == "linux":
        if status != 0:
            return "QEMU exit status %d" % status
        if log["done"] is None:
            return "guest stopped before BENCH-DONE"
    else:
        if status == 35:
            return "image reported failure (debug-exit 0x11)"
        if status == 0:
            return "QEMU exit status 0: no debug-exit (triple fault?)"
        if status != 33:
            return "QEMU exit status %d" % status
    if log["fails"]:
        return "%d benchmark(s) failed" % len(log["fails"])
    return None


# ---------------------------------------------------------------- report

def fmt_val(v):
    if v is None:
        return "-"
    if v >= 100:
        return "{:,.0f}".format(v)
    return "{:.1f}".format(v)


def fmt_num(v):
    s = "%g" % v
    return s if ("." in s or "e" in s) else s + ".0"


def fmt_target(t):
    if not t:
        return ""
    if t["unit"]:
        return "%s %g %s" % (t["op"], t["value"], t["unit"])
    return "%s %sx" % (t["op"], fmt_num(t["value"]))


def unit_matches(unit, tunit):
    return unit == tunit or unit.split("/")[0] == tunit


def build_rows(pairs, runs, copra_note):
    """runs: {(side, smp): {"log": parsed, "crash": str|None, "ran": bool}}"""
    out = []

    def lookup(side, name, smp):
        if name is None:
            return None, None
        run = runs.get((side, smp))
        if run is None or not run["ran"]:
            if side == "copra":
                return None, copra_note or "no Copra run"
            return None, "no run at -smp %d" % smp
        log = run["log"]
        if name in log["results"]:
            return log["results"][name], None
        if name in log["skips"]:
            return None, "skipped: " + log["skips"][name]
        if name in log["fails"]:
            return None, "failed: " + log["fails"][name]
        if run["crash"]:
            return None, "run crashed: " + run["crash"]
        if side == "copra" and not log["results"]:
            return None, "the benchmark image reported no benchmarks"
        return None, "not reported by the %s" % (
            "benchmark image" if side == "copra" else "peer")

    paired = set(p["copra"] for p in pairs if p["copra"])
    for p in pairs:
        c, cwhy = lookup("copra", p["copra"], p["smp"])
        l, lwhy = lookup("linux", p["linux"], p["smp"])
        row = {"copra": p["copra"], "linux": p["linux"], "smp": p["smp"],
               "copra_value": c["value"] if c else None,
               "linux_value": l["value"] if l else None,
               "unit": (c or l or {}).get("unit"),
               "ratio": None, "target": p["target"], "target_text": fmt_target(p["target"]),
               "status": "not measured", "note": ""}
        t = p["target"]
        notes = [w for w in (cwhy and p["copra"] and "Copra: " + cwhy,
                             lwhy and p["linux"] and "Linux: " + lwhy) if w]
        # Every side the row names must be measured before it says anything.
        complete = (c or not p["copra"]) and (l or not p["linux"])
        if c and l:
            if c["unit"] != l["unit"]:
                notes.append("units differ: %s vs %s" % (c["unit"], l["unit"]))
            elif l["value"] > 0:
                row["ratio"] = c["value"] / l["value"]
        if not complete:
            pass
        elif t and t["unit"] is None:
            if row["ratio"] is not None:
                ok = row["ratio"] <= t["value"] if t["op"] == "<=" else row["ratio"] < t["value"]
                row["status"] = "met" if ok else "missed"
        elif t:
            if c and unit_matches(c["unit"], t["unit"]):
                v = c["value"]
                ok = v <= t["value"] if t["op"] == "<=" else v < t["value"]
                row["status"] = "met" if ok else "missed"
            elif c:
                notes.append("unit %s does not match target unit %s" % (c["unit"], t["unit"]))
        else:
            row["status"] = "context"
        row["note"] = "; ".join(notes)
        out.append(row)
    # Copra results that no pair names.
    for (side, smp), run in sorted(runs.items()):
        if side != "copra" or not run["ran"]:
            continue
        for name, r in sorted(run["log"]["results"].items()):
            if name in paired:   # paired in another topology: only in results.json
                continue
            out.append({"copra": name, "linux": None, "smp": smp, "copra_value": r["value"],
                        "linux_value": None, "unit": r["unit"], "ratio": None, "target": None,
                        "target_text": "", "status": "unpaired",
                        "note": "not in tests/bench/pairs.txt"})
    return out


def row_label(r):
    if r["copra"] and r["linux"]:
        return "%s vs %s" % (r["copra"], r["linux"])
    return r["copra"] or r["linux"]


def text_table(rows):
    head = ["benchmark", "smp", "Copra", "Linux", "ratio", "target", "status"]
    body = []
    for r in rows:
        body.append([row_label(r), str(r["smp"]), fmt_val(r["copra_value"]),
                     fmt_val(r["linux_value"]),
                     "%.3f" % r["ratio"] if r["ratio"] is not None else "-",
                     r["target_text"] or "-", r["status"]])
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    right = {1, 2, 3, 4}

    def fmt(cells):
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i])
                         for i, c in enumerate(cells)).rstrip()
    lines = [fmt(head), fmt(["-" * w for w in widths])]
    lines += [fmt(b) for b in body]
    return "\n".join(lines)


def md_escape(s):
    return s.replace("|", "\\|")


def write_md(path, rows, runs_info, meta, summary, copra_note):
    L = ["# Copra benchmarks", ""]
    L.append("Guest instructions per operation under `qemu -icount shift=0,sleep=off` (TCG), "
             "summed over all vCPUs, with the peer's idle-spin loops subtracted; method and "
             "definitions in docs/benchmarks.md. Targets are reported, not enforced.")
    L.append("")
    for k in sorted(meta):
        L.append("- %s: %s" % (k, md_escape(meta[k])))
    if copra_note:
        L.append("- Copra: %s" % md_escape(copra_note))
    L.append("")
    L.append("| Benchmark | smp | Copra | Linux | Copra/Linux | Target | Status | Note |")
    L.append("|---|---:|---:|---:|---:|---|---|---|")
    for r in rows:
        L.append("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
            md_escape(row_label(r)), r["smp"], fmt_val(r["copra_value"]),
            fmt_val(r["linux_value"]),
            "%.3f" % r["ratio"] if r["ratio"] is not None else "-",
            md_escape(r["target_text"]) or "-", r["status"], md_escape(r["note"])))
    L.append("")
    L.append("Summary: " + summary)
    L.append("")
    L.append("| Run | QEMU status | Seconds | Verdict |")
    L.append("|---|---:|---:|---|")
    for ri in runs_info:
        L.append("| %s -smp %d | %s | %s | %s |" % (
            ri["side"], ri["smp"], "-" if ri["status"] is None else ri["status"],
            "-" if ri["seconds"] is None else "%.1f" % ri["seconds"],
            md_escape(ri["verdict"])))
    seen = []
    for ri in runs_info:
        for i in ri["info"]:
            line = "%s: %s" % (ri["side"], i)
            if line not in seen:
                seen.append(line)
    if seen:
        L.append("")
        L.append("Guest information (BENCH-INFO lines):")
        L.append("")
        L += ["- " + md_escape(x) for x in seen]
    L.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


# ---------------------------------------------------------------- SVG plot

def write_svg(path, rows, title, subtitle):
    plotted = rows
    vals = [v for r in plotted for v in (r["copra_value"], r["linux_value"]) if v]
    lo_dec = 1
    # Headroom for the value printed after the longest bar.
    hi_dec = max(3, math.ceil(math.log10(max(vals) * 4))) if vals else 3
    if vals:
        lo_dec = min(lo_dec, math.floor(math.log10(min(vals))))
    label_w, plot_w, right_w = 360, 520, 260
    row_h, top, bottom = 34, 70, 60
    width = label_w + plot_w + right_w
    n = max(1, len(plotted))
    height = top + n * row_h + bottom
    colors = {"copra": "#2b6cb0", "linux": "#9aa5b1"}
    status_color = {"met": "#2f855a", "missed": "#c53030", "context": "#4a5568",
                    "not measured": "#718096", "unpaired": "#4a5568"}

    def x_of(v):
        f = (math.log10(v) - lo_dec) / float(hi_dec - lo_dec)
        return label_w + max(0.0, min(1.0, f)) * plot_w

    esc = html.escape
    S = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
         % (width, height, width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="12" y="24" font-size="16" font-weight="bold">%s</text>' % esc(title),
         '<text x="12" y="44" fill="#4a5568">%s</text>' % esc(subtitle)]
    # Decade grid.
    for d in range(lo_dec, hi_dec + 1):
        x = x_of(10 ** d)
        S.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e2e8f0"/>'
                 % (x, top - 6, x, top + n * row_h))
        S.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#4a5568">%s</text>'
                 % (x, top + n * row_h + 16, esc("{:,}".format(10 ** d))))
    S.append('<text x="%d" y="%d" text-anchor="middle" fill="#4a5568">'
             'guest instructions per operation (log scale)</text>'
             % (label_w + plot_w // 2, top + n * row_h + 34))
    if not plotted:
        S.append('<text x="%d" y="%d">no results</text>' % (label_w, top + 20))
    for i, r in enumerate(plotted):
        y = top + i * row_h
        S.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                 % (label_w - 10, y + 14, esc(row_label(r))))
        S.append('<text x="%d" y="%d" text-anchor="end" fill="#718096" font-size="10">'
                 '-smp %d</text>' % (label_w - 10, y + 27, r["smp"]))
        for k, side in enumerate(("copra", "linux")):
            v = r[side + "_value"]
            by = y + 3 + k * 13
            if v:
                x1 = x_of(v)
                S.append('<rect x="%d" y="%d" width="%.1f" height="11" fill="%s">'
                         '<title>%s %s</title></rect>'
                         % (label_w, by, max(1.0, x1 - label_w), colors[side], side,
                            esc(fmt_val(v))))
                S.append('<text x="%.1f" y="%d" font-size="10">%s</text>'
                         % (x1 + 4, by + 9, esc(fmt_val(v))))
            elif r[side]:
                S.append('<text x="%d" y="%d" font-size="10" fill="#718096">%s: not measured'
                         '</text>' % (label_w + 4, by + 9, side))
        st = r["status"]
        extra = ""
        if r["ratio"] is not None:
            extra = "ratio %.3f" % r["ratio"]
        if r["target_text"]:
            extra += (" " if extra else "") + "(target %s)" % r["target_text"]
        S.append('<text x="%d" y="%d" fill="%s" font-weight="bold">%s</text>'
                 % (label_w + plot_w + 14, y + 14, status_color.get(st, "#000"), esc(st)))
        if extra:
            S.append('<text x="%d" y="%d" font-size="10" fill="#4a5568">%s</text>'
                     % (label_w + plot_w + 14, y + 27, esc(extra)))
    ly = height - 14
    S.append('<rect x="12" y="%d" width="12" height="10" fill="%s"/>' % (ly - 9, colors["copra"]))
    S.append('<text x="30" y="%d">Copra</text>' % ly)
    S.append('<rect x="80" y="%d" width="12" height="10" fill="%s"/>' % (ly - 9, colors["linux"]))
    S.append('<text x="98" y="%d">Linux peer (Debian kernel)</text>' % ly)
    S.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(S) + "\n")


# ---------------------------------------------------------------- main

def cmd_report(a):
    pairs = parse_pairs(a.pairs)
    if a.smp:
        keep = set(int(x) for x in re.split(r"[ ,]+", a.smp.strip()) if x)
        pairs = [p for p in pairs if p["smp"] in keep]
    meta = dict(m.split("=", 1) for m in a.meta or [] if "=" in m)
    topologies = [smp for smp, _ in plan(pairs)]
    runs, runs_info, crashed = {}, [], []
    for side in SIDES:
        for smp in topologies:
            base = os.path.join(a.runs, "%s-smp%d" % (side, smp))
            status, seconds = read_status(base + ".status")
            ran = status is not None
            log = parse_log(base + ".log", side)
            crash = verdict(side, status, log) if ran else None
            if side == "linux" and not ran:
                crash = "did not run"
            runs[(side, smp)] = {"log": log, "crash": crash, "ran": ran}
            if ran or side == "linux":
                runs_info.append({"side": side, "smp": smp, "status": status,
                                  "seconds": seconds, "verdict": crash or "ok",
                                  "log": base + ".log", "info": log["info"],
                                  "fails": log["fails"], "skips": log["skips"]})
            if crash:
                crashed.append("%s -smp %d: %s" % (side, smp, crash))
                for name, why in sorted(log["fails"].items()):
                    crashed.append("    %s: %s" % (name, why))
    rows = build_rows(pairs, runs, a.copra_note)
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = ["met", "missed", "not measured", "context", "unpaired"]
    summary = ", ".join("%d %s" % (counts[s], s) for s in order if counts.get(s))
    os.makedirs(a.out, exist_ok=True)
    write_md(os.path.join(a.out, "results.md"), rows, runs_info, meta, summary, a.copra_note)
    with open(os.path.join(a.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"format": 1, "unit_note": "guest instructions under -icount shift=0",
                   "meta": meta, "copra_note": a.copra_note, "rows": rows,
                   "runs": runs_info,
                   "results": {"%s@smp%d" % (n, smp): r
                               for (side, smp), run in sorted(runs.items())
                               for n, r in sorted(run["log"]["results"].items())},
                   "summary": counts, "crashed": crashed}, f, indent=2, sort_keys=True)
        f.write("\n")
    sub = "instructions per operation, qemu -icount shift=0; " + summary
    write_svg(os.path.join(a.out, "results.svg"), rows, "Copra vs Linux peer", sub)
    print(text_table(rows))
    print()
    if a.copra_note:
        print("Copra: " + a.copra_note)
    print("summary: " + summary)
    for ri in runs_info:
        print("run: %s -smp %d: %s (%s s)" % (ri["side"], ri["smp"], ri["verdict"],
                                           "-" if ri["seconds"] is None else
                                           "%.1f" % ri["seconds"]))
    print("results: %s" % ", ".join(os.path.join(a.out, n) for n in
                                    ("results.md", "results.json", "results.svg")))
    if crashed:
        print("CRASHED:\n  " + "\n  ".join(crashed), file=sys.stderr)
        return 1
    return 0


def main(argv):
    ap = argparse.ArgumentParser(prog="report.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("pairs")
    r = sub.add_parser("report")
    r.add_argument("--pairs", required=True)
    r.add_argument("--runs", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--copra-note", default="")
    r.add_argument("--smp", default="", help="only the rows of these topologies")
    r.add_argument("--meta", action="append")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "plan":
            for smp, names in plan(parse_pairs(a.pairs)):
                print(smp, ",".join(names) or "-")
            return 0
        return cmd_report(a)
    except PairsError as e:
        print("pairs file: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
