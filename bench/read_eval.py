#!/usr/bin/env python3
"""Per-image reading report for a generated corpus.

Runs `prescreen check` on every labelled image of CORPUS (in parallel),
caches each report next to nothing (under --cache), and prints per-image
mismatches of doc_type and fields, plus totals split by document type and by
outline quality (quad IoU >= 0.9 or not). Field values are compared after the
bench's folding (spaces dropped, full-width ASCII folded).

    python3 bench/read_eval.py CORPUS [--cache DIR] [--jobs 2] [--quiet]

Sensitive label strings (card numbers, My Numbers) are never printed: only
the `fields` of a label are compared, and those never hold them.
"""
import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

FLAGS = ["expired_document", "document_too_old", "name_mismatch", "digital_document",
         "document_type_not_accepted", "card_not_in_holder_name", "date_not_found",
         "name_not_found", "address_not_found", "address_mismatch", "birth_date_mismatch"]


def fold(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in " \t\u3000":
            continue
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFF01 + 0x21)
        out.append(ch)
    return "".join(out)


def clip(subj, a, b):
    def inside(p):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def inter(p, q):
        x1, y1, x2, y2 = a[0], a[1], b[0], b[1]
        x3, y3, x4, y4 = p[0], p[1], q[0], q[1]
        d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        if d == 0:
            return q
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
    out = []
    for i in range(len(subj)):
        p, q = subj[i - 1], subj[i]
        if inside(q):
            if not inside(p):
                out.append(inter(p, q))
            out.append(q)
        elif inside(p):
            out.append(inter(p, q))
    return out


def area(poly):
    s = 0
    for i in range(len(poly)):
        x1, y1 = poly[i - 1]
        x2, y2 = poly[i]
        s += x1 * y2 - x2 * y1
    return s / 2


def iou(q1, q2):
    q1 = [tuple(p) for p in q1]
    q2 = [tuple(p) for p in q2]
    if area(q1) < 0:
        q1 = q1[::-1]
    if area(q2) < 0:
        q2 = q2[::-1]
    inter = q1
    for i in range(len(q2)):
        if not inter:
            break
        inter = clip(inter, q2[i - 1], q2[i])
    ai = abs(area(inter)) if len(inter) >= 3 else 0
    u = abs(area(q1)) + abs(area(q2)) - ai
    return ai / u if u > 0 else 0


def run(args, img):
    base = img.rsplit(".", 1)[0]
    truth = json.load(open(base + ".truth.json"))
    cache = os.path.join(args.cache, os.path.basename(base) + ".report.json")
    if not os.path.exists(cache) or os.path.getmtime(cache) < args.binary_mtime:
        ap = cache + ".applicant.json"
        with open(ap, "w") as f:
            json.dump(truth.get("applicant", {}), f)
        cmd = [args.prescreen, "check", "--kind", truth["kind"], "--applicant", ap]
        if truth.get("now"):
            cmd += ["--now", truth["now"]]
        if truth.get("side"):
            cmd += ["--side", truth["side"]]
        cmd.append(img)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        p = subprocess.run(cmd, capture_output=True, env=env)
        with open(cache, "wb") as f:
            f.write(p.stdout)
        os.unlink(ap)
    try:
        rep = json.load(open(cache))
    except Exception:
        rep = {"error": "bad json"}
    return img, truth, rep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--cache", default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--prescreen", default="build/prescreen")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    args.cache = args.cache or os.path.join(args.corpus, ".reports")
    os.makedirs(args.cache, exist_ok=True)
    args.binary_mtime = os.path.getmtime(args.prescreen)
    imgs = sorted(os.path.join(args.corpus, n) for n in os.listdir(args.corpus)
                  if n.endswith((".jpg", ".png", ".pdf")) and ".overlay." not in n
                  and os.path.exists(os.path.join(args.corpus, n.rsplit(".", 1)[0] + ".truth.json")))
    with ThreadPoolExecutor(args.jobs) as ex:
        results = list(ex.map(lambda i: run(args, i), imgs))
    tot = {}
    dt_ok = dt_n = 0
    flags = {f: [0, 0, 0] for f in FLAGS}
    read_ms = []
    for img, truth, rep in results:
        name = os.path.basename(img)
        if "error" in rep and "fields" not in rep:
            if not args.quiet:
                print(f"{name}: ERROR {rep.get('error')}")
            continue
        q = truth.get("document_quad")
        good = "?"
        if q and rep.get("checks", {}).get("document", {}).get("quad"):
            good = "good" if iou(q, rep["checks"]["document"]["quad"]) >= 0.9 else "bad"
        elif q:
            good = "bad"
        msgs = []
        if truth.get("doc_type"):
            dt_n += 1
            if rep.get("doc_type") == truth["doc_type"]:
                dt_ok += 1
            else:
                msgs.append(f"doc_type {truth['doc_type']} got {rep.get('doc_type')}")
        for k, want in truth.get("fields", {}).items():
            got = rep.get("fields", {}).get(k)
            gv = (got.get("iso") or got.get("text")) if got else None
            ok = gv is not None and fold(want) == fold(gv)
            for key in ((truth["doc_type"], k), ("ALL", k), ("ALL_" + good, k)):
                t = tot.setdefault(key, [0, 0])
                t[0] += ok
                t[1] += 1
            if not ok:
                msgs.append(f"{k}: want {want!r} got {gv!r}")
        fl = set(rep.get("flags", []))
        for f in FLAGS:
            e = f in truth.get("expect_flags", [])
            fb = f in truth.get("forbid_flags", [])
            g = f in fl
            if e and g:
                flags[f][0] += 1
            elif g and fb:
                flags[f][1] += 1
                msgs.append(f"FP {f}")
            elif e and not g:
                flags[f][2] += 1
                msgs.append(f"FN {f}")
        rm = rep.get("timings_ms", {}).get("read")
        if rm is not None:
            read_ms.append(rm)
        if msgs and not args.quiet:
            print(f"{name} [{truth.get('doc_type')} quad:{good}]: " + "; ".join(msgs))
    print("== doc_type %d/%d = %.3f" % (dt_ok, dt_n, dt_ok / dt_n if dt_n else 0))
    for key in sorted(tot):
        ok, n = tot[key]
        print("   %-32s %-12s %3d/%3d = %.3f" % (key[0], key[1], ok, n, ok / n))
    for f, (tp, fp, fn) in flags.items():
        if tp + fp + fn:
            p = tp / (tp + fp) if tp + fp else float("nan")
            r = tp / (tp + fn) if tp + fn else float("nan")
            print("   flag %-28s tp %3d fp %3d fn %3d  P %.2f R %.2f" % (f, tp, fp, fn, p, r))
    if read_ms:
        read_ms.sort()
        print("   read ms p50 %.0f p95 %.0f" % (read_ms[len(read_ms) // 2],
                                               read_ms[int(len(read_ms) * 0.95)]))


if __name__ == "__main__":
    main()
