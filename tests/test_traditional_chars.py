"""The stored traditional characters of the vocabulary are those OpenCC derives from it today."""

from jixiao.io.readers import selfeval_words
from jixiao.io.readers.traditional_chars import CHARS, derive


def test_the_stored_characters_are_derived_from_the_vocabulary() -> None:
    derived = derive()
    assert derived == CHARS, (
        f"词表的繁体字已变（多 {''.join(sorted(derived - CHARS))}，少 {''.join(sorted(CHARS - derived))}）："
        "运行 python -m jixiao.io.readers.traditional_chars 重写 CHARS")


def test_a_traditional_form_is_recognised_and_a_simplified_one_is_not() -> None:
    assert selfeval_words.traditional("項目名稱")
    assert not selfeval_words.traditional("项目名称")
    assert not selfeval_words.traditional("project")
