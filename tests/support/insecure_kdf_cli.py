"""Test-only entry point: the real CLI with small Argon2id parameters, so subprocess tests
run in milliseconds. Production code never reaches the switch; only this file flips it."""

import sys

from assister_log.storage import kdf

kdf.enable_insecure_test_parameters()

from assister_log.__main__ import main  # noqa: E402

sys.exit(main())
