"""The README's walk-through as one shell script, with what it says each command prints.

A walk-through block is a ```sh fence right after a `<!-- walkthrough -->` line; other
blocks (Home Assistant, deployment, placeholders) are prose. The blocks run top to bottom in
one bash, as a reader pastes them, so a variable set in one is there in the next. A run of
`# → ` lines right after a command is what that command prints: the last lines of the output
since the previous expectation must be exactly those lines.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- walkthrough -->"
ARROW = "# → "
PROBLEM = "urn:fairstead:problem:"


@dataclass(frozen=True)
class Step:
    """Shell text and the lines its output must end with (none: only that it succeeds)."""

    line: int
    script: str
    expected: tuple[str, ...]


def blocks(readme: str) -> list[tuple[int, str]]:
    """(first line number, text) of every walk-through block, in order."""
    found = []
    lines = readme.splitlines()
    for number, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        if number + 1 >= len(lines) or lines[number + 1].strip() != "```sh":
            raise ValueError(f"README line {number + 1}: {MARKER} is not followed by ```sh")
        end = lines.index("```", number + 2)
        found.append((number + 3, "\n".join(lines[number + 2 : end])))
    return found


def steps(readme: str) -> list[Step]:
    """The blocks cut after each run of `# → ` lines."""
    result: list[Step] = []
    for first, text in blocks(readme):
        pending: list[str] = []
        start = first
        expected: list[str] = []
        for offset, line in enumerate([*text.splitlines(), ""]):
            if line.startswith(ARROW):
                expected.append(line.removeprefix(ARROW))
                continue
            if expected:
                result.append(Step(start, "\n".join(pending), tuple(expected)))
                pending, expected, start = [], [], first + offset
            pending.append(line)
        if any(p.strip() for p in pending):
            result.append(Step(start, "\n".join(pending).rstrip("\n"), ()))
    return result


def script(all_steps: list[Step], outputs: Path) -> str:
    """One bash script: each step's output goes to its own file and to the terminal."""
    parts = ["set -euo pipefail"]
    for index, step in enumerate(all_steps):
        parts.append(f"{{\n{step.script}\n}} > {outputs}/{index}.out")
        parts.append(f"cat {outputs}/{index}.out")
    return "\n".join(parts) + "\n"


def run(readme: Path, workdir: Path, env: dict[str, str], timeout: float) -> list[str]:
    """Runs the walk-through; returns what went wrong (nothing: it ran as written)."""
    all_steps = steps(readme.read_text())
    outputs = workdir / "outputs"
    outputs.mkdir()
    (workdir / "walkthrough.sh").write_text(script(all_steps, outputs))
    done = subprocess.run(
        ["bash", str(workdir / "walkthrough.sh")],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    problems = []
    for index, step in enumerate(all_steps):
        path = outputs / f"{index}.out"
        if not path.exists():
            problems.append(f"README line {step.line}: never ran")
            break
        output = path.read_text()
        if PROBLEM in output:
            problems.append(f"README line {step.line}: an error answer:\n{output[-2000:]}")
        got = (
            tuple(output.rstrip("\n").splitlines()[-len(step.expected) :]) if step.expected else ()
        )
        if got != step.expected:
            problems.append(
                f"README line {step.line}: printed\n  "
                + "\n  ".join(got)
                + "\nbut the README says\n  "
                + "\n  ".join(step.expected)
            )
    if done.returncode != 0:
        problems.append(f"the walk-through exited {done.returncode}: {done.stderr[-3000:]}")
    return problems
