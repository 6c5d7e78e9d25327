"""Read replicas on three hosts behind nginx: a reindex on the primary, published to every
replica with `qasearch pull`, while requests keep coming: none fails, all serve it.

The hosts are network namespaces on one machine (netns_hosts.py): the primary serves
its index directory over HTTP with Debian's nginx and the shipped rules
(deploy/replicas/index-locations.conf), each replica runs `qasearch serve` on its own
address, and nginx on a fourth host balances between them, where the requests come
from too. Needs root and iproute2 (skipped elsewhere, failed in
CI, where they are installed by .ci/install-system-deps with nginx).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from background import Processes
from live_server import LiveServer
from netns_hosts import TEST_SUBNET, TestNetwork, netns_problem, remove_leftovers

from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index
from indexer.sample.generator import generate_threads
from search.index.generations import current_generation_name

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
LOAD_CLIENT = HERE / "replica_load.py"
NGINX = "/usr/sbin/nginx"
REPLICAS = ("r1", "r2", "r3")
PRIMARY_PORT, REPLICA_PORT, NGINX_PORT = 8081, 8000, 8080
NEW_WORD = "zyzzogeton"
NEW_THREAD = Thread(
    id="replica-new-thread",
    title=f"Strange {NEW_WORD} rash after hiking",
    specialty="Dermatology",
    question=f"After hiking I have a {NEW_WORD} rash on my ankles.",
    asker=Asker("Ann", "30~39", "female"),
    asked="2024-04-01",
    replies=(Reply("Lee Zhenyu", "Dermatology", "Please see a dermatologist.", "2024-04-02"),),
)

INDEX_LOCATIONS = HERE.parents[1] / "deploy" / "replicas" / "index-locations.conf"

NGINX_CONF = """\
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
{http}
}}
"""

# The load balancer: round robin over the replicas.
BALANCER = """\
    upstream qasearch_replicas {{
{servers}
        keepalive 16;
    }}
    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://qasearch_replicas;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # No retry on another replica: a request a replica fails must be seen.
            proxy_next_upstream off;
            proxy_max_temp_file_size 0;
            add_header X-Replica $upstream_addr always;
        }}
    }}
"""

# The primary: its index directory, for the replicas only, through the shipped rules.
PRIMARY = """\
    server {{
        listen {address}:{port};
        root {index};
        allow {subnet}.0/24;
        deny all;
        include {locations};
    }}
