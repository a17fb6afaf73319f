"""The container files agree with each other, without an engine: the Dockerfile lints, and
``docker-compose.yml`` and the README's CI examples use exactly the image's start command
and health check. ``make test-container`` builds and runs the image itself."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.conftest import ROOT

SECTION = "## Running it in a container"
ENV_NAME = re.compile(r"\bELOQUA_EMULATOR_[A-Z_]+\b")
OPTION_NAMES = {"ELOQUA_EMULATOR_" + name.upper() for name, _, _ in Settings.options()}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def only(name: str) -> str:
    found = [rest for word, rest in instructions() if word == name]
    assert len(found) == 1, f"want one {name}, found {found}"
    return found[0]


def healthcheck() -> tuple[dict[str, str], list[str]]:
    """The HEALTHCHECK's options (``interval`` → ``5s``) and its command, exec form."""
    options: dict[str, str] = {}
    rest = only("HEALTHCHECK")
    while rest.startswith("--"):
        option, _, rest = rest.partition(" ")
        key, _, value = option[2:].partition("=")
        options[key] = value
        rest = rest.strip()
    assert rest.startswith("CMD ["), "the health check is in exec (JSON) form"
    command = json.loads(rest[len("CMD") :])
    assert isinstance(command, list)
    return options, command


def start_command() -> tuple[list[str], list[str]]:
    entrypoint, cmd = json.loads(only("ENTRYPOINT")), json.loads(only("CMD"))
    assert isinstance(entrypoint, list)
    assert isinstance(cmd, list)
    return entrypoint, cmd


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1]
    return re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]


def yaml_examples() -> list[Any]:
    blocks = re.findall(r"^```yaml\n(.*?)^```", readme_section(), re.DOTALL | re.MULTILINE)
    return [yaml.safe_load(block) for block in blocks]


def github_service() -> dict[str, Any]:
    for example in yaml_examples():
        for job in (example.get("jobs") or {}).values():
            for service in (job.get("services") or {}).values():
                assert isinstance(service, dict)
                return service
    raise AssertionError("the README section has no GitHub Actions services: example")


def github_job() -> dict[str, Any]:
    for example in yaml_examples():
        for job in (example.get("jobs") or {}).values():
            if job.get("services"):
                assert isinstance(job, dict)
                return job
    raise AssertionError("the README section has no GitHub Actions job with services:")


def answers(env: dict[str, str], url: str) -> bool:
    """Whether the image, started with ``env``, answers a client of ``url`` (the Host guard
    refuses names it was not told)."""
    settings = Settings(
        db=":memory:", host="0.0.0.0", allowed_hosts=env.get("ELOQUA_EMULATOR_ALLOWED_HOSTS", "")
    )
    client = TestClient(create_app(settings), base_url=url)  # no lifespan: health says 503
    return client.get("/_emulator/health").status_code != 400


def gitlab_job() -> dict[str, Any]:
    for example in yaml_examples():
        for job in example.values():
            if isinstance(job, dict) and "script" in job and "services" in job:
                return job
    raise AssertionError("the README section has no GitLab CI job with services:")


def test_the_dockerfile_lints_clean() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_built_the_way_the_issue_asks() -> None:
    args = dict(rest.split("=", 1) for word, rest in instructions() if word == "ARG")
    assert re.fullmatch(r"python:3\.\d+-slim", args["BASE"])  # a public slim default
    user = only("USER").split(":")[0]
    assert user not in ("0", "root")
    env = dict(
        re.findall(r"(\w+)=(\S+)", " ".join(rest for word, rest in instructions() if word == "ENV"))
    )
    assert env["ELOQUA_EMULATOR_HOST"] == "0.0.0.0"
    assert only("EXPOSE").split() == [env["ELOQUA_EMULATOR_PORT"], "8081"] == ["8080", "8081"]
    (volume,) = json.loads(only("VOLUME"))
    assert env["ELOQUA_EMULATOR_DB"].startswith(volume + "/")
    assert {name for name in env if name.startswith("ELOQUA_")} <= OPTION_NAMES
    _, command = healthcheck()
    assert "curl" not in command
    assert f"127.0.0.1:{env['ELOQUA_EMULATOR_PORT']}/_emulator/health" in command[-1]
    assert start_command() == (["eloqua-emulator"], ["serve"])


