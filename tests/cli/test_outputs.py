"""Outputs never destroy inputs (issue 14, part of section 1): ``score --out``, ``audit --out`` and ``audit --ranks``
refuse a target that is an input file, a file of the input folder or another output, and ``audit`` checks
``--sobol`` before it writes anything. Each case is run through ``cityeval.cli.main`` as a user would; the expected
behaviour is the issue's (exit 2, one line ``error: ...`` naming the option and the path, every file unchanged)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from cityeval.composite.dataset import INVENTED_BANNER, SYNTHETIC_BANNER

from cityeval import paths
from cityeval.cli import main

TOY = paths.DATA / "examples" / "toy"
# the 8-city toy data, 20 scenarios, normalization uncertain (the format of data/examples/coinr_asem_uncertainty.json)
SPEC = {"n": 20, "seed": 1, "choices": {"normalize": {"options": [{"method": "minmax"}, {"method": "zscore"}]}}}


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    return tmp_path, folder, spec


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _refused(argv, capsys, root, *fragments):
    before = _snapshot(root)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for f in fragments:
        assert f in err, (f, err)
    assert _snapshot(root) == before          # no input overwritten, no output written
    return err


def test_the_spec_toy_audit_runs(work, capsys):
    # the baseline: the same command with an ordinary output works (so the refusals below are about the paths)
    root, folder, spec = work
    assert main(["audit", str(folder), "--spec", str(spec), "--out", str(root / "ranks.csv"),
                 "--ranks", str(root / "matrix.csv"), "--sobol", "4"]) == 0, capsys.readouterr().err
    assert (root / "ranks.csv").read_text(encoding="utf-8").startswith("unit,nominal")
    assert (root / "matrix.csv").read_text(encoding="utf-8").startswith("scenario,")
    assert main(["score", str(folder), "--out", str(root / "scores.csv")]) == 0


@pytest.mark.parametrize("which", ["--out", "--ranks"])
def test_audit_refuses_to_write_over_its_spec(work, capsys, which):
    root, folder, spec = work
    _refused(["audit", str(folder), "--spec", str(spec), which, str(spec)], capsys, root,
             which, "spec.json", "the --spec file")


@pytest.mark.parametrize("name", ["values.csv", "indicators.csv", "method.json"])
def test_score_and_audit_refuse_a_file_of_the_dataset_folder(work, capsys, name):
    root, folder, spec = work
    if not (folder / name).exists():
        pytest.skip(f"the toy folder has no {name}")
    _refused(["score", str(folder), "--out", str(folder / name)], capsys, root, "--out", name, "dataset folder")
    _refused(["audit", str(folder), "--spec", str(spec), "--ranks", str(folder / name)], capsys, root,
             "--ranks", name, "dataset folder")


def test_another_path_to_an_input_is_the_input(work, capsys):
    # a relative path with "..", a symlink and a hard link all name the same file
    root, folder, spec = work
    (root / "link.json").symlink_to(spec)
    os.link(folder / "values.csv", root / "hard.csv")
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(folder / ".." / "spec.json")], capsys, root,
             "the --spec file")
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(root / "link.json")], capsys, root,
             "the --spec file")
    _refused(["score", str(folder), "--out", str(root / "hard.csv")], capsys, root, "dataset folder")


def test_audit_refuses_one_file_for_both_outputs(work, capsys):
    # today --out X --ranks X silently keeps only the rank matrix
    root, folder, spec = work
    out = root / "both.csv"
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(out), "--ranks", str(out)], capsys, root,
             "--ranks", "also the --out file")
    assert not out.exists()


@pytest.mark.parametrize("sobol", [1, 0, -1])
def test_audit_checks_sobol_before_writing(work, capsys, sobol):
    # issue 14: --sobol 3 used to write the CSV and the rank file, then fail; issue 16 allows sizes that are not
    # powers of 2 (COINr users run N = 100), so the bad values left are the ones below 2 rows
    root, folder, spec = work
    _refused(["audit", str(folder), "--spec", str(spec), "--out", str(root / "o.csv"), "--ranks",
              str(root / "r.csv"), "--sobol", str(sobol)], capsys, root, "--sobol should be a whole number >= 2")
    assert not (root / "o.csv").exists() and not (root / "r.csv").exists()


# ---------------------------------------------------------------------------------------------------------------
# every output path, every command (issue 14, section 1, second and third items): an output is a regular file
# replaced atomically; a symbolic link is written through (the link stays); a character device or a pipe is
# written to (the node stays); everything else fails with one line naming the option and the path, writing nothing
# and leaving nothing behind (no temporary file, no folder created for the output).

import errno
import stat


IDATA = "uCode,uName,A,B\nX,Ex,1,4\nY,Why,2,6\nZ,Zed,3,5\n"
IMETA = ("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
         "1,A,Aa,1,1,,,,Index,Indicator\n1,B,Bb,-1,1,,,,Index,Indicator\n2,Index,The index,1,1,,,,,Aggregate\n")


def _everything(root):
    """Every path under root with what it is (a link, a device, a folder or a file's bytes)."""
    out = {}
    for p in root.rglob("*"):
        st = os.lstat(p)
        out[p] = ("link", os.readlink(p)) if stat.S_ISLNK(st.st_mode) else \
            ("char", st.st_rdev) if stat.S_ISCHR(st.st_mode) else ("dir",) if p.is_dir() else p.read_bytes()
    return out


def _fails(argv, capsys, root, *fragments):
    before = _everything(root)
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line not in (SYNTHETIC_BANNER, INVENTED_BANNER)]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    for f in fragments:
        assert f in lines[0], (f, err)
    assert _everything(root) == before            # nothing written, replaced or left behind
    return lines[0]


