"""Examples of apps and clients run against the emulator."""
