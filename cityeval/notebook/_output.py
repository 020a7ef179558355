"""The output folder of a run (private to :mod:`cityeval.notebook.runner`).

The folder is checked (not a file, apart from every input folder, links resolved; not in the package source, nor nested in another run's output folder or a dataset folder; an existing folder cityeval did not make -- no runs.json, files no run writes -- is refused: :func:`_check_place`), created, locked
(``fcntl.flock`` on :data:`LOCK_FILE`: one run per folder), cleaned of what a killed run left, and rid of the
files its record does not describe (moved to :data:`STALE_FOLDER`), for the length of a run (:func:`_output_session`). It holds the run record :data:`RUNS_FILE` (:func:`read_runs`) and the index page
``index.html`` built from it (:func:`write_index`), which lists every notebook (:func:`list_notebooks`), run or not.
:mod:`cityeval.notebook.runner` re-exports the public names.
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import tempfile
from pathlib import Path

from cityeval import paths
from cityeval.errors import CityevalError, OutputError, ParameterError
from cityeval.outputs import describe_os_error, is_dataset_folder, is_run_folder, write_text_atomic
from cityeval.notebook.parameters import PATH_PARAMETERS

__all__ = ["list_notebooks", "write_index", "read_runs", "RUNS_FILE", "LOCK_FILE", "STALE_FOLDER"]

#: The run record in the output folder, from which ``index.html`` is built.
RUNS_FILE = "runs.json"
#: The lock file of a run in progress (``fcntl.flock``), holding the runner's process id.
LOCK_FILE = ".lock"
_RUNS_FORMAT = "cityeval run record, version 1"
_STAGING_PREFIX = ".run-"
#: The subfolders a run writes: executed notebooks and pages, results files, and what earlier runs left there.
_SUBFOLDERS = ("notebooks", "results", "stale")


def list_notebooks(only=None, folder=None) -> list[Path]:
    """Notebooks in ``folder`` (default ``notebooks/``) in name order; ``only`` chooses some.

    Each name of ``only`` is a notebook's full stem (``01_published_claims``), its number with or without
    leading zeros (``01``, ``1``), or the start of its stem up to an underscore (``01_published``).

    Raises
    ------
    ParameterError
        A name that matches no notebook, or more than one (both listing the notebooks).

    Examples
    --------
    >>> [p.stem for p in list_notebooks(["1", "09_robustness", "002"])]
    ['01_published_claims', '02_innovation_correlation', '09_robustness']
    """
    folder = Path(folder) if folder is not None else paths.NOTEBOOKS
    found = sorted(folder.glob("[0-9]*.ipynb"))
    if not only:
        return found
    listed = ", ".join(p.stem for p in found)
    chosen = []
    for name in only:
        name = str(name).strip()
        exact = [p for p in found if p.stem == name]
        match = exact or [p for p in found if p.stem.startswith(f"{name}_") or _same_number(p.stem, name)]
        if not match:
            raise ParameterError("--only", f"a notebook stem or number among {listed}", name)
        if len(match) > 1:
            raise ParameterError("--only", f"a notebook stem or number naming one notebook (it names "
                                 f"{', '.join(p.stem for p in match)}; the notebooks: {listed})", name)
        chosen.extend(m for m in match if m not in chosen)
    return sorted(chosen)


def _same_number(stem: str, name: str) -> bool:
    """Whether ``name`` is the number a stem starts with (``1`` and ``01`` both name ``01_x``)."""
    number = stem.split("_", 1)[0]
    return name.isdigit() and number.isdigit() and int(name) == int(number)


# ----------------------------------------------------------------------------- the output folder
def _output_folder(out_dir, inputs: dict) -> Path:
    """The output folder, absolute, checked before anything is written: not a file, not the empty string,
    and apart from every input folder (``inputs``: what -> folder), links resolved: it is no input folder and
    lies inside none (but the notebooks folder, of which only the top-level notebooks are read); its
    ``notebooks/``, ``results/`` and ``stale/`` are no input folder, lie inside none and hold none.

    >>> import tempfile
    >>> data = Path(tempfile.mkdtemp())
    >>> _output_folder(data / "out", {"the data folder": data})
    Traceback (most recent call last):
    cityeval.errors.OutputError: cannot write --out ...: it lies inside the data folder ..., an input; give another folder
    """
    if out_dir is not None and str(out_dir) == "":
        raise ParameterError("--out", "a folder name (it is empty)", "")
    given = Path(out_dir) if out_dir is not None else paths.output_dir()
    out = Path(os.path.abspath(given))
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(given, "it is an existing file, not a folder; give a folder", option="--out")
        target = out.resolve()
    except OutputError:               # an OSError too (errors.OutputError): already the message
        raise
    except OSError as exc:            # a name too long, a loop of links ...
        raise _folder_error(given, exc) from None
    # what the runner writes, moves or removes: the folder itself (its top-level files), these subfolders (links
    # resolved), and its staging folders .run-*
    written = {f"its {name}/": (target / name).resolve() for name in _SUBFOLDERS}
    for what, folder in inputs.items():
        folder = Path(os.path.realpath(folder))    # links resolved: a link to an input is that input
        # inside the notebooks folder is harmless (only the notebooks at its top are read); inside a data folder,
        # the run's files would sit among the data
        inside_ok = what.startswith("the notebooks folder")
        if target == folder or (folder in target.parents and not inside_ok):
            how = "is" if target == folder else "lies inside"
            raise OutputError(given, f"it {how} {what} {folder}, an input; give another folder", option="--out")
        if folder.parent == target and folder.name.startswith(_STAGING_PREFIX):
            raise OutputError(given, f"its staging folders {_STAGING_PREFIX}* would replace {what} {folder}, an "
                              "input; give another folder", option="--out")
        for part, place in written.items():
            if place == folder or place in folder.parents or (folder in place.parents and not inside_ok):
                # the runner would write its files over the inputs or among them, or move them to stale/
                how = "is" if place == folder else "contains" if place in folder.parents else "lies inside"
                raise OutputError(given, f"{part} {how} {what} {folder}, an input; give another folder",
                                  option="--out")
    _check_place(given, target)
    return out


def _check_place(given, target: Path) -> None:
    """Refuse an output folder inside the package source, nested inside another run's output folder or inside a
    dataset folder, or an existing folder with files cityeval did not make (no run record, and files no run
    writes): a run would move the user's files to ``stale/`` and replace their ``index.html``."""
    package = Path(os.path.realpath(paths.PACKAGE))
    if target == package or package in target.parents:
        raise OutputError(given, f"it {'is' if target == package else 'lies inside'} the package source {package}; "
                          "give another folder", option="--out")
    for folder in target.parents:
        if is_run_folder(folder):
            raise OutputError(given, f"it lies inside {folder}, the output folder of another run (it holds "
                              f"{RUNS_FILE}); give a folder outside it", option="--out")
        if is_dataset_folder(folder):
            raise OutputError(given, f"it lies inside the dataset folder {folder} (it holds values.csv and "
                              "indicators.csv), whose files are inputs; give a folder outside it", option="--out")
    foreign = _foreign_entries(target)
    if foreign:
        shown = ", ".join(foreign[:3]) + (" and more" if len(foreign) > 3 else "")
        raise OutputError(given, f"it is a folder cityeval did not make (no {RUNS_FILE}) holding {shown}, which a "
                          "run would move to stale/ or replace; give an empty or a new folder, or an earlier run's "
                          "output folder", option="--out")