def _device(tmp_path, name, minor):
    """A character device like /dev/null (minor 3) or /dev/full (minor 7) inside tmp_path: made with mknod when
    running as root (so a regression replaces a node of the test, never the machine's), else the machine's own
    (which an ordinary user cannot replace)."""
    if os.geteuid() != 0:
        return f"/dev/{name}"
    node = tmp_path / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return node


def _is_device(path):
    return stat.S_ISCHR(os.lstat(path).st_mode)


def test_a_symlink_is_written_through_and_stays_a_link(work, capsys):
    root, folder, spec = work
    (root / "link.csv").symlink_to(root / "real.csv")
    assert main(["score", str(folder), "--out", str(root / "link.csv")]) == 0, capsys.readouterr().err
    assert (root / "link.csv").is_symlink() and os.readlink(root / "link.csv") == str(root / "real.csv")
    assert (root / "real.csv").read_text(encoding="utf-8").startswith("unit,included")


def test_a_device_is_written_through_and_stays_a_device(work, capsys):
    root, folder, spec = work
    null = _device(root, "null", 3)
    assert main(["score", str(folder), "--out", str(null)]) == 0, capsys.readouterr().err
    assert _is_device(null)
    assert main(["audit", str(folder), "--spec", str(spec), "--out", str(null), "--ranks", str(root / "m.csv")]) == 0
    assert _is_device(null) and (root / "m.csv").read_text(encoding="utf-8").startswith("scenario,")


def test_a_full_device_is_one_line_and_stays_a_device(work, capsys):
    # /dev/full fails every write with ENOSPC
    root, folder, spec = work
    full = _device(root, "full", 7)
    _fails(["score", folder, "--out", full], capsys, root, "--out", str(full), "no space left on the device (ENOSPC)")
    # and the other output of the command is not written either
    _fails(["audit", folder, "--spec", spec, "--out", root / "o.csv", "--ranks", full], capsys, root, "--ranks")
    assert _is_device(full)


