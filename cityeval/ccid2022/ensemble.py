"""An ensemble of synthetic panels, every one calibrated exactly to the published ranks.

Many panels reproduce CCID's 270 published (rank, city) pairs equally well, so an
illustrative result computed on one of them is worth only what holds across them.
:func:`member_folders` gives ``size`` such panels: member ``k`` of ensemble ``seed`` is
:func:`cityeval.ccid2022.synthetic.generate` with its own generator parameters drawn by
:func:`cityeval.ccid2022.synthetic.draw_parameters` and its own latent draw, both from the
seed sequence ``[seed, k]``. Member ``k`` does not depend on ``size``: an ensemble of 5 is the
first 5 of an ensemble of 50.

Members are generated on demand and cached outside the repository (only the nominal panel,
``data/synthetic/ccid2022``, is committed), in :func:`cache_root`:
``$CITYEVAL_CACHE``, else ``$XDG_CACHE_HOME/cityeval``, else ``~/.cache/cityeval``. A cached
member lives under a key made of the generator's source and the published tables, so a
change of either never serves a stale panel (members of other keys are removed when a new
one is generated); its ``manifest.json`` records the SHA-256 of every file, checked before each
use, and the parameters it was drawn with. Each member takes about 0.2 MB, and about 1 MB
more for each way a notebook scores it (``cityeval.notebook.spread``): the default ensemble
with the notebooks' settings takes about 110 MB.

>>> member_seed(20221201, 0) == member_seed(20221201, 0) != member_seed(20221201, 1)
True
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from cityeval import paths
from cityeval.errors import CityevalError, DataError, OutputError
from cityeval.files import file_sha256
from cityeval.outputs import describe_os_error, write_text_atomic
from cityeval.validation import check_integer, check_seed

__all__ = ["DEFAULT_SIZE", "DEFAULT_SEED", "member_seed", "member_folders", "member_folder", "cache_root",
           "cache_key", "read_manifest"]

#: Panels in the default ensemble.
DEFAULT_SIZE = 50
#: Seed of the default ensemble (not the nominal panel's seed: member 0 is not the nominal panel).
DEFAULT_SEED = 20221201
#: The largest ensemble the notebooks accept (each member is about 0.2 MB on disk).
MAX_SIZE = 1000

_MANIFEST = "manifest.json"


def cache_root() -> Path:
    """The cache folder: ``$CITYEVAL_CACHE``, else ``$XDG_CACHE_HOME/cityeval``, else ``~/.cache/cityeval``."""
    env = os.environ.get("CITYEVAL_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cityeval"


def cache_key() -> str:
    """SHA-256 (16 hex digits) of what a member depends on: the generator's and the dataset writer's source, the
    published tables, and the versions of numpy, pandas and scikit-learn."""
    from cityeval.ccid2022 import published, reference, synthetic

    from importlib import metadata

    from cityeval.composite import dataset

    h = hashlib.sha256()
    # numpy's random streams and the CSV writer's output may change between versions
    for name in ("numpy", "pandas", "scikit-learn"):
        h.update(f"{name}={metadata.version(name)}".encode())
    for module in (synthetic, reference, published, dataset):
        h.update(Path(module.__file__).read_bytes())
    for path in sorted(paths.PUBLISHED.glob("*.csv")) + sorted(paths.REFERENCE.glob("*.csv")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def member_seed(seed: int, k: int) -> int:
    """The generator seed of member ``k`` of ensemble ``seed`` (:class:`numpy.random.SeedSequence` of ``[seed, k]``)."""
    return int(np.random.SeedSequence([int(seed), int(k)]).generate_state(1, dtype=np.uint32)[0])


def read_manifest(folder) -> dict:
    """The manifest of a cached member, after checking every file it lists against its SHA-256.

    Raises
    ------
    DataError
        The manifest is missing or unreadable, or a file is missing or differs from its checksum.
    """
    folder = Path(folder)
    path = folder / _MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        raise DataError(path, "ensemble member has no readable manifest (delete the folder to regenerate it)") from None
    for name, digest in files.items():
        f = folder / name
        if not f.is_file() or file_sha256(f) != digest:
            raise DataError(f, "ensemble member file differs from its manifest's SHA-256 "
                               "(delete the folder to regenerate it)")
    return manifest


def member_folder(k: int, seed: int = DEFAULT_SEED, *, root=None) -> Path:
    """The dataset folder of member ``k`` of ensemble ``seed``, generated and cached if absent.

    Parameters
    ----------
    k : int
        Member number, 0 ... :data:`MAX_SIZE` - 1.
    seed : int, default :data:`DEFAULT_SEED`
        The ensemble's seed.
    root : path-like, optional
        Cache folder; default :func:`cache_root`.

    Raises
    ------
    ParameterError
        ``k`` or ``seed`` out of range.
    CityevalError
        The cache folder cannot be written (one line naming it and ``CITYEVAL_CACHE``).
    """
    from cityeval.ccid2022 import synthetic

    k = check_integer("k", k, low=0, high=MAX_SIZE - 1)
    seed = check_seed(seed)
    root = Path(root) if root is not None else cache_root()
    folder = root / "ensemble" / cache_key() / f"seed-{seed}" / f"member-{k:03d}"
    if (folder / _MANIFEST).is_file():
        read_manifest(folder)
        return folder
    _prune(root)
    panel_seed = member_seed(seed, k)
    params = synthetic.draw_parameters(panel_seed)
    panel = synthetic.generate(panel_seed, parameters=params)
    try:
        import shutil
        import tempfile

        folder.parent.mkdir(parents=True, exist_ok=True)
        # written into a private folder and renamed into place: two processes generating the same member at once
        # (run -j, or two kernels) never see each other's half-written files; the second rename finds the
        # member there and keeps it (the same seed gives byte-identical files)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            synthetic.write_panel(panel, staging)
            files = sorted(p.name for p in staging.iterdir() if p.is_file() and p.name != _MANIFEST)
            manifest = {"ensemble_seed": seed, "member": k, "generator_seed": panel_seed,
                        "parameters": params.as_dict(), "calibration": panel.calibration,
                        "sha256": {name: file_sha256(staging / name) for name in files}}
            write_text_atomic(staging / _MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            if folder.is_dir() and not (folder / _MANIFEST).is_file():
                shutil.rmtree(folder, ignore_errors=True)      # a member left half-written by an older version
            try:
                staging.rename(folder)
            except OSError:
                if not (folder / _MANIFEST).is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:           # an OutputError (also an OSError) already names the file and the reason
        reason = f"{exc.path}: {exc.reason}" if isinstance(exc, OutputError) else describe_os_error(exc)
        raise CityevalError(f"cannot write the ensemble cache {root}: {reason} "
                            "(set CITYEVAL_CACHE to a writable folder)") from None
    return folder


def _prune(root: Path) -> None:
    """Remove the members of other cache keys (an older generator or library): only the current key is kept."""
    import shutil

    base = root / "ensemble"
    if not base.is_dir():
        return
    keep = cache_key()
    for old in base.iterdir():
        if old.is_dir() and old.name != keep and len(old.name) == 16:
            shutil.rmtree(old, ignore_errors=True)


def member_folders(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, *, root=None) -> list[Path]:
    """The dataset folders of members 0 ... ``size`` - 1 of ensemble ``seed`` (see :func:`member_folder`).

    Raises
    ------
    ParameterError
        ``size`` not a whole number between 1 and :data:`MAX_SIZE`, or a bad ``seed``.
    """
    size = check_integer("size", size, low=1, high=MAX_SIZE)
    seed = check_seed(seed)
    return [member_folder(k, seed, root=root) for k in range(size)]
