"""Code-name pairs ("145001-重庆市…") and the 21-character project code."""

from __future__ import annotations

import re

import msgspec
from msgspec.structs import force_setattr

from jixiao.domain.text import fold_width

# "145001-名称", "02-开展…", "50011522T000000157087-免费复印（一般性）"
_CODE_NAME_RE = re.compile(r"^\s*([0-9A-Za-z]+)\s*[-－—]\s*(.*)$", re.S)
_PROJECT_CODE_RE = re.compile(r"^(\d{6})(\d{2})([A-Z])(\d{12})$")
_SUFFIX_RE = re.compile(r"^(.*?)([（(][^（()）]*[)）])$", re.S)

_CATEGORY_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")  # [A-Z] of _PROJECT_CODE_RE
CATEGORY_NAMES: dict[str, str] = {"R": "人员类", "T": "特定目标类", "G": "公用经费类"}


class CodedName(msgspec.Struct, frozen=True, gc=False):
    """An organisation or function shown as ``CODE-名称``; either part may be absent."""

    code: str | None
    name: str | None

    @classmethod
    def parse(cls, text: str | None) -> CodedName | None:
        if text is None or not text.strip():
            return None
        head, dash, tail = text.partition("-")
        if dash and head.isascii() and head.isalnum():  # the usual "145001-名称", no folding needed
            return cls(head, tail.strip() or None)
        match = _CODE_NAME_RE.match(fold_width(text))
        if match is None:
            return cls(None, text.strip())
        # Keep the original characters of the name: slice the source text at the
        # same offset the folded match found (folding never changes length).
        name = text[match.start(2) :].strip()
        return cls(match.group(1), name or None)

    def display(self) -> str:
        if self.code and self.name:
            return f"{self.code}-{self.name}"
        return self.code or self.name or ""


class ProjectCode(msgspec.Struct, frozen=True, gc=False):
    """A project code, split into its parts when it has the usual 21-character form.

    Region (GB/T 2260, 6 digits), year (2 digits), category letter (R 人员类, T
    特定目标类…), serial (12 digits). Codes of other shapes are kept as they are,
    with ``is_standard`` False, so that a rule can flag them. The parts are derived from
    ``raw`` (whatever is passed for them is replaced), so they never change equality.
    """

    raw: str
    region: str | None = None
    year: int | None = None
    category: str | None = None
    serial: str | None = None

    def __post_init__(self) -> None:
        raw = self.raw
        if len(raw) == 21 and raw[8] in _CATEGORY_LETTERS and raw[:8].isdecimal() and raw[9:].isdecimal():
            # What _PROJECT_CODE_RE matches (\d is a decimal digit, as for isdecimal), without the regex:
            # every table of a file has its own code, so this runs once per table.
            force_setattr(self, "region", raw[:6])
            force_setattr(self, "year", 2000 + int(raw[6:8]))
            force_setattr(self, "category", raw[8])
            force_setattr(self, "serial", raw[9:])
            return
        match = _PROJECT_CODE_RE.match(raw)
        if match is not None:
            force_setattr(self, "region", match.group(1))
            force_setattr(self, "year", 2000 + int(match.group(2)))
            force_setattr(self, "category", match.group(3))
            force_setattr(self, "serial", match.group(4))
        elif self.region is not None or self.year is not None or self.category is not None \
                or self.serial is not None:
            for name in ("region", "year", "category", "serial"):
                force_setattr(self, name, None)

    @property
    def is_standard(self) -> bool:
        return self.region is not None

    @property
    def category_name(self) -> str | None:
        return CATEGORY_NAMES.get(self.category or "")

    def __str__(self) -> str:
        return self.raw


class ProjectRef(msgspec.Struct, frozen=True, gc=False):
    """A budget project as the table names it: code, name and an optional suffix."""

    code: ProjectCode | None
    name: str | None
    suffix: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> ProjectRef | None:
        coded = CodedName.parse(text)
        if coded is None:
            return None
        name, suffix = coded.name, None
        if name is not None and name.endswith((")", "）")):  # the regex only when a suffix can be there
            match = _SUFFIX_RE.match(name)
            if match is not None and match.group(1).strip():
                name, suffix = match.group(1).rstrip(), match.group(2)
        code = ProjectCode(coded.code) if coded.code else None
        return cls(code, name, suffix)

    @property
    def code_text(self) -> str | None:
        return self.code.raw if self.code else None

    def display(self) -> str:
        head = self.code.raw if self.code else ""
        tail = f"{self.name or ''}{self.suffix or ''}"
        return f"{head}-{tail}" if head and tail else head or tail
