"""The HTTP connection itself, below the app: deadlines, head limits, and Eloqua's error
shape for what the server answers on its own (:mod:`emulator.wire.protocols`)."""
