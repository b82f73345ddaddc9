"""The SPARQL servers CI starts (.ci/servers.sh), as the tests that need them see them."""

from __future__ import annotations

import os

import pytest

#: The servers whose URLs are in the environment ('. $KG_SERVERS_DIR/env').
SERVERS = [name for name in ("oxigraph", "virtuoso") if os.environ.get(f"KG_{name.upper()}_QUERY_URL")]
NO_SERVERS = "no SPARQL servers: run '. $KG_SERVERS_DIR/env' after 'bash .ci/servers.sh start' (CI does)"
#: Fixture parameters: one per server, or one skipped parameter saying why there is none; all marked cross_store.
SERVER_PARAMS = [pytest.param(name, marks=pytest.mark.cross_store) for name in SERVERS] or [
    pytest.param(None, marks=[pytest.mark.cross_store, pytest.mark.skip(reason=NO_SERVERS)])
]


def server_options(name: str) -> dict[str, str]:
    """The endpoint store options of a CI server: its URLs and credentials."""
    env = {
        key: os.environ.get(f"KG_{name.upper()}_{key}")
        for key in ("QUERY_URL", "UPDATE_URL", "STORE_URL", "USER", "PASSWORD")
    }
    options = {
        "endpoint": env["QUERY_URL"],
        "update_endpoint": env["UPDATE_URL"],
        "store_endpoint": env["STORE_URL"],
        "user": env["USER"],
        "password": env["PASSWORD"],
    }
    return {key: value for key, value in options.items() if value}
