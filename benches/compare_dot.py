#!/usr/bin/env python3
"""Lays the benchmark's generated workflows out with guichet and with Graphviz
(`dot -Gsplines=ortho`, Debian package graphviz) and prints, for both, the quality
figures of docs/diagrams.md: crossings between flows, bends, total flow length and area.

Usage: python3 benches/compare_dot.py   (from the repository root; needs `dot` on PATH)

It then does the same over the realistic set (benches/workflows/, hand-written service-desk
workflows with lanes), the unseen set (benches/workflows-unseen/, written by other people
without looking at the layout, kept apart so that a change tuned on the first set is also
measured on content it was not tuned on) and the demo's workflows/: ours with their lanes
against dot without.
There the targets of issue 19 are checked, and the script exits with 1 when one is missed:
  - crossings: no more than dot's (drawn);
  - bends: at most 1.0 per flow on average;
  - area: area_ratio (width x height over the sum of the boxes' areas) at most 1.6 x dot's.

Our figures come from `cargo bench --bench workflow -- --metrics --dot DIR`, which also
writes the same graphs as DOT with boxes of our sizes (1 px = 1 pt), so both layouts
place the same boxes. Crossings are counted the same way for both: a horizontal segment
of one flow passing strictly through a vertical segment of another.

dot's edge polylines stop where the arrowhead begins, about 10 pt before the target box,
while ours run to the box's border. An arrowhead that cuts another flow is a crossing on
the page, so dot's crossings are counted twice: on its polylines as written ('raw') and
on the flows as drawn, each last segment carried on to the box border ('drawn'). The
check compares ours, with and without lanes, to dot's drawn figure.
"""

import os
import subprocess
import sys
import tempfile

EPS = 0.01


def ours(dot_dir):
    out = subprocess.run(
        ["cargo", "bench", "-q", "--bench", "workflow", "--", "--metrics", "--dot", dot_dir],
        check=True, capture_output=True, text=True,
    ).stdout
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[1].isdigit():
            lanes, steps, flows, crossings, bends, length, area = parts
            rows[(int(steps), lanes)] = (int(flows), int(crossings), int(bends), float(length), float(area))
    return rows


def simplify(points):
    out = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < EPS and abs(out[-1][1] - p[1]) < EPS:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (abs(a[0] - b[0]) < EPS and abs(b[0] - p[0]) < EPS) or (abs(a[1] - b[1]) < EPS and abs(b[1] - p[1]) < EPS):
                out.pop()
        out.append(p)
    return out


def segments_cross(a0, a1, b0, b1):
    a_h = abs(a0[1] - a1[1]) < EPS
    b_h = abs(b0[1] - b1[1]) < EPS
    a_v = abs(a0[0] - a1[0]) < EPS
    b_v = abs(b0[0] - b1[0]) < EPS
    if a_h and b_v:
        h0, h1, v0, v1 = a0, a1, b0, b1
    elif b_h and a_v:
        h0, h1, v0, v1 = b0, b1, a0, a1
    else:
        return False
    hx0, hx1 = min(h0[0], h1[0]), max(h0[0], h1[0])
    vy0, vy1 = min(v0[1], v1[1]), max(v0[1], v1[1])
    return hx0 + EPS < v0[0] < hx1 - EPS and vy0 + EPS < h0[1] < vy1 - EPS


def crossings(polylines):
    total = 0
    boxes = [(min(p[0] for p in pl), max(p[0] for p in pl), min(p[1] for p in pl), max(p[1] for p in pl)) for pl in polylines]
    for i, a in enumerate(polylines):
        for j in range(i + 1, len(polylines)):
            bi, bj = boxes[i], boxes[j]
            if bi[1] < bj[0] or bj[1] < bi[0] or bi[3] < bj[2] or bj[3] < bi[2]:
                continue
            b = polylines[j]
            for s in range(len(a) - 1):
                for t in range(len(b) - 1):
                    if segments_cross(a[s], a[s + 1], b[t], b[t + 1]):
                        total += 1
    return total


def run_dot(path):
    """dot's orthogonal router aborts on some graphs (maze.c assertion); a wider node
    separation often avoids it, so that is tried next and reported."""
    for extra in ([], ["-Gnodesep=0.6"], ["-Gnodesep=0.8", "-Granksep=0.8"]):
        run = subprocess.run(["dot", "-Gsplines=ortho", *extra, "-Tplain", path],
                             capture_output=True, text=True, timeout=1800)
        if run.returncode == 0:
            return run.stdout, " ".join(extra) or "default"
    return None, run.stderr.strip().splitlines()[-1] if run.stderr.strip() else f"exit {run.returncode}"


