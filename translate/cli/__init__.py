"""The `translate` command line: a thin layer over the stage modules.

One module per command group; each command parses, calls a library function and prints.
Exit codes: see translate/errors.py (0 ok, 1 error, 2 usage, 3 partial, 4 busy, 5 conflict, 130 Ctrl-C).
"""

from __future__ import annotations

import sys

import click

from translate import __version__, i18n
from translate.errors import DeskError, ExitCode


def _prescan_ui_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--ui-lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
    return None


def build_cli() -> click.Group:
    """Build the command tree (after the UI language is chosen, so help text is translated)."""
    from translate.cli.context import Desk
    from translate.i18n import _

    def known_ui_lang(ctx: click.Context, param: click.Parameter, value: str | None):
        if value and value.replace("-", "_").split("_")[0] not in i18n.UI_LANGUAGES:
            raise click.BadParameter(
                _("'{value}' is not a language of the tool (one of: {known})").format(
                    value=value, known=", ".join(i18n.UI_LANGUAGES)
                )
            )
        return value

    class PipelineOrder(click.Group):
        """Lists commands in the order they were added: the pipeline's, not the alphabet's."""

        def list_commands(self, ctx: click.Context) -> list[str]:
            return list(self.commands)

    @click.group(
        cls=PipelineOrder,
        help=_("translate: the desk that carries foreign-press stories into English."),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.version_option(__version__, prog_name="translate")
    @click.option(
        "--workflow",
        "workflow_path",
        envvar="TRANSLATE_WORKFLOW",
        metavar="PATH",
        help=_("workflow.yaml to use (default: found from the current folder upward)."),
    )
    @click.option(
        "--user",
        metavar="NAME",
        help=_("Who is acting (default: $TRANSLATE_USER, else the OS user)."),
    )
    @click.option(
        "--ui-lang",
        metavar="LANG",
        callback=known_ui_lang,
        help=_("Language of the tool's messages (en, ru, es)."),
    )
    @click.pass_context
    def cli(ctx: click.Context, workflow_path: str | None, user: str | None, ui_lang: str | None):
        if ui_lang:
            i18n.setup(ui_lang)
        ctx.obj = Desk(workflow_path, user)
        ctx.call_on_close(ctx.obj.close)

    from translate.cli import groups

    for command in groups.commands():
        cli.add_command(command)
    return cli


def run(argv: list[str] | None = None, standalone: bool = True) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.setup(_prescan_ui_lang(argv))
    from translate.i18n import _

    cli = build_cli()
    try:
        result = cli.main(args=argv, prog_name="translate", standalone_mode=False)
        # Without standalone mode click *returns* the code of an `Exit` raised by a command
        # (e.g. ingest's exit 3) instead of raising it; commands themselves return None.
        if isinstance(result, int) and not isinstance(result, bool):
            return result
    except DeskError as exc:
        click.echo(_("translate: error: {message}").format(message=exc.message), err=True)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.ERROR)
    except (KeyboardInterrupt, click.Abort):
        click.echo(
            "\n" + _("translate: interrupted; nothing half-written, run again to continue"),
            err=True,
        )
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    return int(ExitCode.OK)


def main() -> None:
    code = run()
    if code:
        sys.exit(code)
