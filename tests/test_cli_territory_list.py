"""`pilotage territory list`: the national row has no département, no `nan` anywhere."""

from __future__ import annotations


def _lines(cli) -> dict[str, str]:
    code, out, _ = cli("territory", "list")
    assert code == 0
    return {line.split()[0]: line for line in out.splitlines()}


def test_the_national_row_says_national_not_nan(cli):
    cli("territory", "add", "35-REDON", "--name", "Pays de Redon", "--departement", "35")
    lines = _lines(cli)
    # FR is created with the first territory (its parent), with no département nor start.
    national = lines["FR"]
    assert "nan" not in national.lower() and "NaT" not in national
    assert "dép. national " in national and "début -" in national
    assert national.rstrip().endswith("parent -")
    # A département row keeps its own code and its parent.
    redon = lines["35-REDON"]
    assert "dép. 35 " in redon and redon.rstrip().endswith("parent FR")
