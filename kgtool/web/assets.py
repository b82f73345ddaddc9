"""The third-party front-end files of the pages (YASGUI, the SPARQL editor), fetched from the npm registry at
the versions and sha512 integrity hashes pinned in ``vendor/package-lock.json``, into ``vendor/node_modules``
(gitignored: no third-party code is committed; licences and origins in ``vendor/NOTICE``).

Building the package runs :func:`fetch` (``hatch_build.py``: ``pip install -e .``, ``pip install .`` and a
wheel), so every install serves the editor; where the registry cannot be reached (offline) the build goes on
without it and the query page is a plain form saying so. ``python -m kgtool.web.assets`` fetches them later
into the installed package. Only the standard library: the build runs this file before any dependency of the
package is installed. Each package's tarball is read whole in memory, its hash checked before anything is
written, and only the files listed in :data:`PACKAGES` are written.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent
LOCKFILE = HERE / "vendor" / "package-lock.json"
#: Where the packages go, as npm would put them (``scripts/fetch-web-assets`` runs npm ci into the same place).
TARGET = HERE / "vendor" / "node_modules"
REGISTRY = "https://registry.npmjs.org"
#: The files of each package that are used: the editor the server serves (``render.VENDOR_FILES``), and
#: axe-core, which only the browser tests use (``python -m kgtool.web.assets --tests``).
PACKAGES: dict[str, tuple[str, ...]] = {
    "@zazuko/yasgui": ("build/yasgui.min.js", "build/yasgui.min.css", "package.json"),
}
TEST_PACKAGES: dict[str, tuple[str, ...]] = {"axe-core": ("axe.min.js", "package.json", "LICENSE")}
#: No tarball of these is anywhere near this size (YASGUI's is 2.3 MB); a bigger answer is not read.
MAX_TARBALL = 64 * 1024 * 1024


class FetchError(Exception):
    """A package could not be fetched or did not match its pinned hash; nothing of it was written."""


def pinned(package: str, lockfile: Path = LOCKFILE) -> tuple[str, str]:
    """The version and integrity hash (``sha512-<base64>``) of ``package`` in the npm lockfile."""
    entries = json.loads(lockfile.read_text(encoding="utf-8"))["packages"]
    entry = entries.get(f"node_modules/{package}")
    if not entry or not str(entry.get("integrity", "")).startswith("sha512-"):
        raise FetchError(f"{lockfile}: no version with a sha512 integrity hash for {package}")
    return entry["version"], entry["integrity"]


def tarball_url(package: str, version: str, registry: str = REGISTRY) -> str:
    """Where the npm registry keeps a package's tarball (``@scope/name`` -> ``@scope/name/-/name-1.0.tgz``)."""
    return f"{registry.rstrip('/')}/{package}/-/{package.rsplit('/', 1)[-1]}-{version}.tgz"


def installed(packages: dict[str, tuple[str, ...]] = PACKAGES, target: Path = TARGET) -> bool:
    """Whether every listed file of ``packages`` is in ``target``."""
    return all((target / package / name).is_file() for package, names in packages.items() for name in names)


def fetch(
    packages: dict[str, tuple[str, ...]] = PACKAGES,
    target: Path = TARGET,
    *,
    lockfile: Path = LOCKFILE,
    registry: str = REGISTRY,
    timeout: float = 60,
) -> list[Path]:
    """Download each package's pinned tarball, check its sha512 against the lockfile, and write its listed
    files under ``target/<package>/``. Returns the files written; raises :class:`FetchError`."""
    written: list[Path] = []
    for package, names in packages.items():
        version, integrity = pinned(package, lockfile)
        url = tarball_url(package, version, registry)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https registry
                data = response.read(MAX_TARBALL + 1)
        except (OSError, ValueError) as exc:
            raise FetchError(f"{url}: {exc}") from exc
        if len(data) > MAX_TARBALL:
            raise FetchError(f"{url}: larger than {MAX_TARBALL} bytes")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
        if digest != integrity:
            raise FetchError(f"{url}: sha512 {digest} is not the pinned {integrity} ({lockfile.name})")
        files: dict[str, bytes] = {}
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                for name in names:
                    member = archive.getmember(f"package/{name}")
                    extracted = archive.extractfile(member) if member.isfile() else None
                    if extracted is None:
                        raise KeyError(name)
                    files[name] = extracted.read()
        except (tarfile.TarError, KeyError, OSError) as exc:
            raise FetchError(f"{url}: no file {exc} in the package") from exc
        for name, content in files.items():  # names are ours (PACKAGES), never the archive's
            path = target / package / name
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(content)
            os.replace(partial, path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m kgtool.web.assets [--tests]``: fetch the editor (and with ``--tests`` axe-core) into the
    installed package. Exit 0 when done, 1 when the registry could not be reached or a hash did not match."""
    args = sys.argv[1:] if argv is None else argv
    packages = {**PACKAGES, **(TEST_PACKAGES if "--tests" in args else {})}
    try:
        written = fetch(packages, TARGET, registry=REGISTRY)
    except FetchError as exc:
        print(f"kgtool.web.assets: {exc}", file=sys.stderr)
        return 1
    print(f"kgtool.web.assets: {len(written)} files of {', '.join(packages)} in {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
