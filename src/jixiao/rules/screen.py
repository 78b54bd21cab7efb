"""Which rules may fire on a table, found in one pass before any rule runs.

Most rules find nothing in most tables (0.7 findings per table on the benchmark corpus, 51
rules), and running a rule costs a call, a generator and its own look at the columns even when
it only returns. :func:`may_fire` asks every screened rule's question at once, sharing what the
questions have in common (the level pairs answer S002, S003 and S011; the goal's amounts answer
T002 and T003), and names the rules that may have something to say; the engine runs only those.

A screen must never hide a finding. Each condition below is the rule's own test, or a looser one
it implies, over the same values: when it is false the rule yields nothing. "Bad data never
raises" holds too: a screen evaluates at least what its rule would before failing, so a value
that makes a rule raise makes :func:`may_fire` raise, and then the engine runs every rule (and
reports the fault as before). ``tests/test_screen.py`` checks screened == unscreened reviews.
A rule without a screen here (or whose check was replaced) always runs.
"""

# ruff: noqa: B905 — zip() of columns of one table (equal by construction): strict=True would parse
# a keyword on every call, a measurable share of a review in this compiled module.

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Final, cast

from jixiao.domain import Direction, Operator
from jixiao.rules.checks.consistency import _FUNDING_WORDS
from jixiao.rules.checks.quantification import _PERCENT, _PERCENT_SET
from jixiao.rules.checks.structure import _CONTRARY
from jixiao.rules.checks.weights import _ZERO
from jixiao.rules.context import NOT_QUANTITATIVE, TableContext, has_none, quantity_conflicts
from jixiao.rules.registry import RULES
from jixiao.rules.textnum import contains_any

_WAN: Final = Decimal(10_000)
_YUAN_TOLERANCE: Final = Decimal(50)  # as consistency.goal_money_vs_total
_HUNDRED: Final = Decimal(100)
_POSITIVE: Final = Direction.POSITIVE
_NEGATIVE: Final = Direction.NEGATIVE
_GE: Final = Operator.GE
_GT: Final = Operator.GT
_LE: Final = Operator.LE
_LT: Final = Operator.LT
_QUALITATIVE: Final = Operator.QUALITATIVE
_OTHER_QUANTITATIVE: Final = Operator.OTHER_QUANTITATIVE

Add = Callable[[str], None]

# Each of these has its test in may_fire; a new rule runs on every table until it is added here.
SCREENED_CODES: Final = frozenset((
    "C001", "C002", "C003", "C004", "C005", "C006", "C007", "C008",
    "C009", "C010", "C011", "C012", "C013", "C014", "C015",
    "S001", "S002", "S003", "S004", "S005", "S006", "S007", "S008", "S009", "S010", "S011",
    "W001", "W002", "W003", "W004", "W005", "W006",
    "T001", "T002", "T003", "T004", "T005", "T006", "T007",
    "P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008", "P009", "P010",
    "Q001", "Q002", "Q003", "Q004", "Q005", "Q006", "Q007", "Q008",
))


def screened_checks() -> dict[str, object]:
    """Rule code → the registered check the screen stands for (a replaced check is not screened)."""
    return {code: RULES[code].check for code in SCREENED_CODES}


