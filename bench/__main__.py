"""Entry point: `python -m bench` (run from the repository root)."""

from bench.run import main

main(prog_name="python -m bench")
