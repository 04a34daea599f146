"""The `viewfinder` command: run the product, operate it, and look inside it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from viewfinder.kit.errors import AppError
from viewfinder.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from viewfinder.kit.resources import Resources

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Viewfinder: run and operate the suite.")
mail_app = typer.Typer(no_args_is_help=True, help="The mail outbox.")
app.add_typer(mail_app, name="mail")
user_app = typer.Typer(no_args_is_help=True, help="People with an account.")
app.add_typer(user_app, name="user")
audit_app = typer.Typer(no_args_is_help=True, help="The audit log.")
app.add_typer(audit_app, name="audit")
network_app = typer.Typer(no_args_is_help=True, help="The Sandbox network.")
app.add_typer(network_app, name="network")
graph_app = typer.Typer(no_args_is_help=True, help="Apps of the network's Graph API.")
network_app.add_typer(graph_app, name="app")
faults_app = typer.Typer(no_args_is_help=True, help="Faults on demand in the network's Graph API.")
network_app.add_typer(faults_app, name="faults")
console = Console()

SECRET_FIELDS = {"smtp_url", "sentry_dsn", "secret_key", "jwt_private_key", "s3_access_key_id", "s3_secret_access_key"}
URL_FIELDS = {"database_url", "broker_url", "redis_url", "storage_url"}


def _settings() -> Settings:
    settings = get_settings()
    from viewfinder.kit.logging import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    return settings


@app.command()
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as package_version

    console.print(package_version("viewfinder"))


@app.command()
def config(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Print the effective settings, secrets masked."""
    effective = effective_settings(get_settings())
    if as_json:
        print(json.dumps(effective, indent=2))
        return
    table = Table("setting", "value")
    for name, value in effective.items():
        table.add_row(name.upper(), "" if value is None else str(value))
    console.print(table)


def effective_settings(settings: Settings) -> dict[str, Any]:
    from viewfinder.kit.logging import mask_url_password

    values: dict[str, Any] = settings.model_dump(mode="json")
    values["database_url"] = settings.database_url or settings.sqlalchemy_url
    values["broker_url"] = settings.celery_broker_url
    values["storage_url"] = settings.effective_storage_url
    values["data_dir"] = str(settings.resolved_data_dir)
    for name in SECRET_FIELDS:
        if values.get(name) is not None:
            values[name] = "***"
    for name in URL_FIELDS:
        if values.get(name):
            values[name] = mask_url_password(values[name])
    return dict(sorted(values.items()))


@app.command()
def openapi() -> None:
    """Print the API's OpenAPI document (the web app's client is generated from it)."""
    from viewfinder.app import create_app

    print(json.dumps(create_app(get_settings()).openapi(), indent=2, sort_keys=True))


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    settings = _settings()
    _migrate(settings)


def _migrate(settings: Settings) -> None:
    from viewfinder.kit.migrations import upgrade

    settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    console.print("[green]database up to date[/green]", highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes (default WEB_CONCURRENCY)")] = None,
) -> None:
    """Run the web app."""
    from viewfinder.serving import serve as run_server

    settings = _settings()
    processes = workers or settings.web_concurrency
    if processes > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Several processes answer /metrics in turn: each must report the numbers of all of them.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_fresh_metrics_dir(settings, "web"))
    run_server(host or settings.host, port or settings.port, processes)


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Job processes (default WORKER_CONCURRENCY)")] = None,
) -> None:
    """Run a job worker."""
    from viewfinder.worker import configure

    settings = _settings()
    celery = configure(settings)
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency or settings.worker_concurrency}",
            "--loglevel",
            settings.log_level,
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def beat() -> None:
    """Run the scheduler (exactly one per install)."""
    from viewfinder.worker import configure

    settings = _settings()
    celery = configure(settings)
    celery.start(["--quiet", "beat", "--loglevel", settings.log_level])