def may_fire(ctx: TableContext) -> list[str]:
    """Codes of the screened rules that may find something in this table (in no particular order)."""
    found: list[str] = []
    add = found.append
    profile = ctx.profile
    _header(ctx, add)
    indicators = ctx.indicators
    if not indicators:
        add("C010")
    level1s, level2s, names = ctx.level1s, ctx.level2s, ctx.names
    if not (_all_filled(level1s) and _all_filled(level2s) and _all_filled(names)):
        add("C011")
    operators, kinds, directions = ctx.operators, ctx.operator_kinds, ctx.direction_kinds
    # Enum members and None in these columns: membership by identity is membership (has, has_none).
    if has_none(kinds):  # a blank 指标性质 has no kind either
        if has_none(operators):
            add("C013")
        add("S005")
    if has_none(ctx.targets) and has_none(ctx.current_targets):
        add("C014")
    weights, currents = ctx.weights, ctx.current_weights
    if has_none(weights) and has_none(currents):
        add("C015")
    # Structure. Every (level1, level2) pair in the catalogue: both levels are known too.
    # profile.level_pairs.issuperset(zip(level1s, level2s)); level2_owner is a dict (Profile.__post_init__):
    # typed so, the compiled look-up is direct
    if not _pairs_known(cast(dict[str, str], profile.level2_owner), level1s, level2s):
        if not profile.level1_known.issuperset(level1s):
            add("S002")
        _misplaced_level2(ctx, add)
    if indicators and not _holds_all(level1s, profile.required_level1):  # set(level1s).issuperset(required)
        add("S004")
    if ((_has(directions, _NEGATIVE) and (_has(kinds, _GE) or _has(kinds, _GT)))
            or (_has(directions, _POSITIVE) and (_has(kinds, _LE) or _has(kinds, _LT)))) \
            and not _CONTRARY.isdisjoint(zip(kinds, directions)):
        add("S006")
    if has_none(directions):
        add("S007")
    if _repeated(names):
        add("S008")
    longest = 0
    for name in names:
        if name and len(name) > longest:
            longest = len(name)
    if longest > profile.max_name_length:  # max(map(len, named), default 0) of the names not blank
        add("S009")
    _weights(ctx, add)
    _goal(ctx, add)
    _rows(ctx, add)
    if ctx.names_with(profile.input_words):
        add("P002")
    if ctx.comparables:  # P006 compares only rows the caller found comparable projects for
        add("P006")
    past = ctx.past  # P007–P010 compare with the project's past years, when the caller passes them
    if past is not None:
        if past.rows:
            add("P007")
            add("P008")
            add("P009")
        if past.missing:
            add("P010")
    if ctx.names_with(profile.vague_words):
        add("Q006")
    units, values = ctx.units, ctx.year_values
    if not all(units) and any(not unit and kind not in NOT_QUANTITATIVE
                              for unit, kind in zip(units, kinds)):
        add("Q001")
    if _has(kinds, _QUALITATIVE) and any(
            kind is _QUALITATIVE and value is not None and value.number is not None
            for kind, value in zip(kinds, values)):
        add("Q003")
    if ctx.targets != ctx.current_targets:
        add("Q007")
    if _has(kinds, _OTHER_QUANTITATIVE):
        add("Q008")
    return found


def _has(column: Sequence[object], member: object) -> bool:
    """``member in column`` for a column of enum members and ``None``: by identity (what equality of
    enum members is), without a rich comparison per row."""
    for value in column:  # noqa: SIM110 (compiled: a C loop of pointer tests, no generator)
        if value is member:
            return True
    return False


def _holds_all(column: tuple[str | None, ...], wanted: tuple[str, ...]) -> bool:
    """``set(column).issuperset(wanted)`` for a column of text and a few wanted values: a set's
    membership is equality, so each wanted value is looked for in the column."""
    for value in wanted:  # noqa: SIM110 (a compiled loop, no generator)
        if value not in column:
            return False
    return True


_PAIRWISE: Final = 16  # up to this many names, comparing pairs is cheaper than a set


def _repeated(names: tuple[str | None, ...]) -> bool:
    """Whether a name (not blank) occurs twice: ``len(set(named)) != len(named)``."""
    named = [name for name in names if name]
    if len(named) > _PAIRWISE:
        return len(set(named)) != len(named)
    for i in range(len(named)):
        name = named[i]
        for j in range(i + 1, len(named)):
            if named[j] == name:
                return True
    return False


def _has_zero(numbers: list[Decimal | None]) -> bool:
    """``0 in numbers`` for a column of Decimals and blanks, against a Decimal zero (the same answer, and
    an sNaN raises as it does there) without making the integer a Decimal at each comparison."""
    for number in numbers:  # noqa: SIM110 (a compiled loop, no generator)
        if number is not None and number == _ZERO:
            return True
    return False


