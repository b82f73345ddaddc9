"""The project's source material in ``shared/sources/`` beside the project (read by the tests, never copied in)."""

from __future__ import annotations

from pathlib import Path


def shared_source(name: str) -> Path:
    """A file of ``shared/sources/`` beside the project, or beside the directory of its git worktrees (the
    first that has it; the path beside the project when none does, for the error message)."""
    candidates = [parent / "shared" / "sources" / name for parent in Path(__file__).resolve().parents[1:]]
    return next((path for path in candidates if path.is_file()), candidates[1])