def to_border(point, previous, box):
    """Carries a flow's end on along its last segment to the border of `box` (x0, x1, y0,
    y1) when it stops short of it: the part dot leaves to the arrowhead."""
    x0, x1, y0, y1 = box
    (px, py), (x, y) = previous, point
    if abs(px - x) < EPS and x0 - EPS <= x <= x1 + EPS:
        if y < y0 and py < y:
            return (x, y0)
        if y > y1 and py > y:
            return (x, y1)
    if abs(py - y) < EPS and y0 - EPS <= y <= y1 + EPS:
        if x < x0 and px < x:
            return (x0, y)
        if x > x1 and px > x:
            return (x1, y)
    return point


def graphviz(path):
    out, options = run_dot(path)
    if out is None:
        return None, options
    width = height = 0.0
    polylines = []
    boxes = []
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "graph":
            width, height = float(parts[2]) * 72, float(parts[3]) * 72
        elif parts[0] == "node":
            x, y, w, h = (float(v) * 72 for v in parts[2:6])
            boxes.append((parts[1], x - w / 2, x + w / 2, y - h / 2, y + h / 2))
        elif parts[0] == "edge":
            n = int(parts[3])
            pts = [(float(parts[4 + 2 * k]) * 72, float(parts[5 + 2 * k]) * 72) for k in range(n)]
            polylines.append((parts[1], parts[2], simplify(pts)))
    lines = [p for _, _, p in polylines]
    by_name = {name: (x0, x1, y0, y1) for name, x0, x1, y0, y1 in boxes}
    drawn = []
    for tail, head, p in polylines:
        if len(p) >= 2 and head in by_name:
            p = p[:-1] + [to_border(p[-1], p[-2], by_name[head])]
        if len(p) >= 2 and tail in by_name:
            p = [to_border(p[0], p[1], by_name[tail])] + p[1:]
        drawn.append(p)
    bends = sum(max(len(p) - 2, 0) for p in lines)
    length = sum(abs(p[k + 1][0] - p[k][0]) + abs(p[k + 1][1] - p[k][1]) for p in lines for k in range(len(p) - 1))
    through = 0
    for tail, head, p in polylines:
        for name, x0, x1, y0, y1 in boxes:
            if name in (tail, head):
                continue
            if any(min(a[0], b[0]) < x1 - 0.5 and max(a[0], b[0]) > x0 + 0.5 and
                   min(a[1], b[1]) < y1 - 0.5 and max(a[1], b[1]) > y0 + 0.5
                   for a, b in zip(p, p[1:])):
                through += 1
                break
    return (len(lines), crossings(lines), crossings(drawn), bends, length, width * height, through, height), options


SET_FOLDERS = [("set", "benches/workflows"), ("unseen", "benches/workflows-unseen"),
               ("unseen2", "benches/workflows-unseen2"), ("demo", "workflows")]
MAX_BENDS_PER_FLOW = 1.0
MAX_AREA_FACTOR = 1.6


