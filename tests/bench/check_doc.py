#!/usr/bin/env python3
"""Checks that every table in docs/performance.md says where its figures come from, and that the
script a measured table names still prints a table of that shape.

Every table has, on the line right above it, one of

    <!-- measured: YYYY-MM-DD · <commit> · tests/bench/<script> [args] -->
    <!-- derived: <what it is computed from> · tests/bench/<script>[, tests/bench/<script>…] -->

(`ad hoc: <how>` in place of the script(s) for figures no script makes). A problem is reported,
one line each with the table's line number, when a table has no marker or a malformed one (a bad
date, a script file that does not exist), when a commit the marker names is not in this
repository's history, or when a measured table's header matches none of the table headers its
script prints: the script's lines that start with `|` (heredocs, or strings given to echo,
printf or Python's print), a header being such a line followed by a `|---|` line. Headers are
compared cell by cell after lower-casing, dropping backticks, asterisks and backslashes, and
collapsing spaces; numbers and the script's variables (`$RUNS`, `${N}`, `$(…)`, `{runs}`, `%s`)
are wildcards.

Python 3 standard library only. Run from anywhere: `python3 tests/bench/check_doc.py`. The last
line is `perfdoc result: N passed; M failed` (tables); the exit status is 1 when any failed.
"""

import datetime
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
DOC_NAME = "docs/performance.md"

MARKER = re.compile(r"^<!--\s*(measured|derived):\s*(.*?)\s*-->\s*$")
SEPARATOR = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
# A commit named in a derived marker's text: 7 to 40 hex digits with at least one letter and one
# digit (so neither "1000000" nor a word like "defaced" is taken for one).
COMMIT_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![0-9A-Za-z])")
WILD = "\x00"
SCRIPT_VARIABLE = re.compile(
    r"\$\{[^}]*\}"  # ${N}, ${HELD[month]}
    r"|\$\((?:[^()]|\([^()]*\))*\)"  # $(…), one level of nesting
    r"|\$[A-Za-z_][A-Za-z0-9_]*"  # $RUNS
    r"|\{[A-Za-z_][^{}]*\}"  # Python's {runs}
    r"|%[-+ 0-9.]*[sdfg]"  # printf's %s
)
NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def commit_exists(commit, cache={}):
    if commit not in cache:
        cache[commit] = git("cat-file", "-e", f"{commit}^{{commit}}").returncode == 0
    return cache[commit]


def cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [c for c in row.split("|")]


def normalise(cell, script):
    cell = cell.strip()
    if script:
        cell = SCRIPT_VARIABLE.sub(WILD, cell)
    cell = cell.lower().replace("`", "").replace("*", "").replace("\\", "")
    cell = NUMBER.sub("#", cell)
    return re.sub(r"\s+", " ", cell).strip()


def cell_matches(doc_cell, script_cell):
    pattern = ".*".join(re.escape(part) for part in normalise(script_cell, True).split(WILD))
    return re.fullmatch(pattern, normalise(doc_cell, False)) is not None


def header_matches(doc_header, script_header):
    d, s = cells(doc_header), cells(script_header)
    return len(d) == len(s) and all(cell_matches(a, b) for a, b in zip(d, s))


def printed_lines(path):
    """The script's lines as it prints them where they start with `|`, else None, in order."""
    out = []
    for line in path.read_text(errors="replace").splitlines():
        text = line.strip()
        if not text.startswith("|"):
            # A string literal given to echo, printf or print that starts with "|".
            m = re.search(r"""(?:echo|printf|print\(\s*f?|write\(\s*f?)\s*(?:-[neE]+\s+)?['"](\|.*)$""", line)
            text = re.sub(r"""['"]\s*\)?\s*;?\s*$""", "", m.group(1)) if m else None
        if text is None:
            out.append(None)
            continue
        out.extend(part.strip() for part in text.split("\\n") if part.strip())
    return out


