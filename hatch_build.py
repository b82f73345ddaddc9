"""The build hook of the package (hatchling): fetch the SPARQL editor's files (YASGUI) from the npm registry,
at the versions and sha512 hashes of kgtool/web/vendor/package-lock.json, into kgtool/web/vendor/node_modules
(gitignored), and put them in the wheel. An editable install (``pip install -e .``) serves them from there.

Offline, or with ``KG_NO_WEB_ASSETS=1``, the build goes on without them: the query page is then a plain form
that says how to fetch the editor later (``python -m kgtool.web.assets``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WebAssetsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        # kgtool.web.assets uses only the standard library: loaded by path, before kgtool's dependencies exist
        spec = importlib.util.spec_from_file_location("kgtool_web_assets", Path(self.root) / "kgtool/web/assets.py")
        assert spec is not None and spec.loader is not None
        assets = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(assets)
        if not assets.installed():
            if os.environ.get("KG_NO_WEB_ASSETS"):
                self.app.display_warning("KG_NO_WEB_ASSETS is set: the query page will be a plain form")
                return
            try:
                written = assets.fetch()
            except assets.FetchError as exc:
                self.app.display_warning(
                    f"the SPARQL editor (YASGUI) was not fetched, so the query page will be a plain form: {exc}. "
                    "Later: python -m kgtool.web.assets"
                )
                return
            self.app.display_info(f"fetched {len(written)} files of {', '.join(assets.PACKAGES)} from the npm registry")
        if version != "editable":  # the gitignored files go into the wheel explicitly
            for package, names in assets.PACKAGES.items():
                for name in names:
                    path = assets.TARGET / package / name
                    build_data["force_include"][str(path)] = f"kgtool/web/vendor/node_modules/{package}/{name}"