def _all_none(column: Sequence[object]) -> bool:
    """Whether every value of a column is blank (``not any(column)`` for a column of Values, always true)."""
    for value in column:  # noqa: SIM110 (a compiled loop, no generator)
        if value is not None:
            return False
    return True


def _all_filled(column: tuple[str | None, ...]) -> bool:
    """``all(column)`` for a column of text: none blank (``None`` or "")."""
    for value in column:  # noqa: SIM110 (a compiled loop, no generator)
        if not value:
            return False
    return True


def _pairs_known(owner: dict[str, str], level1s: tuple[str | None, ...],
                 level2s: tuple[str | None, ...]) -> bool:
    """``profile.level_pairs.issuperset(zip(level1s, level2s))``: level_pairs is {(owner[l2], l2)}, so a
    row's pair is known when its level2 has an owner and the owner is its level1 (no tuple per row)."""
    for level1, level2 in zip(level1s, level2s):
        if level2 is None:
            return False
        expected = owner.get(level2)
        if expected is None or expected != level1:
            return False
    return True


def _header(ctx: TableContext, add: Add) -> None:
    """C001–C009, C012, S001, S010, T001: the header's own tests (each is its rule's whole test)."""
    table = ctx.table
    unit = table.unit
    if unit is None or not unit.name:
        add("C001")
    # TargetTable.project_code and .project_name (properties: interpreted calls) read from the fields.
    project = table.project
    code = None if project is None else project.code
    if code is None:  # a ProjectCode's raw text is never None
        add("C002")
    if project is None or not project.name:
        add("C003")
    department = table.department
    if department is None:
        add("C004")
    if table.function is None:
        add("C005")
    total = table.total_wan
    if total is None:
        add("C006")
    if table.execution_weight is None:
        add("C007")
    if not table.annual_goal:
        add("C008")
    funding_total = ctx.funding_total
    if total is not None and funding_total is None:
        add("C009")
    if not table.contact_person or not table.contact_phone:
        add("C012")
    if code is not None and code.region is None:  # not code.is_standard
        add("S001")
    if unit and department and unit.code and department.code and not unit.code.startswith(department.code):
        add("S010")
    if funding_total is not None and total is not None and funding_total != total:
        add("T001")


def _misplaced_level2(ctx: TableContext, add: Add) -> None:
    """S003 and S011 once a (level1, level2) pair is not in the catalogue: their row tests."""
    profile = ctx.profile
    catalogue, owner = profile.catalogue, profile.level2_owner
    unknown = misplaced = False
    for level1, level2 in zip(ctx.level1s, ctx.level2s):
        if level2 and level2 not in owner and level1 and level1 in catalogue:
            unknown = True
        expected = owner.get(level2 or "")
        if expected is not None and expected != level1 and level1 in catalogue:
            misplaced = True
    if unknown:
        add("S003")
    if misplaced:
        add("S011")


def _weights(ctx: TableContext, add: Add) -> None:
    """W001–W006, as each rule's own test."""
    profile = ctx.profile
    weights, currents = ctx.weights, ctx.current_weights
    total = _column_sum(weights)
    if total is not None and total != profile.indicator_weight_total:
        add("W001")
    actual = ctx.table.execution_weight
    if actual is not None and actual != profile.execution_weight:
        add("W002")
    differ = weights != currents  # equality of Decimals never raises
    try:  # as checks.weights.non_positive; equal columns (by identity or value) answer alike
        clean = _positive(weights) and (not differ or _positive(currents))
    except ArithmeticError:
        clean = False
    if not clean:
        add("W003")
    if differ:
        add("W004")
        add("W005")
    if profile.level1_weights and ctx.indicators:
        add("W006")


def _positive(values: tuple[Decimal | None, ...]) -> bool:
    """``all(values) and min(filter(None, values), default=1) > 0`` as two compiled loops: the same
    answer, and a NaN still raises (in a comparison with 0 rather than inside ``min``)."""
    for value in values:
        if not value:  # blank or zero
            return False
    for value in values:  # noqa: SIM110 (a compiled loop, no generator)
        if value is None or not value > _ZERO:
            return False
    return True


