"""Numbers in prose: money, quantities, percentages and periods in a 年度目标.

No system in this field reads the annual goal against the numbers. To do so we
extract *mentions*: "合计152240元" (a stated total of 152,240 元), "每月用纸量约6万张"
(60,000 张 a month), "三晋科技安排专职技术人员1名", "满意率96%以上". Amounts are in 元
and quantities in base units, both as Decimal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from types import ModuleType
from typing import Final, NamedTuple

_ZERO: Final = Decimal(0)
_HALF: Final = Decimal("0.5")  # tolerance when amounts add up
_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS: Final = {"万": 10_000, "亿": 100_000_000}


def chinese_numeral(text: str) -> Decimal | None:
    """三 → 3, 十二 → 12, 一百二十 → 120, 三万五千 → 35000, 两千 → 2000; else ``None``."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS
                       for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))


# Count units, longest first so that 人次 wins over 人 and 平方米 over 米.
QUANTITY_UNITS: Final[tuple[str, ...]] = tuple(sorted(
    ["名", "人", "人次", "个", "项", "件", "件次", "张", "盒", "条", "台", "套", "场", "场次",
     "盆", "株", "棵", "户", "家", "所", "座", "辆", "册", "本", "份", "批", "间", "处",
     "平方米", "平米", "亩", "公里", "千米", "吨", "千瓦时", "篇", "期", "人天", "课时", "学时"],
    key=len, reverse=True))
UNIT_ALIASES: Final[dict[str, str]] = {"人": "名", "平米": "平方米", "千米": "公里", "场次": "场"}

_UNIT_SET: Final = frozenset(QUANTITY_UNITS)
_UNIT_FIRST: Final = frozenset(unit[0] for unit in QUANTITY_UNITS)  # most numbers (years, 文号) stop here
_UNIT_LENGTHS: Final = sorted({len(unit) for unit in QUANTITY_UNITS}, reverse=True)
# One scan finds the number runs that can be a mention, with what follows them (spaces, 万/亿, 余/多, a
# count unit): a run the reading takes whole ("2021", "19.8", "3千", "三") is matched only when a
# character that can make it a mention follows, so most runs (years, 文号, 一般) cost the scan nothing.
# A run that must be cut first ("1.5.", "三2") comes as ``odd`` and is cut as before.
_NUMERALS: Final = "零〇两一二三四五六七八九十百千"
_RUN: Final = f"0-9.{_NUMERALS}"
_DIGITS_PREFIX: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TOTAL_RE: Final = re.compile("合计|共计|总计|合同金额|总额|总金额|总投入|共需|共")  # a stated total follows
_PERIODS: Final = (("每季度", 4, "季度"), ("每季", 4, "季度"), ("每月", 12, "月"), ("每年", 1, "年"))
_MULTIPLIERS: Final = {"万": 10_000, "亿": 100_000_000}
# The characters after a number run that can make it a mention (space, 万亿, 余多, 元, %, a count unit).
_MAY_FOLLOW: Final = frozenset(" 万亿余多元%％") | _UNIT_FIRST
_LEAD: Final = f"[0-9{_NUMERALS}]"
# The pattern starts with one character class, so the regex engine skips to each run's first character
# in C; the look-behind then makes sure it is the first. The number it takes whole: digits, a decimal
# part, one of 十百千 ("3千"), or Chinese numerals; possessive, as the reading never gives back a character.
_CANDIDATE: Final = re.compile(
    f"{_LEAD}(?<!{_LEAD}{_LEAD})((?:(?<=[0-9])[0-9]*+(?:\\.[0-9]+)?+[十百千]?+|(?<=[{_NUMERALS}])[{_NUMERALS}]*+))"
    f"(?:(?![{_RUN}])(?=[{re.escape(''.join(sorted(_MAY_FOLLOW)))}])( *)([万亿]?)([余多]?)({'|'.join(QUANTITY_UNITS)})?"
    f"|([{_RUN}]+))")
_STOPS: Final = "，。；;,！？!?\n"
_LAST_STOP: Final = re.compile(f".*[{_STOPS}]", re.DOTALL)  # up to the last clause stop


class Mention(NamedTuple):
    """One number in the prose. A named tuple: goals hold many and they are made often."""

    kind: str  # "money" | "quantity" | "percent"
    value: Decimal  # 元 for money, base units for quantities, points for percent
    unit: str  # "元", a normalised count unit, or "%"
    text: str  # as written, e.g. "6万张"
    start: int
    role: str = "item"  # "item" | "total" | "unit_price"
    period: str | None = None  # "月" | "季度" when the figure is per month / quarter
    per_year: int = 1  # multiplier to a yearly figure
    approximate: bool = False
    context: str = ""  # the words just before the number

    @property
    def annual(self) -> Decimal:
        return self.value * self.per_year


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        if text[-1] in _SMALL_UNITS:  # "3千"
            return Decimal(text[:-1]) * _SMALL_UNITS[text[-1]]
        return Decimal(text)
    return chinese_numeral(text)


