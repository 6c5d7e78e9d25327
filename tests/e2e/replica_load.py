"""Requests from inside a test host's network namespace (standard library only).

    python replica_load.py load URL --stop-file F [--clients 4] [--max-seconds 120]
                                    [--max-requests 40000] [--query WORD]...
        Searches and /healthz through URL (nginx) from several threads until F exists or
        a bound is reached. Prints `started` once requests succeed, then one JSON line:
        requests sent, non-200 statuses, errors, and per replica (nginx's X-Replica
        header) the requests it answered and the generations its /healthz named.

    python replica_load.py check URL [--query WORD]
        One /healthz and one search on one replica: JSON {generation, total}.

    python replica_load.py status URL
        The HTTP status of one GET: JSON {status}.

Run as `ip netns exec <host> python replica_load.py ...`: the test process itself stays
in the root namespace, where none of the test hosts' addresses exist.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict

TIMEOUT = 10.0


def fetch(url: str) -> tuple[int, dict, str]:
    """(status, JSON body or {}, replica that answered); status 0 for no HTTP answer."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            body = response.read()
            is_json = response.headers.get_content_type() == "application/json"
            data = json.loads(body) if is_json else {}
            return response.status, data, response.headers.get("X-Replica", "")
    except urllib.error.HTTPError as error:
        replica = error.headers.get("X-Replica", "") if error.headers else ""
        error.close()
        return error.code, {}, replica


def load(args: argparse.Namespace) -> dict:
    base = args.url.rstrip("/")
    queries = args.query or ["rash", "cough fever", "knee pain"]
    lock = threading.Lock()
    sent = 0
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    per_replica: dict[str, Counter[str]] = defaultdict(Counter)
    last_generation: dict[str, str] = {}
    started = threading.Event()
    deadline = time.monotonic() + args.max_seconds

    def stop_now() -> bool:
        try:
            open(args.stop_file).close()
            return True
        except FileNotFoundError:
            return sent >= args.max_requests or time.monotonic() > deadline

    def client(number: int) -> None:
        nonlocal sent
        turn = number
        while not stop_now():
            turn += 1
            if turn % 2:
                url = f"{base}/healthz"
            else:
                query = urllib.parse.quote(queries[turn // 2 % len(queries)])
                url = f"{base}/api/search?q={query}&per_page=5"
            try:
                status, body, replica = fetch(url)
            except Exception as error:  # noqa: BLE001 - any failure to get an answer counts
                status, body, replica = 0, {}, ""
                with lock:
                    if len(errors) < 20:
                        errors.append(f"{url}: {error!r}")
            with lock:
                sent += 1
                statuses[status] += 1
                per_replica[replica]["requests"] += 1
                if "generation" in body:
                    per_replica[replica]["healthz " + body["generation"]] += 1
                    last_generation[replica] = body["generation"]
                if statuses[200] >= 20 and not started.is_set():
                    started.set()
                    print("started", flush=True)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "sent": sent,
        "seconds": round(time.monotonic() - began, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors,
        "replicas": {name: dict(counts) for name, counts in per_replica.items()},
        "last_generation": last_generation,
    }


def check(args: argparse.Namespace) -> dict:
    base = args.url.rstrip("/")
    status, health, _ = fetch(f"{base}/healthz")
    result: dict = {"status": status, "generation": health.get("generation")}
    if args.query:
        query = urllib.parse.quote(args.query[0])
        status, body, _ = fetch(f"{base}/api/search?q={query}")
        result.update(search_status=status, total=body.get("total"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["load", "check", "status"])
    parser.add_argument("url")
    parser.add_argument("--stop-file", default="/nonexistent/stop")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--max-requests", type=int, default=40_000)
    parser.add_argument("--query", action="append")
    args = parser.parse_args()
    try:
        if args.mode == "status":
            result = {"status": fetch(args.url)[0]}
        else:
            result = load(args) if args.mode == "load" else check(args)
    except Exception as error:  # noqa: BLE001 - report, never hang the test
        result = {"error": repr(error)}
    print(json.dumps(result), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
