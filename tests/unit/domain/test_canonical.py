"""Seals hash RFC 8785 canonical JSON. Records are hashed the fast way
(``canonical_record_bytes``); these tests hold it to the rfc8785 library's bytes."""

from __future__ import annotations

import json
from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from assister_log.domain.serialization import canonical_bytes, canonical_record_bytes
from tests.conftest import EXAMPLES

SCRIPTS = 'aé\u1ec7Жبم\u1200မ\u1031\u103aក\u17d2\u0ea5中한\t\n"\\\x7f\u2028\U0001f92c\u200f'
TEXT = st.text(alphabet=st.sampled_from(SCRIPTS) | st.characters(blacklist_categories=("Cs", "Cc")))


def _with_texts(value: Any, texts: list[str]) -> Any:
    """The example record's shape with its strings replaced."""
    if isinstance(value, str):
        return texts.pop() if texts else value
    if isinstance(value, list):
        return [_with_texts(v, texts) for v in value]
    if isinstance(value, dict):
        return {k: _with_texts(v, texts) for k, v in value.items()}
    return value


def test_every_example_record_hashes_the_same_bytes_as_rfc8785() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_bytes())
        assert canonical_record_bytes(data) == bytes(rfc8785.dumps(data)) == canonical_bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=60), st.integers(-(2**53) + 1, 2**53 - 1), st.booleans())
def test_records_in_every_script_hash_the_same_bytes_as_rfc8785(
    texts: list[str], number: int, flag: bool
) -> None:
    data = json.loads((EXAMPLES / "inappropriate-interaction.json").read_bytes())
    record = _with_texts(data, list(texts))
    record["n"], record["b"], record["z"] = number, flag, None
    assert canonical_record_bytes(record) == bytes(rfc8785.dumps(record))
