"""The FTP root: where it is, how a file is written into a user's download folder (whole or
not at all, never over another), and that nothing outside it can be named."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from emulator import Settings
from emulator.acoustic.files import FtpRoot, safe_segment
from tests.store.test_db import usual_umask

USER = "user@example.com"
HEADER = ["Email", "code"]


def test_the_root_is_the_option_else_beside_the_database_else_temporary(tmp_path: Path) -> None:
    assert Settings().acoustic_ftp_root is None
    given = FtpRoot(tmp_path / "ftp", str(tmp_path / "e.db"))
    assert given.directory == tmp_path / "ftp"
    beside = FtpRoot(None, str(tmp_path / "e.db"))
    assert beside.directory == tmp_path / "e.db.acoustic-ftp"
    beside.close()
    assert beside.directory.is_dir()  # a directory the user keeps is never removed
    temporary = FtpRoot(None, ":memory:")
    made = temporary.directory
    assert made.is_dir()
    assert made.name.startswith("eloqua-emulator-acoustic-ftp-")
    temporary.close()
    assert not made.exists()


def test_a_file_is_written_whole_into_the_download_folder(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path, "e.db")
    written = ftp.write(USER, "a_1.csv", "CSV", HEADER, iter([["x@example.com", "emailOpen"]]))
    assert (written.name, written.rows) == ("a_1.csv", 1)
    path = tmp_path / USER / "download" / "a_1.csv"
    assert path.read_bytes() == b"Email,code\r\nx@example.com,emailOpen\r\n"
    assert written.size == path.stat().st_size
    assert [p.name for p in path.parent.iterdir()] == ["a_1.csv"]  # no temporary file left


def test_a_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path, "e.db")
    with usual_umask():
        written = ftp.write(USER, "a_1.csv", "CSV", HEADER, iter([["x@example.com", "emailOpen"]]))
    path = tmp_path / USER / "download" / written.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_taken_name_is_never_overwritten(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path, "e.db")
    names = [ftp.write(USER, "a_1.tsv", "TSV", HEADER, iter([])).name for _ in range(3)]
    assert names == ["a_1.tsv", "a_1-2.tsv", "a_1-3.tsv"]
    assert (tmp_path / USER / "download" / "a_1.tsv").read_bytes() == b"Email\tcode\r\n"


def test_a_failed_write_leaves_nothing_in_the_folder(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path, "e.db")

    def rows():
        yield ["a", "b"]
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        ftp.write(USER, "a_1.csv", "CSV", HEADER, rows())
    assert list((tmp_path / USER / "download").iterdir()) == []


@pytest.mark.parametrize("name", ["", ".", "..", ".hidden", "a/b", "a\\b", "a\x00b", "x" * 256])
def test_names_that_are_not_one_plain_segment_are_refused(tmp_path: Path, name: str) -> None:
    assert not safe_segment(name)
    ftp = FtpRoot(tmp_path / "root", "e.db")
    with pytest.raises(ValueError, match="not an FTP folder name"):
        ftp.folder(name)
    assert ftp.path(name, "a.csv") is None
    assert ftp.path(USER, name) is None


def test_only_files_inside_the_root_are_found(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path / "root", "e.db")
    ftp.write(USER, "a.csv", "CSV", HEADER, iter([]))
    assert ftp.path(USER, "a.csv") == tmp_path / "root" / USER / "download" / "a.csv"
    assert ftp.path(USER, "b.csv") is None
    (tmp_path / "secret.csv").write_text("secret")
    (tmp_path / "root" / USER / "download" / "link.csv").symlink_to(tmp_path / "secret.csv")
    assert ftp.path(USER, "link.csv") is None  # a link out of the root is not followed


def test_emptying_removes_the_files_of_every_download_folder(tmp_path: Path) -> None:
    ftp = FtpRoot(tmp_path, "e.db")
    ftp.write(USER, "a.csv", "CSV", HEADER, iter([]))
    ftp.write("other@example.com", "b.csv", "CSV", HEADER, iter([]))
    (tmp_path / "notes.txt").write_text("kept")  # not in a download folder
    ftp.empty()
    assert list((tmp_path / USER / "download").iterdir()) == []
    assert list((tmp_path / "other@example.com" / "download").iterdir()) == []
    assert (tmp_path / "notes.txt").exists()
