"""Evidence files of a rectification response (整改佐证材料), held to the limits of an import.

The same types the import page takes (.txt .json .xlsx .docx .pdf .zip), the same upload limit for all files
of one response (``api_errors.MAX_BODY``) and the size check of ``io/limits.py`` per file; a file must be what
its name says (a zip container opens within ``io/limits.open_zip``, its directory checked before anything
is inflated; a PDF starts with ``%PDF-``; a text is UTF-8 or GB18030). A refused file refuses the response,
naming the file and why, before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.io.limits import Limits, TooBig, check_size, open_zip
from jixiao.services.api_errors import MAX_BODY
from jixiao.services.errors import InvalidInput

EVIDENCE_TYPES = (".txt", ".json", ".xlsx", ".docx", ".pdf", ".zip")  # what the import page accepts
MAX_EVIDENCE_FILES = 10
MAX_NAME = 200
LIMITS = Limits(max_bytes=MAX_BODY)  # a file is at most what one upload may carry


class EvidenceRefused(InvalidInput):
    code = "rectification_evidence_refused"
    summary = "佐证材料不符合要求（类型、大小或内容与导入的限制相同）"


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _problem(name: str, data: bytes) -> str | None:
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        return f"“{name}”的类型不能作为佐证材料（可用 {'、'.join(EVIDENCE_TYPES)}）"
    if not data:
        return f"“{name}”是空文件"
    try:
        check_size(data, LIMITS)
        if suffix in (".xlsx", ".docx", ".zip"):
            open_zip(data, LIMITS).close()
    except TooBig as refused:
        return f"“{name}”：{refused}"
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        return f"“{name}”不是 PDF 文件"
    if suffix in (".txt", ".json") and not _text(data):
        return f"“{name}”不是 UTF-8 或 GB18030 编码的文本"
    return None


def _text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "\x00" not in text
    return False


def _name(name: str) -> str:
    """The file's own name: no folders, no control characters (NUL is not storable), at most ``MAX_NAME``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()).strip()[:MAX_NAME]


def checked_files(files: Sequence[tuple[str, bytes]]) -> list[Evidence]:
    """``files`` (name, bytes) as evidence, or :class:`EvidenceRefused` naming every refused file."""
    kept = [(_name(name), data) for name, data in files if name.strip() or data]
    problems = []
    if len(kept) > MAX_EVIDENCE_FILES:
        problems.append(f"一次最多附 {MAX_EVIDENCE_FILES} 个佐证材料，收到 {len(kept)} 个")
    total = sum(len(data) for _file, data in kept)
    if total > MAX_BODY:
        problems.append(f"佐证材料合计 {total / 1024 / 1024:.1f} MB，超过上限 {MAX_BODY // 1024 // 1024} MB")
    problems += [problem for name, data in kept if (problem := _problem(name or "未命名", data))]
    if problems:
        raise EvidenceRefused("；".join(problems), [{"field": "files", "message": p} for p in problems])
    return [Evidence(name, data) for name, data in kept]