@pytest.mark.parametrize("make, fragment", [
    (lambda r: (r / "d").mkdir() or r / "d", "it is an existing folder"),
    (lambda r: (r / "f").write_text("x") and r / "f" / "x.csv", "f is a file, not a folder"),
    (lambda r: (r / "f").write_text("x") and r / "f" / "new" / "x.csv", "f is a file, not a folder"),
    (lambda r: r / ("n" * 252 + ".csv"), "256 bytes long, more than the 255"),
    (lambda r: r / ("n" * 300) / "x.csv", "300 bytes long"),
    (lambda r: (r / "a").symlink_to(r / "b") or (r / "b").symlink_to(r / "a") or r / "a", "loop of symbolic links"),
])
@pytest.mark.parametrize("option", ["score --out", "audit --out", "audit --ranks"])
def test_an_output_that_cannot_be_a_file(work, capsys, make, fragment, option):
    root, folder, spec = work
    target = make(root)
    command, name = option.split()
    argv = ["score", folder] if command == "score" else ["audit", folder, "--spec", spec, "--out", root / "o.csv"]
    _fails(argv + [name, target], capsys, root, name, fragment)


def test_a_name_of_255_bytes_is_written(work, capsys):
    # the longest name ext4 and most file systems allow (NAME_MAX = 255): the temporary file beside it must be
    # named within the limit too (today mkstemp fails with ENAMETOOLONG)
    root, folder, spec = work
    out = root / ("n" * 251 + ".csv")
    assert main(["score", str(folder), "--out", str(out)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == sorted(["toy", "spec.json", out.name])


def test_a_missing_folder_is_created_and_removed_again_if_the_write_fails(work, capsys, monkeypatch):
    root, folder, spec = work
    assert main(["score", str(folder), "--out", str(root / "new" / "sub" / "s.csv")]) == 0
    assert (root / "new" / "sub" / "s.csv").is_file()
    monkeypatch.setattr(os, "replace", _raise(errno.ENOSPC))
    _fails(["score", folder, "--out", root / "other" / "sub" / "s.csv"], capsys, root, "--out", "ENOSPC")
    assert not (root / "other").exists()


def _raise(code, after=0):
    """A stand-in for an os function that fails with ``code`` (after ``after`` calls that work)."""
    real = os.replace
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        if len(calls) > after:
            raise OSError(code, os.strerror(code), str(args[-1]) if args else None)
        return real(*args, **kwargs)
    return fail


@pytest.mark.parametrize("code, words", [(errno.EROFS, "the file system is read-only (EROFS)"),
                                         (errno.EACCES, "permission denied (EACCES)"),
                                         (errno.ENOSPC, "no space left on the device (ENOSPC)"),
                                         (errno.EDQUOT, "the disk quota is exceeded (EDQUOT)"),
                                         (errno.ENAMETOOLONG, "a name in the path is too long (ENAMETOOLONG)")])
def test_an_os_error_while_writing_is_one_line(work, capsys, monkeypatch, code, words):
    # as root a read-only folder is writable and no file system is full here: the rename into place fails instead
    root, folder, spec = work
    monkeypatch.setattr(os, "replace", _raise(code))
    _fails(["score", folder, "--out", root / "s.csv"], capsys, root, "cannot write --out", "s.csv", words)
    _fails(["audit", folder, "--spec", spec, "--ranks", root / "r.csv"], capsys, root, "cannot write --ranks", words)


def test_audit_writes_its_outputs_all_or_none(work, capsys, monkeypatch):
    # the file system fills up while --ranks is written: --out, complete by then, is not moved into place either
    # (today --out is written first, then --ranks fails)
    root, folder, spec = work
    real = os.fdopen
    opened = []

    def second_write_fails(fd, *args, **kwargs):
        opened.append(fd)
        if len(opened) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, *args, **kwargs)
    monkeypatch.setattr(os, "fdopen", second_write_fails)
    _fails(["audit", folder, "--spec", spec, "--out", root / "o.csv", "--ranks", root / "r.csv"], capsys, root,
           "--ranks", "ENOSPC")
    assert len(opened) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_for_real(work, capsys):
    root, folder, spec = work
    (root / "ro").mkdir()
    (root / "ro").chmod(0o555)
    try:
        _fails(["score", folder, "--out", root / "ro" / "s.csv"], capsys, root, "--out", "not writable (EACCES)")
    finally:
        (root / "ro").chmod(0o755)


def test_a_stray_os_error_is_one_line_naming_the_file(capsys, monkeypatch):
    # an OSError no command turned into a CityevalError (here: reading a file that may not be read)
    import cityeval.cli.score as score

    def unreadable(folder):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/data/values.csv")
    monkeypatch.setattr(score, "load_dataset", unreadable)
    assert main(["score", "somewhere"]) == 2
    assert capsys.readouterr().err == "error: /data/values.csv: permission denied (EACCES)\n"


# ---- folders: convert-coinr OUT_FOLDER and synthesize --out

@pytest.fixture
def coinr(tmp_path):
    (tmp_path / "coinr").mkdir()
    (tmp_path / "coinr" / "iData.csv").write_text(IDATA, encoding="utf-8")
    (tmp_path / "coinr" / "iMeta.csv").write_text(IMETA, encoding="utf-8")
    return tmp_path, tmp_path / "coinr" / "iData.csv", tmp_path / "coinr" / "iMeta.csv"


@pytest.mark.parametrize("make, fragment", [
    (lambda r: (r / "f").write_text("x") and r / "f", "it is an existing file, not a folder"),
    (lambda r: (r / "f").write_text("x") and r / "f" / "sub", "f is a file, not a folder"),
    (lambda r: (r / "u").mkdir() or (r / "u" / "thesis.tex").write_text("x") and r / "u", "not a dataset folder"),
    (lambda r: r / "coinr", "it holds the IDATA file"),
    (lambda r: r, "it holds the IDATA file"),
    (lambda r: r / ("n" * 300), "300 bytes long"),
    (lambda r: _device(r, "null", 3), "it is a character device, not a folder"),
])
def test_convert_coinr_refuses_an_out_folder(coinr, capsys, make, fragment):
    root, idata, imeta = coinr
    _fails(["convert-coinr", idata, imeta, make(root)], capsys, root, "OUT_FOLDER", fragment)


def test_convert_coinr_replaces_a_dataset_folder_keeping_its_other_files(coinr, capsys):
    root, idata, imeta = coinr
    out = root / "asem"
    assert main(["convert-coinr", str(idata), str(imeta), str(out)]) == 0
    (out / "README.md").write_text("my notes\n", encoding="utf-8")
    assert main(["convert-coinr", str(idata), str(imeta), str(out)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "indicators.csv", "method.json", "values.csv"]
    assert (out / "README.md").read_text(encoding="utf-8") == "my notes\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755                  # not mkdtemp's 0700
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_convert_coinr_writes_through_a_link_to_a_folder(coinr, capsys):
    root, idata, imeta = coinr
    (root / "real").mkdir()
    (root / "link").symlink_to(root / "real")
    assert main(["convert-coinr", str(idata), str(imeta), str(root / "link")]) == 0, capsys.readouterr().err
    assert (root / "link").is_symlink() and (root / "real" / "values.csv").is_file()


def test_convert_coinr_leaves_nothing_when_the_file_system_is_full(coinr, capsys, monkeypatch):
    root, idata, imeta = coinr
    monkeypatch.setattr(os, "rename", _raise(errno.ENOSPC))
    _fails(["convert-coinr", idata, imeta, root / "new" / "asem"], capsys, root, "OUT_FOLDER", "ENOSPC")


def test_synthesize_refuses_the_published_tables_and_a_folder_it_would_empty(tmp_path, capsys, monkeypatch):
    # checked before the panel is generated; the published tables are synthesize's input (a copy here, so a
    # regression wipes the copy and not the repository)
    copy = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, copy)
    monkeypatch.setattr(paths, "PUBLISHED", copy)
    _fails(["synthesize", "--out", copy], capsys, tmp_path, "--out", "(the published tables)")
    _fails(["synthesize", "--out", tmp_path], capsys, tmp_path, "--out", "it holds the published tables")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "values.csv").write_text("x", encoding="utf-8")
    (tmp_path / "mine" / "indicators.csv").write_text("x", encoding="utf-8")
    (tmp_path / "mine" / "thesis.tex").write_text("x", encoding="utf-8")
    _fails(["synthesize", "--out", tmp_path / "mine"], capsys, tmp_path, "--out", "thesis.tex, which the new folder")
    (tmp_path / "f").write_text("x", encoding="utf-8")
    _fails(["synthesize", "--out", tmp_path / "f"], capsys, tmp_path, "--out", "it is an existing file, not a folder")


