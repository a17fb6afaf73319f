"""Kept so ``python scripts/make_fixtures.py`` still works; the code is in ``scripts/fixtures/``."""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from scripts.fixtures import main

    main()
