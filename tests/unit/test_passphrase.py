"""Passphrase policy (NIST SP 800-63B-4): length in NFKC characters, any script, no
composition rules, common and trivially guessable passphrases refused."""

from __future__ import annotations

import random
import time

import pytest

from assister_log import passphrase
from assister_log.errors import BadInput
from assister_log.passphrase import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_passphrase,
    normalize,
    require_acceptable,
    to_secret_bytes,
)
from assister_log.paths import resource

GOOD = "violet tram key"  # exactly 15 characters


def _unpatterned(length: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(length))


def test_limits_are_the_nist_ones() -> None:
    assert (MIN_LENGTH, MAX_LENGTH) == (15, 1024)


def test_fifteen_characters_pass_fourteen_do_not() -> None:
    assert len(GOOD) == 15
    assert check_passphrase(GOOD).ok
    assert require_acceptable(GOOD) == GOOD
    short = check_passphrase(GOOD[:-1])
    assert not short.ok
    assert short.too_short and short.length == 14
    assert short.problems[0] == (
        "The passphrase has 14 characters; use at least 15 (a few words make it easy to remember)."
    )
    with pytest.raises(BadInput, match="has 14 characters; use at least 15"):
        require_acceptable(GOOD[:-1])


def test_empty_and_one_character_messages_read_naturally() -> None:
    assert check_passphrase("").problems[0].startswith("The passphrase is empty;")
    assert "has 1 character;" in check_passphrase("x").problems[0]


def test_no_composition_rules() -> None:
    """Lower-case letters and spaces only is fine: length, not symbols, makes it strong."""
    assert check_passphrase("purple otters juggle quietly").ok


def test_full_width_letters_count_and_open_like_ascii() -> None:
    full_width = "ｖｉｏｌｅｔ\u3000ｔｒａｍ\u3000ｋｅｙ"
    assert normalize(full_width) == GOOD
    assert check_passphrase(full_width).ok
    assert to_secret_bytes(full_width) == to_secret_bytes(GOOD) == GOOD.encode()


def test_combining_accents_are_one_character_and_match_precomposed() -> None:
    decomposed = "cafe\u0301 au lait ok"  # 16 code points typed, 15 characters after NFKC
    precomposed = "café au lait ok"
    assert len(decomposed) == 16
    result = check_passphrase(decomposed)
    assert result.length == 15 and result.ok
    assert to_secret_bytes(decomposed) == to_secret_bytes(precomposed)
    almost = "cafe\u0301 au lait o"  # 15 code points but only 14 characters
    assert check_passphrase(almost).too_short


def test_ligature_expands_before_counting() -> None:
    assert check_passphrase("\ufb01ve owls on a log").length == len("five owls on a log")


def test_long_passphrases_are_accepted_up_to_1024_and_never_truncated() -> None:
    longest = _unpatterned(MAX_LENGTH)
    assert check_passphrase(longest).ok
    other = longest[:-1] + ("b" if longest[-1] != "b" else "c")
    assert to_secret_bytes(other) != to_secret_bytes(longest)
    too_long = check_passphrase(_unpatterned(MAX_LENGTH + 1))
    assert too_long.too_long and not too_long.ok
    assert too_long.problems == ("The passphrase has 1025 characters; use at most 1024.",)


@pytest.mark.parametrize(
    "text",
    [
        "🐢🌵🎻🚲🍋🦉🧲🪁🎈🦔🌶🪴🧊🛶🪐",
        "القطط تحب النوم كثيرا",
        "кошки любят спать днём",
        "猫は昼間にたくさん寝るのが好きです",
        "violet🐢tram🌵key🎻",
    ],
)
def test_any_script_or_emoji_is_accepted(text: str) -> None:
    result = check_passphrase(text)
    assert result.ok, result.problems
    assert to_secret_bytes(text) == normalize(text).encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "1qaz2wsx3edc4rfv",
        "q1w2e3r4t5y6u7i8",
        "PasswordStandard",  # compared lower-cased
        "Password Standard!",  # spaces and punctuation ignored
        "1qaz-2wsx-3edc-4rfv",
        "ｐａｓｓｗｏｒｄｓｔａｎｄａｒｄ",  # full-width spelling of a listed password
    ],
)
def test_common_passwords_are_refused(text: str) -> None:
    result = check_passphrase(text)
    assert result.on_blocklist and not result.ok
    assert result.problems == (passphrase.MSG_COMMON,)
    with pytest.raises(BadInput, match="commonly used passwords"):
        require_acceptable(text)


