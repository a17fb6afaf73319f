"""Acoustic Campaign's Bulk Event Export (BEX): the emulator's second service.

A separate service with its own error shape, spec (``openapi/acoustic-bulk-event-export.yaml``)
and seed (``fixtures/acoustic/``), mounted beside the Eloqua surface (moto's
one-folder-per-service rule). Inside, the layers are those of the whole emulator:
``routes`` (Starlette, thin) above the rules (``domain``, ``oauth``, ``seed``) above
``store`` (all its SQL) above the pure ``core`` and ``errors``. Beside ``routes``,
``control`` serves the control plane's ``/_emulator/acoustic/…``; beside the rules,
``events`` (the e-mail events to export), ``files`` (the FTP root) and ``rotation`` (what
writes the export files, on the emulator's clock).
"""
