"""The command-line interface: the only layer that prints, shows progress or exits."""
