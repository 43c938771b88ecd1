"""Passphrase rules (NIST SP 800-63B-4, single factor): at least 15 characters, long ones
allowed, any Unicode, no composition rules, refused if common or trivially guessable (the
common-password list, repeats and runs, then zxcvbn's guessability score).
Everything is compared and stretched in NFKC form so the same passphrase typed on another
keyboard or input method still opens the vault; nothing is ever truncated."""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass

from assister_log.errors import BadInput, KnownError
from assister_log.paths import resource

MIN_LENGTH = 15
MAX_LENGTH = 1024
MAX_PATTERN_UNIT = 4

_ADVICE = "choose another, such as a few unrelated words."
MSG_COMMON = f"The passphrase is on a list of commonly used passwords; {_ADVICE}"
MSG_REPEATED = f"The passphrase is a short pattern repeated; {_ADVICE}"
MSG_COMMON_REPEATED = f"The passphrase is a common password repeated; {_ADVICE}"
MSG_SEQUENCE = f"The passphrase is a run of consecutive letters or digits; {_ADVICE}"
MSG_UNENCODABLE = "The passphrase contains broken characters that cannot be stored; retype it."
MSG_GUESSABLE = (
    "The passphrase is easy to guess (a common word, name or pattern with digits or "
    f"symbols added); {_ADVICE}"
)

# zxcvbn (a maintained guessability estimator, Dropbox's) scores after the blocklist: a
# score below 4 means fewer than 10^10 guesses. These words count as known to an attacker
# who knows the user is an assister (they cost zxcvbn's estimate nothing to guess).
MIN_ZXCVBN_SCORE = 4
ZXCVBN_MAX_INPUT = 72  # zxcvbn 4.5 refuses longer input; its first 72 characters are scored
USER_INPUTS = (
    "mnsure",
    "minnesota",
    "navigator",
    "assister",
    "broker",
    "assister log",
    "assisterlog",
    "certified application counselor",
    "cac",
    "healthcare",
    "insurance",
)


def normalize(p: str) -> str:
    """NFKC form: full-width, composed and decomposed spellings become one string."""
    return unicodedata.normalize("NFKC", p)


def to_secret_bytes(p: str) -> bytes:
    """The KDF input: UTF-8 of the NFKC form (no policy check, so old passphrases still open)."""
    try:
        return normalize(p).encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(MSG_UNENCODABLE) from None


@functools.cache
def blocklist() -> frozenset[str]:
    """The common-password list, read once on first use."""
    try:
        text = resource("passwords", "common-passwords.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise KnownError(
            "The program's password list cannot be read: reinstall Assister Log."
        ) from None
    return frozenset(line for line in text.splitlines() if line)


def _strip_separators(s: str) -> str:
    """Drop whitespace, punctuation and control characters ("pass word!" -> "password")."""
    return "".join(c for c in s if unicodedata.category(c)[0] not in "PZC")


def _repeated_unit(s: str) -> str | None:
    """The shortest unit that ``s`` is two or more copies of, or None."""
    n = len(s)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and s[:size] * (n // size) == s:
            return s[:size]
    return None


def _is_run(s: str) -> bool:
    """True for a run of consecutive ASCII digits or letters, up or down, wrapping."""
    if len(s) < 3:
        return False
    if s.isascii() and s.isdigit():
        base = 10
        values = [ord(c) - ord("0") for c in s]
    elif s.isascii() and s.isalpha():
        base = 26
        values = [ord(c) - ord("a") for c in s]
    else:
        return False
    steps = {(b - a) % base for a, b in itertools.pairwise(values)}
    return steps in ({1}, {base - 1})


def _guessability_problem(normalized: str, *, score: bool = True) -> str | None:
    lowered = normalized.lower()
    stripped = _strip_separators(lowered)
    words = blocklist()
    if lowered in words or stripped in words:
        return MSG_COMMON
    for candidate in (lowered, stripped):
        if not candidate:
            continue
        unit = _repeated_unit(candidate)
        if unit is not None and len(unit) <= MAX_PATTERN_UNIT:
            return MSG_REPEATED
        if unit is not None and unit in words:
            return MSG_COMMON_REPEATED
    if _is_run(stripped):
        return MSG_SEQUENCE
    if score and _zxcvbn_score(normalized[:ZXCVBN_MAX_INPUT]) < MIN_ZXCVBN_SCORE:
        return MSG_GUESSABLE
    return None


@functools.lru_cache(maxsize=256)
def _zxcvbn_score(prefix: str) -> int:
    """zxcvbn's 0-4 score of the first ZXCVBN_MAX_INPUT characters (cached: the GUI asks
    again at every keystroke, and past 72 characters the prefix no longer changes)."""
    try:
        from zxcvbn import zxcvbn  # loaded on first use (about 80 ms): not at every start
    except (ImportError, OSError):
        raise KnownError(
            "The program's passphrase checker (zxcvbn) cannot be loaded: reinstall Assister Log."
        ) from None
    return int(zxcvbn(prefix, user_inputs=list(USER_INPUTS))["score"])


@dataclass(frozen=True)
class PassphraseCheck:
    """What is wrong with a candidate passphrase; cheap enough to recompute per keystroke."""

    length: int
    too_short: bool
    too_long: bool
    on_blocklist: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _length_message(n: int) -> str:
    if n == 0:
        return (
            f"The passphrase is empty; use at least {MIN_LENGTH} characters "
            "(a few words make it easy to remember)."
        )
    noun = "character" if n == 1 else "characters"
    return (
        f"The passphrase has {n} {noun}; use at least {MIN_LENGTH} "
        "(a few words make it easy to remember)."
    )


def check_passphrase(p: str) -> PassphraseCheck:
    """Judge a new passphrase (length counted in NFKC code points) against the policy."""
    normalized = normalize(p)
    length = len(normalized)
    problems: list[str] = []
    too_short = length < MIN_LENGTH
    too_long = length > MAX_LENGTH
    if too_short:
        problems.append(_length_message(length))
    if too_long:
        problems.append(f"The passphrase has {length} characters; use at most {MAX_LENGTH}.")
    # zxcvbn only once the length is right: the length message comes first, and scoring
    # every keystroke of a short prefix would be wasted work.
    guess_problem = None if too_long else _guessability_problem(normalized, score=not too_short)
    if guess_problem is not None:
        problems.append(guess_problem)
    try:
        normalized.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(MSG_UNENCODABLE)
    return PassphraseCheck(
        length=length,
        too_short=too_short,
        too_long=too_long,
        on_blocklist=guess_problem is not None,
        problems=tuple(problems),
    )


def require_acceptable(p: str) -> str:
    """The normalized passphrase, or BadInput naming the first thing to fix."""
    result = check_passphrase(p)
    if not result.ok:
        raise BadInput(result.problems[0])
    return normalize(p)
