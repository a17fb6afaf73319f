import emulator


def test_public_names_are_pinned() -> None:
    assert emulator.__all__ == ["Settings", "__version__", "create_app"]
    assert all(hasattr(emulator, name) for name in emulator.__all__)
