"""Property: a generated table written in any rough form reads back as the oracle (issue 15, Proof).

Every form of :mod:`tests.rough_forms` is read by the layout-independent reader; the rows read equal the
drawn rows wherever the text still holds them (all of them, or those before the cut of an excerpt), and the
reading is marked as a guess (``any-layout``) on every table.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io import registry
from jixiao.io.reading import read_text
from tests.rough_forms import (
    FORMS,
    Drawn,
    drawn_tables,
    ocr,
    thousands,
    traditional,
    traditional_oracle,
    write,
)


def _read(text: str) -> list:
    return list(registry.FALLBACK.read(enumerate(text.splitlines(keepends=True), 1), "generated.txt"))


def _oracle(drawn: Drawn, rows: int) -> list[tuple[object, ...]]:
    out = []
    for row in drawn.rows[:rows]:
        got: tuple[object, ...] = (row.level1, row.level2, row.name, row.operator, row.target, row.unit)
        if drawn.selfeval:
            got += (row.actual, str(row.weight), str(row.score))
        out.append(got)
    return out


def _got(results: list, selfeval: bool) -> list[tuple[object, ...]]:
    out = []
    for result in results:
        if result.table is None:
            continue
        for i in result.table.indicators:
            got: tuple[object, ...] = (i.level1, i.level2, i.name, i.operator, i.target.text if i.target else None,
                                       i.unit_of_measure)
            if selfeval:
                got += (i.actual.text if i.actual else None, str(i.weight), str(i.score))
            out.append(got)
    return out


@settings(max_examples=25, deadline=None)
@given(drawn=drawn_tables(), form=st.sampled_from(FORMS))
def test_every_form_reads_back_as_drawn(drawn: Drawn, form: str) -> None:
    results = _read(write(drawn, form))
    assert _got(results, drawn.selfeval) == _oracle(drawn, len(drawn.rows))
    tables = [r for r in results if r.table is not None]
    assert tables and all(t.table.kind == ("self_evaluation" if drawn.selfeval else "target") for t in tables)
    assert all(any(d.code == "any-layout" for d in t.diagnostics) for t in tables)


@settings(max_examples=15, deadline=None)
@given(drawn=drawn_tables(), form=st.sampled_from(FORMS), data=st.data())
def test_an_excerpt_reads_as_far_as_it_goes(drawn: Drawn, form: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(1, len(drawn.rows)))
    results = _read(write(drawn, form, cut_after=cut))
    assert _got(results, drawn.selfeval) == _oracle(drawn, cut)
    if drawn.selfeval:
        assert all(r.table.cut_off for r in results if r.table is not None)


@settings(max_examples=15, deadline=None)
@given(drawn=drawn_tables(), form=st.sampled_from(FORMS))
def test_ocr_confusions_are_read_and_every_one_is_reported(drawn: Drawn, form: str) -> None:
    text, changed = ocr(write(drawn, form), drawn)
    results = _read(text)
    assert _got(results, drawn.selfeval) == _oracle(drawn, len(drawn.rows))
    readings = [d for r in results for d in r.diagnostics if d.code == "ocr-reading"]
    assert len(readings) == changed
    assert all("疑为识别错误" in d.message and d.line for d in readings)


@settings(max_examples=12, deadline=None)
@given(drawn=drawn_tables(), form=st.sampled_from(FORMS))
def test_traditional_characters_with_pinyin_read_as_printed(drawn: Drawn, form: str) -> None:
    results = _read(traditional(write(drawn, form)))
    expected = [tuple(traditional_oracle(v) if isinstance(v, str) else v for v in row)
                for row in _oracle(drawn, len(drawn.rows))]
    assert _got(results, drawn.selfeval) == expected  # the printed (traditional) text is kept, pinyin dropped
    names = [i for r in results if r.table is not None for i in r.table.indicators if "(" in traditional(i.name or "")]
    assert all("name" in i.ambiguous for i in names)  # a name printed with pinyin is marked …
    assert names == [] or any(d.code == "pinyin-removed" for r in results for d in r.diagnostics)  # … and said


GUESS_CODES = frozenset({"ocr-reading", "thousands-separator", "split-number", "date-serial"})


@settings(max_examples=15, deadline=None)
@given(drawn=drawn_tables(), form=st.sampled_from(FORMS), with_ocr=st.booleans())
def test_every_guess_is_marked_on_its_row_and_said(drawn: Drawn, form: str, with_ocr: bool) -> None:
    """Read the whole way (io.reading, guesses included): each rough value is a marked field and a diagnostic on
    the row's line, and no row is marked without one."""
    text, separated = thousands(write(drawn, form), drawn)
    text = ocr(text, drawn)[0] if with_ocr else text
    results = read_text(text, "rough.txt")
    rows = sorted((row for r in results if r.table is not None for row in r.table.indicators),
                  key=lambda row: row.line or 0)
    said: set[int] = set()  # the rows (by index) a guess was said of: its line is in the row's span
    for note in (d for r in results for d in r.diagnostics if d.code in GUESS_CODES):
        assert note.line is not None
        said.add(max(index for index, row in enumerate(rows) if (row.line or 0) <= note.line))
    marked = {index for index, row in enumerate(rows) if "target" in row.ambiguous}
    assert said == marked and len(marked) >= separated  # every guess marked, every mark said; separators seen
    assert all(row.ambiguous in ((), ("target",)) for row in rows)  # levels are printed: nothing else guessed
