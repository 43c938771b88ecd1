"""Recovery keys: printable, and accepted however a person types them back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assister_log.errors import BadInput
from assister_log.recovery_key import (
    ALPHABET,
    generate_recovery_key,
    looks_like_recovery_key,
    normalize_recovery_key,
    to_secret_bytes,
)

CANONICAL = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}")
KEY = "7K3Q-M9XD-0AB1-ZZ4T-HJKM-NPQR-STVW-XY25"


def test_generated_key_is_eight_groups_of_four_crockford_characters() -> None:
    key = generate_recovery_key()
    assert CANONICAL.fullmatch(key), key
    assert normalize_recovery_key(key) == key


def test_generated_keys_are_random_in_every_position() -> None:
    keys = [generate_recovery_key() for _ in range(300)]
    assert len(set(keys)) == 300
    for position in range(0, 39, 5):  # first character of each group
        assert len({k[position] for k in keys}) > 10


@pytest.mark.parametrize(
    "typed",
    [
        KEY.lower(),
        KEY.replace("-", ""),
        KEY.replace("-", " "),
        "  " + KEY.replace("-", "  ").lower() + "\n",
        KEY.replace("-", "–"),  # en dash from a word processor
        KEY.replace("0", "O").replace("1", "I"),
        KEY.replace("1", "l"),
        "７Ｋ３Ｑ" + KEY[4:],  # full-width input method
    ],
)
def test_typed_variants_normalize_to_the_printed_key(typed: str) -> None:
    assert normalize_recovery_key(typed) == KEY
    assert looks_like_recovery_key(typed)
    assert to_secret_bytes(typed) == KEY.encode("ascii")


@pytest.mark.parametrize(
    "typed",
    [
        "",
        KEY[:-1],  # 31 characters
        KEY + "A",  # 33 characters
        KEY[:-1] + "U",  # U is not in Crockford's alphabet
        KEY[:-1] + "é",
        "correct horse battery staple and more words",
    ],
)
def test_non_keys_are_rejected(typed: str) -> None:
    assert normalize_recovery_key(typed) is None
    assert not looks_like_recovery_key(typed)
    with pytest.raises(BadInput, match="not a recovery key"):
        to_secret_bytes(typed)


def test_rejection_message_does_not_echo_the_input() -> None:
    with pytest.raises(BadInput) as info:
        to_secret_bytes("my secret passphrase")
    assert "secret" not in str(info.value)


@given(
    chars=st.lists(st.sampled_from(ALPHABET), min_size=32, max_size=32),
    lower=st.lists(st.booleans(), min_size=32, max_size=32),
    seps=st.lists(st.sampled_from(["", "", "-", " ", "  "]), min_size=32, max_size=32),
)
def test_normalize_round_trips_any_key_however_typed(
    chars: list[str], lower: list[bool], seps: list[str]
) -> None:
    canonical = "-".join("".join(chars[i : i + 4]) for i in range(0, 32, 4))
    typed = "".join(
        (c.lower() if lo else c) + sep for c, lo, sep in zip(chars, lower, seps, strict=True)
    )
    assert normalize_recovery_key(typed) == canonical
    assert normalize_recovery_key(canonical) == canonical


@given(st.text(max_size=60))
def test_normalize_is_canonical_or_none_for_any_text(text: str) -> None:
    result = normalize_recovery_key(text)
    if result is not None:
        assert CANONICAL.fullmatch(result)
        assert normalize_recovery_key(result) == result
