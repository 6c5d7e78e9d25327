"""`qasearch pull`: a thin click wrapper over indexer.replicate.pull."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.build.lock import ReindexLockedError
from indexer.build.manifest import ManifestError
from indexer.replicate.pull import PullError, pull_generation
from indexer.replicate.sources import SourceError, open_source


class PullFailed(click.ClickException):
    """A failed pull: exit status 1, message only (no traceback)."""

    exit_code = 1


@click.command("pull")
@click.option(
    "--from", "source", required=True, metavar="URL|DIR",
    help="The primary's index directory: an http(s):// URL it is served at, or a path "
         "(a mount, or a mirror kept by rsync).",
)
@click.option(
    "--index", "index_dir", required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="This host's index directory (the one `qasearch serve --index` reads).",
)
@click.option(
    "--generation", default=None, metavar="NAME",
    help="Pull this generation (gen-<stamp>) instead of the one the primary's CURRENT names.",
)
def pull_command(source: str, index_dir: Path, generation: str | None) -> None:
    """Copy the primary's live generation here, verify it, and switch to it.

    Every file is checked against the generation's manifest (size and SHA-256) before
    CURRENT is switched atomically; servers on this host move to it at their next
    request. Exits 0 when this host serves that generation (also when it already did),
    1 with the reason otherwise, leaving the live generation here untouched.
    """
    try:
        result = pull_generation(open_source(source), index_dir, generation=generation)
    except (SourceError, ManifestError, PullError, ReindexLockedError) as error:
        raise PullFailed(str(error)) from None
    except OSError as error:
        raise PullFailed(
            f"{error}; the live generation is unchanged (check free space and permissions, "
            "then run the pull again)"
        ) from None
    except KeyboardInterrupt:
        raise PullFailed("interrupted; the live generation is unchanged") from None
    click.echo(result.describe())
