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
