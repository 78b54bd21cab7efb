"""Frozen Structs compared by what they say, not by where they were read.

A table read back from another format must equal the original, so provenance (file, line) takes no
part in equality or hashing: a subclass names its compared fields in ``_key``.
"""

from __future__ import annotations

import msgspec


class KeyedStruct(msgspec.Struct, frozen=True, gc=False):
    """Equality and hashing by ``_key()`` (subclasses return their compared fields as a tuple)."""

    def _key(self) -> tuple[object, ...]:
        return ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._key())
