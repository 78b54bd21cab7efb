"""Pinyin that mirror sites print after each character ("項(xiàng)目"): found and dropped.

Apart from :mod:`.text` because sniffing a file needs only this, and :mod:`.text` compiles many patterns.
"""

from __future__ import annotations

import re

# Pinyin in brackets after a character: letters with at least one tone mark ("(xiàng)", not "(B/A)").
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_RE = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]+[)）]")


def strip_pinyin(text: str) -> str:
    return PINYIN_RE.sub("", text) if "(" in text or "（" in text else text
