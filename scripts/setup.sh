# Sourced by scripts/demo and scripts/test: create .venv and install the project into it.
# Re-running is cheap: pip only checks what is already there. Output is shown only on failure.
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
setup_log=$(mktemp)
if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
       && .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'; } \
       >"$setup_log" 2>&1; then
    cat "$setup_log" >&2
    echo "setup failed: could not install the project into .venv" >&2
    exit 1
fi
rm -f "$setup_log"
