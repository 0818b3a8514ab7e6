# The two commands of the README, and a few helpers. Each target calls a script in bin/.
.PHONY: run test install lint messages
run:        ## install, load demo data, serve on http://127.0.0.1:8000
	bin/run
test:       ## install (Chromium included) and run the whole test suite
	bin/test
install:
	bin/install --dev
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache && .venv/bin/vulture && .venv/bin/python bin/mypy_ratchet.py
messages:   ## refresh locale/vi/LC_MESSAGES/django.po (needs GNU gettext)
	.venv/bin/python manage.py makemessages -l vi --add-location file -i node_modules -i .venv
