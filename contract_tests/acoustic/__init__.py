"""The contract suite's Acoustic Campaign part: BEX job definitions and OAuth, against the
emulator (default) or a real pod (``--acoustic-base-url`` and a refresh token)."""
