"""``boardsmith completion bash|zsh|fish``: print the shell's completion script.

The shell is always named: guessing it from ``$SHELL`` or the parent process is
wrong inside editors, containers and CI, and a script for the wrong shell fails
in confusing ways when sourced.
"""

from __future__ import annotations

import typer

from boardsmith.cli.app import COMPLETE_VAR, SETUP_PANEL, app
from boardsmith.cli.options import ShellArg

SHELLS = ("bash", "zsh", "fish")


def completion_script(shell: str) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`)."""
    # Typer's own scripts, so they speak the protocol typer answers at run time
    # (see COMPLETE_VAR in app.main).
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name="boardsmith", complete_var=COMPLETE_VAR, shell=shell)


@app.command("completion", rich_help_panel=SETUP_PANEL)
def completion(
    shell: ShellArg,
) -> None:
    """Print the shell completion script for bash, zsh or fish.

    \b
    Examples:
      boardsmith completion bash > ~/.local/share/bash-completion/completions/boardsmith
      echo 'eval "$(boardsmith completion zsh)"' >> ~/.zshrc
      boardsmith completion fish > ~/.config/fish/completions/boardsmith.fish
    """
    from boardsmith.errors import UsageError

    if shell not in SHELLS:
        raise UsageError(f"SHELL {shell}: not supported; use bash, zsh or fish")
    typer.echo(completion_script(shell))