def _column_sum(values: tuple[Decimal | None, ...]) -> Decimal | None:
    """``checks.weights._sum``: the same additions in the same order (from Decimal(0)), in a compiled loop."""
    total, present = _ZERO, False
    for value in values:
        if value is not None:
            total += value
            present = True
    return total if present else None


def _goal(ctx: TableContext, add: Add) -> None:
    """T002–T007. The goal's numbers are read here (every table with a goal and a total needs them
    for T002), so a goal the reader cannot take apart fails here, before any rule is skipped."""
    table = ctx.table
    total = table.total_wan
    picture = ctx.money
    if total is not None and picture.top_level and abs(picture.total - total * _WAN) > _YUAN_TOLERANCE:
        add("T002")
    if picture.bad_sums:
        add("T003")
    conflicts = quantity_conflicts(ctx)
    if conflicts:
        periodic = [any(m.period for m in same) for _, _, same in conflicts]
        if not all(periodic):
            add("T004")
        if any(periodic):
            add("T005")
    goal = table.annual_goal
    if goal:
        # A mention's context is a piece of the goal: no word in the goal, none in a context.
        if "满意" in goal and ("%" in goal or "％" in goal):
            add("T006")
        # A mention's context is a piece of the goal too: when one names a source of funding, so does
        # the goal, so the contexts of the (few) amounts are all that needs reading.
        for mention in ctx.mentions:
            if mention.kind == "money" and mention.role != "unit_price" \
                    and contains_any(mention.context, _FUNDING_TEXTS):
                add("T007")
                break


# What ``consistency._FUNDING_FINDER.search(text) is not None`` tells (an alternation of these literal
# words), by plain substring search.
_FUNDING_TEXTS: Final = tuple(word for word, _, _ in _FUNDING_WORDS)


def _rows(ctx: TableContext, add: Add) -> None:
    """P001, P003–P005, Q002, Q004, Q005: row tests, as the rules make them, walking only the rows
    a column says may be at fault."""
    profile = ctx.profile
    values, numbers, units = ctx.year_values, ctx.year_numbers, ctx.units
    floor = profile.satisfaction_floor
    low = hundred = False
    # numbers[index] is values[index].number (None when the value is blank): read once per table.
    for index in ctx.satisfaction_rows():
        number = numbers[index]
        if number is not None and (units[index] or "%").strip() in _PERCENT and number < floor:
            low = True
        if number is not None and number == 100:
            hundred = True
    if low:
        add("P001")
    if hundred:
        add("P005")
    if not _all_none(ctx.histories):  # any(ctx.histories): a Value is always true
        below = above = False
        directions = ctx.direction_kinds
        for index, history in enumerate(ctx.histories):
            if history is None or history.number is None:
                continue
            direction = directions[index]
            if direction is _POSITIVE or direction is _NEGATIVE:
                number = numbers[index]
                if number is not None:
                    if direction is _POSITIVE:
                        if number < history.number:
                            below = True
                    elif number > history.number:
                        above = True
        if below:
            add("P003")
        if above:
            add("P004")
    if has_none(numbers):
        kinds, placeholders = ctx.operator_kinds, profile.placeholders
        for index, number in enumerate(numbers):
            if number is not None or kinds[index] in NOT_QUANTITATIVE:
                continue
            value = values[index]
            if value is not None and value.text not in placeholders:
                add("Q002")
                break
    if not _PERCENT_SET.isdisjoint(units):
        _over_hundred(ctx, add)
    if not (profile.placeholders.isdisjoint(ctx.year_texts) and not _has_zero(numbers)):
        add("Q005")


def _over_hundred(ctx: TableContext, add: Add) -> None:
    """Q004: a target or current target in % above 100 (in the rule's order of comparisons)."""
    targets, currents = ctx.targets, ctx.current_targets
    for index, unit in enumerate(ctx.units):
        if unit != "%" and unit != "％":  # unit in _PERCENT
            continue
        value = targets[index]
        if value is not None and value.number is not None and value.number > _HUNDRED:
            add("Q004")
            return
        value = currents[index]
        if value is not None and value.number is not None and value.number > _HUNDRED:
            add("Q004")
            return
