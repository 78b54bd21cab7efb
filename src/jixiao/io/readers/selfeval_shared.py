"""The small helpers every self-evaluation reader shares, whatever the layout (the words are in
:mod:`selfeval_vocabulary`).

The row grammar (:mod:`selfeval_grid`: the text form and the office grids) and the grammar of the real
published text layouts (:mod:`selfeval`) each place cells their own way, but a 其中 sub-row, a block weight
("产出指标(50分)") and a funding block printed in 元 (with its note) must be understood alike, so a table read
from any format compares equal and tells the user the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jixiao.domain.text import fold_width
from jixiao.io.readers.selfeval_vocabulary import SUBROW_PREFIX

TEN_THOUSAND = Decimal(10000)

_BRACKETED_WEIGHT_RE = re.compile(r"^(.*?)\s*[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$", re.DOTALL)
_BARE_WEIGHT_RE = re.compile(r"^(.*?\D)(\d+(?:\.\d+)?)分$", re.DOTALL)
_WORDY_WEIGHT_RE = re.compile(r"\s*[(（][^()（）]*分\s*[)）]\s*$")
_PHONE_RE = re.compile(r"^(.*?)[\s,，、/:]*(?:(?:联系)?电话[\s:]*)?\(?((?:\d{3,4}-)?\d{7,8}|1[3-9]\d{9})\)?\s*$")
_EXPLICIT_PARENT_RE = re.compile(r"^\s*其中\s*[(（](.+?)[)）]\s*[:：]\s*(.*)$", re.DOTALL)


def yuan_to_wan(amount: Decimal) -> Decimal:
    """An amount in 元 as 万元, exactly (Decimal division keeps every digit: 387664.62 → 38.766462)."""
    return amount / TEN_THOUSAND


def yuan_message(row_label: str, converted: Sequence[tuple[str, Decimal]]) -> str:
    """The ``amount-in-yuan`` note for one funding row: each amount as printed (元) and the 万元 read."""
    shown = "、".join(f"{printed.strip().removesuffix('元').rstrip()} 元 = {wan} 万元" for printed, wan in converted)
    return f"项目资金以元为单位，“{row_label}”的金额已换算为万元（÷ 10000）：{shown}"


def block_weight(text: str) -> tuple[str, Decimal | None, bool]:
    """(the heading without its weight, the block weight, whether a weight is printed but is no number):
    "产出指标(50分)", "产出指标（50）", "产出指标50分" → ("产出指标", 50, False); "产出指标（五十分）" →
    ("产出指标", None, True); "效益指标(社会)" and "效益指标" are headings without a weight."""
    folded = fold_width(text)  # one character for one: positions found in it slice ``text``
    for pattern in (_BRACKETED_WEIGHT_RE, _BARE_WEIGHT_RE):
        match = pattern.match(folded)
        if match is not None:
            return text[:match.end(1)].strip(), Decimal(match.group(2)), False
    wordy = _WORDY_WEIGHT_RE.search(folded)
    if wordy is not None:
        return text[:wordy.start()].strip(), None, True
    return text.strip(), None, False


def split_subrow(cell: str | None) -> tuple[str | None, str | None, bool]:
    """(name, parent named in the cell, whether it is a 其中 row): "其中：A4纸" → ("A4纸", None, True);
    "其中（纸张使用量）：A4纸" names its parent (a sub-row that does not follow it); other names as printed."""
    if cell is None:
        return None, None, False
    explicit = _EXPLICIT_PARENT_RE.match(cell)
    if explicit is not None:
        return explicit.group(2).strip() or None, explicit.group(1).strip(), True
    text = cell.strip()
    if not text.startswith(SUBROW_PREFIX):
        return cell, None, False
    rest = text[len(SUBROW_PREFIX):].lstrip()
    rest = rest[1:].lstrip() if rest[:1] in ("：", ":") else rest
    return rest or None, None, True


def split_contact(text: str) -> tuple[str | None, str | None]:
    """"项目负责人及电话" in one cell, as every layout prints it: "李宁0557-5788003", "旷建成、向建军" (no phone),
    "王芳 13800000000" → (person, phone); the person as printed, ``None`` for what is not there."""
    value = text.strip()
    match = _PHONE_RE.match(fold_width(value))  # one character for one: the groups slice ``value``
    if match is None:
        return value or None, None
    return value[: len(match.group(1))].strip(" ,，、/:：") or None, match.group(2)


@lru_cache(maxsize=1)
def _converter() -> Any:
    """OpenCC's traditional→simplified converter, built once (the import is deferred: sniffing stays cheap)."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplified(text: str) -> str:
    """``text`` in simplified characters (matching only; the printed text is kept)."""
    if text.isascii():
        return text
    return str(_converter().convert(text))