def test_short_common_password_reports_length_first_and_the_list_too() -> None:
    result = check_passphrase("password")
    assert result.too_short and result.on_blocklist
    assert result.problems[0].startswith("The passphrase has 8 characters")
    assert passphrase.MSG_COMMON in result.problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("aaaaaaaaaaaaaaa", passphrase.MSG_REPEATED),
        ("               ", passphrase.MSG_REPEATED),
        ("abcabcabcabcabc", passphrase.MSG_REPEATED),
        ("abcd abcd abcd abcd", passphrase.MSG_REPEATED),
        ("XyZ1XyZ1XyZ1XyZ1", passphrase.MSG_REPEATED),
        ("🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢", passphrase.MSG_REPEATED),
        ("passwordpassword", passphrase.MSG_COMMON_REPEATED),
        ("monkey monkey monkey", passphrase.MSG_COMMON_REPEATED),
        ("135791357913579", passphrase.MSG_COMMON_REPEATED),
        ("123456789012345", passphrase.MSG_SEQUENCE),
        ("987654321098765", passphrase.MSG_SEQUENCE),
        ("abcdefghijklmnop", passphrase.MSG_SEQUENCE),
        ("ZYXWVUTSRQPONML", passphrase.MSG_SEQUENCE),
        ("1234 5678 9012 345", passphrase.MSG_SEQUENCE),
    ],
)
def test_trivial_patterns_are_refused(text: str, message: str) -> None:
    result = check_passphrase(text)
    assert not result.ok and result.on_blocklist
    assert result.problems == (message,)


@pytest.mark.parametrize(
    "text",
    [
        "abcde abcde abcde",  # 5-character unit, not a listed password: allowed
        "monkey tree monkey tree",
        "246813579024681",  # steps of 2 are not a run
        "abcdefghijklmnoq",  # breaks the run at the end
    ],
)
def test_near_misses_are_accepted(text: str) -> None:
    """Not refused by the pattern rules; zxcvbn (issue 14) may still find them guessable."""
    assert check_passphrase(text).problems in ((), (passphrase.MSG_GUESSABLE,))
    if text == "monkey tree monkey tree":
        assert check_passphrase(text).ok


@pytest.mark.parametrize("text", ["hunter2", "Password Standard!", "aaaaaaaaaaaaaaa", "x" * 2000])
def test_messages_never_contain_the_passphrase(text: str) -> None:
    for problem in check_passphrase(text).problems:
        assert text not in problem
        assert text.lower() not in problem.lower()


def test_broken_unicode_is_refused_not_crashed() -> None:
    text = GOOD + "\ud800"
    assert not check_passphrase(text).ok
    with pytest.raises(BadInput, match="broken characters"):
        require_acceptable(text)
    with pytest.raises(BadInput, match="broken characters"):
        to_secret_bytes(text)


def test_require_acceptable_returns_the_normalized_form() -> None:
    assert require_acceptable("ｖｉｏｌｅｔ ｔｒａｍ ｋｅｙ") == GOOD


def test_blocklist_resource_is_large_lowercase_and_deduplicated() -> None:
    path = resource("passwords", "common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 10_000
    assert len(set(lines)) == len(lines)
    assert all(line and line == line.lower() for line in lines)
    assert passphrase.blocklist() == frozenset(lines)


def test_fast_enough_for_every_keystroke() -> None:
    passphrase.blocklist()  # loaded once; later checks reuse it
    text = _unpatterned(300)
    start = time.perf_counter()
    for end in range(1, 301):
        check_passphrase(text[:end])
    assert time.perf_counter() - start < 1.0
