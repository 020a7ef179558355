"""How a case is tried through each route, and its message as the docs show it (paths made machine-free)."""
from __future__ import annotations

import contextlib
import io
import re

from bad_inputs import ROOT


def notebook_path(case):
    from cityeval.notebook import runner
    return next(p for p in runner.list_notebooks() if p.stem.startswith(case.notebook + "_"))


def argv(case, route, made, out):
    """The command line of ``route`` for the case's made inputs; ``out`` is a folder that does not exist yet."""
    if route == "score":
        return ["score", str(made["data"]), "--out", str(out / "scores.csv")]
    if route == "validate":
        return ["validate", str(made["table"])]
    if route == "audit":
        return ["audit", str(made["data"]), "--spec", str(made["spec"]), "--out", str(out / "ranks.csv"),
                *made.get("args", [])]
    if route == "cli":
        return [str(a) for a in made["argv"]]
    assert route == "run", route
    line = ["run", "--only", case.notebook, "--out", str(out)]
    if "data" in made:
        line += ["--data", str(made["data"])]
    if "published_dir" in made:
        line += ["-p", "published_dir", str(made["published_dir"])]
    for name, value in made.get("parameters", {}).items():
        line += ["-p", name, str(value)]
    return line + list(made.get("args", []))


def attempt(case, route, made, tmp_path):
    """Try the case once. Returns ``(kind, detail)``:

    - command-line routes: ``("exit", code)`` with the message being stderr;
    - ``api``: ``("raised", exception type name)``;
    - ``papermill``: ``("raised", ename)``.
    The message is returned as the third element.
    """
    from cityeval.cli import main
    out = tmp_path / "out"
    if route == "papermill":
        import papermill
        nb = notebook_path(case)
        try:
            papermill.execute_notebook(str(nb), str(tmp_path / "executed.ipynb"), parameters=made["parameters"],
                                       kernel_name="python3", progress_bar=False, cwd=str(nb.parent),
                                       log_output=False)
        except papermill.PapermillExecutionError as exc:
            return "raised", exc.ename, exc.evalue
        return "raised", None, ""
    if route == "api":
        from cityeval.errors import CityevalError
        try:
            made["call"]()
        except CityevalError as exc:
            return "raised", type(exc).__name__, str(exc)
        return "raised", None, ""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv(case, route, made, out))
    return "exit", code, err.getvalue()


def shown(message: str, tmp_path) -> str:
    """The message as docs/bad-inputs.md shows it: first line, ``error: `` dropped, paths made machine-free."""
    text = message.strip().splitlines()[0] if message.strip() else ""
    text = re.sub(r"^error: ", "", text)
    for base, name in ((tmp_path.resolve(), "…"), (tmp_path, "…"), (ROOT.resolve(), "<repo>"), (ROOT, "<repo>")):
        text = text.replace(str(base), name)
    return text
