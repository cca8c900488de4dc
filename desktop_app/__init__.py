"""Paddock core: domain, storage, services, I/O and CLI (no Qt here)."""

__version__ = "0.1.0"
APP_NAME = "Paddock"
