"""Background work: Django's tasks interface (django-tasks with its database queue) plus what it leaves out.

``policy`` retries a failed task with backoff and enqueues only after the transaction commits; ``progress`` keeps a
``Job`` row per piece of work a user waits for (percent, message, result) so a web page can show it;
``schedule`` runs periodic work (reminders, clean-up) from the worker itself, never from cron.
"""
