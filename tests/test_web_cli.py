"""`newsevents serve`, `summary` and the network exports from the command line."""
from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.store import Store

from .webclient import get


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_summary_counts_add_up(web_db):
    res = run("summary", "--db", web_db, "--format", "json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)
    with Store(web_db, read_only=True) as st:
        events = st.events()
    assert s["events"] == len(events)
    assert sum(r["events"] for r in s["by_root"]) == len(events)
    assert {r["quad_class"] for r in s["by_quad_class"]} == {e["quad_class"] for e in events}
    months = {e["date"]["value"][:7] for e in events if e["date"] and len(e["date"]["value"] or "") >= 7}
    assert {m["month"] for m in s["by_month"]} == months
    mean = sum(e["goldstein"] for e in events) / len(events)
    assert s["goldstein_mean"] == pytest.approx(mean, abs=1e-3)
    table = run("summary", "--db", web_db, "--root", "19")
    assert table.exit_code == 0 and "By CAMEO root" in table.output and "FIGHT" in table.output


def test_summary_rejects_a_bad_date(web_db):
    res = CliRunner().invoke(cli, ["summary", "--db", web_db, "--since", "2024-13"])
    assert res.exit_code == 2 and "--since" in res.output


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "edges-csv"])
def test_network_exports_read_back(web_db, tmp_path, fmt):
    import networkx as nx

    out = tmp_path / f"net.{fmt}"
    res = run("export", "--db", web_db, "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.output
    from newsevents.store import views
    from newsevents.store.filters import EventFilters

    with Store(web_db, read_only=True) as st:
        net = views.network(st, EventFilters(), max_nodes=10_000)
    expected = {(e["source"], e["target"]): e for e in net["edges"]}
    if fmt == "edges-csv":
        with open(out, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        got = {(r["source"], r["target"]): int(r["events"]) for r in rows}
    else:
        g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert g.is_directed() and g.number_of_nodes() == len(net["nodes"])
        got = {(a, b): int(d["events"] if fmt == "graphml" else d["weight"]) for a, b, d in g.edges(data=True)}
        a, b = next(iter(expected))
        assert g.edges[a, b]["goldstein_mean"] == pytest.approx(expected[a, b]["goldstein_mean"])
    assert got == {k: e["events"] for k, e in expected.items()}


def test_network_export_refuses_the_store_itself(web_db, tmp_path):
    res = CliRunner().invoke(cli, ["export", "--db", web_db, "--format", "graphml", "--out", web_db])
    assert res.exit_code == 2 and "store itself" in res.output
    res = CliRunner().invoke(cli, ["export", "--db", web_db, "--format", "gexf", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "directory" in res.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_answers_and_stops(web_db):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from newsevents.cli import main; main()", "serve", "--db", web_db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body, _ = get(f"http://127.0.0.1:{port}/api/events?limit=1")
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert status == 200 and body["total"] > 0 and len(body["items"]) == 1
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}/" in out


def test_serve_refuses_a_remote_host_without_the_flag(web_db):
    res = CliRunner().invoke(cli, ["serve", "--db", web_db, "--host", "0.0.0.0"])
    assert res.exit_code != 0 and "--allow-remote" in res.output


def test_serve_needs_an_existing_store(tmp_path):
    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 3 and "no such store" in res.output