@app.command()
def up() -> None:
    """Migrate, then run web, worker and beat together, supervised; Ctrl-C or SIGTERM stops them all."""
    from viewfinder.supervisor import Child, Supervisor

    settings = _settings()
    _migrate(settings)
    settings.signing_key  # noqa: B018 - generate the install's secret once, before the children race for it
    env = dict(os.environ)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(_fresh_metrics_dir(settings, "up"))
    command = [sys.executable, "-m", "viewfinder"]
    children = [
        Child("web", [*command, "serve"]),
        Child("worker", [*command, "worker"]),
        Child("beat", [*command, "beat"]),
    ]
    console.print(f"Viewfinder is starting at [bold]http://{settings.host}:{settings.port}[/bold]", highlight=False)
    raise typer.Exit(Supervisor(children, env).run())


def _in_unit_of_work(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed unit of work from a command; jobs it queues go to the broker."""
    import asyncio

    from viewfinder.kit.db import Database
    from viewfinder.worker import configure

    configure(settings)

    async def run() -> T:
        database = Database(settings.sqlalchemy_url, pool_size=1)
        try:
            async with database.unit_of_work() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def _fresh_metrics_dir(settings: Settings, name: str) -> Path:
    """Where processes that share one /metrics write their numbers; emptied, as counters restart at zero."""
    metrics_dir = settings.resolved_data_dir / "metrics" / name
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    return metrics_dir


@mail_app.command("list")
def mail_list(
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show the newest mails of the outbox, with the links in their bodies."""
    from viewfinder.kit import mail

    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        return [
            {
                "id": str(row.id),
                "to": row.to_address,
                "subject": row.subject,
                "status": row.status.value,
                "created_at": row.created_at.isoformat(),
                "links": mail.links_in(row.text_body),
            }
            for row in await mail.list_outbox(session, limit)
        ]

    mails = _in_unit_of_work(_settings(), read)
    if as_json:
        print(json.dumps(mails, indent=2))
        return
    # Plain lines rather than a table: links must stay whole to be copied, whatever the terminal's width.
    for item in mails:
        print(f"{item['created_at'][:19]}  {item['status']:6}  {item['to']}  {item['subject']}")
        for link in item["links"]:
            print(f"    {link}")


@mail_app.command("send-test")
def mail_send_test(to: Annotated[str, typer.Option(help="Address to send the test mail to")]) -> None:
    """Queue a test mail, to check the mail setup (SMTP_URL) end to end."""
    from viewfinder.kit import mail

    settings = _settings()

    async def queue(session: AsyncSession) -> str:
        queued = await mail.queue_mail(
            session, to=to, template=mail.TEST_MESSAGE, context={"base_url": str(settings.base_url)}
        )
        return str(queued.id)

    mail_id = _in_unit_of_work(settings, queue)
    console.print(f"queued test mail {mail_id} to {to}: a worker sends it; `viewfinder mail list` shows its status")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Their email address")],
    password: Annotated[
        str, typer.Option(help="At least 10 characters, not a common one", prompt=True, hide_input=True)
    ],
    name: Annotated[str, typer.Option(help="Their name")] = "",
    workspace: Annotated[str | None, typer.Option(help="Also create a workspace of this name, owned by them")] = None,
) -> None:
    """Create a verified account (and optionally a workspace it owns)."""
    from viewfinder.identity.service import accounts, workspaces

    async def create(session: AsyncSession) -> str:
        user = await accounts.create_account(
            session, email=email, password=password, name=name or email.split("@")[0], verified=True
        )
        if workspace:
            await workspaces.create_workspace(session, user, name=workspace, timezone="UTC", locale="en")
        return user.email

    created = _in_unit_of_work(_settings(), create)
    console.print(f"created {created}" + (f" with the workspace {workspace!r}" if workspace else ""), highlight=False)


@app.command()
def demo() -> None:
    """Create the demo account and workspace, and the network's demo brand, and print how to sign in."""
    from viewfinder.identity.service.demo import set_up_demo
    from viewfinder.network.simulator.demo import set_up_network_demo

    settings = _settings()
    login = _in_unit_of_work(settings, set_up_demo)
    console.print(
        f"Sign in at {settings.base_url} with\n  email:    {login.email}\n  password: {login.password}", highlight=False
    )
    network = _with_resources(settings, lambda resources: set_up_network_demo(resources.db, resources.storage))
    if network.summary is not None:
        console.print(
            f"Simulated a network of {network.summary.people} people over {network.summary.days} days "
            f"({network.summary.posts} posts, {network.summary.likes} likes).",
            highlight=False,
        )
    console.print(
        f"Sign in to the network at {settings.base_url}network as the demo brand with\n"
        f"  username: {network.username}\n  password: {network.password}",
        highlight=False,
    )


