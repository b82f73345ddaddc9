"""Where the shared reference material is, and the mark of the tests that read it.

The material (W3C test suites, vocabularies, the sources' texts) is never copied into the project: it is
read from ``../shared`` beside the checkout, or from ``$KG_SHARED_DIR``. Without it those tests are skipped
and say why, except in CI (``$CI`` set), where a missing file fails them: there it must be found.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

SHARED = Path(os.environ.get("KG_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test (or a module, as its ``pytestmark``) where ``path`` is missing, except in CI."""
    return pytest.mark.skipif(
        not path.exists() and not os.environ.get("CI"),
        reason=f"needs {path} (../shared beside the checkout, or $KG_SHARED_DIR)",  # as missing() says
    )


def missing(path: Path) -> NoReturn:
    """Skip the test that needs ``path`` (a fixture calls this when it is missing), except in CI: fail there."""
    why = f"needs {path} (../shared beside the checkout, or $KG_SHARED_DIR)"
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)
