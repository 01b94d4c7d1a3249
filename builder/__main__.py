"""``python -m builder`` runs the ``portal`` command."""

from builder.cli import main

main()
