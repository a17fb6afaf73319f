#!/usr/bin/env python3
"""``make test-container``: lint the Dockerfile, build the image, run it, check it, remove it.

Steps, each logged with the time since the start:

1. ``hadolint Dockerfile`` (from PyPI, in ``.venv``).
2. The container engine: podman, else docker (whose daemon must answer). For podman a
   ``containers.conf`` is written into a temporary directory and passed through
   ``CONTAINERS_CONF``: runtime runc when installed (crun refuses hybrid cgroup layouts),
   cgroupfs without systemd, and ``nofile``/``nproc`` limits within this shell's hard limits
   (podman's default ``nofile=1048576`` fails without CAP_SYS_RESOURCE). Nothing under /etc
   changes.
3. The base image, ``localhost/debian-python:base``: no registry is reachable here, so it is
   made with ``mmdebstrap`` (python3, python3-venv, ca-certificates) from the apt sources this
   machine already uses (read from ``/etc/apt/sources.list*``), then imported. It is kept
   between runs and only built when the engine does not have it (remove it with
   ``podman rmi localhost/debian-python:base`` to rebuild). ``--base IMAGE`` uses another one.
4. The build context, in a temporary directory: the files ``.dockerignore`` lets in, plus
   ``wheels/`` (``pip wheel`` on the host: the dependencies and the build backend, not the
   package itself), so the image builds the package from its source with ``--network none``.
5. ``build`` (``--format docker``: the OCI format drops HEALTHCHECK) and ``run -d`` with the
   port published on a free loopback port.
6. Healthy: podman has no systemd here to schedule HEALTHCHECK, so ``podman healthcheck run``
   is called in a loop until it passes (docker: its own status, polled). Then: the server
   runs as a non-root user, keeps its database on the ``/data`` volume, and refuses a
   foreign ``Host`` (DNS rebinding).
7. The contract kit against ``http://127.0.0.1:PORT`` (taken for an emulator because it
   answers ``/_emulator/health``): discovery and the contact import scenario, which reads
   its rows back through an export. At least two tests must pass, none may fail or skip.
8. Always: the container (with its anonymous volume) and the image it built are removed, by
   id; the base image stays cached.

``--skip-without-engine`` (what ``make test`` passes) turns "no engine" into a loud skip, or a
failure under ``CI=true``, so CI cannot skip it silently.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import httpx

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
LOCAL_BASE = "localhost/debian-python:base"
BASE_PACKAGES = "python3,python3-venv,ca-certificates"
CONTAINER_PORT = 8080
CONTAINER_PROXY_PORT = 8081
HEALTH_TIMEOUT = 90.0
CONTRACT_TESTS = (
    "contract_tests/test_discovery.py",
    "contract_tests/scenarios/test_contact_import.py"
    "::test_import_with_a_bad_row_ends_in_warning_and_keeps_the_good_rows",
)
NO_ENGINE = "no podman or docker on PATH"


class CheckFailed(Exception):
    """A step failed; the message says which and why."""


class Check:
    def __init__(self, engine: str, workdir: Path) -> None:
        self.engine = engine
        self.podman = Path(engine).name == "podman"
        self.workdir = workdir
        self.started = time.monotonic()
        self.env = dict(os.environ)
        self.container: str | None = None
        self.image: str | None = None
        self.leftovers: list[str] = []

    def log(self, message: str) -> None:
        print(f"[container-check {time.monotonic() - self.started:6.1f}s] {message}", flush=True)

    def run(
        self, *args: str, quiet: bool = False, timeout: float = 600, engine: bool = True
    ) -> str:
        """Runs a command, the engine's unless ``engine=False``; returns its stdout.
        ``quiet`` keeps its output unless it fails."""
        command = [self.engine, *args] if engine else list(args)
        result = call(
            command,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if quiet else None,
            timeout=timeout,
        )
        if result.returncode != 0:
            if quiet and result.stderr:
                print("\n".join(result.stderr.splitlines()[-40:]), file=sys.stderr)
            if result.stdout:
                print("\n".join(result.stdout.splitlines()[-40:]), file=sys.stderr)
            raise CheckFailed(f"`{' '.join(command)}` exited {result.returncode}")
        return result.stdout

    def succeeds(self, *args: str) -> bool:
        result = call(
            [self.engine, *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        return result.returncode == 0

    # 2. the engine
    def configure_podman(self) -> None:
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        nproc = 32768 if nproc == resource.RLIM_INFINITY else min(nproc, 32768)
        lines = [
            "[containers]",
            f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc={nproc}:{nproc}"]',
            "[engine]",
        ]
        if shutil.which("runc"):
            lines.append('runtime = "runc"')
        if not Path("/run/systemd/system").is_dir():
            lines.append('cgroup_manager = "cgroupfs"')
        conf = self.workdir / "containers.conf"
        conf.write_text("\n".join(lines) + "\n")
        self.env["CONTAINERS_CONF"] = str(conf)
        self.log(f"podman settings ({conf}): " + "; ".join(lines[1:2] + lines[3:]))

    # 3. the base image
    def ensure_base(self, base: str) -> None:
        if self.succeeds("image", "inspect", base):
            self.log(f"base image {base} is cached: not rebuilt")
            return
        if base != LOCAL_BASE:
            self.log(f"base image {base} is not here: the build pulls it")
            return
        mmdebstrap = shutil.which("mmdebstrap")
        if mmdebstrap is None:
            raise CheckFailed(f"{base} is missing and mmdebstrap is not installed (.ci/run)")
        codename, sources = apt_sources()
        rootfs = self.workdir / "rootfs.tar"
        self.log(
            f"building {base} with mmdebstrap ({codename}, minbase + {BASE_PACKAGES}) from "
            f"{len(sources)} apt source(s) of this machine; about a minute, once"
        )
        self.run(
            mmdebstrap,
            "--variant=minbase",
            f"--include={BASE_PACKAGES}",
            codename,
            str(rootfs),
            *sources,
            quiet=True,
            engine=False,
        )
        self.run("import", str(rootfs), base, quiet=True)
        rootfs.unlink()
        self.log(f"base image {base} imported and kept for later runs")

    def base_python(self, base: str) -> str:
        return self.run(
            "run",
            "--rm",
            *(["--pull=never"] if self.podman else []),
            "--network",
            "none",
            base,
            "python3",
            "-c",
            "import sys; print('%d.%d' % sys.version_info[:2])",
            quiet=True,
        ).strip()

    # 4. the context
    def make_context(self) -> Path:
        context = self.workdir / "context"
        context.mkdir()
        shutil.copy2(DOCKERFILE, context / "Dockerfile")
        shutil.copy2(DOCKERIGNORE, context / ".dockerignore")
        for name in allowed_names():
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(
                    source, context / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            elif source.is_file():
                shutil.copy2(source, context / name)
        wheels = context / "wheels"
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
        backend = pyproject["build-system"]["requires"]
        self.run(
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(wheels),
            str(context),
            *backend,
            quiet=True,
            engine=False,
        )
        for own in wheels.glob("eloqua_emulator-*.whl"):
            own.unlink()  # the image builds the package from the source beside it
        shutil.rmtree(context / "build", ignore_errors=True)
        count = len(list(wheels.glob("*.whl")))
        self.log(f"build context {context}: the package source and {count} wheels")
        return context

    # 5. build and run
    def build(self, context: Path, base: str) -> str:
        iidfile = self.workdir / "image-id"
        args = ["build", "--network", "none", "--build-arg", f"BASE={base}"]
        if self.podman:
            args += ["--format", "docker", "--layers=false"]
            if base == LOCAL_BASE:
                args.append("--pull=never")
        args += ["--iidfile", str(iidfile), "--file", str(context / "Dockerfile"), str(context)]
        before = self.build_containers()
        try:
            self.run(*args, quiet=True)
        finally:
            if iidfile.exists():
                self.image = iidfile.read_text().strip()
            else:  # failed or interrupted: podman leaves its working container behind
                self.leftovers = sorted(self.build_containers() - before)
        if not self.image:
            raise CheckFailed("the build wrote no image id")
        return self.image

    def build_containers(self) -> set[str]:
        """podman's build (working) containers: what an interrupted build leaves."""
        if not self.podman:
            return set()
        listed = self.run(
            "ps", "--all", "--external", "--no-trunc", "--format", "{{.ID}} {{.Status}}", quiet=True
        )
        return {line.split()[0] for line in listed.splitlines() if line.endswith(" Storage")}

    def start(self, image: str, port: int, proxy_port: int) -> str:
        name = f"eloqua-emulator-check-{os.getpid()}"
        self.container = name  # removable by name until the id is known
        cid = self.run(
            "run",
            "--detach",
            "--name",
            name,
            "--publish",
            f"127.0.0.1:{port}:{CONTAINER_PORT}",
            "--env",
            f"ELOQUA_EMULATOR_PROXY_PORT={CONTAINER_PROXY_PORT}",
            "--publish",
            f"127.0.0.1:{proxy_port}:{CONTAINER_PROXY_PORT}",
            image,
            quiet=True,
        ).strip()
        self.container = cid
        return cid

    # 6. healthy
    def wait_healthy(self, cid: str) -> float:
        began = time.monotonic()
        while True:
            if self.podman:
                healthy = self.succeeds("healthcheck", "run", cid)
            else:
                status = self.run(
                    "inspect", "--format", "{{.State.Health.Status}}", cid, quiet=True
                ).strip()
                healthy = status == "healthy"
            if healthy:
                return time.monotonic() - began
            running = self.run("inspect", "--format", "{{.State.Running}}", cid, quiet=True)
            if running.strip() != "true":
                raise CheckFailed("the container stopped before it was healthy")
            if time.monotonic() - began > HEALTH_TIMEOUT:
                raise CheckFailed(f"not healthy after {HEALTH_TIMEOUT:.0f}s")
            time.sleep(0.25 if self.podman else 1.0)

    def inspect_running(self, cid: str, port: int) -> None:
        uid = self.run("exec", cid, "python", "-c", "import os; print(os.getuid())", quiet=True)
        if int(uid) == 0:
            raise CheckFailed("the server runs as root")
        db = self.run("exec", cid, "printenv", "ELOQUA_EMULATOR_DB", quiet=True).strip()
        if not self.succeeds("exec", cid, "test", "-s", db):
            raise CheckFailed(f"no database at {db}")
        mounts = self.run(
            "inspect", "--format", "{{range .Mounts}}{{.Destination}} {{end}}", cid, quiet=True
        ).split()
        if not any(db.startswith(mount.rstrip("/") + "/") for mount in mounts):
            raise CheckFailed(f"{db} is not on a volume (mounts: {mounts})")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=5) as r:
            answer = r.read().decode()
        self.log(f"runs as uid {int(uid)}, database {db} on a volume; health says {answer}")
        # DNS rebinding: a name the image was not told to answer is refused, loopback is not
        foreign = httpx.get(
            f"http://127.0.0.1:{port}/_emulator/health", headers={"Host": "evil.example"}
        )
        if foreign.status_code != 400:
            raise CheckFailed(f"Host: evil.example was answered {foreign.status_code}, not 400")
        self.log("Host: evil.example refused with 400")

    def proxy(self, cid: str, proxy_port: int) -> None:
        """The proxy port answers a hard-coded Eloqua host over TLS with the CA the
        container's ``eloqua-emulator ca --pem`` prints, and refuses any other host."""
        ca = self.workdir / "ca.pem"
        ca.write_text(self.run("exec", cid, "eloqua-emulator", "ca", "--pem", quiet=True))
        proxy = f"http://127.0.0.1:{proxy_port}"
        context = ssl.create_default_context(cafile=str(ca))
        with httpx.Client(proxy=proxy, verify=context, timeout=10) as client:
            identity = client.get("https://login.eloqua.com/id", auth=("Acme\\jane", "pw"))
            refused = client.get("http://example.com/")
        if identity.status_code != 200 or refused.status_code != 403:
            raise CheckFailed(
                f"proxy: /id answered {identity.status_code}, example.com {refused.status_code}"
            )
        self.log("proxy: https://login.eloqua.com/id answered 200 with the CA, example.com 403")

    # 7. the contract kit
    def contract(self, port: int) -> None:
        junit = self.workdir / "contract-junit.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *CONTRACT_TESTS,
            "--base-url",
            f"http://127.0.0.1:{port}",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={junit}",
        ]
        self.log("contract kit: " + " ".join(command[1:]))
        result = call(command, cwd=ROOT, timeout=600)
        suite = ET.parse(junit).getroot() if junit.exists() else None
        if suite is not None and suite.tag == "testsuites":
            suite = suite.find("testsuite")
        if result.returncode != 0 or suite is None:
            raise CheckFailed(f"the contract kit exited {result.returncode}")
        counts = {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}
        passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
        if passed < 2 or counts["skipped"] or counts["failures"] or counts["errors"]:
            raise CheckFailed(f"the contract kit ran {counts}: want 2+ passed and no skips")
        self.log(f"contract kit: {passed} passed, none skipped")

    # 8. clean up
    def show_logs(self) -> None:
        if self.container:
            print(f"--- last lines of the container's log ({self.container}) ---", file=sys.stderr)
            subprocess.run(
                [self.engine, "logs", "--tail", "40", self.container],
                env=self.env,
                timeout=60,
                check=False,
            )

    def clean_up(self, base: str) -> None:
        if self.container:
            if self.succeeds("rm", "--force", "--volumes", self.container):
                self.log(f"removed container {self.container[:12]} and its volume")
            else:
                self.log(f"WARNING: could not remove container {self.container}")
        for leftover in self.leftovers:
            if self.succeeds("rm", "--force", leftover):
                self.log(f"removed the interrupted build's container {leftover[:12]}")
        if self.image:
            if self.succeeds("rmi", self.image):
                self.log(f"removed image {self.image[:19]}")
            else:
                self.log(f"WARNING: could not remove image {self.image}")
        if self.succeeds("image", "inspect", base):
            self.log(f"kept the base image {base} cached ({self.engine} rmi {base} to drop it)")