@pytest.mark.parametrize("argv, fragment", [
    (["score", "{folder}", "--out", ""], "cannot write --out '': an empty name"),      # today: stdout, --out ignored
    (["audit", "{folder}", "--spec", "{spec}", "--ranks", ""], "cannot write --ranks '': an empty name"),
    (["score", "{folder}", "--out", "{root}/x.csv/"], "a name ending in a slash"),     # today: writes x.csv
])
def test_an_empty_name_or_a_folder_name_is_no_file_name(work, capsys, argv, fragment):
    root, folder, spec = work
    _fails([a.format(folder=folder, spec=spec, root=root) for a in argv], capsys, root, fragment)


# ---------------------------------------------------------------------------------------------------------------
# review of issue 14 (the class "outputs never destroy inputs and never half-exist"): no command writes into
# cityeval's own data, notebooks or package source, inside any dataset folder (values.csv + indicators.csv) or a
# run's output folder (runs.json); a folder command replaces only a folder it wrote; run refuses a folder it did
# not make; standard output is written through, never replaced; --seed and --time are named as options.
# Expected behaviour: the review's (exit 2, one line naming the option, every file unchanged).

import subprocess
import sys

REPO = paths.ROOT


def _unchanged(paths_, run):
    """Run ``run()`` and check that the files ``paths_`` (the repository's) have the same bytes after it."""
    before = {p: p.read_bytes() for p in paths_}
    result = run()
    assert {p: p.read_bytes() for p in paths_} == before, "a file of the repository was changed"
    return result