def _ours(sub: str, name: str) -> bool:
    """Whether an entry of ``notebooks/`` or ``results/`` is a name a run writes (a notebook's copy, page or
    results file, all named by the notebook's stem, which starts with its number) or leaves (a hidden partial
    file, a temporary file of an atomic write)."""
    if name.startswith(".") and (name.endswith(".tmp") or name[1:2].isdigit()):
        return True
    suffixes = (".ipynb", ".html") if sub == "notebooks" else (".json",)
    return name[:1].isdigit() and name.endswith(suffixes)


def _foreign_entries(target: Path) -> list[str]:
    """The entries of an existing output folder without a run record that no run makes (relative paths, sorted);
    empty for a new or empty folder, a run's folder (it has :data:`RUNS_FILE`) and the folder of a run of older
    code or of a first run killed before its record was written (only the names a run writes)."""
    if not target.is_dir() or (target / RUNS_FILE).exists():
        return []
    foreign = []
    for entry in sorted(target.iterdir()):
        name = entry.name
        if name in (LOCK_FILE, "glossary.html") or (name.startswith(".") and name.endswith(".tmp")):
            continue
        if name.startswith(_STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            continue
        if name == "index.html" and entry.is_file() and not entry.is_symlink():
            with contextlib.suppress(OSError):
                with open(entry, "rb") as fh:
                    if b"<title>cityeval" in fh.read(4096):      # the page write_index writes
                        continue
        if name == STALE_FOLDER and entry.is_dir() and not entry.is_symlink():
            continue
        if name in ("notebooks", "results") and entry.is_dir() and not entry.is_symlink():
            foreign += [f"{name}/{e.name}" for e in sorted(entry.iterdir()) if not _ours(name, e.name)]
            continue
        foreign.append(name + ("/" if entry.is_dir() else ""))
    return foreign


def _make_folder(out: Path, given) -> list[Path]:
    """Create ``out`` (and missing parents); return the folders created, deepest first."""
    created, probe = [], out
    while not probe.exists():
        created.append(probe)
        probe = probe.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_empty(created)
        raise _folder_error(given, exc) from None
    return created


def _folder_error(given, exc: OSError) -> OutputError:
    reason = describe_os_error(OSError(exc.errno, exc.strerror))     # the reason in words, without the path
    return OutputError(given, f"cannot create the folder: {reason}", option="--out", errno=exc.errno)


def _remove_empty(folders) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


class _FolderLock:
    """``fcntl.flock`` on ``<out>/.lock`` for the length of a run; the file holds the runner's pid and is removed
    when the lock is released. A run killed outright leaves the file, but not the lock (the system drops it)."""

    def __init__(self, out: Path):
        self.path = out / LOCK_FILE
        self.fd = None

    def acquire(self):
        import fcntl

        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 64).decode("ascii", "replace").strip()
                os.close(fd)
                who = f" (pid {holder})" if holder.isdigit() else ""
                raise CityevalError(f"output folder {self.path.parent} is in use by another run{who}; wait for it "
                                    "to finish or give another --out") from None
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:          # released and removed by its holder meanwhile: try again
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def release(self):
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)           # removed while still locked: the next run makes a new one
            os.close(self.fd)
            self.fd = None