def ours_set(folder, dot_dir):
    out = subprocess.run(
        ["cargo", "bench", "-q", "--bench", "workflow", "--", "--set", folder, "--dot", dot_dir],
        check=True, capture_output=True, text=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 13 and parts[0] == "set" and parts[2].isdigit():
            _, name, steps, flows, crossings, bends, length, area, boxes, bound, height, needed, in_row = parts
            rows.append((name, int(steps), int(flows), int(crossings), int(bends),
                         float(length), float(area), float(boxes), float(bound), float(height),
                         int(needed), int(in_row)))
    return rows


def compare_set():
    """The realistic set and the demo: returns the list of missed targets."""
    missed = []
    print()
    print("Realistic workflows: ours with lanes, dot (-Gsplines=ortho) without. b/f = bends per")
    print("flow; ratio = area over the sum of box areas; x dot = our ratio over dot's; x lanes =")
    print("our area over the least our lanes allow at our height (each lane its widest box wide);")
    print("floor = that least lanes' width at dot's height, over dot's area: above the area target,")
    print("no drawing with these lanes side by side can meet it without being shorter than dot's.")
    print("in row = that floor scaled by the rows the forward flows need when a flow into another")
    print("lane keeps its source's row (a handoff drawn across) over the rows they need now, one")
    print("each: an estimate of the floor such handoffs would give (ours and dot's take a row).")
    print(f"{'workflow':<30} {'steps':>5} {'flows':>5} | {'cross.':>6} {'b/f':>5} {'ratio':>6} | "
          f"{'dot cross.':>10} {'b/f':>5} {'ratio':>6} | {'x dot':>5} {'x lanes':>7} {'floor':>5} {'in row':>6} verdict")
    for tag, folder in SET_FOLDERS:
        if not os.path.isdir(folder):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            for name, steps, flows, c, b, _length, area, boxes, bound, height, needed, in_row in ours_set(folder, tmp):
                label = f"{tag}/{name}"
                bf = b / max(flows, 1)
                ratio = area / boxes
                figures, options = graphviz(os.path.join(tmp, f"{name}.dot"))
                faults = []
                if bf > MAX_BENDS_PER_FLOW + 1e-9:
                    faults.append("bends")
                if figures is None:
                    print(f"{label:<30} {steps:>5} {flows:>5} | {c:>6} {bf:>5.2f} {ratio:>6.2f} | "
                          f"dot failed: {options}")
                else:
                    _, _raw, dc, db, _dl, da, _through, dh = figures
                    dbf = db / max(flows, 1)
                    dratio = da / boxes
                    factor = ratio / dratio
                    floor = (bound / height) * dh / da
                    floor_in_row = floor * in_row / max(needed, 1)
                    if c > dc:
                        faults.append("crossings")
                    if factor > MAX_AREA_FACTOR + 1e-9:
                        faults.append("area" if floor <= MAX_AREA_FACTOR + 1e-9
                                      else f"area, floor {floor:.2f} over the target "
                                           f"({floor_in_row:.2f} with handoffs in the row)")
                    print(f"{label:<30} {steps:>5} {flows:>5} | {c:>6} {bf:>5.2f} {ratio:>6.2f} | "
                          f"{dc:>10} {dbf:>5.2f} {dratio:>6.2f} | {factor:>5.2f} {area / bound:>7.2f} {floor:>5.2f} "
                          f"{floor_in_row:>6.2f} "
                          f"{'ok' if not faults else 'MISSED: ' + ', '.join(faults)}")
                missed.extend(f"{label} ({f})" for f in faults)
    return missed


def main():
    missed = compare_set()
    with tempfile.TemporaryDirectory() as tmp:
        mine = ours(tmp)
        print("Same graphs without lanes for both (dot knows no swimlanes); 'ours+lanes' is the")
        print("generated workflow with its four lanes. 'through' counts flows drawn across a box.")
        print(f"{'steps':>5} {'flows':>5} | {'ours cross.':>11} {'bends':>5} {'length':>8} {'area':>10} | "
              f"{'dot cross. raw':>14} {'drawn':>5} {'bends':>5} {'length':>8} {'area':>10} {'through':>7} "
              f"{'dot options':>14} | {'ours+lanes cross.':>17} {'bends':>5} {'area':>10}")
        worse = []
        for steps in sorted({k[0] for k in mine}):
            flows, c, b, length, area = mine[(steps, "no")]
            _, lane_c, lane_b, _, lane_area = mine[(steps, "yes")]
            lanes = f"{lane_c:>17} {lane_b:>5} {lane_area:>10.0f}"
            figures, options = graphviz(os.path.join(tmp, f"gen{steps}.dot"))
            if figures is None:
                print(f"{steps:>5} {flows:>5} | {c:>11} {b:>5} {length:>8.0f} {area:>10.0f} | "
                      f"dot failed: {options} | {lanes}")
                continue
            _, raw, dc, db, dl, da, through, _dh = figures
            print(f"{steps:>5} {flows:>5} | {c:>11} {b:>5} {length:>8.0f} {area:>10.0f} | "
                  f"{raw:>14} {dc:>5} {db:>5} {dl:>8.0f} {da:>10.0f} {through:>7} {options:>14} | {lanes}")
            if c > dc or lane_c > dc:
                worse.append(steps)
        failed = False
        if worse:
            print(f"more crossings than dot on: {worse}")
            failed = True
        else:
            print("no more crossings than dot on any generated graph dot could lay out")
        if missed:
            print(f"targets missed on the realistic set: {', '.join(missed)}")
            failed = True
        else:
            print("every target met on the realistic set and the demo")
        if failed:
            sys.exit(1)


if __name__ == "__main__":
    main()