def test_the_context_holds_what_the_package_build_needs() -> None:
    """The first stage builds the wheel from the context: the allowlist in .dockerignore must
    let in everything pyproject's wheel target reads."""
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    allowed = {line[1:].strip("/") for line in lines if line.startswith("!")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", project["project"]["readme"], *wheel["packages"]}
    needed |= {source.split("/")[0] for source in wheel.get("force-include", {})}
    assert needed <= allowed
    assert "*" in lines  # an allowlist: nothing else (.venv, .git, databases) is sent


def test_compose_runs_the_image_health_check_with_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    [service] = compose["services"].values()
    options, command = healthcheck()
    check = service["healthcheck"]
    assert check["test"] == ["CMD", *command]
    for key in ("interval", "timeout", "start-period", "retries"):
        assert str(check[key.replace("-", "_")]) == options[key]
    assert any(volume.endswith(":/data") for volume in service["volumes"])
    assert any(str(port).endswith(":8080") for port in service["ports"])
    assert set(service["environment"]) <= OPTION_NAMES
    assert "entrypoint" not in service
    assert "command" not in service


def test_the_github_actions_example_runs_the_image_health_check() -> None:
    service = github_service()
    options, command = healthcheck()
    flags = shlex.split(service["options"])
    given = {flags[i][len("--health-") :]: flags[i + 1] for i in range(0, len(flags), 2)}
    assert set(given) == {"cmd", "interval", "timeout", "start-period", "retries"}
    assert shlex.split(given.pop("cmd")) == command
    assert given == options
    # the image's own start command: not overridden (or, where the runner allows it, the same)
    entrypoint, cmd = start_command()
    assert service.get("entrypoint", entrypoint[0]) == entrypoint[0]
    assert shlex.split(service.get("command", shlex.join(cmd))) == cmd
    assert set(service.get("env", {})) <= OPTION_NAMES
    assert any(str(port).endswith("8080") for port in service["ports"])
    assert answers(service.get("env", {}), github_job()["env"]["ELOQUA_BASE_URL"])


def test_the_gitlab_example_starts_the_image_command_and_waits_on_its_health_check() -> None:
    job = gitlab_job()
    [service] = job["services"]
    entrypoint, cmd = start_command()
    assert service["entrypoint"] == entrypoint
    assert service["command"] == cmd
    assert set(service.get("variables", {})) <= OPTION_NAMES
    # the job reaches the service at its alias: a name the emulator answers only when told
    assert answers(service.get("variables", {}), job["variables"]["ELOQUA_BASE_URL"])
    # GitLab waits for the port only; the job polls the same check, at the service's alias
    _, command = healthcheck()
    at_alias = [part.replace("127.0.0.1", service["alias"]) for part in command]
    waits = []
    for line in job["script"]:
        words = list(shlex.shlex(line, posix=True, punctuation_chars=True))
        if words[0] == "until":
            waits.append(words[1 : words.index(";")])
    assert waits == [at_alias]


def test_the_readme_section_names_the_start_command_and_real_options() -> None:
    section = readme_section()
    entrypoint, cmd = start_command()
    assert f"`{shlex.join(entrypoint + cmd)}`" in section
    assert set(ENV_NAME.findall(section)) <= OPTION_NAMES
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    offline = re.search(r"`pip wheel -w wheels \. ([^`]*)`", section)
    assert offline is not None
    assert offline.group(1).split() == backend


@pytest.mark.parametrize(
    "name",
    ["Dockerfile", ".dockerignore", "docker-compose.yml", "scripts/container_check.py", ".ci/run"],
)
def test_the_container_files_name_no_host_of_this_machine(name: str) -> None:
    """The local base is made from the machine's own apt sources, read at run time."""
    text = (ROOT / name).read_text()
    assert "deb.debian.org" not in text
    assert "snapshot.debian.org" not in text