def _remove_debris(out: Path) -> None:
    """Remove what a run killed outright (SIGKILL, power loss) left: staging folders and the hidden partial
    ``.<stem>.XXXX.ipynb`` files of earlier versions. Called with the folder locked, so none is in use."""
    for stale in out.glob(f"{_STAGING_PREFIX}*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    for stale in (out / "notebooks").glob(".[0-9]*.ipynb"):
        stale.unlink(missing_ok=True)


#: Where files of ``notebooks/`` and ``results/`` that the run record does not describe are moved.
STALE_FOLDER = "stale"


def _sweep_stale(out: Path) -> list[Path]:
    """Move to ``stale/notebooks/`` and ``stale/results/`` every entry of ``notebooks/`` and ``results/`` that the
    run record does not describe as a notebook's latest run (its executed copy, its page, and its results file
    if that run succeeded): files of older versions with no record, of notebooks no longer recorded, a results
    file left beside a failed run, links. An entry left ``committing`` (a run killed while moving its files in)
    describes nothing: it is recorded as failed and its files moved too. Return the entries moved.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()); (out / "results").mkdir(); _ = (out / "results" / "00_x.json").write_text("{}")
    >>> [p.relative_to(out).as_posix() for p in _sweep_stale(out)]
    ['stale/results/00_x.json']
    """
    runs = read_runs(out)
    keep, changed = set(), False
    for stem, entry in runs.items():
        if entry.get("status") == "committing":
            why = "stopped while its files were moved into place; run it again"
            runs[stem] = {**entry, "status": "failed", "error": why, "summary": f"FAILED: {why}", "page": None,
                          "results": None}
            changed = True
            continue
        keep.add(f"notebooks/{stem}.ipynb")
        keep.update(entry.get(key) for key in ("page", "results") if entry.get(key))
    moved = []
    for sub in ("notebooks", "results"):
        folder = out / sub
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if f"{sub}/{entry.name}" in keep and entry.is_file() and not entry.is_symlink():
                continue
            place = out / STALE_FOLDER / sub / entry.name
            place.parent.mkdir(parents=True, exist_ok=True)
            if place.is_dir() and not place.is_symlink():
                shutil.rmtree(place)               # an older stale copy of the same folder
            os.replace(entry, place)
            moved.append(place)
    if changed:
        _write_runs(out, runs)
        write_index(out_dir=out)
    return moved


@contextlib.contextmanager
def _output_session(out_dir, inputs: dict):
    """The output folder, checked, created, locked and cleaned for one run: yields ``(out, staging)``."""
    out = _output_folder(out_dir, inputs)
    created = _make_folder(out, out_dir if out_dir is not None else out)
    lock = None
    try:
        lock = _FolderLock(out).acquire()
        read_runs(out)                     # a runs.json that is not a run record fails before any kernel starts
        _remove_debris(out)
        _sweep_stale(out)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out))
        try:
            yield out, staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        if lock is not None:
            lock.release()
        _remove_empty(created)             # only when nothing was written into them


