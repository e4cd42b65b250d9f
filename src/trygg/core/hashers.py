"""Password hashing: Argon2id, OWASP's first recommendation, memory-hard so that guessing on graphics cards costs.

Parameters: 19 MiB of memory, 3 passes, 1 lane — OWASP's minimum (19 MiB, 2 passes, 1 lane) with one pass more.
On a 2-core server a login costs about 35 ms of CPU, where Django's PBKDF2 with 1 000 000 iterations costs about
240 ms (measured with bench-like load on the development machine): under load, logins no longer hold up other pages.
One lane, because the server's cores serve other requests, and a login that takes them all makes everyone wait.
Hashes made with other parameters (or other hashers) are re-hashed with these at the next login.
"""

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    time_cost = 3
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
