# The Eloqua Bulk API emulator as a container: `docker build -t eloqua-emulator .` then
# `docker run -p 127.0.0.1:8080:8080 eloqua-emulator`. Every option reads its
# ELOQUA_EMULATOR_<NAME> variable (`docker run -e ELOQUA_EMULATOR_SYNC_PROGRESSION=immediate …`);
# arguments after the image name replace `serve` (`… eloqua-emulator --log-level debug`).
# With podman, build with --format docker: the OCI image format has no HEALTHCHECK.
#
# BASE is any image with python3 (3.11+) and its venv module: the public default below, or a
# local one (`make test-container` builds a Debian one with mmdebstrap, as no registry is
# reachable on our machines, and passes --build-arg BASE=… --pull=never).
ARG BASE=python:3.12-slim

# Stage 1: the package and its dependencies in a virtualenv (Debian's python3 is "externally
# managed", so never into the system). pip builds the wheel from the source in the context
# (.dockerignore keeps the context to what the build needs), then:
# - with a wheels/ directory in the context, it installs from it alone and needs no network:
#   `pip wheel -w wheels . hatchling==<the pin in pyproject's build-system>` beforehand, with
#   the same Python minor version as BASE (that is what `make test-container` does);
# - without one, it fetches the build backend and the dependencies from PyPI.
FROM ${BASE} AS build
COPY . /src
RUN if [ -d /src/wheels ]; then set -- --no-index --find-links /src/wheels; fi \
    && python3 -m venv /opt/eloqua-emulator \
    && /opt/eloqua-emulator/bin/pip install --no-cache-dir --disable-pip-version-check "$@" /src

# Stage 2: the base, the virtualenv and a user; neither the source nor pip's downloads.
FROM ${BASE}
COPY --from=build /opt/eloqua-emulator /opt/eloqua-emulator
# An unprivileged user, uid 10001, whose home is the data directory (USER below names it by
# number, so an orchestrator can tell it is not root without reading /etc/passwd).
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin emulator \
    && mkdir /data \
    && chown emulator:emulator /data

# Inside the container the server binds every interface (the default, 127.0.0.1, would be
# unreachable through a published port); publish it on loopback: -p 127.0.0.1:8080:8080.
# The database lives on the /data volume: mount one to keep it between containers, or set
# ELOQUA_EMULATOR_DB=:memory: for a store that ends with the container. The proxy for clients
# with hard-coded Eloqua hosts is off unless ELOQUA_EMULATOR_PROXY_PORT=8081 (publish it too);
# its CA is kept on the volume, and `eloqua-emulator ca --pem` in the container prints it.
# The Acoustic service's BEX rotations write their files below /data/acoustic-ftp
# (<ftpUserId>/download/<file>), on the volume too: mount it to read them from the host.
# The server answers only loopback names, Eloqua's and Acoustic's (a guard against DNS
# rebinding): when other containers reach it by a name (a compose service, a CI service
# alias), add that name with ELOQUA_EMULATOR_ALLOWED_HOSTS. Binding every interface, it
# warns at start that anyone who reaches the port can reset it: set
# ELOQUA_EMULATOR_CONTROL_TOKEN when others can.
ENV PATH=/opt/eloqua-emulator/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ELOQUA_EMULATOR_HOST=0.0.0.0 \
    ELOQUA_EMULATOR_PORT=8080 \
    ELOQUA_EMULATOR_DB=/data/eloqua-emulator.db \
    ELOQUA_EMULATOR_CA_DIR=/data/ca \
    ELOQUA_EMULATOR_ACOUSTIC_FTP_ROOT=/data/acoustic-ftp
VOLUME ["/data"]
WORKDIR /data
EXPOSE 8080 8081
USER 10001:10001

# Healthy once GET /_emulator/health answers 200 (the fixtures are loaded); slim images have
# no curl, so Python asks. It calls port 8080: publish another host port with -p rather than
# changing ELOQUA_EMULATOR_PORT. docker-compose.yml and the README's CI examples repeat this
# command (tests/test_container_files.py checks they run the same arguments).
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8080/_emulator/health', timeout=2)"]

ENTRYPOINT ["eloqua-emulator"]
CMD ["serve"]