"""


def _unavailable() -> str | None:
    problem = netns_problem()
    if problem is None and not Path(NGINX).is_file():
        problem = f"{NGINX} is missing (apt-get install nginx)"
    return problem


@pytest.fixture
def network() -> Iterator[TestNetwork]:
    problem = _unavailable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the replica test, but {problem}")
        pytest.skip(problem)
    remove_leftovers()
    net = TestNetwork()
    try:
        yield net
    finally:
        net.teardown()


def in_host(net: TestNetwork, role: str, *command: str, timeout: float = 120) -> str:
    done = subprocess.run([*net.run_in(role), *command], capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    assert done.returncode == 0, f"{command} in {role}: {done.stdout}{done.stderr}"
    return done.stdout


def check_replica(net: TestNetwork, address: str) -> dict:
    """/healthz and a search for NEW_WORD at `address` (host[:port]), asked from the lb."""
    if ":" not in address:
        address = f"{address}:{REPLICA_PORT}"
    out = in_host(net, "lb", sys.executable, str(LOAD_CLIENT), "check",
                  f"http://{address}/", "--query", NEW_WORD)  # fmt: skip
    return json.loads(out)


def pull(net: TestNetwork, role: str, primary_url: str, index: Path) -> str:
    return in_host(net, role, sys.executable, "-c", "from web.cli import main; main()",
                   "pull", "--from", primary_url, "--index", str(index))  # fmt: skip


def test_a_reindex_published_to_three_replicas_behind_nginx_fails_no_request(
    network: TestNetwork, tmp_path: Path
) -> None:
    began = time.monotonic()
    net = network
    primary_address = net.add_host("primary", 1)
    lb_address = net.add_host("lb", 2)
    replicas = {role: net.add_host(role, 11 + n) for n, role in enumerate(REPLICAS)}
    primary_index = tmp_path / "primary" / "index"
    primary_url = f"http://{primary_address}:{PRIMARY_PORT}/"
    old_threads = list(generate_threads(300, seed=5))
    build_index(old_threads, primary_index)
    old_generation = current_generation_name(primary_index)

    processes = Processes()
    try:
        primary_nginx = _start_nginx(
            net, processes, "primary", tmp_path / "nginx-primary",
            PRIMARY.format(address=primary_address, port=PRIMARY_PORT, index=primary_index,
                           subnet=TEST_SUBNET, locations=INDEX_LOCATIONS),
            # The index lives in root's private pytest directory, out of nobody's reach.
            user="user root;",
        )  # fmt: skip
        # Provisioning is a pull too (retried while the primary's server starts).
        for role in REPLICAS:
            index = tmp_path / role / "index"
            deadline = time.monotonic() + 30
            while True:
                done = subprocess.run(
                    [*net.run_in(role), sys.executable, "-c", "from web.cli import main; main()",
                     "pull", "--from", primary_url, "--index", str(index)],
                    capture_output=True, text=True, timeout=120,
                )  # fmt: skip
                if done.returncode == 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert done.returncode == 0, done.stdout + done.stderr
            assert current_generation_name(index) == old_generation
        # The primary serves CURRENT and generations' files, nothing else of the directory.
        for path, status in [("CURRENT", 200), (f"{old_generation}/manifest.json", 200),
                             ("reindex.lock", 404), ("", 404), (f"{old_generation}/", 404)]:
            out = in_host(net, "lb", sys.executable, str(LOAD_CLIENT), "status",
                          primary_url + path)
            assert json.loads(out) == {"status": status}, path
        servers = {}
        for role, address in replicas.items():
            servers[role] = processes.add(LiveServer(
                tmp_path / role / "index", workers=2, host=address, port=REPLICA_PORT,
                prefix=net.run_in(role),
            ))  # fmt: skip
        nginx = _start_nginx(
            net, processes, "lb", tmp_path / "nginx-lb",
            BALANCER.format(address=lb_address, port=NGINX_PORT, servers="\n".join(
                f"        server {address}:{REPLICA_PORT};" for address in replicas.values()
            )),
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while check_replica(net, f"{lb_address}:{NGINX_PORT}").get("status") != 200:
            assert time.monotonic() < deadline, processes.output[nginx.pid]
            time.sleep(0.1)
        for address in replicas.values():
            assert check_replica(net, address) == {
                "status": 200, "generation": old_generation, "search_status": 200, "total": 0,
            }

        stop_file = tmp_path / "stop-load"
        load = processes.popen(
            [*net.run_in("lb"), sys.executable, str(LOAD_CLIENT), "load",
             f"http://{lb_address}:{NGINX_PORT}/", "--stop-file", str(stop_file),
             "--clients", "4", "--max-seconds", "240", "--max-requests", "60000",
             "--query", NEW_WORD, "--query", "rash", "--query", "cough fever"],
        )  # fmt: skip
        assert processes.wait_for_line(load, "started", 60), processes.output[load.pid]
        load_started = time.monotonic()
        time.sleep(1.0)  # every replica answers from the old generation first

        # One reindex on the primary, then the publish: each replica pulls in turn.
        build_index([*old_threads, NEW_THREAD], primary_index)
        new_generation = current_generation_name(primary_index)
        assert new_generation != old_generation
        publish_started = time.monotonic()
        reports = {
            role: pull(net, role, primary_url, tmp_path / role / "index") for role in REPLICAS
        }
        published = time.monotonic() - publish_started

        # Every replica, asked directly, serves the new generation and finds the new thread.
        deadline = time.monotonic() + 30
        pending = dict(replicas)
        while pending and time.monotonic() < deadline:
            for role, address in list(pending.items()):
                if check_replica(net, address) == {
                    "status": 200, "generation": new_generation, "search_status": 200,
                    "total": 1,
                }:
                    del pending[role]
            time.sleep(0.2)
        time.sleep(1.5)  # and through nginx for a moment after, every worker included
        stop_file.touch()
        load.wait(60)
        for server in (nginx, primary_nginx):
            assert server.poll() is None, f"nginx died: {processes.output[server.pid]}"
    finally:
        processes.stop_all()
    summary = json.loads(processes.output[load.pid][-1])

    for role in REPLICAS:
        assert f"now serving {new_generation}" in reports[role], reports[role]
        index = tmp_path / role / "index"
        assert current_generation_name(index) == new_generation
        # The replaced generation stays for workers that opened it just before the switch.
        assert (index / old_generation).is_dir()
        assert not list(index.glob("building-*"))
    assert not pending, f"replicas never served {new_generation}: {sorted(pending)}"
    for server in servers.values():
        assert not server.errors_in_log(), "".join(server.log)

    upstreams = {f"{address}:{REPLICA_PORT}" for address in replicas.values()}
    print(
        f"\nreplicas: {summary['sent']} requests through nginx in {summary['seconds']} s, "
        f"statuses {summary['statuses']}, errors {len(summary['errors'])}; publish to "
        f"{len(REPLICAS)} replicas {published:.1f} s; load before the reindex "
        f"{publish_started - load_started:.1f} s; whole test {time.monotonic() - began:.1f} s"
    )
    assert summary["errors"] == [] and summary["statuses"] == {"200": summary["sent"]}, summary
    assert set(summary["replicas"]) == upstreams, summary["replicas"]  # nginx used them all
    # Each replica answered through nginx before and after its switch.
    for upstream in upstreams:
        counts = summary["replicas"][upstream]
        assert counts.get(f"healthz {old_generation}", 0) > 0, counts
        assert counts.get(f"healthz {new_generation}", 0) > 0, counts
        assert summary["last_generation"][upstream] == new_generation


def _start_nginx(
    net: TestNetwork, processes: Processes, role: str, prefix: Path, http: str, user: str = ""
) -> subprocess.Popen:
    """Debian's nginx in the foreground inside host `role`, with a config of its own."""
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, http=http))
    command = [*net.run_in(role), NGINX, "-p", str(prefix), "-c", str(conf), "-e", "stderr"]
    tested = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert tested.returncode == 0, tested.stderr
    return processes.popen([*command, "-g", "daemon off;"])
