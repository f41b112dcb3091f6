# Sourced by scripts/demo and scripts/test: create .venv and install the project into it, at the
# versions pinned in constraints.txt (what the suite was last run against; refresh it with
# ./scripts/lock). Output is shown only on failure.
#
# The install is skipped when pyproject.toml, constraints.txt and the Python are those of the
# last successful install (a stamp in .venv): the project is installed editable, so code changes
# need no reinstall. That matters beyond speed: the test suite runs ./scripts/demo while other
# tests use .venv, and a reinstall removes and rewrites .venv/bin/troubleshoot-bot under them.
# A lock serialises two set-ups started at once (two terminals, or the suite's own script tests).
mkdir -p .venv
exec 9>.venv/.setup.lock
flock 9
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
setup_stamp=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)-$(.venv/bin/python -c 'import sys; print(sys.version.split()[0])')
if [ "$(cat .venv/.installed-from 2>/dev/null)" != "$setup_stamp" ] \
        || [ ! -x .venv/bin/troubleshoot-bot ]; then
    setup_log=$(mktemp)
    if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
           && .venv/bin/python -m pip install --quiet --disable-pip-version-check \
                  -c constraints.txt -e '.[dev,v1]'; } \
           >"$setup_log" 2>&1; then
        cat "$setup_log" >&2
        echo "setup failed: could not install the project into .venv" >&2
        rm -f .venv/.installed-from
        exit 1
    fi
    rm -f "$setup_log"
    echo "$setup_stamp" >.venv/.installed-from
fi
exec 9>&-