def _one_error(argv, capsys):
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line not in (SYNTHETIC_BANNER, INVENTED_BANNER)]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.mark.parametrize("option, target, words", [
    ("--out", "data/reference/cities.csv", "it lies inside the embedded data folder"),
    ("--out", "notebooks/00_method_walkthrough.ipynb", "it lies inside the notebooks folder"),
    ("--out", "data/synthetic/ccid2022/values.csv", "it lies inside the embedded data folder"),
    ("--ranks", "data/examples/lesson/values.csv", "it lies inside the embedded data folder"),
    ("--out", "data/examples/toy/scores.csv", "it lies inside the embedded data folder"),     # a new file there
    ("--out", "cityeval/scores.csv", "it lies inside the package source"),
])
def test_score_and_audit_never_write_into_the_installation(work, capsys, option, target, words):
    # HEAD: score --out data/reference/cities.csv exits 0 with cities.csv replaced by scores
    root, folder, spec = work
    path = REPO / target
    watched = [path] if path.exists() else []
    argv = (["score", folder, "--out", path] if option == "--out" else
            ["audit", folder, "--spec", spec, "--ranks", path])
    line = _unchanged(watched, lambda: _one_error(argv, capsys))
    assert line.startswith(f"error: cannot write {option} {path}: ") and words in line, line
    assert path.exists() == bool(watched)                 # no new file either


def test_outputs_inside_another_dataset_or_a_run_folder_are_refused(work, capsys):
    # HEAD: both written (rc 0); the run record replaced by scores, so the next run into it fails (R09)
    root, folder, spec = work
    other = root / "other"
    shutil.copytree(TOY, other)
    (root / "earlier" / "results").mkdir(parents=True)
    (root / "earlier" / "runs.json").write_text('{"format": "cityeval run record, version 1", "notebooks": {}}\n',
                                                encoding="utf-8")
    for argv, words in (
            (["score", folder, "--out", other / "scores.csv"], f"it lies inside the dataset folder {other}"),
            (["score", folder, "--out", root / "earlier" / "runs.json"], "the output folder of a run"),
            (["audit", folder, "--spec", spec, "--out", root / "earlier" / "results" / "r.csv"],
             "the output folder of a run"),
            (["score", folder, "--out", folder / "sub" / "scores.csv"], "it lies inside the dataset folder")):
        before = _everything(root)
        assert words in _one_error(argv, capsys)
        assert _everything(root) == before


