"""Commands of ``python -m emulator`` besides serving: each module has ``main(argv) -> int``."""
