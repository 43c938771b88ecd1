"""How the entry point decides between the desktop app and a subcommand."""

from __future__ import annotations

import pytest

from assister_log import cli


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--vault", "/media/usb/vault"], (True, "/media/usb/vault")),
        (["list"], (False, None)),
        (["--vault", "V", "list"], (False, "V")),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["--smoke-test"], (False, None)),
    ],
)
def test_wants_gui_only_without_a_subcommand(
    argv: list[str], expected: tuple[bool, str | None]
) -> None:
    assert cli.wants_gui(argv)[0] is expected[0]
    if expected[0]:
        assert cli.wants_gui(argv)[1] == expected[1]


def test_every_subcommand_has_a_handler() -> None:
    from assister_log import cli_commands

    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert set(subparsers.choices) == set(cli_commands.COMMANDS)  # type: ignore[attr-defined]
