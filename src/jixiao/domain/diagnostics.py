"""Diagnostics: what a reader says about input it could not read exactly.

Readers never raise on bad content; they report. Each diagnostic names the file and
line, carries a stable code and a Chinese message a budget officer can act on.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Severity(StrEnum):
    ERROR = "error"  # a value could not be read; the model lacks it
    WARNING = "warning"  # read, but by inference the user should confirm
    INFO = "info"


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.ERROR: "错误",
    Severity.WARNING: "警告",
    Severity.INFO: "提示",
}


class Diagnostic(msgspec.Struct, frozen=True, gc=False):
    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    cell: str | None = None  # spreadsheet-style place in an office file: "Sheet1!F12", "第2页 表1 C5"

    def location(self) -> str:
        parts = [self.file or "<输入>"]
        if self.cell:
            return f"{parts[0]} {self.cell}"
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return " ".join(parts)

    def render(self) -> str:
        return f"{self.location()}: {SEVERITY_LABELS[self.severity]} {self.code} {self.message}"

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }
        if self.cell:
            out["cell"] = self.cell
        return out
