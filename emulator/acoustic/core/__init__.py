"""The Acoustic service's pure core: its constants, messages, the job-definition rules,
the token lifetime, the shape of an e-mail event and of an export file. Standard library
only; no I/O."""