def _clause_before(text: str, start: int, span: int = 12) -> str:
    """The words before ``start`` in the same clause (up to ``span`` characters); a newline just
    before ``start`` does not end the clause (as ``$`` matches before it)."""
    low = start - span if start > span else 0
    end = start - 1 if start and text[start - 1] == "\n" else start
    match = _LAST_STOP.match(text, low, end)
    return text[match.end():end] if match is not None else text[low:end]


def _period(before: str) -> tuple[str | None, int]:
    for word, factor, name in _PERIODS:
        if word in before:
            return name, factor
    return None, 1


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def contains_any_python(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` occurs in ``text`` (the reference of the scanner's ``contains_any``)."""
    for word in words:  # noqa: SIM110 (a compiled loop, no generator)
        if word in text:
            return True
    return False


def _load_native() -> ModuleType | None:
    """The C scanner configured with this module's types and units, or ``None`` when it is not built
    (an install with ``JIXIAO_PURE=1``, a run from bare sources)."""
    try:
        from jixiao.rules import _goalscan
    except ImportError:
        return None
    _goalscan.configure(Mention, Decimal, _ZERO, QUANTITY_UNITS, UNIT_ALIASES)
    return _goalscan


# Mention(...) runs the named tuple's Python __new__; building the tuple directly with every field
# (in the class's order) makes the same value for a fraction of the cost.
_new_mention: Final = tuple.__new__
_EXTRACTED: Final[dict[str, tuple[Mention, ...]]] = {}  # the same goal is often reviewed again (re-checks, web views)
_EXTRACTED_LIMIT: Final = 256
_NATIVE: Final = _load_native()
_native_extract: Final[Callable[[str], tuple[Mention, ...]] | None] = None if _NATIVE is None else _NATIVE.extract
# Whether one of the words occurs in a text: short texts (a mention's context) against a word list.
contains_any: Final[Callable[[str, tuple[str, ...]], bool]] = (
    contains_any_python if _NATIVE is None else _NATIVE.contains_any)


def extract(text: str) -> tuple[Mention, ...]:
    """All money, quantity and percentage mentions in ``text``, in reading order: read by the native
    scanner when it is built (:mod:`jixiao.rules._goalscan`), else by :func:`extract_python`."""
    kept = _EXTRACTED.get(text)
    if kept is not None:
        return kept
    result = _native_extract(text) if _native_extract is not None else extract_python(text)
    if len(_EXTRACTED) >= _EXTRACTED_LIMIT:
        _EXTRACTED.clear()
    _EXTRACTED[text] = result
    return result


def extract_python(text: str) -> tuple[Mention, ...]:
    """The reading in Python: the reference the native scanner is held to (``tests/test_goalscan.py``)."""
    found: list[Mention] = []
    for match in _CANDIDATE.finditer(text):
        rest, spaces, big, approx, unit, odd = match.groups()
        start = match.start()
        if odd is not None:  # a run to cut first: read as before
            mention = _cut_run(text, start, text[start:match.end()])
        else:
            end = start + 1 + len(rest)
            mention = _mention(text, text[start:end], big, approx != "", unit, start,
                               end + len(spaces) + len(big) + len(approx))
        if mention is not None:
            found.append(mention)
    return tuple(found)


def _cut_run(text: str, start: int, raw: str) -> Mention | None:
    """A run that is not one number as it stands: keep the plain number at its front ("1.5." → "1.5";
    "3千" stays whole), or a Chinese numeral without the digits after it ("三2" → "三"), then read on."""
    size = len(text)
    if raw[0] in "0123456789":
        prefix = _DIGITS_PREFIX.match(raw)
        head = prefix.group() if prefix else raw[0]
        if raw[len(head):] not in _SMALL_UNITS:
            raw = head
    elif raw.strip(_NUMERALS) != "":
        raw = raw.rstrip("0123456789.")
    j = start + len(raw)
    if j < size and text[j] not in _MAY_FOLLOW:
        return None  # 一般、进一步、〔2021〕37号: no mention can start here
    while j < size and text[j] == " ":
        j += 1
    big = text[j] if j < size and text[j] in _MULTIPLIERS else ""
    j += len(big)
    approx = j < size and text[j] in "余多"
    j += approx
    unit = None
    for length in _UNIT_LENGTHS:
        if text[j:j + length] in _UNIT_SET:
            unit = text[j:j + length]
            break
    return _mention(text, raw, big, approx, unit, start, j)


def _mention(text: str, raw: str, big: str, approx: bool, unit: str | None, start: int, j: int) -> Mention | None:
    """The mention a number ``raw`` at ``start`` makes, read from what follows it: ``big`` (万/亿),
    ``approx`` (余/多), then at ``j`` 元, %, or a count ``unit``. The end of the text reads as a clause stop."""
    nxt = text[j] if j < len(text) else "。"
    is_digit = raw[0] in "0123456789"
    if nxt == "元" or (big == "万" and not approx and not _is_cjk(nxt) and nxt not in "%％"):
        if not is_digit and raw == "一" and nxt != "元":
            return None
        return _money(text, raw, big, start, j + (nxt == "元"))
    if nxt in "%％":
        if is_digit and not big:
            return _new_mention(Mention, ("percent", _number(raw), "%", text[start:j + 1], start,
                                          "item", None, 1, False, _clause_before(text, start)))
        return None
    if unit is not None:
        return _quantity(text, raw, big, approx, start, j, unit)
    return None


def _money(text: str, raw: str, big: str, start: int, end: int) -> Mention:
    number = _number(raw) or _ZERO
    value = number * _MULTIPLIERS[big] if big else number
    before = _clause_before(text, start)
    near = before[-6:]
    role = "item"
    if text[end:end + 1] == "/" or "每" in near:
        role = "unit_price"
    elif _TOTAL_RE.search(near) is not None:
        role = "total"
    return _new_mention(Mention, ("money", value, "元", text[start:end], start, role, None, 1, False, before))


def _quantity(text: str, raw: str, big: str, approx_mark: bool, start: int, at: int,
              unit: str) -> Mention | None:
    if big == "亿":
        return None
    if not raw[0].isdigit() and raw in ("一", "两"):
        return None  # 一件事、一张网、两家运营商: idioms, not quantities
    number = _number(raw)
    if number is None:
        return None
    if big:
        number *= 10_000
    end = at + len(unit)
    before = _clause_before(text, start)
    period, factor = _period(before)
    approx = approx_mark or "约" in before[-3:]
    role = "unit_price" if text[end:end + 1] == "/" else "item"
    return _new_mention(Mention, ("quantity", number, UNIT_ALIASES.get(unit, unit), text[start:end], start,
                                  role, period, factor, approx, before))


@lru_cache(maxsize=512)
def split_unit(unit: str) -> tuple[str, Decimal]:
    """An indicator's unit of measure as (base unit, multiplier): 万件次 → (件次, 10000)."""
    unit = unit.strip()
    if unit.startswith("万") and len(unit) > 1:
        base = unit[1:]
        return UNIT_ALIASES.get(base, base), Decimal(10_000)
    return UNIT_ALIASES.get(unit, unit), Decimal(1)


class MoneyPicture:
    """How the goal's amounts add up: the top-level figures and any inconsistent sums.

    A plain class with slots (compiled: one is made per table, and a frozen dataclass's ``__init__``
    cost a twentieth of a review); its attributes are ``Final``: never changed once made."""

    __slots__ = ("bad_sums", "parts", "top_level")

    def __init__(self, top_level: tuple[Mention, ...],
                 bad_sums: tuple[tuple[Mention, tuple[Mention, ...]], ...],
                 parts: tuple[tuple[Mention, tuple[Mention, ...]], ...] = ()) -> None:
        self.top_level: Final = top_level  # amounts not already inside a stated total
        self.bad_sums: Final = bad_sums  # (stated total, its parts)
        self.parts: Final = parts  # (stated total, parts that add up)

    @property
    def total(self) -> Decimal:
        return sum((m.value for m in self.top_level), _ZERO)


_NO_MONEY: Final = MoneyPicture((), (), ())  # most goals' picture is not empty, but some name no amount


def money_picture(mentions: tuple[Mention, ...]) -> MoneyPicture:
    """Group amounts: items before a stated total are its parts; totals may sum earlier totals."""
    top: list[Mention] = []
    pending: list[Mention] = []  # items since the last stated total
    bad: list[tuple[Mention, tuple[Mention, ...]]] = []
    good: list[tuple[Mention, tuple[Mention, ...]]] = []
    for mention in mentions:
        if mention.kind != "money" or mention.role == "unit_price":
            continue
        if mention.role == "item":
            pending.append(mention)
            continue
        if pending:
            parts_sum = sum((m.value for m in pending), _ZERO)
            if abs(parts_sum - mention.value) > _HALF:
                bad.append((mention, tuple(pending)))
            else:
                good.append((mention, tuple(pending)))
            pending = []
        else:
            # A grand total of earlier stated totals ("考勤与考核总计107.64万元") absorbs them.
            earlier = [m for m in top if m.role == "total"]
            for size in range(len(earlier), 1, -1):
                window = earlier[-size:]
                if abs(sum((m.value for m in window), _ZERO) - mention.value) <= _HALF:
                    top = [m for m in top if m not in window]
                    good.append((mention, tuple(window)))
                    break
        top.append(mention)
    if not top and not pending:
        return _NO_MONEY
    top.extend(pending)
    top.sort(key=lambda m: m.start)
    return MoneyPicture(tuple(top), tuple(bad), tuple(good))


def format_yuan(value: Decimal) -> str:
    """152240 → "152240元（15.224万元）" for messages that show their arithmetic."""
    wan = (value / 10_000).normalize()
    plain = value.normalize()
    return f"{plain:f}元（{wan:f}万元）"
