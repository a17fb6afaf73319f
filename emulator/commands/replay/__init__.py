"""Parity you can prove: replay recorded traffic against the emulator and report every
difference (``python -m emulator replay``), and turn HAR files and vcrpy cassettes into
recordings (``python -m emulator convert``).

``recording`` is the JSON Lines format and its redaction, ``idmap`` pairs the recording's
ids with the replay's, ``compare`` holds the comparison rules (and the one list of keys
whose presence is data), ``replayer`` sends the requests, ``waivers`` reads the accepted
differences, ``report`` writes Markdown and JUnit XML, ``har`` and ``vcr`` read captures.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m emulator replay``; imported here only when run, as every command is."""
    from emulator.commands.replay.cli import main as replay

    return replay(argv)