def call(
    command: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run``, except that an interrupted or timed-out command gets SIGTERM and
    time to clean up (mmdebstrap unmounts, podman stops its build) before SIGKILL."""
    with subprocess.Popen(
        command, env=env, cwd=cwd, stdout=stdout, stderr=stderr, text=True
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            raise
        return subprocess.CompletedProcess(command, process.returncode, out, err)


def apt_sources() -> tuple[str, list[str]]:
    """This machine's release codename and its apt sources for it, one-line style."""
    release = dict(
        line.split("=", 1)
        for line in Path("/etc/os-release").read_text().splitlines()
        if "=" in line
    )
    codename = release.get("VERSION_CODENAME", "").strip('"')
    if not codename:
        raise CheckFailed("no VERSION_CODENAME in /etc/os-release: not a Debian-like system")
    entries: list[tuple[str, str, str]] = []  # uri, suite, components
    files = [Path("/etc/apt/sources.list")]
    files += sorted(Path("/etc/apt/sources.list.d").glob("*.list"))
    files += sorted(Path("/etc/apt/sources.list.d").glob("*.sources"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text()
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields: dict[str, str] = {}
                for line in stanza.splitlines():
                    if line.startswith("#") or ":" not in line:
                        continue
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.strip()
                if "deb" not in fields.get("types", "").split():
                    continue
                if fields.get("enabled", "yes").lower() == "no":
                    continue
                for uri in fields.get("uris", "").split():
                    for suite in fields.get("suites", "").split():
                        entries.append((uri, suite, fields.get("components", "main")))
        else:
            for line in text.splitlines():
                words = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
                if len(words) >= 3 and words[0] == "deb":
                    entries.append((words[1], words[2], " ".join(words[3:]) or "main"))
    sources = [
        f"deb {uri} {suite} {components}"
        for uri, suite, components in entries
        if suite.split("-", 1)[0].split("/", 1)[0] == codename
    ]
    if not sources:
        raise CheckFailed(f"no apt source for {codename} in /etc/apt/sources.list*")
    return codename, sources


def allowed_names() -> list[str]:
    """The top-level files and directories ``.dockerignore`` lets into the context."""
    names = []
    for line in DOCKERIGNORE.read_text().splitlines():
        line = line.strip()
        if line.startswith("!") and "*" not in line:
            names.append(line[1:].strip("/"))
    return names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_engine() -> tuple[str | None, str]:
    """The engine to use and, when there is none, why."""
    podman = shutil.which("podman")
    if podman:
        return podman, ""
    docker = shutil.which("docker")
    if docker is None:
        return None, NO_ENGINE
    try:
        answers = subprocess.run([docker, "info"], capture_output=True, timeout=60).returncode == 0
    except subprocess.TimeoutExpired:
        answers = False
    if not answers:
        return None, f"no usable engine: {docker} is on PATH but no Docker daemon answers"
    return docker, ""


def skip(why: str) -> int:
    bar = "!" * 78
    print(f"\n{bar}\n!! SKIPPED container check: {why}", flush=True)
    if os.environ.get("CI", "").lower() == "true":
        print(f"!! CI=true: the container check may not be skipped; failing.\n{bar}\n")
        return 1
    print(f"!! Install podman (see .ci/run) to run it; CI fails without one.\n{bar}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    cli.add_argument(
        "--skip-without-engine",
        action="store_true",
        help="without podman or docker, print a loud SKIPPED and exit 0 (1 under CI=true)",
    )
    cli.add_argument(
        "--base",
        default=LOCAL_BASE,
        help=f"base image (default {LOCAL_BASE}, built with mmdebstrap when missing)",
    )
    args = cli.parse_args(argv)

    engine, why = find_engine()
    if engine is None:
        if args.skip_without_engine:
            return skip(why)
        print(f"container check: {why}", file=sys.stderr)
        return 1

    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # unwinds through the clean-up below

    signal.signal(signal.SIGTERM, interrupted)
    with tempfile.TemporaryDirectory(prefix="eloqua-container-check-") as tmp:
        check = Check(engine, Path(tmp))
        passed = False
        try:
            run_steps(check, engine, args.base)
            passed = True
        except (CheckFailed, subprocess.TimeoutExpired) as exc:
            check.log(f"FAILED: {exc}")
            check.show_logs()
        except KeyboardInterrupt:
            check.log("FAILED: interrupted")
            check.show_logs()
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the clean-up finish
            check.log("8/8 clean up")
            check.clean_up(args.base)
        check.log("container check passed" if passed else "container check FAILED")
        return 0 if passed else 1


def run_steps(check: Check, engine: str, base: str) -> None:
    check.log(f"1/8 hadolint {DOCKERFILE.relative_to(ROOT)}")
    hadolint = Path(sys.executable).parent / "hadolint"
    check.run(str(hadolint if hadolint.exists() else "hadolint"), str(DOCKERFILE), engine=False)
    check.log("hadolint: no findings")
    check.log(f"2/8 engine {engine}")
    if check.podman:
        check.configure_podman()
    check.log(f"3/8 base image {base}")
    check.ensure_base(base)
    if base == LOCAL_BASE:
        inside = check.base_python(base)
        here = f"{sys.version_info[0]}.{sys.version_info[1]}"
        if inside != here:
            raise CheckFailed(
                f"{base} has Python {inside}, the wheels would be for {here}: "
                f"run with a {inside} .venv, or remove {base} to rebuild it"
            )
        check.log(f"{base} has Python {inside}, as this interpreter (the wheels match)")
    check.log("4/8 build context and wheels (pip wheel on the host)")
    context = check.make_context()
    check.log("5/8 build (no network) and run")
    image = check.build(context, base)
    check.log(f"built image {image[:19]}")
    port, proxy_port = free_port(), free_port()
    cid = check.start(image, port, proxy_port)
    check.log(f"container {cid[:12]} publishes 127.0.0.1:{port} -> {CONTAINER_PORT}")
    check.log("6/8 waiting until healthy")
    took = check.wait_healthy(cid)
    check.log(f"healthy after {took:.1f}s")
    check.inspect_running(cid, port)
    check.proxy(cid, proxy_port)
    check.log("7/8 contract kit against the container")
    check.contract(port)


if __name__ == "__main__":
    sys.exit(main())
