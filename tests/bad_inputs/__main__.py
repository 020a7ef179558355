"""``python tests/bad_inputs`` : run every case once (through its first route) and write docs/bad-inputs.md's tables."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# `python tests/bad_inputs` puts this folder first on sys.path, where numbers.py would shadow the standard
# library's numbers module: put tests/ there instead
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import bad_inputs  # noqa: E402
from bad_inputs.routes import attempt, shown  # noqa: E402

BEGIN, END = "<!-- catalogue: begin (python tests/bad_inputs) -->", "<!-- catalogue: end -->"


def main() -> int:
    messages = {}
    for case in bad_inputs.CASES:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            made = case.make(tmp)
            _, _, message = attempt(case, case.routes[0], made, tmp)
            messages[case.id] = shown(message, tmp)
            print(f"{case.id}: {messages[case.id]}", file=sys.stderr)
    text = bad_inputs.DOCS.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    bad_inputs.DOCS.write_text(f"{head}{BEGIN}\n{bad_inputs.markdown_tables(messages)}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
