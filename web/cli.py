"""The `qasearch` console script.

Each subcommand lives beside the code it drives; this group only names them and imports
a command's module when it is run, so `qasearch parse` never loads Flask.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "parse": "indexer.cli:parse_command",
    "sample-archive": "indexer.sample.generator:sample_archive_command",
    "reindex": "indexer.reindex_cli:reindex_command",
    "stats": "indexer.reindex_cli:stats_command",
    "pull": "indexer.replicate.cli:pull_command",
    "search": "search.cli:search_command",
    "serve": "web.serve:serve_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup)
@click.version_option(package_name="qasearch")
def main() -> None:
    """Search a medical Q&A archive: parse it, index it, search it, serve it."""