# ----------------------------------------------------------------------------- the run record and the index
def read_runs(out_dir=None) -> dict:
    """The run record of an output folder: ``{stem: entry}`` (empty when no run has been recorded).

    Raises
    ------
    DataError
        ``runs.json`` exists but is not a cityeval run record.
    """
    from cityeval.errors import DataError

    out = Path(out_dir) if out_dir is not None else paths.output_dir()
    path = out / RUNS_FILE
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != _RUNS_FORMAT or not isinstance(doc.get("notebooks"), dict):
            raise ValueError("format")
    except (ValueError, AttributeError, UnicodeDecodeError):
        raise DataError(path, f"not a cityeval run record ({_RUNS_FORMAT!r}); remove it or give another --out") \
            from None
    return doc["notebooks"]


def _write_runs(out: Path, runs: dict) -> None:
    doc = {"format": _RUNS_FORMAT, "notebooks": dict(sorted(runs.items()))}
    write_text_atomic(out / RUNS_FILE, json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")


def _shown_value(value) -> str:
    if isinstance(value, str):
        if value and os.path.isabs(value):
            with contextlib.suppress(ValueError):
                return Path(value).relative_to(paths.ROOT).as_posix()
        return value or "(embedded)"
    return json.dumps(value, ensure_ascii=False)


#: The what-if page (built by its own notebook), linked from the index when it is there.
WHAT_IF_PAGE = "notebooks/10_weights_what_if.html"

_INDEX_WORDS = {
    "en": {
        "title": "cityeval: the CCID 2022 digital-city report, reproduced and tested",
        "intro": "Each notebook tests one finding of the report. Numbers computed from the published rank tables "
                 "reproduce the report; numbers computed on the synthetic panel are <strong>illustrative "
                 "only</strong> (the report publishes ranks, never scores): every figure and table resting on it "
                 "says so.",
        "pages": "Pages", "what_if": "Weights what-if: set the dimension weights and watch the ranking change",
        "glossary": "Glossary of the method's terms (English and Chinese)",
        "head": ["notebook", "status", "last run (UTC)", "time", "data", "parameters", "finding"],
        "status": {"ok": "ok", "failed": "failed", "committing": "committing"}, "notrun": "not run",
        "cached": "ok, from the cache (inputs unchanged since this run)",
        "other": "中文", "lang_attr": "zh-CN",
    },
    "zh": {
        "title": "cityeval：CCID 2022 数字城市竞争力报告的复现与检验",
        "intro": "每个笔记本检验报告的一项结论。由公布的排名表算出的数字复现报告；在合成面板上算出的数字<strong>仅为示意"
                 "</strong>（报告只公布排名，从未公布得分）：凡基于合成数据的图表都注明“示意”。",
        "pages": "页面", "what_if": "权重模拟：调整各维度权重，即时查看排名变化",
        "glossary": "方法术语表（中英对照）",
        "head": ["笔记本", "状态", "最近运行（UTC）", "用时", "数据", "参数", "结论"],
        "status": {"ok": "成功", "failed": "失败", "committing": "写入中"}, "notrun": "未运行",
        "cached": "成功，取自缓存（自该次运行以来输入未变）",
        "other": "English", "lang_attr": "en",
    },
}


def _index_language(runs: dict) -> str:
    """``"zh"`` when every notebook of the record ran with ``lang`` = ``"zh"``, else ``"en"``.

    >>> _index_language({"01": {"parameters": {"lang": "zh"}}}), _index_language({"01": {"parameters": {}}})
    ('zh', 'en')
    """
    ran = [r for r in runs.values() if r.get("status") in ("ok", "failed")] or list(runs.values())
    return "zh" if ran and all((r.get("parameters") or {}).get("lang") == "zh" for r in ran) else "en"


def _summaries(out: Path, entry: dict) -> dict:
    """The one-line summaries of a run record entry: ``{"en": ..., "zh": ...}``; the Chinese one is the results
    file's ``summary_zh`` (absent for a failed run or a notebook that records none)."""
    found = {"en": str(entry.get("summary") or "")}
    if entry.get("results") and entry.get("status") == "ok":
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            zh = json.loads((out / entry["results"]).read_text(encoding="utf-8"))["results"].get("summary_zh")
            if zh:
                found["zh"] = str(zh)
    return found


def _finding_cell(summaries: dict, lang: str) -> str:
    words = _INDEX_WORDS[lang]
    main = summaries.get(lang) or summaries.get("en", "")
    other = summaries.get("en" if lang == "zh" else "zh")
    text = html.escape(main)
    if other and other != main:
        text += (f'<span class="other-lang" lang="{words["lang_attr"]}">{html.escape(words["other"])}: '
                 f"{html.escape(other)}</span>")
    return text


def _write_glossary(out: Path, lang: str) -> Path:
    """Write ``<out>/glossary.html`` (atomically) from ``docs/glossary.md`` (:data:`cityeval.notebook.pages.GLOSSARY`)."""
    import hashlib

    from cityeval.notebook import pages
    from cityeval.notebook._cache import PACKAGE, folder_digest

    # the page is rewritten only when what it is made of changed (its source, its language, the library that renders
    # it): a rerun served from the cache then neither renders the markdown nor subsets the font again
    source = pages.GLOSSARY.read_bytes() if pages.GLOSSARY.is_file() else b""
    digest = hashlib.sha256(source + lang.encode() + folder_digest(PACKAGE).encode()).hexdigest()
    marker = f"<!-- cityeval glossary {digest} -->\n"
    target = out / pages.GLOSSARY_PAGE
    try:
        if target.is_file() and target.read_text(encoding="utf-8").endswith(marker):
            return target
    except (OSError, UnicodeDecodeError):
        pass
    return write_text_atomic(target, pages.render_glossary(lang=lang) + marker)


def write_index(outcomes=(), out_dir=None) -> Path:
    """Write ``<out_dir>/index.html`` from the run record: every notebook with its status, when it last ran,
    for how long, with which data and parameters, and its one-line summary (with the other language's too);
    links to every page, the what-if page (when built) and the glossary, which is written beside it
    (``glossary.html``, from ``docs/glossary.md``).

    The page is Chinese when every notebook that ran had ``lang`` = ``"zh"``, else English. ``outcomes`` not yet in
    the record (a caller's own :class:`cityeval.notebook.runner.Outcome` objects) are listed too.
    """
    from cityeval.notebook import pages

    out = Path(out_dir) if out_dir is not None else paths.output_dir()
    runs = dict(read_runs(out))
    for o in outcomes:
        runs.setdefault(o.stem, {"status": "ok" if o.ok else "failed", "seconds": o.seconds, "summary": o.summary,
                                 "error": o.error, "page": f"notebooks/{o.stem}.html" if o.html else None})
    lang = _index_language(runs)
    words = _INDEX_WORDS[lang]
    folders = {Path(r["notebook"]).parent for r in runs.values() if r.get("notebook")} or {paths.NOTEBOOKS}
    stems = sorted(set(runs) | {p.stem for f in folders for p in list_notebooks(folder=f)})
    rows = []
    for stem in stems:
        r = runs.get(stem)
        if r is None:
            rows.append(f'<tr class="notrun"><td>{html.escape(stem)}</td><td>{words["notrun"]}</td>'
                        "<td></td><td></td><td></td><td></td><td></td></tr>")
            continue
        name = html.escape(stem)
        link = f'<a href="{html.escape(r["page"])}">{name}</a>' if r.get("page") else name
        data = ", ".join(f"{k}: {_shown_value(v)}" for k, v in (r.get("data") or {}).items()) or "—"
        params = ", ".join(f"{k}={_shown_value(v)}" for k, v in (r.get("parameters") or {}).items()
                           if k not in PATH_PARAMETERS)
        status = words["cached"] if r.get("cached") and r["status"] == "ok" else words["status"].get(r["status"],
                                                                                                     r["status"])
        rows.append(f'<tr class="{html.escape(r["status"])}"><td>{link}</td><td>{html.escape(status)}</td>'
                    f"<td>{html.escape(r.get('started', ''))}</td><td>{float(r.get('seconds', 0)):.1f} s</td>"
                    f"<td>{html.escape(data)}</td><td><small>{html.escape(params)}</small></td>"
                    f"<td>{_finding_cell(_summaries(out, r), lang)}</td></tr>")
    links = [f'<li><a href="{WHAT_IF_PAGE}">{words["what_if"]}</a></li>'] if (out / WHAT_IF_PAGE).is_file() else []
    links.append(f'<li><a href="{pages.GLOSSARY_PAGE}">{words["glossary"]}</a></li>')
    other = "en" if lang == "zh" else "zh"
    record = (f"Machine-readable key figures are in <code>results/</code>; each notebook's latest run (when, with "
              f"which data and parameters, and whether it succeeded) is in <code>{RUNS_FILE}</code>. A notebook whose "
              "latest run failed has no results file; files earlier runs left that the record does not describe are "
              f"in <code>{STALE_FOLDER}/</code>.")
    record_zh = (f"机器可读的关键数字在 <code>results/</code>；每个笔记本最近一次运行（时间、数据、参数、是否成功）记录在 "
                 f"<code>{RUNS_FILE}</code>。最近一次运行失败的笔记本没有结果文件；运行记录未描述的旧文件移到 "
                 f"<code>{STALE_FOLDER}/</code>。")
    head = "".join(f"<th>{h}</th>" for h in words["head"])
    body = f"""<h1>{words["title"]}</h1>
<div class="intro"><p>{words["intro"]}</p>
<p>{record_zh if lang == "zh" else record}</p>
<details lang="{words["lang_attr"]}"><summary>{words["other"]}</summary><p>{_INDEX_WORDS[other]["intro"]}</p>
<p>{record if lang == "zh" else record_zh}</p></details></div>
<h2>{words["pages"]}</h2>
<ul class="links">
{chr(10).join(links)}
</ul>
<div class="table-scroll"><table class="runs"><tr>{head}</tr>
{chr(10).join(rows)}
</table></div>
"""
    _write_glossary(out, lang)
    return write_text_atomic(out / "index.html", pages.page_html(words["title"], body, lang=lang,
                                                                 glossary=pages.GLOSSARY_PAGE, toc=False, kind="index"))
