"""hubgen: a searchable knowledge hub for data-science teams, built from their repository."""

__version__ = "0.1.0"