def test_convert_coinr_replaces_only_a_folder_it_wrote(coinr, capsys):
    # HEAD: OUT = data/examples/toy exits 0 (toy's README.md then describes other data); a user's dataset folder
    # is replaced, their notes left beside the converted tables
    root, idata, imeta = coinr
    toy = REPO / "data" / "examples" / "toy"
    line = _unchanged(sorted(toy.iterdir()), lambda: _one_error(["convert-coinr", idata, imeta, toy], capsys))
    assert line.startswith(f"error: cannot write OUT_FOLDER {toy}: it lies inside the embedded data folder"), line
    mine = root / "mine"
    shutil.copytree(TOY, mine)
    (mine / "notes.txt").write_text("my notes\n", encoding="utf-8")
    _fails(["convert-coinr", idata, imeta, mine], capsys, root, "OUT_FOLDER", "convert-coinr did not write")
    _fails(["convert-coinr", idata, imeta, mine / "sub"], capsys, root, "OUT_FOLDER", "inside the dataset folder")
    # its own folder is still replaced (the other files kept: test above)
    assert main(["convert-coinr", str(idata), str(imeta), str(root / "asem")]) == 0
    assert main(["convert-coinr", str(idata), str(imeta), str(root / "asem")]) == 0, capsys.readouterr().err


def test_convert_coinr_time_without_a_time_column_is_an_error(coinr, capsys):
    # HEAD: rc 0, --time silently ignored
    root, idata, imeta = coinr
    line = _fails(["convert-coinr", idata, imeta, root / "new", "--time", "2018"], capsys, root)
    assert line == f"error: --time should be given only for panel data (an IDATA with a Time column); {idata} has " \
                   "no Time column, but its value is 2018."
    # a panel's Time value none of its rows has names --time too (the API's name is time)
    (root / "coinr" / "iData.csv").write_text("uCode,uName,Time,A,B\nX,Ex,2020,1,4\nY,Why,2020,2,6\nZ,Zed,2020,3,5\n",
                                              encoding="utf-8")
    assert _fails(["convert-coinr", idata, imeta, root / "new", "--time", "2018"], capsys, root).startswith(
        "error: --time should be one of the Time values")


def test_synthesize_never_replaces_the_embedded_examples_or_invented_data(tmp_path, capsys):
    # HEAD: --out data/examples/toy passes the only guard ("synthetic": true) and the toy data are replaced
    toy = REPO / "data" / "examples" / "toy"
    line = _unchanged(sorted(toy.iterdir()), lambda: _one_error(["synthesize", "--out", toy], capsys))
    assert line.startswith(f"error: cannot write --out {toy}: it lies inside the embedded data folder"), line
    copy = tmp_path / "copy"
    shutil.copytree(TOY, copy)                  # toy's method.json: "synthetic": true and "invented": true
    _fails(["synthesize", "--out", copy], capsys, tmp_path, "--out", "of invented data")
    _fails(["synthesize", "--out", copy / "sub"], capsys, tmp_path, "--out", "inside the dataset folder")


def test_synthesize_may_replace_a_panel_it_wrote_and_the_embedded_panel():
    # what synthesize may replace, checked without the (slow) generation: a copy of the embedded panel, and in a
    # source checkout the embedded panel itself (make data)
    from cityeval.ccid2022.synthetic import PANEL_DIR
    from cityeval.cli.synthesize import PANEL_FILES, _check_synthetic
    from cityeval.outputs import check_outputs

    allow = (PANEL_DIR,) if paths.SOURCE_CHECKOUT else ()
    target = check_outputs({"--out": PANEL_DIR}, kind="dataset folder", keeps=PANEL_FILES, protect=True,
                           allow=allow)["--out"] if allow else None
    if target is not None:
        _check_synthetic(PANEL_DIR, target)


