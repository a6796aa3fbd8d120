"""``python -m indexer`` runs the ``corresp`` command."""

from indexer.cli.main import main

main()
