# Sourced by scripts/demo and scripts/test: create .venv and install the project into it, at the
# versions pinned in constraints.txt (what the suite was last run against; refresh it with
# ./scripts/lock). Re-running is cheap: pip only checks what is already there. Output is shown
# only on failure.
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
setup_log=$(mktemp)
if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
       && .venv/bin/python -m pip install --quiet --disable-pip-version-check \
              -c constraints.txt -e '.[dev,v1]'; } \
       >"$setup_log" 2>&1; then
    cat "$setup_log" >&2
    echo "setup failed: could not install the project into .venv" >&2
    exit 1
fi
rm -f "$setup_log"