def test_run_refuses_a_folder_it_did_not_make_before_writing(tmp_path, capsys):
    # HEAD: rc 0, the user's notebook and results moved to stale/ and their index.html overwritten
    site = tmp_path / "site"
    for name in ("index.html", "notebooks/mywork.ipynb", "results/summary.json"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"the user's {name}\n", encoding="utf-8")
    before = _everything(tmp_path)
    line = _one_error(["run", "--only", "00", "--out", site], capsys)
    assert line.startswith(f"error: cannot write --out {site}: it is a folder cityeval did not make (no runs.json) "
                           "holding index.html, notebooks/mywork.ipynb, results/summary.json"), line
    assert _everything(tmp_path) == before                # not even a .lock


@pytest.mark.parametrize("make, words", [
    (lambda t: (t / "earlier" / "runs.json").write_text("{}") and t / "earlier" / "results",
     "the output folder of another run"),
    (lambda t: shutil.copytree(TOY, t / "mine") and t / "mine" / "out", "it lies inside the dataset folder"),
    (lambda t: REPO / "cityeval" / "out", "it lies inside the package source"),
])
def test_run_refuses_a_folder_nested_in_a_run_or_dataset_folder(tmp_path, capsys, make, words):
    (tmp_path / "earlier").mkdir()
    out = make(tmp_path)
    before = _everything(tmp_path)
    assert words in _one_error(["run", "--only", "00", "--out", out], capsys)
    assert _everything(tmp_path) == before and not out.exists()


@pytest.mark.parametrize("argv", [["audit", "{folder}", "--spec", "{spec}", "--seed", "-3"],
                                  ["synthesize", "--seed", "-1", "--out", "{root}/panel"]])
def test_seed_names_the_option(work, capsys, argv):
    # HEAD: "seed should be ..." (the API's name)
    root, folder, spec = work
    line = _fails([a.format(folder=folder, spec=spec, root=root) for a in argv], capsys, root)
    assert line.startswith("error: --seed should be a whole number between 0 and 2**32 - 1, but its value is -"), line


def _cli(args, cwd, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "cityeval", *map(str, args)], cwd=cwd, env=env, **kw)


@pytest.mark.parametrize("out", ["/dev/stdout", "-"])
def test_standard_output_is_written_through_never_replaced(work, out):
    # HEAD: /dev/stdout redirected to a file: the file replaced by a rename (the shell's file then holds only the
    # "wrote" line); piped: "the folder /proc/<pid>/fd is on the kernel's virtual file system"; "-": a file named -
    root, folder, spec = work
    expected = _cli(["score", folder], root, capture_output=True, check=True).stdout   # the CSV, not a terminal
    assert expected.startswith(b"unit,")
    target = root / "so.txt"
    target.write_bytes(b"kept\n")
    inode = target.stat().st_ino
    with open(target, "ab") as fh:                           # as the shell's >>
        proc = _cli(["score", folder, "--out", out], root, stdout=fh, stderr=subprocess.PIPE)
    assert proc.returncode == 0, proc.stderr
    assert target.stat().st_ino == inode                     # the same file, not replaced
    assert target.read_bytes() == b"kept\n" + expected       # appended where the shell writes
    assert b"wrote standard output" in proc.stderr
    piped = _cli(["score", folder, "--out", out], root, capture_output=True)
    assert piped.returncode == 0 and piped.stdout == expected, piped.stderr
    assert not (root / "-").exists()


def test_audit_tables_to_standard_output_and_a_relative_out_is_relative_to_the_current_folder(work):
    root, folder, spec = work
    (root / "here").mkdir()
    proc = _cli(["audit", folder, "--spec", spec, "--out", "-", "--ranks", "ranks.csv"], root / "here",
                capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("unit,nominal,mean,median,q05,q95\n")     # only the table on standard output
    assert "wrote standard output" in proc.stderr and (root / "here" / "ranks.csv").is_file()
    assert not (REPO / "ranks.csv").exists()


def test_audit_ranks_to_standard_output_needs_out(work, capsys):
    root, folder, spec = work
    _fails(["audit", folder, "--spec", spec, "--ranks", "-"], capsys, root, "--ranks should be a file when --out")
    _fails(["audit", folder, "--spec", spec, "--out", "-", "--ranks", "/dev/stdout"], capsys, root,
           "(also the --out file)")
