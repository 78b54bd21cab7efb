"""The traditional characters of the self-evaluation vocabulary's words (項, 績, 資 …), stored.

A text holding none of them matches the vocabulary as it is; one holding any is first converted to
simplified characters with OpenCC. Deriving the set (OpenCC's s2t over every word) costs about 50 ms,
which every ``jixiao parse`` would pay when it sniffs a file, so it is derived once and kept here.
tests/test_traditional_chars.py derives it again and fails when the vocabulary has changed;
``python -m jixiao.io.readers.traditional_chars`` rewrites the list below.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

CHARS = frozenset(
    "個備價優內冊則務員問單噸執報場實寫專對後態戶採撥據擬數於時會標檔權決況準滿濟無環產畝當碼稱級細結經綜線編縣總績繫"
    "續聯臺萬蓋處衆補複覈規計設註評話說調論讀負財責貸資質較載轉進過達銀門間閱關際電響項須預頭題額類顯體"
)


def derive() -> frozenset[str]:
    """The characters OpenCC's s2t writes differently in the vocabulary's words."""
    import opencc

    from jixiao.io.readers import selfeval_vocabulary as vocabulary

    to_traditional = opencc.OpenCC("s2t")
    found: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, str):
            found.update(set(str(to_traditional.convert(value))) - set(value))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, (tuple, list, set, frozenset)):
            for item in value:
                collect(item)

    for name in dir(vocabulary):
        if name.isupper():
            collect(getattr(vocabulary, name))
    return frozenset(found)


def _rewrite() -> None:
    text = "".join(sorted(derive()))
    lines = [f'    "{text[start:start + 56]}"' for start in range(0, len(text), 56)]
    path = Path(__file__)
    source = path.read_text(encoding="utf-8")
    start = source.index("CHARS = frozenset(\n") + len("CHARS = frozenset(\n")
    end = source.index("\n)\n", start)
    path.write_text(source[:start] + "\n".join(lines) + source[end:], encoding="utf-8")


if __name__ == "__main__":
    _rewrite()
