"""The writers of cityeval.outputs (issue 14, section 1): what they do with every kind of output path.

Expected behaviour is the issue's: an output is written whole or not at all, a symbolic link or a device is
written through and never replaced, every operating-system error is one :class:`OutputError` naming the path,
and nothing is left behind (no ``.name.XXXX.tmp`` file, no ``.name.old-XXXX`` folder, no folder created for it).
"""
from __future__ import annotations

import errno
import os
import stat

import pytest

from cityeval.errors import CityevalError, OutputError
from cityeval.outputs import check_outputs, replace_dir, write_all_atomic, write_text_atomic, writing


def _listing(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_output_error_is_a_cityeval_error_naming_option_and_path():
    exc = OutputError("out.csv", "no space left on the device (ENOSPC)", option="--out", errno=errno.ENOSPC)
    assert isinstance(exc, CityevalError) and exc.errno == errno.ENOSPC
    assert str(exc) == "cannot write --out out.csv: no space left on the device (ENOSPC)"


def test_text_through_a_link_to_a_file_and_to_a_missing_file(tmp_path):
    (tmp_path / "real.csv").write_text("old", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to("real.csv")                       # relative link
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "later.csv")
    assert write_text_atomic(tmp_path / "link.csv", "new") == tmp_path / "link.csv"
    write_text_atomic(tmp_path / "dangling.csv", "made")
    assert os.readlink(tmp_path / "link.csv") == "real.csv" and (tmp_path / "real.csv").read_text() == "new"
    assert (tmp_path / "dangling.csv").is_symlink() and (tmp_path / "later.csv").read_text() == "made"
    assert stat.S_IMODE((tmp_path / "real.csv").stat().st_mode) == 0o644


def test_a_pipe_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)        # a reader waiting, as `cityeval ... --out pipe &`
    try:
        write_text_atomic(fifo, "a,b\n")
        assert os.read(reader, 100) == b"a,b\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _listing(tmp_path) == ["pipe"]


def test_the_temporary_name_fits_beside_a_long_name(tmp_path):
    # a 255-byte name (NAME_MAX of ext4, tmpfs, xfs, btrfs) in 3-byte characters: 85 of them
    name = "城" * 85
    write_text_atomic(tmp_path / name, "x")
    assert _listing(tmp_path) == [name]


def test_all_or_none_and_the_created_folders_are_removed(tmp_path, monkeypatch):
    (tmp_path / "keep.csv").write_text("old", encoding="utf-8")
    real = os.fdopen
    calls = []

    def third_fails(fd, *args, **kwargs):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *args, **kwargs)
    monkeypatch.setattr(os, "fdopen", third_fails)
    with pytest.raises(OutputError, match=r"^cannot write --c .*c\.csv: no space left on the device \(ENOSPC\)$"):
        write_all_atomic({"--a": (tmp_path / "keep.csv", "new"), "--b": (tmp_path / "x" / "y" / "b.csv", "b"),
                          "--c": (tmp_path / "x" / "z" / "c.csv", "c")})
    assert _listing(tmp_path) == ["keep.csv"] and (tmp_path / "keep.csv").read_text() == "old"


def test_a_device_is_written_before_the_files_are_moved_into_place(tmp_path):
    # /dev/full fails: the regular file of the same call is not replaced
    (tmp_path / "keep.csv").write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="ENOSPC"):
        write_all_atomic({"--out": (tmp_path / "keep.csv", "new"), "--ranks": ("/dev/full", "r")})
    assert (tmp_path / "keep.csv").read_text() == "old" and _listing(tmp_path) == ["keep.csv"]
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_replace_dir_refuses_a_file_and_a_folder_it_would_empty(tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "values.csv").write_text("v")
    (tmp_path / "file").write_text("mine")
    with pytest.raises(OutputError, match="it is an existing file, not a folder"):
        replace_dir(tmp_path / "new", tmp_path / "file")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "values.csv").write_text("v0")
    (tmp_path / "old" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"the folder holds notes\.txt, which the new folder would not keep"):
        replace_dir(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "file").read_text() == "mine" and (tmp_path / "old" / "notes.txt").read_text() == "mine"
    assert _listing(tmp_path) == ["file", "new", "new/values.csv", "old", "old/notes.txt", "old/values.csv"]


