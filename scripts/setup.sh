# Sourced by scripts/demo and scripts/test: create .venv and install the project into it, at the
# versions pinned in constraints.txt (what the suite was last run against; refresh it with
# ./scripts/lock). Output is shown only on failure.
#
# pip is asked only when what the install was made from changed: each pip run costs seconds
# (it asks the index about pip itself and re-resolves every pin), and the suite runs these
# scripts four times. .venv/.installed-from records the hash of pyproject.toml,
# constraints.txt and this script at the last good install; the project is installed editable
# (from this checkout: checked), so code changes need no reinstall.
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
installed_from=$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat .venv/.installed-from 2>/dev/null)" != "$installed_from" ] \
   || [ ! -x .venv/bin/troubleshoot-bot ] \
   || ! .venv/bin/python -I -c 'import bot, sys; sys.exit(not bot.__file__.startswith(sys.argv[1]))' \
        "$PWD/" 2>/dev/null; then
    setup_log=$(mktemp)
    if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
           && .venv/bin/python -m pip install --quiet --disable-pip-version-check \
                  -c constraints.txt -e '.[dev,v1]'; } \
           >"$setup_log" 2>&1; then
        cat "$setup_log" >&2
        rm -f "$setup_log" .venv/.installed-from
        echo "setup failed: could not install the project into .venv" >&2
        exit 1
    fi
    rm -f "$setup_log"
    echo "$installed_from" > .venv/.installed-from
fi
