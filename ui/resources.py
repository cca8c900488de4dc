"""Finding bundled files (works from a checkout and inside the PyInstaller bundle)."""

from __future__ import annotations

from desktop_app.config import resource_path

__all__ = ["resource_path"]
