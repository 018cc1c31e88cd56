"""The WSGI entry point: gunicorn wsgi:app, flask --app wsgi ..."""

import gc

from portal import create_app

app = create_app()

# The ~200,000 objects of the loaded app live as long as the process. Frozen, they are no
# longer walked by every full collection: a request that allocates a lot (scheduling a
# meeting for 500 people) otherwise pays a full pass over them, 60-100 ms, every other time.
gc.freeze()
