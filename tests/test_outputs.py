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