def script_headers(script):
    """Table headers the script prints, its helpers (files beside it it names) included."""
    sources = [script]
    # Helpers are the files beside it that it names outside its comments (lib.sh, a .py probe).
    text = "\n".join(l for l in script.read_text(errors="replace").splitlines() if not l.lstrip().startswith("#"))
    for other in sorted(script.parent.iterdir()):
        if other != script and other.is_file() and other.suffix in (".sh", ".py") and other.name in text:
            sources.append(other)
    headers = []
    for source in sources:
        lines = printed_lines(source)
        for here, after in zip(lines, lines[1:]):
            if here and after and not SEPARATOR.match(here) and SEPARATOR.match(after):
                headers.append(here)
    return headers


def script_paths(field):
    """tests/… paths in a marker's script field, or None when it is not a list of paths."""
    paths = [p for p in re.split(r",\s*|\s+and\s+", field.strip()) if p]
    return paths if paths and all(p.startswith("tests/") and " " not in p for p in paths) else None


def check_measured(body, header):
    problems = []
    fields = [f.strip() for f in body.split("·")]
    if len(fields) != 3:
        return [f"measured marker needs 'date · commit · script [args]', has {len(fields)} field(s)"]
    date, commit, run = fields
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise ValueError
        datetime.date.fromisoformat(date)
    except ValueError:
        problems.append(f"bad date {date!r} (YYYY-MM-DD)")
    commit = commit.strip("`")
    if not COMMIT.match(commit):
        problems.append(f"bad commit {commit!r} (7 to 40 hex digits)")
    elif not commit_exists(commit):
        problems.append(f"commit {commit} is not in this repository's history")
    script = run.split()[0] if run.split() else ""
    if not script.startswith("tests/") or not (ROOT / script).is_file():
        problems.append(f"unknown script file {script!r}")
        return problems
    headers = script_headers(ROOT / script)
    if not headers:
        problems.append(f"{script} prints no Markdown table; the table's header is {header.strip()}")
    elif not any(header_matches(header, h) for h in headers):
        width = len(cells(header))
        near = [h for h in headers if len(cells(h)) == width] or headers
        problems.append(
            f"header {header.strip()} ({width} columns) matches no table {script} prints; it prints "
            + " / ".join(f"{h} ({len(cells(h))} columns)" for h in near)
        )
    return problems


def check_derived(body):
    problems = []
    what, sep, field = body.rpartition("·")
    if not sep or not what.strip():
        return ["derived marker needs '<what it is computed from> · <script(s)>'"]
    field = field.strip()
    if not field.startswith("ad hoc"):
        paths = script_paths(field)
        if paths is None:
            problems.append(f"derived marker's last field {field!r} is neither tests/… script paths nor 'ad hoc: …'")
        else:
            for p in paths:
                if not (ROOT / p).is_file():
                    problems.append(f"unknown script file {p!r}")
    for commit in COMMIT_IN_TEXT.findall(body):
        if not commit_exists(commit):
            problems.append(f"commit {commit} is not in this repository's history")
    for date in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", body):
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            problems.append(f"bad date {date!r}")
    return problems


def main():
    if git("rev-parse", "--git-dir").returncode != 0:
        print(f"{DOC_NAME}: not in a git repository, so no commit can be checked")
        print("perfdoc result: 0 passed; 1 failed")
        return 1
    lines = DOC.read_text().splitlines()
    passed = failed = 0
    in_fence = False
    used_markers = set()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or not line.lstrip().startswith("|"):
            continue
        starts_table = (i == 0 or not lines[i - 1].lstrip().startswith("|")) and i + 1 < len(lines) and SEPARATOR.match(lines[i + 1])
        if not starts_table:
            continue
        number = i + 1
        marker = MARKER.match(lines[i - 1]) if i > 0 else None
        if marker is None:
            problems = ["table has no provenance marker on the line above (<!-- measured: … --> or <!-- derived: … -->)"]
        else:
            used_markers.add(i - 1)
            kind, body = marker.groups()
            problems = check_measured(body, line) if kind == "measured" else check_derived(body)
        for p in problems:
            print(f"{DOC_NAME}:{number}: {p}")
        if problems:
            failed += 1
        else:
            passed += 1
    for i, line in enumerate(lines):
        if (MARKER.match(line) or re.match(r"^<!--\s*(measured|derived)\b", line)) and i not in used_markers:
            print(f"{DOC_NAME}:{i + 1}: marker is not on the line right above a table (or is malformed)")
            failed += 1
    print(f"perfdoc result: {passed} passed; {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
