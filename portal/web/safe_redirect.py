"""Redirect targets taken from the request: only paths on this site (no open redirect)."""

from urllib.parse import urlsplit


def safe_local_path(target: str | None, fallback: str) -> str:
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
