"""A file sent under its own name (Chinese too), for the API and the pages alike."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response


def attachment(name: str, media_type: str, content: bytes) -> Response:
    """``content`` as a download named ``name``: RFC 6266, with an ASCII fallback for old clients."""
    stem, dot, suffix = name.rpartition(".")
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem) or "file"
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}{dot}{suffix}\"; filename*=UTF-8''{quote(name)}"})
