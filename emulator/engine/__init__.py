"""The sync engine: pure life-cycle and progression rules, the runner and the worker."""