def test_replace_dir_puts_the_old_folder_back_when_the_move_fails(tmp_path, monkeypatch):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "values.csv").write_text("v1")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "values.csv").write_text("v0")
    real = os.rename
    calls = []

    def second_fails(a, b):
        calls.append((a, b))
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(a, b)
    monkeypatch.setattr(os, "rename", second_fails)
    with pytest.raises(OutputError, match=r"^cannot write .*old: Input/output error \(EIO\)$"):
        replace_dir(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "old" / "values.csv").read_text() == "v0"
    assert _listing(tmp_path) == ["new", "new/values.csv", "old", "old/values.csv"]


def test_replace_dir_writes_through_a_link(tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "values.csv").write_text("v1")
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to("target")
    replace_dir(tmp_path / "new", tmp_path / "link")
    assert os.readlink(tmp_path / "link") == "target" and (tmp_path / "target" / "values.csv").read_text() == "v1"
    assert stat.S_IMODE((tmp_path / "target").stat().st_mode) == 0o755


def test_writing_names_the_option_and_removes_what_it_created(tmp_path):
    with pytest.raises(OutputError, match=r"^cannot write OUT .*out: the file system is read-only \(EROFS\)$"):
        with writing(tmp_path / "a" / "b" / "out", option="OUT"):
            raise OSError(errno.EROFS, "Read-only file system")
    assert _listing(tmp_path) == []


