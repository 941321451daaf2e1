"""``python -m interp_kg``: the ``interp-kg`` command line."""

from interp_kg.cli.main import main

if __name__ == "__main__":
    main()
