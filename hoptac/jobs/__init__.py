"""Background jobs: long work (imports, big exports, written reports, the tally, reminders) runs
off the web request, on a queue, with its progress, result and history kept in the database.

The queue is Django's tasks API (the django-tasks backport of Django 6.0's django.tasks): one
task, `tasks.run_job`, runs any Job by its kind. Apps register what a kind does in their
`jobs.py` (`registry.handler`), the way `registry/tabs.py` registers the profile's tabs.
"""
