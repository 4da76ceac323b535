"""`python -m mlops_hygiene` is the `mlops-hygiene` command."""

from .cli import main

main()