def _with_resources(settings: Settings, work: Callable[[Resources], Awaitable[T]]) -> T:
    """Run `work` with the process's resources (database, storage), for work that opens its own transactions."""
    import asyncio

    from viewfinder.kit.resources import Resources
    from viewfinder.worker import configure

    configure(settings)

    async def run() -> T:
        resources = Resources(settings)
        try:
            return await work(resources)
        finally:
            await resources.aclose()

    return asyncio.run(run())


@network_app.command("simulate")
def network_simulate(
    users: Annotated[int, typer.Option(min=0, max=100_000, help="Simulated people to add (0: none)")] = 1_000,
    days: Annotated[int, typer.Option(min=1, max=365, help="Days of life, up to the last midnight (UTC)")] = 30,
    seed: Annotated[int, typer.Option(help="The same seed makes the same people, posts and counts")] = 1,
    live: Annotated[bool, typer.Option("--live", help="Then keep acting, through the network's services")] = False,
    rate: Annotated[float, typer.Option(min=0.01, max=1_000, help="Live actions per second")] = 1.0,
    duration: Annotated[float | None, typer.Option(min=0, help="Stop acting live after this many seconds")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary instead of progress")] = False,
) -> None:
    """Fill the network with simulated people and their life: follows, posts, likes, comments, mentions."""
    from viewfinder.network.simulator.live import Action, LiveSummary, run_live
    from viewfinder.network.simulator.simulation import simulate

    if not users and not live:
        raise typer.BadParameter("nothing to do: add people (--users N) or act live (--live)", param_hint="--users")
    settings = _settings()
    report: dict[str, Any] = {}
    if users:
        summary = _with_resources(
            settings,
            lambda resources: simulate(resources.db, resources.storage, users=users, days=days, seed=seed),
        )
        report = summary.as_dict()
        if not as_json:
            console.print(
                f"Simulated {summary.people} people over {summary.days} days in {summary.seconds:.1f} s: "
                f"{summary.follows} follows, {summary.posts} posts, {summary.likes} likes, "
                f"{summary.comments + summary.replies} comments, {summary.user_tags} tags, "
                f"{summary.messages} messages, {summary.notifications} notifications.\n"
                f"Sign in as any of them (e.g. {', '.join(summary.usernames_sample[:3])}) "
                f"with the password: {summary.password}",
                highlight=False,
            )
    if live:

        def show(action: Action) -> None:
            if not as_json:
                print(action.line(), flush=True)

        outcome = LiveSummary()
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the run; what was done is still reported
            _with_resources(
                settings,
                lambda resources: run_live(
                    resources.db,
                    resources.storage,
                    rate=rate,
                    duration=duration,
                    on_action=show,
                    summary=outcome,
                ),
            )
        report["live"] = outcome.as_dict()
        if not as_json:
            done = ", ".join(f"{count} {kind}" for kind, count in outcome.actions.most_common()) or "nothing"
            console.print(f"Acted for {outcome.seconds:.0f} s: {done}; {outcome.refused} refused.", highlight=False)
    if as_json:
        print(json.dumps(report, indent=2))


@audit_app.command("verify")
def audit_verify() -> None:
    """Check every chain of the audit log; exit 1 and name the first broken entry if one is broken."""
    from viewfinder.identity.service.audit import verify_all_chains

    statuses = _in_unit_of_work(_settings(), verify_all_chains)
    for status in statuses:
        verdict = "ok" if status.valid else f"broken at entry {status.first_broken_seq}: {status.reason}"
        print(f"chain {status.chain}: {status.entries} entries, {verdict}")
    if not all(status.valid for status in statuses):
        raise typer.Exit(1)


@graph_app.command("create")
def network_app_create(
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page")],
    redirect_uri: Annotated[
        list[str], typer.Option("--redirect-uri", help="Where OAuth may send people back (repeat for several)")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Register an app for the Graph API; print its id and its secret (shown this once)."""
    from viewfinder.network.graph.service.apps import create_app

    settings = _settings()

    async def create(session: AsyncSession) -> dict[str, Any]:
        created = await create_app(session, settings, name=name, redirect_uris=redirect_uri)
        return {
            "app_id": str(created.app.id),
            "app_secret": created.secret,
            "name": created.app.name,
            "redirect_uris": created.app.redirect_uris,
        }

    made = _in_unit_of_work(settings, create)
    if as_json:
        print(json.dumps(made))
        return
    console.print(
        f"App {made['name']!r}\n  app id:     {made['app_id']}\n  app secret: {made['app_secret']} "
        "(shown once: keep it now)",
        highlight=False,
    )


@graph_app.command("reset-secret")
def network_app_reset_secret(
    app_id: Annotated[str, typer.Option(help="The app's id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Give an app a new secret (shown this once); the old one stops working at once."""
    from viewfinder.network.graph.service.apps import reset_secret

    settings = _settings()

    async def reset(session: AsyncSession) -> dict[str, Any]:
        done = await reset_secret(session, settings, app_id)
        return {"app_id": str(done.app.id), "app_secret": done.secret}

    made = _in_unit_of_work(settings, reset)
    if as_json:
        print(json.dumps(made))
        return
    console.print(f"New app secret: {made['app_secret']} (shown once: keep it now)", highlight=False)


@graph_app.command("subscribe")
def network_app_subscribe(
    app_id: Annotated[str, typer.Option(help="The app's id (from `viewfinder network app create`)")],
    callback_url: Annotated[str, typer.Option(help="Where the network POSTs the app's webhooks")],
    verify_token: Annotated[str, typer.Option(help="Sent back in the handshake, for the callback to check")],
    fields: Annotated[str, typer.Option(help="Comma-separated among comments, mentions, messages")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Subscribe an app to webhooks once its callback answers the hub.challenge handshake (exit 1 otherwise)."""
    from viewfinder.network.graph.service.webhooks import subscribe

    settings = _settings()

    async def store(session: AsyncSession) -> dict[str, Any]:
        subscription = await subscribe(
            session,
            settings,
            app_id=app_id,
            callback_url=callback_url,
            verify_token=verify_token,
            fields=fields.split(","),
        )
        return {"app_id": app_id, "callback_url": subscription.callback_url, "fields": subscription.fields}

    subscribed = _in_unit_of_work(settings, store)
    if as_json:
        print(json.dumps(subscribed))
        return
    console.print(
        f"App {subscribed['app_id']} subscribed: {', '.join(subscribed['fields'])} go to {subscribed['callback_url']}",
        highlight=False,
    )


@network_app.command("token")
def network_token(
    app_id: Annotated[str, typer.Option(help="The app's id (from `viewfinder network app create`)")],
    username: Annotated[str, typer.Option(help="A business or creator account of the network")],
    scopes: Annotated[str, typer.Option(help="Comma-separated, e.g. instagram_business_basic")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Issue a long-lived Graph API token for an account directly, as a developer dashboard's token tool does."""
    from viewfinder.network.graph.service.tokens import issue_token

    async def issue(session: AsyncSession) -> dict[str, Any]:
        issued = await issue_token(session, app_id=app_id, username=username, scopes=scopes.split(","))
        return {
            "access_token": issued.access_token,
            "token_type": "bearer",
            "expires_in": issued.expires_in,
            "user_id": str(issued.row.person_id),
            "scopes": issued.row.scopes,
        }

    issued = _in_unit_of_work(_settings(), issue)
    if as_json:
        print(json.dumps(issued))
        return
    console.print(
        f"Access token for user {issued['user_id']} ({', '.join(issued['scopes'])}), "
        f"valid {issued['expires_in'] // 86400} days:\n  {issued['access_token']}",
        highlight=False,
    )


def _fault_line(fault: dict[str, Any]) -> str:
    """One fault in a line (a table would cut the ids a terminal's width cannot hold)."""
    what = fault["kind"]
    if fault["code"] is not None:
        what += f" {fault['code']}" + (f"/{fault['subcode']}" if fault["subcode"] is not None else "")
    if fault["status"] is not None:
        what += f" (HTTP {fault['status']})"
    if fault["latency_ms"] is not None:
        what += f" {fault['latency_ms']} ms"
    until = f"until {fault['expires_at'][:19].replace('T', ' ')} UTC" if fault["expires_at"] else "until cleared"
    return (
        f"{fault['id']}  {what} on {fault['method'] or 'any method'} {fault['path']}, "
        f"{'app ' + fault['app_id'] if fault['app_id'] else 'every app'}, rate {fault['rate']:g}, {until}"
    )


def _print_faults(faults: list[dict[str, Any]]) -> None:
    for fault in faults:
        print(_fault_line(fault))


@faults_app.command("add")
def network_faults_add(
    kind: Annotated[str, typer.Option(help="error, latency, rate_limit, expired_token or lost_answer")],
    app_id: Annotated[str | None, typer.Option(help="Only this app's calls (default: every app's)")] = None,
    path: Annotated[str, typer.Option(help="Glob over the path after the version, ids as {id}: {id}/media")] = "*",
    method: Annotated[str | None, typer.Option(help="Only GET, POST or DELETE calls")] = None,
    rate: Annotated[float, typer.Option(min=0, max=1, help="Share of the matching calls struck")] = 1.0,
    code: Annotated[int | None, typer.Option(help="error: Graph code (default 2); rate_limit: 4, 17, 80002")] = None,
    subcode: Annotated[int | None, typer.Option(help="error: the error_subcode")] = None,
    status: Annotated[int | None, typer.Option(help="HTTP status (default: Meta's for the code)")] = None,
    latency_ms: Annotated[
        int | None, typer.Option(help="latency: the wait added; lost_answer: answer that late instead of a 500")
    ] = None,
    expires_in: Annotated[int | None, typer.Option(help="Switch itself off after this many seconds")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Switch a fault on in the Graph API, for one app or every app."""
    from viewfinder.network.graph.schemas import FaultCreate
    from viewfinder.network.graph.service.faults import KINDS, add_fault, fault_view

    if kind not in KINDS:
        raise typer.BadParameter(f"choose among {', '.join(KINDS)}", param_hint="--kind")
    spec = FaultCreate.model_validate(
        {
            "kind": kind,
            "app_id": app_id,
            "path": path,
            "method": method,
            "rate": rate,
            "code": code,
            "subcode": subcode,
            "status": status,
            "latency_ms": latency_ms,
            "expires_in": expires_in,
        }
    )

    async def add(session: AsyncSession) -> dict[str, Any]:
        return fault_view(await add_fault(session, spec)).model_dump(mode="json")

    added = _in_unit_of_work(_settings(), add)
    if as_json:
        print(json.dumps(added))
        return
    _print_faults([added])


@faults_app.command("list")
def network_faults_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """The faults switched on and not expired."""
    from viewfinder.network.graph.service.faults import fault_view, list_faults

    async def listed(session: AsyncSession) -> list[dict[str, Any]]:
        return [fault_view(fault).model_dump(mode="json") for fault in await list_faults(session)]

    found = _in_unit_of_work(_settings(), listed)
    if as_json:
        print(json.dumps(found))
        return
    if found:
        _print_faults(found)
    else:
        console.print("No fault is switched on.")


@faults_app.command("clear")
def network_faults_clear(
    fault_id: Annotated[str | None, typer.Option("--id", help="The fault to switch off")] = None,
    clear_all: Annotated[bool, typer.Option("--all", help="Switch every fault off")] = False,
) -> None:
    """Switch one fault off, or all of them."""
    from viewfinder.network.graph.service.faults import clear_faults

    if (fault_id is None) == (not clear_all):
        raise typer.BadParameter("give either --id ID or --all", param_hint="--id")
    cleared = _in_unit_of_work(_settings(), lambda session: clear_faults(session, fault_id=fault_id))
    print(f"Switched off {cleared} fault{'s' if cleared != 1 else ''}.")


def main() -> None:
    try:
        app()
    except SettingsError as error:
        print(f"viewfinder: {error}", file=sys.stderr)
        sys.exit(2)
    except AppError as error:
        print(f"viewfinder: {error.detail}", file=sys.stderr)
        sys.exit(1)
