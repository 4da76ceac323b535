"""tools/generated.py: the write-or-check tail every generator of tools/ shares."""

from tools.generated import write_or_check


def test_check_names_each_stale_file_and_writes_nothing(tmp_path, capsys):
    current, stale, missing = tmp_path / "current", tmp_path / "stale", tmp_path / "missing"
    current.write_text("same\n")
    stale.write_text("old\n")
    wanted = {current: "same\n", stale: "new\n", missing: "new\n"}
    assert write_or_check(wanted, ["--check"], "python tools/x.py") == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{stale} is out of date: run python tools/x.py",
        f"{missing} is out of date: run python tools/x.py",
    ]
    assert stale.read_text() == "old\n"
    assert not missing.exists()


def test_writing_touches_only_stale_files_then_check_passes(tmp_path, capsys):
    current, stale = tmp_path / "current", tmp_path / "stale"
    current.write_text("same\n")
    stale.write_text("old\n")
    before = current.stat().st_mtime_ns
    wanted = {current: "same\n", stale: "new\n"}
    assert write_or_check(wanted, [], "python tools/x.py") == 0
    assert capsys.readouterr().out == f"{stale} written\n"
    assert stale.read_text() == "new\n"
    assert current.stat().st_mtime_ns == before
    assert write_or_check(wanted, ["--check"], "python tools/x.py") == 0
    assert capsys.readouterr().out == ""
