"""Installed taxonomy versions: which exist, which one is active, and switching between them.

Imported versions live in ``<data_dir>/taxonomies/<version id>/`` (see :mod:`taxonomy.importer`);
the bundled ESCO v1.1.1 data is always available as ``bundled``. The active version is recorded
in ``<data_dir>/taxonomies/active.json``, written atomically; without that file the bundled data
is active. :func:`taxonomy.load_taxonomy` follows it unless ``VAARDIG_TAXONOMY_DIR`` is set.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from taxonomy.loader import BUNDLED_DIR, read_manifest
from taxonomy.model import TaxonomyDataError, TaxonomyError
from taxonomy.taxonomy import Taxonomy

BUNDLED = "bundled"
ACTIVE_FILE = "active.json"
VERSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class UnknownVersionError(TaxonomyError):
    """A taxonomy version id that is not installed."""


@dataclass(frozen=True)
class TaxonomyVersion:
    """One taxonomy that ``vaardig taxonomy use`` can switch to."""

    id: str
    path: Path
    esco_version: str | None
    languages: tuple[str, ...]
    imported_at: str | None = None
    base: str | None = None
    active: bool = False

    @property
    def bundled(self) -> bool:
        return self.id == BUNDLED

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "path": str(self.path),
            "esco_version": self.esco_version,
            "languages": list(self.languages),
            "imported_at": self.imported_at,
            "base": self.base,
            "active": self.active,
            "bundled": self.bundled,
        }


def taxonomies_dir(data_dir: Path | None = None) -> Path:
    """``<data_dir>/taxonomies``: where imported versions are installed (may not exist yet)."""
    if data_dir is None:
        from vaardig.settings import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / "taxonomies"


def active_version_id(data_dir: Path | None = None) -> str:
    """The id recorded in ``active.json``, or ``bundled`` when there is none."""
    path = taxonomies_dir(data_dir) / ACTIVE_FILE
    if not path.is_file():
        return BUNDLED
    try:
        version = json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TaxonomyDataError(
            path,
            f"cannot be read ({exc.__class__.__name__})",
            "run `vaardig taxonomy use bundled` (or `use` an installed version) to rewrite it",
        ) from exc
    return str(version)


def active_taxonomy_dir(data_dir: Path | None = None) -> Path:
    """The folder of the active version: an imported one, else the bundled data.

    Raises :class:`TaxonomyDataError` when ``active.json`` names a version that is not installed
    (e.g. deleted by hand), rather than silently falling back to other data.
    """
    version_id = active_version_id(data_dir)
    if version_id == BUNDLED:
        return BUNDLED_DIR
    folder = taxonomies_dir(data_dir) / version_id
    if not (folder / "manifest.json").is_file():
        raise TaxonomyDataError(
            taxonomies_dir(data_dir) / ACTIVE_FILE,
            f"the active taxonomy {version_id!r} is not installed",
            "run `vaardig taxonomy use bundled`, or import that version again",
        )
    return folder


def current_taxonomy_dir() -> Path:
    """The folder :func:`taxonomy.load_taxonomy` reads by default: ``VAARDIG_TAXONOMY_DIR`` if
    set, else the active version's."""
    from vaardig.settings import get_settings

    settings = get_settings()
    return Path(settings.taxonomy_dir or active_taxonomy_dir(settings.data_dir))


def _version(version_id: str, folder: Path, active: str) -> TaxonomyVersion:
    manifest = read_manifest(folder)
    return TaxonomyVersion(
        id=version_id,
        path=folder,
        esco_version=_str_or_none(manifest.get("esco_version")),
        languages=tuple(str(x) for x in manifest.get("languages", ["en"])),  # type: ignore[union-attr]
        imported_at=_str_or_none(manifest.get("imported_at")),
        base=_str_or_none(manifest.get("base")),
        active=version_id == active,
    )


def _str_or_none(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def list_versions(data_dir: Path | None = None) -> list[TaxonomyVersion]:
    """The bundled version first, then every installed one, oldest import first."""
    try:
        active = active_version_id(data_dir)
    except TaxonomyDataError:
        active = ""  # a damaged active.json: list what exists so the user can pick one
    root = taxonomies_dir(data_dir)
    installed = []
    if root.is_dir():
        for folder in root.iterdir():
            # dot-folders are imports in progress or replaced versions awaiting deletion
            if folder.name.startswith(".") or not (folder / "manifest.json").is_file():
                continue
            installed.append(_version(folder.name, folder, active))
    installed.sort(key=lambda v: (v.imported_at or "", v.id))
    return [_version(BUNDLED, BUNDLED_DIR, active), *installed]


def get_version(version_id: str, data_dir: Path | None = None) -> TaxonomyVersion:
    """The version with this id; ``bundled`` (or the bundled data's own version name) is the
    bundled data. Raises :class:`UnknownVersionError` listing what is installed."""
    versions = list_versions(data_dir)
    bundled_name = str(read_manifest(BUNDLED_DIR)["version"])
    wanted = BUNDLED if version_id in (BUNDLED, bundled_name) else version_id
    for version in versions:
        if version.id == wanted:
            return version
    raise UnknownVersionError(
        f"no taxonomy version {version_id!r} is installed; choose one of "
        f"{', '.join(v.id for v in versions)} (see `vaardig taxonomy list`)"
    )


def use_version(version_id: str, data_dir: Path | None = None) -> TaxonomyVersion:
    """Make ``version_id`` the active taxonomy (atomic write of ``active.json``).

    Only records the choice: loading the taxonomy and building its index is the caller's job
    (do it first, so a version that fails to load is never made active).
    """
    version = get_version(version_id, data_dir)
    root = taxonomies_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".active-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": version.id}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, root / ACTIVE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return replace(version, active=True)


def find_base(esco_version: str, data_dir: Path | None = None) -> TaxonomyVersion | None:
    """An installed taxonomy of ``esco_version`` that an incomplete download can build on:
    the active one if it matches, else the newest matching import, else the bundled data."""
    versions = [v for v in list_versions(data_dir) if v.esco_version == esco_version]
    for version in versions:
        if version.active:
            return version
    imported = [v for v in versions if not v.bundled]
    if imported:
        return imported[-1]
    return versions[0] if versions else None


def missing_concepts(uris: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """The URIs (stripped, de-duplicated, in input order) that ``taxonomy`` does not contain.

    Passports keep the URIs they were built with; after switching versions, call this to
    report the concepts the new version dropped.
    """
    seen: set[str] = set()
    missing = []
    for uri in uris:
        uri = uri.strip()
        if uri and uri not in seen:
            seen.add(uri)
            if uri not in taxonomy:
                missing.append(uri)
    return missing
