"""The organisation hand-off (docs/organisation.md), both sides.

Navigator: ``join`` an organisation with the signed profile it hands out; every chain entry
(finalize, addendum, purge) is then queued; ``send`` seals each into an envelope (the
record's evidence bundle and the author's chain head, signed, age-encrypted to the
organisation), puts it on the destination, and fetches and verifies the organisation's
receipts. Organisation: ``create_organisation`` makes the organisation's own vault (its age
identity and receipt key inside it); ``import_envelopes`` decrypts, verifies signatures and
each author's chain continuity, stores each envelope in one transaction and writes a signed
receipt back; ``report`` counts.

The destination never sees a name: envelopes are encrypted before they leave the vault and
named by key fingerprint, chain position and entry hash.

One name space over ``org_shared``, ``org_send`` (navigator) and ``org_receive``
(organisation), for the CLI and the GUI.
"""

from __future__ import annotations

from assister_log.services.org_receive import (
    ImportReport,
    OrgReport,
    create_organisation,
    export_received,
    import_envelopes,
    import_from_destination,
    inbox_records,
    received_incident,
    report,
)
from assister_log.services.org_send import (
    Joined,
    QueueState,
    Received,
    SendReport,
    build_envelope,
    delivery_states,
    due,
    join,
    joined_of,
    own_fingerprint,
    queue_state,
    received,
    require_joined,
    send,
)
from assister_log.services.org_shared import (
    FIRST_RETRY,
    JOINED_SETTING,
    LONGEST_RETRY,
    MAX_PROFILE_BYTES,
    ORG_SETTING,
    Organisation,
    describe_destination,
    destination_from_options,
    organisation_of,
    profile_bytes,
    profile_of,
    read_ca_file,
    read_profile_file,
    require_organisation,
    retry_delay,
    transport_for,
    write_file,
)
from assister_log.transport import Refused, Unreachable

__all__ = [
    "FIRST_RETRY",
    "JOINED_SETTING",
    "LONGEST_RETRY",
    "MAX_PROFILE_BYTES",
    "ORG_SETTING",
    "ImportReport",
    "Joined",
    "OrgReport",
    "Organisation",
    "QueueState",
    "Received",
    "Refused",
    "SendReport",
    "Unreachable",
    "build_envelope",
    "create_organisation",
    "delivery_states",
    "describe_destination",
    "destination_from_options",
    "due",
    "export_received",
    "import_envelopes",
    "import_from_destination",
    "inbox_records",
    "join",
    "joined_of",
    "organisation_of",
    "own_fingerprint",
    "profile_bytes",
    "profile_of",
    "queue_state",
    "read_ca_file",
    "read_profile_file",
    "received",
    "received_incident",
    "report",
    "require_joined",
    "require_organisation",
    "retry_delay",
    "send",
    "transport_for",
    "write_file",
]