def test_check_outputs_folder_kind(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.csv").write_text("x")
    with pytest.raises(CityevalError, match=r"\(it holds the input\)"):
        check_outputs({"OUT": tmp_path}, inputs={"the input": tmp_path / "in" / "x.csv"}, kind="dataset folder")
    with pytest.raises(CityevalError, match="also the A dataset folder"):
        check_outputs({"A": tmp_path / "o", "B": tmp_path / "o" / "sub"}, kind="dataset folder")
    assert check_outputs({"OUT": tmp_path / "o"}, kind="dataset folder") == {"OUT": tmp_path / "o"}
    with pytest.raises(CityevalError, match="kind should be"):
        check_outputs({}, kind="folder")


# ---- round 2 (issue 14b): streamed content, what a path reaches, and the API's writers


def test_content_written_by_a_function_in_chunks_is_never_held_whole(tmp_path):
    # a function writing to the open file streams the content: the file holds every chunk, in order, and a
    # failure half-way leaves neither the file nor its temporary copy (the issue: no half-written output)
    from cityeval.outputs import csv_content
    import pandas as pd

    frame = pd.DataFrame({"a": range(2500), "b": [0.1 * k for k in range(2500)]})   # 3 chunks of CSV_ROWS
    write_all_atomic({"--ranks": (tmp_path / "m.csv", csv_content(frame, index_label="scenario"))})
    assert (tmp_path / "m.csv").read_text(encoding="utf-8") == frame.to_csv(lineterminator="\n",
                                                                           index_label="scenario")

    def half(fh):
        fh.write(b"a,b\n1,2\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(OutputError, match=r"^cannot write --out .*x\.csv: no space left on the device \(ENOSPC\)$"):
        write_all_atomic({"--out": (tmp_path / "new" / "x.csv", half)})
    assert _listing(tmp_path) == ["m.csv"]


def test_a_pipe_no_program_reads_is_refused_not_waited_on(tmp_path):
    # open(fifo, "w") blocks until a reader comes (forever in a script): refused with ENXIO at once
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"^cannot write --out .*pipe: it is a named pipe \(FIFO\) that no "
                                          r"program reads \(ENXIO\); start its reader first$"):
        write_all_atomic({"--out": (fifo, "a\n")})


@pytest.mark.parametrize("make, fragment", [
    (lambda t: t.joinpath("d.csv").symlink_to(t / "gone" / "d.csv") or t / "d.csv", "d.csv is a symbolic link to"),
    (lambda t: t.joinpath("dir").symlink_to(t / "gone") or t / "dir" / "x.csv", "dir is a symbolic link to"),
    (lambda t: "~/cityeval-no-such-folder/x.csv", "the folder ~ does not exist"),
    (lambda t: "/proc/version", "virtual file system"),
    (lambda t: "/proc/sys/cityeval-no-such/x.csv", "virtual file system"),
])
def test_paths_that_would_create_folders_nobody_named_are_refused(tmp_path, make, fragment, monkeypatch):
    # a dangling link's missing target folders, a folder literally named ~, a file below /proc: each used to be
    # created (or to fail as ENOENT "a folder of the path does not exist"); refused before anything is written
    monkeypatch.chdir(tmp_path)
    path = make(tmp_path)
    before = _listing(tmp_path)
    for call in (lambda: write_text_atomic(path, "x", option="--out"),
                 lambda: check_outputs({"--out": path})):
        with pytest.raises(OutputError, match=fragment):
            call()
    assert _listing(tmp_path) == before and not os.path.lexists("~")


def test_a_dangling_link_into_an_existing_folder_is_still_written_through(tmp_path):
    (tmp_path / "d.csv").symlink_to(tmp_path / "later.csv")
    write_text_atomic(tmp_path / "d.csv", "made")
    assert (tmp_path / "later.csv").read_text() == "made"


def _toy(tmp_path):
    import shutil

    from cityeval import paths
    shutil.copytree(paths.DATA / "examples" / "toy", tmp_path / "toy")
    return tmp_path / "toy"


@pytest.mark.parametrize("name", ["values.csv", "indicators.csv", "method.json", "README.md"])
def test_result_to_csv_refuses_a_file_of_the_dataset_folder(tmp_path, name, monkeypatch):
    # the issue: run(load_dataset('toy')).to_csv('toy/values.csv') overwrote the dataset's own input
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run
    from cityeval.errors import ParameterError

    folder = _toy(tmp_path)
    (folder / "README.md").write_text("mine\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.iterdir()}
    result = run(load_dataset(folder))
    monkeypatch.chdir(tmp_path)
    for path in (folder / name, f"toy/{name}", f"./toy/../toy/{name}"):
        with pytest.raises(ParameterError, match=rf"^path should be a file that is none of the inputs .*{name} "
                                                 r"\(a file of the dataset folder, which is an input\)\.$"):
            result.to_csv(path)
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    assert result.to_csv(tmp_path / "scores.csv").is_file()


@pytest.mark.parametrize("make, fragment", [
    (lambda t: _toy(t) / "values.csv" / "z", r"values\.csv is a file, not a folder"),
    (lambda t: "/proc/sys/cityeval-no-such/ds", "virtual file system"),
    (lambda t: os.mkfifo(t / "fifo1") or t / "fifo1", r"it is a named pipe \(FIFO\), not a folder"),
    (lambda t: t / "f.txt" if (t / "f.txt").write_text("x") else None, "it is an existing file, not a folder"),
    (lambda t: _toy(t).joinpath("notes.txt").write_text("x") and t / "toy" / "new" / "deep" / "ds", None),
])
def test_dataset_save_fails_as_one_output_error_and_leaves_no_folder(tmp_path, make, fragment, monkeypatch):
    # the issue: FileExistsError / FileNotFoundError tracebacks, parents created before any check, a FIFO
    # called "an existing file"; now one OutputError naming the folder, nothing created
    from cityeval import paths
    from cityeval.composite.dataset import load_dataset

    ds = load_dataset(paths.DATA / "examples" / "toy")
    target = make(tmp_path)
    before = _listing(tmp_path)
    if fragment is None:                                  # a full file system below missing folders
        monkeypatch.setattr("tempfile.mkdtemp", lambda **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
        fragment = r"no space left on the device \(ENOSPC\)"
    with pytest.raises(OutputError, match=rf"^cannot write folder .*: .*{fragment}"):
        ds.save(target)
    assert _listing(tmp_path) == before and ds.path == paths.DATA / "examples" / "toy"


def test_ensemble_cache_message_is_not_doubled(tmp_path, monkeypatch):
    # the issue: "cannot write the ensemble cache X: cannot write ...": an OutputError has no strerror
    from cityeval.ccid2022 import ensemble, synthetic

    def refuse(*args, **kwargs):
        raise OutputError(tmp_path / "c" / "manifest.json", "no space left on the device (ENOSPC)")
    monkeypatch.setattr(synthetic, "generate", lambda *a, **k: None)
    monkeypatch.setattr(synthetic, "write_panel", refuse)
    with pytest.raises(CityevalError) as info:
        ensemble.member_folder(0, 1, root=tmp_path / "c")
    text = str(info.value)
    assert text.count("cannot write") == 1, text
    assert text.startswith(f"cannot write the ensemble cache {tmp_path / 'c'}: ") and "ENOSPC" in text
